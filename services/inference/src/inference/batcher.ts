// Dynamic batching: single requests that arrive close together share one session.run call.
//
// onnxruntime-node runs the model synchronously on the event loop, so while one call runs, new requests pile
// up unread in their sockets; they are read in the next I/O phase, all together. Flushing on setImmediate
// (maxDelayMs 0) therefore coalesces exactly the requests that arrived in the same turn without adding any
// waiting time; a positive maxDelayMs trades that much latency for larger batches at low load.

export interface BatcherOptions {
    /** Rows per session.run at most. A request with at least this many rows runs on its own. */
    maxBatchSize: number;
    /** How long the first waiting request may wait for others; 0 flushes at the end of the current turn. */
    maxDelayMs: number;
}

/** Evaluates rows and returns one result per row, in order. */
export type RunRows<R> = (rows: readonly (readonly number[])[]) => Promise<R[]>;

interface Waiting<R> {
    rows: readonly (readonly number[])[];
    resolve: (results: R[]) => void;
    reject: (error: unknown) => void;
}

/**
 * Which waiting requests the next batch takes: the longest prefix, in arrival order, whose rows fit in
 * `maxBatchSize` (at least one request, so an oversized request still runs). Pure, so it is tested alone.
 */
export function takeBatch(rowCounts: readonly number[], maxBatchSize: number): number {
    let rows = 0;
    let taken = 0;
    while (taken < rowCounts.length && (taken === 0 || rows + rowCounts[taken] <= maxBatchSize)) {
        rows += rowCounts[taken];
        taken++;
    }
    return taken;
}

export class DynamicBatcher<R> {
    private waiting: Waiting<R>[] = [];
    private waitingRows = 0;
    private timer: NodeJS.Immediate | NodeJS.Timeout | undefined;

    constructor(
        private readonly run: RunRows<R>,
        private readonly options: BatcherOptions,
    ) {
        if (!Number.isInteger(options.maxBatchSize) || options.maxBatchSize < 1) throw new RangeError("maxBatchSize must be an integer ≥ 1");
        if (!(options.maxDelayMs >= 0)) throw new RangeError("maxDelayMs must be ≥ 0");
    }

    /** Requests waiting for their batch to start (not those already running). */
    get queueLength(): number {
        return this.waiting.length;
    }

    /** Resolves with this request's own results, or rejects with its batch's error. */
    submit(rows: readonly (readonly number[])[]): Promise<R[]> {
        return new Promise<R[]>((resolve, reject) => {
            this.waiting.push({ rows, resolve, reject });
            this.waitingRows += rows.length;
            this.flush(false);
        });
    }

    /** Dispatches full batches (or everything, when the wait is over); what is left waits for the timer. */
    private flush(everything: boolean): void {
        while (this.waiting.length > 0 && (everything || this.waitingRows >= this.options.maxBatchSize)) {
            const count = takeBatch(
                this.waiting.map((w) => w.rows.length),
                this.options.maxBatchSize,
            );
            const batch = this.waiting.splice(0, count);
            this.waitingRows -= batch.reduce((n, w) => n + w.rows.length, 0);
            void this.dispatch(batch);
        }
        if (this.waiting.length === 0) this.cancelTimer();
        else if (this.timer === undefined) this.startTimer();
    }

    private startTimer(): void {
        const expire = (): void => {
            this.timer = undefined;
            this.flush(true);
        };
        this.timer = this.options.maxDelayMs === 0 ? setImmediate(expire) : setTimeout(expire, this.options.maxDelayMs);
    }

    private cancelTimer(): void {
        if (this.timer === undefined) return;
        if (this.options.maxDelayMs === 0) clearImmediate(this.timer as NodeJS.Immediate);
        else clearTimeout(this.timer as NodeJS.Timeout);
        this.timer = undefined;
    }

    private async dispatch(batch: Waiting<R>[]): Promise<void> {
        const rows = batch.length === 1 ? batch[0].rows : batch.flatMap((w) => w.rows);
        try {
            const results = await this.run(rows);
            if (results.length !== rows.length) throw new Error(`batch of ${rows.length} rows returned ${results.length} results`);
            if (batch.length === 1) {
                batch[0].resolve(results); // a request alone in its batch (every large one) keeps the array as it is
                return;
            }
            let offset = 0;
            for (const w of batch) {
                w.resolve(results.slice(offset, offset + w.rows.length));
                offset += w.rows.length;
            }
        } catch (error) {
            for (const w of batch) w.reject(error);
        }
    }
}

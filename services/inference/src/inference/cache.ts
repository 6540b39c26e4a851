import { LRUCache } from "lru-cache";
import type { Counter } from "prom-client";
import type { ModelRunner, Prediction } from "./runner";

/**
 * The model sees FP32, so rows that round to the same FP32 values get the same answer and share a key.
 * `String(-0)` is "0", so signed zeros share one too.
 */
export function cacheKey(row: readonly number[]): string {
    return row.map((value) => String(Math.fround(value))).join(",");
}

export interface PredictionCacheOptions {
    maxEntries: number;
    ttlSeconds: number;
    hits: Counter;
    misses: Counter;
}

/** The guide's InferenceCache: an LRU with a TTL keyed by the canonical feature vector. */
export class PredictionCache {
    private readonly entries: LRUCache<string, Prediction>;

    constructor(private readonly options: PredictionCacheOptions) {
        this.entries = new LRUCache({ max: options.maxEntries, ttl: options.ttlSeconds * 1000 });
    }

    get(row: readonly number[]): Prediction | undefined {
        const hit = this.entries.get(cacheKey(row));
        (hit === undefined ? this.options.misses : this.options.hits).inc();
        return hit;
    }

    set(row: readonly number[], prediction: Prediction): void {
        this.entries.set(cacheKey(row), prediction);
    }

    get size(): number {
        return this.entries.size;
    }
}

/** Answers the rows it can from the cache and sends only the rest to the model, in one call. */
export async function predictThroughCache(
    rows: readonly (readonly number[])[],
    runner: Pick<ModelRunner, "predict">,
    cache: PredictionCache | undefined,
): Promise<Prediction[]> {
    if (cache === undefined) return runner.predict(rows);
    const cached = rows.map((row) => cache.get(row));
    const missing = cached.flatMap((hit, i) => (hit === undefined ? [i] : []));
    if (missing.length > 0) {
        const fresh = await runner.predict(missing.map((i) => rows[i]));
        missing.forEach((rowIndex, j) => {
            cached[rowIndex] = fresh[j];
            cache.set(rows[rowIndex], fresh[j]);
        });
    }
    return cached as Prediction[];
}

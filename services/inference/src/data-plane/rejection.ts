import type { RejectionReason } from "../contract";
import { HttpError } from "../http/errors";

/**
 * A model call refused before it reached the model: always 503 + Retry-After, counted under its reason in
 * http_requests_rejected_total. Every refusal is built here, so message, status and metric label agree.
 */
export class Rejection extends HttpError {
    constructor(
        readonly reason: RejectionReason,
        message: string,
    ) {
        super(503, message, { "retry-after": "1" });
        this.name = "Rejection";
    }

    /** The body every refusal carries, for paths that write it themselves (the socket). */
    get body(): string {
        return JSON.stringify({ error: this.message });
    }
}

/** The service's refusals, one builder per situation. */
export const rejections = {
    concurrency: (limit: number) => new Rejection("concurrency", `server at capacity (${limit} requests in progress); retry shortly`),
    queueFull: (maxQueueLength: number) => new Rejection("queue_full", `the model's queue is full (${maxQueueLength} requests waiting); retry shortly`),
    overflowFailed: (threshold: number) => new Rejection("queue_full", `the model's queue reached ${threshold} and the overflow did not answer; retry shortly`),
    notReady: () => new Rejection("not_ready", "the model is still loading; retry shortly"),
    eventLoopDelay: (delayMs: number, limitMs: number) =>
        new Rejection("event_loop_delay", `server overloaded: event loop delay ${Math.round(delayMs)} ms exceeds ${limitMs} ms; retry shortly`),
};

import type { FastifyReply, FastifyRequest } from "fastify";

/**
 * Admission control for the model routes: at most `limit` requests are handled at once, from arrival to
 * the end of their response. The next one is refused in `onRequest`, before its body is read, which costs
 * a fraction of serving it; so under overload the event loop spends its time on the requests it accepted
 * and their latency stays flat while the excess gets a fast 503.
 */
export class ConcurrencyLimit {
    private active = 0;

    constructor(readonly limit: number) {}

    get inFlight(): number {
        return this.active;
    }

    /** Counts the request in until its response closes (sent or aborted); false when at the limit. */
    tryAdmit(reply: FastifyReply): boolean {
        if (this.active >= this.limit) return false;
        this.active += 1;
        // `close` fires exactly once per response, whether it completed or the client went away.
        reply.raw.once("close", () => {
            this.active -= 1;
        });
        return true;
    }
}

/** The methods that reach the model; metadata and health GETs are never refused. */
export function isModelCall(request: FastifyRequest): boolean {
    return request.method === "POST";
}

import type { ServerResponse } from "node:http";

/** What a refusal at the socket writes (a data-plane Rejection is one). */
export interface SocketRefusal {
    statusCode: number;
    headers: Record<string, string>;
    body: string;
}

/**
 * Admission control for the model routes: at most `limit` requests are handled at once, from arrival to
 * the end of their response. The next one is refused before its body is read — at the socket, before
 * fastify parses, routes or logs it, when the server can — which costs a fraction of serving it; so under
 * overload the event loop spends its time on the requests it accepted while the excess gets a fast 503.
 */
export class ConcurrencyLimit {
    private active = 0;

    constructor(readonly limit: number) {}

    get inFlight(): number {
        return this.active;
    }

    /** Counts the request in until its response closes (sent or aborted); false when at the limit. */
    tryAdmit(response: ServerResponse): boolean {
        if (this.active >= this.limit) return false;
        this.active += 1;
        // `close` fires exactly once per response, whether it completed or the client went away.
        response.once("close", () => {
            this.active -= 1;
        });
        return true;
    }
}

/** A refusal written straight to the socket: no parsing, routing, serialization or logging on the way. */
export function refuseAtSocket(response: ServerResponse, refusal: SocketRefusal): void {
    const body = refusal.body;
    response.writeHead(refusal.statusCode, { ...refusal.headers, "content-type": "application/json", "content-length": Buffer.byteLength(body) });
    response.end(body);
}

/** The one rule for what reaches the model: a POST. Metadata and health GETs are never refused or spilled. */
export function isModelCall(request: { method?: string }): boolean {
    return request.method === "POST";
}

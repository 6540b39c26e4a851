import { LogController, type FastifyReply, type FastifyRequest } from "fastify";

/**
 * LOG_REQUESTS=false: no `incoming request` line, and `request completed` only for failures (5xx or an error),
 * so a busy replica's logs keep what someone paged at night needs. Everything else fastify logs is unchanged.
 */
export class FailuresOnlyRequestLog extends LogController {
    override incomingRequest(): void {}

    override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply, metadata?: Record<string, unknown>): void {
        if (error || reply.statusCode >= 500) super.requestCompleted(error, request, reply, metadata);
    }
}

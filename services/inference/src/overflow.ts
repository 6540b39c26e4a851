import type { FastifyReply, FastifyRequest } from "fastify";
import { Counter, type Registry } from "prom-client";
import { type Environment, METRIC_NAMES, OVERFLOW_HOP_HEADER, type OverflowAuthMode, readChoice, readInteger, readText, REQUEST_ID_HEADER, SERVICE_ENV } from "./contract";
import { lambdaUrlRegion, overflowAuthenticator, type OverflowAuthenticator } from "./overflow-auth";

/**
 * Hybrid serving: when this (Kubernetes) replica's wait queue reaches a threshold, a model call is forwarded
 * to a serverless copy of the same service (Lambda or Cloud Run) instead of waiting or being shed. The
 * request is forwarded before its body is read, so spilling costs this replica a pipe, not a parse. When
 * the overflow does not answer, the caller sheds with 503 exactly as it would without one.
 */
export interface OverflowConfig {
    /** Base URL of the serverless copy; the request's own path is appended. */
    url: string;
    /** Spill once this many requests are waiting for or running on the model. */
    queueThreshold: number;
    /** Longest a forwarded request may take before it counts as failed. */
    timeoutMs: number;
    /** How forwarded requests authenticate to a private overflow (src/overflow-auth.ts). */
    auth: OverflowAuthMode;
    /** AWS region SigV4 signs for (aws-iam only): the Function URL's, else AWS_REGION. */
    region?: string;
}

/** OVERFLOW_URL switches spilling on; OVERFLOW_QUEUE_THRESHOLD defaults to the queue bound, so only what would be shed spills. */
export function parseOverflowConfig(env: Environment, maxQueueLength: number): OverflowConfig | undefined {
    const url = readText(env, SERVICE_ENV.overflowUrl);
    if (url === undefined) return undefined;
    const problems: string[] = [];
    if (!/^https?:\/\/[^/]+/.test(url)) problems.push(`${SERVICE_ENV.overflowUrl.name}=${JSON.stringify(url)} must be an http(s) URL`);
    const queueThreshold = readInteger(env, SERVICE_ENV.overflowQueueThreshold, problems, maxQueueLength);
    const timeoutMs = readInteger(env, SERVICE_ENV.overflowTimeoutMs, problems);
    const auth = readChoice(env, SERVICE_ENV.overflowAuth, problems);
    let region: string | undefined;
    if (auth === "aws-iam" && problems.length === 0) {
        region = lambdaUrlRegion(url) ?? (env.AWS_REGION?.trim() || undefined);
        if (!region) problems.push(`OVERFLOW_AUTH=aws-iam needs the region: OVERFLOW_URL=${JSON.stringify(url)} is not a Lambda Function URL and AWS_REGION is not set`);
    }
    if (problems.length > 0) throw new Error(`invalid overflow configuration: ${problems.join("; ")}`);
    return { url: url.replace(/\/+$/, ""), queueThreshold, timeoutMs, auth, ...(region ? { region } : {}) };
}

export class Overflow {
    private readonly spilled: Counter<"outcome">;
    private readonly authenticate: OverflowAuthenticator;

    constructor(readonly config: OverflowConfig, registry: Registry) {
        this.authenticate = overflowAuthenticator(config.auth, config.url, config.region);
        this.spilled = new Counter({
            name: METRIC_NAMES.overflowRequests,
            help: "Model calls forwarded to the serverless overflow because the wait queue reached its threshold, by outcome (forwarded, failed).",
            labelNames: ["outcome"],
            registers: [registry],
        });
    }

    /** Whether this model call should go to the overflow, given the model's current queue. */
    shouldSpill(request: FastifyRequest, queueLength: number): boolean {
        return request.headers[OVERFLOW_HOP_HEADER] === undefined && queueLength >= this.config.queueThreshold;
    }

    /** Forwards the request and relays the answer; false when the overflow failed (the caller then sheds). */
    async forward(request: FastifyRequest, reply: FastifyReply): Promise<boolean> {
        const headers: Record<string, string> = { [OVERFLOW_HOP_HEADER]: "1", [REQUEST_ID_HEADER]: request.id };
        // With its own credentials the replica replaces the caller's Authorization, which the overflow would reject.
        for (const name of this.config.auth === "none" ? ["content-type", "authorization"] : ["content-type"]) {
            const value = request.headers[name];
            if (typeof value === "string") headers[name] = value;
        }
        try {
            // The body is still unread (this runs before parsing); collect its bytes without parsing them.
            const chunks: Buffer[] = [];
            for await (const chunk of request.raw) chunks.push(chunk as Buffer);
            const body = Buffer.concat(chunks);
            const url = `${this.config.url}${request.url}`;
            Object.assign(headers, await this.authenticate({ method: request.method, url, headers, body }));
            const response = await fetch(url, {
                method: request.method,
                headers,
                body,
                signal: AbortSignal.timeout(this.config.timeoutMs),
            });
            const answer = Buffer.from(await response.arrayBuffer());
            // An overflow that is itself overloaded, failing or refusing us has not served the request: shed it here.
            if (response.status >= 500 || [401, 403, 429].includes(response.status)) throw new Error(`overflow answered ${response.status}`);
            this.spilled.inc({ outcome: "forwarded" });
            request.log.debug({ overflowStatus: response.status }, "forwarded to the overflow");
            void reply
                .code(response.status)
                .header("content-type", response.headers.get("content-type") ?? "application/json")
                .header("x-served-by", "overflow")
                .send(answer);
            return true;
        } catch (error) {
            this.spilled.inc({ outcome: "failed" });
            request.log.warn({ err: error }, "overflow did not answer; shedding");
            return false;
        }
    }
}

import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from "fastify";

export interface DocsInfo {
    title: string;
    version: string;
    description?: string;
}

const OPENAPI_PATH = "/openapi.json";

/** Headers the answering app computes for itself; copying the docs app's would contradict them. */
const HOP_HEADERS = new Set(["content-length", "transfer-encoding", "connection", "keep-alive", "date"]);

/**
 * `/docs` (Swagger UI) and `/docs/json` = `/openapi.json` (the OpenAPI document generated from the route schemas), built on
 * the first request for them. @fastify/swagger, its UI, @fastify/static and yaml cost ~100–150 ms of CPU at
 * startup, on every cold start, for pages almost no caller asks for. Instead, the routes are recorded as
 * they are added and, on first use, declared again (schemas only) on a separate fastify instance that
 * carries the swagger plugins; `/docs` requests are answered by injecting them into it.
 *
 * Call it on the root instance before any route is added, so the onRoute hook sees every route.
 */
export function lazyDocs(app: FastifyInstance, info: DocsInfo): void {
    const routes: RouteOptions[] = [];
    app.addHook("onRoute", (route) => {
        // fastify adds HEAD for every GET itself, in the docs app too; the docs routes document nothing.
        if (route.method === "HEAD" || route.url.startsWith("/docs") || route.url === OPENAPI_PATH) return;
        routes.push(route);
    });

    let docsApp: Promise<FastifyInstance> | undefined;
    const build = async (): Promise<FastifyInstance> => {
        const [{ default: fastify }, { default: swagger }, { default: swaggerUi }] = await Promise.all([
            import("fastify"),
            import("@fastify/swagger"),
            import("@fastify/swagger-ui"),
        ]);
        const docs = fastify({ logger: false });
        // Its handlers never run: skip compiling validators and serializers, the schemas only feed the document.
        docs.setValidatorCompiler(() => () => true);
        docs.setSerializerCompiler(() => (data) => JSON.stringify(data));
        await docs.register(swagger, { openapi: { info } });
        await docs.register(swaggerUi, { routePrefix: "/docs" });
        const unreachable = async (): Promise<never> => {
            throw new Error("the docs app only documents routes");
        };
        for (const route of routes) docs.route({ method: route.method, url: route.url, schema: route.schema, handler: unreachable });
        await docs.ready();
        return docs;
    };

    const answer = async (request: FastifyRequest, reply: FastifyReply, url = request.url): Promise<FastifyReply> => {
        docsApp ??= build().catch((error: unknown) => {
            docsApp = undefined; // try again on the next request rather than failing /docs for good
            throw error;
        });
        const response = await (await docsApp).inject({ method: request.method as "GET" | "HEAD", url, headers: request.headers });
        for (const [name, value] of Object.entries(response.headers)) {
            if (value !== undefined && !HOP_HEADERS.has(name)) void reply.header(name, value);
        }
        return reply.code(response.statusCode).send(response.rawPayload);
    };
    app.get("/docs", answer);
    app.get("/docs/*", answer);
    // FastAPI's path for the same document, which its clients and code generators look for.
    app.get(OPENAPI_PATH, (request, reply) => answer(request, reply, "/docs/json"));
}

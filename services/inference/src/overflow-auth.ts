import { Sha256 } from "@aws-crypto/sha256-js";
import { defaultProvider } from "@aws-sdk/credential-provider-node";
import { SignatureV4 } from "@smithy/signature-v4";
import { GoogleAuth, type IdTokenClient } from "google-auth-library";
import type { OverflowAuthMode } from "./contract";

/** The outgoing request as far as authentication needs it. */
export interface OutgoingRequest {
    method: string;
    /** Absolute URL including path and query. */
    url: string;
    headers: Record<string, string>;
    body: Buffer;
}

/** Returns the headers that authenticate one forwarded request (to add to the ones it already has). */
export type OverflowAuthenticator = (request: OutgoingRequest) => Promise<Record<string, string>>;

/** Lambda Function URLs are https://<id>.lambda-url.<region>.on.aws; the region is in the host name. */
export function lambdaUrlRegion(url: string): string | undefined {
    return /\.lambda-url\.([a-z0-9-]+)\.on\.aws$/.exec(new URL(url).hostname)?.[1];
}

/**
 * Builds the authenticator for a mode; credentials and tokens are fetched lazily and cached, never per request.
 * How the hybrid baseline proves to a private overflow that it may call it:
 *   none          the overflow is reachable without credentials (local tests, a public copy)
 *   aws-iam       Lambda Function URL with AWS_IAM auth: SigV4, service "lambda", credentials from the default
 *                 provider chain (EKS Pod Identity sets AWS_CONTAINER_CREDENTIALS_FULL_URI for it)
 *   gcp-id-token  private Cloud Run: an ID token whose audience is the service URL, from the metadata server
 *                 (GKE Workload Identity serves it as the pod's Google service account)
 */
export function overflowAuthenticator(mode: OverflowAuthMode, overflowUrl: string, region: string | undefined): OverflowAuthenticator {
    switch (mode) {
        case "none":
            return () => Promise.resolve({});
        case "aws-iam":
            return sigV4Authenticator(region ?? "");
        case "gcp-id-token":
            return idTokenAuthenticator(new URL(overflowUrl).origin);
    }
}

function sigV4Authenticator(region: string): OverflowAuthenticator {
    // defaultProvider memoizes the chain's answer and refreshes it only when it is about to expire.
    const signer = new SignatureV4({ service: "lambda", region, credentials: defaultProvider(), sha256: Sha256 });
    return async (request) => {
        const url = new URL(request.url);
        const query: Record<string, string> = {};
        url.searchParams.forEach((value, key) => (query[key] = value));
        const signed = await signer.sign({
            method: request.method,
            protocol: url.protocol,
            hostname: url.hostname,
            port: url.port ? Number(url.port) : undefined,
            path: url.pathname,
            query,
            // host must be signed; fetch sends the same value from the URL.
            headers: { ...request.headers, host: url.host },
            body: request.body,
        });
        const added: Record<string, string> = {};
        for (const [name, value] of Object.entries(signed.headers)) {
            if (name.toLowerCase() !== "host" && request.headers[name] === undefined) added[name] = String(value);
        }
        return added;
    };
}

function idTokenAuthenticator(audience: string): OverflowAuthenticator {
    const auth = new GoogleAuth();
    // The client keeps the token and fetches a new one only when it is within five minutes of expiry.
    let client: Promise<IdTokenClient> | undefined;
    return async () => {
        client ??= auth.getIdTokenClient(audience);
        try {
            const headers = await (await client).getRequestHeaders();
            const authorization = headers.get("authorization");
            if (!authorization) throw new Error("no ID token for the overflow");
            return { authorization };
        } catch (error) {
            // A metadata server that was not ready yet must not poison every later request.
            client = undefined;
            throw error;
        }
    };
}

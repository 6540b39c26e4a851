// The pinned load generator (see generator.ts): reads a LoadSpec as JSON on stdin, prints its LoadResult as JSON.
import { runLoadHere, type LoadSpec } from "./generator";

async function main(): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    const result = await runLoadHere(JSON.parse(Buffer.concat(chunks).toString("utf8")) as LoadSpec);
    process.stdout.write(JSON.stringify(result));
}

main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
});

// Cold-start probe for the Lambda entry, run as a fresh `node` process (plain JS: a TypeScript loader would add
// its own start-up to what we measure). Requires the handler, invokes it once with the Function URL event in
// $LAMBDA_EVENT and prints one JSON line. performance.now() counts from this process's start.
"use strict";
const initStart = performance.now();
const { handler } = require(process.argv[2]);
const initEnd = performance.now();
const context = {
    awsRequestId: "bench-cold-start",
    functionName: "model-serving-bench",
    getRemainingTimeInMillis: () => 30000,
    callbackWaitsForEmptyEventLoop: false,
};
Promise.resolve(handler(JSON.parse(process.env.LAMBDA_EVENT), context)).then(
    (response) => {
        const invokeEnd = performance.now();
        console.log(JSON.stringify({
            status: response.statusCode,
            body: response.body,
            init_ms: initEnd - initStart,
            invoke_ms: invokeEnd - initEnd,
            since_process_start_ms: invokeEnd,
        }));
        process.exit(0);
    },
    (error) => {
        console.error(error);
        process.exit(1);
    },
);

// Cold-start probe for the Lambda entry, run as a fresh `node` process (plain JS: a TypeScript loader would add
// its own start-up to what we measure). Loads the start-up marks (tools/load/startup-marks.cjs), requires the
// handler, invokes it once with the Function URL event in $LAMBDA_EVENT and prints one JSON line with the
// answer and the marks.
"use strict";
require("../tools/load/startup-marks.cjs");
const mark = globalThis.__markStartup;
mark("entry_load_start");
const { handler } = require(process.argv[2]);
mark("entry_load_end");
const context = {
    awsRequestId: "bench-cold-start",
    functionName: "model-serving-bench",
    getRemainingTimeInMillis: () => 30000,
    callbackWaitsForEmptyEventLoop: false,
};
mark("invoke_start");
Promise.resolve(handler(JSON.parse(process.env.LAMBDA_EVENT), context)).then(
    (response) => {
        mark("invoke_end");
        console.log(JSON.stringify({ status: response.statusCode, body: response.body, marks: globalThis.__startupMarks }));
        process.exit(0);
    },
    (error) => {
        console.error(error);
        process.exit(1);
    },
);

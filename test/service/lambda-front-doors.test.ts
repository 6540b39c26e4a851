import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { createLambdaHandler, frontDoorOf, type HttpEvent, type LambdaHandler } from "../../services/inference/src/lambda-handler";
import { linearEstimate, writeLinearModelDir } from "./fixtures/linear-model";
import { EXAMPLE_PROPERTY, EXAMPLE_ROW, lambdaContext } from "./helpers";

/** The official aws-lambda-go test events (vendored unchanged, see fixtures/aws-lambda-go/README.md); loosely typed on purpose. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function officialEvent(name: string): Record<string, any> {
    return JSON.parse(fs.readFileSync(path.join(__dirname, "fixtures", "aws-lambda-go", `${name}.json`), "utf8"));
}

const BODY = JSON.stringify(EXAMPLE_PROPERTY);

/** Each official event turned into POST /predict with a JSON body, changing only the fields that say so. */
const FRONT_DOORS: Record<string, () => HttpEvent> = {
    "API Gateway REST API (v1)": () => ({ ...officialEvent("apigw-request"), httpMethod: "POST", path: "/predict", body: BODY }),
    "API Gateway HTTP API (v2)": () => {
        const event = officialEvent("apigw-v2-request-no-authorizer");
        event.requestContext.http = { ...event.requestContext.http, method: "POST", path: "/predict" };
        return { ...event, rawPath: "/predict", headers: { ...event.headers, "content-type": "application/json", "content-length": String(BODY.length) }, body: BODY };
    },
    "Lambda Function URL": () => {
        const event = officialEvent("lambda-urls-request");
        event.requestContext.http = { ...event.requestContext.http, method: "POST", path: "/predict" };
        return { ...event, rawPath: "/predict", rawQueryString: "", queryStringParameters: undefined, headers: { ...event.headers, "content-type": "application/json" }, body: BODY };
    },
    "ALB target group": () => {
        const event = officialEvent("alb-lambda-target-request-headers-only");
        return { ...event, httpMethod: "POST", path: "/predict", headers: { ...event.headers, "content-type": "application/json" }, body: BODY };
    },
    "ALB target group with multi-value headers": () => {
        const event = officialEvent("alb-lambda-target-request-multivalue-headers");
        return { ...event, httpMethod: "POST", path: "/predict", multiValueHeaders: { ...event.multiValueHeaders, "content-type": ["application/json"] }, body: BODY };
    },
};


describe("every Lambda front door (official aws-lambda-go events)", () => {
    let handler: LambdaHandler;
    before(async () => {
        handler = await createLambdaHandler({ env: { MODEL_DIR: writeLinearModelDir(), LOG_LEVEL: "silent" } });
    });

    for (const [door, build] of Object.entries(FRONT_DOORS)) {
        it(`answers POST /predict from ${door} with 200 and the estimate, in the response shape that front door reads`, async () => {
            const event = build();
            const res = await handler(event, lambdaContext(`invocation-${door}`));
            assert.equal(res.statusCode, 200, res.body);
            assert.equal(JSON.parse(res.body).estimated_value, Math.fround(linearEstimate(EXAMPLE_ROW).estimate));
            const kind = frontDoorOf(event);
            if (kind === "alb-multi-value") {
                assert.equal(res.headers, undefined, "an ALB with multi-value headers reads only multiValueHeaders");
                assert.match(res.multiValueHeaders?.["content-type"]?.[0] ?? "", /^application\/json/);
            } else {
                assert.match(res.headers?.["content-type"] ?? "", /^application\/json/);
            }
            if (kind !== "api-gateway") assert.equal(res.statusDescription, "200 OK");
        });
    }

    it("reuses the event's request id as x-request-id, including API Gateway's ids that end in '='", async () => {
        const expected: Array<[string, string]> = [["API Gateway REST API (v1)", "deef4878-7910-11e6-8f14-25afc3e9ae33"], ["API Gateway HTTP API (v2)", "LV7fzho-PHcEJPw="], ["Lambda Function URL", "id"]];
        for (const [door, id] of expected) {
            const res = await handler(FRONT_DOORS[door](), lambdaContext("any"));
            assert.equal(res.headers?.["x-request-id"], id, door);
        }
    });

    it("answers an ALB multi-value event's refusal in multiValueHeaders too, with Content-Type exactly application/json", async () => {
        const event = { ...FRONT_DOORS["ALB target group with multi-value headers"](), body: JSON.stringify({ ...EXAMPLE_PROPERTY, bedrooms: 99 }) };
        const res = await handler(event, lambdaContext("refused"));
        assert.equal(res.statusCode, 422);
        assert.deepEqual(res.multiValueHeaders?.["content-type"], ["application/json"]);
        assert.equal(res.statusDescription, "422 Unprocessable Entity");
    });
});

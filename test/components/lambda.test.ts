import { strict as assert } from "node:assert";
import { all, input, one, render, types } from "./helpers";

describe("lambda backend", () => {
    it("runs the ECR image with memory sized for the declared CPU, the request timeout and reserved concurrency from scaling.max", async () => {
        const stack = await render("lambda", { "model-serving:cpu": "2", "model-serving:memory": "2Gi", "model-serving:maxReplicas": "40", "model-serving:lambdaArchitecture": "arm64" });
        const fn = one(stack, "aws:lambda/function:Function");
        assert.equal(input(fn, "packageType"), "Image");
        assert.match(String(input(fn, "imageUri")), /^123456789012\.dkr\.ecr\.us-east-1\.amazonaws\.com\/property-valuation-test@sha256:[0-9a-f]{64}$/, "the pushed Lambda image, by digest");
        assert.equal(input(fn, "memorySize"), 3538);
        assert.equal(input(fn, "timeout"), 30);
        assert.deepEqual(input(fn, "architectures"), ["arm64"]);
        assert.equal(input(fn, "reservedConcurrentExecutions"), 40);
        assert.equal(input(fn, "publish"), true);
        assert.equal(input(fn, "environment.variables.MODEL_DIR"), undefined, "the Lambda image's bundled model, at its own path");
        assert.equal(input(fn, "environment.variables.LOG_LEVEL"), "info");
    });

    it("keeps provisioned concurrency on the live alias only when scaling.min is above zero", async () => {
        const warm = await render("lambda", { "model-serving:minReplicas": "3" });
        const config = one(warm, "aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig");
        assert.equal(input(config, "provisionedConcurrentExecutions"), 3);
        assert.equal(input(config, "qualifier"), "live");
        assert.equal(input(one(warm, "aws:lambda/alias:Alias"), "functionVersion"), "1");
        const cold = await render("lambda", { "model-serving:minReplicas": "0" });
        assert.equal(all(cold, "aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig").length, 0);
    });

    it("serves a Function URL on the alias that requires SigV4 (AWS_IAM) unless exposure is public", async () => {
        const privateStack = await render("lambda");
        const url = one(privateStack, "aws:lambda/functionUrl:FunctionUrl");
        assert.equal(input(url, "authorizationType"), "AWS_IAM");
        assert.equal(input(url, "qualifier"), "live");
        assert.equal(all(privateStack, "aws:lambda/permission:Permission").length, 0);
        assert.match(String(privateStack.outputs.url), /^https:\/\/.*\.lambda-url\.us-east-1\.on\.aws\/$/);

        const publicStack = await render("lambda", { "model-serving:exposure": "public" });
        assert.equal(input(one(publicStack, "aws:lambda/functionUrl:FunctionUrl"), "authorizationType"), "NONE");
        const actions = all(publicStack, "aws:lambda/permission:Permission").map((p) => [input(p, "action"), input(p, "principal")]);
        assert.deepEqual(actions.sort(), [["lambda:InvokeFunction", "*"], ["lambda:InvokeFunctionUrl", "*"]]);
    });

    it("can front the alias with an HTTP API whose default route is IAM-authorised", async () => {
        const stack = await render("lambda", { "model-serving:lambdaEndpoint": "http-api" });
        assert.equal(all(stack, "aws:lambda/functionUrl:FunctionUrl").length, 0);
        const integration = one(stack, "aws:apigatewayv2/integration:Integration");
        assert.equal(input(integration, "payloadFormatVersion"), "2.0");
        assert.match(String(input(integration, "integrationUri")), /function:property-valuation-test:live\/invocations$/);
        assert.equal(input(one(stack, "aws:apigatewayv2/route:Route"), "authorizationType"), "AWS_IAM");
        assert.equal(input(one(stack, "aws:lambda/permission:Permission"), "principal"), "apigateway.amazonaws.com");
        assert.match(String(stack.outputs.url), /execute-api\.us-east-1\.amazonaws\.com$/);
    });

    it("gives the function basic execution, read access to the model bucket only, and a log group with retention", async () => {
        const stack = await render("lambda", { "model-serving:logRetentionDays": "14" });
        assert.equal(input(one(stack, "aws:iam/rolePolicyAttachment:RolePolicyAttachment"), "policyArn"), "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole");
        const policy = JSON.parse(String(input(one(stack, "aws:iam/rolePolicy:RolePolicy"), "policy")));
        assert.deepEqual(policy.Statement.map((s: { Action: string[] }) => s.Action).flat().sort(), ["s3:GetObject", "s3:GetObjectVersion", "s3:ListBucket"]);
        const logs = one(stack, "aws:cloudwatch/logGroup:LogGroup");
        assert.equal(input(logs, "retentionInDays"), 14);
        assert.equal(input(one(stack, "aws:lambda/function:Function"), "loggingConfig.logGroup"), input(logs, "name"));
    });

    it("keeps the image in an immutable, scanned ECR repository and models in a private, encrypted, versioned bucket", async () => {
        const stack = await render("lambda");
        const repo = one(stack, "aws:ecr/repository:Repository");
        assert.equal(input(repo, "imageTagMutability"), "IMMUTABLE");
        assert.equal(input(repo, "imageScanningConfiguration.scanOnPush"), true);
        const block = one(stack, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock");
        for (const key of ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"]) assert.equal(input(block, key), true);
        assert.equal(input(one(stack, "aws:s3/bucketVersioning:BucketVersioning"), "versioningConfiguration.status"), "Enabled");
        assert.equal(input(one(stack, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"), "rules.0.applyServerSideEncryptionByDefault.sseAlgorithm"), "aws:kms");
        assert.equal(input(one(stack, "aws:s3/bucket:Bucket"), "region"), "us-east-1");
    });

    it("uses an explicit image reference instead of the stack's repository when one is configured", async () => {
        const prebuilt = `111122223333.dkr.ecr.us-east-1.amazonaws.com/shared/pv@sha256:${"ab".repeat(32)}`;
        const stack = await render("lambda", { "model-serving:image": prebuilt });
        assert.equal(input(one(stack, "aws:lambda/function:Function"), "imageUri"), prebuilt);
        assert.equal(all(stack, "docker-build:index:Image").length, 0, "a prebuilt image skips the build");
    });

    it("declares no Kubernetes, GCP or cluster resources", async () => {
        const stack = await render("lambda");
        assert.deepEqual([...types(stack)].filter((t) => /^(kubernetes|gcp|pulumi:providers)|eks|ec2/.test(t)), []);
    });
});

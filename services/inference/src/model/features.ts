import type { FeatureSpec, ModelMetadata } from "./metadata";

/** /predict accepts a zipcode in place of this feature and looks its score up in the metadata. */
export const LOCATION_FEATURE = "location_score";
export const ZIPCODE_FIELD = "zipcode";

export type PredictInstance = Record<string, number | string>;

function featureSchema(feature: FeatureSpec): Record<string, unknown> {
    return {
        type: feature.integer ? "integer" : "number",
        minimum: feature.min,
        maximum: feature.max,
        description: `${feature.description} (${feature.unit})`,
    };
}

function acceptsZipcode(metadata: ModelMetadata): boolean {
    return metadata.features.some((f) => f.name === LOCATION_FEATURE) && Object.keys(metadata.location_scores).length > 0;
}

/** The features every request must carry (the others are optional). */
const requiredFeatures = (metadata: ModelMetadata) => metadata.features.filter((f) => !f.optional);

/** JSON schema of one property to value, generated from the model's metadata so ranges never drift. */
export function instanceSchema(metadata: ModelMetadata): Record<string, unknown> {
    const properties: Record<string, unknown> = Object.fromEntries(metadata.features.map((f) => [f.name, featureSchema(f)]));
    const schema: Record<string, unknown> = {
        type: "object",
        additionalProperties: false,
        properties,
        required: requiredFeatures(metadata).map((f) => f.name),
    };
    if (!acceptsZipcode(metadata)) return schema;
    properties[ZIPCODE_FIELD] = {
        type: "string",
        pattern: "^[0-9]{5}$",
        enum: Object.keys(metadata.location_scores).sort(),
        description: `5-digit zipcode the model knows, in place of ${LOCATION_FEATURE}`,
    };
    return {
        ...schema,
        required: requiredFeatures(metadata).filter((f) => f.name !== LOCATION_FEATURE).map((f) => f.name),
        // Exactly one of location_score and zipcode; the error formatter words the `not` case.
        // `type` inside `if` so that a non-object skips to `else` and then fails on `type`, the clearer message.
        if: { type: "object", required: [ZIPCODE_FIELD] },
        then: { not: { required: [LOCATION_FEATURE] } },
        else: { required: [LOCATION_FEATURE] },
    };
}

/**
 * The feature vector in tensor column order. The body has passed the schema, so a zipcode is known and every
 * required feature present; an optional feature the body leaves out is NaN, the model's missing value.
 */
export function rowFromInstance(metadata: ModelMetadata, instance: PredictInstance): number[] {
    return metadata.features.map((feature) => {
        if (feature.name === LOCATION_FEATURE && typeof instance[ZIPCODE_FIELD] === "string") {
            return metadata.location_scores[instance[ZIPCODE_FIELD]];
        }
        const value = instance[feature.name];
        return value === undefined ? NaN : (value as number);
    });
}

/**
 * The request fields the estimate used, in tensor column order (`zipcode` where the body sent it in place of
 * location_score), so a caller can tell a five-field estimate from one made with the full record.
 *
 * Returned as a function of the instance, for one model: it hands out one shared list per pattern of present
 * fields (at most 2^(optional features + 1) of them), as a 128-row batch would otherwise build 128 lists a request.
 */
export function inputsUsedOf(metadata: ModelMetadata): (instance: PredictInstance) => readonly string[] {
    const names = metadata.features.map((f) => f.name);
    const list = (instance: PredictInstance): string[] => {
        const used: string[] = [];
        for (const name of names) {
            if (name === LOCATION_FEATURE && typeof instance[ZIPCODE_FIELD] === "string") used.push(ZIPCODE_FIELD);
            else if (instance[name] !== undefined) used.push(name);
        }
        return used;
    };
    // The pattern is a bit per column (and one for zipcode) in a 32-bit integer.
    if (names.length > 30) return list;
    const byPattern = new Map<number, string[]>();
    return (instance) => {
        let pattern = typeof instance[ZIPCODE_FIELD] === "string" ? 1 : 0;
        for (let column = 0; column < names.length; column++) {
            if (instance[names[column]] !== undefined) pattern |= 1 << (column + 1);
        }
        let used = byPattern.get(pattern);
        if (used === undefined) {
            used = list(instance);
            byPattern.set(pattern, used);
        }
        return used;
    };
}

/**
 * Checks a row that arrived as a tensor (v2) against the same rules the /predict schema enforces; NaN is
 * the missing value and allowed in optional columns only.
 */
export function rowProblem(metadata: ModelMetadata, row: readonly number[]): string | undefined {
    const { features } = metadata;
    // An index loop: entries() allocated a pair per column per row, on the path of every tensor row.
    for (let column = 0; column < features.length; column++) {
        const feature = features[column];
        const value = row[column];
        if (feature.optional && Number.isNaN(value)) continue;
        if (!Number.isFinite(value)) return `${feature.name} must be a finite number${feature.optional ? " or NaN (missing)" : ""}`;
        if (value < feature.min) return `${feature.name} must be >= ${feature.min}, got ${value}`;
        if (value > feature.max) return `${feature.name} must be <= ${feature.max}, got ${value}`;
        if (feature.integer && !Number.isInteger(value)) return `${feature.name} must be an integer, got ${value}`;
    }
    return undefined;
}

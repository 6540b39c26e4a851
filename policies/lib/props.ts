import { UnknownValueError } from "@pulumi/policy";

/**
 * A property read that may hit a value unknown at preview. Policies receive props wrapped by the engine's
 * unknown-checking proxy, which throws on such values; a policy that must not silently pass (data locality)
 * reads through `readKnown` and reports the unknown value itself.
 */
export type Known<T> = { known: true; value: T } | { known: false; path: string };

export function readKnown<T>(read: () => T): Known<T> {
    try {
        return { known: true, value: read() };
    } catch (error) {
        if (error instanceof UnknownValueError) return { known: false, path: (error as UnknownValueError).props.join(".") };
        throw error;
    }
}

/** A plain object view of a nested property, or undefined when the property is absent or not an object. */
export function objectAt(value: unknown): Record<string, unknown> | undefined {
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** An array property, treating absent as empty. */
export function arrayAt(value: unknown): unknown[] {
    return Array.isArray(value) ? value : [];
}

/**
 * The known string values of a property that holds one string or a list of them (IAM members), skipping entries
 * unknown at preview: those are computed from other resources (a service account's email), never a literal.
 */
export function knownStrings(read: () => unknown): string[] {
    const value = readKnown(read);
    if (!value.known) return [];
    if (typeof value.value === "string") return [value.value];
    const list = arrayAt(value.value);
    return list.map((_, i) => readKnown(() => list[i])).flatMap((entry) => (entry.known && typeof entry.value === "string" ? [entry.value] : []));
}

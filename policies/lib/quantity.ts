/**
 * Kubernetes resource quantities ("500m", "1.5", "512Mi", "2G") as numbers, so limits can be compared.
 * Cloud Run uses the same notation for its cpu and memory limits.
 */

const BINARY_SUFFIXES: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL_SUFFIXES: Record<string, number> = { m: 1e-3, "": 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };
const QUANTITY = /^([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)(Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E)?$/;

/** The value of a quantity in base units (cores for cpu, bytes for memory), or undefined when it is not one. */
export function parseQuantity(quantity: string | number): number | undefined {
    if (typeof quantity === "number") return Number.isFinite(quantity) ? quantity : undefined;
    const match = QUANTITY.exec(quantity.trim());
    if (!match) return undefined;
    const suffix = match[2] ?? "";
    const multiplier = BINARY_SUFFIXES[suffix] ?? DECIMAL_SUFFIXES[suffix];
    return Number(match[1]) * multiplier;
}

/** Bytes written the way people read memory sizes: "512Mi", "1.5Gi". */
export function formatBytes(bytes: number): string {
    for (const [suffix, size] of [["Gi", 2 ** 30], ["Mi", 2 ** 20], ["Ki", 2 ** 10]] as const) {
        if (bytes >= size) return `${Number((bytes / size).toFixed(3))}${suffix}`;
    }
    return `${bytes}`;
}

export const GiB = 2 ** 30;
export const MiB = 2 ** 20;

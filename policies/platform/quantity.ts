/**
 * Kubernetes resource quantities ("500m", "1.5", "512Mi", "2G", "1e3") as numbers: the one parser the program's
 * config, its sizing, the advisor and the policy pack share. Cloud Run's cpu and memory limits use the same notation.
 */

const BINARY_SUFFIXES: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL_SUFFIXES: Record<string, number> = { m: 1e-3, "": 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };
const QUANTITY = /^([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)(Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E)?$/;

export const GiB = 2 ** 30;
export const MiB = 2 ** 20;

/** The value of a quantity in base units (cores for cpu, bytes for memory), or undefined when it is not one. */
export function parseQuantity(quantity: string | number): number | undefined {
    if (typeof quantity === "number") return Number.isFinite(quantity) ? quantity : undefined;
    const match = QUANTITY.exec(quantity.trim());
    if (!match) return undefined;
    const suffix = match[2] ?? "";
    const multiplier = BINARY_SUFFIXES[suffix] ?? DECIMAL_SUFFIXES[suffix];
    return Number(match[1]) * multiplier;
}

/** Millicores of a positive CPU quantity ("500m" → 500, "2" → 2000, "1.5" → 1500); NaN if malformed or not positive. */
export function cpuMillis(quantity: string): number {
    const cores = parseQuantity(quantity);
    return cores !== undefined && cores > 0 ? Math.round(cores * 1000) : NaN;
}

/** MiB of a positive memory quantity ("512Mi" → 512, "2Gi" → 2048, "1G" → 953.67…); NaN if malformed or not positive. */
export function memoryMiB(quantity: string): number {
    const bytes = parseQuantity(quantity);
    return bytes !== undefined && bytes > 0 ? bytes / MiB : NaN;
}

/** Bytes written the way people read memory sizes: "512Mi", "1.5Gi". */
export function formatBytes(bytes: number): string {
    for (const [suffix, size] of [["Gi", GiB], ["Mi", MiB], ["Ki", 2 ** 10]] as const) {
        if (bytes >= size) return `${Number((bytes / size).toFixed(3))}${suffix}`;
    }
    return `${bytes}`;
}

/** Millicores written as a Kubernetes CPU quantity: 2000 → "2", 1500 → "1500m". */
export function formatMillis(millis: number): string {
    return millis % 1000 === 0 ? String(millis / 1000) : `${Math.round(millis)}m`;
}

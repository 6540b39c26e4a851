/**
 * Deterministic train / validation / calibration / test assignment.
 *
 * The split is a pure function of (seed, house id), not of row order or of which rows a CSV contains, so
 * `evaluate` can recompute the internal holdout from any copy of the data and the seed in metadata.json.
 * Keying on the house id keeps every resale of one house in the same part: a house the model saw in
 * training never reappears in the holdout under another sale date.
 */
export const SPLIT_PARTS = ["train", "validation", "calibration", "test"] as const;
export type SplitPart = (typeof SPLIT_PARTS)[number];

/** Fractions of houses per part, in SPLIT_PARTS order. */
export const SPLIT_FRACTIONS: Record<SplitPart, number> = { train: 0.6, validation: 0.15, calibration: 0.1, test: 0.15 };

/** 32-bit FNV-1a followed by the murmur3 finaliser, so nearby ids land far apart. */
export function hash32(text: string): number {
    let h = 0x811c9dc5;
    for (let i = 0; i < text.length; i++) {
        h ^= text.charCodeAt(i);
        h = Math.imul(h, 0x01000193);
    }
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    return h >>> 0;
}

/** Which part a house belongs to under the given seed. */
export function splitPartOf(id: string, seed: number): SplitPart {
    const u = hash32(`${seed}:${id}`) / 2 ** 32;
    let edge = 0;
    for (const part of SPLIT_PARTS) {
        edge += SPLIT_FRACTIONS[part];
        if (u < edge) return part;
    }
    return "test";
}

/** mulberry32: a small seeded PRNG; training randomness (row subsampling) comes only from here. */
export function createRandom(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

import * as fs from "node:fs";
import { parse } from "csv-parse/sync";

/** Columns of the property record the model may use when present (optional inputs; the names are the API's). */
export const RECORD_COLUMNS = ["lat", "long", "grade", "condition", "yr_built", "yr_renovated", "sqft_lot", "floors", "view",
    "waterfront", "sqft_living15"] as const;
export type RecordColumn = (typeof RECORD_COLUMNS)[number];

/** One sale in the original King County format, reduced to the columns the model needs. */
export interface Sale {
    id: string;
    /** Sale date as days since 1970-01-01 (UTC). */
    day: number;
    price: number;
    bedrooms: number;
    bathrooms: number;
    sqftLiving: number;
    zipcode: string;
    /** The rest of the record; NaN where the CSV has no column, an empty cell or a non-number. */
    record: Record<RecordColumn, number>;
}

/** Columns a King County CSV must have for the model; RECORD_COLUMNS are read when present, others ignored. */
export const REQUIRED_COLUMNS = ["id", "date", "price", "bedrooms", "bathrooms", "sqft_living", "zipcode"] as const;

export class DataError extends Error {}

export interface ParsedSales {
    sales: Sale[];
    /** Rows that could not be used, counted by reason (a reason names the offending column). */
    skipped: Map<string, number>;
    rowsRead: number;
}

const DATE_PATTERN = /^(\d{4})(\d{2})(\d{2})(T\d{6})?$/;

/** Parses "YYYYMMDDT000000" (or "YYYYMMDD") into days since the Unix epoch, or undefined if not a real date. */
export function parseSaleDate(text: string): number | undefined {
    const m = DATE_PATTERN.exec(text.trim());
    if (!m) return undefined;
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const ms = Date.UTC(y, mo - 1, d);
    const back = new Date(ms);
    if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return undefined;
    return ms / 86_400_000;
}

/** Formats days since the epoch as YYYY-MM-DD. */
export function formatDay(day: number): string {
    return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

function numberOrUndefined(text: string | undefined): number | undefined {
    if (text === undefined || text.trim() === "") return undefined;
    const n = Number(text);
    return Number.isFinite(n) ? n : undefined;
}

type RowResult = { sale: Sale } | { reason: string };

/** Validates one CSV record; the reason of a rejected row names the column and what was wrong. */
export function parseSaleRecord(record: Record<string, string>): RowResult {
    const day = parseSaleDate(record.date ?? "");
    if (day === undefined) return { reason: "date: not a YYYYMMDDT000000 date" };
    const price = numberOrUndefined(record.price);
    if (price === undefined || price <= 0) return { reason: "price: missing or not a positive number" };
    const sqftLiving = numberOrUndefined(record.sqft_living);
    if (sqftLiving === undefined || sqftLiving <= 0) return { reason: "sqft_living: missing or not a positive number" };
    const bedrooms = numberOrUndefined(record.bedrooms);
    if (bedrooms === undefined || bedrooms < 0 || !Number.isInteger(bedrooms)) {
        return { reason: "bedrooms: missing or not a non-negative integer" };
    }
    const bathrooms = numberOrUndefined(record.bathrooms);
    if (bathrooms === undefined || bathrooms < 0) return { reason: "bathrooms: missing or negative" };
    const zipcode = (record.zipcode ?? "").trim();
    if (!/^\d{5}$/.test(zipcode)) return { reason: "zipcode: not a 5-digit zipcode" };
    const id = (record.id ?? "").trim();
    if (id === "") return { reason: "id: missing" };
    const rest = Object.fromEntries(RECORD_COLUMNS.map((c) => [c, numberOrUndefined(record[c]) ?? NaN])) as Record<RecordColumn, number>;
    return { sale: { id, day, price, bedrooms, bathrooms, sqftLiving, zipcode, record: rest } };
}

/** Parses CSV text in the original King County format; throws DataError if a required column is missing. */
export function parseSalesCsv(text: string, source = "CSV"): ParsedSales {
    let records: Record<string, string>[];
    try {
        records = parse(text, { columns: true, skip_empty_lines: true, trim: true, relax_column_count: true, bom: true });
    } catch (err) {
        throw new DataError(`${source}: cannot parse as CSV: ${(err as Error).message}`);
    }
    if (records.length === 0) throw new DataError(`${source}: no data rows (expected a header and at least one sale)`);
    const header = Object.keys(records[0]);
    const missing = REQUIRED_COLUMNS.filter((c) => !header.includes(c));
    if (missing.length > 0) {
        throw new DataError(
            `${source}: missing column(s) ${missing.join(", ")}; the King County format needs ${REQUIRED_COLUMNS.join(", ")}`,
        );
    }
    const sales: Sale[] = [];
    const skipped = new Map<string, number>();
    for (const record of records) {
        const result = parseSaleRecord(record);
        if ("sale" in result) sales.push(result.sale);
        else skipped.set(result.reason, (skipped.get(result.reason) ?? 0) + 1);
    }
    return { sales, skipped, rowsRead: records.length };
}

/** Reads a King County CSV file; a missing or unreadable file is a DataError naming the path. */
export function readSalesCsv(file: string): ParsedSales {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (err) {
        throw new DataError(`--data ${file}: cannot read file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
    return parseSalesCsv(text, file);
}

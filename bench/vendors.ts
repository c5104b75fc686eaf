/** The three vendors as the benchmarks see them: documented limits, mailform's pacing, call counts. */
import { AdminClient } from "../emulators/admin-client";
import { MAILJET_RATE_LIMIT } from "../emulators/mailjet";
import { MAILTRAP_RATE_LIMIT } from "../emulators/mailtrap";
import { SENDGRID_RATE_LIMIT } from "../emulators/sendgrid";

export const VENDORS = ["mailtrap", "sendgrid", "mailjet"] as const;
export type Vendor = (typeof VENDORS)[number];
export type Calls = Record<Vendor, number>;

/** The documented limits the emulators enforce. */
export const LIMITS: Record<Vendor, { limit: number; windowMs: number }> = { mailtrap: MAILTRAP_RATE_LIMIT, sendgrid: SENDGRID_RATE_LIMIT, mailjet: MAILJET_RATE_LIMIT };
/** The same limits, in requests per second. */
export const RATES = Object.fromEntries(VENDORS.map((v) => [v, LIMITS[v].limit / (LIMITS[v].windowMs / 1000)])) as Record<Vendor, number>;

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Calls per vendor since the last reset of the emulators' counters, then resets them. */
export async function callsSince(admin: AdminClient): Promise<Calls> {
  const { byVendor } = await admin.requestSummary();
  await admin.resetRequestCounts();
  return Object.fromEntries(VENDORS.map((v) => [v, byVendor[v] ?? 0])) as Calls;
}

/** Answers 429 per vendor in the emulators' counters (not reset). */
export async function refusals(admin: AdminClient): Promise<Calls> {
  const entries = await admin.requestCounts();
  return Object.fromEntries(VENDORS.map((v) => [v, entries.filter((e) => e.vendor === v && e.status === "429").reduce((n, e) => n + e.count, 0)])) as Calls;
}

export const totalCalls = (c: Calls) => VENDORS.reduce((n, v) => n + c[v], 0);
export const fmtCalls = (c: Calls) => `${totalCalls(c)} (${VENDORS.map((v) => c[v]).join("/")})`;
export const medianCalls = (cs: Calls[]) => Object.fromEntries(VENDORS.map((v) => [v, median(cs.map((c) => c[v]))])) as Calls;

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function printTable(rows: string[][]): void {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  for (const r of rows) console.log(r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join("  "));
}

/**
 * The 200-resource stack across the three vendors applied while every vendor misbehaves, shared by
 * the end-to-end suite (test/e2e/faults.test.ts) and the benchmark (bench/faults.ts): the stack,
 * the fault mix, what the accounts hold afterwards (duplicates, orphans) and what the emulators'
 * request log says about mailform's pacing (requests per window, waits after hinted 429s).
 */
import { AdminClient, type FaultHint, type FaultSpec, type RequestLogEntry } from "../../emulators/admin-client";
import type { VendorName } from "../../emulators/core/types";
import { MAILJET_RATE_LIMIT } from "../../emulators/mailjet";
import { MAILTRAP_RATE_LIMIT } from "../../emulators/mailtrap";
import { SENDGRID_RATE_LIMIT } from "../../emulators/sendgrid";
import type { StateResource } from "./project";

export const VENDORS: VendorName[] = ["mailtrap", "sendgrid", "mailjet"];

/** The documented limits, which the emulators enforce and mailform paces to by default. */
export const DOCUMENTED_LIMITS: Record<VendorName, { limit: number; windowMs: number }> = {
  mailtrap: MAILTRAP_RATE_LIMIT,
  sendgrid: SENDGRID_RATE_LIMIT,
  mailjet: MAILJET_RATE_LIMIT,
};

/** The collections the stack fills, and how many objects each must hold. */
export const CHAOS_COUNTS = { projects: 10, sandboxes: 50, email_templates: 20, api_tokens: 10, templates: 30, api_keys: 20, template: 40, apikey: 20 };
export type ChaosCollection = keyof typeof CHAOS_COUNTS;

/** 10 projects x 5 inboxes, 20 templates, 10 tokens; 30 + 20 SendGrid; 40 + 20 Mailjet: 200. */
export function chaosStack(): Record<string, unknown> {
  const range = (n: number) => Array.from({ length: n }, (_, i) => i);
  const projects = Object.fromEntries(
    range(10).map((p) => [
      `p${p}`,
      { name: `Project ${p}`, inboxes: Object.fromEntries(range(5).map((i) => [`i${i}`, { name: `Inbox ${i}`, ...(i === 0 ? { emailUsername: `chaos-${p}` } : {}) }])) },
    ]),
  );
  return {
    mailtrap: {
      projects,
      emailTemplates: Object.fromEntries(range(20).map((t) => [`t${t}`, { name: `Template ${t}`, category: "chaos", subject: `Subject ${t}`, html: `<p>${t}</p>` }])),
      apiTokens: Object.fromEntries(range(10).map((t) => [`k${t}`, { name: `Token ${t}`, permissions: [{ project: `p${t}`, access: "viewer" }] }])),
    },
    sendgrid: {
      templates: Object.fromEntries(
        range(30).map((t) => [`t${t}`, { name: `Template ${t}`, generation: "dynamic", versions: { v1: { name: `V ${t}`, subject: `S ${t}`, html: `<p>${t}</p>` } } }]),
      ),
      apiKeys: Object.fromEntries(range(20).map((k) => [`k${k}`, { name: `Key ${k}`, scopes: ["mail.send"] }])),
    },
    mailjet: {
      templates: Object.fromEntries(range(40).map((t) => [`t${t}`, { name: `Template ${t}`, content: { html: `<p>${t}</p>`, text: `${t}` } }])),
      apiKeys: Object.fromEntries(range(20).map((k) => [`k${k}`, { name: `Key ${k}` }])),
    },
  };
}

/**
 * Per vendor: 10% of requests answered 429 (with `hint`, or split between several hints), 5%
 * answered 500/503 and 2% dropped, half of the 5xx and drops after the vendor committed the change.
 */
export async function injectChaos(admin: AdminClient, hints: FaultHint[] = ["none"]): Promise<void> {
  const specs: Omit<FaultSpec, "vendor">[] = [
    ...hints.map((hint) => ({ kind: "429" as const, rate: 0.1 / hints.length, hint })),
    { kind: "500", rate: 0.0125 },
    { kind: "503", rate: 0.0125 },
    { kind: "500-after-commit", rate: 0.0125 },
    { kind: "503-after-commit", rate: 0.0125 },
    { kind: "drop", rate: 0.01 },
    { kind: "drop-after-commit", rate: 0.01 },
  ];
  for (const vendor of VENDORS) for (const spec of specs) await admin.addFault({ vendor, ...spec });
}

interface Collection {
  vendor: VendorName;
  name: ChaosCollection;
  /** The resource type that holds its objects in state. */
  kind: string;
  id: string;
  /** What must be unique: the natural key. */
  key: (o: Record<string, unknown>) => string;
  /** Objects mailform does not manage (the account's own keys). */
  mine?: (o: Record<string, unknown>) => boolean;
}

const COLLECTIONS: Collection[] = [
  { vendor: "mailtrap", name: "projects", kind: "mailtrap:Project", id: "id", key: (o) => String(o.name) },
  // Inboxes are named per project: their natural key is project and name.
  { vendor: "mailtrap", name: "sandboxes", kind: "mailtrap:Inbox", id: "id", key: (o) => `${o.project_id}/${o.name}` },
  { vendor: "mailtrap", name: "email_templates", kind: "mailtrap:EmailTemplate", id: "id", key: (o) => String(o.name) },
  { vendor: "mailtrap", name: "api_tokens", kind: "mailtrap:ApiToken", id: "id", key: (o) => String(o.name), mine: (o) => String(o.name).startsWith("Token ") },
  { vendor: "sendgrid", name: "templates", kind: "sendgrid:Template", id: "id", key: (o) => String(o.name) },
  { vendor: "sendgrid", name: "api_keys", kind: "sendgrid:ApiKey", id: "api_key_id", key: (o) => String(o.name), mine: (o) => String(o.name).startsWith("Key ") },
  { vendor: "mailjet", name: "template", kind: "mailjet:Template", id: "ID", key: (o) => String(o.Name) },
  { vendor: "mailjet", name: "apikey", kind: "mailjet:ApiKey", id: "ID", key: (o) => String(o.Name), mine: (o) => !o.IsMaster },
];

export interface Tally {
  /** Natural keys per collection, as the accounts hold them (master and account keys left out). */
  live: Record<ChaosCollection, string[]>;
  /** Objects beyond the first with the same natural key. */
  duplicates: number;
  /** Objects in the accounts that no resource in state holds. */
  orphans: number;
  /** Resources in state whose object the accounts do not hold. */
  missing: number;
  /** Per collection: what is wrong, for a failure message; empty when nothing is. */
  problems: string[];
}

/** What the accounts hold against the state: duplicates by natural key, orphans and missing objects by id. */
export async function tally(admin: AdminClient, state: StateResource[]): Promise<Tally> {
  const live = {} as Record<ChaosCollection, string[]>;
  const problems: string[] = [];
  let duplicates = 0;
  let orphans = 0;
  let missing = 0;
  for (const c of COLLECTIONS) {
    const objects = (await admin.listObjects<Record<string, unknown>>(c.vendor, c.name)).filter(c.mine ?? (() => true));
    const keys = objects.map(c.key);
    live[c.name] = keys;
    const dup = keys.length - new Set(keys).size;
    const held = new Set(state.filter((r) => r.type === `pulumi-nodejs:dynamic/${c.kind}`).map((r) => String(r.id)));
    const ids = new Set(objects.map((o) => String(o[c.id])));
    const orphaned = objects.filter((o) => !held.has(String(o[c.id]))).map(c.key);
    const gone = [...held].filter((id) => !ids.has(id));
    duplicates += dup;
    orphans += orphaned.length;
    missing += gone.length;
    if (dup > 0) problems.push(`${c.name}: ${dup} duplicates in ${keys.join(", ")}`);
    if (orphaned.length > 0) problems.push(`${c.name}: orphans ${orphaned.join(", ")}`);
    if (gone.length > 0) problems.push(`${c.name}: state holds ids the account does not: ${gone.join(", ")}`);
    if (keys.length !== CHAOS_COUNTS[c.name]) problems.push(`${c.name}: ${keys.length} objects, expected ${CHAOS_COUNTS[c.name]}`);
  }
  return { live, duplicates, orphans, missing, problems };
}

/** Requests in the log, grouped per vendor and credential, in arrival order. */
function perCredential(log: RequestLogEntry[]): Map<string, RequestLogEntry[]> {
  const groups = new Map<string, RequestLogEntry[]>();
  for (const e of log) {
    if (e.credential === "") continue;
    const key = `${e.vendor} ${e.credential}`;
    groups.set(key, [...(groups.get(key) ?? []), e]);
  }
  for (const entries of groups.values()) entries.sort((a, b) => a.receivedAt - b.receivedAt || a.seq - b.seq);
  return groups;
}

export interface WindowPeak {
  vendor: VendorName;
  limit: number;
  windowMs: number;
  /** The most requests that arrived with one credential within any span of `windowMs`. */
  peak: number;
  /** When that span began (epoch ms). */
  at: number;
}

/**
 * The most requests any window received, per vendor: a sliding window over arrival times, so
 * stricter than the vendor's fixed windows wherever those start. Every request counts, those a
 * fault answered too (a vendor counts what arrives).
 */
export function windowPeaks(log: RequestLogEntry[], limits = DOCUMENTED_LIMITS): WindowPeak[] {
  const peaks = new Map<VendorName, WindowPeak>();
  for (const v of VENDORS) peaks.set(v, { vendor: v, ...limits[v], peak: 0, at: 0 });
  for (const entries of perCredential(log).values()) {
    const best = peaks.get(entries[0]!.vendor)!;
    for (let i = 0, j = 0; i < entries.length; i++) {
      while (entries[i]!.receivedAt - entries[j]!.receivedAt >= best.windowMs) j++;
      if (i - j + 1 > best.peak) Object.assign(best, { peak: i - j + 1, at: entries[j]!.receivedAt });
    }
  }
  return [...peaks.values()];
}

/** 429s the emulators' own rate limit answered (no fault decided them): a window mailform overran. */
export function refusedByLimit(log: RequestLogEntry[]): RequestLogEntry[] {
  return log.filter((e) => e.status === "429" && e.fault === undefined);
}

export interface HintedWait {
  vendor: VendorName;
  path: string;
  /** What the 429 asked for (`Retry-After`), ms. */
  hintMs: number;
  /** From the 429's answer to the arrival of its retry (the same request again on the credential), ms. */
  waitedMs: number;
  /**
   * When the retry was due, from the 429's answer: the latest end of the hinted pauses answered on
   * the credential before the retry came (another 429 in flight at the same time may ask for longer).
   */
  dueMs: number;
  /** The retry's window was full: the pacer, not the hint, held it. */
  paced: boolean;
}

/**
 * For each injected 429 with a `Retry-After` hint: how long its credential waited before the retry
 * came. The retry is the next request on the credential with the same method, path, query and body
 * (the log's `digest`): mailform retries every 429.
 */
export function hintedWaits(log: RequestLogEntry[], limits = DOCUMENTED_LIMITS): { waits: HintedWait[]; unretried: RequestLogEntry[] } {
  const waits: HintedWait[] = [];
  const unretried: RequestLogEntry[] = [];
  const hintOf = (e: RequestLogEntry) => {
    const h = e.status === "429" ? e.rateLimitHeaders?.["retry-after"] : undefined;
    return h === undefined ? undefined : Number(h) * 1000;
  };
  for (const entries of perCredential(log).values()) {
    const { limit, windowMs } = limits[entries[0]!.vendor];
    for (const e of entries) {
      const hintMs = hintOf(e);
      if (e.fault === undefined || hintMs === undefined) continue;
      const retry = entries.find(
        (r) => r.receivedAt >= e.answeredAt && r.seq !== e.seq && r.method === e.method && r.path === e.path && r.digest === e.digest,
      );
      if (!retry) {
        unretried.push(e);
        continue;
      }
      // The credential's pause ends with the latest hint answered before the retry came, this one's or
      // another's (a 429 to a request in flight at the same time may ask for longer).
      let due = e.answeredAt + hintMs;
      for (const o of entries) {
        const h = hintOf(o);
        if (h !== undefined && o.answeredAt < retry.receivedAt) due = Math.max(due, o.answeredAt + h);
      }
      // The pacer spaces requests by the window plus its 100 ms of slack.
      const inWindow = entries.filter((o) => o.receivedAt < retry.receivedAt && o.receivedAt > retry.receivedAt - windowMs - 150).length;
      waits.push({
        vendor: e.vendor, path: `${e.method} ${e.path}`, hintMs,
        waitedMs: retry.receivedAt - e.answeredAt, dueMs: due - e.answeredAt, paced: inWindow >= limit,
      });
    }
  }
  return { waits, unretried };
}

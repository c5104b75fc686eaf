/**
 * What SendGrid's sender-identity endpoints (`/v3/whitelabel/domains`, `/v3/whitelabel/links`)
 * share: bare-array lists paged by `limit` and `offset`, and answers to an update that the
 * documents give as a list holding the object (read tolerantly: a bare object too).
 */
import { sendgrid } from "../clients";

/** The largest page mailform asks for; a shorter page is the last. */
const PAGE = 500;

/**
 * Every object of a bare-array list, page by page. A page that brings no id not seen yet ends it:
 * the link list documents `limit` only, and an API that ignored `offset` would repeat page one.
 */
export async function listAll<T extends { id: number }>(path: string, query: Record<string, string | boolean> = {}): Promise<T[]> {
  const all = new Map<number, T>();
  for (let offset = 0; ; offset += PAGE) {
    const res = await sendgrid().request<T[]>("GET", path, { query: { ...query, limit: PAGE, offset } });
    if (!Array.isArray(res.body)) throw new Error(`SendGrid: GET ${path} answered something other than a list; nothing was changed`);
    const before = all.size;
    for (const item of res.body) all.set(item.id, item);
    if (res.body.length < PAGE || all.size === before) return [...all.values()];
  }
}

/** The object of an update's answer: `[object]` as documented, or the object itself. */
export function updated<T>(body: T | T[]): T | undefined {
  return Array.isArray(body) ? body[0] : body;
}

/** A host name as DNS compares it: trimmed, lower case, without a trailing dot. */
export const hostText = (value: unknown): string => String(value ?? "").trim().toLowerCase().replace(/\.$/, "");

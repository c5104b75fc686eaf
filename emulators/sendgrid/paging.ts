/**
 * SendGrid's general pagination: `limit` (default and maximum 500) and `offset`, with an RFC 5988
 * `Link` header naming the first, previous, next and last pages (`title` = page number).
 */
import type { EmuRequest } from "../core/types";
import { baseUrl } from "./context";
import { Validator } from "./errors";

export const DEFAULT_LIMIT = 500;

export function offsetPage<T>(req: EmuRequest, path: string, all: T[]): { items: T[]; link: string } {
  const v = new Validator();
  const int = (name: string, min: number, max: number, fallback: number): number => {
    const raw = req.query.get(name);
    if (raw === null || raw === "") return fallback;
    if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
      v.add(name, `${name} must be an integer between ${min} and ${max}`);
      return fallback;
    }
    return Number(raw);
  };
  const limit = int("limit", 1, DEFAULT_LIMIT, DEFAULT_LIMIT);
  const offset = int("offset", 0, Number.MAX_SAFE_INTEGER, 0);
  v.check();

  const url = (o: number) => `<${baseUrl(req)}${path}?limit=${limit}&offset=${o}>`;
  const page = (o: number) => Math.floor(o / limit) + 1;
  const lastOffset = all.length === 0 ? 0 : Math.floor((all.length - 1) / limit) * limit;
  const prevOffset = Math.max(0, offset - limit);
  const parts: string[] = [];
  if (offset + limit < all.length) parts.push(`${url(offset + limit)}; rel="next"; title="${page(offset + limit)}"`);
  parts.push(`${url(prevOffset)}; rel="prev"; title="${page(prevOffset)}"`);
  parts.push(`${url(lastOffset)}; rel="last"; title="${page(lastOffset)}"`);
  parts.push(`${url(0)}; rel="first"; title="1"`);
  return { items: all.slice(offset, offset + limit), link: parts.join(", ") };
}

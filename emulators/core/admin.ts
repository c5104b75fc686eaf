/**
 * The admin surface, on its own port (the vendor APIs never expose it). Bypasses auth and rate
 * limits; acts on the stored objects directly. Errors are `{"error":"..."}` with 400/403/404/415.
 *
 * Its perimeter, since it can read every secret and write files: it listens on loopback unless
 * told otherwise (see `index.ts`), a request that changes anything must be `application/json`
 * (a web page can post forms and text/plain to localhost without asking; JSON needs a CORS
 * preflight this server never grants), a loopback-bound server only answers requests addressed
 * to a loopback name (a DNS-rebound page sends its own host name), and state files are read and
 * written only inside the state directory.
 */
import { existsSync, mkdirSync, realpathSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { dirname, isAbsolute, relative, resolve } from "node:path";
import type { RequestCounter } from "./counters";
import { validateFaultSpec, type FaultInjector } from "./faults";
import type { RateLimiter } from "./rate-limit";
import { validateShapes, type ResponseShapes } from "./shapes";
import type { Store } from "./store";
import { isVendorName, VENDORS, type AccountSettingsHook, type VendorName } from "./types";

export interface AdminServices {
  store: Store;
  counter: RequestCounter;
  faults: FaultInjector;
  limiters: Record<VendorName, RateLimiter>;
  /** Changed in place: the vendor servers read the same object. */
  shapes: ResponseShapes;
  /** Default file for state save/load when the request names none. */
  stateFile?: string;
  /** The only directory state save/load may touch; a relative `file` is taken from here. */
  stateDir: string;
  /** The vendors' account settings (see `AccountSettingsHook`). */
  accountSettings: Partial<Record<VendorName, AccountSettingsHook>>;
  /** True when the admin server listens on a loopback address only. */
  loopbackOnly: boolean;
  urls(): Record<string, string>;
}

class AdminError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

type Json = Record<string, unknown>;

export function createAdminServer(services: AdminServices): Server {
  return createServer((req, res) => {
    handleAdmin(services, req)
      .then(({ status, body }) => reply(res, status, body))
      .catch((err: unknown) => {
        if (err instanceof AdminError) reply(res, err.status, { error: err.message });
        else reply(res, 500, { error: String(err) });
      });
  });
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  if (status === 204) {
    res.writeHead(204).end();
    return;
  }
  const data = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(data) });
  res.end(data);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new AdminError(400, `Malformed JSON: ${(err as Error).message}`);
  }
}

function asObject(value: unknown, what: string): Json {
  if (!value || typeof value !== "object" || Array.isArray(value)) throw new AdminError(400, `Expected ${what} to be a JSON object`);
  return value as Json;
}

const LOOPBACK_NAME = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/** Refuses requests a web page could have sent: see the file comment. */
function checkPerimeter(s: AdminServices, req: IncomingMessage, method: string): void {
  if (s.loopbackOnly) {
    const hostname = (req.headers.host ?? "").replace(/:\d+$/, "");
    if (!LOOPBACK_NAME.test(hostname)) {
      throw new AdminError(403, `Refused: the admin surface answers only requests addressed to a loopback name (localhost, 127.0.0.1, [::1]), not "${hostname}"`);
    }
  }
  if (method === "GET" || method === "HEAD") return;
  const type = (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/json") {
    throw new AdminError(
      415,
      `Refused: admin requests that change anything must have Content-Type: application/json (got ${type === "" ? "none" : `"${type}"`})`,
    );
  }
}

/**
 * The absolute path of a state file named by a request, which must lie inside the state
 * directory once symbolic links are resolved; anything else is refused with a message.
 */
export function stateFilePath(stateDir: string, file: string): string {
  const root = resolve(stateDir);
  const target = resolve(root, file);
  const refuse = () =>
    new AdminError(
      403,
      `Refused: state file "${file}" is outside the emulator's state directory ${root}; name a file inside it (a relative name is taken from there) or start the emulator with --state-dir`,
    );
  const rel = relative(root, target);
  if (rel === "" || rel.startsWith("..") || isAbsolute(rel)) throw refuse();
  // Resolve links: the deepest existing ancestor of the target must still be inside the directory.
  mkdirSync(root, { recursive: true });
  const realRoot = realpathSync(root);
  let existing = target;
  while (!existsSync(existing)) existing = dirname(existing);
  const realRel = relative(realRoot, realpathSync(existing));
  if (realRel.startsWith("..") || isAbsolute(realRel) || (realRel === "" && existing === target)) throw refuse();
  return target;
}

async function handleAdmin(s: AdminServices, req: IncomingMessage): Promise<{ status: number; body?: unknown }> {
  const method = (req.method ?? "GET").toUpperCase();
  const url = new URL(req.url ?? "/", "http://admin.invalid");
  const parts = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
  checkPerimeter(s, req, method);
  if (parts[0] !== "admin") throw new AdminError(404, `No admin route ${method} ${url.pathname}`);
  const route = `${method} /${parts.slice(1, 2).join("/")}`;
  const body = await readJson(req);

  switch (route) {
    case "GET /":
    case "GET /info":
      return { status: 200, body: { urls: s.urls(), vendors: VENDORS } };
    case "GET /requests":
      if (parts.length === 2) return { status: 200, body: s.counter.snapshot() };
      if (parts[2] === "log" && parts.length === 3) return { status: 200, body: requestLog(s, url.searchParams) };
      break;
    case "POST /requests":
      if (parts[2] === "reset" && parts.length === 3) {
        s.counter.reset();
        return { status: 200, body: s.counter.snapshot() };
      }
      break;
    case "POST /reset":
      s.store.reset();
      s.counter.reset();
      for (const limiter of Object.values(s.limiters)) limiter.reset();
      return { status: 200, body: { reset: true } };
    case "GET /objects":
    case "PATCH /objects":
    case "PUT /objects":
    case "DELETE /objects":
      return objects(s, method, parts.slice(2), body);
    case "GET /faults":
      return { status: 200, body: s.faults.list() };
    case "POST /faults": {
      const specs = Array.isArray(body) ? body : [body];
      const added = specs.map((spec) => {
        const checked = validateFaultSpec(spec);
        if (typeof checked === "string") throw new AdminError(400, checked);
        return checked;
      });
      const created = added.map((spec) => s.faults.add(spec));
      return { status: 201, body: Array.isArray(body) ? created : created[0] };
    }
    case "DELETE /faults":
      s.faults.clear();
      return { status: 204 };
    case "POST /state": {
      const named = body === undefined ? undefined : asObject(body, "the body").file;
      if (named !== undefined && (typeof named !== "string" || named === "")) throw new AdminError(400, "Expected `file` to be a file name");
      if (named === undefined && s.stateFile === undefined) throw new AdminError(400, "Expected `file` (no default state file configured)");
      // The configured file is the operator's choice; a file named in a request must stay inside the state directory.
      const file = named === undefined ? s.stateFile! : stateFilePath(s.stateDir, named);
      if (parts[2] === "save") {
        s.store.saveTo(file);
        return { status: 200, body: { saved: file } };
      }
      if (parts[2] === "load") {
        try {
          s.store.loadFrom(file);
        } catch (err) {
          throw new AdminError(400, `Cannot load ${file}: ${(err as Error).message}`);
        }
        for (const limiter of Object.values(s.limiters)) limiter.reset();
        return { status: 200, body: { loaded: file } };
      }
      break;
    }
    case "GET /response-shapes":
      return { status: 200, body: s.shapes };
    case "PUT /response-shapes": {
      const checked = validateShapes(body);
      if (typeof checked === "string") throw new AdminError(400, checked);
      Object.assign(s.shapes, checked);
      return { status: 200, body: s.shapes };
    }
    case "GET /account-settings":
    case "PUT /account-settings": {
      const vendor = parts[2];
      if (parts.length !== 3 || !isVendorName(vendor)) throw new AdminError(404, `No admin route ${method} ${url.pathname}: name a vendor`);
      const hook = s.accountSettings[vendor];
      if (!hook) throw new AdminError(404, `The ${vendor} emulator has no account settings`);
      const store = s.store.vendor(vendor);
      if (method === "GET") return { status: 200, body: hook.get(store) };
      const after = hook.put(store, body);
      if (typeof after === "string") throw new AdminError(400, after);
      return { status: 200, body: after };
    }
    case "GET /rate-limits":
      return { status: 200, body: rateLimits(s) };
    case "PUT /rate-limits":
      configureRateLimits(s, asObject(body, "the body"));
      return { status: 200, body: rateLimits(s) };
  }
  throw new AdminError(404, `No admin route ${method} ${url.pathname}`);
}

function objects(s: AdminServices, method: string, rest: string[], body: unknown): { status: number; body?: unknown } {
  const [vendor, collection, id, ...extra] = rest;
  if (!isVendorName(vendor)) throw new AdminError(404, `Unknown vendor ${String(vendor)}`);
  const store = s.store.vendor(vendor);
  if (extra.length > 0) throw new AdminError(404, "Too many path segments");
  if (collection === undefined) {
    if (method !== "GET") throw new AdminError(404, "Name a collection");
    const names = store.collectionNames();
    return { status: 200, body: Object.fromEntries(names.map((n) => [n, store.collection(n).size])) };
  }
  const items = store.collection(collection);
  if (id === undefined) {
    if (method !== "GET") throw new AdminError(404, "Name an object id");
    return { status: 200, body: items.list() };
  }
  if (method === "PUT") {
    // Made outside the API (a person invited from the web UI): stored as given, under this id.
    const next = { ...asObject(body, "the body"), id: /^\d+$/.test(id) ? Number(id) : id };
    items.set(id, next);
    return { status: 200, body: next };
  }
  const current = items.get(id);
  if (!current) throw new AdminError(404, `No ${vendor} ${collection} object with id ${id}`);
  if (method === "GET") return { status: 200, body: current };
  if (method === "DELETE") {
    items.delete(id);
    return { status: 200, body: current };
  }
  // PATCH: shallow merge; `null` stores null. The object stays under its key whatever the body says.
  const patch = asObject(body, "the body");
  const next = { ...current, ...patch };
  items.set(id, next);
  return { status: 200, body: next };
}

function requestLog(s: AdminServices, query: URLSearchParams): ReturnType<RequestCounter["log"]> {
  const vendor = query.get("vendor") ?? undefined;
  const after = query.get("after") ?? undefined;
  if (vendor !== undefined && !isVendorName(vendor)) throw new AdminError(400, "Expected `vendor` to be one of mailtrap, sendgrid, mailjet");
  if (after !== undefined && !/^\d+$/.test(after)) throw new AdminError(400, "Expected `after` to be a sequence number");
  return s.counter.log({ vendor, after: after === undefined ? undefined : Number(after) });
}

function rateLimits(s: AdminServices): Record<string, { limit: number; windowMs: number; enabled: boolean }> {
  return Object.fromEntries(
    Object.entries(s.limiters).map(([vendor, l]) => [vendor, { ...l.policy, enabled: l.enabled }]),
  );
}

function configureRateLimits(s: AdminServices, body: Json): void {
  const { vendor, limit, windowMs, enabled } = body;
  if (vendor !== undefined && !isVendorName(vendor)) throw new AdminError(400, "Expected `vendor` to be one of mailtrap, sendgrid, mailjet");
  if (limit !== undefined && (!Number.isInteger(limit) || (limit as number) < 1)) throw new AdminError(400, "Expected `limit` to be an integer from 1 and up");
  if (windowMs !== undefined && (!Number.isInteger(windowMs) || (windowMs as number) < 1)) throw new AdminError(400, "Expected `windowMs` to be an integer from 1 and up");
  if (enabled !== undefined && typeof enabled !== "boolean") throw new AdminError(400, "Expected `enabled` to be a boolean");
  const targets = vendor === undefined ? VENDORS : [vendor];
  for (const v of targets) {
    s.limiters[v].configure(
      { ...(limit !== undefined ? { limit: limit as number } : {}), ...(windowMs !== undefined ? { windowMs: windowMs as number } : {}) },
      enabled as boolean | undefined,
    );
  }
}

/**
 * IP Access Management, `/v3/access_settings` (tsg_ip_access_management_v3.json): the account's
 * allow list (`/whitelist`: add several IPs in one POST, remove several ids in one DELETE, list,
 * read and remove one) and its recent access attempts (`/activity`).
 *
 * The allow list is enforced: once it holds any entry, a request from an address no entry covers
 * is refused with the documented 403 and recorded in the activity as not allowed ("It is possible
 * to remove your own IP address from your list of allowed addresses, thus blocking your own access
 * to your account"); an empty list allows every address. Each owner (the account, or the subuser
 * `On-Behalf-Of` names) has its own list and activity, enforced on the requests made for it. Every
 * authenticated request is recorded (`auth_method` `API`, `location` unknown to the emulator).
 *
 * Choices where the document is silent: entries are IPv4 addresses, CIDR blocks or `*` wildcards
 * (`192.*.*.*`), stored as CIDR blocks with the host bits cleared (`192.168.1.1` -> `/32`, the
 * document's examples); an address already on the list is not added twice (the POST answers its
 * rule); a DELETE naming an id that is not on the list answers 404 and removes nothing; the
 * activity is newest first.
 */
import type { VendorStore } from "../core/store";
import { route, type Caller, type SgContext } from "./context";
import { fail, forbidden, objectBody } from "./errors";
import type { EmuRequest } from "../core/types";

export interface AccessRule {
  id: number;
  owner: string;
  ip: string;
  created_at: number;
  updated_at: number;
}

interface AccessAttempt {
  owner: string;
  ip: string;
  allowed: boolean;
  auth_method: string;
  first_at: number;
  last_at: number;
  location: string;
}

export const ACCESS_COLLECTIONS = { rules: "access_whitelist", activity: "access_activity" } as const;
const WL = "/v3/access_settings/whitelist";

const rules = (store: VendorStore) => store.collection<AccessRule>(ACCESS_COLLECTIONS.rules);
const activity = (store: VendorStore) => store.collection<AccessAttempt>(ACCESS_COLLECTIONS.activity);
const ownRules = (store: VendorStore, owner: string) => rules(store).list().filter((r) => r.owner === owner);
const now = () => Math.floor(Date.now() / 1000);

/** `a.b.c.d` as a 32-bit number; undefined when it is not one. */
function ipv4(text: string): number | undefined {
  const parts = text.split(".");
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return undefined;
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}
const dotted = (n: number) => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join(".");

/** An entry as SendGrid stores it (`a.b.c.d/n`, host bits cleared), or undefined when it is not an IPv4 entry. */
export function cidrOf(raw: string): string | undefined {
  const text = raw.trim();
  let address: string;
  let bits: number;
  if (text.includes("*")) {
    const parts = text.split(".");
    const wild = parts.findIndex((p) => p === "*");
    if (parts.length !== 4 || wild < 0 || parts.slice(wild).some((p) => p !== "*")) return undefined;
    address = parts.map((p) => (p === "*" ? "0" : p)).join(".");
    bits = wild * 8;
  } else {
    const [a, b, extra] = text.split("/");
    if (extra !== undefined || (b !== undefined && (!/^\d{1,2}$/.test(b) || Number(b) > 32))) return undefined;
    address = a!;
    bits = b === undefined ? 32 : Number(b);
  }
  const n = ipv4(address);
  if (n === undefined) return undefined;
  const size = 2 ** (32 - bits);
  return `${dotted(Math.floor(n / size) * size)}/${bits}`;
}

function covers(cidr: string, ip: string): boolean {
  const [net, bits] = cidr.split("/");
  const a = ipv4(net!);
  const b = ipv4(ip);
  if (a === undefined || b === undefined) return false;
  const size = 2 ** (32 - Number(bits));
  return Math.floor(a / size) === Math.floor(b / size);
}

/**
 * Records the request in the owner's activity and refuses it (403) when the owner's allow list
 * holds entries and none covers the caller's address. Called for every authenticated request.
 */
export function enforceAllowList(req: EmuRequest, store: VendorStore, caller: Caller): void {
  const list = ownRules(store, caller.owner);
  const allowed = list.length === 0 || list.some((r) => covers(r.ip, req.remoteAddress));
  const key = `${caller.owner}\n${req.remoteAddress}\n${allowed}`;
  const t = now();
  const seen = activity(store).get(key);
  activity(store).set(key, {
    owner: caller.owner, ip: req.remoteAddress, allowed, auth_method: "API", first_at: seen?.first_at ?? t, last_at: t, location: "",
  });
  if (!allowed) throw forbidden();
}

const shown = ({ id, ip, created_at, updated_at }: AccessRule) => ({ id, ip, created_at, updated_at });

function listActivity(ctx: SgContext) {
  const raw = ctx.req.query.get("limit");
  if (raw !== null && (!/^\d+$/.test(raw) || Number(raw) < 1)) throw fail(400, "limit must be a positive integer", "limit");
  const limit = raw === null ? 20 : Number(raw);
  const own = activity(ctx.store).list().filter((a) => a.owner === ctx.caller.owner);
  const result = own
    .sort((a, b) => b.last_at - a.last_at)
    .slice(0, limit)
    .map(({ owner: _o, ...a }) => ({ ...a, location: a.location || "Unknown" }));
  return { status: 200, body: { result } };
}

function addIps(ctx: SgContext) {
  const body = objectBody(ctx.body);
  const ips = body.ips;
  if (!Array.isArray(ips) || ips.length === 0) throw fail(400, "ips are required", "ips");
  const wanted: string[] = [];
  for (const [i, item] of ips.entries()) {
    const raw = (item as { ip?: unknown } | null)?.ip;
    const cidr = typeof raw === "string" ? cidrOf(raw) : undefined;
    if (!cidr) throw fail(400, `invalid ip address`, `ips[${i}].ip`);
    wanted.push(cidr);
  }
  const own = ownRules(ctx.store, ctx.caller.owner);
  const result = [...new Set(wanted)].map((ip) => {
    const existing = own.find((r) => r.ip === ip);
    if (existing) return shown(existing);
    const t = now();
    const id = ctx.store.nextId(ACCESS_COLLECTIONS.rules, 1);
    return shown(rules(ctx.store).set(id, { id, owner: ctx.caller.owner, ip, created_at: t, updated_at: t }));
  });
  return { status: 201, body: { result } };
}

function owned(ctx: SgContext, id: unknown): AccessRule {
  const rule = typeof id === "number" || (typeof id === "string" && /^\d+$/.test(id)) ? rules(ctx.store).get(Number(id)) : undefined;
  if (!rule || rule.owner !== ctx.caller.owner) throw fail(404, "rule not found", "ids");
  return rule;
}

function removeIps(ctx: SgContext) {
  const ids = objectBody(ctx.body).ids;
  if (!Array.isArray(ids) || ids.length === 0 || ids.some((i) => !Number.isInteger(i))) throw fail(400, "ids must be a list of integers", "ids");
  const found = ids.map((i) => owned(ctx, i)); // every id is checked before any is removed
  for (const r of found) rules(ctx.store).delete(r.id);
  return { status: 204 };
}

export function accessRoutes() {
  return [
    route("GET", "/v3/access_settings/activity", "access_settings.activity.read", listActivity),
    route("GET", WL, "access_settings.whitelist.read", (ctx) => ({ status: 200, body: { result: ownRules(ctx.store, ctx.caller.owner).map(shown) } })),
    route("POST", WL, "access_settings.whitelist.create", addIps),
    route("DELETE", WL, "access_settings.whitelist.delete", removeIps),
    route("GET", `${WL}/{rule_id}`, "access_settings.whitelist.read", (ctx) => ({ status: 200, body: { result: [shown(owned(ctx, ctx.params.rule_id))] } })),
    route("DELETE", `${WL}/{rule_id}`, "access_settings.whitelist.delete", (ctx) => {
      rules(ctx.store).delete(owned(ctx, ctx.params.rule_id).id);
      return { status: 204 };
    }),
  ];
}

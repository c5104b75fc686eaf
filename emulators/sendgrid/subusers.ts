/**
 * Subusers, `/v3/subusers` (tsg_subusers_v3.json): accounts under the parent, each with its own
 * objects (templates, keys, groups, webhooks, teammates, allow list...), which the parent reaches
 * with its own key and `On-Behalf-Of: <username>`. Emulated: the list (a bare array, filtered by
 * `username`, paged by `limit` and `offset`), create (`username`, `email`, `password` and `ips`
 * required; a username taken answers 400 `username exists`), enable/disable and delete. The document
 * has no read of one subuser: the list filtered by `username` is the read. Only the account itself
 * manages subusers; `On-Behalf-Of` naming a subuser that does not exist answers 403 (context.ts).
 * Deleting a subuser leaves its objects in the store, unreachable.
 */
import type { VendorStore } from "../core/store";
import { route, type SgContext } from "./context";
import { fail, forbidden, objectBody, Validator } from "./errors";

export interface SubuserRecord {
  id: number;
  username: string;
  email: string;
  disabled: boolean;
}

const COLLECTION = "subusers";
export const subusers = (store: VendorStore) => store.collection<SubuserRecord>(COLLECTION);

/** `account-id <id>` (a customer account) is not a subuser: it is taken as it is. */
export const subuserExists = (store: VendorStore, name: string): boolean => name.startsWith("account-id ") || subusers(store).has(name);

const shown = ({ id, username, email, disabled }: SubuserRecord) => ({ disabled, email, id, username });

function parentOnly(ctx: SgContext): void {
  if (ctx.caller.owner !== "") throw forbidden("you dont have permission to access this resource");
}

function list(ctx: SgContext) {
  parentOnly(ctx);
  const q = ctx.req.query;
  const int = (name: string, fallback: number) => {
    const raw = q.get(name);
    if (raw === null || raw === "") return fallback;
    if (!/^\d+$/.test(raw)) throw fail(400, `${name} must be a non-negative integer`, name);
    return Number(raw);
  };
  const limit = int("limit", 100);
  const offset = int("offset", 0);
  const username = q.get("username");
  const all = subusers(ctx.store).list().filter((s) => username === null || s.username === username);
  return { status: 200, body: all.slice(offset, offset + limit).map(shown) };
}

function create(ctx: SgContext) {
  parentOnly(ctx);
  const body = objectBody(ctx.body);
  const v = new Validator();
  const username = v.string(body, "username", { required: true, max: 64 });
  const email = v.string(body, "email", { required: true });
  v.string(body, "password", { required: true });
  if (!Array.isArray(body.ips) || body.ips.some((i) => typeof i !== "string")) v.add("ips", "ips must be a list of IP addresses");
  if (email !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) v.add("email", "email is invalid");
  v.check();
  if (subusers(ctx.store).has(username!)) throw fail(400, "username exists", "username");
  const record = subusers(ctx.store).set(username!, { id: ctx.store.nextId(COLLECTION, 1001), username: username!, email: email!, disabled: false });
  return { status: 200, body: { username: record.username, user_id: record.id, email: record.email, credit_allocation: { type: "unlimited" } } };
}

function named(ctx: SgContext): SubuserRecord {
  const found = subusers(ctx.store).get(ctx.params.subuser_name!);
  if (!found) throw fail(400, "invalid username", "username");
  return found;
}

export function subuserRoutes() {
  return [
    route("GET", "/v3/subusers", "subusers.read", list),
    route("POST", "/v3/subusers", "subusers.create", create),
    route("PATCH", "/v3/subusers/{subuser_name}", "subusers.update", (ctx) => {
      parentOnly(ctx);
      const disabled = objectBody(ctx.body).disabled;
      if (typeof disabled !== "boolean") throw fail(400, "no fields provided", "disabled");
      subusers(ctx.store).set(named(ctx).username, { ...named(ctx), disabled });
      return { status: 204 };
    }),
    route("DELETE", "/v3/subusers/{subuser_name}", "subusers.delete", (ctx) => {
      parentOnly(ctx);
      subusers(ctx.store).delete(named(ctx).username);
      return { status: 204 };
    }),
  ];
}

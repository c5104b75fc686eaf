/**
 * Unsubscribe (suppression) groups, `/v3/asm/groups`: `{name (<=30, unique per user),
 * description (<=100), is_default}`; at most one default group. The spec answers a PATCH
 * with 201. The list takes repeated `id` parameters to pick groups.
 */
import type { VendorStore } from "../core/store";
import type { EmuResponse } from "../core/types";
import { COLLECTIONS, route, type SgContext } from "./context";
import { notFound, objectBody, Validator } from "./errors";

export interface GroupRecord {
  id: number;
  owner: string;
  name: string;
  description: string;
  is_default: boolean;
  unsubscribes: number;
}

export function groups(store: VendorStore) {
  return store.collection<GroupRecord>(COLLECTIONS.groups);
}

function own(ctx: SgContext): GroupRecord[] {
  return groups(ctx.store).list().filter((g) => g.owner === ctx.caller.owner);
}

function ownGroup(ctx: SgContext): GroupRecord {
  const raw = ctx.params.group_id ?? "";
  const group = /^\d+$/.test(raw) ? groups(ctx.store).get(Number(raw)) : undefined;
  if (!group || group.owner !== ctx.caller.owner) throw notFound();
  return group;
}

function render(g: GroupRecord): Record<string, unknown> {
  return { id: g.id, name: g.name, description: g.description, is_default: g.is_default, unsubscribes: g.unsubscribes };
}

function validate(ctx: SgContext, body: Record<string, unknown>, creating: boolean, self?: GroupRecord) {
  const v = new Validator();
  const name = v.string(body, "name", { required: creating, max: 30 });
  const description = v.string(body, "description", { required: creating, max: 100 });
  const isDefault = v.boolean(body, "is_default");
  if (name !== undefined && own(ctx).some((g) => g.id !== self?.id && g.name === name)) {
    v.add("name", "name must be unique among your suppression groups");
  }
  v.check();
  return { name, description, isDefault };
}

/** Saves `group`; when it becomes the default, no other group stays default. */
function save(ctx: SgContext, group: GroupRecord): GroupRecord {
  if (group.is_default) {
    for (const other of own(ctx)) if (other.id !== group.id && other.is_default) groups(ctx.store).set(other.id, { ...other, is_default: false });
  }
  return groups(ctx.store).set(group.id, group);
}

function create(ctx: SgContext): EmuResponse {
  const f = validate(ctx, objectBody(ctx.body), true);
  const id = ctx.store.nextId(COLLECTIONS.groups, 101);
  const group = save(ctx, { id, owner: ctx.caller.owner, name: f.name!, description: f.description!, is_default: f.isDefault ?? false, unsubscribes: 0 });
  return { status: 201, body: { id: group.id, name: group.name, description: group.description, is_default: group.is_default } };
}

function list(ctx: SgContext): EmuResponse {
  const ids = ctx.req.query.getAll("id").filter((s) => s !== "");
  const v = new Validator();
  if (ids.some((s) => !/^\d+$/.test(s))) v.add("id", "id must be an integer");
  v.check();
  const wanted = new Set(ids.map(Number));
  const found = own(ctx).filter((g) => wanted.size === 0 || wanted.has(g.id));
  return { status: 200, body: found.map(render) };
}

function update(ctx: SgContext): EmuResponse {
  const group = ownGroup(ctx);
  const f = validate(ctx, objectBody(ctx.body), false, group);
  const next = save(ctx, {
    ...group,
    ...(f.name !== undefined ? { name: f.name } : {}),
    ...(f.description !== undefined ? { description: f.description } : {}),
    ...(f.isDefault !== undefined ? { is_default: f.isDefault } : {}),
  });
  return { status: 201, body: render(next) };
}

export function groupRoutes() {
  const G = "/v3/asm/groups";
  return [
    route("POST", G, "asm.groups.create", create),
    route("GET", G, "asm.groups.read", list),
    route("GET", `${G}/{group_id}`, "asm.groups.read", (ctx) => ({ status: 200, body: render(ownGroup(ctx)) })),
    route("PATCH", `${G}/{group_id}`, "asm.groups.update", update),
    route("DELETE", `${G}/{group_id}`, "asm.groups.delete", (ctx) => {
      groups(ctx.store).delete(ownGroup(ctx).id);
      return { status: 204 };
    }),
  ];
}

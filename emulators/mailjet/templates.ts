/**
 * `template` and `template/{id}/detailcontent`. A template is addressed by its numeric `ID` or by
 * `OwnerType|Name`; (`OwnerType`, `OwnerId`, `Name`) is unique. `OwnerId` is the calling key's
 * ID for `apikey` templates, the account's user id for `user` ones and 0 for `global` ones; a key
 * sees its own `apikey` templates and every `user` and `global` one. `OwnerType` is writable: a
 * PUT of another one keeps the `ID` and sets `OwnerId` anew. The content lives in the
 * `template_detailcontent` collection under the template's ID: POST replaces it (a part left out
 * becomes empty), PUT merges it (a part left out keeps its value; `Headers` is one part).
 */
import { isDeepStrictEqual } from "node:util";
import type { Route, RouteContext } from "../core/types";
import { callerKey, USER_ID } from "./apikeys";
import { badRequest } from "./errors";
import {
  byInteger,
  byList,
  byString,
  findRecord,
  NOT_MODIFIED,
  ok,
  parseBodyObject,
  REST,
  restRoutes,
  selectionMethod,
  timestamp,
  type Json,
  type ResourceSpec,
} from "./rest";

export const OWNER_TYPES = ["apikey", "user", "global"] as const;
export const PURPOSES = ["marketing", "transactional", "automation"] as const;
/** 1 drag-and-drop tool, 2 html, 3 saved section, 4 MJML. */
export const EDIT_MODES = [1, 2, 3, 4] as const;
/** What a template created without them has (the guides name no default; these are ours). */
export const TEMPLATE_DEFAULTS = { EditMode: 1, Locale: "en_US", OwnerType: "apikey" } as const;

export const CONTENT_COLLECTION = "template_detailcontent";
export const CONTENT_PARTS = ["Headers", "Html-part", "Text-part", "MJMLContent"] as const;
const EMPTY_CONTENT: Json = { Headers: {}, "Html-part": "", "Text-part": "", MJMLContent: "" };

const LOCALE = /^[a-z]{2,3}_[A-Z0-9]{2,3}$/;

function ownerId(ctx: RouteContext, ownerType: unknown): number {
  if (ownerType === "user") return USER_ID;
  if (ownerType === "global") return 0;
  return callerKey(ctx).ID as number;
}

export const templateSpec: ResourceSpec = {
  name: "template",
  idStart: 3000001,
  writable: {
    Author: { type: "string", default: "" },
    Categories: { type: "string[]", default: [] },
    Copyright: { type: "string", default: "" },
    Description: { type: "string", default: "" },
    EditMode: { type: "integer", values: EDIT_MODES, default: TEMPLATE_DEFAULTS.EditMode },
    IsStarred: { type: "boolean", default: false },
    IsTextPartGenerationEnabled: { type: "boolean", default: false },
    Locale: {
      type: "string",
      default: TEMPLATE_DEFAULTS.Locale,
      check: (v) => (LOCALE.test(v as string) ? undefined : `expected a locale such as en_US, got "${String(v)}"`),
    },
    Name: { type: "string", required: true, nonEmpty: true },
    // Writable (mailjet.md, Template.ts's PutTemplateBody): a PUT moves the template to another
    // owner under the same ID.
    OwnerType: { type: "string", values: OWNER_TYPES, default: TEMPLATE_DEFAULTS.OwnerType },
    Presets: { type: "string", default: "" },
    Purposes: { type: "string[]", values: PURPOSES, default: [] },
  },
  readOnly: ["ID", "OwnerId", "Previews", "CreatedAt", "LastUpdatedAt", "LocaleList"],
  filters: {
    Categories: byList("Categories"),
    CategoriesSelectionMethod: selectionMethod("CategoriesSelectionMethod"),
    EditMode: byInteger("EditMode"),
    Name: byString("Name"),
    OwnerType: byString("OwnerType"),
    Purposes: byList("Purposes"),
    PurposesSelectionMethod: selectionMethod("PurposesSelectionMethod"),
  },
  init(ctx, fields) {
    const now = timestamp();
    return { OwnerId: ownerId(ctx, fields.OwnerType), Previews: [], CreatedAt: now, LastUpdatedAt: now };
  },
  derive: (ctx, next, current) => (next.OwnerType === current.OwnerType ? {} : { OwnerId: ownerId(ctx, next.OwnerType) }),
  visible: (ctx, t) => t.OwnerType !== "apikey" || t.OwnerId === callerKey(ctx).ID,
  lookupKey(_ctx, raw, all) {
    const bar = raw.indexOf("|");
    if (bar < 0) return undefined;
    const [type, name] = [raw.slice(0, bar), raw.slice(bar + 1)];
    return all.find((t) => t.OwnerType === type && t.Name === name);
  },
  validate(ctx, candidate, current) {
    const clash = ctx.store
      .collection<Json>("template")
      .list()
      .find(
        (t) =>
          t.ID !== current?.ID &&
          t.OwnerType === candidate.OwnerType &&
          t.OwnerId === candidate.OwnerId &&
          t.Name === candidate.Name,
      );
    if (clash) {
      throw badRequest(
        `A template with OwnerType "${String(candidate.OwnerType)}" and Name "${String(candidate.Name)}" already exists (ID ${String(clash.ID)})`,
      );
    }
  },
  render: (t) => ({ ...t, LocaleList: [t.Locale] }),
  touch: () => ({ LastUpdatedAt: timestamp() }),
  afterDelete(ctx, t) {
    ctx.store.collection<Json>(CONTENT_COLLECTION).delete(t.ID as number);
  },
};

function contentOf(ctx: RouteContext, template: Json): Json {
  return { ...EMPTY_CONTENT, ...ctx.store.collection<Json>(CONTENT_COLLECTION).get(template.ID as number) };
}

function validateContent(body: Json): Json {
  for (const [key, value] of Object.entries(body)) {
    if (!(CONTENT_PARTS as readonly string[]).includes(key)) {
      throw badRequest(`Invalid json input: detailcontent has no property "${key}" (expected ${CONTENT_PARTS.join(", ")})`);
    }
    if (key === "Headers") {
      const ok = value && typeof value === "object" && !Array.isArray(value) && Object.values(value).every((h) => typeof h === "string");
      if (!ok) throw badRequest(`Invalid value for property "Headers": expected an object of header names to strings`);
    } else if (typeof value !== "string") {
      throw badRequest(`Invalid value for property "${key}": expected a string`);
    }
  }
  return body;
}

function saveContent(ctx: RouteContext, template: Json, content: Json): Json {
  ctx.store.collection<Json>(CONTENT_COLLECTION).set(template.ID as number, content);
  ctx.store.collection<Json>("template").set(template.ID as number, { ...template, ...templateSpec.touch!(template) });
  return content;
}

function contentRoutes(): Route[] {
  const pattern = `${REST}/template/{id}/detailcontent`;
  return [
    {
      method: "GET",
      pattern,
      handle: (ctx) => ok([contentOf(ctx, findRecord(ctx, templateSpec, ctx.params.id))]),
    },
    {
      method: "POST",
      pattern,
      handle(ctx) {
        const template = findRecord(ctx, templateSpec, ctx.params.id);
        const given = validateContent(parseBodyObject(ctx.body, true));
        return ok([saveContent(ctx, template, { ...EMPTY_CONTENT, ...given })], 201);
      },
    },
    {
      method: "PUT",
      pattern,
      handle(ctx) {
        const template = findRecord(ctx, templateSpec, ctx.params.id);
        const current = contentOf(ctx, template);
        const next = { ...current, ...validateContent(parseBodyObject(ctx.body, false)) };
        if (isDeepStrictEqual(next, current)) return NOT_MODIFIED;
        return ok([saveContent(ctx, template, next)]);
      },
    },
  ];
}

export function templateRoutes(): Route[] {
  // The content routes first: `{id}` spans one segment, so the two never compete anyway.
  return [...contentRoutes(), ...restRoutes(templateSpec)];
}

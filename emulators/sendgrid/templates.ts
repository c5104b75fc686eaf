/**
 * Transactional templates and their versions. Versions live inside their template (stored
 * embedded; there is no list endpoint of their own). At most one version is active; the first
 * version of a template is activated whatever the request said. `generation` is fixed at create.
 */
import { randomBytes, randomUUID } from "node:crypto";
import type { VendorStore } from "../core/store";
import { truncateChars } from "../core/text";
import { VendorHttpError, type EmuResponse } from "../core/types";
import { baseUrl, COLLECTIONS, route, timestamp, type SgContext } from "./context";
import { fail, notFound, objectBody, Validator } from "./errors";

export const GENERATIONS = ["legacy", "dynamic"] as const;
export type Generation = (typeof GENERATIONS)[number];
export const EDITORS = ["code", "design"] as const;

/** Each user can create up to 300 templates (spec, info.description). */
export const MAX_TEMPLATES = 300;
/** html_content and plain_content: at most 1,048,576 bytes. */
export const MAX_CONTENT_BYTES = 1_048_576;

export interface VersionRecord {
  id: string;
  template_id: string;
  active: 0 | 1;
  name: string;
  subject: string;
  html_content: string;
  plain_content: string;
  generate_plain_content: boolean;
  editor: "code" | "design";
  /** A string of JSON mock data; absent until set. */
  test_data?: string;
  updated_at: string;
  thumbnail_url: string;
}

export interface TemplateRecord {
  id: string;
  owner: string;
  name: string;
  generation: Generation;
  updated_at: string;
  versions: VersionRecord[];
}

export function templates(store: VendorStore) {
  return store.collection<TemplateRecord>(COLLECTIONS.templates);
}

function ownTemplate(ctx: SgContext): TemplateRecord {
  const found = templates(ctx.store).get(ctx.params.template_id ?? "");
  if (!found || found.owner !== ctx.caller.owner) throw notFound();
  return found;
}

function ownVersion(ctx: SgContext): { template: TemplateRecord; version: VersionRecord } {
  const template = ownTemplate(ctx);
  const version = template.versions.find((v) => v.id === ctx.params.version_id);
  if (!version) throw notFound();
  return { template, version };
}

/** What the service does with `generate_plain_content`: a plain-text rendering of the HTML. */
export function plainFromHtml(html: string): string {
  return html
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, "")
    .replace(/<br\s*\/?>/gi, "\n")
    .replace(/<\/(p|div|h[1-6]|li|tr)>/gi, "\n")
    .replace(/<[^>]+>/g, "")
    .replace(/&nbsp;/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/[ \t]+/g, " ")
    .replace(/ *\n */g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

export function renderVersionLean(v: VersionRecord): Record<string, unknown> {
  return {
    id: v.id,
    template_id: v.template_id,
    active: v.active,
    name: v.name,
    subject: v.subject,
    updated_at: v.updated_at,
    generate_plain_content: v.generate_plain_content,
    html_content: v.html_content,
    plain_content: v.plain_content,
    editor: v.editor,
    thumbnail_url: v.thumbnail_url,
  };
}

export function renderVersion(v: VersionRecord): Record<string, unknown> {
  return { ...renderVersionLean(v), ...(v.test_data !== undefined ? { test_data: v.test_data } : {}) };
}

export function renderTemplate(t: TemplateRecord): Record<string, unknown> {
  return { id: t.id, name: t.name, generation: t.generation, updated_at: t.updated_at, versions: t.versions.map(renderVersionLean) };
}

function save(store: VendorStore, template: TemplateRecord): TemplateRecord {
  return templates(store).set(template.id, { ...template, updated_at: timestamp() });
}

// ---- templates ----------------------------------------------------------------------------

function createTemplate(ctx: SgContext): EmuResponse {
  const body = objectBody(ctx.body);
  const v = new Validator();
  const name = v.string(body, "name", { required: true, max: 100 });
  const generation = v.oneOf(body, "generation", GENERATIONS) ?? "legacy";
  v.check();
  const own = templates(ctx.store).list().filter((t) => t.owner === ctx.caller.owner);
  if (own.length >= MAX_TEMPLATES) throw fail(400, `you may have at most ${MAX_TEMPLATES} templates`);
  const template = save(ctx.store, { id: randomUUID(), owner: ctx.caller.owner, name: name!, generation, updated_at: "", versions: [] });
  return { status: 201, body: renderTemplate(template) };
}

function duplicateTemplate(ctx: SgContext): EmuResponse {
  const source = ownTemplate(ctx);
  const body = objectBody(ctx.body, false);
  const v = new Validator();
  const name = v.string(body, "name", { max: 100 }) ?? truncateChars(`${source.name} Copy`, 100);
  v.check();
  const id = randomUUID();
  const copy = save(ctx.store, {
    ...source,
    id,
    name,
    versions: source.versions.map((version) => ({ ...version, id: randomUUID(), template_id: id, updated_at: timestamp() })),
  });
  return { status: 201, body: renderTemplate(copy) };
}

interface PageToken {
  offset: number;
}

function encodeToken(t: PageToken): string {
  return Buffer.from(JSON.stringify(t)).toString("base64url");
}

function decodeToken(raw: string): PageToken | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(raw, "base64url").toString("utf8")) as PageToken;
    return Number.isInteger(parsed.offset) && parsed.offset >= 0 ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function listTemplates(ctx: SgContext): EmuResponse {
  const q = ctx.req.query;
  const v = new Validator();
  const rawSize = q.get("page_size");
  let pageSize = 0;
  if (rawSize === null || rawSize === "") v.add("page_size", "page_size is required");
  else if (!/^\d+$/.test(rawSize) || Number(rawSize) < 1 || Number(rawSize) > 200) {
    v.add("page_size", "page_size must be an integer between 1 and 200");
  } else pageSize = Number(rawSize);
  const rawGenerations = q.get("generations") ?? "legacy";
  const generations = rawGenerations.split(",").map((g) => g.trim());
  if (generations.length === 0 || generations.some((g) => !(GENERATIONS as readonly string[]).includes(g))) {
    v.add("generations", "generations must be legacy, dynamic or legacy,dynamic");
  }
  const rawToken = q.get("page_token");
  const token = rawToken === null || rawToken === "" ? { offset: 0 } : decodeToken(rawToken);
  if (!token) v.add("page_token", "page_token is invalid");
  // This operation documents its 400 items as `{message, error_id}`: no `field`.
  if (v.errors.length > 0) {
    throw new VendorHttpError({ status: 400, body: { errors: v.errors.map((e) => ({ message: e.message })) } });
  }

  const matching = templates(ctx.store)
    .list()
    .filter((t) => t.owner === ctx.caller.owner && generations.includes(t.generation));
  if (ctx.shapes.sendgridTemplateList === "templates") return { status: 200, body: { templates: matching.map(renderTemplate) } };
  const offset = token!.offset;
  const page = matching.slice(offset, offset + pageSize);
  const link = (o: number | undefined) => {
    const params = new URLSearchParams({ generations: rawGenerations, page_size: String(pageSize) });
    if (o !== undefined && o > 0) params.set("page_token", encodeToken({ offset: o }));
    return `${baseUrl(ctx.req)}/v3/templates?${params}`;
  };
  const metadata: Record<string, unknown> = { self: link(offset), count: matching.length };
  if (offset > 0) metadata.prev = link(Math.max(0, offset - pageSize));
  if (offset + pageSize < matching.length) metadata.next = link(offset + pageSize);
  return { status: 200, body: { result: page.map(renderTemplate), _metadata: metadata } };
}

function renameTemplate(ctx: SgContext): EmuResponse {
  const template = ownTemplate(ctx);
  const body = objectBody(ctx.body);
  const v = new Validator();
  const name = v.string(body, "name", { max: 100 });
  if (body.name !== undefined && name !== undefined && name.trim() === "") v.add("name", "name is required");
  // The generation of a template is fixed at create.
  if (body.generation !== undefined && body.generation !== template.generation) {
    v.add("generation", "generation cannot be changed");
  }
  v.check();
  const next = name === undefined ? template : save(ctx.store, { ...template, name });
  return { status: 200, body: renderTemplate(next) };
}

function deleteTemplate(ctx: SgContext): EmuResponse {
  const template = ownTemplate(ctx);
  templates(ctx.store).delete(template.id);
  return { status: 204 };
}

// ---- versions -----------------------------------------------------------------------------

interface VersionFields {
  name?: string;
  subject?: string;
  html_content?: string;
  plain_content?: string;
  generate_plain_content?: boolean;
  editor?: "code" | "design";
  test_data?: string;
  active?: 0 | 1;
}

/**
 * POST and PATCH share one documented body (PostPatchTransactionalTemplateVersion) in which
 * `name` and `subject` are required: a PATCH sends them too.
 */
function versionFields(body: Record<string, unknown>): VersionFields {
  const v = new Validator();
  const fields: VersionFields = {
    name: v.string(body, "name", { required: true, max: 100 }),
    subject: v.string(body, "subject", { required: true, max: 255 }),
    html_content: v.string(body, "html_content", { maxBytes: MAX_CONTENT_BYTES }),
    plain_content: v.string(body, "plain_content", { maxBytes: MAX_CONTENT_BYTES }),
    generate_plain_content: v.boolean(body, "generate_plain_content"),
    editor: v.oneOf(body, "editor", EDITORS),
    test_data: v.string(body, "test_data"),
    active: v.oneOf(body, "active", [0, 1] as const),
  };
  v.check();
  return fields;
}

/** Applies the service's rules for plain content: generated from HTML when asked or left empty. */
function withPlainContent(v: VersionRecord): VersionRecord {
  if (v.generate_plain_content || v.plain_content === "") return { ...v, plain_content: plainFromHtml(v.html_content) };
  return v;
}

function activate(template: TemplateRecord, versionId: string): VersionRecord[] {
  return template.versions.map((v) => ({ ...v, active: v.id === versionId ? 1 : 0 }));
}

function createVersion(ctx: SgContext): EmuResponse {
  const template = ownTemplate(ctx);
  const f = versionFields(objectBody(ctx.body));
  const id = randomUUID();
  const version = withPlainContent({
    id,
    template_id: template.id,
    // The first version of a template is activated automatically.
    active: template.versions.length === 0 ? 1 : (f.active ?? 0),
    name: f.name!,
    subject: f.subject!,
    html_content: f.html_content ?? "",
    plain_content: f.plain_content ?? "",
    generate_plain_content: f.generate_plain_content ?? true,
    editor: f.editor ?? "code",
    ...(f.test_data !== undefined ? { test_data: f.test_data } : {}),
    updated_at: timestamp(),
    thumbnail_url: thumbnail(),
  });
  let versions = [...template.versions, version];
  if (version.active === 1) versions = activate({ ...template, versions }, id);
  save(ctx.store, { ...template, versions });
  return { status: 201, body: renderVersion(versions.find((v) => v.id === id)!) };
}

function getVersion(ctx: SgContext): EmuResponse {
  return { status: 200, body: renderVersion(ownVersion(ctx).version) };
}

function updateVersion(ctx: SgContext): EmuResponse {
  const { template, version } = ownVersion(ctx);
  const f = versionFields(objectBody(ctx.body));
  const defined = Object.fromEntries(Object.entries(f).filter(([, value]) => value !== undefined)) as VersionFields;
  const changed = withPlainContent({
    ...version,
    ...defined,
    updated_at: timestamp(),
    thumbnail_url: defined.html_content !== undefined ? thumbnail() : version.thumbnail_url,
  } as VersionRecord);
  let versions = template.versions.map((v) => (v.id === version.id ? changed : v));
  if (changed.active === 1) versions = activate({ ...template, versions }, version.id);
  save(ctx.store, { ...template, versions });
  return { status: 200, body: renderVersion(versions.find((v) => v.id === version.id)!) };
}

function deleteVersion(ctx: SgContext): EmuResponse {
  const { template, version } = ownVersion(ctx);
  save(ctx.store, { ...template, versions: template.versions.filter((v) => v.id !== version.id) });
  return { status: 204 };
}

function activateVersion(ctx: SgContext): EmuResponse {
  const { template, version } = ownVersion(ctx);
  const versions = activate(template, version.id).map((v) => (v.id === version.id ? { ...v, updated_at: timestamp() } : v));
  save(ctx.store, { ...template, versions });
  return { status: 200, body: renderVersion(versions.find((v) => v.id === version.id)!) };
}

function thumbnail(): string {
  return `https://thumbnails.sendgrid.invalid/${randomBytes(16).toString("hex")}.png`;
}

export function templateRoutes() {
  const T = "/v3/templates";
  const V = `${T}/{template_id}/versions`;
  return [
    route("POST", T, "templates.create", createTemplate),
    route("GET", T, "templates.read", listTemplates),
    route("GET", `${T}/{template_id}`, "templates.read", (ctx) => ({ status: 200, body: renderTemplate(ownTemplate(ctx)) })),
    route("POST", `${T}/{template_id}`, "templates.create", duplicateTemplate),
    route("PATCH", `${T}/{template_id}`, "templates.update", renameTemplate),
    route("DELETE", `${T}/{template_id}`, "templates.delete", deleteTemplate),
    route("POST", V, "templates.versions.create", createVersion),
    route("GET", `${V}/{version_id}`, "templates.versions.read", getVersion),
    route("PATCH", `${V}/{version_id}`, "templates.versions.update", updateVersion),
    route("DELETE", `${V}/{version_id}`, "templates.versions.delete", deleteVersion),
    route("POST", `${V}/{version_id}/activate`, "templates.versions.activate.create", activateVersion),
  ];
}

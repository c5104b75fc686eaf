/**
 * Mailtrap API v1 (seed 003): `/api/v1/user`, `/api/v1/companies` (= projects),
 * `/api/v1/inboxes` (= sandboxes) and the inbox actions, over the same data as v2. Answers JSON
 * or XML, chosen by a `.json`/`.xml` suffix or by Accept/Content-Type; accepts XML bodies.
 */
import type { VendorStore } from "../core/store";
import { BodyParseError, type EmuRequest, type EmuResponse, type HttpMethod, type Route, type RouteContext } from "../core/types";
import { parseJson } from "../core/vendor-server";
import { mailtrapError } from "./errors";
import { deleteProject, newProject, newSandbox, projects, renderProject, renderSandbox, sandboxes, type SandboxRecord } from "./data";
import {
  applySandboxAction,
  findProject,
  findSandbox,
  SANDBOX_ACTIONS,
  updateSandbox,
  validateProjectName,
  validateSandboxName,
} from "./sandboxes";
import { requireWrapper, Validator } from "./validate";
import { fromXml, toXml, XmlParseError } from "./xml";

export const V1_PREFIX = "/api/v1";

export function isV1(req: EmuRequest): boolean {
  return req.path === V1_PREFIX || req.path.startsWith(`${V1_PREFIX}/`);
}

type Format = "json" | "xml";

function mediaFormat(header: string | undefined): Format | "any" | "none" | undefined {
  if (header === undefined || header.trim() === "") return undefined;
  const types = header.split(",").map((t) => t.split(";")[0]!.trim().toLowerCase());
  if (types.some((t) => t === "application/json" || t.endsWith("+json"))) return "json";
  if (types.some((t) => t === "application/xml" || t === "text/xml" || t.endsWith("+xml"))) return "xml";
  if (types.some((t) => t === "*/*" || t === "application/*" || t === "text/*")) return "any";
  return "none";
}

/** Strips the format suffix and chooses the answer's format; 406 for an Accept it cannot meet. */
export function prepareV1(req: EmuRequest): EmuResponse | void {
  if (!isV1(req)) return;
  const suffix = /\.(json|xml)$/i.exec(req.path);
  if (suffix) {
    req.path = req.path.slice(0, -suffix[0].length);
    req.notes.format = suffix[1]!.toLowerCase();
    return;
  }
  const accept = mediaFormat(req.headers.accept);
  const contentType = mediaFormat(req.headers["content-type"]);
  if (accept === "json" || accept === "xml") req.notes.format = accept;
  else if (contentType === "xml") req.notes.format = "xml";
  else req.notes.format = "json";
  if (accept === "none") return { ...mailtrapError(406, "Not Acceptable"), meta: { xmlRoot: "hash" } };
}

/** Bodies: XML on v1 paths when Content-Type says so, JSON otherwise (v2 speaks JSON only). */
export function parseV1Body(req: EmuRequest): unknown {
  if (isV1(req) && mediaFormat(req.headers["content-type"]) === "xml") {
    try {
      return fromXml(req.rawBody.toString("utf8"));
    } catch (err) {
      if (err instanceof XmlParseError) throw new BodyParseError(`Malformed XML: ${err.message}`);
      throw err;
    }
  }
  return parseJson(req.rawBody);
}

/** Turns a v1 answer into XML when that format was chosen. */
export function renderV1(res: EmuResponse, req: EmuRequest): EmuResponse {
  if (req.notes.format !== "xml" || res.body === undefined || res.raw) return res;
  const root = typeof res.meta?.xmlRoot === "string" ? res.meta.xmlRoot : Array.isArray(res.body) ? "objects" : "hash";
  return { ...res, raw: { contentType: "application/xml; charset=utf-8", data: toXml(root, res.body) } };
}

function answer(status: number, body: unknown, xmlRoot: string): EmuResponse {
  return { status, body, meta: { xmlRoot } };
}

function v1(method: HttpMethod, path: string, handle: (ctx: RouteContext) => EmuResponse): Route {
  return { method, pattern: `${V1_PREFIX}${path}`, handle };
}

/** A company is a project with `inboxes` and the caller's ownership flag. */
function renderCompany(store: VendorStore, project: Parameters<typeof renderProject>[1]): Record<string, unknown> {
  const { inboxes, ...rest } = renderProject(store, project, "inboxes");
  return { ...rest, is_owner: true, inboxes: (inboxes as Record<string, unknown>[]).map(withCompanyId) };
}

function withCompanyId(inbox: Record<string, unknown>): Record<string, unknown> {
  return { ...inbox, company_id: inbox.project_id };
}

function renderInbox(sandbox: SandboxRecord): Record<string, unknown> {
  return withCompanyId(renderSandbox(sandbox));
}

interface UserRecord {
  id: number;
  name: string;
  email: string;
}

function user(store: VendorStore): UserRecord {
  const users = store.collection<UserRecord>("users");
  return users.get(1) ?? users.set(1, { id: 1, name: "Demo User", email: "demo@mailform.invalid" });
}

export function v1Routes(): Route[] {
  return [
    v1("GET", "/user", ({ store }) => answer(200, user(store), "user")),
    v1("PATCH", "/user", ({ store, body }) => {
      const attrs = requireWrapper(body, "user");
      const v = new Validator();
      const name = v.string(attrs, "name", { required: true, max: 255 });
      v.check();
      const current = user(store);
      return answer(200, store.collection<UserRecord>("users").set(1, { ...current, name: name! }), "user");
    }),
    v1("GET", "/companies", ({ store }) =>
      answer(200, projects(store).list().map((p) => renderCompany(store, p)), "companies"),
    ),
    v1("POST", "/companies", ({ store, body }) => {
      const name = validateProjectName(requireWrapper(body, "company"));
      return answer(201, renderCompany(store, newProject(store, name)), "company");
    }),
    v1("GET", "/companies/{id}", ({ store, params }) =>
      answer(200, renderCompany(store, findProject(store, params.id)), "company"),
    ),
    v1("PATCH", "/companies/{id}", ({ store, params, body }) => {
      const project = findProject(store, params.id);
      const name = validateProjectName(requireWrapper(body, "company"));
      return answer(200, renderCompany(store, projects(store).set(project.id, { ...project, name })), "company");
    }),
    v1("DELETE", "/companies/{id}", ({ store, params }) => {
      const project = findProject(store, params.id);
      const before = renderCompany(store, project);
      deleteProject(store, project);
      return answer(200, before, "company");
    }),
    v1("POST", "/companies/{id}/inboxes", ({ store, params, body, credentials }) => {
      const project = findProject(store, params.id);
      const name = validateSandboxName(requireWrapper(body, "inbox"));
      return answer(201, renderInbox(newSandbox(store, credentials.mailtrap.accountId, project.id, name)), "inbox");
    }),
    v1("GET", "/inboxes", ({ store }) => answer(200, sandboxes(store).list().map(renderInbox), "inboxes")),
    v1("GET", "/inboxes/{id}", ({ store, params }) => answer(200, renderInbox(findSandbox(store, params.id)), "inbox")),
    v1("PATCH", "/inboxes/{id}", ({ store, params, body }) => {
      const sandbox = findSandbox(store, params.id);
      return answer(200, renderInbox(updateSandbox(store, sandbox, requireWrapper(body, "inbox"))), "inbox");
    }),
    v1("DELETE", "/inboxes/{id}", ({ store, params }) => {
      const sandbox = findSandbox(store, params.id);
      sandboxes(store).delete(sandbox.id);
      return answer(200, renderInbox(sandbox), "inbox");
    }),
    ...SANDBOX_ACTIONS.map((action) =>
      v1("PATCH", `/inboxes/{id}/${action}`, ({ store, params }) =>
        answer(200, renderInbox(applySandboxAction(store, findSandbox(store, params.id), action)), "inbox"),
      ),
    ),
  ];
}

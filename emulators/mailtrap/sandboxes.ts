/** Projects and sandboxes (inboxes): the operations, and their v2 routes in both path generations. */
import type { VendorStore } from "../core/store";
import type { Route } from "../core/types";
import {
  deleteProject,
  findOr404,
  hex,
  newEmailUsername,
  newProject,
  newSandbox,
  projects,
  renderProject,
  renderSandbox,
  sandboxes,
  type ProjectRecord,
  type SandboxRecord,
} from "./data";
import { FLAVORS, ok, route, type Flavor } from "./flavor";
import { requireWrapper as wrapper, Validator } from "./validate";

export function validateProjectName(attrs: Record<string, unknown>): string {
  const v = new Validator();
  const name = v.string(attrs, "name", { required: true, min: 2, max: 100 });
  v.check();
  return name!;
}

export function validateSandboxName(attrs: Record<string, unknown>): string {
  const v = new Validator();
  const name = v.string(attrs, "name", { required: true, max: 100 });
  v.check();
  return name!;
}

/** PATCH of a sandbox: `name` and `email_username` only; other attributes are ignored. */
export function updateSandbox(store: VendorStore, sandbox: SandboxRecord, attrs: Record<string, unknown>): SandboxRecord {
  const v = new Validator();
  const name = attrs.name === undefined ? undefined : v.string(attrs, "name", { required: true, max: 100 });
  const emailUsername =
    attrs.email_username === undefined ? undefined : v.string(attrs, "email_username", { required: true, max: 64 });
  if (emailUsername !== undefined) {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(emailUsername)) v.add("email_username", "is invalid");
    else if (sandboxes(store).list().some((s) => s.id !== sandbox.id && s.email_username === emailUsername))
      v.add("email_username", "has already been taken");
  }
  v.check();
  const next = {
    ...sandbox,
    ...(name !== undefined ? { name } : {}),
    ...(emailUsername !== undefined ? { email_username: emailUsername } : {}),
  };
  return sandboxes(store).set(sandbox.id, next);
}

export type SandboxAction = "clean" | "all_read" | "reset_credentials" | "toggle_email_username" | "reset_email_username";
export const SANDBOX_ACTIONS: SandboxAction[] = [
  "clean",
  "all_read",
  "reset_credentials",
  "toggle_email_username",
  "reset_email_username",
];

export function applySandboxAction(store: VendorStore, sandbox: SandboxRecord, action: SandboxAction): SandboxRecord {
  if (action === "toggle_email_username" && sandbox.email_username_toggle_ignored === true) return sandbox;
  const changes: Partial<SandboxRecord> = {
    clean: { emails_count: 0, emails_unread_count: 0 },
    all_read: { emails_unread_count: 0 },
    reset_credentials: { username: hex(7), password: hex(7) },
    toggle_email_username: { email_username_enabled: !sandbox.email_username_enabled },
    reset_email_username: { email_username: newEmailUsername() },
  }[action];
  return sandboxes(store).set(sandbox.id, { ...sandbox, ...changes });
}

export function findProject(store: VendorStore, raw: string | undefined): ProjectRecord {
  return findOr404(projects(store), raw);
}

export function findSandbox(store: VendorStore, raw: string | undefined): SandboxRecord {
  return findOr404(sandboxes(store), raw);
}

function routesFor(f: Flavor): Route[] {
  const { inbox, inboxes } = f;
  return [
    route(f, "GET", "/projects", ({ store }) => ok(projects(store).list().map((p) => renderProject(store, p, inboxes)))),
    route(f, "POST", "/projects", ({ store, body }) => {
      const name = validateProjectName(wrapper(body, "project"));
      return ok(renderProject(store, newProject(store, name), inboxes));
    }),
    route(f, "GET", "/projects/{project_id}", ({ store, params }) =>
      ok(renderProject(store, findProject(store, params.project_id), inboxes)),
    ),
    route(f, "PATCH", "/projects/{project_id}", ({ store, params, body }) => {
      const project = findProject(store, params.project_id);
      const name = validateProjectName(wrapper(body, "project"));
      return ok(renderProject(store, projects(store).set(project.id, { ...project, name }), inboxes));
    }),
    route(f, "DELETE", "/projects/{project_id}", ({ store, params }) => {
      const project = findProject(store, params.project_id);
      deleteProject(store, project);
      return ok({ id: project.id });
    }),
    route(f, "POST", `/projects/{project_id}/${inboxes}`, ({ store, params, body, credentials }) => {
      const project = findProject(store, params.project_id);
      const name = validateSandboxName(wrapper(body, inbox));
      return ok(renderSandbox(newSandbox(store, credentials.mailtrap.accountId, project.id, name)));
    }),
    route(f, "GET", `/${inboxes}`, ({ store }) => ok(sandboxes(store).list().map(renderSandbox))),
    route(f, "GET", `/${inboxes}/{${inbox}_id}`, ({ store, params }) =>
      ok(renderSandbox(findSandbox(store, params[`${inbox}_id`]))),
    ),
    route(f, "PATCH", `/${inboxes}/{${inbox}_id}`, ({ store, params, body }) => {
      const sandbox = findSandbox(store, params[`${inbox}_id`]);
      return ok(renderSandbox(updateSandbox(store, sandbox, wrapper(body, inbox))));
    }),
    route(f, "DELETE", `/${inboxes}/{${inbox}_id}`, ({ store, params }) => {
      const sandbox = findSandbox(store, params[`${inbox}_id`]);
      sandboxes(store).delete(sandbox.id);
      return ok(renderSandbox(sandbox));
    }),
    ...SANDBOX_ACTIONS.map((action) =>
      route(f, "PATCH", `/${inboxes}/{${inbox}_id}/${action}`, ({ store, params }) => {
        const sandbox = findSandbox(store, params[`${inbox}_id`]);
        return ok(renderSandbox(applySandboxAction(store, sandbox, action)));
      }),
    ),
  ];
}

export function sandboxRoutes(): Route[] {
  return FLAVORS.flatMap(routesFor);
}

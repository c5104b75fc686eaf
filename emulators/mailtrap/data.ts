/**
 * Mailtrap objects as stored. Stored objects carry every field the API shows, read-only ones
 * included (so the admin surface can drift them); renderers add what depends on the caller
 * (permissions) or on other collections (a project's sandboxes).
 */
import { randomBytes } from "node:crypto";
import type { VendorStore } from "../core/store";
import type { RouteContext } from "../core/types";
import { notFound } from "./errors";
import { parseId } from "./validate";

export const COLLECTIONS = {
  projects: "projects",
  sandboxes: "sandboxes",
  templates: "email_templates",
  tokens: "api_tokens",
  domains: "domains",
  webhooks: "webhooks",
  accesses: "account_accesses",
} as const;

/** Ids are integers assigned increasing per collection; distinct ranges make mix-ups visible. */
const ID_START: Record<string, number> = {
  projects: 2001,
  sandboxes: 3001,
  email_templates: 4001,
  api_tokens: 5001,
  domains: 6001,
  account_accesses: 7001,
  webhooks: 8001,
};

export function nextId(store: VendorStore, collection: string): number {
  return store.nextId(collection, ID_START[collection] ?? 1);
}

export const FULL_PERMISSIONS = { can_read: true, can_update: true, can_destroy: true, can_leave: false };

export interface ProjectRecord {
  id: number;
  name: string;
  share_links: { admin: string; viewer: string };
}

export interface SandboxRecord {
  id: number;
  name: string;
  username: string;
  password: string;
  max_size: number;
  status: "active" | "inactive" | "pending";
  email_username: string;
  email_username_enabled: boolean;
  sent_messages_count: number;
  forwarded_messages_count: number;
  used: boolean;
  forward_from_email_address: string;
  project_id: number;
  domain: string;
  pop3_domain: string;
  email_domain: string;
  api_domain: string;
  emails_count: number;
  emails_unread_count: number;
  last_message_sent_at: string | null;
  smtp_ports: number[];
  pop3_ports: number[];
  max_message_size: number;
  /**
   * Test knob, set only through the admin surface and never rendered: `toggle_email_username`
   * answers 200 with the sandbox as it is and changes nothing (a toggle that does not take).
   */
  email_username_toggle_ignored?: boolean;
}

export function hex(bytes: number): string {
  return randomBytes(bytes).toString("hex");
}

export function newEmailUsername(): string {
  return `${hex(5)}-${hex(3)}`;
}

export function newProject(store: VendorStore, name: string): ProjectRecord {
  const id = nextId(store, COLLECTIONS.projects);
  const link = (role: string) => `https://mailtrap.io/projects/${id}/share/${role}-${hex(24)}`;
  return store.collection<ProjectRecord>(COLLECTIONS.projects).set(id, {
    id,
    name,
    share_links: { admin: link("admin"), viewer: link("viewer") },
  });
}

export function newSandbox(store: VendorStore, accountId: number, projectId: number, name: string): SandboxRecord {
  const id = nextId(store, COLLECTIONS.sandboxes);
  return store.collection<SandboxRecord>(COLLECTIONS.sandboxes).set(id, {
    id,
    name,
    username: hex(7),
    password: hex(7),
    max_size: 0,
    status: "active",
    email_username: newEmailUsername(),
    email_username_enabled: false,
    sent_messages_count: 0,
    forwarded_messages_count: 0,
    used: false,
    forward_from_email_address: `a${accountId}-i${id}@forward.mailtrap.info`,
    project_id: projectId,
    domain: "sandbox.smtp.mailtrap.io",
    pop3_domain: "pop3.mailtrap.io",
    email_domain: "inbox.mailtrap.io",
    api_domain: "sandbox.api.mailtrap.io",
    emails_count: 0,
    emails_unread_count: 0,
    last_message_sent_at: null,
    smtp_ports: [25, 465, 587, 2525],
    pop3_ports: [1100, 9950],
    max_message_size: 5242880,
  });
}

export function projects(store: VendorStore) {
  return store.collection<ProjectRecord>(COLLECTIONS.projects);
}

export function sandboxes(store: VendorStore) {
  return store.collection<SandboxRecord>(COLLECTIONS.sandboxes);
}

/** The stored object for a path id, or Mailtrap's 404. */
export function findOr404<T extends object>(collection: { get(id: number): T | undefined }, raw: string | undefined): T {
  const id = parseId(raw);
  const found = id === undefined ? undefined : collection.get(id);
  if (!found) throw notFound();
  return found;
}

export function renderSandbox(sandbox: SandboxRecord): Record<string, unknown> {
  const { email_username_toggle_ignored: _knob, ...shown } = sandbox;
  return { ...shown, permissions: { ...FULL_PERMISSIONS } };
}

/** A project with its sandboxes embedded under `sandboxes` (current) or `inboxes` (older paths). */
export function renderProject(
  store: VendorStore,
  project: ProjectRecord,
  inboxesKey: "sandboxes" | "inboxes",
): Record<string, unknown> {
  const own = sandboxes(store)
    .list()
    .filter((s) => s.project_id === project.id)
    .map(renderSandbox);
  return {
    id: project.id,
    name: project.name,
    share_links: project.share_links,
    [inboxesKey]: own,
    permissions: { ...FULL_PERMISSIONS },
  };
}

/** Deletes a project and its sandboxes; returns the project as it was. */
export function deleteProject(store: VendorStore, project: ProjectRecord): void {
  for (const sandbox of sandboxes(store).list()) {
    if (sandbox.project_id === project.id) sandboxes(store).delete(sandbox.id);
  }
  projects(store).delete(project.id);
}

/** What a permission may name (current words): the account's own scopes, projects, sandboxes, domains. */
export type PermissionResource = "account" | "billing" | "project" | "sandbox" | "domain" | "email_campaign_permission_scope";

/** Whether the object a permission names exists in this account. */
export function resourceExists(ctx: RouteContext, type: PermissionResource, id: number | string): boolean {
  const n = Number(id);
  switch (type) {
    case "account":
    case "billing":
    case "email_campaign_permission_scope":
      return n === ctx.credentials.mailtrap.accountId;
    case "project":
      return projects(ctx.store).has(n);
    case "sandbox":
      return sandboxes(ctx.store).has(n);
    case "domain":
      return ctx.store.collection(COLLECTIONS.domains).has(n);
  }
}

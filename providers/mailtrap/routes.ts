/**
 * The paths of Mailtrap projects and inboxes in each API generation, in one table: plain data, so
 * that the kind definitions can name it without loading the client (providers/clients.ts).
 */
export type MailtrapApiVersion = "v1" | "v2";

/** The paths and body wrappers of projects and inboxes in one API generation. */
export interface SandboxRoutes {
  version: MailtrapApiVersion;
  /** GET: every project with its inboxes embedded; POST: create one. */
  projects: string;
  project(id: string | number): string;
  /** POST: create an inbox in a project. */
  projectInboxes(projectId: string | number): string;
  /** GET: every inbox the token can see. */
  inboxes: string;
  inbox(id: string | number): string;
  inboxAction(id: string | number, action: "toggle_email_username" | "reset_credentials"): string;
  /** Request body wrappers: `{project: {...}}` / `{company: {...}}`, `{sandbox: {...}}` / `{inbox: {...}}`. */
  projectKey: "project" | "company";
  inboxKey: "sandbox" | "inbox";
}

const SANDBOX_ROUTES: Record<MailtrapApiVersion, SandboxRoutes> = {
  v2: {
    version: "v2",
    projects: "/api/projects",
    project: (id) => `/api/projects/${id}`,
    projectInboxes: (id) => `/api/projects/${id}/sandboxes`,
    inboxes: "/api/sandboxes",
    inbox: (id) => `/api/sandboxes/${id}`,
    inboxAction: (id, action) => `/api/sandboxes/${id}/${action}`,
    projectKey: "project",
    inboxKey: "sandbox",
  },
  v1: {
    version: "v1",
    projects: "/api/v1/companies",
    project: (id) => `/api/v1/companies/${id}`,
    projectInboxes: (id) => `/api/v1/companies/${id}/inboxes`,
    inboxes: "/api/v1/inboxes",
    inbox: (id) => `/api/v1/inboxes/${id}`,
    inboxAction: (id, action) => `/api/v1/inboxes/${id}/${action}`,
    projectKey: "company",
    inboxKey: "inbox",
  },
};

/**
 * Paths for projects and inboxes in the API generation the stack file chose (`mailtrap.apiVersion`,
 * carried in each project's and inbox's inputs: the one source). States written before it was an
 * input have none: v2, which reaches the same objects under the same ids.
 */
export function sandboxRoutes(apiVersion: string | undefined): SandboxRoutes {
  return SANDBOX_ROUTES[apiVersion === "v1" ? "v1" : "v2"];
}

/**
 * The Mailtrap management API client: token auth, Mailtrap's error shapes, and the 150 requests
 * per 10 s limit paced by the shared client. API v2 uses the `current/` paths; the v1
 * API (companies, inboxes) is reached through the same client. Which paths projects and inboxes
 * use is decided here, in one table (`sandboxRoutes`), and nowhere else.
 */
import { VendorClient } from "../http/client";
import { parseRateLimit } from "../http/pacer";
import { requireSetting, secretValues, setting } from "../settings";

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

let cached: { key: string; client: VendorClient } | undefined;

export function mailtrap(): VendorClient {
  const baseUrl = setting("mailtrapApiUrl")!;
  const token = requireSetting("mailtrapApiToken");
  const key = `${baseUrl}\n${token}`;
  if (cached?.key !== key) {
    cached = {
      key,
      client: new VendorClient({
        vendor: "Mailtrap",
        baseUrl,
        authHeaders: () => ({ "Api-Token": token }),
        secrets: () => [token, ...secretValues()],
        errorText: mailtrapErrorText,
        baseUrlSetting: "mailtrapApiUrl",
        rate: parseRateLimit(setting("mailtrapRateLimit")!, "mailtrapRateLimit"),
      }),
    };
  }
  return cached.client;
}

/** Mailtrap answers `{error: "..."}`, `{errors: "..."}` or `{errors: {field: ["..."]}}`. */
export function mailtrapErrorText(body: unknown): string | undefined {
  if (!body || typeof body !== "object") return undefined;
  const b = body as { error?: unknown; errors?: unknown };
  if (typeof b.error === "string") return b.error;
  if (typeof b.errors === "string") return b.errors;
  if (Array.isArray(b.errors)) return b.errors.map(String).join("; ");
  if (b.errors && typeof b.errors === "object") {
    return Object.entries(b.errors as Record<string, unknown>)
      .map(([field, msgs]) => `${field} ${Array.isArray(msgs) ? msgs.join(", ") : String(msgs)}`)
      .join("; ");
  }
  return undefined;
}

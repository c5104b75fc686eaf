/**
 * Contract cases for every emulated Mailtrap v2 route, in both path generations. (API v1 has no
 * machine-readable spec; `mailtrap-v1.test.ts` covers it.)
 */
import { DEFAULT_CREDENTIALS } from "../../../emulators/credentials";
import type { ContractCase, Method, VendorApi, ContractRequest } from "./cases";

const ACCOUNT_ID = DEFAULT_CREDENTIALS.mailtrap.accountId;

interface Generation {
  name: "current" | "account-scoped";
  /** Path prefix as the documents spell it, and as sent. */
  template: string;
  concrete: string;
  inbox: "sandbox" | "inbox";
  inboxes: "sandboxes" | "inboxes";
  domain: "domain" | "sending_domain";
  domains: "domains" | "sending_domains";
}

const GENERATIONS: Generation[] = [
  { name: "current", template: "/api", concrete: "/api", inbox: "sandbox", inboxes: "sandboxes", domain: "domain", domains: "domains" },
  {
    name: "account-scoped",
    template: "/api/accounts/{account_id}",
    concrete: `/api/accounts/${ACCOUNT_ID}`,
    inbox: "inbox",
    inboxes: "inboxes",
    domain: "sending_domain",
    domains: "sending_domains",
  },
];

let serial = 0;
const unique = (prefix: string) => `${prefix} ${++serial}`;

function casesFor(g: Generation): ContractCase[] {
  const p = g.concrete;
  const spec = (doc: string) => `mailtrap/${g.name}/${doc}.openapi.yml`;
  const sandboxDoc = spec("sandbox");
  const templatesDoc = spec("templates");
  const accountDoc = spec("account-management");
  const sendingDoc = spec("email-sending");

  const project = async (api: VendorApi): Promise<number> =>
    (await api.call("POST", `${p}/projects`, { project: { name: unique("Project") } })).id;
  const sandbox = async (api: VendorApi): Promise<{ id: number; projectId: number }> => {
    const projectId = await project(api);
    const created = await api.call("POST", `${p}/projects/${projectId}/${g.inboxes}`, { [g.inbox]: { name: unique("Sandbox") } });
    return { id: created.id, projectId };
  };
  const template = async (api: VendorApi): Promise<number> =>
    (await api.call("POST", `${p}/email_templates`, { email_template: { name: unique("T"), category: "c", subject: "s" } })).id;
  const token = async (api: VendorApi): Promise<number> =>
    (
      await api.call("POST", `${p}/api_tokens`, {
        name: unique("Token"),
        resources: [{ resource_type: "account", resource_id: ACCOUNT_ID, access_level: 100 }],
      })
    ).id;
  const domain = async (api: VendorApi): Promise<number> =>
    (await api.call("POST", `${p}/${g.domains}`, { [g.domain]: { domain_name: `d${++serial}.example.com` } })).id;

  const webhook = async (api: VendorApi): Promise<number> =>
    (
      await api.call("POST", `${p}/webhooks`, {
        webhook: { url: `https://hooks.example.com/${++serial}`, webhook_type: "email_sending", sending_stream: "transactional", event_types: ["delivery"] },
      })
    ).data.id;
  /** A person invited from the web UI (the API has no create), with viewer access to a project. */
  const access = async (api: VendorApi): Promise<number> => {
    const id = 7100 + ++serial;
    await api.putObject("account_accesses", String(id), {
      specifier_type: "Invite",
      specifier: { id, email: `person${serial}@example.com` },
      resources: [{ resource_id: await project(api), resource_type: "project", access_level: 10 }],
    });
    return id;
  };

  const c = (
    doc: string,
    method: Method,
    path: string,
    status: number,
    request: ContractCase["request"],
    note?: string,
  ): ContractCase => ({ vendor: "mailtrap", spec: doc, method, path: `${g.template}${path}`, status, request, note });
  const sandboxPath = `/${g.inboxes}/{${g.inbox}_id}`;

  const cases: ContractCase[] = [
    // Projects
    c(sandboxDoc, "GET", "/projects", 200, async (api) => {
      await sandbox(api);
      return { path: `${p}/projects` };
    }, "with an embedded sandbox"),
    c(sandboxDoc, "POST", "/projects", 200, () => ({ path: `${p}/projects`, body: { project: { name: unique("New") } } })),
    c(sandboxDoc, "GET", "/projects", 401, () => ({ path: `${p}/projects`, anonymous: true })),
    c(sandboxDoc, "GET", "/projects/{project_id}", 200, async (api) => ({ path: `${p}/projects/${(await sandbox(api)).projectId}` })),
    c(sandboxDoc, "GET", "/projects/{project_id}", 404, () => ({ path: `${p}/projects/99999999` })),
    c(sandboxDoc, "PATCH", "/projects/{project_id}", 200, async (api) => ({
      path: `${p}/projects/${await project(api)}`,
      body: { project: { name: unique("Renamed") } },
    })),
    c(sandboxDoc, "PATCH", "/projects/{project_id}", 404, () => ({
      path: `${p}/projects/99999999`,
      body: { project: { name: "Renamed" } },
    })),
    c(sandboxDoc, "DELETE", "/projects/{project_id}", 200, async (api) => ({ path: `${p}/projects/${(await sandbox(api)).projectId}` })),
    c(sandboxDoc, "POST", `/projects/{project_id}/${g.inboxes}`, 200, async (api) => ({
      path: `${p}/projects/${await project(api)}/${g.inboxes}`,
      body: { [g.inbox]: { name: unique("Sandbox") } },
    })),
    c(sandboxDoc, "POST", `/projects/{project_id}/${g.inboxes}`, 404, () => ({
      path: `${p}/projects/99999999/${g.inboxes}`,
      body: { [g.inbox]: { name: "Sandbox" } },
    })),
    // Sandboxes / inboxes
    c(sandboxDoc, "GET", `/${g.inboxes}`, 200, async (api) => {
      await sandbox(api);
      return { path: `${p}/${g.inboxes}` };
    }),
    c(sandboxDoc, "GET", sandboxPath, 200, async (api) => ({ path: `${p}/${g.inboxes}/${(await sandbox(api)).id}` })),
    c(sandboxDoc, "GET", sandboxPath, 404, () => ({ path: `${p}/${g.inboxes}/99999999` })),
    c(sandboxDoc, "PATCH", sandboxPath, 200, async (api) => ({
      path: `${p}/${g.inboxes}/${(await sandbox(api)).id}`,
      body: { [g.inbox]: { name: unique("Renamed"), email_username: `user-${++serial}` } },
    })),
    c(sandboxDoc, "DELETE", sandboxPath, 200, async (api) => ({ path: `${p}/${g.inboxes}/${(await sandbox(api)).id}` })),
    ...(["clean", "all_read", "reset_credentials", "toggle_email_username", "reset_email_username"] as const).map((action) =>
      c(sandboxDoc, "PATCH", `${sandboxPath}/${action}`, 200, async (api) => ({
        path: `${p}/${g.inboxes}/${(await sandbox(api)).id}/${action}`,
      })),
    ),
    // Email templates
    c(templatesDoc, "GET", "/email_templates", 200, async (api) => {
      await template(api);
      return { path: `${p}/email_templates` };
    }),
    c(templatesDoc, "POST", "/email_templates", 201, () => ({
      path: `${p}/email_templates`,
      body: { email_template: { name: unique("T"), category: "Promotional", subject: "Hi", body_html: "<p>x</p>", body_text: "x" } },
    })),
    c(templatesDoc, "POST", "/email_templates", 422, () => ({
      path: `${p}/email_templates`,
      body: { email_template: { name: "No subject" } },
      invalidBody: true,
    })),
    c(templatesDoc, "GET", "/email_templates/{email_template_id}", 200, async (api) => ({
      path: `${p}/email_templates/${await template(api)}`,
    })),
    c(templatesDoc, "GET", "/email_templates/{email_template_id}", 404, () => ({ path: `${p}/email_templates/99999999` })),
    c(templatesDoc, "PATCH", "/email_templates/{email_template_id}", 200, async (api) => ({
      path: `${p}/email_templates/${await template(api)}`,
      body: { email_template: { name: unique("T2"), category: "c", subject: "s2" } },
    })),
    c(templatesDoc, "PATCH", "/email_templates/{email_template_id}", 422, async (api) => ({
      path: `${p}/email_templates/${await template(api)}`,
      body: { email_template: { name: "n", category: "c", subject: "s".repeat(256) } },
      invalidBody: true,
    })),
    c(templatesDoc, "PATCH", "/email_templates/{email_template_id}", 422, async (api) => ({
      path: `${p}/email_templates/${await template(api)}`,
      body: { email_template: { name: unique("T3"), subject: "no category" } },
      invalidBody: true,
    }), "a required field missing"),
    c(templatesDoc, "DELETE", "/email_templates/{email_template_id}", 204, async (api) => ({
      path: `${p}/email_templates/${await template(api)}`,
    })),
    // API tokens
    c(accountDoc, "GET", "/api_tokens", 200, async (api) => {
      await token(api);
      return { path: `${p}/api_tokens` };
    }),
    c(accountDoc, "POST", "/api_tokens", 200, async (api) => ({
      path: `${p}/api_tokens`,
      body: {
        name: unique("Token"),
        resources: [
          { resource_type: "project", resource_id: await project(api), access_level: 10 },
          { resource_type: g.inbox, resource_id: (await sandbox(api)).id, access_level: 100 },
        ],
      },
    })),
    c(accountDoc, "POST", "/api_tokens", 422, () => ({
      path: `${p}/api_tokens`,
      body: { name: "No resources", resources: [] },
    }), "no permissions selected"),
    c(accountDoc, "GET", "/api_tokens/{id}", 200, async (api) => ({ path: `${p}/api_tokens/${await token(api)}` })),
    c(accountDoc, "GET", "/api_tokens/{id}", 404, () => ({ path: `${p}/api_tokens/99999999` })),
    c(accountDoc, "DELETE", "/api_tokens/{id}", 204, async (api) => ({ path: `${p}/api_tokens/${await token(api)}` })),
    c(accountDoc, "POST", "/api_tokens/{id}/reset", 200, async (api) => ({ path: `${p}/api_tokens/${await token(api)}/reset` })),
    c(accountDoc, "POST", "/api_tokens/{id}/reset", 422, async (api) => {
      const id = await token(api);
      await api.call("POST", `${p}/api_tokens/${id}/reset`);
      return { path: `${p}/api_tokens/${id}/reset` };
    }, "already reset"),
    // Sending domains
    c(sendingDoc, "GET", `/${g.domains}`, 200, async (api) => {
      await domain(api);
      return { path: `${p}/${g.domains}` };
    }),
    c(sendingDoc, "POST", `/${g.domains}`, 200, () => ({
      path: `${p}/${g.domains}`,
      body: { [g.domain]: { domain_name: `new${++serial}.example.org` } },
    })),
    c(sendingDoc, "POST", `/${g.domains}`, 422, () => ({
      path: `${p}/${g.domains}`,
      body: { [g.domain]: { domain_name: "not a hostname" } },
      invalidBody: true,
    })),
    c(sendingDoc, "GET", `/${g.domains}/{${g.domain}_id}`, 200, async (api) => ({ path: `${p}/${g.domains}/${await domain(api)}` })),
    c(sendingDoc, "GET", `/${g.domains}/{${g.domain}_id}`, 404, () => ({ path: `${p}/${g.domains}/99999999` })),
    c(sendingDoc, "PATCH", `/${g.domains}/{${g.domain}_id}`, 200, async (api) => ({
      path: `${p}/${g.domains}/${await domain(api)}`,
      body: { [g.domain]: { open_tracking_enabled: false, click_tracking_enabled: false } },
    })),
    c(sendingDoc, "DELETE", `/${g.domains}/{${g.domain}_id}`, 204, async (api) => ({ path: `${p}/${g.domains}/${await domain(api)}` })),
    // Webhooks
    c(sendingDoc, "GET", "/webhooks", 200, async (api) => {
      await webhook(api);
      await api.call("POST", `${p}/webhooks`, { webhook: { url: "https://hooks.example.com/audit", webhook_type: "audit_log" } });
      return { path: `${p}/webhooks` };
    }, "email_sending and audit_log"),
    c(sendingDoc, "POST", "/webhooks", 200, async (api) => ({
      path: `${p}/webhooks`,
      body: {
        webhook: {
          url: "https://hooks.example.com/mailtrap",
          webhook_type: "email_sending",
          payload_format: "jsonlines",
          sending_stream: "bulk",
          event_types: ["delivery", "bounce"],
          domain_id: await domain(api),
        },
      },
    })),
    c(sendingDoc, "POST", "/webhooks", 200, () => ({
      path: `${p}/webhooks`,
      body: { webhook: { url: "https://hooks.example.com/campaigns", webhook_type: "campaigns", active: false, event_types: ["open", "click"] } },
    }), "campaigns"),
    c(sendingDoc, "POST", "/webhooks", 422, () => ({
      path: `${p}/webhooks`,
      body: { webhook: { url: "https://hooks.example.com/x", webhook_type: "email_sending", event_types: ["delivery"] } },
    }), "email_sending without sending_stream"),
    c(sendingDoc, "POST", "/webhooks", 422, () => ({
      path: `${p}/webhooks`,
      body: { webhook: { url: "https://hooks.example.com/x", webhook_type: "campaigns", event_types: ["opened"] } },
      invalidBody: true,
    }), "an unknown event type"),
    c(sendingDoc, "GET", "/webhooks/{webhook_id}", 200, async (api) => ({ path: `${p}/webhooks/${await webhook(api)}` })),
    c(sendingDoc, "GET", "/webhooks/{webhook_id}", 404, () => ({ path: `${p}/webhooks/99999999` })),
    c(sendingDoc, "PATCH", "/webhooks/{webhook_id}", 200, async (api) => ({
      path: `${p}/webhooks/${await webhook(api)}`,
      body: { webhook: { url: "https://hooks.example.com/moved", active: false, payload_format: "json", event_types: ["delivery", "bounce", "unsubscribe"] } },
    })),
    c(sendingDoc, "PATCH", "/webhooks/{webhook_id}", 404, () => ({ path: `${p}/webhooks/99999999`, body: { webhook: { active: false } } })),
    c(sendingDoc, "PATCH", "/webhooks/{webhook_id}", 422, async (api) => ({
      path: `${p}/webhooks/${await webhook(api)}`,
      body: { webhook: { payload_format: "xml" } },
      invalidBody: true,
    })),
    c(sendingDoc, "DELETE", "/webhooks/{webhook_id}", 200, async (api) => ({ path: `${p}/webhooks/${await webhook(api)}` })),
    c(sendingDoc, "DELETE", "/webhooks/{webhook_id}", 404, () => ({ path: `${p}/webhooks/99999999` })),
    // Account accesses and permissions
    c(accountDoc, "GET", "/account_accesses", 200, async (api) => {
      await access(api);
      return { path: `${p}/account_accesses` };
    }, "the owner and an invite"),
    c(accountDoc, "GET", "/account_accesses", 200, async (api) => {
      const id = await access(api);
      const resources = (await api.call("GET", `${p}/account_accesses`)).find((a: { id: number }) => a.id === id).resources;
      return { path: `${p}/account_accesses?project_ids=${resources[0].resource_id}` };
    }, "filtered by project"),
    c(accountDoc, "GET", "/account_accesses", 401, () => ({ path: `${p}/account_accesses`, anonymous: true })),
    c(accountDoc, "DELETE", "/account_accesses/{account_access_id}", 200, async (api) => ({ path: `${p}/account_accesses/${await access(api)}` })),
    c(accountDoc, "DELETE", "/account_accesses/{account_access_id}", 404, () => ({ path: `${p}/account_accesses/99999999` })),
    c(accountDoc, "DELETE", "/account_accesses/{account_access_id}", 403, () => ({ path: `${p}/account_accesses/7000` }), "the owner"),
    c(accountDoc, "PUT", "/account_accesses/{account_access_id}/permissions/bulk", 200, async (api) => ({
      path: `${p}/account_accesses/${await access(api)}/permissions/bulk`,
      body: {
        permissions: [
          { resource_id: String(ACCOUNT_ID), resource_type: "account", access_level: "viewer" },
          { resource_id: String((await sandbox(api)).id), resource_type: g.inbox, access_level: "admin" },
        ],
      },
    })),
    c(accountDoc, "PUT", "/account_accesses/{account_access_id}/permissions/bulk", 200, async (api) => {
      const id = await access(api);
      const [held] = (await api.call("GET", `${p}/account_accesses`)).find((a: { id: number }) => a.id === id).resources;
      return {
        path: `${p}/account_accesses/${id}/permissions/bulk`,
        body: { permissions: [{ resource_id: String(held.resource_id), resource_type: "project", _destroy: true }] },
      };
    }, "_destroy"),
    c(accountDoc, "PUT", "/account_accesses/{account_access_id}/permissions/bulk", 404, () => ({
      path: `${p}/account_accesses/99999999/permissions/bulk`,
      body: { permissions: [{ resource_id: String(ACCOUNT_ID), resource_type: "account", access_level: "viewer" }] },
    })),
    c(accountDoc, "PUT", "/account_accesses/{account_access_id}/permissions/bulk", 404, async (api) => ({
      path: `${p}/account_accesses/${await access(api)}/permissions/bulk`,
      body: { permissions: [{ resource_id: "99999999", resource_type: "project", access_level: "viewer" }] },
    }), "an unknown resource"),
    c(accountDoc, "GET", "/permissions/resources", 200, async (api) => {
      await sandbox(api);
      await domain(api);
      return { path: `${p}/permissions/resources` };
    }),
  ];

  if (g.name === "current") {
    cases.push(
      c(sendingDoc, "POST", "/webhooks", 422, () => ({
        path: `${p}/webhooks`,
        body: { webhook: { url: "https://hooks.example.com/x", webhook_type: "audit_log", inbound_inbox_id: 1 } },
      }), "inbound_inbox_id on another type"),
      c(sendingDoc, "POST", "/webhooks", 200, () => ({
        path: `${p}/webhooks`,
        body: { webhook: { url: "https://hooks.example.com/inbound", webhook_type: "inbound_receiving", inbound_inbox_id: 1 } },
      }), "inbound_receiving"),
    );
  }
  if (g.name === "account-scoped") {
    const other = (path: string): ContractRequest => ({ path: path.replace(`/${ACCOUNT_ID}/`, `/${ACCOUNT_ID + 1}/`) });
    cases.push(
      c(sandboxDoc, "GET", "/projects", 403, () => other(`${p}/projects`), "another account"),
      c(templatesDoc, "GET", "/email_templates", 403, () => other(`${p}/email_templates`), "another account"),
    );
  } else {
    cases.push(
      { vendor: "mailtrap", spec: accountDoc, method: "GET", path: "/api/accounts", status: 200, request: () => ({ path: "/api/accounts" }) },
      {
        vendor: "mailtrap",
        spec: accountDoc,
        method: "GET",
        path: "/api/accounts",
        status: 401,
        request: () => ({ path: "/api/accounts", headers: { "Api-Token": "wrong-token" }, anonymous: true }),
      },
    );
  }
  return cases;
}

export const mailtrapCases: ContractCase[] = GENERATIONS.flatMap(casesFor);

/** The spec documents that describe the emulated Mailtrap v2 routes. */
export const MAILTRAP_SPECS = GENERATIONS.flatMap((g) =>
  ["sandbox", "templates", "account-management", "email-sending"].map((d) => `mailtrap/${g.name}/${d}.openapi.yml`),
);

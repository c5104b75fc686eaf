/**
 * Contract cases for every emulated SendGrid v3 route: templates and versions, API keys, scopes,
 * unsubscribe groups, event webhooks (signed, OAuth), inbound parse settings, verified senders,
 * domain authentication and link branding, teammates, the IP allow list and its activity, and
 * subusers, against the documents in `sendgrid/` (twilio/sendgrid-oai).
 */
import type { ContractCase, Method, VendorApi } from "./cases";

const TEMPLATES = "sendgrid/tsg_templates_v3.json";
const API_KEYS = "sendgrid/tsg_api_keys_v3.json";
const SCOPES = "sendgrid/tsg_scopes_v3.json";
const SUPPRESSIONS = "sendgrid/tsg_suppressions_v3.json";
const WEBHOOKS = "sendgrid/tsg_webhooks_v3.json";
const MAIL_SETTINGS = "sendgrid/tsg_mail_settings_v3.json";
const TRACKING_SETTINGS = "sendgrid/tsg_tracking_settings_v3.json";
const ENFORCED_TLS = "sendgrid/tsg_enforced_tls_v3.json";
const DOMAIN_AUTH = "sendgrid/tsg_domain_authentication_v3.json";
const LINK_BRANDING = "sendgrid/tsg_link_branding_v3.json";
const TEAMMATES = "sendgrid/tsg_teammates_v3.json";
const VERIFIED_SENDERS = "sendgrid/tsg_verified_senders_v3.json";
const IP_ACCESS = "sendgrid/tsg_ip_access_management_v3.json";
const SUBUSERS = "sendgrid/tsg_subusers_v3.json";

/** The documents that describe the emulated SendGrid routes. */
export const SENDGRID_SPECS = [TEMPLATES, API_KEYS, SCOPES, SUPPRESSIONS, WEBHOOKS, MAIL_SETTINGS, TRACKING_SETTINGS, ENFORCED_TLS, DOMAIN_AUTH, LINK_BRANDING, TEAMMATES, VERIFIED_SENDERS, IP_ACCESS, SUBUSERS];

let serial = 0;
const unique = (prefix: string) => `${prefix} ${++serial}`;

const template = async (api: VendorApi, generation: "legacy" | "dynamic" = "dynamic"): Promise<string> =>
  (await api.call("POST", "/v3/templates", { name: unique("Template"), generation })).id;

const version = async (api: VendorApi): Promise<{ templateId: string; id: string }> => {
  const templateId = await template(api);
  const created = await api.call("POST", `/v3/templates/${templateId}/versions`, {
    name: unique("Version"),
    subject: "Hello {{name}}",
    html_content: "<p>Hello {{name}}</p>",
    test_data: JSON.stringify({ name: "Ada" }),
  });
  return { templateId, id: created.id };
};

const apiKey = async (api: VendorApi, scopes?: string[]): Promise<{ id: string; secret: string }> => {
  const created = await api.call("POST", "/v3/api_keys", { name: unique("Key"), ...(scopes ? { scopes } : {}) });
  return { id: created.api_key_id, secret: created.api_key };
};

const group = async (api: VendorApi): Promise<number> =>
  (await api.call("POST", "/v3/asm/groups", { name: unique("Group"), description: "About things" })).id;

/** A disabled webhook: the account may have only a few enabled ones. */
const webhook = async (api: VendorApi): Promise<{ id: string; url: string }> => {
  const url = `https://hooks.example.com/${++serial}`;
  return { id: (await api.call("POST", "/v3/user/webhooks/event/settings", { url, enabled: false, bounce: true })).id, url };
};

/** A domain name no other case uses: SendGrid refuses a domain and subdomain twice. */
const domainName = () => `d${++serial}.example.com`;
const authenticatedDomain = async (api: VendorApi): Promise<number> =>
  (await api.call("POST", "/v3/whitelabel/domains", { domain: domainName(), subdomain: "em" })).id;
const brandedLink = async (api: VendorApi): Promise<number> =>
  (await api.call("POST", "/v3/whitelabel/links", { domain: domainName(), subdomain: "links" })).id;

/**
 * An allow-list entry of its own (a TEST-NET address) beside the loopback block the cases call
 * from: the emulator enforces the list, and a list without the caller's address would refuse
 * every later case.
 */
const allowed = async (api: VendorApi): Promise<number> => {
  const ip = `192.0.2.${++serial % 250}`;
  const added = await api.call("POST", "/v3/access_settings/whitelist", { ips: [{ ip: "127.0.0.0/8" }, { ip }] });
  return (added.result as { id: number; ip: string }[]).find((r) => r.ip === `${ip}/32`)!.id;
};
const subuser = async (api: VendorApi): Promise<string> =>
  (await api.call("POST", "/v3/subusers", { username: `sub${++serial}`, email: `sub${serial}@example.com`, password: "a long password", ips: [] })).username;

const c = (spec: string, method: Method, path: string, status: number, request: ContractCase["request"], note?: string): ContractCase => ({
  vendor: "sendgrid",
  spec,
  method,
  path,
  status,
  request,
  note,
});

const T = "/v3/templates/{template_id}";
const V = `${T}/versions/{version_id}`;
const K = "/v3/api_keys/{api_key_id}";
const G = "/v3/asm/groups/{group_id}";
const W = "/v3/user/webhooks/event/settings";

/** An invitation, and with `accepted` the teammate who accepted it (through the admin surface: acceptance happens in the invitee's inbox). */
const teammate = async (api: VendorApi, accepted = false): Promise<{ email: string; token: string; username: string }> => {
  const n = ++serial;
  const invited = await api.call("POST", "/v3/teammates", { email: `teammate${n}@example.com`, scopes: ["templates.read"], is_admin: false });
  if (accepted) await api.patchObject("teammates", invited.email, { pending: false, username: `teammate${n}` });
  return { email: invited.email, token: invited.token, username: `teammate${n}` };
};
const TM = "/v3/teammates/{username}";

/** The fields the document's request schema requires, with an address no other case uses. */
const senderFields = () => ({ nickname: unique("Sender"), from_email: `sender${++serial}@example.com`, reply_to: "help@example.com" });
/** A verified sender; its id. */
const sender = async (api: VendorApi): Promise<number> => (await api.call("POST", "/v3/verified_senders", senderFields())).id;
const VS = "/v3/verified_senders/{id}";

/** A signed webhook (disabled: the account may have only a few enabled ones). */
const signedWebhook = async (api: VendorApi): Promise<string> => {
  const { id } = await webhook(api);
  await api.call("PATCH", `/v3/user/webhooks/event/settings/signed/${id}`, { enabled: true });
  return id;
};
const OAUTH = { oauth_client_id: "sendgrid-events", oauth_client_secret: "client-secret-0000", oauth_token_url: "https://auth.example.com/oauth/token" };

const PARSE = "/v3/user/webhooks/parse/settings";
/** An inbound parse setting on a hostname no other case uses; its hostname. */
const parseSetting = async (api: VendorApi): Promise<string> =>
  (await api.call("POST", PARSE, { hostname: `parse${++serial}.example.com`, url: "https://inbound.example.com/parse", spam_check: true, send_raw: false })).hostname;

export const sendgridCases: ContractCase[] = [
  // Templates
  c(TEMPLATES, "POST", "/v3/templates", 201, () => ({ path: "/v3/templates", body: { name: unique("New") } }), "legacy by default"),
  c(TEMPLATES, "POST", "/v3/templates", 201, () => ({ path: "/v3/templates", body: { name: unique("New"), generation: "dynamic" } }), "dynamic"),
  c(TEMPLATES, "GET", "/v3/templates", 200, async (api) => {
    await version(api);
    await template(api);
    return { path: "/v3/templates?generations=legacy,dynamic&page_size=1" };
  }, "first of several pages, versions embedded"),
  c(TEMPLATES, "GET", "/v3/templates", 200, async (api) => {
    await template(api, "legacy");
    await template(api, "legacy");
    const first = await api.call("GET", "/v3/templates?page_size=1");
    const next = new URL(first._metadata.next);
    return { path: next.pathname + next.search };
  }, "a later page by page_token"),
  c(TEMPLATES, "GET", "/v3/templates", 400, () => ({ path: "/v3/templates?generations=dynamic" }), "page_size missing"),
  c(TEMPLATES, "GET", T, 200, async (api) => ({ path: `/v3/templates/${(await version(api)).templateId}` })),
  c(TEMPLATES, "POST", T, 201, async (api) => ({ path: `/v3/templates/${(await version(api)).templateId}`, body: { name: unique("Copy") } }), "duplicate"),
  c(TEMPLATES, "PATCH", T, 200, async (api) => ({ path: `/v3/templates/${await template(api)}`, body: { name: unique("Renamed") } })),
  c(TEMPLATES, "DELETE", T, 204, async (api) => ({ path: `/v3/templates/${await template(api)}` })),

  // Versions
  c(TEMPLATES, "POST", `${T}/versions`, 201, async (api) => ({
    path: `/v3/templates/${await template(api)}/versions`,
    body: {
      name: unique("Version"),
      subject: "Welcome {{name}}",
      html_content: "<p>Welcome</p>",
      plain_content: "Welcome",
      generate_plain_content: false,
      editor: "code",
      test_data: '{"name":"Ada"}',
      active: 1,
    },
  })),
  c(TEMPLATES, "GET", V, 200, async (api) => {
    const v = await version(api);
    return { path: `/v3/templates/${v.templateId}/versions/${v.id}` };
  }, "with test_data"),
  c(TEMPLATES, "PATCH", V, 200, async (api) => {
    const v = await version(api);
    return { path: `/v3/templates/${v.templateId}/versions/${v.id}`, body: { name: unique("Version"), subject: "Changed", editor: "design" } };
  }),
  c(TEMPLATES, "DELETE", V, 204, async (api) => {
    const v = await version(api);
    return { path: `/v3/templates/${v.templateId}/versions/${v.id}` };
  }),
  c(TEMPLATES, "POST", `${V}/activate`, 200, async (api) => {
    const v = await version(api);
    const second = await api.call("POST", `/v3/templates/${v.templateId}/versions`, { name: unique("Second"), subject: "s" });
    return { path: `/v3/templates/${v.templateId}/versions/${second.id}/activate` };
  }),

  // API keys
  c(API_KEYS, "POST", "/v3/api_keys", 201, () => ({ path: "/v3/api_keys", body: { name: unique("Key"), scopes: ["mail.send", "templates.read"] } })),
  c(API_KEYS, "POST", "/v3/api_keys", 201, () => ({ path: "/v3/api_keys", body: { name: unique("Key") } }), "full access"),
  c(API_KEYS, "POST", "/v3/api_keys", 400, () => ({ path: "/v3/api_keys", body: { scopes: ["mail.send"] }, invalidBody: true }), "no name"),
  c(API_KEYS, "POST", "/v3/api_keys", 401, () => ({ path: "/v3/api_keys", body: { name: "x" }, anonymous: true })),
  c(API_KEYS, "POST", "/v3/api_keys", 403, async (api) => ({
    path: "/v3/api_keys",
    body: { name: unique("Key") },
    headers: { Authorization: `Bearer ${(await apiKey(api, ["mail.send"])).secret}` },
  }), "key without api_keys.create"),
  c(API_KEYS, "GET", "/v3/api_keys", 200, async (api) => {
    await apiKey(api);
    await apiKey(api);
    return { path: "/v3/api_keys?limit=1" };
  }),
  c(API_KEYS, "GET", "/v3/api_keys", 401, () => ({ path: "/v3/api_keys", headers: { Authorization: "Bearer SG.wrong.key" }, anonymous: true })),
  c(API_KEYS, "GET", K, 200, async (api) => ({ path: `/v3/api_keys/${(await apiKey(api, ["mail.send"])).id}` })),
  c(API_KEYS, "GET", K, 404, () => ({ path: "/v3/api_keys/AAAAAAAAAAAAAAAAAAAAAA" })),
  c(API_KEYS, "GET", K, 403, async (api) => {
    const reader = await apiKey(api, ["templates.read"]);
    return { path: `/v3/api_keys/${reader.id}`, headers: { Authorization: `Bearer ${reader.secret}` } };
  }, "key without api_keys.read"),
  c(API_KEYS, "PATCH", K, 200, async (api) => ({ path: `/v3/api_keys/${(await apiKey(api)).id}`, body: { name: unique("Renamed") } })),
  c(API_KEYS, "PATCH", K, 400, async (api) => ({ path: `/v3/api_keys/${(await apiKey(api)).id}`, body: {}, invalidBody: true }), "no name"),
  c(API_KEYS, "PATCH", K, 404, () => ({ path: "/v3/api_keys/AAAAAAAAAAAAAAAAAAAAAA", body: { name: "x" } })),
  c(API_KEYS, "PUT", K, 200, async (api) => ({
    path: `/v3/api_keys/${(await apiKey(api)).id}`,
    body: { name: unique("Scoped"), scopes: ["user.profile.read", "user.profile.update"] },
  })),
  c(API_KEYS, "PUT", K, 400, async (api) => ({ path: `/v3/api_keys/${(await apiKey(api)).id}`, body: { name: "x", scopes: [] } }), "empty scopes"),
  c(API_KEYS, "PUT", K, 404, () => ({ path: "/v3/api_keys/AAAAAAAAAAAAAAAAAAAAAA", body: { name: "x", scopes: ["mail.send"] } })),
  c(API_KEYS, "DELETE", K, 204, async (api) => ({ path: `/v3/api_keys/${(await apiKey(api)).id}` })),
  c(API_KEYS, "DELETE", K, 404, () => ({ path: "/v3/api_keys/AAAAAAAAAAAAAAAAAAAAAA" })),

  // Scopes
  c(SCOPES, "GET", "/v3/scopes", 200, () => ({ path: "/v3/scopes" })),
  c(SCOPES, "GET", "/v3/scopes", 401, () => ({ path: "/v3/scopes", anonymous: true })),

  // Unsubscribe groups
  c(SUPPRESSIONS, "POST", "/v3/asm/groups", 201, () => ({
    path: "/v3/asm/groups",
    body: { name: unique("Group"), description: "Suggestions for products", is_default: false },
  })),
  c(SUPPRESSIONS, "GET", "/v3/asm/groups", 200, async (api) => {
    const a = await group(api);
    await group(api);
    return { path: `/v3/asm/groups?id=${a}` };
  }),
  c(SUPPRESSIONS, "GET", G, 200, async (api) => ({ path: `/v3/asm/groups/${await group(api)}` })),
  c(SUPPRESSIONS, "PATCH", G, 201, async (api) => ({ path: `/v3/asm/groups/${await group(api)}`, body: { name: unique("G"), description: "New" } })),
  c(SUPPRESSIONS, "DELETE", G, 204, async (api) => ({ path: `/v3/asm/groups/${await group(api)}` })),

  // Teammates
  c(TEAMMATES, "POST", "/v3/teammates", 201, () => ({
    path: "/v3/teammates",
    body: { email: `new${++serial}@example.com`, scopes: ["templates.read", "stats.read"], is_admin: false },
  })),
  c(TEAMMATES, "POST", "/v3/teammates", 400, async (api) => {
    const { email } = await teammate(api);
    return { path: "/v3/teammates", body: { email, scopes: [], is_admin: true } };
  }, "already invited"),
  c(TEAMMATES, "POST", "/v3/teammates", 400, () => ({ path: "/v3/teammates", body: { email: "nobody", scopes: [], is_admin: false }, invalidBody: true }), "not an email"),
  c(TEAMMATES, "GET", "/v3/teammates", 200, async (api) => {
    await teammate(api, true);
    return { path: "/v3/teammates?limit=10" };
  }),
  c(TEAMMATES, "GET", "/v3/teammates/pending", 200, async (api) => {
    await teammate(api);
    return { path: "/v3/teammates/pending" };
  }),
  c(TEAMMATES, "DELETE", "/v3/teammates/pending/{token}", 204, async (api) => ({ path: `/v3/teammates/pending/${(await teammate(api)).token}` })),
  c(TEAMMATES, "DELETE", "/v3/teammates/pending/{token}", 404, () => ({ path: "/v3/teammates/pending/0123456789abcdef" }), "no such invitation"),
  c(TEAMMATES, "GET", TM, 200, async (api) => ({ path: `/v3/teammates/${(await teammate(api, true)).username}` })),
  c(TEAMMATES, "PATCH", TM, 200, async (api) => ({
    path: `/v3/teammates/${(await teammate(api, true)).username}`,
    body: { scopes: ["stats.read"], is_admin: false },
  })),
  c(TEAMMATES, "PATCH", TM, 404, async (api) => ({ path: `/v3/teammates/${(await teammate(api)).email}`, body: { scopes: [], is_admin: true } }), "still pending"),
  c(TEAMMATES, "DELETE", TM, 204, async (api) => ({ path: `/v3/teammates/${(await teammate(api, true)).username}` })),

  // IP access management: every list the cases leave holds the loopback block they call from
  c(IP_ACCESS, "POST", "/v3/access_settings/whitelist", 201, () => ({
    path: "/v3/access_settings/whitelist",
    body: { ips: [{ ip: "127.0.0.1" }, { ip: "198.51.*.*" }, { ip: "203.0.113.0/24" }] },
  })),
  c(IP_ACCESS, "POST", "/v3/access_settings/whitelist", 401, () => ({ path: "/v3/access_settings/whitelist", body: { ips: [{ ip: "127.0.0.1" }] }, anonymous: true }), "no key"),
  c(IP_ACCESS, "GET", "/v3/access_settings/whitelist", 200, async (api) => {
    await allowed(api);
    return { path: "/v3/access_settings/whitelist" };
  }),
  c(IP_ACCESS, "DELETE", "/v3/access_settings/whitelist", 204, async (api) => ({ path: "/v3/access_settings/whitelist", body: { ids: [await allowed(api), await allowed(api)] } })),
  c(IP_ACCESS, "DELETE", "/v3/access_settings/whitelist", 404, () => ({ path: "/v3/access_settings/whitelist", body: { ids: [999999] } }), "no such id"),
  c(IP_ACCESS, "GET", "/v3/access_settings/whitelist/{rule_id}", 200, async (api) => ({ path: `/v3/access_settings/whitelist/${await allowed(api)}` })),
  c(IP_ACCESS, "DELETE", "/v3/access_settings/whitelist/{rule_id}", 204, async (api) => ({ path: `/v3/access_settings/whitelist/${await allowed(api)}` })),
  c(IP_ACCESS, "GET", "/v3/access_settings/activity", 200, () => ({ path: "/v3/access_settings/activity?limit=5" })),
  c(IP_ACCESS, "GET", "/v3/access_settings/activity", 200, async (api) => ({
    path: "/v3/access_settings/activity",
    headers: { "on-behalf-of": await subuser(api) },
  }), "a subuser's"),

  // Subusers
  c(SUBUSERS, "POST", "/v3/subusers", 200, () => ({
    path: "/v3/subusers",
    body: { username: `new-sub${++serial}`, email: `new-sub${serial}@example.com`, password: "a long password", ips: ["192.0.2.10"] },
  })),
  c(SUBUSERS, "POST", "/v3/subusers", 400, async (api) => ({
    path: "/v3/subusers",
    body: { username: await subuser(api), email: "other@example.com", password: "a long password", ips: [] },
  }), "username exists"),
  c(SUBUSERS, "GET", "/v3/subusers", 200, async (api) => ({ path: `/v3/subusers?username=${await subuser(api)}&limit=10` })),
  c(SUBUSERS, "PATCH", "/v3/subusers/{subuser_name}", 204, async (api) => ({ path: `/v3/subusers/${await subuser(api)}`, body: { disabled: true } })),
  c(SUBUSERS, "PATCH", "/v3/subusers/{subuser_name}", 400, () => ({ path: "/v3/subusers/nobody-here", body: { disabled: true } }), "no such subuser"),
  c(SUBUSERS, "DELETE", "/v3/subusers/{subuser_name}", 204, async (api) => ({ path: `/v3/subusers/${await subuser(api)}` })),

  // Event webhooks
  c(WEBHOOKS, "POST", W, 201, () => ({
    path: W,
    body: { url: `https://hooks.example.com/${++serial}`, enabled: false, delivered: true, friendly_name: "Delivery" },
  })),
  c(WEBHOOKS, "POST", W, 400, () => ({ path: W, body: { enabled: false }, invalidBody: true }), "no url"),
  c(WEBHOOKS, "GET", `${W}/all`, 200, async (api) => {
    await webhook(api);
    return { path: `${W}/all` };
  }),
  c(WEBHOOKS, "POST", W, 400, async (api) => ({ path: W, body: { url: (await webhook(api)).url } }), "URL taken"),
  c(WEBHOOKS, "GET", `${W}/{id}`, 200, async (api) => ({ path: `${W}/${(await webhook(api)).id}` })),
  c(WEBHOOKS, "GET", `${W}/{id}`, 404, () => ({ path: `${W}/00000000-0000-0000-0000-000000000000` })),
  c(WEBHOOKS, "PATCH", `${W}/{id}`, 200, async (api) => {
    const { id, url } = await webhook(api);
    return { path: `${W}/${id}`, body: { url, open: true, friendly_name: "Opens" } };
  }),
  c(WEBHOOKS, "PATCH", `${W}/{id}`, 404, () => ({ path: `${W}/00000000-0000-0000-0000-000000000000`, body: { url: "https://hooks.example.com/x" } })),
  c(WEBHOOKS, "DELETE", `${W}/{id}`, 204, async (api) => ({ path: `${W}/${(await webhook(api)).id}` })),

  // Account settings: read and changed, never created or deleted
  c(MAIL_SETTINGS, "GET", "/v3/mail_settings", 200, () => ({ path: "/v3/mail_settings" })),
  ...(
    [
      ["address_whitelist", { enabled: true, list: ["ops@example.com", "example.org"] }],
      ["bounce_purge", { enabled: true, soft_bounces: 5, hard_bounces: 30 }],
      ["footer", { enabled: true, html_content: "<p>Example Inc.</p>", plain_content: "Example Inc." }],
      ["forward_bounce", { enabled: true, email: "bounces@example.com" }],
      ["forward_spam", { enabled: true, email: "spam@example.com" }],
    ] as const
  ).flatMap(([name, body]) => [
    c(MAIL_SETTINGS, "GET", `/v3/mail_settings/${name}`, 200, () => ({ path: `/v3/mail_settings/${name}` })),
    c(MAIL_SETTINGS, "PATCH", `/v3/mail_settings/${name}`, 200, () => ({ path: `/v3/mail_settings/${name}`, body })),
  ]),
  c(MAIL_SETTINGS, "PATCH", "/v3/mail_settings/bounce_purge", 400, () => ({ path: "/v3/mail_settings/bounce_purge", body: { hard_bounces: "30" }, invalidBody: true }), "days not a number"),
  c(TRACKING_SETTINGS, "GET", "/v3/tracking_settings", 200, () => ({ path: "/v3/tracking_settings" })),
  ...(
    [
      ["click", { enabled: true }],
      ["open", { enabled: true }],
      ["google_analytics", { enabled: true, utm_source: "sendgrid.com", utm_medium: "email", utm_campaign: "website" }],
      ["subscription", { enabled: true, html_content: "<p>Unsubscribe: <% %></p>", plain_content: "Unsubscribe: <% %>", landing: "<p>Done</p>", url: "https://example.com/unsubscribed", replace: "[unsub]" }],
    ] as const
  ).flatMap(([name, body]) => [
    c(TRACKING_SETTINGS, "GET", `/v3/tracking_settings/${name}`, 200, () => ({ path: `/v3/tracking_settings/${name}` })),
    c(TRACKING_SETTINGS, "PATCH", `/v3/tracking_settings/${name}`, 200, () => ({ path: `/v3/tracking_settings/${name}`, body })),
  ]),
  c(ENFORCED_TLS, "GET", "/v3/user/settings/enforced_tls", 200, () => ({ path: "/v3/user/settings/enforced_tls" })),
  c(ENFORCED_TLS, "PATCH", "/v3/user/settings/enforced_tls", 200, () => ({ path: "/v3/user/settings/enforced_tls", body: { require_tls: true, require_valid_cert: true, version: 1.2 } })),

  // Domain authentication
  c(DOMAIN_AUTH, "POST", "/v3/whitelabel/domains", 201, () => ({
    path: "/v3/whitelabel/domains",
    body: { domain: domainName(), subdomain: "em", automatic_security: true, custom_dkim_selector: "mf1", default: false },
  })),
  c(DOMAIN_AUTH, "POST", "/v3/whitelabel/domains", 201, () => ({ path: "/v3/whitelabel/domains", body: { domain: domainName() } }), "SendGrid picks the subdomain"),
  c(DOMAIN_AUTH, "GET", "/v3/whitelabel/domains", 200, async (api) => {
    await authenticatedDomain(api);
    return { path: "/v3/whitelabel/domains?limit=500&offset=0" };
  }),
  c(DOMAIN_AUTH, "GET", "/v3/whitelabel/domains/{domain_id}", 200, async (api) => ({ path: `/v3/whitelabel/domains/${await authenticatedDomain(api)}` })),
  c(DOMAIN_AUTH, "PATCH", "/v3/whitelabel/domains/{domain_id}", 200, async (api) => ({
    path: `/v3/whitelabel/domains/${await authenticatedDomain(api)}`,
    body: { default: true },
  })),
  c(DOMAIN_AUTH, "DELETE", "/v3/whitelabel/domains/{domain_id}", 204, async (api) => ({ path: `/v3/whitelabel/domains/${await authenticatedDomain(api)}` })),

  // Link branding
  c(LINK_BRANDING, "POST", "/v3/whitelabel/links", 201, () => ({ path: "/v3/whitelabel/links", body: { domain: domainName(), subdomain: "links", default: false } })),
  c(LINK_BRANDING, "GET", "/v3/whitelabel/links", 200, async (api) => {
    await brandedLink(api);
    return { path: "/v3/whitelabel/links?limit=500" };
  }),
  c(LINK_BRANDING, "GET", "/v3/whitelabel/links/{id}", 200, async (api) => ({ path: `/v3/whitelabel/links/${await brandedLink(api)}` })),
  c(LINK_BRANDING, "PATCH", "/v3/whitelabel/links/{id}", 200, async (api) => ({ path: `/v3/whitelabel/links/${await brandedLink(api)}`, body: { default: true } })),
  c(LINK_BRANDING, "DELETE", "/v3/whitelabel/links/{id}", 204, async (api) => ({ path: `/v3/whitelabel/links/${await brandedLink(api)}` })),

  // Verified senders
  c(VERIFIED_SENDERS, "POST", "/v3/verified_senders", 201, () => ({
    path: "/v3/verified_senders",
    body: {
      nickname: unique("Orders"),
      from_email: `orders${++serial}@example.com`,
      from_name: "Example Orders",
      reply_to: "orders@example.com",
      reply_to_name: "Example Orders",
      address: "1234 Fake St",
      address2: "PO Box 1234",
      state: "CA",
      city: "San Francisco",
      country: "USA",
      zip: "94105",
    },
  })),
  c(VERIFIED_SENDERS, "POST", "/v3/verified_senders", 400, () => ({ path: "/v3/verified_senders", body: { nickname: "No reply-to", from_email: "x@example.com" }, invalidBody: true }), "reply_to missing"),
  c(VERIFIED_SENDERS, "POST", "/v3/verified_senders", 400, () => ({ path: "/v3/verified_senders", body: { nickname: "Too long", from_email: "y@example.com", reply_to: "y@example.com", state: "CAL" }, invalidBody: true }), "state longer than 2"),
  c(VERIFIED_SENDERS, "GET", "/v3/verified_senders", 200, async (api) => {
    const first = await sender(api);
    await sender(api);
    return { path: `/v3/verified_senders?limit=1&lastSeenID=${first}` };
  }, "a page after lastSeenID"),
  c(VERIFIED_SENDERS, "GET", "/v3/verified_senders", 200, async (api) => ({ path: `/v3/verified_senders?id=${await sender(api)}` }), "one by id"),
  c(VERIFIED_SENDERS, "PATCH", VS, 200, async (api) => ({ path: `/v3/verified_senders/${await sender(api)}`, body: { ...senderFields(), city: "Paris" } })),
  c(VERIFIED_SENDERS, "PATCH", VS, 400, async (api) => ({ path: `/v3/verified_senders/${await sender(api)}`, body: { ...senderFields(), reply_to: "not an address" }, invalidBody: true }), "reply_to not an email"),
  c(VERIFIED_SENDERS, "PATCH", VS, 404, () => ({ path: "/v3/verified_senders/999999", body: senderFields() })),
  c(VERIFIED_SENDERS, "DELETE", VS, 204, async (api) => ({ path: `/v3/verified_senders/${await sender(api)}` })),
  c(VERIFIED_SENDERS, "DELETE", VS, 404, () => ({ path: "/v3/verified_senders/999999" })),
  c(VERIFIED_SENDERS, "POST", "/v3/verified_senders/resend/{id}", 204, async (api) => ({ path: `/v3/verified_senders/resend/${await sender(api)}` })),
  c(VERIFIED_SENDERS, "POST", "/v3/verified_senders/resend/{id}", 404, () => ({ path: "/v3/verified_senders/resend/999999" })),

  // Signed event webhooks and OAuth
  c(WEBHOOKS, "PATCH", `${W}/signed/{id}`, 200, async (api) => ({ path: `${W}/signed/${(await webhook(api)).id}`, body: { enabled: true } }), "turned on"),
  c(WEBHOOKS, "PATCH", `${W}/signed/{id}`, 200, async (api) => ({ path: `${W}/signed/${await signedWebhook(api)}`, body: { enabled: false } }), "turned off"),
  c(WEBHOOKS, "PATCH", `${W}/signed/{id}`, 404, () => ({ path: `${W}/signed/00000000-0000-0000-0000-000000000000`, body: { enabled: true } })),
  c(WEBHOOKS, "GET", `${W}/signed/{id}`, 200, async (api) => ({ path: `${W}/signed/${await signedWebhook(api)}` })),
  c(WEBHOOKS, "GET", `${W}/signed/{id}`, 404, () => ({ path: `${W}/signed/00000000-0000-0000-0000-000000000000` })),
  c(WEBHOOKS, "GET", `${W}/{id}`, 200, async (api) => ({ path: `${W}/${await signedWebhook(api)}` }), "signed: public_key shown"),
  c(WEBHOOKS, "GET", `${W}/all`, 200, async (api) => {
    await signedWebhook(api);
    await api.call("POST", W, { url: `https://hooks.example.com/${++serial}`, enabled: false, ...OAUTH });
    return { path: `${W}/all` };
  }, "signed and OAuth webhooks"),
  c(WEBHOOKS, "POST", W, 201, () => ({ path: W, body: { url: `https://hooks.example.com/${++serial}`, enabled: false, delivered: true, ...OAUTH } }), "with OAuth"),
  c(WEBHOOKS, "PATCH", `${W}/{id}`, 200, async (api) => {
    const { id, url } = await webhook(api);
    return { path: `${W}/${id}`, body: { url, ...OAUTH } };
  }, "OAuth set up"),
  c(WEBHOOKS, "PATCH", `${W}/{id}`, 200, async (api) => {
    const url = `https://hooks.example.com/${++serial}`;
    const { id } = await api.call("POST", W, { url, enabled: false, ...OAUTH });
    return { path: `${W}/${id}`, body: { url, oauth_client_id: "", oauth_client_secret: "", oauth_token_url: "" } };
  }, "OAuth turned off"),
  c(WEBHOOKS, "PATCH", `${W}/{id}`, 400, async (api) => {
    const { id, url } = await webhook(api);
    return { path: `${W}/${id}`, body: { url, oauth_client_id: "only-the-id" } };
  }, "OAuth client id without its token URL"),

  // Inbound parse settings
  c(WEBHOOKS, "POST", PARSE, 201, () => ({ path: PARSE, body: { hostname: `parse${++serial}.example.com`, url: "https://inbound.example.com/parse", spam_check: false, send_raw: true } })),
  c(WEBHOOKS, "GET", PARSE, 200, async (api) => {
    await parseSetting(api);
    return { path: PARSE };
  }),
  c(WEBHOOKS, "GET", `${PARSE}/{hostname}`, 200, async (api) => ({ path: `${PARSE}/${await parseSetting(api)}` })),
  c(WEBHOOKS, "GET", `${PARSE}/{hostname}`, 404, () => ({ path: `${PARSE}/nowhere.example.com` })),
  c(WEBHOOKS, "PATCH", `${PARSE}/{hostname}`, 200, async (api) => ({ path: `${PARSE}/${await parseSetting(api)}`, body: { url: "https://inbound.example.com/v2", send_raw: true } })),
  c(WEBHOOKS, "PATCH", `${PARSE}/{hostname}`, 404, () => ({ path: `${PARSE}/nowhere.example.com`, body: { url: "https://inbound.example.com/v2" } })),
  c(WEBHOOKS, "DELETE", `${PARSE}/{hostname}`, 204, async (api) => ({ path: `${PARSE}/${await parseSetting(api)}` })),
  c(WEBHOOKS, "DELETE", `${PARSE}/{hostname}`, 404, () => ({ path: `${PARSE}/nowhere.example.com` })),
];

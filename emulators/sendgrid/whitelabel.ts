/**
 * Sender identity: domain authentication (`/v3/whitelabel/domains`,
 * tsg_domain_authentication_v3.json) and link branding (`/v3/whitelabel/links`,
 * tsg_link_branding_v3.json).
 *
 * Both are made by POST and changed by PATCH of `default` only (domains also `custom_spf`): the
 * domain, subdomain, DKIM selector and security mode are fixed at creation. A new default takes the
 * default from the owner's other one. Lists are bare arrays, paged with `limit` and `offset`.
 *
 * The DNS records follow SendGrid's published examples: with automatic security a mail CNAME and
 * two DKIM CNAMEs (`s1`/`s2`, or `<selector>`/`<selector>2` with a custom selector); with manual
 * security an MX, an SPF TXT and a DKIM TXT (shapes of the document's `AuthenticatedDomainSpf`).
 * Link branding has the link CNAME and the owner CNAME (`<user_id>.<domain>`). No DNS is looked up:
 * `valid` is what the emulator holds (false until set through the admin surface, which stands for
 * records published and validated).
 */
import type { VendorStore } from "../core/store";
import type { EmuResponse } from "../core/types";
import { route, type SgContext } from "./context";
import { fail, notFound, objectBody, Validator } from "./errors";

const DOMAINS = "whitelabel_domains";
const LINKS = "whitelabel_links";

interface Owned {
  id: number;
  owner: string;
  domain: string;
  subdomain: string;
  default: boolean;
  /** Whether the records are published and validated (set through the admin surface). */
  valid: boolean;
}

export interface DomainAuthRecord extends Owned {
  ips: string[];
  custom_spf: boolean;
  automatic_security: boolean;
  custom_dkim_selector: string | null;
}

export type LinkBrandingRecord = Owned;

const HOST_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
const isHost = (text: string, minLabels: number) => {
  const labels = text.split(".");
  return labels.length >= minLabels && text.length <= 253 && labels.every((l) => HOST_LABEL.test(l));
};

/** The account's user id, and a stable one per subuser. */
function userId(owner: string): number {
  let h = 1446226;
  for (const ch of owner) h = (h * 31 + ch.charCodeAt(0)) % 90_000_000;
  return owner === "" ? 1446226 : 10_000_000 + h;
}
const username = (owner: string) => (owner === "" ? "mailform-emulator" : owner);

/** A stable base64 public key for a domain's manual-security DKIM record (the size of a 2048-bit RSA key). */
function dkimKey(id: number): string {
  const bytes = Buffer.alloc(294);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (id * 131 + i * 17) & 0xff;
  return bytes.toString("base64");
}

function collection<T extends Owned>(store: VendorStore, name: string) {
  return store.collection<T>(name);
}

function own<T extends Owned>(ctx: SgContext, name: string): T[] {
  return collection<T>(ctx.store, name).list().filter((o) => o.owner === ctx.caller.owner);
}

function ownOne<T extends Owned>(ctx: SgContext, name: string, param: string, what: string): T {
  const raw = ctx.params[param] ?? "";
  const found = /^\d+$/.test(raw) ? collection<T>(ctx.store, name).get(Number(raw)) : undefined;
  if (!found || found.owner !== ctx.caller.owner) throw notFound(`${what} not found`);
  return found;
}

/** Saves `record`; when it becomes the default, the owner's other one stops being it. */
function save<T extends Owned>(ctx: SgContext, name: string, record: T): T {
  if (record.default) {
    for (const other of own<T>(ctx, name)) if (other.id !== record.id && other.default) collection<T>(ctx.store, name).set(other.id, { ...other, default: false });
  }
  return collection<T>(ctx.store, name).set(record.id, record);
}

/** `limit` and `offset` of a list (no limit: every item). */
function page<T>(ctx: SgContext, all: T[]): T[] {
  const v = new Validator();
  const int = (name: string, min: number): number | undefined => {
    const raw = ctx.req.query.get(name);
    if (raw === null || raw === "") return undefined;
    if (!/^\d+$/.test(raw) || Number(raw) < min) v.add(name, `${name} must be an integer of ${min} or more`);
    return Number(raw);
  };
  const limit = int("limit", 1);
  const offset = int("offset", 0) ?? 0;
  v.check();
  return all.slice(offset, limit === undefined ? undefined : offset + limit);
}

const record = (valid: boolean, type: "cname" | "txt" | "mx", host: string, data: string) => ({ valid, type, host, data });

function renderDomain(d: DomainAuthRecord): Record<string, unknown> {
  const uid = userId(d.owner);
  const sending = `${d.subdomain}.${d.domain}`;
  const selector = d.custom_dkim_selector ?? "s";
  const [first, second] = d.custom_dkim_selector ? [selector, `${selector}2`] : ["s1", "s2"];
  const dns = d.automatic_security
    ? {
        mail_cname: record(d.valid, "cname", sending, `u${uid}.wl.sendgrid.net`),
        dkim1: record(d.valid, "cname", `${first}._domainkey.${d.domain}`, `${first}.domainkey.u${uid}.wl.sendgrid.net`),
        dkim2: record(d.valid, "cname", `${second}._domainkey.${d.domain}`, `${second}.domainkey.u${uid}.wl.sendgrid.net`),
      }
    : {
        mail_server: record(d.valid, "mx", sending, "mx.sendgrid.net"),
        subdomain_spf: record(d.valid, "txt", sending, `v=spf1 include:sendgrid.net ${d.custom_spf ? d.ips.map((ip) => `ip4:${ip} `).join("") : ""}~all`),
        dkim: record(d.valid, "txt", `${first}._domainkey.${d.domain}`, `k=rsa; t=s; p=${dkimKey(d.id)}`),
      };
  return {
    id: d.id,
    user_id: uid,
    subdomain: d.subdomain,
    domain: d.domain,
    username: username(d.owner),
    ips: d.ips,
    custom_spf: d.custom_spf,
    default: d.default,
    legacy: false,
    automatic_security: d.automatic_security,
    valid: d.valid,
    dns,
  };
}

function renderLink(l: LinkBrandingRecord): Record<string, unknown> {
  const uid = userId(l.owner);
  return {
    id: l.id,
    domain: l.domain,
    subdomain: l.subdomain,
    username: username(l.owner),
    user_id: uid,
    default: l.default,
    valid: l.valid,
    legacy: false,
    dns: {
      domain_cname: record(l.valid, "cname", `${l.subdomain}.${l.domain}`, "sendgrid.net"),
      owner_cname: record(l.valid, "cname", `${uid}.${l.domain}`, "sendgrid.net"),
    },
  };
}

/** `domain` and `subdomain` of a create, validated; SendGrid picks a subdomain when none is given. */
function names(ctx: SgContext, v: Validator, body: Record<string, unknown>, name: string, prefix: string) {
  const domain = v.string(body, "domain", { required: true })?.trim().toLowerCase();
  if (domain !== undefined && !isHost(domain, 2)) v.add("domain", "domain must be a valid domain name, such as example.com");
  const given = v.string(body, "subdomain")?.trim().toLowerCase();
  if (given !== undefined && !isHost(given, 1)) v.add("subdomain", "subdomain must be a valid host name label, such as em or links");
  const subdomain = given ?? `${prefix}${ctx.store.nextId(`${name}_subdomain`, 1000)}`;
  if (domain !== undefined && own(ctx, name).some((o) => o.domain === domain && o.subdomain === subdomain)) {
    v.add("domain", `${subdomain}.${domain} is already in use on this account`);
  }
  return { domain: domain ?? "", subdomain };
}

function createDomain(ctx: SgContext): EmuResponse {
  const body = objectBody(ctx.body);
  const v = new Validator();
  const { domain, subdomain } = names(ctx, v, body, DOMAINS, "em");
  const selector = v.string(body, "custom_dkim_selector");
  if (selector !== undefined && !/^[a-z0-9]{3}$/i.test(selector)) v.add("custom_dkim_selector", "custom_dkim_selector must be three letters or numbers");
  const automatic = v.boolean(body, "automatic_security") ?? true;
  const customSpf = v.boolean(body, "custom_spf") ?? false;
  if (customSpf && automatic) v.add("custom_spf", "custom_spf is only available with automatic_security false");
  const ips = body.ips === undefined ? [] : body.ips;
  if (!Array.isArray(ips) || ips.some((ip) => typeof ip !== "string")) v.add("ips", "ips must be a list of IP addresses");
  v.string(body, "username");
  v.oneOf(body, "region", ["global", "eu"]);
  const isDefault = v.boolean(body, "default") ?? false;
  v.check();
  const created: DomainAuthRecord = {
    id: ctx.store.nextId(DOMAINS, 302183),
    owner: ctx.caller.owner,
    domain,
    subdomain,
    ips: ips as string[],
    custom_spf: customSpf,
    default: isDefault,
    automatic_security: automatic,
    custom_dkim_selector: selector?.toLowerCase() ?? null,
    valid: false,
  };
  return { status: 201, body: renderDomain(save(ctx, DOMAINS, created)) };
}

function updateDomain(ctx: SgContext): EmuResponse {
  const current = ownOne<DomainAuthRecord>(ctx, DOMAINS, "domain_id", "authenticated domain");
  const body = objectBody(ctx.body);
  const v = new Validator();
  const isDefault = v.boolean(body, "default");
  const customSpf = v.boolean(body, "custom_spf");
  if (customSpf === true && current.automatic_security) v.add("custom_spf", "custom_spf is only available with automatic_security false");
  v.check();
  const next = { ...current, ...(isDefault !== undefined ? { default: isDefault } : {}), ...(customSpf !== undefined ? { custom_spf: customSpf } : {}) };
  // The document answers an update with a list holding the domain.
  return { status: 200, body: [renderDomain(save(ctx, DOMAINS, next))] };
}

function createLink(ctx: SgContext): EmuResponse {
  const body = objectBody(ctx.body);
  const v = new Validator();
  const { domain, subdomain } = names(ctx, v, body, LINKS, "url");
  v.oneOf(body, "region", ["eu", "us"]);
  const isDefault = v.boolean(body, "default") ?? false;
  v.check();
  const created: LinkBrandingRecord = { id: ctx.store.nextId(LINKS, 9000), owner: ctx.caller.owner, domain, subdomain, default: isDefault, valid: false };
  return { status: 201, body: renderLink(save(ctx, LINKS, created)) };
}

function updateLink(ctx: SgContext): EmuResponse {
  const current = ownOne<LinkBrandingRecord>(ctx, LINKS, "id", "link branding");
  const body = objectBody(ctx.body);
  const v = new Validator();
  const isDefault = v.boolean(body, "default");
  v.check();
  if (isDefault === undefined) throw fail(400, "default is required", "default");
  return { status: 200, body: renderLink(save(ctx, LINKS, { ...current, default: isDefault })) };
}

export function whitelabelRoutes() {
  const D = "/v3/whitelabel/domains";
  const L = "/v3/whitelabel/links";
  const domainsOf = (ctx: SgContext) => {
    const wanted = ctx.req.query.get("domain")?.toLowerCase();
    return own<DomainAuthRecord>(ctx, DOMAINS).filter((d) => !wanted || d.domain === wanted);
  };
  return [
    route("POST", D, "whitelabel.create", createDomain),
    route("GET", D, "whitelabel.read", (ctx) => ({ status: 200, body: page(ctx, domainsOf(ctx)).map(renderDomain) })),
    route("GET", `${D}/{domain_id}`, "whitelabel.read", (ctx) => ({
      status: 200,
      body: renderDomain(ownOne<DomainAuthRecord>(ctx, DOMAINS, "domain_id", "authenticated domain")),
    })),
    route("PATCH", `${D}/{domain_id}`, "whitelabel.update", updateDomain),
    route("DELETE", `${D}/{domain_id}`, "whitelabel.delete", (ctx) => {
      collection(ctx.store, DOMAINS).delete(ownOne<DomainAuthRecord>(ctx, DOMAINS, "domain_id", "authenticated domain").id);
      return { status: 204 };
    }),
    route("POST", L, "whitelabel.create", createLink),
    route("GET", L, "whitelabel.read", (ctx) => ({ status: 200, body: page(ctx, own<LinkBrandingRecord>(ctx, LINKS)).map(renderLink) })),
    route("GET", `${L}/{id}`, "whitelabel.read", (ctx) => ({ status: 200, body: renderLink(ownOne<LinkBrandingRecord>(ctx, LINKS, "id", "link branding")) })),
    route("PATCH", `${L}/{id}`, "whitelabel.update", updateLink),
    route("DELETE", `${L}/{id}`, "whitelabel.delete", (ctx) => {
      collection(ctx.store, LINKS).delete(ownOne<LinkBrandingRecord>(ctx, LINKS, "id", "link branding").id);
      return { status: 204 };
    }),
  ];
}

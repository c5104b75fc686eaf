/**
 * Contract of the Mailjet emulator. Mailjet publishes no OpenAPI document, so the facts are read
 * out of `mailjet.md` and the Mailjet part of `conventions.md` (in MAILFORM_SPECS_DIR, default
 * ../shared/specs) and every emulated route is held to them: the `{Count, Data, Total}`
 * envelope, the status codes, the field names, the read-only fields and the error shape. A fact
 * the parser cannot find fails the suite: a reworded document must be looked at, not skipped.
 */
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_CREDENTIALS } from "../../emulators/credentials";
import { request, useEmulators, type Reply } from "./helpers";

const SPECS_DIR = process.env.MAILFORM_SPECS_DIR
  ? resolve(process.env.MAILFORM_SPECS_DIR)
  : resolve(__dirname, "../../../shared/specs");
const MAILJET_MD = join(SPECS_DIR, "mailjet.md");
const CONVENTIONS_MD = join(SPECS_DIR, "conventions.md");
const AVAILABLE = existsSync(MAILJET_MD) && existsSync(CONVENTIONS_MD);

// ---- reading the documents -------------------------------------------------------------------

/** `## heading` -> its lines. */
function sections(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let current = "";
  for (const line of text.split("\n")) {
    const h = /^##\s+(.*)$/.exec(line);
    if (h) out.set((current = h[1]!.trim()), []);
    else out.get(current)?.push(line);
  }
  return out;
}

/** Bullet items of a section (continuation lines joined). */
function bullets(lines: string[]): string[] {
  const items: string[] = [];
  for (const line of lines) {
    if (/^- /.test(line)) items.push(line.slice(2).trim());
    else if (/^\s+\S/.test(line) && items.length > 0) items[items.length - 1] += ` ${line.trim()}`;
  }
  return items;
}

/** PascalCase identifiers in backticks: `Name`, `OwnerId`... */
const names = (text: string): string[] => [...text.matchAll(/`([A-Z][A-Za-z]*)`/g)].map((m) => m[1]!);
/** Names inside a backticked brace list: `{Name, ACL?, IsActive?}` -> Name, ACL, IsActive. */
const braced = (text: string): string[] =>
  (/`\{([^}]*)\}`/.exec(text)?.[1] ?? "").split(",").map((s) => s.trim().replace(/\?$/, "")).filter(Boolean);

function need<T>(value: T | undefined | null, what: string): T {
  if (value === undefined || value === null || (Array.isArray(value) && value.length === 0)) {
    throw new Error(`mailjet.md / conventions.md: cannot find ${what}; the document changed, update this suite`);
  }
  return value;
}

interface Facts {
  envelopeKeys: string[];
  errorKeys: string[];
  postStatus: number;
  deleteStatus: number;
  defaultLimit: number;
  maxLimit: number;
  template: { writable: string[]; readOnly: string[]; filters: string[]; duplicateStatus: number };
  content: { parts: string[]; headers: string[] };
  apikey: { create: string[]; createShows: string[]; other: string[]; runlevels: string[] };
  contactslist: { writable: string[]; readOnly: string[] };
  sender: { writable: string[]; fixed: string; readOnly: string[]; statuses: string[] };
  eventcallbackurl: { writable: string[]; eventTypes: string[]; statuses: string[]; versions: number[] };
}

function readFacts(): Facts {
  const mj = sections(readFileSync(MAILJET_MD, "utf8"));
  const conv = readFileSync(CONVENTIONS_MD, "utf8");
  const mjConv = need(/## Mailjet[\s\S]*?(?=\n## |$)/.exec(conv)?.[0], "the Mailjet section of conventions.md");
  const section = (title: RegExp) => {
    const key = need([...mj.keys()].find((k) => title.test(k)), `section ${title}`);
    return bullets(mj.get(key)!);
  };
  const item = (items: string[], start: RegExp, what: string) => need(items.find((i) => start.test(i)), what);

  const template = section(/^template\s+\(/);
  const content = section(/^template content/);
  const apikey = section(/^apikey/);
  const related = section(/^Related resources/);
  const contactslist = item(related, /^`contactslist`/, "contactslist");
  const sender = item(related, /^`sender`/, "sender");
  const hook = item(related, /^`eventcallbackurl`/, "eventcallbackurl");
  const contentBody = item(content, /^Body:/, "the detailcontent body");
  const status = (re: RegExp, what: string) => Number(need(re.exec(mjConv)?.[1], what));
  const afterColon = (text: string, label: RegExp) => need(label.exec(text)?.[1], `${label}`);

  const apikeyFields = item(apikey, /^Other fields:/, "apikey fields");
  const runlevels = [...(/\((`Normal`[^)]*)\)/.exec(apikeyFields)?.[1] ?? "").matchAll(/`(\w+)`/g)].map((m) => m[1]!);

  return {
    envelopeKeys: need(/`\{"Count": n, "Data": \[\.\.\.\], "Total": n\}`/.test(mjConv) ? ["Count", "Data", "Total"] : undefined, "the envelope"),
    errorKeys: need([...(/Errors: `(\{.*?\})`/.exec(mjConv)?.[1] ?? "").matchAll(/"(\w+)":/g)].map((m) => m[1]!), "the error shape"),
    postStatus: status(/POST (\d{3})/, "POST's status"),
    deleteStatus: status(/DELETE (\d{3})/, "DELETE's status"),
    defaultLimit: status(/Limit`? \(default (\d+)/, "the default Limit"),
    maxLimit: status(/Limit`? \(default \d+, max (\d+)/, "the maximum Limit"),
    template: {
      writable: names(item(template, /^Writable:/, "template writable fields")),
      readOnly: names(item(template, /^Read-only:/, "template read-only fields")),
      filters: names(item(template, /^List filters:/, "template list filters")).filter((f) => f !== "Limit" && f !== "Offset"),
      duplicateStatus: Number(need(/duplicate name fails with (\d{3})/.exec(item(template, /unique/, "template uniqueness"))?.[1], "the duplicate status")),
    },
    content: {
      parts: [...contentBody.matchAll(/"([A-Za-z-]+)":/g)].map((m) => m[1]!).filter((k) => !["From", "Subject", "Reply-to"].includes(k)),
      headers: [...(/"Headers": \{([^}]*)\}/.exec(contentBody)?.[1] ?? "").matchAll(/"([A-Za-z-]+)"/g)].map((m) => m[1]!),
    },
    apikey: {
      create: braced(item(apikey, /^Create/, "apikey create")),
      createShows: names(afterColon(item(apikey, /^Create/, "apikey create"), /response carries (.*)$/)),
      other: names(apikeyFields).filter((n) => !runlevels.includes(n)),
      runlevels: need(runlevels, "the Runlevel values"),
    },
    contactslist: {
      writable: braced(contactslist),
      readOnly: names(afterColon(contactslist, /read-only (.*)$/)),
    },
    sender: {
      writable: braced(sender),
      fixed: need(/`(\w+)` cannot change/.exec(sender)?.[1], "the sender's fixed field"),
      readOnly: names(afterColon(sender, /after creation;(.*)$/)).filter((n) => !["Inactive", "Active", "Deleted"].includes(n)),
      statuses: [...(/`Status` \(([^)]*)\)/.exec(sender)?.[1] ?? "").matchAll(/`(\w+)`/g)].map((m) => m[1]!),
    },
    eventcallbackurl: {
      writable: braced(hook),
      eventTypes: need(/EventType `([a-z|]+)`/.exec(hook)?.[1], "event types").split("|"),
      statuses: need(/Status `([a-z|]+)`/.exec(hook)?.[1], "hook statuses").split("|"),
      versions: need(/Version (\d) or (\d)/.exec(hook), "hook versions").slice(1, 3).map(Number),
    },
  };
}

// ---- the emulator ----------------------------------------------------------------------------

const AUTH = `Basic ${Buffer.from(`${DEFAULT_CREDENTIALS.mailjet.apiKey}:${DEFAULT_CREDENTIALS.mailjet.secretKey}`).toString("base64")}`;
const t = useEmulators();
const mj = (method: string, path: string, body?: unknown, auth: string | null = AUTH): Promise<Reply> =>
  request(t.emu.urls.mailjet, method, `/v3/REST${path}`, { body, headers: auth ? { Authorization: auth } : {} });

describe.skipIf(!AVAILABLE)(
  AVAILABLE ? "contract: Mailjet emulator against mailjet.md and conventions.md" : `contract: Mailjet (skipped: no specs at ${SPECS_DIR}; set MAILFORM_SPECS_DIR)`,
  () => {
    const f = AVAILABLE ? readFacts() : (undefined as unknown as Facts);

    const expectEnvelope = (reply: Reply, status: number, count?: number) => {
      expect(reply.status, `${reply.status} ${reply.text}`).toBe(status);
      expect(Object.keys(reply.json).sort()).toEqual([...f.envelopeKeys].sort());
      expect(reply.json.Count).toBe(reply.json.Data.length);
      if (count !== undefined) expect(reply.json.Count).toBe(count);
      return reply.json.Data as Record<string, unknown>[];
    };
    const expectError = (reply: Reply, status: number) => {
      expect(reply.status, reply.text).toBe(status);
      expect(Object.keys(reply.json).sort()).toEqual([...f.errorKeys].sort());
      expect(reply.json.StatusCode).toBe(status);
      expect(typeof reply.json.ErrorMessage).toBe("string");
      expect(reply.json.ErrorMessage).not.toBe("");
    };
    const expectNoBody = (reply: Reply, status: number) => {
      expect(reply.status, reply.text).toBe(status);
      expect(reply.text).toBe("");
    };

    interface Resource {
      path: string;
      create: Record<string, unknown>;
      /** A PUT that changes a writable field. */
      change: Record<string, unknown>;
      fields: string[];
      readOnly: string[];
    }

    /** The route facts every resource shares, given one valid create body. */
    async function checkResource(r: Resource) {
      expectError(await mj("GET", r.path, undefined, null), 401);
      expectError(await mj("POST", r.path, r.create, null), 401);

      const created = expectEnvelope(await mj("POST", r.path, r.create), f.postStatus, 1)[0]!;
      for (const field of [...r.fields, ...r.readOnly]) expect(created, `${r.path} shows ${field}`).toHaveProperty(field);
      const id = created.ID as number;

      expect(expectEnvelope(await mj("GET", `${r.path}/${id}`), 200, 1)[0]).toMatchObject({ ID: id });
      expect(expectEnvelope(await mj("GET", r.path), 200).some((o) => o.ID === id)).toBe(true);

      const changed = expectEnvelope(await mj("PUT", `${r.path}/${id}`, r.change), 200, 1)[0]!;
      expect(changed).toMatchObject(r.change);
      expectNoBody(await mj("PUT", `${r.path}/${id}`, r.change), 304);
      for (const field of r.readOnly) {
        expectError(await mj("PUT", `${r.path}/${id}`, { [field]: created[field] }), 400);
      }
      expectError(await mj("PUT", `${r.path}/${id}`, { NoSuchProperty: 1 }), 400);
      expectError(await mj("PUT", `${r.path}/${id}`, r.change, null), 401);

      expectNoBody(await mj("DELETE", `${r.path}/${id}`), f.deleteStatus);
      expectError(await mj("GET", `${r.path}/${id}`), 404);
      return created;
    }

    it("template: envelope, status codes, fields, read-only fields, keys and the duplicate rule", async () => {
      expect(f.template.writable).toEqual(expect.arrayContaining(["Name", "OwnerType", "EditMode", "Purposes", "Locale"]));
      const created = await checkResource({
        path: "/template",
        create: { Name: "Contract", OwnerType: "apikey", Purposes: ["transactional"], EditMode: 2, Locale: "en_US", Categories: ["c"] },
        change: { Description: "changed", IsStarred: true },
        fields: f.template.writable,
        readOnly: [...f.template.readOnly, "LocaleList"],
      });
      expect(created).toMatchObject({ EditMode: 2, OwnerType: "apikey", Purposes: ["transactional"] });

      const first = expectEnvelope(await mj("POST", "/template", { Name: "Twice" }), f.postStatus, 1)[0]!;
      expectError(await mj("POST", "/template", { Name: "Twice" }), f.template.duplicateStatus);
      const byKey = expectEnvelope(await mj("GET", `/template/${encodeURIComponent(`${first.OwnerType}|Twice`)}`), 200, 1)[0]!;
      expect(byKey.ID).toBe(first.ID);
      for (const filter of f.template.filters) {
        const value = /SelectionMethod$/.test(filter) ? "containsany" : filter === "EditMode" ? "1" : filter === "OwnerType" ? "apikey" : filter === "Purposes" ? "marketing" : "x";
        expectEnvelope(await mj("GET", `/template?${filter}=${value}`), 200);
      }
    });

    it("template content: POST replaces, PUT merges, GET in the envelope", async () => {
      expect(f.content.parts).toEqual(["Headers", "Html-part", "Text-part", "MJMLContent"]);
      const tpl = expectEnvelope(await mj("POST", "/template", { Name: "Content contract" }), f.postStatus, 1)[0]!;
      const path = `/template/${tpl.ID}/detailcontent`;
      const headers = Object.fromEntries(f.content.headers.map((h) => [h, `${h} value`]));
      const full = { Headers: headers, "Html-part": "<p>h</p>", "Text-part": "t", MJMLContent: "<mjml/>" };
      expect(expectEnvelope(await mj("POST", path, full), f.postStatus, 1)[0]).toEqual(full);
      expect(expectEnvelope(await mj("GET", path), 200, 1)[0]).toEqual(full);
      expect(expectEnvelope(await mj("PUT", path, { "Text-part": "t2" }), 200, 1)[0]).toEqual({ ...full, "Text-part": "t2" });
      expectNoBody(await mj("PUT", path, { "Text-part": "t2" }), 304);
      const replaced = expectEnvelope(await mj("POST", path, { "Html-part": "<p>only</p>" }), f.postStatus, 1)[0]!;
      for (const part of f.content.parts.filter((p) => p !== "Html-part")) {
        expect(replaced[part], `${part} left out of a POST becomes empty`).toEqual(part === "Headers" ? {} : "");
      }
      expectError(await mj("GET", path, undefined, null), 401);
      expectError(await mj("GET", "/template/1/detailcontent"), 404);
    });

    it("apikey: create fields, the secret on create only, the other fields read-only", async () => {
      expect(f.apikey.create).toEqual(["Name", "ACL", "IsActive"]);
      expect(f.apikey.createShows).toEqual(["APIKey", "SecretKey"]);
      const created = await checkResource({
        path: "/apikey",
        create: { Name: "Contract key", ACL: "", IsActive: true },
        change: { IsActive: false },
        fields: [...f.apikey.create, ...f.apikey.createShows],
        readOnly: f.apikey.other,
      });
      expect(f.apikey.runlevels).toContain(created.Runlevel);
      const again = expectEnvelope(await mj("POST", "/apikey", { Name: "Shown once" }), f.postStatus, 1)[0]!;
      expect(typeof again.SecretKey).toBe("string");
      const shown = expectEnvelope(await mj("GET", `/apikey/${again.ID}`), 200, 1)[0]!;
      expect(shown).not.toHaveProperty("SecretKey");
      expect(shown.APIKey).toBe(again.APIKey);
      for (const listed of expectEnvelope(await mj("GET", "/apikey"), 200)) expect(listed).not.toHaveProperty("SecretKey");
    });

    it("contactslist: fields and read-only fields", async () => {
      await checkResource({
        path: "/contactslist",
        create: { Name: "Contract list", IsDeleted: false },
        change: { Name: "Contract list 2" },
        fields: f.contactslist.writable,
        readOnly: f.contactslist.readOnly,
      });
    });

    it("sender: fields, read-only fields, the Email fixed after creation", async () => {
      expect(f.sender.fixed).toBe("Email");
      const created = await checkResource({
        path: "/sender",
        create: { Email: "contract@example.com", EmailType: "transactional", IsDefaultSender: false, Name: "Contract" },
        change: { Name: "Contract 2" },
        fields: f.sender.writable,
        readOnly: f.sender.readOnly,
      });
      expect(f.sender.statuses).toContain(created.Status);
      const again = expectEnvelope(await mj("POST", "/sender", { Email: "fixed@example.com" }), f.postStatus, 1)[0]!;
      expectError(await mj("PUT", `/sender/${again.ID}`, { [f.sender.fixed]: "moved@example.com" }), 400);
    });

    it("parseroute: the fields the SDK declares (mailjet-sdk-types/Parse.ts), an address assigned when none is given", async () => {
      const sdk = readFileSync(join(SPECS_DIR, "mailjet-sdk-types", "Parse.ts"), "utf8");
      const declared = [.../interface ParseRoute \{([^}]*)\}/.exec(sdk)![1]!.matchAll(/(\w+)\??:/g)].map((m) => m[1]!);
      const postable = [.../PostParseRouteBody = \{([^}]*)\}/.exec(sdk)![1]!.matchAll(/(\w+)\??:/g)].map((m) => m[1]!);
      expect(declared.sort()).toEqual(["APIKeyID", "Email", "ID", "Url"]);
      const created = await checkResource({
        path: "/parseroute",
        create: { Url: "https://hooks.example.com/parse", Email: "inbound@parse.example.com" },
        change: { Url: "https://hooks.example.com/parse-2" },
        fields: postable,
        readOnly: declared.filter((d) => !postable.includes(d)),
      });
      expect(Object.keys(created).sort()).toEqual(declared.sort());
      const assigned = expectEnvelope(await mj("POST", "/parseroute", { Url: "https://hooks.example.com/p" }), f.postStatus, 1)[0]!;
      expect(assigned.Email).toMatch(/@parse-in1\.mailjet\.com$/);
      expectError(await mj("POST", "/parseroute", { Url: "https://hooks.example.com/q", Email: assigned.Email }), 400);
      expectError(await mj("POST", "/parseroute", { Email: "x@parse.example.com" }), 400);
    });

    it("contactmetadata: the fields and values the SDK declares (mailjet-sdk-types/Contact.ts), NameSpace fixed after creation", async () => {
      const sdk = readFileSync(join(SPECS_DIR, "mailjet-sdk-types", "Contact.ts"), "utf8");
      const block = (re: RegExp) => [...re.exec(sdk)![1]!.matchAll(/(\w+)\??:/g)].map((m) => m[1]!);
      const enumValues = (name: string) => [...new RegExp(`enum ${name} \\{([^}]*)\\}`).exec(sdk)![1]!.matchAll(/'(\w+)'/g)].map((m) => m[1]!);
      const declared = block(/interface ContactMetaData \{([^}]*)\}/);
      const postable = block(/PostContactMetaDataBody = \{([^}]*)\}/);
      const puttable = block(/PutContactMetaDataBody = \{([^}]*)\}/);
      const types = enumValues("DataType");
      const spaces = enumValues("NameSpace");
      const created = await checkResource({
        path: "/contactmetadata",
        create: { Name: "plan", Datatype: types[0], NameSpace: spaces[0] },
        change: { Datatype: types[1] },
        fields: postable,
        readOnly: declared.filter((d) => !postable.includes(d)),
      });
      expect(Object.keys(created).sort()).toEqual(declared.sort());
      for (const [i, type] of types.entries()) {
        for (const space of spaces) expectEnvelope(await mj("POST", "/contactmetadata", { Name: `p${i}${space}`, Datatype: type, NameSpace: space }), f.postStatus, 1);
      }
      expectError(await mj("POST", "/contactmetadata", { Name: "p0static" }), 400);
      expectError(await mj("POST", "/contactmetadata", { Name: "x", Datatype: "text" }), 400);
      const fixed = postable.filter((p) => !puttable.includes(p));
      expect(fixed).toEqual(["NameSpace"]);
      const one = expectEnvelope(await mj("POST", "/contactmetadata", { Name: "fixed", NameSpace: spaces[0] }), f.postStatus, 1)[0]!;
      expectError(await mj("PUT", `/contactmetadata/${one.ID}`, { NameSpace: spaces[1] }), 400);
      expect(expectEnvelope(await mj("GET", `/contactmetadata?Namespace=${spaces[1]}&DataType=${types[0]}`), 200).map((p) => p.Name)).toEqual(["p0historic"]);
    });

    it("dns: a sender's domain entry with the fields the SDK declares (mailjet-sdk-types/SenderAddressAndDomain.ts), read-only", async () => {
      const sdk = readFileSync(join(SPECS_DIR, "mailjet-sdk-types", "SenderAddressAndDomain.ts"), "utf8");
      const declared = [.../interface DNS \{([^}]*)\}/.exec(sdk)![1]!.matchAll(/(\w+)\??:/g)].map((m) => m[1]!);
      const checkStatuses = [.../enum DKIMConfigurationCheckStatus \{([^}]*)\}/.exec(sdk)![1]!.matchAll(/'([^']+)'/g)].map((m) => m[1]!);
      const sender = expectEnvelope(await mj("POST", "/sender", { Email: "dns@contract.example.com" }), f.postStatus, 1)[0]!;
      const dns = expectEnvelope(await mj("GET", `/dns/${sender.DNSID}`), 200, 1)[0]!;
      expect(Object.keys(dns).sort()).toEqual(declared.sort());
      expect(checkStatuses).toContain(dns.DKIMStatus);
      expect(dns.Domain).toBe("contract.example.com");
      expect(expectEnvelope(await mj("GET", "/dns"), 200).some((d) => d.ID === sender.DNSID)).toBe(true);
      expectError(await mj("GET", "/dns/999999"), 404);
      expectError(await mj("GET", "/dns", undefined, null), 401);
    });

    it("user and myprofile: one object each, with the fields the SDK declares (mailjet-sdk-types/Setting.ts), PUT of the writable ones", async () => {
      const sdk = readFileSync(join(SPECS_DIR, "mailjet-sdk-types", "Setting.ts"), "utf8");
      const fields = (name: string) => [...new RegExp(`interface ${name} \\{([^}]*)\\}`).exec(sdk)![1]!.matchAll(/(\w+)\??:/g)].map((m) => m[1]!);
      const omitted = (body: string) => [...new RegExp(`${body} =\\s*Partial<Omit<\\w+, ([^>]*)>>`).exec(sdk)![1]!.matchAll(/'(\w+)'/g)].map((m) => m[1]!);
      for (const [path, type, body, change] of [
        ["/user", "User", "PutUserBody", { Timezone: "America/New_York", Locale: "fr_FR" }],
        ["/myprofile", "MyProfile", "PutMyProfileBody", { CompanyName: "Example Inc.", BillingEmail: "billing@example.com" }],
      ] as const) {
        const live = expectEnvelope(await mj("GET", path), 200, 1)[0]!;
        expect(Object.keys(live).sort()).toEqual(fields(type).sort());
        expect(expectEnvelope(await mj("PUT", path, change), 200, 1)[0]).toMatchObject(change);
        expectNoBody(await mj("PUT", path, change), 304);
        for (const fixed of omitted(body)) expectError(await mj("PUT", path, { [fixed]: live[fixed] }), 400);
        expectError(await mj("GET", path, undefined, null), 401);
      }
    });

    it("eventcallbackurl: fields and their documented values", async () => {
      await checkResource({
        path: "/eventcallbackurl",
        create: { Url: "https://hooks.example.com/contract", EventType: f.eventcallbackurl.eventTypes[0], IsBackup: false, Status: f.eventcallbackurl.statuses[0], Version: f.eventcallbackurl.versions[0] },
        change: { Status: f.eventcallbackurl.statuses[1] },
        fields: f.eventcallbackurl.writable,
        readOnly: ["ID"],
      });
      for (const type of f.eventcallbackurl.eventTypes) {
        for (const version of f.eventcallbackurl.versions) {
          const body = { Url: `https://hooks.example.com/${type}`, EventType: type, Version: version, IsBackup: version === f.eventcallbackurl.versions[1] };
          expectEnvelope(await mj("POST", "/eventcallbackurl", body), f.postStatus, 1);
        }
      }
      expectError(await mj("POST", "/eventcallbackurl", { Url: "https://x.example", EventType: "nonsense" }), 400);
    });

    it("lists: Limit defaults and caps as documented, Offset pages, countOnly counts", async () => {
      const n = f.defaultLimit + 5;
      for (let i = 0; i < n; i++) expectEnvelope(await mj("POST", "/contactslist", { Name: `Paged ${i}` }), f.postStatus, 1);
      const total = (await mj("GET", "/contactslist?countOnly=1")).json.Total as number;
      expect(total).toBeGreaterThanOrEqual(n);
      expectEnvelope(await mj("GET", "/contactslist"), 200, f.defaultLimit);
      expectEnvelope(await mj("GET", `/contactslist?Limit=${f.maxLimit + 1}`), 200, Math.min(total, f.maxLimit));
      const seen = new Set<number>();
      for (let offset = 0; offset < total; offset += 4) {
        for (const o of expectEnvelope(await mj("GET", `/contactslist?Limit=4&Offset=${offset}`), 200)) seen.add(o.ID as number);
      }
      expect(seen.size).toBe(total);
    });
  },
);

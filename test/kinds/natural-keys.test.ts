/**
 * Natural keys are compared the same way in every kind: surrounding whitespace is ignored, text is
 * compared in Unicode NFC, and letter case is ignored where the vendor ignores it (domain names,
 * e-mail addresses, a URL's scheme and host). Two entries that differ only that way are one object
 * at the vendor: the stack file check refuses them before any call, and adoption finds a live
 * object whose key differs from the entry's only that way. Each kind's docs section says how its
 * key is compared.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { loadStackText } from "../../config";
import { DEFAULT_CREDENTIALS } from "../../emulators/credentials";
import { KINDS } from "../../providers/kinds";
import { lifecycle, type KindDefinition } from "../../providers/resource";
import { useEmulators } from "../support/emulators";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Kind = KindDefinition<any, any>;
type Variant = "whitespace" | "nfc" | "case";

const kind = (k: string): Kind => KINDS.find((d) => d.kind === k)!;
const NFD = (s: string) => s.normalize("NFD");

/** The same key written another way: around it, decomposed, or in other letter case. */
function variant(value: string, how: Variant, url = false): string {
  switch (how) {
    case "whitespace":
      // A URL cannot start with a blank (the schema wants http(s):// first): only after it.
      return url ? `${value}  ` : `  ${value} `;
    case "nfc":
      return NFD(value);
    case "case":
      // The host (the schema wants the scheme in lower case).
      if (url) return value.replace(/^(\w+:\/\/)([^/]+)/, (_m, s: string, h: string) => `${s}${h.toUpperCase()}`);
      return value.toUpperCase();
  }
}

interface Case {
  kind: string;
  /** The key field's value, with at least one character NFC composes. */
  value: string;
  /** Ways of writing the key the vendor takes for the same object. */
  same: Variant[];
  /** Ways the vendor takes for another object. */
  other: Variant[];
  url?: boolean;
  /** Ways a live object's key may differ (default `same`): the vendor may refuse some outright. */
  live?: Variant[];
  /** A stack file with two entries whose key fields are `a` and `b`. */
  stack(a: string, b: string): unknown;
}

const CASES: Case[] = [
  {
    kind: "mailtrap:Project",
    value: "Équipe QA",
    same: ["whitespace", "nfc"],
    other: ["case"],
    stack: (a, b) => ({ mailtrap: { projects: { one: { name: a }, two: { name: b } } } }),
  },
  {
    kind: "mailtrap:Inbox",
    value: "Équipe QA",
    same: ["whitespace", "nfc"],
    other: ["case"],
    stack: (a, b) => ({ mailtrap: { projects: { p: { name: "Project", inboxes: { one: { name: a }, two: { name: b } } } } } }),
  },
  {
    kind: "mailtrap:EmailTemplate",
    value: "Bienvenue à bord",
    same: ["whitespace", "nfc"],
    other: ["case"],
    stack: (a, b) => ({
      mailtrap: { emailTemplates: { one: { name: a, category: "c", subject: "s" }, two: { name: b, category: "c", subject: "s" } } },
    }),
  },
  {
    kind: "mailtrap:ApiToken",
    value: "Déploiement",
    same: ["whitespace", "nfc"],
    other: ["case"],
    stack: (a, b) => ({
      mailtrap: {
        projects: { p: { name: "Project" } },
        apiTokens: {
          one: { name: a, permissions: [{ project: "p", access: "viewer" }] },
          two: { name: b, permissions: [{ project: "p", access: "viewer" }] },
        },
      },
    }),
  },
  {
    // The schema allows only ASCII host names without blanks.
    kind: "mailtrap:SendingDomain",
    value: "mail.example.com",
    same: ["case"],
    other: [],
    stack: (a, b) => ({ mailtrap: { domains: { one: { domainName: a }, two: { domainName: b } } } }),
  },
  {
    kind: "mailtrap:Webhook",
    value: "https://hooks.example.com/événements",
    same: ["whitespace", "nfc", "case"],
    other: [],
    url: true,
    // Mailtrap refuses a URL with blanks around it (422): no live webhook has one.
    live: ["nfc", "case"],
    stack: (a, b) => ({ mailtrap: { webhooks: { one: { url: a, type: "audit_log" }, two: { url: b, type: "audit_log" } } } }),
  },
  {
    // E-mail addresses are compared without letter case; the schema refuses blanks in one.
    kind: "mailtrap:AccountAccess",
    value: "andré@example.com",
    same: ["nfc", "case"],
    other: [],
    stack: (a, b) => ({ mailtrap: { accountAccesses: { one: { email: a, account: "viewer" }, two: { email: b, account: "viewer" } } } }),
  },
  {
    kind: "sendgrid:Template",
    value: "Reçu",
    same: ["whitespace", "nfc"],
    other: ["case"],
    stack: (a, b) => ({ sendgrid: { templates: { one: { name: a, generation: "dynamic" }, two: { name: b, generation: "dynamic" } } } }),
  },
  {
    kind: "sendgrid:ApiKey",
    value: "Clé CI",
    same: ["whitespace", "nfc"],
    other: ["case"],
    stack: (a, b) => ({ sendgrid: { apiKeys: { one: { name: a }, two: { name: b } } } }),
  },
  {
    kind: "sendgrid:UnsubscribeGroup",
    value: "Actualités",
    same: ["whitespace", "nfc"],
    other: ["case"],
    stack: (a, b) => ({ sendgrid: { unsubscribeGroups: { one: { name: a, description: "d" }, two: { name: b, description: "d" } } } }),
  },
  {
    kind: "sendgrid:EventWebhook",
    value: "https://hooks.example.com/événements",
    same: ["whitespace", "nfc", "case"],
    other: [],
    url: true,
    stack: (a, b) => ({ sendgrid: { eventWebhooks: { one: { url: a }, two: { url: b } } } }),
  },
  {
    // Host names are ASCII (the schema's pattern): no Unicode form to differ in.
    kind: "sendgrid:DomainAuthentication",
    value: "Example.com",
    same: ["whitespace", "case"],
    other: [],
    stack: (a, b) => ({ sendgrid: { domainAuthentications: { one: { domain: a, subdomain: "em" }, two: { domain: b, subdomain: "em" } } } }),
  },
  {
    kind: "sendgrid:LinkBranding",
    value: "Example.com",
    same: ["whitespace", "case"],
    other: [],
    stack: (a, b) => ({ sendgrid: { linkBrandings: { one: { domain: a, subdomain: "links" }, two: { domain: b, subdomain: "links" } } } }),
  },
  {
    kind: "mailjet:Template",
    value: "Reçu",
    same: ["whitespace", "nfc"],
    other: ["case"],
    stack: (a, b) => ({ mailjet: { templates: { one: { name: a }, two: { name: b } } } }),
  },
  {
    kind: "mailjet:ApiKey",
    value: "Clé CI",
    same: ["whitespace", "nfc"],
    other: ["case"],
    stack: (a, b) => ({ mailjet: { apiKeys: { one: { name: a }, two: { name: b } } } }),
  },
  {
    kind: "mailjet:ContactList",
    value: "Clients fidèles",
    same: ["whitespace", "nfc"],
    other: ["case"],
    stack: (a, b) => ({ mailjet: { contactLists: { one: { name: a }, two: { name: b } } } }),
  },
  {
    // The schema refuses blanks in an address.
    kind: "mailjet:Sender",
    value: "facturé@example.com",
    same: ["nfc", "case"],
    other: [],
    stack: (a, b) => ({ mailjet: { senders: { one: { email: a }, two: { email: b } } } }),
  },
];

const rows = (pick: (c: Case) => Variant[]) => CASES.flatMap((c) => pick(c).map((v) => [c.kind, v, c] as const));

describe("two entries whose natural keys differ only in whitespace, Unicode form or (where the vendor ignores it) case", () => {
  it.each(rows((c) => c.same))("%s, %s: refused as the same object before any call", (_k, how, c) => {
    const loaded = loadStackText("stack.yaml", stringify(c.stack(c.value, variant(c.value, how, c.url))));
    const duplicates = loaded.ok ? [] : loaded.errors.filter((e) => e.code === "DUPLICATE_NAME");
    expect(duplicates.map((e) => e.problem), loaded.ok ? "loaded without errors" : JSON.stringify(loaded.errors.map((e) => e.problem))).toEqual([
      expect.stringMatching(new RegExp(`two and .*\\.one would be the same ${kind(c.kind).title}`)),
    ]);
  });

  it.each(rows((c) => c.other))("%s, %s: two objects at the vendor, accepted", (_k, how, c) => {
    const loaded = loadStackText("stack.yaml", stringify(c.stack(c.value, variant(c.value, how, c.url))));
    expect(loaded.ok ? [] : loaded.errors.map((e) => e.problem)).toEqual([]);
  });

  it("a URL's path keeps its case: two webhooks posting to different paths are two", () => {
    const loaded = loadStackText("stack.yaml", stringify(CASES.find((c) => c.url)!.stack("https://hooks.example.com/Events", "https://hooks.example.com/events")));
    expect(loaded.ok ? [] : loaded.errors.map((e) => e.problem)).toEqual([]);
  });
});

describe("every kind's docs section says how its natural key is compared", () => {
  it.each(KINDS.map((k) => [k.kind, k] as const))("%s", (_k, def) => {
    const text = fs.readFileSync(path.join(__dirname, "..", "..", def.docs.page), "utf8");
    const start = text.indexOf(`## ${def.docs.section} (\`${def.kind}\``);
    const end = text.indexOf("\n## ", start + 3);
    const section = text.slice(start, end < 0 ? undefined : end);
    const line = section.split("\n- ").find((l) => /^Natural key/.test(l)) ?? "";
    // An account setting's key is the account itself: there is nothing to compare.
    if (def.singleton) return expect(line).toMatch(/one entry per stack/);
    expect(line, `${def.docs.page}: the "Natural key ..." line of ${def.docs.section}`).toMatch(/whitespace/);
    expect(line).toMatch(/NFC/);
    expect(line).toMatch(/case/);
  });
});

describe("adoption finds a live object whose natural key differs only that way", () => {
  const creds = DEFAULT_CREDENTIALS;
  const ctx = useEmulators((urls) => ({
    MAILTRAP_API_URL: urls.mailtrap,
    MAILTRAP_API_TOKEN: creds.mailtrap.apiToken,
    SENDGRID_API_URL: urls.sendgrid,
    SENDGRID_API_KEY: creds.sendgrid.apiKey,
    SENDGRID_ON_BEHALF_OF: undefined,
    MAILJET_API_URL: urls.mailjet,
    MJ_APIKEY_PUBLIC: creds.mailjet.apiKey,
    MJ_APIKEY_PRIVATE: creds.mailjet.secretKey,
  }));

  beforeEach(async () => {
    await ctx.admin.reset();
  });

  /** The entry's inputs (the key field `value`), given what the kind needs made first. */
  async function desiredOf(c: Case, value: string): Promise<Record<string, unknown>> {
    const key = c.url
      ? "url"
      : c.kind === "mailtrap:SendingDomain"
        ? "domainName"
        : c.kind === "mailjet:Sender"
          ? "email"
          : c.kind.startsWith("sendgrid:") && c.value.includes(".")
            ? "domain"
            : "name";
    const project = async () => Number((await kind("mailtrap:Project").create({ name: "Parent", apiVersion: "v2" })).id);
    const base: Record<string, () => Promise<Record<string, unknown>> | Record<string, unknown>> = {
      "mailtrap:Inbox": async () => ({ projectId: await project() }),
      "mailtrap:EmailTemplate": () => ({ category: "c", subject: "s" }),
      "mailtrap:ApiToken": async () => ({ permissions: [{ resourceType: "project", resourceId: await project(), accessLevel: "viewer" }] }),
      "mailtrap:Webhook": () => ({ type: "audit_log" }),
      "sendgrid:Template": () => ({ generation: "dynamic" }),
      "sendgrid:ApiKey": () => ({ scopes: ["mail.send"] }),
      "sendgrid:UnsubscribeGroup": () => ({ description: "d" }),
      "sendgrid:EventWebhook": () => ({ events: ["bounce"] }),
      "sendgrid:DomainAuthentication": () => ({ subdomain: "em" }),
      "sendgrid:LinkBranding": () => ({ subdomain: "links" }),
    };
    return { ...(await base[c.kind]?.()), [key]: value };
  }

  // An account access cannot be made through the API (nor needs adopt): the case below.
  it.each(rows((c) => (kind(c.kind).takesOver ? [] : (c.live ?? c.same))))("%s, %s", async (_k, how, c) => {
    const def = kind(c.kind);
    const desired = await desiredOf(c, c.value);
    // Made out of band, exactly as written (the kind's create sends what it is given).
    const keyField = Object.keys(desired).find((f) => desired[f] === c.value)!;
    const live = await def.create({ ...def.normalize(desired), [keyField]: variant(c.value, how, c.url) });
    const provider = lifecycle(def);
    await expect(provider.create!(desired), "found: refused without adopt").rejects.toThrow(
      new RegExp(`${def.title}: one already exists with .* \\(id ${live.id}\\)`),
    );
    const adopted = await provider.create!({ ...desired, adopt: true });
    expect(adopted.id).toBe(live.id);
  });

  it.each(["nfc", "case"] as const)("mailtrap:AccountAccess, %s: an entry takes over the access of the email written another way (no adopt: Mailtrap cannot invite)", async (how) => {
    await ctx.admin.putObject("mailtrap", "account_accesses", 7701, { specifier_type: "Invite", specifier: { id: 7701, email: variant("andré@example.com", how) }, resources: [] });
    const taken = await lifecycle(kind("mailtrap:AccountAccess")).create!({ email: "andré@example.com", account: "viewer" });
    expect(taken.id).toBe("7701");
  });
});

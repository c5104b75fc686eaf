/**
 * Parity of the three places a resource kind is described: the stack file's JSON Schema, the kind's
 * definition (providers/<vendor>/<kind>.ts) and its docs page section. Each must name the same
 * fields, agree on which changes replace the object, and the docs must name every output and mark
 * exactly the secret ones as secret. The second half shows the check failing when a field is
 * removed from any one of the three places, or a rule differs. Last, every kind's entries go from
 * the stack file to inputs through its definition alone (`yamlPath`, `inputsOf`), every field of an
 * entry reaching its inputs, and the code that resolves and registers entries names no kind.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { isDeepStrictEqual } from "node:util";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { KINDS } from "../../providers/kinds";
import { entryAddress, type FieldSpec, type KindContext, type KindDefinition } from "../../providers/resource";
import { entryInputs, loadStackText, type ResolvedEntry } from "../../config";
import { sampleStack } from "../support/sample-stack";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Kind = KindDefinition<any, any>;
type JsonSchema = { definitions: Record<string, { properties?: Record<string, { description?: string; additionalProperties?: { $ref?: string } }> }> };

const ROOT = path.join(__dirname, "..", "..");
const OPTIONS = new Set(["protect", "retainOnDelete", "adopt", "movedFrom", "sampleData"]);
const SCHEMA: JsonSchema = JSON.parse(fs.readFileSync(path.join(ROOT, "schemas", "stack.schema.json"), "utf8"));
const page = (file: string) => fs.readFileSync(path.join(ROOT, file), "utf8");

/** field -> replaces? */
type Fields = Map<string, boolean>;

/** Properties of the kind's schema definition, without options and without nested kinds' collections. */
function schemaFields(def: Kind, schema: JsonSchema, kinds: readonly Kind[]): Fields {
  const props = schema.definitions[def.schema]?.properties ?? {};
  const nested = new Set(kinds.filter((k) => k.yamlPath.startsWith(`${def.yamlPath}.*.`)).map((k) => k.yamlPath.split(".").pop()!));
  return new Map(
    Object.entries(props)
      .filter(([name]) => !OPTIONS.has(name) && !nested.has(name))
      .map(([name, p]) => [name, /\breplaces\b/i.test(p.description ?? "")]),
  );
}

/** The definition's fields; one that does not come from the entry is shown as `(where it comes from)`. */
function definitionFields(def: Kind): { entry: Fields; all: Fields } {
  const specs = Object.entries(def.fields as Record<string, FieldSpec>);
  return {
    entry: new Map(specs.filter(([, f]) => !f.from).map(([n, f]) => [n, !!f.replaces])),
    all: new Map(specs.map(([n, f]) => [f.from ? `(${f.from})` : n, !!f.replaces])),
  };
}

/** The `## <section> (`<kind>`...` part of the docs page. */
function docsSection(def: Kind, text: string): string | undefined {
  const start = text.indexOf(`## ${def.docs.section} (\`${def.kind}\``);
  if (start < 0) return undefined;
  const end = text.indexOf("\n## ", start + 3);
  return text.slice(start, end < 0 ? undefined : end);
}

/** Rows of the section's first table: the YAML field (`versions.<key>.html` counts for `versions`) and whether a change replaces. */
function docsFields(section: string): Fields {
  const out: Fields = new Map();
  const table = section.slice(section.indexOf("\n|")).split("\n").slice(1);
  for (const line of table) {
    if (!line.startsWith("|")) break;
    const [first = "", , third = ""] = line.split("|").slice(1).map((c) => c.trim());
    if (/^-+$/.test(first) || first === "YAML") continue;
    const name = first.startsWith("(") ? first.slice(0, first.indexOf(")") + 1) : (/^`([^`]+)`/.exec(first)?.[1] ?? first).split(/[.[]/)[0]!;
    out.set(name, (out.get(name) ?? false) || third.includes("**replaces**"));
  }
  return out;
}

function compare(what: string, a: [string, Fields], b: [string, Fields]): string[] {
  const problems: string[] = [];
  for (const [name, replaces] of a[1]) {
    if (!b[1].has(name)) problems.push(`${what}: field ${name} is in ${a[0]} but not in ${b[0]}`);
    else if (b[1].get(name) !== replaces)
      problems.push(`${what}: field ${name} ${replaces ? "replaces" : "updates in place"} in ${a[0]} but ${b[1].get(name) ? "replaces" : "updates in place"} in ${b[0]}`);
  }
  for (const name of b[1].keys()) if (!a[1].has(name)) problems.push(`${what}: field ${name} is in ${b[0]} but not in ${a[0]}`);
  return problems;
}

/** Everything that disagrees between the three descriptions of one kind. */
function parityProblems(def: Kind, schema: JsonSchema, docsPage: string, kinds: readonly Kind[] = KINDS): string[] {
  const what = def.kind;
  if (!schema.definitions[def.schema]) return [`${what}: schema has no definition ${def.schema}`];
  const section = docsSection(def, docsPage);
  if (!section) return [`${what}: ${def.docs.page} has no section "## ${def.docs.section} (\`${def.kind}\`)"`];
  const fields = definitionFields(def);
  const problems = [
    ...compare(what, ["the schema", schemaFields(def, schema, kinds)], ["the definition", fields.entry]),
    ...compare(what, ["the definition", fields.all], ["the docs", docsFields(section)]),
  ];
  const secret = new Set<string>(def.secretOutputs ?? []);
  for (const o of def.outputs as readonly string[]) {
    if (!section.includes(`\`${o}\``)) problems.push(`${what}: output ${o} is not documented`);
    const documentedSecret = section.includes(`\`${o}\` (**secret**`);
    if (secret.has(o) && !documentedSecret) problems.push(`${what}: secret output ${o} is not documented as secret (\`${o}\` (**secret**...)`);
    if (!secret.has(o) && documentedSecret) problems.push(`${what}: output ${o} is documented as secret but the definition does not mark it secret`);
  }
  for (const o of secret) if (!(def.outputs as readonly string[]).includes(o)) problems.push(`${what}: secret output ${o} is not an output`);
  // The program declares exposed outputs as undefined inputs: one named like a field would erase it.
  for (const o of def.outputs as readonly string[]) if (o in def.fields) problems.push(`${what}: output ${o} has the name of a field`);
  // What a delete loses, and whether the kind is protected by default, as the definition says.
  const loss = /^- A delete or replace loses (.+?)\.( Protected by default)?/m.exec(section);
  if (def.loss && loss?.[1] !== def.loss.what) problems.push(`${what}: the docs do not say "- A delete or replace loses ${def.loss.what}."`);
  if (!def.loss && loss) problems.push(`${what}: the docs say a delete loses ${loss[1]}, the definition declares no loss`);
  if (loss && !!loss[2] !== !!def.loss?.guarded) problems.push(`${what}: protected by default in ${loss[2] ? "the docs" : "the definition"} only`);
  return problems;
}

/** Every entry collection of the schema's vendor sections, as a yamlPath. */
function schemaCollections(schema: JsonSchema): string[] {
  const out: string[] = [];
  const walk = (def: string, at: string) => {
    for (const [name, p] of Object.entries(schema.definitions[def]?.properties ?? {})) {
      const ref = p.additionalProperties?.$ref?.replace("#/definitions/", "");
      if (!ref || ref === "Key") continue;
      out.push(`${at}.${name}`);
      walk(ref, `${at}.${name}.*`);
    }
  };
  for (const vendor of ["mailtrap", "sendgrid", "mailjet"]) walk(`${vendor[0]!.toUpperCase()}${vendor.slice(1)}Section`, vendor);
  return out;
}

describe("schema, definition and docs agree for every kind", () => {
  it.each(KINDS.map((k) => [k.kind, k] as const))("%s", (_name, def) => {
    expect(parityProblems(def, SCHEMA, page(def.docs.page))).toEqual([]);
  });

  it("every entry collection of the schema is a kind (or part of one), and every kind's collection is in the schema", () => {
    const partOf = ["sendgrid.templates.*.versions"]; // SendGrid versions live inside the template kind
    const kinds = KINDS.map((k) => k.yamlPath);
    expect(schemaCollections(SCHEMA).filter((c) => !partOf.includes(c)).sort()).toEqual([...kinds].sort());
  });

  it("every top-level collection kind has an `unmanaged:` policy (account settings have none: nothing is unmanaged there)", () => {
    const policies = Object.keys(SCHEMA.definitions.Unmanaged!.properties!).sort();
    const collections = KINDS.filter((k) => !k.yamlPath.includes("*") && !k.singleton).map((k) => k.yamlPath);
    expect(policies).toEqual([...collections].sort());
  });
});

describe("the parity check fails when the three places disagree", () => {
  const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v));

  it.each(KINDS.map((k) => [k.kind, k] as const))("%s: a field removed from the schema, the definition or the docs", (_name, def) => {
    const entryFields = Object.entries(def.fields as Record<string, FieldSpec>).filter(([, f]) => !f.from).map(([n]) => n);
    const field = entryFields[entryFields.length - 1]!;
    const docs = page(def.docs.page);

    if (def.loss) {
      const without = { ...def, loss: undefined } as Kind;
      expect(parityProblems(without, SCHEMA, docs).join("\n")).toMatch(/the definition declares no loss/);
    }

    const schema = clone(SCHEMA);
    delete schema.definitions[def.schema]!.properties![field];
    expect(parityProblems(def, schema, docs)).toContain(`${def.kind}: field ${field} is in the definition but not in the schema`);

    const { [field]: _gone, ...fields } = def.fields as Record<string, FieldSpec>;
    const withoutField = { ...def, fields } as Kind;
    expect(parityProblems(withoutField, SCHEMA, docs)).toEqual(
      expect.arrayContaining([`${def.kind}: field ${field} is in the schema but not in the definition`]),
    );

    const section = docsSection(def, docs)!;
    const row = section.split("\n").find((l) => l.startsWith(`| \`${field}`))!;
    expect(row, `docs row of ${field}`).toBeDefined();
    const docsWithout = docs.replace(section, section.split("\n").filter((l) => !l.startsWith(`| \`${field}`)).join("\n"));
    expect(parityProblems(def, SCHEMA, docsWithout)).toContain(`${def.kind}: field ${field} is in the definition but not in the docs`);
  });

  it("a different replace rule, in the definition or in the docs", () => {
    const token = KINDS.find((k) => k.kind === "mailtrap:ApiToken")!;
    const inPlace = { ...token, fields: { ...token.fields, name: {} } } as Kind;
    expect(parityProblems(inPlace, SCHEMA, page(token.docs.page))).toContain(
      "mailtrap:ApiToken: field name replaces in the schema but updates in place in the definition",
    );
    const docs = page(token.docs.page).replace("| `name` | `name` | **replaces** the token |", "| `name` | `name` | updated in place |");
    expect(parityProblems(token, SCHEMA, docs)).toContain("mailtrap:ApiToken: field name replaces in the definition but updates in place in the docs");
  });

  it("a secret output not documented as secret, or not marked secret", () => {
    const key = KINDS.find((k) => k.kind === "sendgrid:ApiKey")!;
    const docs = page(key.docs.page).replace("`apiKey` (**secret**: the key itself)", "`apiKey` (the key itself)");
    expect(parityProblems(key, SCHEMA, docs)).toContain(
      "sendgrid:ApiKey: secret output apiKey is not documented as secret (`apiKey` (**secret**...)",
    );
    const notSecret = { ...key, secretOutputs: [] } as Kind;
    expect(parityProblems(notSecret, SCHEMA, page(key.docs.page))).toContain(
      "sendgrid:ApiKey: output apiKey is documented as secret but the definition does not mark it secret",
    );
  });
});

describe("the address of an entry, from its kind and resource name", () => {
  // One entry of every kind (state stores no address: plan, drift and messages derive it).
  const yaml = `
mailtrap:
  projects:
    staging: { name: Staging, inboxes: { qa-team: { name: QA } } }
  emailTemplates: { welcome: { name: Welcome, category: onboarding, subject: Hi, html: "<p>Hi</p>" } }
  apiTokens: { ci: { name: CI, permissions: [{ project: staging, access: viewer }] } }
  domains: { mail: { domainName: mail.example.com } }
  webhooks: { events: { url: "https://hooks.example.com/m", type: email_sending, sendingStream: bulk, events: [bounce], domain: mail } }
  accountAccesses: { ada: { email: ada@example.com, permissions: [{ inbox: staging/qa-team, access: viewer }] } }
sendgrid:
  templates: { receipt: { name: Receipt, generation: dynamic, versions: { v1: { name: V1, subject: Hi, html: "<p>Hi</p>", active: true } } } }
  apiKeys: { sender: { name: Sender, scopes: [mail.send] } }
  unsubscribeGroups: { news: { name: News, description: Monthly } }
  eventWebhooks: { delivery: { url: "https://hooks.example.com/d" } }
  mailSettings: { account: { footer: { enabled: true } } }
  trackingSettings: { account: { open: { enabled: true } } }
  enforcedTls: { account: { requireTls: true } }
  domainAuthentications: { main: { domain: example.com, subdomain: em } }
  linkBrandings: { links: { domain: example.com, subdomain: links } }
  teammates: { ada: { email: ada@example.com, scopes: [templates.read] } }
  verifiedSenders: { orders: { fromEmail: orders@example.com, nickname: Orders } }
  parseSettings: { replies: { hostname: parse.example.com, url: "https://hooks.example.com/p" } }
  ipAllowLists: { office: { ips: [203.0.113.0/24], onBehalfOf: eu-shop } }
mailjet:
  templates: { receipt: { name: Receipt } }
  apiKeys: { sender: { name: Sender } }
  contactLists: { customers: { name: Customers } }
  senders: { billing: { email: billing@example.com } }
  eventCallbacks: { bounces: { eventType: bounce, url: "https://hooks.example.com/b" } }
  parseRoutes: { inbound: { url: "https://hooks.example.com/in" } }
  contactProperties: { plan: { name: plan } }
  accountSettings: { account: { timezone: Europe/Paris } }
`;
  const loaded = loadStackText("every-kind.yaml", yaml);

  it.each(KINDS.map((k) => [k.kind, k] as const))("%s", (_name, def) => {
    expect(loaded.ok, loaded.ok ? "" : JSON.stringify(loaded.errors)).toBe(true);
    if (!loaded.ok) return;
    const entries = loaded.stack.resources.filter((e) => e.kind === def.entryKind);
    expect(entries.length).toBe(1);
    for (const e of entries) expect(entryAddress(def, e.key)).toBe(e.address);
  });
});

/** A different value of the same shape: every string, number and boolean in it changed. */
function variant(v: unknown): unknown {
  if (typeof v === "string") return `${v}x`;
  if (typeof v === "number") return v + 1;
  if (typeof v === "boolean") return !v;
  if (Array.isArray(v)) return v.length > 0 ? v.map(variant) : ["x"];
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, variant(x)]));
  return "x";
}

/**
 * What keeps an entry from reaching its inputs through the definition: an entry field whose value
 * does not change the input of the same name (removed or changed), or an input the definition does
 * not declare as a field.
 */
function inputsProblems(def: Kind, entry: ResolvedEntry, context: KindContext): string[] {
  const ref = (kind: string, key: string) => `${kind} ${key}`; // another entry's id, as a marker
  const inputs = entryInputs(def, entry, ref, context);
  const problems = Object.keys(inputs).filter((f) => !(f in def.fields)).map((f) => `${def.kind}: input ${f} is not a field of the definition`);
  const own = Object.entries(def.fields as Record<string, FieldSpec>).filter(([, spec]) => !spec.from).map(([f]) => f);
  for (const f of own) {
    if (!(f in entry.props)) problems.push(`${def.kind}: field ${f} is not in the resolved entry`);
    const reaches = [undefined, variant(entry.props[f])].some((v) => {
      const changed = { ...entry, props: { ...entry.props, [f]: v } };
      try {
        return !isDeepStrictEqual(entryInputs(def, changed, ref, context)[f], inputs[f]);
      } catch {
        return true; // the definition cannot do without it
      }
    });
    if (!reaches) problems.push(`${def.kind}: field ${f} of the entry does not reach its inputs`);
  }
  return problems;
}

describe("every kind's entries reach inputs through its definition", () => {
  // One entry of every kind, every field the schema has set.
  const loaded = loadStackText("everything.yaml", stringify(sampleStack()));
  const entryOf = (def: Kind): ResolvedEntry => {
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
    const found = loaded.stack.resources.filter((e) => e.kind === def.entryKind);
    expect(found.length, def.kind).toBe(1);
    return found[0]!;
  };

  it.each(KINDS.map((k) => [k.kind, k] as const))("%s", (_name, def) => {
    const entry = entryOf(def);
    expect(entry.address).toBe(entryAddress(def, entry.key));
    expect(inputsProblems(def, entry, loaded.ok ? loaded.stack.context : { mailtrapApiVersion: "v2" })).toEqual([]);
  });

  it("fails when a definition drops a field of its entries, or makes an input it does not declare", () => {
    const def = KINDS.find((k) => k.kind === "mailjet:Template")!;
    const context = { mailtrapApiVersion: "v2" };
    const dropping = { ...def, inputsOf: (...args: Parameters<Kind["inputsOf"]>) => ({ ...def.inputsOf(...args), locale: undefined }) } as Kind;
    expect(inputsProblems(dropping, entryOf(def), context)).toEqual(["mailjet:Template: field locale of the entry does not reach its inputs"]);
    const adding = { ...def, normalize: (i: object) => ({ ...def.normalize(i), colour: "blue" }) } as Kind;
    expect(inputsProblems(adding, entryOf(def), context)).toContain("mailjet:Template: input colour is not a field of the definition");
  });

  it("config/resolve.ts and program/register.ts name no kind, path or vendor: every kind goes through its definition", () => {
    for (const file of ["config/resolve.ts", "program/register.ts"]) {
      const code = fs.readFileSync(path.join(ROOT, file), "utf8").replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, "");
      const named = KINDS.flatMap((k) => [k.kind, k.entryKind, k.yamlPath, k.title]).filter((n) => code.includes(n));
      expect(named, file).toEqual([]);
      expect(code.match(/mailtrap|sendgrid|mailjet/gi) ?? [], file).toEqual([]);
    }
  });
});

/**
 * `mailform export`: writes `stacks/<stack>.yaml` from the live accounts, so a team can bring an
 * account made by hand under management (`adopt: true` on every entry). One loop over the kinds:
 * each kind lists its live objects and maps one to an entry (`export` in its definition); this
 * module gives entries their keys, resolves references, writes bodies to files and the YAML.
 *
 * Credentials: the stack's config when the stack exists, else the environment (README,
 * "Credentials and settings"), through the providers' own clients (pacing, retries, pagination).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { stringify } from "yaml";
import { stackConfig } from "./adopt-lookup";
import type { Command } from "./index";
import { engineEnv, pulumi } from "../engine/pulumi";
import type { ExportedEntry, ExportRefs } from "../providers/export-spec";
import { KINDS } from "../providers/kinds";
import type { KindDefinition, LiveObject } from "../providers/resource";
import * as settings from "../providers/settings";
import { runValidate } from "./validate";

type SettingName = settings.SettingName;

const VENDORS = ["mailtrap", "sendgrid", "mailjet"] as const;
type Vendor = (typeof VENDORS)[number];

/** The credential each vendor cannot be read without. */
const CREDENTIALS: Record<Vendor, SettingName[]> = {
  mailtrap: ["mailtrapApiToken"],
  sendgrid: ["sendgridApiKey"],
  mailjet: ["mailjetApiKey", "mailjetSecretKey"],
};

/** File extension of each body field written beside the stack. */
const BODY_FILES: Record<string, string> = { html: "html", text: "txt", mjml: "mjml" };

const KEY_MAX = 64;

export interface ExportOptions {
  stack: string;
  vendors: Vendor[];
  out: string;
  force: boolean;
  onlyUnmanaged: boolean;
  cwd: string;
}

const USAGE = `usage: mailform export --stack <name> [--vendor mailtrap|sendgrid|mailjet ...] [--out FILE] [--force] [--only-unmanaged]

Writes stacks/<name>.yaml (or FILE) from the live accounts: every object mailform manages, under keys
derived from the names, with adopt: true; template bodies in files beside it. Credentials come from
the stack's config when the stack exists, else from the environment (README, "Credentials and settings").
  --vendor          only these vendors (repeatable); default: every vendor whose credentials are set
  --force           overwrite an existing stack file
  --only-unmanaged  leave out objects the stack's state already manages
  --cwd DIR         the project directory (default: the current one)`;

/** The stack schema as the project sees it: installed mailform's in a team's repository, else the checkout's own. */
function schemaFile(cwd: string): string {
  const installed = path.join(cwd, "node_modules", "mailform", "schemas", "stack.schema.json");
  return fs.existsSync(installed) ? installed : path.join(cwd, "schemas", "stack.schema.json");
}

export function parseExportArgs(args: string[], cwd = process.cwd()): ExportOptions | string {
  const opts: Partial<ExportOptions> & { vendors: Vendor[] } = { vendors: [], force: false, onlyUnmanaged: false, cwd };
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i]!.split("=", 2) as [string, string | undefined];
    if (flag === "--force") opts.force = true;
    else if (flag === "--only-unmanaged") opts.onlyUnmanaged = true;
    else if (["--stack", "-s", "--vendor", "--out", "--cwd"].includes(flag)) {
      const value = inline ?? args[++i];
      if (value === undefined) return `${flag} needs a value`;
      if (flag === "--vendor") {
        if (!(VENDORS as readonly string[]).includes(value)) return `--vendor must be one of ${VENDORS.join(", ")} (got "${value}")`;
        opts.vendors.push(value as Vendor);
      } else if (flag === "--out") opts.out = value;
      else if (flag === "--cwd") opts.cwd = value;
      else opts.stack = value;
    } else return `unknown argument "${args[i]}"`;
  }
  if (!opts.stack) return "--stack <name> is required: the file written is stacks/<name>.yaml";
  if (!/^[A-Za-z0-9_.-]+$/.test(opts.stack)) return `--stack "${opts.stack}": a stack name has letters, digits, '-', '_' and '.' only`;
  opts.out = path.resolve(opts.cwd!, opts.out ?? path.join("stacks", `${opts.stack}.yaml`));
  return opts as ExportOptions;
}

/** Letters that Unicode does not decompose into an ASCII letter and an accent. */
const LETTERS: Record<string, string> = { ø: "o", æ: "ae", œ: "oe", ß: "ss", đ: "d", ð: "d", ł: "l", þ: "th", ı: "i" };

/** A readable key: ASCII letters and digits of the name, lower case, '-' between words. */
export function slug(label: string): string {
  const ascii = label
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[øæœßđðłþı]/g, (c) => LETTERS[c]!);
  const s = ascii.replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, KEY_MAX - 4).replace(/-+$/, "");
  return s || "entry";
}

/** Unique keys for `items` in a stable order (label, then id): the same account, the same keys. */
function assignKeys<T extends { label: string; id: string }>(items: T[]): Map<T, string> {
  const byId = (a: string, b: string) => (a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0);
  const sorted = [...items].sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : byId(a.id, b.id)));
  const taken = new Set<string>();
  const keys = new Map<T, string>();
  for (const item of sorted) {
    const base = slug(item.label);
    let key = base;
    for (let n = 2; taken.has(key); n++) key = `${base}-${n}`;
    taken.add(key);
    keys.set(item, key);
  }
  return keys;
}

/** Vendor ids the stack's state manages, by resource type token; empty when the stack has no state. */
export async function managedIds(opts: { stack: string; cwd: string }): Promise<Set<string>> {
  const res = await pulumi(["stack", "export", "--stack", opts.stack], { cwd: opts.cwd, env: engineEnv({}) });
  if (res.code !== 0) throw new Error(`cannot read the state of stack ${opts.stack}: ${res.stderr.trim()}`);
  const doc = JSON.parse(res.stdout) as { deployment?: { resources?: { type: string; id?: string; inputs?: Record<string, unknown> }[] } };
  const byType = new Map((KINDS as KindDefinition<object, object>[]).map((def) => [`pulumi-nodejs:dynamic/${def.kind}`, def]));
  return new Set(
    (doc.deployment?.resources ?? []).filter((r) => r.id).map((r) => {
      const def = byType.get(r.type);
      return def ? managedKey(def, r.id!, r.inputs ?? {}) : `${r.type}\n\n${r.id}`;
    }),
  );
}

/**
 * How `managedIds` names an object of `def`: kind, account and id (ids are unique per account
 * only: a SendGrid subuser's allow list or teammate may have the id of the parent's).
 */
export function managedKey(def: KindDefinition<object, object>, id: string, inputs: object): string {
  const account = def.accountField === undefined ? "" : String((inputs as Record<string, unknown>)[def.accountField] ?? "");
  return `pulumi-nodejs:dynamic/${def.kind}\n${account}\n${id}`;
}

interface Collected {
  def: KindDefinition<object, object>;
  live: LiveObject<object, object>;
  entry: ExportedEntry;
  key?: string;
}

/** The entry kind a nested kind is declared under (an inbox's project). */
const parentKind = (def: KindDefinition<object, object>) => def.parentOf!({ kind: def.entryKind, key: "", address: "", props: {}, parent: "" }).entryKind;

type Doc = Record<string, Record<string, Record<string, Record<string, unknown>>>>;

/** Reads every selected vendor's kinds, in the kinds' order (projects before the inboxes and tokens naming them). */
async function collect(opts: ExportOptions, vendors: Vendor[], progress: (s: string) => void) {
  const managed = opts.onlyUnmanaged ? await managedIds(opts) : new Set<string>();
  const keys = new Map<string, string>(); // `${entryKind}\n${id}` -> key (inbox: project/inbox)
  const refs: ExportRefs = { key: (entryKind, id) => keys.get(`${entryKind}\n${id}`) };
  const entries: Collected[] = [];
  const skipped: string[] = [];
  let already = 0;
  const isManaged = (def: KindDefinition<object, object>, id: string, inputs: object) => managed.has(managedKey(def, id, inputs));

  await Promise.all(
    vendors.map(async (vendor) => {
      for (const def of KINDS.filter((k) => k.kind.startsWith(`${vendor}:`) && k.export) as KindDefinition<object, object>[]) {
        const live = await def.export!.list();
        progress(`${def.title}s: ${live.length} read`);
        const mine: Collected[] = [];
        for (const obj of live) {
          const mapped = def.export!.entry(obj, refs);
          if (!("fields" in mapped)) {
            skipped.push(`${def.title} ${JSON.stringify(mapped.label)} (id ${obj.id}): ${mapped.reason}`);
            continue;
          }
          if (mapped.parentId !== undefined && !refs.key(parentKind(def), mapped.parentId)) {
            skipped.push(`${def.title} ${JSON.stringify(mapped.label)} (id ${obj.id}): its parent (id ${mapped.parentId}) was not exported`);
            continue;
          }
          mine.push({ def, live: obj, entry: mapped });
        }
        // Keys are unique per collection: per parent for nested kinds.
        const groups = new Map<string, Collected[]>();
        for (const c of mine) groups.set(c.entry.parentId ?? "", [...(groups.get(c.entry.parentId ?? "") ?? []), c]);
        for (const [parentId, group] of groups) {
          const assigned = assignKeys(group.map((c) => ({ c, label: c.entry.label, id: c.live.id })));
          for (const [item, key] of assigned) {
            item.c.key = key;
            const parentKey = parentId ? refs.key(parentKind(def), parentId) : undefined;
            keys.set(`${def.entryKind}\n${item.c.live.id}`, parentKey ? `${parentKey}/${key}` : key);
          }
        }
        for (const c of mine) {
          if (isManaged(c.def, c.live.id, c.live.inputs)) already++;
          else if (c.entry.parentId !== undefined && isManaged(KINDS.find((k) => k.entryKind === parentKind(def))! as KindDefinition<object, object>, c.entry.parentId, c.live.inputs)) {
            const where = `${def.yamlPath.replace("*", keys.get(`${def.entryKind}\n${c.live.id}`)!.split("/")[0]!)}`;
            skipped.push(`${def.title} ${JSON.stringify(c.entry.label)} (id ${c.live.id}): its parent is managed already; add it by hand under ${where} with adopt: true`);
          } else entries.push(c);
        }
      }
    }),
  );
  return { entries, skipped, already, keys };
}

/** Replaces non-empty `html`/`text`/`mjml` strings by `{file: ...}`, writing the files; empty bodies are left out (the default). */
function bodiesToFiles(fields: Record<string, unknown>, fileBase: string, files: Map<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(fields)) {
    if (name in BODY_FILES && typeof value === "string") {
      if (value === "") continue;
      const file = `${fileBase}.${BODY_FILES[name]}`;
      files.set(file, value);
      out[name] = { file };
    } else if (name === "content" && value && typeof value === "object" && !Array.isArray(value)) {
      out[name] = bodiesToFiles(value as Record<string, unknown>, fileBase, files);
    } else out[name] = value;
  }
  return out;
}

const sortedObject = <T>(o: Record<string, T>): Record<string, T> => Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]!]));

/** The stack document, and the body files it refers to (paths relative to the stack file). */
function buildDoc(stack: string, entries: Collected[], keys: Map<string, string>) {
  const doc: Doc = {};
  const files = new Map<string, string>();
  const bodiesDir = `${stack}-bodies`;
  const ordered = [...entries].sort((a, b) => (a.def.yamlPath.split(".*.").length - b.def.yamlPath.split(".*.").length));
  for (const c of ordered) {
    const [vendor, collection] = c.def.yamlPath.split(".") as [string, string];
    const fullKey = keys.get(`${c.def.entryKind}\n${c.live.id}`)!;
    const base = `${bodiesDir}/${vendor}-${c.def.yamlPath.split(".").filter((s) => s !== "*").slice(1).join("-")}-${fullKey.replace("/", "-")}`;
    let fields = bodiesToFiles(c.entry.fields, base, files);
    for (const [field, subs] of Object.entries(c.entry.keyed ?? {})) {
      const assigned = assignKeys(subs.map((s, i) => ({ s, label: s.label, id: String(i).padStart(6, "0") })));
      const map: Record<string, unknown> = {};
      for (const [item, key] of assigned) map[key] = bodiesToFiles(item.s.fields, `${base}-${key}`, files);
      fields[field] = sortedObject(map);
    }
    // An account setting always exists: its entry takes it over without being told to.
    if (!c.def.singleton) fields = { ...fields, adopt: true };
    const section = (doc[vendor] ??= {});
    if (c.entry.parentId !== undefined) {
      // Nested under the parent's entry (an inbox in its project): `mailtrap.projects.*.inboxes`.
      const [parentKey, key] = fullKey.split("/") as [string, string];
      const childField = c.def.yamlPath.split(".").pop()!;
      const parent = (section[collection] ??= {})[parentKey] as Record<string, unknown> | undefined;
      if (!parent) continue; // the parent is managed already (--only-unmanaged): listed as not exported
      const children = ((parent[childField] as Record<string, unknown>) ??= {});
      children[key] = fields;
    } else (section[collection] ??= {})[fullKey] = fields;
  }
  // Keys in a stable order: collections and entries sorted, vendors in the documented order.
  const sortedDoc: Doc = {};
  for (const vendor of VENDORS) {
    if (!doc[vendor]) continue;
    sortedDoc[vendor] = Object.fromEntries(
      Object.keys(doc[vendor]!)
        .sort()
        .map((collection) => [collection, sortedObject(doc[vendor]![collection]!)]),
    );
    for (const entry of Object.values(sortedDoc[vendor]!.projects ?? {})) {
      if (entry.inboxes) entry.inboxes = sortedObject(entry.inboxes as Record<string, unknown>);
    }
  }
  return { doc: sortedDoc, files };
}

export async function runExport(opts: ExportOptions, err: (s: string) => void = (s) => process.stderr.write(`${s}\n`)): Promise<number> {
  if (fs.existsSync(opts.out) && !opts.force) {
    err(`mailform export: ${path.relative(opts.cwd, opts.out)} exists; pass --force to overwrite it (or --out another file).`);
    return 1;
  }
  const config = await stackConfig(opts.stack, opts.cwd);
  if (config) settings.useStackConfig({ get: (k) => config[k] });
  else err(`mailform export: stack ${opts.stack} does not exist yet: credentials and endpoints come from the environment.`);
  if (opts.onlyUnmanaged && !config) {
    err(`mailform export: --only-unmanaged needs the stack ${opts.stack} and its state; run without it before the first \`pulumi up\`.`);
    return 1;
  }

  const has = (v: Vendor) => CREDENTIALS[v].every((s) => settings.setting(s));
  const vendors = opts.vendors.length ? [...new Set(opts.vendors)] : VENDORS.filter(has);
  for (const v of vendors) {
    const missing = CREDENTIALS[v].find((s) => !settings.setting(s));
    if (missing) {
      err(`mailform export: no ${v} credentials: missing ${missing}. Set it with: ${settings.SETTINGS[missing].hint}`);
      return 1;
    }
  }
  if (vendors.length === 0) {
    err(`mailform export: no vendor credentials in stack config or environment; see README "Credentials and settings".`);
    return 1;
  }

  const { entries, skipped, already, keys } = await collect(opts, vendors, (s) => err(`mailform export: ${s}`));
  const { doc, files } = buildDoc(opts.stack, entries, keys);
  const header = [
    `yaml-language-server: $schema=${path.relative(path.dirname(opts.out), schemaFile(opts.cwd))}`,
    "",
    `Exported by \`mailform export\` from the live ${vendors.join(", ")} account(s) on ${new Date().toISOString().slice(0, 19)}Z:`,
    `${entries.length} object(s)${opts.onlyUnmanaged ? `, leaving out ${already} the state of stack ${opts.stack} manages` : ""}. Every entry`,
    "has `adopt: true`: `pulumi up` takes the objects over. Secrets the vendors show once (API key and",
    "token values, SMTP passwords) are not exported; credentials stay in stack config.",
    ...(skipped.length ? ["", "Not exported (mailform cannot represent them):", ...skipped.map((s) => `- ${s}`)] : []),
  ];
  const body = Object.keys(doc).length ? stringify(doc, { lineWidth: 0 }) : "{}\n";
  const text = `${header.map((l) => (l ? `# ${l}` : "#")).join("\n")}\n${body}`;

  // The same account exports to the same file: an unchanged export keeps the file, date included.
  const previous = fs.existsSync(opts.out) ? fs.readFileSync(opts.out, "utf8") : undefined;
  const withoutDate = (t: string) => t.replace(/ on \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ:/, "");
  fs.mkdirSync(path.dirname(opts.out), { recursive: true });
  if (previous === undefined || withoutDate(previous) !== withoutDate(text)) fs.writeFileSync(opts.out, text);
  for (const [file, content] of files) {
    const target = path.join(path.dirname(opts.out), file);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    if (!fs.existsSync(target) || fs.readFileSync(target, "utf8") !== content) fs.writeFileSync(target, content);
  }
  if (runValidate([opts.out], () => undefined, err) !== 0) {
    err(`mailform export: the file written does not pass \`mailform validate\` (above); this is a mailform bug, please report it.`);
    return 1;
  }
  err(
    `mailform export: wrote ${path.relative(opts.cwd, opts.out)}: ${entries.length} object(s), ${files.size} body file(s)` +
      `${skipped.length ? `, ${skipped.length} not representable (listed in its header)` : ""}.`,
  );
  return 0;
}

export const exportCommand: Command = {
  summary: "write stacks/<stack>.yaml from the live accounts (adopt: true on every entry)",
  usage: USAGE,
  async run(args) {
    const opts = parseExportArgs(args);
    if (typeof opts === "string") {
      console.error(`mailform export: ${opts}\n\n${USAGE}`);
      return 2;
    }
    return runExport(opts);
  },
};

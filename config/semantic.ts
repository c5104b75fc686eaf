/**
 * Checks the schema cannot express: references between entries, one active SendGrid version,
 * scopes SendGrid knows, natural keys unique across entries, renames (`movedFrom`), fields the
 * chosen API version lacks, control characters in one-line text; and, where the stack's config is
 * at hand (the Pulumi program), that the secrets entries name by config key are set as secrets.
 */
import type { StackError } from "./errors";
import { entryInputs } from "./resolve";
import { KNOWN_SENDGRID_SCOPES } from "./schema";
import { formatPath, type PathSeg, type Problem, type YamlSource } from "./source";
import { didYouMean, editDistance, listOr } from "./suggest";
import { eachEntryAt, eachString, entries, propsOf, rec, type RawEntry } from "./walk";
import { KINDS, kindContext } from "../providers/kinds";
import type { StackConfigLookup } from "./load";

type Report = (segs: PathSeg[], target: "key" | "value", p: Omit<Problem, "path">) => void;

export function semanticChecks(data: unknown, src: YamlSource, stackConfig?: StackConfigLookup): StackError[] {
  const out: StackError[] = [];
  const report: Report = (segs, target, p) => out.push(src.errorAt(src.locate(segs, target), { ...p, path: formatPath(segs) }));
  const root = rec(data);
  if (!root) return out;
  checkMailtrap(rec(root.mailtrap), report);
  checkSendgrid(rec(root.sendgrid), report);
  checkTeammates(rec(root.sendgrid), report);
  checkMailjet(rec(root.mailjet), report);
  const context = kindContext(root);
  for (const def of KINDS) {
    const keys = new Map<string, string>(); // natural key -> the first entry that has it
    const claimed = new Map<string, string>(); // `<collection>\n<old key>` -> the entry that claims it
    eachEntryAt(root, def.yamlPath.split("."), (entry) => {
      checkNaturalKey(def, entry, context, keys, report);
      if (stackConfig) checkSecretConfig(def, entry, stackConfig, report);
      checkMovedFrom(def, entry, root, claimed, report);
    });
  }
  checkControlCharacters(root, src, out);
  return out;
}

const CONTROL = /[\x00-\x1f\x7f-\x9f]/;
const CONTROL_NAMES: Record<number, string> = { 0: "NUL", 7: "BEL", 8: "backspace", 9: "tab", 10: "line feed", 13: "carriage return", 27: "ESC", 127: "DEL" };
/** A control character written raw, or as a double-quoted escape (\e, \0, \x1b, \u001B...). */
const CONTROL_IN_SOURCE = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]|\\(?:[0abtnvfreN_]|x(?:[01][0-9a-fA-F]|7[fF]|[89][0-9a-fA-F])|u00(?:[01][0-9a-fA-F]|7[fF]|[89][0-9a-fA-F]))/;
/** Where content is multi-line by nature: template bodies and test data. */
const MULTI_LINE = new Set(["html", "text", "mjml", "testData"]);

/**
 * Names, subjects, descriptions, headers and other one-line text reach vendor UIs, e-mail headers
 * and CI logs as they are: a control character there (an escape sequence, a NUL) is a mistake or
 * an attack, never meant.
 */
function checkControlCharacters(root: Record<string, unknown>, src: YamlSource, out: StackError[]): void {
  eachString(root, (path, value) => {
    const m = CONTROL.exec(value);
    if (!m || path.some((s) => typeof s === "string" && MULTI_LINE.has(s))) return;
    const code = m[0].charCodeAt(0);
    const name = CONTROL_NAMES[code];
    const span = src.locate(path, "value");
    const written = CONTROL_IN_SOURCE.exec(src.text.slice(span.start, span.end));
    const start = written ? span.start + written.index : span.start;
    const problem = `contains the control character U+${code.toString(16).toUpperCase().padStart(4, "0")}${name ? ` (${name})` : ""}; one-line text reaches vendor UIs and CI logs as it is`;
    const fix = `${code === 10 ? "write it on one line, without | or > and without \\n" : "remove it"}: names, subjects and other one-line fields take printable text only`;
    out.push(src.errorAt({ start, end: start + (written ? written[0].length : 1) }, { code: "INVALID_VALUE", path: formatPath(path), problem, fix }));
  });
}

type Kind = (typeof KINDS)[number];

/**
 * A secret an entry names by its stack config key must be there, as a secret: a key that is not
 * set would fail the run at its first use (after other entries changed), and one set in plaintext
 * sits in Pulumi.<stack>.yaml, which is kept in git.
 */
function checkSecretConfig(def: Kind, entry: RawEntry, lookup: StackConfigLookup, report: Report): void {
  for (const { field, key } of def.secretConfigKeys?.(propsOf(entry.raw)) ?? []) {
    const held = lookup(`mailform:${key}`);
    if (held === "secret") continue;
    report([...entry.segs, ...field], "value", {
      code: "STACK_CONFIG",
      problem:
        held === undefined
          ? `the stack config key mailform:${key} is not set`
          : `the stack config key mailform:${key} holds the secret in plaintext (in Pulumi.<stack>.yaml, which is kept in git)`,
      fix:
        held === undefined
          ? `set it: pulumi config set --secret mailform:${key} <value>`
          : `set it again as a secret: pulumi config set --secret mailform:${key} <value> (and change the secret if that file was ever committed)`,
    });
  }
}

/**
 * Two entries that would be the same vendor object (the same natural key, as each kind defines
 * it) are refused before any call: otherwise both would create it, or both adopt the same one.
 * Reported at the second entry, naming the first.
 */
function checkNaturalKey(def: Kind, entry: RawEntry, context: ReturnType<typeof kindContext>, seen: Map<string, string>, report: Report): void {
  const props = propsOf(entry.raw);
  let normalized: Record<string, unknown>;
  let keys: (string | undefined)[];
  try {
    // References stand for the entry they name: two inboxes of one project share its id.
    normalized = entryInputs(def, { kind: def.entryKind, key: entry.key, address: "", props, parent: entry.parent }, (_kind, key) => key, context);
    keys = [def.naturalKey(normalized), def.alsoUnique?.(normalized)];
  } catch {
    return; // an entry the schema refuses anyway
  }
  const address = entry.segs.join(".");
  for (const [i, key] of keys.entries()) {
    const first = key === undefined ? undefined : seen.get(key);
    if (key !== undefined && first === undefined) seen.set(key, address);
    if (key === undefined || first === undefined) continue;
    // Point at the field the key is made of: named in it, or its value quoted in it.
    const field = Object.keys(props).find((f) => {
      const v = normalized[f];
      return key.includes(f) || ((typeof v === "string" || typeof v === "number") && key.includes(`"${v}"`));
    });
    if (def.singleton || (def.oncePerAccount && i === 0)) {
      report(entry.segs, "key", {
        code: "DUPLICATE_NAME",
        problem: `${address} and ${first} are both ${key}: ${def.singleton ? "an account setting is declared once per stack" : `a ${def.title} is declared once per account`}`,
        fix: `move the fields of ${address} into ${first} and remove ${address}`,
      });
      continue;
    }
    report(field ? [...entry.segs, field] : entry.segs, field ? "value" : "key", {
      code: "DUPLICATE_NAME",
      problem: i === 0 ? `${address} and ${first} would be the same ${def.title}: both have ${key}` : `${address} and ${first} both have ${key}; the vendor allows one`,
      fix: i === 0 ? `a ${def.title} is identified by this at the vendor: change it on one of them, or remove one` : `keep it on one of them only`,
    });
  }
}

/**
 * `movedFrom` names keys that are gone from the entry's collection: one still declared would be
 * two entries for one object, and one old key claimed twice would give one object two resources.
 */
function checkMovedFrom(def: Kind, entry: RawEntry, root: Record<string, unknown>, claimed: Map<string, string>, report: Report): void {
  const raw = entry.raw.movedFrom;
  const olds = typeof raw === "string" ? [raw] : Array.isArray(raw) ? raw.filter((k): k is string => typeof k === "string") : [];
  const collection = entry.segs.slice(0, -1);
  const siblings = rec(collection.reduce<unknown>((at, seg) => rec(at)?.[seg], root)) ?? {};
  const where = formatPath(collection);
  for (const [i, old] of olds.entries()) {
    const at = typeof raw === "string" ? [...entry.segs, "movedFrom"] : [...entry.segs, "movedFrom", i];
    const self = old === entry.segs[entry.segs.length - 1];
    const first = claimed.get(`${where}\n${old}`);
    if (self || Object.prototype.hasOwnProperty.call(siblings, old))
      report(at, "value", {
        code: "MOVED_FROM_DECLARED",
        problem: self ? `names this entry's own key "${old}"` : `names "${old}", which is still declared in ${where}: both entries would be one ${def.title}`,
        fix: self ? "remove it: movedFrom lists the keys this entry had before a rename" : `remove ${where}.${old} (this entry takes its object over), or remove "${old}" from movedFrom`,
      });
    else if (first !== undefined)
      report(at, "value", {
        code: "MOVED_FROM_TWICE",
        problem: `${where}.${old} is claimed by ${first} too: one object cannot move to two entries`,
        fix: `keep movedFrom: ${old} on the entry that now stands for that object only`,
      });
    else claimed.set(`${where}\n${old}`, formatPath(entry.segs));
  }
}

function checkMailtrap(mt: Record<string, unknown> | undefined, report: Report): void {
  if (!mt) return;
  for (const [field, noun] of mt.apiVersion === "v1" ? [["emailTemplates", "email templates"], ["apiTokens", "API tokens"]] : [])
    if (field! in mt)
      report(["mailtrap", field!], "key", {
        code: "UNSUPPORTED_FIELD",
        problem: `Mailtrap API v1 has no ${noun}`,
        fix: `remove apiVersion: v1 to manage everything through API v2 (the default), or remove ${field}`,
      });

  checkWebhooks(mt, report);
  const holders = [...entries(mt.apiTokens).map((e) => ["apiTokens", "token", ...e] as const), ...entries(mt.accountAccesses).map((e) => ["accountAccesses", "access", ...e] as const)];
  for (const [ak, access] of entries(mt.accountAccesses))
    if (access.account === undefined && !(Array.isArray(access.permissions) && access.permissions.length > 0))
      report(["mailtrap", "accountAccesses", ak], "key", {
        code: "MISSING_FIELD",
        problem: "an account access grants nothing: it has neither account nor permissions",
        fix: "add account: viewer (or admin), or permissions on projects and inboxes; to remove the person's access, remove the entry",
      });
  if (holders.length === 0) return; // the references below are all in tokens and accesses
  const projects = new Map<string, ReadonlySet<string>>();
  for (const [pk, p] of entries(mt.projects)) projects.set(pk, new Set(entries(p.inboxes).map(([ik]) => ik)));
  const inboxRefs = [...projects].flatMap(([pk, inboxes]) => [...inboxes].map((ik) => `${pk}/${ik}`));

  for (const [collection, noun, tk, token] of holders) {
    const seen = new Map<string, number>();
    (Array.isArray(token.permissions) ? token.permissions : []).forEach((raw, i) => {
      const perm = rec(raw);
      if (!perm) return;
      const at: PathSeg[] = ["mailtrap", collection, tk, "permissions", i];
      if ("project" in perm && "inbox" in perm)
        return report([...at, "inbox"], "key", {
          code: "CONFLICTING_FIELDS",
          problem: "a permission refers to one project or one inbox, not both",
          fix: "split it into two permissions: one with project: ..., one with inbox: ...",
        });
      if (!("project" in perm) && !("inbox" in perm))
        return report(at, "value", { code: "MISSING_FIELD", problem: 'a permission needs "project" or "inbox"', fix: "add project: <projectKey> or inbox: <projectKey>/<inboxKey>" });
      let target: string | undefined;
      if (typeof perm.project === "string") {
        if (projects.has(perm.project)) target = `project ${perm.project}`;
        else
          report([...at, "project"], "value", {
            code: "DANGLING_REFERENCE",
            problem: `there is no project "${perm.project}" in mailtrap.projects`,
            fix: projectRefFix(perm.project, projects, inboxRefs),
          });
      }
      if (typeof perm.inbox === "string") {
        const problem = inboxRefProblem(perm.inbox, projects, inboxRefs);
        if (problem) report([...at, "inbox"], "value", { code: "DANGLING_REFERENCE", ...problem });
        else target = `inbox ${perm.inbox}`;
      }
      const first = target === undefined ? undefined : seen.get(target);
      if (target !== undefined && first === undefined) seen.set(target, i);
      if (target !== undefined && first !== undefined)
        report(at, "value", {
          code: "DUPLICATE_VALUE",
          problem: `${target} already has a permission in this ${noun} (permissions[${first}])`,
          fix: `keep one permission per ${target.split(" ")[0]}; admin includes everything viewer allows`,
        });
    });
  }
}

/** What a webhook's type allows (the document's "required for" and "applicable only for"), and its domain reference. */
function checkWebhooks(mt: Record<string, unknown>, report: Report): void {
  const domains = entries(mt.domains).map(([k]) => k);
  for (const [wk, w] of entries(mt.webhooks)) {
    const at: PathSeg[] = ["mailtrap", "webhooks", wk];
    const type = w.type;
    if (typeof type !== "string") continue;
    const withEvents = type === "email_sending" || type === "campaigns";
    if (type === "email_sending" && w.sendingStream === undefined)
      report(at, "key", { code: "MISSING_FIELD", problem: "email_sending webhooks need sendingStream", fix: "add sendingStream: transactional (or bulk)" });
    if (type !== "email_sending" && w.sendingStream !== undefined)
      report([...at, "sendingStream"], "key", { code: "UNSUPPORTED_FIELD", problem: `${type} webhooks have no sending stream`, fix: "remove sendingStream: only email_sending webhooks subscribe to a stream" });
    if (withEvents && w.events === undefined)
      report(at, "key", { code: "MISSING_FIELD", problem: `${type} webhooks need events`, fix: "add events: [delivery, bounce] (the event types Mailtrap should post)" });
    for (const field of ["events", "domain"])
      if (!withEvents && w[field] !== undefined)
        report([...at, field], "key", { code: "UNSUPPORTED_FIELD", problem: `${type} webhooks have no ${field}`, fix: `remove ${field}: only email_sending and campaigns webhooks have it` });
    if (typeof w.domain === "string" && !domains.includes(w.domain)) {
      const guess = didYouMean(w.domain, domains);
      report([...at, "domain"], "value", {
        code: "DANGLING_REFERENCE",
        problem: `there is no sending domain "${w.domain}" in mailtrap.domains`,
        fix: guess ? `did you mean ${guess}? Write domain: ${guess}` : domains.length === 0 ? "define the domain under mailtrap.domains, then refer to it by its key" : `use the key of a domain under mailtrap.domains (${listOr(domains)})`,
      });
    }
  }
}

function projectRefFix(ref: string, projects: Map<string, ReadonlySet<string>>, inboxRefs: string[]): string {
  if (/^\d+$/.test(ref)) return "refer to the project by its key in this file, not by its Mailtrap id";
  if (inboxRefs.includes(ref)) return `${ref} is an inbox: write inbox: ${ref}`;
  const guess = didYouMean(ref, projects.keys());
  if (guess) return `did you mean ${guess}? Write project: ${guess}`;
  if (projects.size === 0) return `define the project under mailtrap.projects, then refer to it by its key`;
  return `use the key of a project under mailtrap.projects (${listOr([...projects.keys()])}), or define ${ref} there`;
}

function inboxRefProblem(ref: string, projects: Map<string, ReadonlySet<string>>, inboxRefs: string[]): { problem: string; fix: string } | undefined {
  const slash = ref.indexOf("/");
  if (slash < 0) {
    const owners = [...projects].filter(([, inboxes]) => inboxes.has(ref)).map(([pk]) => `${pk}/${ref}`);
    if (owners.length === 1) return { problem: `inbox references are written <projectKey>/<inboxKey>`, fix: `write inbox: ${owners[0]}` };
    if (/^\d+$/.test(ref))
      return { problem: `"${ref}" is not an inbox of this file`, fix: "refer to the inbox as <projectKey>/<inboxKey>, by keys in this file, not by its Mailtrap id" };
    if (projects.has(ref))
      return { problem: `"${ref}" is a project, not an inbox`, fix: `write project: ${ref} to grant access to the whole project, or inbox: ${ref}/<inboxKey>` };
    return { problem: `inbox references are written <projectKey>/<inboxKey>; there is no inbox "${ref}" in this file`, fix: suggestInbox(ref, inboxRefs) };
  }
  const pk = ref.slice(0, slash);
  const ik = ref.slice(slash + 1);
  const inboxes = projects.get(pk);
  if (!inboxes) {
    const guess = didYouMean(pk, projects.keys());
    return {
      problem: `there is no project "${pk}" in mailtrap.projects`,
      fix: guess && inboxRefs.includes(`${guess}/${ik}`) ? `did you mean ${guess}/${ik}? Write inbox: ${guess}/${ik}` : suggestInbox(ref, inboxRefs),
    };
  }
  if (!inboxes.has(ik))
    return { problem: `project "${pk}" has no inbox "${ik}"`, fix: suggestInbox(ref, inboxRefs.filter((r) => r.startsWith(`${pk}/`)), inboxRefs) };
  return undefined;
}

function suggestInbox(ref: string, candidates: string[], all: string[] = candidates): string {
  const guess = didYouMean(ref, candidates) ?? didYouMean(ref, all);
  if (guess) return `did you mean ${guess}? Write inbox: ${guess}`;
  if (all.length === 0) return "define the inbox under mailtrap.projects.<projectKey>.inboxes, then refer to it as <projectKey>/<inboxKey>";
  return `use one of ${listOr(all)}, or define the inbox under its project's inboxes`;
}

const SCOPE_PATTERN = /^[a-z0-9_]+(\.[a-z0-9_]+)*$/;

function checkSendgrid(sg: Record<string, unknown> | undefined, report: Report): void {
  if (!sg) return;
  for (const [tk, t] of entries(sg.templates)) {
    const versions = entries(t.versions);
    const active = versions.filter(([, v]) => v.active === true).map(([vk]) => vk);
    for (const vk of active.slice(1))
      report(["sendgrid", "templates", tk, "versions", vk, "active"], "value", {
        code: "MULTIPLE_ACTIVE_VERSIONS",
        problem: `versions ${active[0]} and ${vk} are both active; a template has at most one active version`,
        fix: `keep active: true on one version only (remove it from ${vk} or from ${active[0]})`,
      });
    for (const [vk, v] of t.generation === "legacy" ? versions : [])
      if ("testData" in v)
        report(["sendgrid", "templates", tk, "versions", vk, "testData"], "key", {
          code: "UNSUPPORTED_FIELD",
          severity: "warning",
          problem: "test data is used by dynamic templates only; SendGrid ignores it for a legacy template",
          fix: "remove testData, or use generation: dynamic",
        });
  }
  for (const [collection, kk, key] of [
    ...entries(sg.apiKeys).map(([k, v]) => ["apiKeys", k, v] as const),
    ...entries(sg.teammates).map(([k, v]) => ["teammates", k, v] as const),
  ]) {
    (Array.isArray(key.scopes) ? key.scopes : []).forEach((scope, i) => {
      if (typeof scope !== "string" || !SCOPE_PATTERN.test(scope) || KNOWN_SENDGRID_SCOPES.includes(scope)) return;
      // Within two edits of a known scope: a typo; anything else may be a scope SendGrid added since.
      const near = KNOWN_SENDGRID_SCOPES.map((known) => [known, editDistance(scope, known)] as const).filter(([, d]) => d < 3);
      const best = near.reduce<readonly [string, number] | undefined>((b, n) => (!b || n[1] < b[1] ? n : b), undefined)?.[0];
      report(["sendgrid", collection, kk, "scopes", i], "value", best
        ? { code: "UNKNOWN_SCOPE", problem: `unknown scope "${scope}"`, fix: `did you mean ${best}?` }
        : {
            code: "UNKNOWN_SCOPE",
            severity: "warning",
            problem: `"${scope}" is not a SendGrid scope mailform knows`,
            fix: "check it against SendGrid's API key permissions list: SendGrid rejects a key with a scope that does not exist",
          });
    });
  }
}

function checkTeammates(sg: Record<string, unknown> | undefined, report: Report): void {
  for (const [tk, t] of entries(sg?.teammates))
    if (t.admin === true && "scopes" in t)
      report(["sendgrid", "teammates", tk, "scopes"], "key", {
        code: "UNSUPPORTED_FIELD",
        severity: "warning",
        problem: "an admin teammate holds every scope; scopes is ignored",
        fix: "remove scopes, or remove admin: true to give only these scopes",
      });
}

function checkMailjet(mj: Record<string, unknown> | undefined, report: Report): void {
  for (const [tk, t] of entries(mj?.templates)) {
    const content = rec(t.content);
    if (content && "mjml" in content && t.editMode !== undefined && t.editMode !== "mjml")
      report(["mailjet", "templates", tk, "content", "mjml"], "key", {
        code: "UNSUPPORTED_FIELD",
        severity: "warning",
        problem: `MJML content is used only with editMode: mjml (this template has editMode: ${String(t.editMode)})`,
        fix: "set editMode: mjml, or remove content.mjml",
      });
  }
}

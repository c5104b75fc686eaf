/**
 * `mailform drift`: what someone changed by hand. Runs the engine's refresh preview of a stack and
 * reports, per object (vendor, kind, stack key, vendor id), each field whose live value differs
 * from the stack file, long bodies as a short unified diff, objects deleted out of band, and a
 * one-line summary; then the unmanaged objects (cli/unmanaged.ts). Exit 0 none, 2 drift or unmanaged
 * objects, 1 error (which one is said).
 */
import { createTwoFilesPatch } from "diff";
import type { Command } from "./index";
import { classifyFailure, objectChanges, reportArgs, runPreview, show, SECRET, type FieldChange, type ObjectChange } from "./preview";
import { engineEnv, pulumi } from "../engine/pulumi";
import { scanUnmanaged, type UnmanagedObject } from "./unmanaged";

const FORMATS = ["text", "json", "markdown"] as const;

/** Multi-line or long strings are shown as a diff rather than two values. */
const isBody = (v: unknown): v is string => typeof v === "string" && (v.includes("\n") || v.length > 80);

/** A unified diff from the desired value to the live one, without the file header. */
export function bodyDiff(desired: string, live: string): string {
  const patch = createTwoFilesPatch("desired", "live", desired.endsWith("\n") ? desired : `${desired}\n`, live.endsWith("\n") ? live : `${live}\n`, "", "", { context: 1 });
  return patch
    .split("\n")
    .filter((l) => !l.startsWith("===") && !l.startsWith("Index:") && l !== "\\ No newline at end of file")
    .join("\n")
    .trimEnd();
}

interface DriftField {
  field: string;
  desired: unknown;
  live: unknown;
  diff?: string;
}

interface DriftObject {
  vendor: string;
  kind: string;
  key: string;
  id?: string;
  /** changed: fields differ; deleted: gone from the vendor; other: a pending change of the stack file, not drift. */
  status: "changed" | "deleted";
  fields: DriftField[];
  secretFieldsDiffer?: boolean;
}

function driftFields(fields: FieldChange[]): DriftField[] {
  return fields.map(({ field, current, desired }) => {
    const masked = current === SECRET || desired === SECRET;
    const out: DriftField = { field, desired: masked ? SECRET : desired, live: masked ? SECRET : current };
    if (!masked && isBody(desired) && isBody(current)) out.diff = bodyDiff(desired, current);
    return out;
  });
}

export function driftReport(changes: ObjectChange[]): { objects: DriftObject[]; pending: ObjectChange[] } {
  const objects: DriftObject[] = [];
  const pending: ObjectChange[] = [];
  for (const c of changes) {
    const base = { vendor: c.vendor, kind: c.type, key: c.key, ...(c.id ? { id: c.id } : {}) };
    if (c.kind === "recreate") objects.push({ ...base, status: "deleted", fields: [] });
    else if (c.kind === "update" || c.kind === "replace")
      objects.push({ ...base, status: "changed", fields: driftFields(c.fields), ...(c.secretFieldsDiffer ? { secretFieldsDiffer: true } : {}) });
    else pending.push(c); // create/delete: the stack file changed and was not applied yet
  }
  return { objects, pending };
}

function summary(objects: DriftObject[], stack: string, unmanaged: UnmanagedObject[] = []): string {
  const strays = unmanaged.length
    ? `${unmanaged.length} unmanaged object(s) no entry declares (declare them with adopt: true, delete them, or ignore them under unmanaged:)`
    : "";
  if (objects.length === 0) return strays ? `drift in stack ${stack}: ${strays}` : `no drift in stack ${stack}`;
  if (strays) return `${summaryOfObjects(objects, stack)}; ${strays}`;
  return summaryOfObjects(objects, stack);
}

function summaryOfObjects(objects: DriftObject[], stack: string): string {
  const changed = objects.filter((o) => o.status === "changed");
  const fields = changed.reduce((n, o) => n + o.fields.length, 0);
  const deleted = objects.length - changed.length;
  return `drift in stack ${stack}: ${objects.length} object(s) differ (${changed.length} changed, ${fields} field(s); ${deleted} deleted out of band); \`pulumi up --refresh\` puts them back`;
}

/** `sendgrid ApiKey name "Ops" (id 7): full access ...; scopes: [...]`. */
const unmanagedLine = (u: UnmanagedObject) =>
  `${u.vendor} ${u.kind} ${u.name} (id ${u.id}, not declared under ${u.path})` +
  Object.entries(u.fields).filter(([f]) => !/^(name|email)$/.test(f)).map(([f, v]) => `; ${f}: ${show(v)}`).join("") +
  u.risks.map((r) => `; ${r}`).join("");

const title = (o: DriftObject) => `${o.vendor} ${o.kind} ${o.key}${o.id ? ` (id ${o.id})` : ""}`;

function text(objects: DriftObject[], pending: ObjectChange[], stack: string, unmanaged: UnmanagedObject[]): string {
  const lines: string[] = [];
  for (const u of unmanaged) lines.push(`? unmanaged ${unmanagedLine(u)}`);
  for (const o of objects) {
    if (o.status === "deleted") {
      lines.push(`- ${title(o)}: deleted out of band`);
      continue;
    }
    lines.push(`~ ${title(o)}`);
    for (const f of o.fields) {
      if (f.diff) lines.push(`    ${f.field}:`, ...f.diff.split("\n").map((l) => `      ${l}`));
      else lines.push(`    ${f.field}: desired ${show(f.desired)}, live ${show(f.live)}`);
    }
    if (o.secretFieldsDiffer) lines.push("    a secret field differs (values not shown)");
  }
  for (const p of pending) lines.push(`  (not drift: the stack file would ${p.kind} ${p.vendor} ${p.type} ${p.key})`);
  lines.push(summary(objects, stack, unmanaged));
  return lines.join("\n");
}

function markdown(objects: DriftObject[], pending: ObjectChange[], stack: string, unmanaged: UnmanagedObject[]): string {
  // In a table cell even a code span ends at an unescaped "|".
  const code = (v: unknown) => `\`${show(v).replace(/`/g, "'").replace(/\|/g, "\\|")}\``;
  const lines = [`## mailform drift: stack \`${stack}\``, "", `**${summary(objects, stack, unmanaged)}**`, ""];
  if (unmanaged.length) {
    lines.push("### Unmanaged: live objects no entry declares", "", "| vendor | kind | name | id | declared under | what it can do |", "| --- | --- | --- | --- | --- | --- |");
    for (const u of unmanaged) {
      const can = [...Object.entries(u.fields).filter(([f]) => !/^(name|email)$/.test(f)).map(([f, v]) => `${f}: ${show(v)}`), ...u.risks.map((r) => `**${r}**`)];
      lines.push(`| ${u.vendor} | ${u.kind} | \`${u.name.replace(/`/g, "'").replace(/\|/g, "\\|")}\` | ${u.id} | \`${u.path}\` | ${can.join("; ").replace(/\|/g, "\\|") || "-"} |`);
    }
    lines.push("");
  }
  for (const o of objects) {
    lines.push(`### ${o.status === "deleted" ? "Deleted out of band" : "Changed"}: ${o.vendor} ${o.kind} \`${o.key}\`${o.id ? ` (id ${o.id})` : ""}`, "");
    if (o.status === "deleted") continue;
    const plain = o.fields.filter((f) => !f.diff);
    if (plain.length) {
      lines.push("| field | desired | live |", "| --- | --- | --- |");
      for (const f of plain) lines.push(`| \`${f.field}\` | ${code(f.desired)} | ${code(f.live)} |`);
      lines.push("");
    }
    for (const f of o.fields.filter((f) => f.diff)) lines.push(`\`${f.field}\`:`, "", "```diff", f.diff!, "```", "");
    if (o.secretFieldsDiffer) lines.push("A secret field differs (values not shown).", "");
  }
  if (pending.length) {
    lines.push("Not drift (the stack file changed and was not applied):", "");
    for (const p of pending) lines.push(`- ${p.kind} ${p.vendor} ${p.type} \`${p.key}\``);
  }
  return lines.join("\n").trimEnd();
}

export const driftCommand: Command = {
  summary: "report what changed by hand: the refresh preview, per object and field (exit 0 none, 2 drift, 1 error)",
  usage: [
    "usage: mailform drift [--stack <name>] [--format text|json|markdown] [--cwd <project dir>]",
    "",
    "Runs `pulumi preview --refresh --json` of the stack with the backend and secrets of your",
    "environment (PULUMI_BACKEND_URL, PULUMI_CONFIG_PASSPHRASE) and prints each field whose live",
    "value differs from the stack file, and each object deleted out of band; then the live keys,",
    "tokens and teammates no entry declares (unmanaged objects; the stack file's `unmanaged:` policy",
    "says which kinds and names). Secret values are never shown. Exit code: 0 no drift, 2 drift or",
    "unmanaged objects, 1 error (missing credentials, credentials rejected, vendor unreachable,",
    "engine error).",
  ].join("\n"),
  async run(args) {
    const opts = reportArgs(args, FORMATS);
    if (typeof opts === "string") {
      console.error(`mailform drift: ${opts}\n\n${driftCommand.usage}`);
      return 1;
    }
    const preview = await runPreview({ stack: opts.stack, cwd: opts.cwd, refresh: true });
    const stack = opts.stack ?? "(current)";
    if (preview.code !== 0) {
      const { reason, detail } = classifyFailure(preview.messages);
      console.error(`mailform drift: ${reason}: ${detail}`);
      // The report file a workflow uploads says why there is no report, rather than nothing.
      if (opts.format === "markdown") console.log(`## mailform drift: stack \`${stack}\`\n\n**Drift could not be checked: ${reason}.**\n\n\`\`\`\n${detail}\n\`\`\``);
      if (opts.format === "json") console.log(JSON.stringify({ stack, error: { reason, detail } }, null, 2));
      return 1;
    }
    const { objects, pending } = driftReport(objectChanges(preview.steps));
    let unmanaged: UnmanagedObject[];
    try {
      const name = opts.stack ?? (await pulumi(["stack", "--show-name"], { cwd: opts.cwd, env: engineEnv({}) })).stdout.trim();
      unmanaged = await scanUnmanaged({ stack: name, cwd: opts.cwd });
    } catch (e) {
      console.error(`mailform drift: the unmanaged-object scan failed: ${(e as Error).message}`);
      return 1;
    }
    const drift = objects.length > 0 || unmanaged.length > 0;
    if (opts.format === "json") console.log(JSON.stringify({ stack, drift, objects, unmanaged, pending, summary: summary(objects, stack, unmanaged) }, null, 2));
    else if (opts.format === "markdown") console.log(markdown(objects, pending, stack, unmanaged));
    else console.log(text(objects, pending, stack, unmanaged));
    return drift ? 2 : 0;
  },
};

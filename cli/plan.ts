/**
 * `mailform plan`: what an `up` would change, as markdown for a pull request, grouped by vendor:
 * moves (declared renames), creates, updates with their fields, replacements with the fields that
 * force them, deletes, each delete and replace with what it loses for good, probable renames that
 * were not declared, and protected objects that would make the `up` fail. Built from the engine's
 * `pulumi preview --json`.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { LineCounter, parseDocument } from "yaml";
import { engineEnv, pulumi } from "../engine/pulumi";
import { findAdopted } from "./adopt-lookup";
import type { Command } from "./index";
import { bodyDiff } from "./drift";
import { formatErrors, loadStack } from "../config";
import { byAddress, classifyFailure, kindByType, objectChanges, reportArgs, runPreview, SECRET, type ObjectChange } from "./preview";

const FORMATS = ["markdown", "json"] as const;
const VENDOR_TITLES: Record<string, string> = { mailtrap: "Mailtrap", sendgrid: "SendGrid", mailjet: "Mailjet" };
const ORDER = ["move", "create", "recreate", "update", "replace", "delete"] as const;

/** The last segment of an entry address: its key in its collection. */
const keyOf = (address: string): string => address.slice(address.lastIndexOf(".") + 1);

/** Protected objects an `up` would have to delete or replace: the engine refuses, so the `up` fails. */
export const blocked = (changes: ObjectChange[]) => changes.filter((c) => c.protected && (c.kind === "delete" || c.kind === "replace"));

/** A value as inline code: nothing in it renders as markdown or HTML (`*beta*`, `<b>`, `|`). */
function code(value: unknown): string {
  // Whole, never cut: a scope list or a permission set is what a reviewer must read.
  const text = value === SECRET ? "[secret]" : value === undefined ? "(unset)" : JSON.stringify(value);
  const fence = text.includes("`") ? "`` " : "`";
  return `${fence}${text.replace(/\|/g, "\\|")}${[...fence].reverse().join("")}`;
}

/** Long or multi-line text is shown as a unified diff (drift does the same), never cut. */
const isBody = (v: unknown): v is string => typeof v === "string" && (v.includes("\n") || v.length > 80);

/** `field: before → after`, or the diff of a body below the line. */
function fieldLines(c: ObjectChange): { inline: string[]; blocks: string[] } {
  const inline: string[] = [];
  const blocks: string[] = [];
  for (const f of c.fields) {
    const drift = c.drifted?.includes(f.field) ? " (drift: changed outside mailform since the last `up`, which puts it back)" : "";
    if (isBody(f.current) && isBody(f.desired)) {
      inline.push(`\`${f.field}\` (diff below)${drift}`);
      blocks.push(`  \`${f.field}\`:`, "", "  ```diff", ...bodyDiff(f.current, f.desired).split("\n").map((l) => `  ${l}`), "  ```", "");
    } else inline.push(`\`${f.field}\`: ${code(f.current)} → ${code(f.desired)}${drift}`);
  }
  return { inline, blocks };
}

/** What a reviewer must not miss: the kind's own risks, and plain-http URLs anywhere. */
function risks(c: ObjectChange): string[] {
  if (!c.desired) return [];
  const def = kindByType.get(`pulumi-nodejs:dynamic/${c.vendor}:${c.type}`);
  const out: string[] = [];
  try {
    out.push(...(def?.risks?.(c.desired as never) ?? []));
  } catch {
    // A value the preview cannot know yet (another object's id): nothing to say about it.
  }
  const walk = (v: unknown): void => {
    if (typeof v === "string" && /^http:\/\//i.test(v)) out.push(`a plain http URL (${code(v)}): what is sent to it travels unencrypted`);
    else if (v && typeof v === "object") Object.values(v).forEach(walk);
  };
  walk(c.desired);
  return out;
}

/** Which live object an adopting create takes over, as far as the plan could tell. */
function adoptTarget(c: ObjectChange): string {
  if (typeof c.adoptsId === "string") return `takes over the live object id ${c.adoptsId} with its identity`;
  if (c.adoptLookupError) return `takes over the live object with its identity (made only if none exists; ⚠️ ${c.adoptLookupError})`;
  return "takes over the live object with its identity, if there is one (made only if none exists; known once its parent exists)";
}

function line(c: ObjectChange): string {
  const what = `${c.type} \`${c.key}\`${c.id ? ` (id ${c.id})` : ""}`;
  const { inline, blocks } = fieldLines(c);
  const secret = c.secretFieldsDiffer ? ["a secret field (value not shown)"] : [];
  const moved = c.movedFrom ? `, moved from \`${c.movedFrom}\`` : "";
  const loses = c.loses ? ` **Loses ${c.loses}.**` : "";
  const rename = c.probableRename ? ` (probable rename ${c.kind === "create" ? "of" : "to"} \`${c.probableRename}\`: see below)` : "";
  const warn = risks(c).map((r) => `\n  - ⚠️ ${r}`).join("");
  const after = blocks.length ? `\n\n${blocks.join("\n")}` : "";
  const made = Object.entries(c.desired ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([f, v]) => `\n  - \`${f}\`: ${isBody(v) ? `${v.length} characters` : code(v)}`)
    .join("");
  switch (c.kind) {
    case "move":
      return `- **move** ${what} from \`${c.movedFrom}\`: nothing changes at the vendor`;
    case "create":
      if (c.adopts && c.adoptsId === null) return `- **create** ${what} (adopt: true, but no live object has its identity)${rename}:${made}${warn}`;
      return c.adopts
        ? `- **adopt** ${what}${rename}: ${adoptTarget(c)}, brought to:${made}${warn}`
        : `- **create** ${what}${rename}:${made}${warn}`;
    case "recreate":
      return `- **create** ${what}: deleted out of band, created again:${made}${warn}`;
    case "update":
      return `- **update** ${what}${moved}: ${[...inline, ...secret].join("; ")}${warn}${after}`;
    case "replace": {
      const reasons = c.replaceReasons ?? c.fields.map((f) => f.field);
      return `- **replace** ${what}${moved}, because ${reasons.map((f) => `\`${f}\``).join(", ") || "the provider requires it"} cannot change in place: ${[...inline, ...secret].join("; ")}.${loses}${warn}${after}`;
    }
    case "delete":
      return `- **delete** ${what}${rename}.${loses}`;
  }
}

export function planMarkdown(changes: ObjectChange[], stack: string): string {
  const count = (k: (typeof ORDER)[number]) => changes.filter((c) => c.kind === k).length;
  const adopts = changes.filter((c) => c.adopts && c.adoptsId !== null).length;
  const head = `${count("create") + count("recreate") - adopts} to create, ${adopts ? `${adopts} to adopt, ` : ""}${count("update")} to update, ${count("replace")} to replace, ${count("delete")} to delete`;
  const moves = count("move");
  const lines = [
    `## mailform plan: stack \`${stack}\``,
    "",
    changes.length ? `**${head}${moves ? `, ${moves} to move` : ""}**` : "**No changes.**",
    "",
  ];
  const stops = blocked(changes);
  if (stops.length) {
    lines.push(
      `> **This \`up\` would fail:** ${stops.length} protected object(s) would be ${stops.map((c) => `${c.kind}d`).filter((v, i, a) => a.indexOf(v) === i).join(" or ")}, and the engine refuses. ` +
        `To consent, set \`protect: false\` on the entry (some kinds are protected by default: docs/stack-format.md#irreversible-changes) and apply that first; or keep the object.`,
      ">",
    );
    for (const c of stops) lines.push(`> - ${VENDOR_TITLES[c.vendor] ?? c.vendor} ${c.type} \`${c.key}\`${c.id ? ` (id ${c.id})` : ""}: ${c.kind}${c.loses ? `, which loses ${c.loses}` : ""}`);
    lines.push("");
  }
  const lost = changes.filter((c) => c.loses && !c.protected && !c.probableRename);
  if (lost.length) {
    lines.push(`> **Irreversible:** ${lost.length} object(s) would be deleted or replaced and lose what the vendor cannot give back:`, ">");
    for (const c of lost) lines.push(`> - ${VENDOR_TITLES[c.vendor] ?? c.vendor} ${c.type} \`${c.key}\`${c.id ? ` (id ${c.id})` : ""}: ${c.kind}, loses ${c.loses}`);
    lines.push("");
  }
  const renames = changes.filter((c) => c.kind === "create" && c.probableRename);
  if (renames.length) {
    lines.push(
      `> **Probable rename:** ${renames.length} new entr${renames.length === 1 ? "y has" : "ies have"} the identity of an entry that goes away. ` +
        `Without a declaration, \`up\` stops rather than create a second object. To keep each object with its id, declare the rename:`,
      ">",
    );
    for (const c of renames) lines.push(`> - \`movedFrom: ${keyOf(c.probableRename!)}\` on \`${c.key}\` (was \`${c.probableRename}\`)`);
    lines.push("");
  }
  for (const vendor of [...new Set(changes.map((c) => c.vendor))]) {
    lines.push(`### ${VENDOR_TITLES[vendor] ?? vendor}`, "");
    const mine = changes.filter((c) => c.vendor === vendor).sort((a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind) || byAddress(a, b));
    for (const c of mine) lines.push(line(c));
    lines.push("");
  }
  return lines.join("\n").trimEnd();
}

export const planCommand: Command = {
  summary: "what `up` would change, as markdown for a pull request (from `pulumi preview --json`)",
  usage: [
    "usage: mailform plan [--stack <name>] [--format markdown|json] [--cwd <project dir>]",
    "",
    "Runs `pulumi preview --refresh --json` of the stack with the backend and secrets of your environment and",
    "prints the changes grouped by vendor: create, update with the fields, replace with the fields",
    "that force it, delete, and protected objects that would make `up` fail. Exit code: 0 printed",
    "(with or without changes), 1 error or a plan whose `up` would fail (protected objects, a",
    "movedFrom that matches nothing).",
  ].join("\n"),
  async run(args) {
    const opts = reportArgs(args, FORMATS);
    if (typeof opts === "string") {
      console.error(`mailform plan: ${opts}\n\n${planCommand.usage}`);
      return 1;
    }
    // Refreshed, as the apply workflow's `up --refresh` is: the plan shows what that `up` will do,
    // drift it overwrites included.
    const preview = await runPreview({ stack: opts.stack, cwd: opts.cwd, refresh: true, showSames: true });
    const changes = objectChanges(preview.steps);
    await findAdopted(changes, opts);
    // A preview that reaches a protected delete fails, yet its steps say what the `up` would do.
    if (preview.code !== 0 && blocked(changes).length === 0) {
      const { reason, detail } = classifyFailure(preview.messages);
      console.error(`mailform plan: ${reason}: ${detail}`);
      return 1;
    }
    const stack = opts.stack ?? "(current)";
    if (opts.format === "json") console.log(JSON.stringify({ stack, changes, blocked: blocked(changes).map((c) => c.key) }, null, 2));
    else console.log(planMarkdown(changes, stack) + templateFindings(opts));
    const unmatched = await unmatchedMoves(changes, opts);
    for (const problem of unmatched) console.error(problem);
    // A plan whose `up` would fail fails the check it runs in.
    return unmatched.length > 0 || blocked(changes).length > 0 ? 1 : 0;
  },
};

/** The template checks' warnings (`mailform validate`), so a reviewer sees them in the plan too. */
function templateFindings(opts: { stack?: string; cwd: string }): string {
  if (!opts.stack) return "";
  const loaded = loadStack(path.join(opts.cwd, "stacks", `${opts.stack}.yaml`));
  const found = loaded.warnings.filter((w) => w.code.startsWith("TEMPLATE_"));
  return found.length ? `\n\n### Template checks\n\n\`\`\`\n${formatErrors(found).trimEnd()}\n\`\`\`` : "";
}

/**
 * `movedFrom` on an entry the engine would create: the old key matched nothing in the state (a
 * misspelled key, or a stack that never had it), so the `up` would make a new object. Located in
 * the stack file, one message each.
 */
async function unmatchedMoves(changes: ObjectChange[], opts: { stack?: string; cwd: string }): Promise<string[]> {
  const creates = changes.filter((c) => c.kind === "create");
  if (creates.length === 0) return [];
  const stack = opts.stack ?? (await pulumi(["stack", "--show-name"], { cwd: opts.cwd, env: engineEnv({}) })).stdout.trim();
  const file = ["yaml", "yml"].map((ext) => path.join(opts.cwd, "stacks", `${stack}.${ext}`)).find((f) => fs.existsSync(f));
  if (!file) return [];
  const counter = new LineCounter();
  const doc = parseDocument(fs.readFileSync(file, "utf8"), { lineCounter: counter });
  const shown = path.relative(process.cwd(), file) || file;
  const out: string[] = [];
  for (const c of creates) {
    const at = [...c.key.split("."), "movedFrom"];
    const node = doc.getIn(at, true) as { range?: [number, number, number]; toJSON?: () => unknown } | undefined;
    if (!node?.range) continue;
    const { line, col } = counter.linePos(node.range[0]);
    const olds = ([] as unknown[]).concat(node.toJSON?.() ?? []).join(", ");
    out.push(
      `${shown}:${line}:${col}: error [MOVED_FROM_UNMATCHED] ${c.key}.movedFrom: ${olds} matches nothing in stack ${stack}'s state, so \`up\` would create a new ${c.type}. ` +
        `Fix the old key (the entry's key before the rename, in the same collection), or remove movedFrom if this is a new object.`,
    );
  }
  return out;
}

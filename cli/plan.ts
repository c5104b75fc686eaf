/**
 * `mailform plan`: what an `up` would change, as markdown for a pull request, grouped by vendor:
 * creates, updates with their fields, replacements with the fields that force them, deletes, and
 * protected objects that would make the `up` fail. Built from the engine's `pulumi preview --json`.
 */
import type { Command } from "./index";
import { classifyFailure, objectChanges, reportArgs, runPreview, show, type ObjectChange } from "./preview";

const FORMATS = ["markdown", "json"] as const;
const VENDOR_TITLES: Record<string, string> = { mailtrap: "Mailtrap", sendgrid: "SendGrid", mailjet: "Mailjet" };
const ORDER = ["create", "recreate", "update", "replace", "delete"] as const;

/** Protected objects an `up` would have to delete or replace: the engine refuses, so the `up` fails. */
export const blocked = (changes: ObjectChange[]) => changes.filter((c) => c.protected && (c.kind === "delete" || c.kind === "replace"));

function line(c: ObjectChange): string {
  const what = `${c.type} \`${c.key}\`${c.id ? ` (id ${c.id})` : ""}`;
  const fields = c.fields.map((f) => `\`${f.field}\`: ${show(f.current).replace(/`/g, "'")} → ${show(f.desired).replace(/`/g, "'")}`);
  const secret = c.secretFieldsDiffer ? ["a secret field (value not shown)"] : [];
  switch (c.kind) {
    case "create":
      return `- **create** ${what}`;
    case "recreate":
      return `- **create** ${what}: deleted out of band, created again`;
    case "update":
      return `- **update** ${what}: ${[...fields, ...secret].join("; ")}`;
    case "replace":
      return `- **replace** ${what}, because ${[...c.fields.map((f) => `\`${f.field}\``), ...secret].join(", ") || "the provider requires it"} cannot change in place: ${fields.join("; ")}`;
    case "delete":
      return `- **delete** ${what}`;
  }
}

export function planMarkdown(changes: ObjectChange[], stack: string): string {
  const count = (k: (typeof ORDER)[number]) => changes.filter((c) => c.kind === k).length;
  const head = `${count("create") + count("recreate")} to create, ${count("update")} to update, ${count("replace")} to replace, ${count("delete")} to delete`;
  const lines = [`## mailform plan: stack \`${stack}\``, "", changes.length ? `**${head}**` : "**No changes.**", ""];
  const stops = blocked(changes);
  if (stops.length) {
    lines.push(`> **This \`up\` would fail:** ${stops.length} protected object(s) would be ${stops.map((c) => `${c.kind}d`).filter((v, i, a) => a.indexOf(v) === i).join(" or ")}. Remove \`protect: true\` from the entry first (and apply that), or keep the object.`, ">");
    for (const c of stops) lines.push(`> - ${VENDOR_TITLES[c.vendor] ?? c.vendor} ${c.type} \`${c.key}\`${c.id ? ` (id ${c.id})` : ""}: ${c.kind}`);
    lines.push("");
  }
  for (const vendor of [...new Set(changes.map((c) => c.vendor))]) {
    lines.push(`### ${VENDOR_TITLES[vendor] ?? vendor}`, "");
    const mine = changes.filter((c) => c.vendor === vendor).sort((a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind));
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
    "Runs `pulumi preview --json` of the stack with the backend and secrets of your environment and",
    "prints the changes grouped by vendor: create, update with the fields, replace with the fields",
    "that force it, delete, and protected objects that would make `up` fail. Exit code: 0 printed",
    "(with or without changes), 1 error.",
  ].join("\n"),
  async run(args) {
    const opts = reportArgs(args, FORMATS);
    if (typeof opts === "string") {
      console.error(`mailform plan: ${opts}\n\n${planCommand.usage}`);
      return 1;
    }
    const preview = await runPreview({ stack: opts.stack, cwd: opts.cwd, refresh: false });
    const changes = objectChanges(preview.steps);
    // A preview that reaches a protected delete fails, yet its steps say what the `up` would do.
    if (preview.code !== 0 && blocked(changes).length === 0) {
      const { reason, detail } = classifyFailure(preview.messages);
      console.error(`mailform plan: ${reason}: ${detail}`);
      return 1;
    }
    const stack = opts.stack ?? "(current)";
    if (opts.format === "json") console.log(JSON.stringify({ stack, changes, blocked: blocked(changes).map((c) => c.key) }, null, 2));
    else console.log(planMarkdown(changes, stack));
    return 0;
  },
};

/**
 * `mailform preview --stack <name> [--out DIR] [--no-screenshots]`: every template message whose
 * content the next `up` changes, rendered before (live, refreshed) and after (the stack file) with
 * its sample data, into a static HTML report (templates/report.ts), with PNG screenshots at desktop
 * and mobile widths where chromium is installed. Old and new content come from the same engine
 * preview `mailform plan` runs: no vendor call beyond the plan's.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { loadStack } from "../config";
import { entryAddress } from "../providers/resource";
import { type MessageChange, messageDocument, writeReport } from "../templates/report";
import type { TemplateMessage } from "../templates/message";
import { chromiumAvailable, screenshot, WIDTHS } from "../templates/screenshots";
import { classifyFailure, kindByType, runPreview } from "./preview";
import type { Command } from "./index";

const USAGE = `usage: mailform preview [--stack <name>] [--out DIR] [--no-screenshots] [--cwd DIR]

Renders every template whose content the next \`up\` changes (Mailtrap email templates, SendGrid
template versions, Mailjet template content), before and after, with its sample data (SendGrid
testData, sampleData elsewhere), into DIR (default: mailform-preview/): index.html and a page per
template. With /usr/bin/chromium installed, also PNG screenshots at desktop and mobile widths.
Exit code: 0 written, 1 error.`;

const CHANGING = new Set(["create", "update", "replace", "create-replacement"]);

interface Step {
  op: string;
  urn: string;
  oldState?: { type: string; inputs?: Record<string, unknown> };
  newState?: { type: string; inputs?: Record<string, unknown> };
}

/** The messages whose content changes, from the engine's preview steps. */
export function messageChanges(steps: Step[], sampleDataOf: (address: string) => Record<string, unknown> | undefined): MessageChange[] {
  const out: MessageChange[] = [];
  for (const step of steps) {
    const type = (step.newState ?? step.oldState)?.type ?? "";
    const def = kindByType.get(type);
    if (!def?.templates || !CHANGING.has(step.op)) continue;
    const address = entryAddress(def, step.urn.slice(step.urn.lastIndexOf("::") + 2));
    const sample = sampleDataOf(address);
    const list = (inputs?: Record<string, unknown>) => new Map<string, TemplateMessage>((inputs ? def.templates!.messages(inputs, sample) : []).map((m) => [m.label, m]));
    const before = list(step.op === "create" ? undefined : step.oldState?.inputs);
    const after = list(step.newState?.inputs);
    for (const label of [...new Set([...before.keys(), ...after.keys()])].sort()) {
      out.push({ address: label ? `${address}.${label}` : address, kindTitle: def.title, before: before.get(label), after: after.get(label) });
    }
  }
  return out.sort((a, b) => a.address.localeCompare(b.address));
}

export const previewCommand: Command = {
  summary: "render changed templates before and after into an HTML report (with screenshots)",
  usage: USAGE,
  async run(args) {
    let stack: string | undefined;
    let out = "mailform-preview";
    let cwd = process.cwd();
    let shots = true;
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      if (a === "--no-screenshots") shots = false;
      else if (a === "--stack" || a === "-s" || a === "--out" || a === "--cwd") {
        const v = args[++i];
        if (v === undefined) return usage(`${a} needs a value`);
        if (a === "--out") out = v;
        else if (a === "--cwd") cwd = v;
        else stack = v;
      } else return usage(`unknown argument "${a}"`);
    }
    const preview = await runPreview({ stack, cwd, refresh: true });
    if (preview.code !== 0 && preview.steps.length === 0) {
      const { reason, detail } = classifyFailure(preview.messages);
      console.error(`mailform preview: ${reason}: ${detail}`);
      return 1;
    }
    const name = stack ?? "(current)";
    const loaded = stack ? loadStack(path.join(cwd, "stacks", `${stack}.yaml`)) : undefined;
    const entries = new Map((loaded?.ok ? loaded.stack.resources : []).map((r) => [r.address, r.options.sampleData]));
    const changes = messageChanges(preview.steps as Step[], (address) => entries.get(address));
    const dir = path.resolve(cwd, out);
    const withShots = shots && chromiumAvailable();
    const pages = writeReport(dir, name, changes, withShots ? (page) => pictures(dir, page) : undefined);
    console.log(`mailform preview: ${pages.length} changed template${pages.length === 1 ? "" : "s"} rendered into ${path.join(dir, "index.html")}${withShots ? " (with screenshots)" : ""}`);
    return 0;
  },
};

/** Screenshots of a page's before and after, at each width: relative file names by label. */
function pictures(dir: string, page: Parameters<NonNullable<Parameters<typeof writeReport>[3]>>[0]): Record<string, string> {
  const shotsDir = path.join(dir, "screenshots");
  fs.mkdirSync(shotsDir, { recursive: true });
  const out: Record<string, string> = {};
  for (const side of ["before", "after"] as const) {
    const rendered = page[side];
    if (!rendered) continue;
    const base = page.file.replace(/\.html$/, `-${side}`);
    const doc = path.join(shotsDir, `${base}.html`);
    fs.writeFileSync(doc, messageDocument(rendered));
    for (const [width, size] of Object.entries(WIDTHS)) {
      const png = path.join(shotsDir, `${base}-${width}.png`);
      if (screenshot(doc, png, size)) out[`${side}-${width}`] = `screenshots/${path.basename(png)}`;
    }
    fs.rmSync(doc);
  }
  return out;
}

function usage(problem: string): number {
  console.error(`mailform preview: ${problem}\n\n${USAGE}`);
  return 1;
}

/**
 * `mailform validate [--strict] [stack files...]`: checks stack files without credentials, without
 * the Pulumi engine and without any network access: for pre-commit hooks and CI.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { formatErrors, loadStack } from "../config";
import type { Command } from "./index";

const USAGE = `usage: mailform validate [--strict] [stack files...]

Checks stack files (default: every stacks/*.yaml) against the stack format: schema, references,
includes, pasted secrets. Needs no credentials, no Pulumi engine and no network.

  --strict   treat warnings as errors

Exit status: 0 when every file is valid, 1 when one is not, 2 on a usage error.`;

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** `stacks/*.yaml` (and `.yml`) under the working directory, sorted. */
export function defaultStackFiles(cwd = process.cwd()): string[] {
  const dir = path.join(cwd, "stacks");
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((n) => /\.ya?ml$/i.test(n))
    .sort()
    .map((n) => path.join("stacks", n));
}

export function runValidate(args: string[], out: (s: string) => void = console.log, err: (s: string) => void = console.error): number {
  const strict = args.includes("--strict");
  const unknown = args.filter((a) => a.startsWith("-") && a !== "--strict");
  if (unknown.length > 0) {
    err(`mailform validate: unknown option ${unknown[0]}\n\n${USAGE}`);
    return 2;
  }
  const files = args.filter((a) => !a.startsWith("-"));
  if (files.length === 0) files.push(...defaultStackFiles());
  if (files.length === 0) {
    err("mailform validate: no stack files given and none found in stacks/*.yaml");
    return 2;
  }

  let failed = 0;
  for (const file of files) {
    const result = loadStack(file);
    const shown = file.split(path.sep).join("/");
    const warnings = result.warnings;
    if (result.ok && !(strict && warnings.length > 0)) {
      if (warnings.length > 0) out(formatErrors(warnings));
      const extra = warnings.length > 0 ? `, ${plural(warnings.length, "warning")}` : "";
      // Pulumi resources `pulumi up` registers: one per entry (a SendGrid template version is part of its template).
      out(`ok  ${shown} (${plural(result.stack.resources.length, "resource")}${extra})`);
    } else {
      failed++;
      const errors = result.ok ? [] : result.errors;
      out(formatErrors([...errors, ...warnings]));
      const counts = [plural(errors.length, "error"), ...(warnings.length ? [plural(warnings.length, "warning")] : [])];
      out(`FAIL  ${shown} (${counts.join(", ")})${strict && errors.length === 0 ? " [--strict]" : ""}`);
    }
  }
  if (files.length > 1 && failed > 0) out(`\n${failed} of ${plural(files.length, "stack file")} invalid`);
  return failed > 0 ? 1 : 0;
}

export const validateCommand: Command = {
  summary: "check stack files (no credentials, no engine, no network)",
  usage: USAGE,
  run: (args) => runValidate(args),
};

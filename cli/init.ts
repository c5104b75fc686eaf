/**
 * `mailform init [--stack <name>] [--project <name>] [--dir <dir>] [--force]`: makes the current
 * directory (empty, or an existing repository) a team's mailform repository, with mailform only in
 * node_modules: package.json depending on a pinned mailform whose program is the Pulumi program,
 * Pulumi.yaml, stacks/<stack>.yaml, .gitignore, the three CI workflows and a README. The files
 * come from the package's init/ directory. It never overwrites a file without --force, and checks
 * every file before writing any.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { PROJECT_ROOT } from "../engine/pulumi";
import type { Command } from "./index";

const USAGE = `usage: mailform init [--stack <name>] [--project <name>] [--dir <dir>] [--force]

Writes what a team's mailform repository holds: package.json (mailform pinned, its program as
"main"), Pulumi.yaml, stacks/<stack>.yaml, .gitignore, .github/workflows/mailform-{plan,apply,drift}.yml
and README.md. Then: npm install, and see README.md.

  --stack NAME     the first stack (default: prod)
  --project NAME   the Pulumi project name (default: the directory's name)
  --dir DIR        the repository (default: the current directory)
  --force          overwrite files that exist (package.json is updated, never replaced)

Exit status: 0 written, 1 a file exists (nothing written), 2 a usage error.`;

/** The program every team repository runs: the package's compiled one (package.json "main"). */
export const PROGRAM = "node_modules/mailform/dist/program.js";
const NAME = /^[A-Za-z0-9_.-]{1,100}$/;

interface Options {
  stack: string;
  project?: string;
  dir: string;
  force: boolean;
}

function parse(args: string[]): Options | string {
  const out: Options = { stack: "prod", dir: process.cwd(), force: false };
  for (let i = 0; i < args.length; i++) {
    const flag = args[i]!;
    if (flag === "--force") out.force = true;
    else if (["--stack", "--project", "--dir"].includes(flag)) {
      const value = args[++i];
      if (value === undefined || value.startsWith("--")) return `${flag} needs a value`;
      if (flag === "--dir") out.dir = path.resolve(value);
      else if (!NAME.test(value)) return `${flag} ${value}: use letters, digits, "-", "_" and "." (up to 100)`;
      else if (flag === "--stack") out.stack = value;
      else out.project = value;
    } else return `unknown option ${flag}`;
  }
  return out;
}

const packageJson = (): { version: string; dependencies: Record<string, string> } =>
  JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8"));

/** init/<name> with its {{placeholders}} filled. */
function template(name: string, values: Record<string, string>): string {
  const text = fs.readFileSync(path.join(PROJECT_ROOT, "init", name), "utf8");
  return text.replace(/\{\{(\w+)\}\}/g, (whole, key: string) => values[key] ?? whole);
}

/**
 * The team's package.json: theirs, kept, with mailform pinned (unless they depend on it already:
 * npm install wrote that) and its program as "main". A "main" of their own is a conflict.
 */
function teamPackage(dir: string, project: string, version: string): { text: string; conflict?: string } {
  const file = path.join(dir, "package.json");
  let pkg: Record<string, unknown> = { name: project.toLowerCase(), private: true };
  if (fs.existsSync(file)) {
    try {
      pkg = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
    } catch (err) {
      return { text: "", conflict: `package.json is not valid JSON (${(err as Error).message}); fix it first` };
    }
  }
  const conflict =
    pkg.main !== undefined && pkg.main !== PROGRAM
      ? `package.json has "main": ${JSON.stringify(pkg.main)}; the Pulumi program of this directory must be mailform's ("main": "${PROGRAM}")`
      : undefined;
  const deps = { ...(pkg.dependencies as Record<string, string> | undefined) };
  deps.mailform ??= version;
  return { text: `${JSON.stringify({ ...pkg, main: PROGRAM, dependencies: deps }, null, 2)}\n`, conflict };
}

export function runInit(args: string[], out: (s: string) => void = console.log, err: (s: string) => void = console.error): number {
  const opts = parse(args);
  if (typeof opts === "string") {
    err(`mailform init: ${opts}\n\n${USAGE}`);
    return 2;
  }
  const own = packageJson();
  const project = opts.project ?? path.basename(opts.dir).replace(/[^A-Za-z0-9_.-]/g, "-");
  const values = { stack: opts.stack, project, version: own.version, pulumiVersion: own.dependencies["@pulumi/pulumi"]! };
  const pkg = teamPackage(opts.dir, project, own.version);

  const files: Record<string, string> = {
    "Pulumi.yaml": [
      `name: ${project}`,
      "description: Our email providers' configuration (mailform)",
      "runtime:",
      "  name: nodejs",
      "  options:",
      "    typescript: false",
      `# No \`main:\` here: the program is package.json's "main" (${PROGRAM}), so it runs in this`,
      "# directory and reads stacks/<stack>.yaml from here.",
      "",
    ].join("\n"),
    [`stacks/${opts.stack}.yaml`]: template("stack.yaml", values),
    ".gitignore": template("gitignore", values),
    "README.md": template("README.md", values),
  };
  for (const name of fs.readdirSync(path.join(PROJECT_ROOT, "init", "workflows")).sort())
    files[`.github/workflows/${name}`] = template(`workflows/${name}`, values);

  const existing = Object.keys(files).filter((f) => fs.existsSync(path.join(opts.dir, f)));
  const problems = [...(pkg.conflict ? [pkg.conflict] : []), ...existing.map((f) => `${f} exists`)];
  if (problems.length > 0 && !opts.force) {
    err(`mailform init: nothing written:\n${problems.map((p) => `  ${p}`).join("\n")}\nPass --force to overwrite (package.json is updated in place, keeping everything else).`);
    return 1;
  }
  files["package.json"] = pkg.text;
  for (const [name, text] of Object.entries(files)) {
    const target = path.join(opts.dir, name);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, text);
    out(`wrote ${name}`);
  }
  out(`\nNext: npm install, then see README.md (npx mailform validate; npx mailform plan --stack ${opts.stack}).`);
  return 0;
}

export const initCommand: Command = {
  summary: "make this directory a team's mailform repository (package.json, Pulumi.yaml, stacks/, CI)",
  usage: USAGE,
  run: (args) => runInit(args),
};

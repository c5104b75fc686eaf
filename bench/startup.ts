/**
 * Start-up of the Pulumi program and of the dynamic-provider implementation: milliseconds from a
 * fresh node process's start until the module is loaded (the program also loads and validates
 * stacks/demo.yaml and registers its resources against Pulumi's mocks), compiled (dist/, what the
 * engine runs) against the same sources compiled on the fly by tsx (what it ran before), with
 * `require("@pulumi/pulumi")` alone as the reference. Interleaved runs, medians.
 *
 *   npx tsx bench/startup.ts [--runs 15]
 */
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { PROJECT_ROOT } from "../engine/pulumi";

const runsArg = process.argv.indexOf("--runs");
const runs = Number(runsArg > 0 ? process.argv[runsArg + 1] : 15) || 15;

// Pulumi's mocks let the program run outside the engine: the stack is `demo`, as `npm run demo`.
const MOCKS = `require("@pulumi/pulumi").runtime.setMocks({ newResource: (a) => ({ id: a.name, state: a.inputs }), call: (a) => a.inputs }, "mailform", "demo", true);`;
const TSX = `require("tsx/cjs/api").register();`;

const variants: Record<string, string> = {
  "@pulumi/pulumi alone (reference)": `require("@pulumi/pulumi");`,
  // The program's module exports the function that registers the resources: called and awaited.
  "program, compiled (dist/)": `${MOCKS} await require("./dist/program.js")();`,
  "program, tsx (before)": `${TSX} ${MOCKS} await require("./program/index.ts")();`,
  "providers, compiled (dist/)": `require("./providers/runtime.cjs");`,
  "providers, tsx (before)": `${TSX} require("./providers/registry.ts");`,
};

/** Milliseconds from the process's start until `code` has run. */
function once(code: string): number {
  const out = execFileSync(process.execPath, ["-e", `(async () => { ${code} process.stdout.write(String(performance.now())); })();`], {
    cwd: PROJECT_ROOT,
    encoding: "utf8",
    env: { ...process.env, NODE_OPTIONS: "" },
  });
  return Number(out.trim().split("\n").pop());
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function main(): void {
  execFileSync("node", [path.join(PROJECT_ROOT, "engine", "build.cjs")], { stdio: "inherit" });
  const samples: Record<string, number[]> = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
  for (let i = 0; i < runs; i++) for (const [name, code] of Object.entries(variants)) samples[name].push(once(code));
  const med = Object.fromEntries(Object.entries(samples).map(([k, xs]) => [k, median(xs)]));
  const width = Math.max(...Object.keys(variants).map((k) => k.length));
  console.log(`start-up, ms from process start, median of ${runs} interleaved runs (node ${process.version})`);
  for (const name of Object.keys(variants)) console.log(`${name.padEnd(width)}  ${med[name].toFixed(0).padStart(5)} ms`);
  const ratio = (a: string, b: string) => (med[a] / med[b]).toFixed(2);
  console.log(`program: compiled / tsx ${ratio("program, compiled (dist/)", "program, tsx (before)")}; providers: compiled / tsx ${ratio("providers, compiled (dist/)", "providers, tsx (before)")}`);
}

main();

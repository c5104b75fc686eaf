/**
 * Benchmark: the part of `mailform preview` that is its own, for 200 changed templates (about a
 * third of each vendor's kind, each with sample data): turning the engine preview's steps into
 * message changes, rendering each before and after (Handlebars with SendGrid's and Mailtrap's
 * helpers, Mailjet's language) and writing the report, without screenshots. The steps are built
 * as the engine prints them (old and new inputs per resource), so no engine and no vendor runs:
 * 0 vendor calls here, and the engine preview itself is the one `mailform plan` runs (not
 * measured here: bench/preview-command.ts times the whole command). Target: < 10 s on 2 cores.
 *
 *   npm run bench:preview [-- --count 200]
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { messageChanges } from "../cli/template-preview";
import { writeReport } from "../templates/report";
import { benchTemplate, SAMPLE_DATA } from "./preview-templates";

const TARGET_SECONDS = 10;
const countArg = process.argv.indexOf("--count");
const COUNT = countArg > 0 ? Number(process.argv[countArg + 1]) : 200;

function step(i: number) {
  const [before, after] = [benchTemplate(i, "old"), benchTemplate(i, "new")];
  const type = `pulumi-nodejs:dynamic/${after.kind}`;
  return { op: "update", urn: `urn:pulumi:bench::mailform::${type}::${after.key}`, oldState: { type, inputs: before.fields }, newState: { type, inputs: after.fields } };
}

const steps = Array.from({ length: COUNT }, (_, i) => step(i));
const out = fs.mkdtempSync(path.join(os.tmpdir(), "mailform-bench-preview-"));
const started = process.hrtime.bigint();
const changes = messageChanges(steps, () => SAMPLE_DATA);
const pages = writeReport(out, "bench", changes);
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
const files = fs.readdirSync(out).length;
fs.rmSync(out, { recursive: true, force: true });

console.log(`mailform preview (report part, no screenshots): ${pages.length} changed templates, ${files} files written`);
console.log(`  wall ${seconds.toFixed(2)} s, ${((seconds * 1000) / pages.length).toFixed(1)} ms per template (target < ${TARGET_SECONDS} s for ${COUNT})`);
console.log("  vendor calls: 0 (no emulator or engine in this part; the engine preview is the plan's own)");
console.log(`  load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")} on ${os.cpus().length} cores`);
if (pages.length !== COUNT) {
  console.error(`expected ${COUNT} changed templates, got ${pages.length}`);
  process.exit(1);
}
process.exit(seconds < TARGET_SECONDS ? 0 : 1);

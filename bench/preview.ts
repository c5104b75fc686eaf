/**
 * Benchmark: the part of `mailform preview` that is its own, for 200 changed templates (about a
 * third of each vendor's kind, each with sample data): turning the engine preview's steps into
 * message changes, rendering each before and after (Handlebars with SendGrid's and Mailtrap's
 * helpers, Mailjet's language) and writing the report, without screenshots. The steps are built
 * as the engine prints them (old and new inputs per resource), so no engine and no vendor runs:
 * 0 vendor calls here, and the engine preview itself is the one `mailform plan` runs (not
 * measured here). Target: < 10 s on 2 cores.
 *
 *   npm run bench:preview [-- --count 200]
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { messageChanges } from "../cli/template-preview";
import { writeReport } from "../templates/report";

const TARGET_SECONDS = 10;
const countArg = process.argv.indexOf("--count");
const COUNT = countArg > 0 ? Number(process.argv[countArg + 1]) : 200;

const paragraphs = (n: number, marker: string, expr: string) => Array.from({ length: n }, (_, i) => `<p>Paragraph ${i + 1} ${marker} ${expr}</p>`).join("\n");

function step(i: number): { op: string; urn: string; oldState: { type: string; inputs: Record<string, unknown> }; newState: { type: string; inputs: Record<string, unknown> } } {
  const vendor = i % 3;
  const urn = (type: string) => `urn:pulumi:bench::mailform::pulumi-nodejs:dynamic/${type}::t${i}`;
  if (vendor === 0) {
    const inputs = (v: string) => ({ name: `T${i}`, category: "c", subject: `${v} {{user.name}}`, html: paragraphs(40, v, "{{#if user}}{{user.name}}{{/if}}"), text: `${v} {{user.name}}` });
    return { op: "update", urn: urn("mailtrap:EmailTemplate"), oldState: { type: "pulumi-nodejs:dynamic/mailtrap:EmailTemplate", inputs: inputs("old") }, newState: { type: "pulumi-nodejs:dynamic/mailtrap:EmailTemplate", inputs: inputs("new") } };
  }
  if (vendor === 1) {
    const inputs = (v: string) => ({
      name: `T${i}`,
      generation: "dynamic",
      versions: { v1: { name: "v1", subject: `${v} {{order.id}}`, html: paragraphs(40, v, "{{#greaterThan order.total 10}}big{{/greaterThan}} {{formatDate order.date \"MMMM DD, YYYY\"}}"), testData: { order: { id: `A-${i}`, total: 20, date: "2026-01-02T00:00:00Z" } }, active: true } },
    });
    return { op: "update", urn: urn("sendgrid:Template"), oldState: { type: "pulumi-nodejs:dynamic/sendgrid:Template", inputs: inputs("old") }, newState: { type: "pulumi-nodejs:dynamic/sendgrid:Template", inputs: inputs("new") } };
  }
  const inputs = (v: string) => ({ name: `T${i}`, content: { headers: { Subject: `${v} {{var:name:"you"}}` }, html: paragraphs(40, v, '{% if var:vip %}VIP{% endif %} {{var:name:"friend"}}'), text: "", mjml: "" } });
  return { op: "update", urn: urn("mailjet:Template"), oldState: { type: "pulumi-nodejs:dynamic/mailjet:Template", inputs: inputs("old") }, newState: { type: "pulumi-nodejs:dynamic/mailjet:Template", inputs: inputs("new") } };
}

const steps = Array.from({ length: COUNT }, (_, i) => step(i));
const out = fs.mkdtempSync(path.join(os.tmpdir(), "mailform-bench-preview-"));
const started = process.hrtime.bigint();
const changes = messageChanges(steps, () => ({ name: "Lin", vip: true, user: { name: "Ada" } }));
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

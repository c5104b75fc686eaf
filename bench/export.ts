/**
 * Benchmark: `mailform export` of a 2,000-object account (all three vendors) from the emulators
 * with the vendors' documented rate limits on. The accounts are filled through the vendor APIs
 * with the limits off (filling is not what is measured), then the export runs paced like a real
 * one. Prints the wall time, the objects written and the requests per vendor.
 *
 *   npx tsx bench/export.ts [--scale 1]      (scale 1 = 2,000 objects)
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulators, type RunningEmulators } from "../emulators";
import { AdminClient } from "../emulators/admin-client";
import { DEFAULT_CREDENTIALS } from "../emulators/credentials";
import { PROJECT_ROOT } from "../engine/pulumi";

const creds = DEFAULT_CREDENTIALS;
const scale = Number(process.argv[process.argv.indexOf("--scale") + 1] || 1) || 1;
const n = (count: number) => Math.round(count * scale);

async function call(emu: RunningEmulators, vendor: "mailtrap" | "sendgrid" | "mailjet", urlPath: string, body: unknown): Promise<any> {
  const auth: Record<string, string> = {
    mailtrap: { "Api-Token": creds.mailtrap.apiToken },
    sendgrid: { Authorization: `Bearer ${creds.sendgrid.apiKey}` },
    mailjet: { Authorization: `Basic ${Buffer.from(`${creds.mailjet.apiKey}:${creds.mailjet.secretKey}`).toString("base64")}` },
  }[vendor];
  const res = await fetch(`${emu.urls[vendor]}${urlPath}`, { method: "POST", headers: { ...auth, "Content-Type": "application/json" }, body: JSON.stringify(body) });
  if (res.status >= 300) throw new Error(`POST ${urlPath}: ${res.status} ${await res.text()}`);
  const parsed = JSON.parse(await res.text());
  return vendor === "mailjet" ? parsed.Data[0] : parsed;
}

/** 2,000 objects at scale 1: 200 projects with 3 inboxes each, 200 email templates; 100 SendGrid
 * templates with a version, 200 unsubscribe groups, 100 API keys; 100 Mailjet templates with
 * content, 400 contact lists, 100 senders. */
async function fill(emu: RunningEmulators): Promise<number> {
  let objects = 0;
  const each = async (count: number, make: (i: number) => Promise<unknown>) => {
    for (let i = 0; i < count; i++) await make(i);
    objects += count;
  };
  await each(n(200), async (i) => {
    const p = await call(emu, "mailtrap", "/api/projects", { project: { name: `Project ${i}` } });
    for (let j = 0; j < 3; j++) await call(emu, "mailtrap", `/api/projects/${p.id}/sandboxes`, { sandbox: { name: `Inbox ${j}` } });
  });
  objects += n(200) * 3;
  await each(n(200), (i) => call(emu, "mailtrap", "/api/email_templates", { email_template: { name: `Template ${i}`, category: "c", subject: "s", body_html: `<p>${i}</p>` } }));
  await each(n(100), async (i) => {
    const t = await call(emu, "sendgrid", "/v3/templates", { name: `Template ${i}`, generation: "dynamic" });
    await call(emu, "sendgrid", `/v3/templates/${t.id}/versions`, { name: "v1", subject: "s", html_content: `<p>${i}</p>`, active: 1 });
  });
  await each(n(200), (i) => call(emu, "sendgrid", "/v3/asm/groups", { name: `Group ${i}`, description: "d" }));
  await each(n(100), (i) => call(emu, "sendgrid", "/v3/api_keys", { name: `Key ${i}`, scopes: ["mail.send"] }));
  await each(n(100), async (i) => {
    const t = await call(emu, "mailjet", "/v3/REST/template", { Name: `Template ${i}` });
    await call(emu, "mailjet", `/v3/REST/template/${t.ID}/detailcontent`, { "Html-part": `<p>${i}</p>` });
  });
  await each(n(400), (i) => call(emu, "mailjet", "/v3/REST/contactslist", { Name: `List ${i}` }));
  await each(n(100), (i) => call(emu, "mailjet", "/v3/REST/sender", { Email: `sender${i}@example.com`, Name: `Sender ${i}` }));
  return objects;
}

function runExport(emu: RunningEmulators, dir: string): Promise<{ code: number; stderr: string }> {
  const env = {
    ...process.env,
    MAILTRAP_API_URL: emu.urls.mailtrap, MAILTRAP_API_TOKEN: creds.mailtrap.apiToken,
    SENDGRID_API_URL: emu.urls.sendgrid, SENDGRID_API_KEY: creds.sendgrid.apiKey,
    MAILJET_API_URL: emu.urls.mailjet, MJ_APIKEY_PUBLIC: creds.mailjet.apiKey, MJ_APIKEY_PRIVATE: creds.mailjet.secretKey,
    PULUMI_BACKEND_URL: `file://${dir}/.state`, PULUMI_CONFIG_PASSPHRASE: "bench",
  };
  fs.mkdirSync(path.join(dir, ".state"), { recursive: true });
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(PROJECT_ROOT, "cli", "mailform.cjs"), "export", "--stack", "bench", "--cwd", dir], { cwd: PROJECT_ROOT, env });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stderr }));
  });
}

async function main(): Promise<void> {
  const emu = await startEmulators({ ports: { mailtrap: 0, sendgrid: 0, mailjet: 0, admin: 0 } });
  const admin = new AdminClient(emu.urls.admin);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mailform-bench-export-"));
  try {
    await admin.setRateLimits({ enabled: false });
    const objects = await fill(emu);
    await admin.setRateLimits({ enabled: true });
    await admin.resetRequestCounts();
    const start = process.hrtime.bigint();
    const run = await runExport(emu, dir);
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (run.code !== 0) throw new Error(`export failed:\n${run.stderr}`);
    const summary = await admin.requestSummary();
    const written = (fs.readFileSync(path.join(dir, "stacks", "bench.yaml"), "utf8").match(/^\s+adopt: true$/gm) ?? []).length;
    console.log(`export of a ${objects}-object account (rate limits on): ${seconds.toFixed(1)} s, ${written} entries written`);
    console.log(`requests: ${summary.total} (${Object.entries(summary.byVendor).map(([v, c]) => `${v} ${c}`).join(", ")})`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    await emu.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});

/**
 * `mailform demo`: the main job on the embedded default. Starts the vendor emulators (their state
 * kept in .mailform/ so a second run finds what the first made), runs `pulumi up` of
 * stacks/demo.yaml (all three vendors) against them with a local state backend in .pulumi-state/,
 * then changes one field per vendor out of band through each vendor's own API (as a person in a
 * web UI would), prints `mailform drift`'s report of it, repairs with `pulumi up --refresh`, shows
 * a converged `pulumi preview --expect-no-changes`, writes `mailform preview` of a template change
 * (the stack file changed for that step only, then put back) and stops the emulators.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { startEmulators } from "../emulators";
import { DEFAULT_CREDENTIALS } from "../emulators/credentials";
import { DEFAULT_CLI_PORTS } from "../emulators/cli";
import { engineEnv, ensureEngine, pulumi, PROJECT_ROOT } from "../engine/pulumi";

const STACK = "demo";

/**
 * `root`: the project directory (a test runs the demo in a copy); `ports`: the emulators' ports,
 * fixed by default because `refresh` talks to the endpoints recorded at the last deployment, so
 * the endpoints of a second demo run must be those of the first.
 */
export async function demo(opts: { root?: string; ports?: typeof DEFAULT_CLI_PORTS } = {}): Promise<number> {
  const root = opts.root ?? PROJECT_ROOT;
  ensureEngine();
  const scratch = path.join(root, ".mailform");
  fs.mkdirSync(scratch, { recursive: true });
  const emulators = await startEmulators({
    ports: opts.ports ?? DEFAULT_CLI_PORTS,
    stateFile: path.join(scratch, "emulator-state.json"),
  });
  const env = engineEnv({
    stateDir: path.join(root, ".pulumi-state"),
    passphrase: process.env.PULUMI_CONFIG_PASSPHRASE ?? "mailform-demo",
  });
  const run = (args: string[], echo = true) => pulumi([...args, "--stack", STACK], { cwd: root, env, echo });
  const started = Date.now();
  const step = (text: string) => console.log(`\n== [${((Date.now() - started) / 1000).toFixed(1)}s] ${text}`);
  try {
    step(`emulators: mailtrap ${emulators.urls.mailtrap}, sendgrid ${emulators.urls.sendgrid}, mailjet ${emulators.urls.mailjet}`);
    if ((await run(["stack", "select"], false)).code !== 0) {
      const init = await run(["stack", "init"]);
      if (init.code !== 0) return init.code;
    }
    const creds = DEFAULT_CREDENTIALS;
    const settings: [string, string, boolean][] = [
      ["mailtrapApiUrl", emulators.urls.mailtrap, false],
      ["mailtrapApiToken", creds.mailtrap.apiToken, true],
      ["sendgridApiUrl", emulators.urls.sendgrid, false],
      ["sendgridApiKey", creds.sendgrid.apiKey, true],
      ["mailjetApiUrl", emulators.urls.mailjet, false],
      ["mailjetApiKey", creds.mailjet.apiKey, true],
      ["mailjetSecretKey", creds.mailjet.secretKey, true],
    ];
    // One CLI start for all settings: each start costs a second or more on a busy machine.
    const set = await run(["config", "set-all", ...settings.flatMap(([key, value, secret]) => [secret ? "--secret" : "--plaintext", `mailform:${key}=${value}`])], false);
    if (set.code !== 0) {
      console.error(set.stderr);
      return set.code;
    }
    step("pulumi up (refreshing first, so the live emulator state is what is compared)");
    const up = await run(["up", "--yes", "--refresh", "--skip-preview"]);
    if (up.code !== 0) return up.code;

    const ids = (JSON.parse((await run(["stack", "output", "resources", "--json"], false)).stdout) ?? {}) as Record<string, string>;
    step("someone edits one field per vendor in the web UI (through each vendor's API)");
    for (const edit of webUiEdits(emulators.urls, ids)) {
      const res = await fetch(edit.url, { method: edit.method, headers: { ...edit.auth, "Content-Type": "application/json" }, body: JSON.stringify(edit.body) });
      if (!res.ok) throw new Error(`${edit.what}: ${edit.method} ${edit.url} answered ${res.status}: ${await res.text()}`);
      console.log(`  ${edit.what}`);
    }

    step("mailform drift --stack demo (exit 2: drift)");
    // Asynchronously: the emulators answering its requests run in this process.
    const child = spawn(process.execPath, [path.join(PROJECT_ROOT, "cli", "mailform.cjs"), "drift", "--stack", STACK], { cwd: root, env, stdio: "inherit" });
    const driftCode = await new Promise<number | null>((resolve, reject) => child.on("error", reject).on("close", resolve));
    if (driftCode !== 2) {
      console.error(`mailform drift exited ${driftCode}, expected 2 (drift)`);
      return 1;
    }
    step("pulumi up --refresh (puts every drifted field back)");
    const repair = await run(["up", "--yes", "--refresh", "--skip-preview"]);
    if (repair.code !== 0) return repair.code;
    step("pulumi preview --expect-no-changes (converged: nothing left to do)");
    const preview = await run(["preview", "--expect-no-changes", "--refresh"]);
    if (preview.code !== 0) return preview.code;

    step("mailform preview: a template change rendered before and after");
    // The change exists only for this step: the stack file is put back whatever happens.
    const stackFile = path.join(root, "stacks", `${STACK}.yaml`);
    const original = fs.readFileSync(stackFile, "utf8");
    const out = path.join(root, ".mailform", "preview");
    try {
      fs.writeFileSync(stackFile, original.replace('subject: "Welcome to {{company}}, {{name}}"', 'subject: "{{name}}, welcome aboard {{company}}"'));
      const shown = spawn(process.execPath, [path.join(PROJECT_ROOT, "cli", "mailform.cjs"), "preview", "--stack", STACK, "--out", out], { cwd: root, env, stdio: "inherit" });
      const code = await new Promise<number | null>((resolve, reject) => shown.on("error", reject).on("close", resolve));
      if (code !== 0) return code ?? 1;
    } finally {
      fs.writeFileSync(stackFile, original);
    }
    console.log(`  open ${path.join(out, "index.html")} in a browser`);
    return 0;
  } finally {
    await emulators.close();
    step("emulators stopped; state kept in .mailform/emulator-state.json and .pulumi-state/");
  }
}

interface WebUiEdit {
  what: string;
  method: string;
  url: string;
  auth: Record<string, string>;
  body: unknown;
}

/** One out-of-band change per vendor, through the vendor API with the demo credentials (not the admin surface). */
function webUiEdits(urls: { mailtrap: string; sendgrid: string; mailjet: string }, ids: Record<string, string>): WebUiEdit[] {
  const creds = DEFAULT_CREDENTIALS;
  const id = (key: string) => {
    if (!ids[key]) throw new Error(`stack output resources["${key}"] is missing`);
    return ids[key];
  };
  const basic = Buffer.from(`${creds.mailjet.apiKey}:${creds.mailjet.secretKey}`).toString("base64");
  return [
    {
      what: "Mailtrap: the welcome template's subject",
      method: "PATCH",
      url: `${urls.mailtrap}/api/email_templates/${id("mailtrap.emailTemplates.welcome.id")}`,
      auth: { "Api-Token": creds.mailtrap.apiToken },
      // The documented PATCH body carries name, category and subject, as the web UI sends them.
      body: { email_template: { name: "Welcome", category: "onboarding", subject: "Welcome!! (edited in the web UI)" } },
    },
    {
      what: "SendGrid: the welcome template's name",
      method: "PATCH",
      url: `${urls.sendgrid}/v3/templates/${id("sendgrid.templates.welcome.id")}`,
      auth: { Authorization: `Bearer ${creds.sendgrid.apiKey}` },
      body: { name: "welcome (renamed in the web UI)" },
    },
    {
      what: "Mailjet: the receipt template's description",
      method: "PUT",
      url: `${urls.mailjet}/v3/REST/template/${id("mailjet.templates.receipt.id")}`,
      auth: { Authorization: `Basic ${basic}` },
      body: { Description: "edited in the web UI" },
    },
  ];
}

if (require.main === module) {
  demo().then((code) => process.exit(code), (err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}

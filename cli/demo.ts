/**
 * `mailform demo`: the main job on the embedded default. Starts the vendor emulators (their state
 * kept in .mailform/ so a second run finds what the first made), runs `pulumi up` of
 * stacks/demo.yaml against them with a local state backend in .pulumi-state/, then shows a
 * follow-up `pulumi preview --expect-no-changes`, and stops the emulators.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { startEmulators } from "../emulators";
import { DEFAULT_CREDENTIALS } from "../emulators/credentials";
import { DEFAULT_CLI_PORTS } from "../emulators/cli";
import { engineEnv, ensureEngine, pulumi, PROJECT_ROOT } from "../engine/pulumi";

const STACK = "demo";

export async function demo(): Promise<number> {
  ensureEngine();
  const scratch = path.join(PROJECT_ROOT, ".mailform");
  fs.mkdirSync(scratch, { recursive: true });
  // Fixed ports: `refresh` talks to the endpoints recorded at the last deployment, so the demo's
  // endpoints must be the same every run.
  const emulators = await startEmulators({
    ports: DEFAULT_CLI_PORTS,
    stateFile: path.join(scratch, "emulator-state.json"),
  });
  const env = engineEnv({
    stateDir: path.join(PROJECT_ROOT, ".pulumi-state"),
    passphrase: process.env.PULUMI_CONFIG_PASSPHRASE ?? "mailform-demo",
  });
  const run = (args: string[], echo = true) => pulumi([...args, "--stack", STACK], { cwd: PROJECT_ROOT, env, echo });
  const step = (text: string) => console.log(`\n== ${text}`);
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
    for (const [key, value, secret] of settings) {
      const set = await run(["config", "set", `mailform:${key}`, value, ...(secret ? ["--secret"] : [])], false);
      if (set.code !== 0) {
        console.error(set.stderr);
        return set.code;
      }
    }
    step("pulumi up (refreshing first, so the live emulator state is what is compared)");
    const up = await run(["up", "--yes", "--refresh", "--skip-preview"]);
    if (up.code !== 0) return up.code;
    step("pulumi preview --expect-no-changes (converged: nothing left to do)");
    const preview = await run(["preview", "--expect-no-changes", "--refresh"]);
    return preview.code;
  } finally {
    await emulators.close();
    step("emulators stopped; state kept in .mailform/emulator-state.json and .pulumi-state/");
  }
}

if (require.main === module) {
  demo().then((code) => process.exit(code), (err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}

/**
 * `mailform pulumi <args...>`: the Pulumi CLI that mailform runs (found on PATH at the pinned
 * version or a later 3.x, else built once from Go modules and cached; engine/setup.sh), with the
 * settings mailform's own commands use: no update checks, no plugin downloads. The state backend
 * and the passphrase are the caller's (PULUMI_BACKEND_URL, PULUMI_CONFIG_PASSPHRASE). The one way
 * to run the engine in a team's repository: docs, workflows and errors name it.
 */
import { spawn } from "node:child_process";
import { engineEnv } from "../engine/pulumi";
import type { Command } from "./index";

const USAGE = `usage: mailform pulumi <pulumi arguments...>

Runs the Pulumi CLI mailform needs (found or built as docs/team-repository.md says), in the
current directory, with your state backend and passphrase, e.g.:

  mailform pulumi stack init prod
  mailform pulumi config set --secret mailform:mailtrapApiToken ...
  mailform pulumi up --stack prod --yes

Exit status: pulumi's.`;

export const pulumiCommand: Command = {
  summary: "run the Pulumi CLI mailform needs (pulumi up, stack init, config set, destroy...)",
  usage: USAGE,
  passesArguments: true,
  run(args) {
    if (args.length === 0) {
      console.error(USAGE);
      return 2;
    }
    const env = engineEnv({});
    return new Promise<number>((resolve, reject) => {
      const child = spawn("pulumi", args, { stdio: "inherit", env });
      child.on("error", reject);
      child.on("close", (code, signal) => resolve(code ?? (signal ? 128 : 1)));
    });
  },
};

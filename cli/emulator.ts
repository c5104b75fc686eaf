/**
 * `mailform emulator [flags]`: the local emulators of the three vendor APIs, to try a stack
 * without touching a real account (emulators/README.md; the flags of `npm run emulator`).
 */
import type { Command } from "./index";

export const emulatorCommand: Command = {
  summary: "run the local Mailtrap, SendGrid and Mailjet emulators (try a stack without an account)",
  usage:
    "usage: mailform emulator [--port-mailtrap 4011] [--port-sendgrid 4012] [--port-mailjet 4013] [--port-admin 4010]\n" +
    "                         [--host H] [--admin-host H] [--state FILE] [--state-dir DIR] [--no-rate-limits] [--seed N]\n\n" +
    "Prints one `<name> <base URL>` line per server when ready and runs until interrupted (Ctrl-C).\n" +
    "Demo credentials: Mailtrap token mt-demo-token-0000, SendGrid key SG.demo-key-0000.emulator-only-0000,\n" +
    "Mailjet mj-demo-public-0000 / mj-demo-secret-0000.",
  async run(args) {
    await (require("../emulators/cli") as typeof import("../emulators/cli")).main(args);
    // The servers keep the process alive; it ends on SIGINT/SIGTERM (emulators/cli.ts).
    return new Promise<number>(() => undefined);
  },
};

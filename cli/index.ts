/**
 * The `mailform` command: a small dispatcher of subcommands.
 *
 *   npx tsx cli/index.ts <command> [args...]      (npm run validate -- [files...])
 *
 * Each subcommand lives in its own module and is loaded only when it runs, so that `validate`
 * never loads the Pulumi engine, the providers or anything that needs credentials or a network.
 * To add one, add a line to COMMANDS pointing at a module that exports a `Command`.
 */

export interface Command {
  /** One line for `mailform help`. */
  summary: string;
  /** Usage text for `mailform <command> --help`. */
  usage: string;
  /** Takes every argument as its own, `--help` included (a wrapper of another tool). */
  passesArguments?: boolean;
  /** Runs with the arguments after the command name; resolves to the process exit code. */
  run(args: string[]): Promise<number> | number;
}

const COMMANDS: Record<string, () => Command> = {
  validate: () => (require("./validate") as typeof import("./validate")).validateCommand,
  drift: () => (require("./drift") as typeof import("./drift")).driftCommand,
  plan: () => (require("./plan") as typeof import("./plan")).planCommand,
  export: () => (require("./export") as typeof import("./export")).exportCommand,
  recover: () => (require("./recover") as typeof import("./recover")).recoverCommand,
  preview: () => (require("./template-preview") as typeof import("./template-preview")).previewCommand,
  dns: () => (require("./dns") as typeof import("./dns")).dnsCommand,
  init: () => (require("./init") as typeof import("./init")).initCommand,
  pulumi: () => (require("./pulumi") as typeof import("./pulumi")).pulumiCommand,
  emulator: () => (require("./emulator") as typeof import("./emulator")).emulatorCommand,
};

function help(): string {
  const names = Object.keys(COMMANDS);
  const width = Math.max(...names.map((n) => n.length));
  const lines = names.map((n) => `  ${n.padEnd(width)}  ${COMMANDS[n]!().summary}`);
  return ["usage: mailform <command> [args...]", "", "commands:", ...lines, "", "mailform <command> --help shows a command's usage."].join("\n");
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === "help" || name === "--help" || name === "-h") {
    console.log(help());
    return name === undefined ? 2 : 0;
  }
  const load = COMMANDS[name];
  if (!load) {
    console.error(`mailform: unknown command "${name}"\n\n${help()}`);
    return 2;
  }
  const command = load();
  if (!command.passesArguments && (args.includes("--help") || args.includes("-h"))) {
    console.log(command.usage);
    return 0;
  }
  return command.run(args);
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
      process.exitCode = 1;
    },
  );
}

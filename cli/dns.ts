/**
 * `mailform dns`: every DNS record a stack's domains need, across the vendors (Mailtrap sending
 * domains, SendGrid domain authentication and link branding, and any kind with a `dnsRecords`
 * output), from each resource's outputs in the stack's state: what the vendors answered at the
 * last `up` or refresh. No vendor is called. Sorted, so the same state always prints the same text; as JSON for another tool
 * (a DNS-as-code repository) or as a zone-file fragment for a zone or a reviewer.
 */
import type { Command } from "./index";
import { engineEnv, pulumi } from "../engine/pulumi";
import { bindFragment, dnsConflicts, stackDnsRecords } from "../providers/dns-records";
import { KINDS } from "../providers/kinds";
import { entryAddress } from "../providers/resource";

const DYNAMIC = "pulumi-nodejs:dynamic/";

const FORMATS = ["json", "bind"] as const;
type Format = (typeof FORMATS)[number];

export interface DnsOptions {
  stack: string;
  format: Format;
  ttl: number;
  cwd: string;
}

const USAGE = `usage: mailform dns --stack <name> [--format json|bind] [--ttl SECONDS] [--cwd DIR]

Prints every DNS record the stack's domains need (Mailtrap sending domains, SendGrid domain
authentication and link branding, ...), as the vendors gave them at the last \`pulumi up\` or refresh,
sorted by name, type and value. No vendor is called: run \`pulumi up --refresh\` first for fresh ones.
  --format json   (default) {"stack", "records": [{name, type, value, status, vendor, entry}], "conflicts"}
  --format bind   a zone-file fragment: absolute names, class IN, one record per line
  --ttl SECONDS   the TTL of the zone-file lines (default 3600)
Exit 0; 1 when two records cannot share one zone (a CNAME beside another record of its name), which
are still printed and named on stderr; 2 on a usage error.`;

export function parseDnsArgs(args: string[], cwd = process.cwd()): DnsOptions | string {
  const opts: Partial<DnsOptions> = { format: "json", ttl: 3600, cwd };
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i]!.split("=", 2) as [string, string | undefined];
    if (!["--stack", "-s", "--format", "--ttl", "--cwd"].includes(flag)) return `unknown argument "${args[i]}"`;
    const value = inline ?? args[++i];
    if (value === undefined) return `${flag} needs a value`;
    if (flag === "--format") {
      if (!(FORMATS as readonly string[]).includes(value)) return `--format must be one of ${FORMATS.join(", ")} (got "${value}")`;
      opts.format = value as Format;
    } else if (flag === "--ttl") {
      if (!/^\d+$/.test(value) || Number(value) > 2_147_483_647) return `--ttl must be a whole number of seconds (got "${value}")`;
      opts.ttl = Number(value);
    } else if (flag === "--cwd") opts.cwd = value;
    else opts.stack = value;
  }
  if (!opts.stack) return "--stack <name> is required";
  return opts as DnsOptions;
}

export async function runDns(opts: DnsOptions): Promise<{ code: number; stdout: string; stderr: string }> {
  // The resources' outputs in state, not the stack outputs: a refresh updates the former only.
  const res = await pulumi(["stack", "export", "--stack", opts.stack], { cwd: opts.cwd, env: engineEnv({}) });
  if (res.code !== 0) return { code: 1, stdout: "", stderr: `mailform dns: could not read the state of stack ${opts.stack}:\n${res.stderr.trim()}\n` };
  const doc = JSON.parse(res.stdout || "{}") as { deployment?: { resources?: { urn: string; type: string; outputs?: Record<string, unknown> }[] } };
  const byEntry: Record<string, unknown> = {};
  for (const r of doc.deployment?.resources ?? []) {
    const def = KINDS.find((k) => r.type === `${DYNAMIC}${k.kind}`);
    if (def && r.outputs?.dnsRecords !== undefined) byEntry[`${entryAddress(def, r.urn.slice(r.urn.lastIndexOf("::") + 2))}.dnsRecords`] = r.outputs.dnsRecords;
  }
  const records = stackDnsRecords(byEntry);
  const conflicts = dnsConflicts(records);
  const stdout =
    opts.format === "json"
      ? `${JSON.stringify({ stack: opts.stack, records, conflicts }, null, 2)}\n`
      : bindFragment(records, `DNS records of mailform stack ${opts.stack} (mailform dns --stack ${opts.stack} --format bind)`, opts.ttl);
  const stderr = conflicts.map((c) => `mailform dns: ${c}\n`).join("");
  return { code: conflicts.length > 0 ? 1 : 0, stdout, stderr };
}

export const dnsCommand: Command = {
  summary: "print the DNS records the stack's domains need (JSON or a zone-file fragment)",
  usage: USAGE,
  async run(args) {
    const opts = parseDnsArgs(args);
    if (typeof opts === "string") {
      console.error(`mailform dns: ${opts}\n\n${USAGE}`);
      return 2;
    }
    const result = await runDns(opts);
    process.stdout.write(result.stdout);
    process.stderr.write(result.stderr);
    return result.code;
  },
};

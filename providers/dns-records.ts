/**
 * The DNS records a vendor asks a team to publish for a domain (Mailtrap sending domains, SendGrid
 * domain authentication and link branding): one shape for every kind's `dnsRecords` output, so
 * `mailform dns` and the stack outputs show them alike.
 */
export interface DnsRecord {
  /** `CNAME`, `TXT`, `MX`, in upper case. */
  type: string;
  /** The full host name, without a trailing dot. */
  name: string;
  /** What the record holds: a host name (CNAME, MX) or text (TXT). */
  value: string;
  /** What the vendor last said of it (`missing`, `pass`, `valid`, `invalid`...). */
  status: string;
}

/** A SendGrid `dns` object (`{mail_cname: {valid, type, host, data}, ...}`) as records, in the vendor's order. */
export function sendgridDnsRecords(dns: unknown): DnsRecord[] {
  if (!dns || typeof dns !== "object") return [];
  return Object.values(dns as Record<string, { valid?: boolean; type?: string; host?: string; data?: string }>)
    .filter((r) => r && typeof r.host === "string" && typeof r.data === "string")
    .map((r) => ({ type: (r.type ?? "cname").toUpperCase(), name: r.host!.replace(/\.$/, ""), value: r.data!, status: r.valid === true ? "valid" : "invalid" }));
}

/** One record a stack's domains need, with the entry that asks for it. */
export interface StackDnsRecord {
  name: string;
  type: string;
  value: string;
  status: string;
  /** The vendor and the entry's address (`sendgrid.domainAuthentications.main`). */
  vendor: string;
  entry: string;
}

const OUTPUT_SUFFIX = ".dnsRecords";

/** Whether a stack output (`<vendor>.<collection>.<key>.dnsRecords`) holds an entry's DNS records. */
export const isDnsRecordsOutput = (name: string): boolean => name.endsWith(OUTPUT_SUFFIX);

/**
 * Every record that the entries' `dnsRecords` stack outputs hold, sorted by name, type, value and
 * entry (code-point order, so the same outputs always give the same text). Any vendor's kind with a
 * `dnsRecords` output of the shared shape is included without being named here.
 */
export function stackDnsRecords(outputs: Record<string, unknown>): StackDnsRecord[] {
  const out: StackDnsRecord[] = [];
  for (const [output, value] of Object.entries(outputs)) {
    if (!isDnsRecordsOutput(output) || !Array.isArray(value)) continue;
    const entry = output.slice(0, -OUTPUT_SUFFIX.length);
    for (const r of value as Partial<DnsRecord>[]) {
      if (typeof r?.name !== "string" || typeof r.type !== "string" || typeof r.value !== "string") continue;
      out.push({
        name: r.name.trim().toLowerCase().replace(/\.$/, ""),
        type: r.type.trim().toUpperCase(),
        value: r.value,
        status: String(r.status ?? ""),
        vendor: entry.split(".")[0]!,
        entry,
      });
    }
  }
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return out.sort((a, b) => cmp(a.name, b.name) || cmp(a.type, b.type) || cmp(a.value, b.value) || cmp(a.entry, b.entry));
}

/**
 * What one zone cannot hold: a CNAME beside any other record of the same name (RFC 1034 3.6.2),
 * or two different CNAMEs of one name. Each problem names the entries that ask for them.
 */
export function dnsConflicts(records: readonly StackDnsRecord[]): string[] {
  const byName = new Map<string, StackDnsRecord[]>();
  for (const r of records) byName.set(r.name, [...(byName.get(r.name) ?? []), r]);
  const problems: string[] = [];
  for (const [name, all] of byName) {
    const distinct = [...new Map(all.map((r) => [`${r.type} ${r.value.toLowerCase()}`, r])).values()];
    if (distinct.length > 1 && distinct.some((r) => r.type === "CNAME")) {
      const shown = (v: string) => (v.length > 60 ? `${v.slice(0, 57)}...` : v);
      problems.push(`${name}: ${distinct.map((r) => `${r.type} ${shown(r.value)} (${r.entry})`).join(" and ")} cannot both be published: a CNAME must be the only record of its name`);
    }
  }
  return problems;
}

/** A host name as a zone file's absolute name. */
const absolute = (host: string): string => `${host.replace(/\.$/, "")}.`;

/** A TXT value as zone-file strings: at most 255 bytes each, `"` and `\` escaped, other bytes outside printable ASCII as `\DDD`. */
export function zoneTxt(value: string): string {
  const bytes = Buffer.from(value, "utf8");
  const chunks: string[] = [];
  for (let i = 0; i < bytes.length || chunks.length === 0; i += 255) {
    let text = "";
    for (const b of bytes.subarray(i, i + 255)) {
      if (b === 0x22 || b === 0x5c) text += `\\${String.fromCharCode(b)}`;
      else if (b >= 0x20 && b < 0x7f) text += String.fromCharCode(b);
      else text += `\\${String(b).padStart(3, "0")}`;
    }
    chunks.push(`"${text}"`);
  }
  return chunks.join(" ");
}

/** The record's data in zone-file syntax; an MX without a preference gets 10. */
function zoneData(r: StackDnsRecord): string {
  switch (r.type) {
    case "TXT":
      return zoneTxt(r.value);
    case "MX": {
      const m = /^(\d+)\s+(\S+)$/.exec(r.value.trim());
      return m ? `${m[1]} ${absolute(m[2]!)}` : `10 ${absolute(r.value.trim())}`;
    }
    case "CNAME":
      return absolute(r.value.trim());
    default:
      return r.value;
  }
}

/**
 * The records as a zone-file fragment (RFC 1035 master file syntax, absolute names, class IN, the
 * given TTL), each record once, with the entries that ask for it in a comment, for `$INCLUDE` or
 * pasting into the zone of the domain.
 */
export function bindFragment(records: readonly StackDnsRecord[], heading: string, ttl: number): string {
  const lines = [`; ${heading}`, `; ${records.length === 0 ? "no records" : "name, TTL, class, type, data; the entries that ask for each record follow it"}`];
  const seen = new Map<string, string[]>();
  for (const r of records) {
    const line = `${absolute(r.name)}\t${ttl}\tIN\t${r.type}\t${zoneData(r)}`;
    seen.set(line, [...(seen.get(line) ?? []), r.entry]);
  }
  for (const [line, entries] of seen) lines.push(`${line}\t; ${[...new Set(entries)].join(", ")}`);
  return `${lines.join("\n")}\n`;
}

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

/**
 * `mailform dns` without the engine: the records gathered from stack outputs, their order, the
 * zone-file text (checked by BIND's named-checkzone in test/e2e/identity.test.ts) and the records
 * one zone cannot hold.
 */
import { describe, expect, it } from "vitest";
import { bindFragment, dnsConflicts, stackDnsRecords, zoneTxt } from "../../providers/dns-records";
import { parseDnsArgs } from "../../cli/dns";

const outputs = {
  "sendgrid.domainAuthentications.main.id": "7",
  "sendgrid.domainAuthentications.main.dnsRecords": [
    { type: "CNAME", name: "em.Example.com.", value: "u7.wl.sendgrid.net", status: "invalid" },
    { type: "CNAME", name: "s1._domainkey.example.com", value: "s1.domainkey.u7.wl.sendgrid.net", status: "valid" },
  ],
  "mailtrap.domains.mail.dnsRecords": [
    { type: "txt", name: "mail.example.com", value: 'v=spf1 "quoted" \\ ~all', status: "missing" },
    { type: "TXT", name: "s1._domainkey.example.com", value: "k=rsa; p=abc", status: "missing" },
  ],
  "mailjet.senders.billing.status": "Active",
};

describe("mailform dns", () => {
  it("gathers every entry's dnsRecords output, normalized and sorted by name, type, value, entry", () => {
    const records = stackDnsRecords(outputs);
    expect(records.map((r) => `${r.name} ${r.type} ${r.entry}`)).toEqual([
      "em.example.com CNAME sendgrid.domainAuthentications.main",
      "mail.example.com TXT mailtrap.domains.mail",
      "s1._domainkey.example.com CNAME sendgrid.domainAuthentications.main",
      "s1._domainkey.example.com TXT mailtrap.domains.mail",
    ]);
    expect(records[0]).toMatchObject({ vendor: "sendgrid", status: "invalid" });
  });

  it("names a CNAME beside another record of its name, and nothing else", () => {
    const problems = dnsConflicts(stackDnsRecords(outputs));
    expect(problems).toEqual([
      "s1._domainkey.example.com: CNAME s1.domainkey.u7.wl.sendgrid.net (sendgrid.domainAuthentications.main) and TXT k=rsa; p=abc (mailtrap.domains.mail) cannot both be published: a CNAME must be the only record of its name",
    ]);
    const same = { a: outputs["sendgrid.domainAuthentications.main.dnsRecords"] };
    expect(dnsConflicts(stackDnsRecords({ "x.one.dnsRecords": same.a, "x.two.dnsRecords": same.a }))).toEqual([]);
  });

  it("writes TXT data as zone-file strings of at most 255 bytes, escaping quotes, backslashes and non-ASCII bytes", () => {
    expect(zoneTxt('a "b" \\c')).toBe('"a \\"b\\" \\\\c"');
    expect(zoneTxt("é")).toBe('"\\195\\169"');
    const long = zoneTxt("x".repeat(600));
    expect(long).toBe(`"${"x".repeat(255)}" "${"x".repeat(255)}" "${"x".repeat(90)}"`);
    const text = bindFragment(stackDnsRecords(outputs), "heading", 60);
    expect(text).toContain('mail.example.com.\t60\tIN\tTXT\t"v=spf1 \\"quoted\\" \\\\ ~all"\t; mailtrap.domains.mail\n');
    expect(text).toContain("em.example.com.\t60\tIN\tCNAME\tu7.wl.sendgrid.net.\t; sendgrid.domainAuthentications.main\n");
    expect(bindFragment(stackDnsRecords({ "a.b.c.dnsRecords": [{ type: "MX", name: "m.example.com", value: "mx.sendgrid.net", status: "" }] }), "h", 1)).toContain(
      "m.example.com.\t1\tIN\tMX\t10 mx.sendgrid.net.",
    );
  });

  it("refuses unknown formats and a missing stack", () => {
    expect(parseDnsArgs(["--stack", "prod", "--format", "yaml"])).toBe('--format must be one of json, bind (got "yaml")');
    expect(parseDnsArgs([])).toBe("--stack <name> is required");
    expect(parseDnsArgs(["--stack=prod", "--format=bind", "--ttl", "60"])).toMatchObject({ stack: "prod", format: "bind", ttl: 60 });
  });
});

/**
 * Sending domains: `/api/domains` (`{domain: {domain_name}}`) and the older
 * `/api/accounts/{id}/sending_domains` (`{sending_domain: {...}}`). Lists answer `{data: [...]}`.
 */
import type { VendorStore } from "../core/store";
import type { Route } from "../core/types";
import { COLLECTIONS, findOr404, hex, nextId } from "./data";
import { FLAVORS, ok, route, type Flavor } from "./flavor";
import { requireWrapper, Validator } from "./validate";

interface DnsRecord {
  key: string;
  domain: string;
  name: string;
  status: "pass" | "fail" | "unchecked" | "missing" | "softfail" | "network_error";
  type: string;
  value: string;
}

export interface DomainRecord {
  id: number;
  domain_name: string;
  demo: boolean;
  compliance_status: string;
  dns_verified: boolean;
  dns_verified_at: string | null;
  dns_records: DnsRecord[];
  open_tracking_enabled: boolean;
  click_tracking_enabled: boolean;
  auto_unsubscribe_link_enabled: boolean;
  custom_domain_tracking_enabled: boolean;
  health_alerts_enabled: boolean;
  critical_alerts_enabled: boolean;
  alert_recipient_email: string | null;
}

const HOSTNAME = /^(?=.{1,253}$)(?:(?!-)[a-z0-9-]{1,63}(?<!-)\.)+[a-z]{2,63}$/i;
const UPDATABLE = ["open_tracking_enabled", "click_tracking_enabled", "auto_unsubscribe_link_enabled"] as const;

function domains(store: VendorStore) {
  return store.collection<DomainRecord>(COLLECTIONS.domains);
}

function dnsRecords(domain: string): DnsRecord[] {
  const verification = hex(8);
  const rec = (key: string, name: string, type: string, value: string): DnsRecord => ({
    key,
    domain: name === "" ? domain : `${name}.${domain}`,
    name,
    status: "missing",
    type,
    value,
  });
  return [
    rec("verification", verification, "CNAME", "smtp.mailtrap.live"),
    rec("spf", "", "TXT", "v=spf1 include:_spf.smtp.mailtrap.live ~all"),
    rec("dkim1", "rwmt1._domainkey", "CNAME", "rwmt1.dkim.smtp.mailtrap.live"),
    rec("dkim2", "rwmt2._domainkey", "CNAME", "rwmt2.dkim.smtp.mailtrap.live"),
    rec("dmarc", "_dmarc", "TXT", "v=DMARC1; p=none; rua=mailto:dmarc@smtp.mailtrap.live; ruf=mailto:dmarc@smtp.mailtrap.live; rf=afrf; pct=100"),
    rec("link_verification", "mt-link", "CNAME", "t.mailtrap.live"),
  ];
}

function render(domain: DomainRecord): Record<string, unknown> {
  return { ...domain, permissions: { can_read: true, can_update: true, can_destroy: true } };
}

function routesFor(f: Flavor): Route[] {
  const base = `/${f.domains}`;
  const one = `${base}/{${f.domain}_id}`;
  return [
    route(f, "GET", base, ({ store }) => ok({ data: domains(store).list().map(render) })),
    route(f, "POST", base, ({ store, body }) => {
      const attrs = requireWrapper(body, f.domain);
      const v = new Validator();
      const name = v.string(attrs, "domain_name", { required: true, max: 253 });
      if (name !== undefined) {
        if (!HOSTNAME.test(name)) v.add("domain_name", "is invalid");
        else if (domains(store).list().some((d) => d.domain_name === name.toLowerCase()))
          v.add("domain_name", "has already been taken");
      }
      v.check();
      const id = nextId(store, COLLECTIONS.domains);
      const domainName = name!.toLowerCase();
      return ok(
        render(
          domains(store).set(id, {
            id,
            domain_name: domainName,
            demo: false,
            compliance_status: "unverified_dns",
            dns_verified: false,
            dns_verified_at: null,
            dns_records: dnsRecords(domainName),
            open_tracking_enabled: true,
            click_tracking_enabled: true,
            auto_unsubscribe_link_enabled: true,
            custom_domain_tracking_enabled: false,
            health_alerts_enabled: true,
            critical_alerts_enabled: true,
            alert_recipient_email: null,
          }),
        ),
      );
    }),
    route(f, "GET", one, ({ store, params }) => ok(render(findOr404(domains(store), params[`${f.domain}_id`])))),
    route(f, "PATCH", one, ({ store, params, body }) => {
      const current = findOr404(domains(store), params[`${f.domain}_id`]);
      const attrs = requireWrapper(body, f.domain);
      const v = new Validator();
      const changes: Partial<DomainRecord> = {};
      for (const field of UPDATABLE) {
        const value = v.boolean(attrs, field);
        if (value !== undefined) changes[field] = value;
      }
      v.check();
      return ok(render(domains(store).set(current.id, { ...current, ...changes })));
    }),
    route(f, "DELETE", one, ({ store, params }) => {
      const current = findOr404(domains(store), params[`${f.domain}_id`]);
      domains(store).delete(current.id);
      return { status: 204 };
    }),
  ];
}

export function domainRoutes(): Route[] {
  return FLAVORS.flatMap(routesFor);
}

/**
 * Contract tests: every case in the tables below sends a documented operation to the emulator
 * and validates the request and the answer against the vendor's OpenAPI document. Add a vendor's
 * table (e.g. `./contract/sendgrid.cases`) to TABLES.
 */
import { describe, expect, it } from "vitest";
import { createMailtrapModule } from "../../emulators/mailtrap";
import { VENDOR_AUTH, type ContractCase, type VendorApi } from "./contract/cases";
import { MAILTRAP_SPECS, mailtrapCases } from "./contract/mailtrap.cases";
import { SENDGRID_SPECS, sendgridCases } from "./contract/sendgrid.cases";
import { createSendgridModule } from "../../emulators/sendgrid";
import { SPECS_AVAILABLE, SPECS_DIR, SpecRegistry } from "./contract/openapi";
import { request, useEmulators } from "./helpers";

const TABLES: ContractCase[][] = [mailtrapCases, sendgridCases];
const CASES = TABLES.flat();

/** Mailtrap and SendGrid documents are held closed: an answer may not carry a field the schema does not list. */
const specs = new SpecRegistry((file) => file.startsWith("mailtrap/") || file.startsWith("sendgrid/"));

const t = useEmulators({ rateLimits: false });

function api(vendor: ContractCase["vendor"]): VendorApi {
  return {
    async call(method, path, body) {
      const res = await request(t.emu.urls[vendor], method, path, { body, headers: VENDOR_AUTH[vendor] });
      if (res.status < 200 || res.status > 299) throw new Error(`set-up ${method} ${path} answered ${res.status}: ${res.text}`);
      return res.json;
    },
    patchObject: (collection, id, patch) => t.admin.patchObject(vendor, collection, id, patch),
    putObject: (collection, id, object) => t.admin.putObject(vendor, collection, id, object),
  };
}

describe.skipIf(!SPECS_AVAILABLE)(
  SPECS_AVAILABLE ? "contract: emulators against the vendors' OpenAPI documents" : `contract (skipped: no specs at ${SPECS_DIR}; set MAILFORM_SPECS_DIR)`,
  () => {
    it.each(CASES.map((c) => [`${c.vendor} ${c.method} ${c.path} -> ${c.status}${c.note ? ` (${c.note})` : ""}`, c] as const))(
      "%s",
      async (_name, c) => {
        const req = await c.request(api(c.vendor));
        if (!req.invalidBody && req.body !== undefined) {
          expect(specs.requestErrors(c.spec, c.method, c.path, req.body), "request body against the spec").toBeUndefined();
        }
        const headers = { ...(req.anonymous ? {} : VENDOR_AUTH[c.vendor]), ...req.headers };
        const res = await request(t.emu.urls[c.vendor], c.method, req.path, { body: req.body, headers });
        expect(res.status, res.text).toBe(c.status);
        expect(specs.statuses(c.spec, c.method, c.path), "status documented").toContain(String(c.status));
        const body = res.text === "" ? undefined : res.json;
        if (res.text !== "") expect(body, `answer is JSON: ${res.text.slice(0, 200)}`).not.toBeUndefined();
        expect(specs.responseErrors(c.spec, c.method, c.path, c.status, body), JSON.stringify(body)?.slice(0, 1500)).toBeUndefined();
      },
    );

    it("covers every emulated Mailtrap v2 route with a documented operation and a success case", () => {
      const routes = createMailtrapModule().routes.filter((r) => !r.pattern.startsWith("/api/v1/"));
      const missing: string[] = [];
      for (const route of routes) {
        const documented = MAILTRAP_SPECS.some((file) => specs.operation(file, route.method, route.pattern));
        if (!documented) missing.push(`${route.method} ${route.pattern}: not in any Mailtrap document`);
        const covered = CASES.some(
          (c) => c.vendor === "mailtrap" && c.method === route.method && c.path === route.pattern && c.status < 300,
        );
        if (!covered) missing.push(`${route.method} ${route.pattern}: no success case`);
      }
      expect(missing).toEqual([]);
      expect(routes.length).toBeGreaterThan(40);
    });

    it("covers every emulated SendGrid route with a documented operation and a success case", () => {
      const missing: string[] = [];
      for (const route of createSendgridModule().routes) {
        const documented = SENDGRID_SPECS.some((file) => specs.operation(file, route.method, route.pattern));
        if (!documented) missing.push(`${route.method} ${route.pattern}: not in any SendGrid document`);
        const covered = CASES.some(
          (c) => c.vendor === "sendgrid" && c.method === route.method && c.path === route.pattern && c.status < 300,
        );
        if (!covered) missing.push(`${route.method} ${route.pattern}: no success case`);
      }
      expect(missing).toEqual([]);
    });

    it("holds answers to the documents: an undocumented field fails validation", () => {
      const file = "mailtrap/current/sandbox.openapi.yml";
      const project = { id: 1, name: "P", share_links: { admin: "a", viewer: "v" }, sandboxes: [], permissions: {} };
      expect(specs.responseErrors(file, "GET", "/api/projects/{project_id}", 200, project)).toBeUndefined();
      expect(specs.responseErrors(file, "GET", "/api/projects/{project_id}", 200, { ...project, extra: 1 })).toMatch(/unevaluated/);
      expect(specs.responseErrors(file, "GET", "/api/projects/{project_id}", 200, { ...project, id: "1" })).toMatch(/integer/);
      expect(specs.responseErrors(file, "GET", "/api/projects/{project_id}", 404, { error: "Not Found" })).toBeUndefined();
      expect(() => specs.responseErrors(file, "GET", "/api/projects/{project_id}", 418, {})).toThrow(/does not document/);
    });
  },
);

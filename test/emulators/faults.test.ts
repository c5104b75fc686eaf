/** Fault injection: every kind, route filters, counts, and repeatability from the seed. */
import { afterEach, describe, expect, it } from "vitest";
import { startEmulators } from "../../emulators";
import { AdminClient } from "../../emulators/admin-client";
import { request, TOKEN, useEmulators } from "./helpers";

const t = useEmulators();

afterEach(async () => {
  await t.admin.clearFaults();
});

describe("faults", () => {
  it("429: the vendor's rate-limit answer", async () => {
    await t.admin.addFault({ vendor: "mailtrap", kind: "429", rate: 1, count: 1 });
    const res = await t.mt("GET", "/api/v1/companies");
    expect(res.status).toBe(429);
    expect(res.json).toEqual({ errors: "Rate limit exceeded" });
    expect(res.headers.get("x-ratelimit-remaining")).toBe("0");
    expect((await t.mt("GET", "/api/v1/companies")).status).toBe(200);
  });

  it.each([500, 503] as const)("%s: an error in the vendor's shape, then normal service after `count`", async (code) => {
    await t.admin.addFault({ vendor: "mailtrap", kind: String(code) as "500" | "503", rate: 1, count: 2 });
    for (let i = 0; i < 2; i++) {
      const res = await t.mt("GET", "/api/projects");
      expect(res.status).toBe(code);
      expect(res.json).toEqual({ error: expect.any(String) });
    }
    expect((await t.mt("GET", "/api/projects")).status).toBe(200);
    expect((await t.admin.faults())[0]).toMatchObject({ fired: 2, count: 2 });
  });

  it("latency: delays, then answers normally", async () => {
    await t.admin.addFault({ vendor: "mailtrap", kind: "latency", rate: 1, latencyMs: 300 });
    const started = Date.now();
    const res = await t.mt("GET", "/api/projects");
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it("drop: destroys the connection without an answer, and counts it", async () => {
    await t.admin.resetRequestCounts();
    await t.admin.addFault({ vendor: "mailtrap", kind: "drop", rate: 1, count: 1 });
    await expect(fetch(`${t.emu.urls.mailtrap}/api/projects`, { headers: { "Api-Token": TOKEN } })).rejects.toThrow();
    expect((await t.mt("GET", "/api/projects")).status).toBe(200);
    expect(await t.admin.countRequests({ vendor: "mailtrap", status: "dropped" })).toBe(1);
  });

  it("applies only to the named route and vendor", async () => {
    await t.admin.addFault({ vendor: "mailtrap", route: "POST /api/projects", kind: "500", rate: 1 });
    await t.admin.addFault({ vendor: "sendgrid", kind: "503", rate: 1 });
    expect((await t.mt("GET", "/api/projects")).status).toBe(200);
    expect((await t.mt("POST", "/api/projects", { project: { name: "Nope" } })).status).toBe(500);
    await t.admin.clearFaults();
    await t.admin.addFault({ vendor: "mailtrap", route: "/api/projects/{project_id}", kind: "503", rate: 1 });
    expect((await t.mt("GET", "/api/projects/1")).status).toBe(503);
    expect((await t.mt("DELETE", "/api/projects/1")).status).toBe(503);
    expect((await t.mt("GET", "/api/projects")).status).toBe(200);
  });

  it("fires at about `rate`, never at 0", async () => {
    await t.admin.addFault({ vendor: "mailtrap", kind: "500", rate: 0 });
    for (let i = 0; i < 20; i++) expect((await t.mt("GET", "/api/projects")).status).toBe(200);
    await t.admin.clearFaults();
    await t.admin.addFault({ vendor: "mailtrap", kind: "500", rate: 0.5 });
    let failed = 0;
    for (let i = 0; i < 100; i++) if ((await t.mt("GET", "/api/projects")).status === 500) failed++;
    expect(failed).toBeGreaterThan(30);
    expect(failed).toBeLessThan(70);
  });

  it("rejects malformed fault specs", async () => {
    await expect(t.admin.addFault({ vendor: "mailtrap", kind: "500", rate: 2 })).rejects.toMatchObject({ status: 400 });
    await expect(t.admin.addFault({ vendor: "mailtrap", kind: "teapot" as "500", rate: 1 })).rejects.toMatchObject({ status: 400 });
    await expect(t.admin.addFault({ vendor: "nope" as "mailtrap", kind: "500", rate: 1 })).rejects.toMatchObject({ status: 400 });
    expect(await t.admin.faults()).toEqual([]);
  });
});

describe("fault randomness repeats from the seed", () => {
  async function outcomes(seed: number): Promise<number[]> {
    const emu = await startEmulators({ seed });
    try {
      await new AdminClient(emu.urls.admin).addFault({ vendor: "mailtrap", kind: "503", rate: 0.5 });
      const statuses: number[] = [];
      for (let i = 0; i < 40; i++) {
        statuses.push((await request(emu.urls.mailtrap, "GET", "/api/projects", { headers: { "Api-Token": TOKEN } })).status);
      }
      return statuses;
    } finally {
      await emu.close();
    }
  }

  it("gives the same sequence for the same seed and another for another seed", async () => {
    const a = await outcomes(7);
    expect(await outcomes(7)).toEqual(a);
    expect(await outcomes(8)).not.toEqual(a);
    expect(new Set(a)).toEqual(new Set([200, 503]));
  });
});

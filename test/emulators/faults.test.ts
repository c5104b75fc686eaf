/** Fault injection: every kind, 429 hints, route filters, counts, the request log, and repeatability from the seed. */
import { afterEach, describe, expect, it } from "vitest";
import { startEmulators } from "../../emulators";
import { AdminClient } from "../../emulators/admin-client";
import { DEFAULT_CREDENTIALS } from "../../emulators/credentials";
import { request, TOKEN, useEmulators } from "./helpers";

const SG_KEY = DEFAULT_CREDENTIALS.sendgrid.apiKey;

const t = useEmulators();

afterEach(async () => {
  await t.admin.clearFaults();
});

describe("faults", () => {
  it("429: the vendor's rate-limit answer, with the vendor's own headers by default", async () => {
    await t.admin.addFault({ vendor: "mailtrap", kind: "429", rate: 1, count: 1 });
    const res = await t.mt("GET", "/api/v1/companies");
    expect(res.status).toBe(429);
    expect(res.json).toEqual({ errors: "Rate limit exceeded" });
    expect(res.headers.get("x-ratelimit-remaining")).toBe("0");
    expect(res.headers.get("retry-after")).toBeNull();
    expect((await t.mt("GET", "/api/v1/companies")).status).toBe(200);
  });

  const sg = (path: string) => request(t.emu.urls.sendgrid, "GET", path, { headers: { Authorization: `Bearer ${SG_KEY}` } });

  it.each<["vendor" | "none" | 3, Record<string, string | null>]>([
    // SendGrid's own 429 says the window is spent: reset at its end, a minute out.
    ["vendor", { "retry-after": null, "x-ratelimit-remaining": "0", "x-ratelimit-reset": "window" }],
    ["none", { "retry-after": null, "x-ratelimit-limit": null, "x-ratelimit-remaining": null, "x-ratelimit-reset": null }],
    [3, { "retry-after": "3", "x-ratelimit-limit": null, "x-ratelimit-remaining": null, "x-ratelimit-reset": null }],
  ])("429 with hint %s: says when to come back as the hint asks", async (h, expected) => {
    await t.admin.addFault({ vendor: "sendgrid", kind: "429", rate: 1, count: 1, hint: h });
    const before = Math.floor(Date.now() / 1000);
    const res = await sg("/v3/scopes");
    expect(res.status).toBe(429);
    expect(res.json).toEqual({ errors: [{ field: null, message: "too many requests" }] });
    for (const [name, value] of Object.entries(expected)) {
      if (value === "window") expect(Number(res.headers.get(name)) - before).toBeGreaterThanOrEqual(59);
      else expect(res.headers.get(name), name).toBe(value);
    }
    expect((await sg("/v3/scopes")).status).toBe(200);
  });

  it("a hint is only for 429 faults, and is vendor, none or whole seconds", async () => {
    await expect(t.admin.addFault({ vendor: "mailjet", kind: "503", rate: 1, hint: 2 })).rejects.toMatchObject({ status: 400 });
    await expect(t.admin.addFault({ vendor: "mailjet", kind: "429", rate: 1, hint: "soon" as "none" })).rejects.toMatchObject({ status: 400 });
    await expect(t.admin.addFault({ vendor: "mailjet", kind: "429", rate: 1, hint: 1.5 })).rejects.toMatchObject({ status: 400 });
    expect(await t.admin.faults()).toEqual([]);
    expect(await t.admin.addFault({ vendor: "mailjet", kind: "429", rate: 1, hint: 0 })).toMatchObject({ hint: 0 });
  });

  it("logs each request: arrival and answer times, the credential's fingerprint, the deciding fault, rate-limit headers", async () => {
    await t.admin.resetRequestCounts();
    const fault = await t.admin.addFault({ vendor: "mailtrap", route: "GET /api/projects", kind: "429", rate: 1, count: 1, hint: 2 });
    await t.admin.addFault({ vendor: "mailtrap", route: "GET /api/accounts", kind: "latency", rate: 1, latencyMs: 120 });
    const started = Date.now();
    await t.mt("GET", "/api/projects");
    await t.mt("GET", "/api/projects");
    await request(t.emu.urls.mailtrap, "GET", "/api/projects", { headers: { Authorization: `Bearer ${TOKEN}` } });
    await t.mt("GET", "/api/accounts");
    await request(t.emu.urls.mailtrap, "GET", "/api/projects");
    await sg("/v3/scopes");
    const log = await t.admin.requestLog({ vendor: "mailtrap" });
    expect(log.map((e) => [e.method, e.path, e.status, e.fault])).toEqual([
      ["GET", "/api/projects", "429", fault.id],
      ["GET", "/api/projects", "200", undefined],
      ["GET", "/api/projects", "200", undefined],
      ["GET", "/api/accounts", "200", undefined],
      ["GET", "/api/projects", "401", undefined],
    ]);
    expect(log[0]!.rateLimitHeaders).toEqual({ "retry-after": "2" });
    expect(log[0]!.route).toBe("/api/projects");
    for (const e of log) {
      expect(e.receivedAt).toBeGreaterThanOrEqual(started);
      expect(e.answeredAt).toBeGreaterThanOrEqual(e.receivedAt);
    }
    expect(log[3]!.answeredAt - log[3]!.receivedAt).toBeGreaterThanOrEqual(110);
    // The same token the same way: one fingerprint; never the token itself.
    expect(log[1]!.credential).toBe(log[0]!.credential);
    expect(log[0]!.credential).toMatch(/^[0-9a-f]{12}$/);
    expect(log[2]!.credential).not.toBe(log[0]!.credential);
    expect(log[4]!.credential).toBe("");
    // A request sent again has the same digest; another query or body, another one.
    expect(log[1]!.digest).toBe(log[0]!.digest);
    await t.mt("POST", "/api/projects", { project: { name: "Digest A" } });
    await t.mt("POST", "/api/projects", { project: { name: "Digest B" } });
    await t.mt("POST", "/api/projects", { project: { name: "Digest A" } });
    const posts = (await t.admin.requestLog({ vendor: "mailtrap", after: log[4]!.seq })).map((e) => e.digest);
    expect(posts[2]).toBe(posts[0]);
    expect(posts[1]).not.toBe(posts[0]);
    expect(posts[0]).not.toBe(log[0]!.digest);
    expect(JSON.stringify(log)).not.toContain(TOKEN);
    const all = await t.admin.requestLog();
    expect(all.map((e) => e.vendor)).toEqual(["mailtrap", "mailtrap", "mailtrap", "mailtrap", "mailtrap", "sendgrid", "mailtrap", "mailtrap", "mailtrap"]);
    expect((await t.admin.requestLog({ after: all[5]!.seq })).map((e) => e.seq)).toEqual(all.slice(6).map((e) => e.seq));
    await t.admin.resetRequestCounts();
    expect(await t.admin.requestLog()).toEqual([]);
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

  it("drop-after-commit: the create is made, then the connection is destroyed without an answer", async () => {
    await t.admin.resetRequestCounts();
    await t.admin.addFault({ vendor: "mailtrap", route: "POST /api/projects", kind: "drop-after-commit", rate: 1, count: 1 });
    const before = (await t.admin.listObjects("mailtrap", "projects")).length;
    await expect(
      fetch(`${t.emu.urls.mailtrap}/api/projects`, {
        method: "POST",
        headers: { "Api-Token": TOKEN, "content-type": "application/json" },
        body: JSON.stringify({ project: { name: "Lost answer" } }),
      }),
    ).rejects.toThrow();
    const after = await t.admin.listObjects<{ name: string }>("mailtrap", "projects");
    expect(after).toHaveLength(before + 1);
    expect(after.at(-1)!.name).toBe("Lost answer");
    expect(await t.admin.countRequests({ vendor: "mailtrap", route: "/api/projects", status: "dropped" })).toBe(1);
  });

  it.each([500, 503] as const)("%s-after-commit: the create is made, then the vendor's %s is answered instead", async (code) => {
    const kind = `${code}-after-commit` as const;
    await t.admin.addFault({ vendor: "sendgrid", route: "POST /v3/api_keys", kind, rate: 1, count: 1 });
    const before = (await t.admin.listObjects("sendgrid", "api_keys")).length;
    const res = await request(t.emu.urls.sendgrid, "POST", "/v3/api_keys", {
      body: { name: `Committed ${code}` },
      headers: { Authorization: `Bearer ${SG_KEY}` },
    });
    expect(res.status).toBe(code);
    expect(res.json).toEqual({ errors: [expect.objectContaining({ message: expect.any(String) })] });
    expect(res.text).not.toContain("SG.");
    const keys = await t.admin.listObjects<{ name: string }>("sendgrid", "api_keys");
    expect(keys).toHaveLength(before + 1);
    expect(keys.map((k) => k.name)).toContain(`Committed ${code}`);
    // `count` spent: the next create answers normally.
    const next = await request(t.emu.urls.sendgrid, "POST", "/v3/api_keys", {
      body: { name: "Answered" },
      headers: { Authorization: `Bearer ${SG_KEY}` },
    });
    expect(next.status).toBe(201);
  });

  it("after-commit faults leave requests no handler ran alone (401 stays 401), without spending `count`", async () => {
    await t.admin.addFault({ vendor: "mailtrap", route: "POST /api/projects", kind: "503-after-commit", rate: 1, count: 1 });
    const before = (await t.admin.listObjects("mailtrap", "projects")).length;
    const res = await request(t.emu.urls.mailtrap, "POST", "/api/projects", { body: { project: { name: "x" } }, headers: { "Api-Token": "wrong" } });
    expect(res.status).toBe(401);
    expect(await t.admin.listObjects("mailtrap", "projects")).toHaveLength(before);
    expect((await t.admin.faults())[0]).toMatchObject({ fired: 0 });
    expect((await t.mt("POST", "/api/projects", { project: { name: "Committed" } })).status).toBe(503);
    expect((await t.admin.faults())[0]).toMatchObject({ fired: 1 });
    expect((await t.mt("POST", "/api/projects", { project: { name: "Answered" } })).status).toBe(200);
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

  it("repeats after-commit faults too: the same creates lose their answers, and every create is made", async () => {
    async function lost(seed: number): Promise<{ statuses: (number | "lost")[]; stored: number }> {
      const emu = await startEmulators({ seed });
      try {
        const admin = new AdminClient(emu.urls.admin);
        await admin.addFault({ vendor: "mailtrap", route: "POST /api/projects", kind: "drop-after-commit", rate: 0.3 });
        await admin.addFault({ vendor: "mailtrap", route: "POST /api/projects", kind: "500-after-commit", rate: 0.3 });
        const statuses: (number | "lost")[] = [];
        for (let i = 0; i < 30; i++) {
          const res = await request(emu.urls.mailtrap, "POST", "/api/projects", { body: { project: { name: `P${i}` } }, headers: { "Api-Token": TOKEN } }).catch(
            () => undefined,
          );
          statuses.push(res?.status ?? "lost");
        }
        return { statuses, stored: (await admin.listObjects("mailtrap", "projects")).length };
      } finally {
        await emu.close();
      }
    }
    const a = await lost(11);
    expect(await lost(11)).toEqual(a);
    expect(new Set(a.statuses)).toEqual(new Set([200, 500, "lost"]));
    expect(a.stored).toBe(30);
  });

  it("gives the same sequence for the same seed and another for another seed", async () => {
    const a = await outcomes(7);
    expect(await outcomes(7)).toEqual(a);
    expect(await outcomes(8)).not.toEqual(a);
    expect(new Set(a)).toEqual(new Set([200, 503]));
  });
});

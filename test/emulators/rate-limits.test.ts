/** Rate limiting: Mailtrap's documented 150 / 10 s per token, the 429, the reset, the admin knobs. */
import { describe, expect, it } from "vitest";
import { request, TOKEN, useEmulators } from "./helpers";

const t = useEmulators();

describe("rate limits", () => {
  it("starts at the documented Mailtrap limit", async () => {
    const limits = await t.admin.rateLimits();
    expect(limits.mailtrap).toEqual({ limit: 150, windowMs: 10_000, enabled: true });
    const res = await t.mt("GET", "/api/v1/companies");
    expect(res.headers.get("x-ratelimit-limit")).toBe("150");
  });

  it("answers 429 past the limit, with headers, and serves again after the window", async () => {
    await t.admin.setRateLimits({ vendor: "mailtrap", limit: 3, windowMs: 400 });
    try {
      const remaining: string[] = [];
      for (let i = 0; i < 3; i++) {
        const res = await t.mt("GET", "/api/v1/companies");
        expect(res.status).toBe(200);
        remaining.push(res.headers.get("x-ratelimit-remaining")!);
      }
      expect(remaining).toEqual(["2", "1", "0"]);
      const limited = await t.mt("GET", "/api/v1/companies");
      expect(limited.status).toBe(429);
      expect(limited.json).toEqual({ errors: "Rate limit exceeded" });
      expect(limited.headers.get("x-ratelimit-remaining")).toBe("0");
      const v2 = await t.mt("GET", "/api/projects");
      expect(v2.status).toBe(429);
      expect(v2.json).toEqual({ errors: "Rate limit exceeded" });

      await new Promise((r) => setTimeout(r, 450));
      const after = await t.mt("GET", "/api/projects");
      expect(after.status).toBe(200);
      const counts = await t.admin.countRequests({ vendor: "mailtrap", status: "429" });
      expect(counts).toBe(2);
    } finally {
      await t.admin.setRateLimits({ vendor: "mailtrap", limit: 150, windowMs: 10_000 });
    }
  });

  it("counts per token: unauthenticated requests do not use the token's budget", async () => {
    await t.admin.setRateLimits({ vendor: "mailtrap", limit: 2, windowMs: 60_000 });
    try {
      for (let i = 0; i < 5; i++) {
        expect((await request(t.emu.urls.mailtrap, "GET", "/api/projects", { headers: { "Api-Token": "wrong" } })).status).toBe(401);
      }
      expect((await t.mt("GET", "/api/projects")).status).toBe(200);
      expect((await request(t.emu.urls.mailtrap, "GET", "/api/projects", { headers: { Authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
      expect((await t.mt("GET", "/api/projects")).status).toBe(429);
    } finally {
      await t.admin.setRateLimits({ vendor: "mailtrap", limit: 150, windowMs: 10_000 });
    }
  });

  it("can be switched off at run time, and rejects bad settings", async () => {
    await t.admin.setRateLimits({ vendor: "mailtrap", limit: 1, windowMs: 60_000, enabled: false });
    try {
      for (let i = 0; i < 4; i++) expect((await t.mt("GET", "/api/projects")).status).toBe(200);
    } finally {
      await t.admin.setRateLimits({ vendor: "mailtrap", limit: 150, windowMs: 10_000, enabled: true });
    }
    await expect(t.admin.setRateLimits({ vendor: "mailtrap", limit: 0 })).rejects.toMatchObject({ status: 400 });
    await expect(t.admin.setRateLimits({ vendor: "nope" as "mailtrap" })).rejects.toMatchObject({ status: 400 });
  });
});

describe("rateLimits: false", () => {
  const off = useEmulators({ rateLimits: false });

  it("never answers 429", async () => {
    await off.admin.setRateLimits({ vendor: "mailtrap", limit: 2 });
    for (let i = 0; i < 6; i++) expect((await off.mt("GET", "/api/projects")).status).toBe(200);
    expect((await off.admin.rateLimits()).mailtrap.enabled).toBe(false);
  });
});

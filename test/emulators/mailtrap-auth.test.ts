/** Mailtrap authentication: every documented form, per API generation, and the 401 body. */
import { describe, expect, it } from "vitest";
import { request, TOKEN, useEmulators } from "./helpers";

const t = useEmulators();

const UNAUTHORIZED = { error: "Incorrect API token" };

async function status(path: string, headers: Record<string, string> = {}) {
  const res = await request(t.emu.urls.mailtrap, "GET", path, { headers });
  return { status: res.status, json: res.json };
}

describe("Mailtrap API v2 auth", () => {
  it("accepts the Api-Token header and a Bearer token", async () => {
    expect((await status("/api/projects", { "Api-Token": TOKEN })).status).toBe(200);
    expect((await status("/api/projects", { Authorization: `Bearer ${TOKEN}` })).status).toBe(200);
  });

  it.each([
    ["no credentials", "/api/projects", {}],
    ["a wrong Api-Token", "/api/projects", { "Api-Token": "mt-wrong" }],
    ["a wrong Bearer token", "/api/projects", { Authorization: "Bearer mt-wrong" }],
    ["an empty Bearer", "/api/projects", { Authorization: "Bearer " }],
    ["Basic credentials", "/api/projects", { Authorization: `Basic ${Buffer.from(`x:${TOKEN}`).toString("base64")}` }],
    ["the v1-only Token form", "/api/projects", { Authorization: `Token token=${TOKEN}` }],
    ["the v1-only api_token parameter", `/api/projects?api_token=${TOKEN}`, {}],
    ["another account's path without a token", "/api/accounts/1000001/projects", {}],
  ])("answers 401 for %s", async (_name, path, headers) => {
    expect(await status(path, headers as Record<string, string>)).toEqual({ status: 401, json: UNAUTHORIZED });
  });

  it("checks the route before the token: an unknown path is 404 even without credentials", async () => {
    expect(await status("/api/nothing-here")).toEqual({ status: 404, json: { error: "Not Found" } });
  });
});

describe("Mailtrap API v1 auth", () => {
  it.each([
    ["Api-Token header", "/api/v1/user", { "Api-Token": TOKEN }],
    ["api_token parameter", `/api/v1/user?api_token=${TOKEN}`, {}],
    ["Authorization: Token token=", "/api/v1/user", { Authorization: `Token token=${TOKEN}` }],
    ['Authorization: Token token="..."', "/api/v1/user", { Authorization: `Token token="${TOKEN}"` }],
    ["Authorization: Bearer", "/api/v1/user", { Authorization: `Bearer ${TOKEN}` }],
  ])("accepts the %s", async (_name, path, headers) => {
    const res = await status(path, headers as Record<string, string>);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ id: expect.any(Number), email: expect.any(String) });
  });

  it.each([
    ["no credentials", "/api/v1/user", {}],
    ["a wrong Api-Token", "/api/v1/user", { "Api-Token": "nope" }],
    ["a wrong api_token parameter", "/api/v1/user?api_token=nope", {}],
    ["a wrong Token token=", "/api/v1/user", { Authorization: "Token token=nope" }],
    ["a wrong Bearer", "/api/v1/user", { Authorization: "Bearer nope" }],
  ])("answers 401 for %s", async (_name, path, headers) => {
    expect(await status(path, headers as Record<string, string>)).toEqual({ status: 401, json: UNAUTHORIZED });
  });
});

describe("custom credentials", () => {
  const custom = useEmulators({ credentials: { mailtrap: { apiToken: "custom-token", accountId: 42 } } });

  it("accepts only the configured token and account", async () => {
    const ok = await request(custom.emu.urls.mailtrap, "GET", "/api/accounts/42/projects", { headers: { "Api-Token": "custom-token" } });
    expect(ok.status).toBe(200);
    const accounts = await request(custom.emu.urls.mailtrap, "GET", "/api/accounts", { headers: { "Api-Token": "custom-token" } });
    expect(accounts.json).toEqual([{ id: 42, name: expect.any(String), access_levels: [1000] }]);
    const old = await request(custom.emu.urls.mailtrap, "GET", "/api/projects", { headers: { "Api-Token": TOKEN } });
    expect(old.status).toBe(401);
    const wrongAccount = await request(custom.emu.urls.mailtrap, "GET", "/api/accounts/1000001/projects", {
      headers: { "Api-Token": "custom-token" },
    });
    expect(wrongAccount.status).toBe(403);
  });
});

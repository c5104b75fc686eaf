/** Alternative response shapes: the admin setting, the CLI flag, and each shape as served. */
import { afterEach, describe, expect, it } from "vitest";
import { parseArgs } from "../../emulators/cli";
import { DEFAULT_CREDENTIALS } from "../../emulators/credentials";
import { documentedShapes } from "../../emulators/core/shapes";
import { request, useEmulators } from "./helpers";

const t = useEmulators();
const SG = { Authorization: `Bearer ${DEFAULT_CREDENTIALS.sendgrid.apiKey}` };
const sg = (method: string, path: string, body?: unknown) => request(t.emu.urls.sendgrid, method, path, { body, headers: SG });

afterEach(async () => {
  await t.admin.setResponseShapes(documentedShapes());
});

describe("response shapes", () => {
  it("serves the documented shapes by default", async () => {
    expect(await t.admin.responseShapes()).toEqual({ sendgridApiKey: "result", sendgridApiKeyList: "result", sendgridTemplateList: "result" });
    const key = (await sg("POST", "/v3/api_keys", { name: "Shaped", scopes: ["mail.send"] })).json;
    expect((await sg("GET", `/v3/api_keys/${key.api_key_id}`)).json).toEqual({
      result: [{ api_key_id: key.api_key_id, name: "Shaped", scopes: expect.arrayContaining(["mail.send"]) }],
    });
    expect((await sg("GET", "/v3/api_keys")).json).toEqual({ result: expect.arrayContaining([{ api_key_id: key.api_key_id, name: "Shaped" }]) });
    expect(Object.keys((await sg("GET", "/v3/templates?page_size=10")).json).sort()).toEqual(["_metadata", "result"]);
  });

  it("serves a single key flat, the key list as a bare array and templates under `templates` when told", async () => {
    const key = (await sg("POST", "/v3/api_keys", { name: "Flat", scopes: ["mail.send"] })).json;
    for (let i = 0; i < 3; i++) await sg("POST", "/v3/templates", { name: `T${i}`, generation: "dynamic" });
    await t.admin.setResponseShapes({ sendgridApiKey: "flat" });
    expect((await sg("GET", `/v3/api_keys/${key.api_key_id}`)).json).toEqual({
      api_key_id: key.api_key_id,
      name: "Flat",
      scopes: expect.arrayContaining(["mail.send"]),
    });
    expect((await sg("GET", "/v3/api_keys")).json).toHaveProperty("result");
    await t.admin.setResponseShapes({ sendgridApiKeyList: "array", sendgridTemplateList: "templates" });
    const keys = await sg("GET", "/v3/api_keys");
    expect(keys.json).toEqual(expect.arrayContaining([{ api_key_id: key.api_key_id, name: "Flat" }]));
    expect(keys.headers.get("link")).toMatch(/rel="first"/);
    const list = (await sg("GET", "/v3/templates?page_size=2&generations=dynamic")).json;
    expect(Object.keys(list)).toEqual(["templates"]);
    expect(list.templates.map((x: { name: string }) => x.name)).toEqual(expect.arrayContaining(["T0", "T1", "T2"]));
    // Errors keep their shape.
    expect((await sg("GET", "/v3/api_keys/missing")).json).toEqual({ errors: [expect.objectContaining({ message: expect.any(String) })] });
  });

  it("refuses unknown names and values, changing nothing", async () => {
    await expect(t.admin.setResponseShapes({ sendgridApiKey: "nested" as "flat" })).rejects.toMatchObject({ status: 400 });
    await expect(t.admin.setResponseShapes({ mailjetThing: "x" } as never)).rejects.toMatchObject({
      status: 400,
      body: { error: expect.stringContaining("Unknown response shape `mailjetThing`") },
    });
    expect(await t.admin.responseShapes()).toEqual(documentedShapes());
  });

  it("is set from the command line with --response-shape NAME=VALUE", () => {
    expect(parseArgs(["--response-shape", "sendgridApiKey=flat", "--response-shape", "sendgridTemplateList=templates"]).responseShapes).toEqual({
      sendgridApiKey: "flat",
      sendgridTemplateList: "templates",
    });
    expect(() => parseArgs(["--response-shape", "sendgridApiKey=nested"])).toThrow(/--response-shape sendgridApiKey=nested: Expected `sendgridApiKey` to be one of result, flat/);
  });
});

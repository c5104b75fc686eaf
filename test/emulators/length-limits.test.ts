/**
 * Length limits count characters (code points), as the stack schema's maxLength does: a name of
 * astral characters (emoji) at the limit is accepted, one more is refused, whatever its UTF-16
 * length.
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_CREDENTIALS } from "../../emulators/credentials";
import { request, TOKEN, useEmulators } from "./helpers";

const t = useEmulators();
const SG = { Authorization: `Bearer ${DEFAULT_CREDENTIALS.sendgrid.apiKey}` };
const MT = { "Api-Token": TOKEN };

/** `n` characters, each outside the Basic Multilingual Plane (two UTF-16 units). */
const astral = (n: number) => "😀".repeat(n);

type Case = [what: string, vendor: "mailtrap" | "sendgrid", path: () => Promise<string>, body: (value: string) => unknown, max: number, refused: number];

let projectId: number | undefined;
const project = async () => {
  projectId ??= (await request(t.emu.urls.mailtrap, "POST", "/api/projects", { body: { project: { name: "Lengths" } }, headers: MT })).json.id;
  return `/api/projects/${projectId}/sandboxes`;
};

const cases: Case[] = [
  ["Mailtrap project name", "mailtrap", async () => "/api/projects", (name) => ({ project: { name } }), 100, 422],
  ["Mailtrap inbox name", "mailtrap", project, (name) => ({ sandbox: { name } }), 100, 422],
  ["Mailtrap template subject", "mailtrap", async () => "/api/email_templates", (subject) => ({ email_template: { name: "n", category: "c", subject } }), 255, 422],
  ["SendGrid API key name", "sendgrid", async () => "/v3/api_keys", (name) => ({ name }), 100, 400],
  ["SendGrid template name", "sendgrid", async () => "/v3/templates", (name) => ({ name, generation: "dynamic" }), 100, 400],
  ["SendGrid unsubscribe group name", "sendgrid", async () => "/v3/asm/groups", (name) => ({ name, description: "d" }), 30, 400],
];

describe("length limits count characters", () => {
  it.each(cases)("%s", async (what, vendor, path, body, max, refused) => {
    const base = t.emu.urls[vendor];
    const headers = vendor === "mailtrap" ? MT : SG;
    const atLimit = await request(base, "POST", await path(), { body: body(astral(max)), headers });
    expect(atLimit.status, `${what} of ${max} emoji: ${atLimit.text}`).toBeLessThan(300);
    const over = await request(base, "POST", await path(), { body: body(astral(max) + "a"), headers });
    expect(over.status, `${what} of ${max + 1} characters`).toBe(refused);
    expect(over.text).toMatch(new RegExp(`${max}`));
  });

  it("a Mailtrap project name of one emoji is one character: too short (minimum 2)", async () => {
    const res = await request(t.emu.urls.mailtrap, "POST", "/api/projects", { body: { project: { name: astral(1) } }, headers: MT });
    expect(res.status).toBe(422);
    expect(res.text).toMatch(/too short/);
    expect((await request(t.emu.urls.mailtrap, "POST", "/api/projects", { body: { project: { name: astral(2) } }, headers: MT })).status).toBe(200);
  });

  it("a SendGrid duplicate's default name is cut at 100 characters without splitting one", async () => {
    const source = await request(t.emu.urls.sendgrid, "POST", "/v3/templates", { body: { name: astral(98), generation: "dynamic" }, headers: SG });
    const copy = await request(t.emu.urls.sendgrid, "POST", `/v3/templates/${source.json.id}`, { body: {}, headers: SG });
    expect(copy.status).toBe(201);
    expect(Array.from(copy.json.name as string)).toHaveLength(100);
    expect(copy.json.name).toBe(`${astral(98)} C`);
  });
});

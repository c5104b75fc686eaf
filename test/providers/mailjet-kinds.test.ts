/**
 * The Mailjet kinds without the engine: what each field's change does (update or replace), the
 * normalizations, the client (envelope, 304, paging, errors, the rate limit), and the life cycle
 * against the in-process emulator with the calls it makes. test/e2e/mailjet.test.ts drives the
 * same code through the real CLI.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { useEmulators } from "../support/emulators";
import { DEFAULT_CREDENTIALS } from "../../emulators/credentials";
import { apiKey } from "../../providers/mailjet/api-key";
import { mailjet, mailjetErrorText } from "../../providers/mailjet/client";
import { normalizeTemplate, template } from "../../providers/mailjet/template";
import { VendorError } from "../../providers/http/errors";
import { lifecycle, newRun } from "../../providers/resource";
import { USER_ID } from "../../emulators/mailjet/apikeys";

const { apiKey: PUBLIC, secretKey: SECRET } = DEFAULT_CREDENTIALS.mailjet;
const T = lifecycle(template);
const K = lifecycle(apiKey);

const base = {
  name: "Receipt",
  ownerType: "apikey",
  purposes: ["transactional"],
  locale: "en_US",
  description: "Sent after payment",
  categories: ["billing"],
  editMode: "html",
  isTextPartGenerationEnabled: false,
  content: {
    headers: { From: "Shop <shop@example.com>", Subject: "Your receipt", "Reply-To": "help@example.com" },
    html: "<p>Thanks</p>",
    text: "Thanks",
  },
};

type Row = [string, ReturnType<typeof lifecycle>, Record<string, unknown>, Record<string, unknown>, string[]];

describe("Mailjet kinds: what a change of each field does", () => {
  const olds = normalizeTemplate(base as never) as unknown as Record<string, unknown>;
  const cases: Row[] = [
    ...(
      [
        ["name", "Invoice"],
        ["purposes", ["marketing"]],
        ["locale", "fr_FR"],
        ["description", "Other"],
        ["categories", ["eu"]],
        ["editMode", "mjml"],
        ["isTextPartGenerationEnabled", true],
        ["ownerType", "user"],
        ["content", { ...base.content, html: "<p>Other</p>" }],
        ["content", { ...base.content, headers: { From: "Shop <shop@example.com>" } }],
        ["content", { ...base.content, mjml: "<mjml/>" }],
      ] as const
    ).map(([field, value]): Row => [`template ${field}`, T, olds, { ...base, [field]: value }, []]),
    ["key name", K, { name: "CI", active: true }, { name: "CI 2", active: true }, []],
    ["key active", K, { name: "CI", active: true }, { name: "CI", active: false }, []],
  ];

  it.each(cases)("%s", async (_what, provider, olds, news, replaces) => {
    const diff = await provider.diff!("1", { ...olds, adopt: false, path: "x" }, { ...news, adopt: true, path: "y" });
    expect(diff.changes).toBe(true);
    expect(diff.replaces ?? []).toEqual(replaces);
    expect(diff.deleteBeforeReplace ?? false).toBe(false);
    const again = await provider.diff!("1", olds, { ...olds, adopt: true });
    expect(again.changes, "options are not diffed").toBe(false);
  });

  it("applies Mailjet's defaults, treats purposes and categories as sets, and header names without case", async () => {
    expect(normalizeTemplate({ name: "T" })).toEqual({
      name: "T",
      ownerType: "apikey",
      purposes: [],
      locale: "en_US",
      description: "",
      categories: [],
      editMode: "dnd",
      isTextPartGenerationEnabled: false,
      content: { headers: {}, html: "", text: "", mjml: "" },
    });
    const n = normalizeTemplate({
      name: "T",
      purposes: ["transactional", "marketing", "transactional"],
      categories: ["b", "a"],
      content: { headers: { "reply-to": "x@example.com", SUBJECT: "", "X-Custom": "1" } } as never,
    });
    expect(n.purposes).toEqual(["marketing", "transactional"]);
    expect(n.categories).toEqual(["a", "b"]);
    expect(n.content.headers).toEqual({ "Reply-To": "x@example.com", "X-Custom": "1" });
    const olds = normalizeTemplate(base as never) as unknown as Record<string, unknown>;
    const reordered = { ...base, categories: ["billing", "billing"], content: { ...base.content, headers: { subject: "Your receipt", from: "Shop <shop@example.com>", "REPLY-TO": "help@example.com" } } };
    expect((await T.diff!("1", olds, reordered)).changes).toBe(false);
    expect((await K.diff!("1", { name: "CI", active: true }, { name: "CI" })).changes).toBe(false);
  });

  it("words Mailjet's errors: ErrorMessage, with ErrorInfo when there is one", () => {
    expect(mailjetErrorText({ ErrorInfo: "", ErrorMessage: "Object not found", StatusCode: 404 })).toBe("Object not found");
    expect(mailjetErrorText({ ErrorInfo: "Name", ErrorMessage: "Invalid value", StatusCode: 400 })).toBe("Invalid value (Name)");
    expect(mailjetErrorText({ errors: [] })).toBeUndefined();
    expect(mailjetErrorText("")).toBeUndefined();
  });
});

describe("Mailjet kinds against the emulator", () => {
  const ctx = useEmulators((urls) => ({
    MAILJET_API_URL: urls.mailjet,
    MJ_APIKEY_PUBLIC: PUBLIC,
    MJ_APIKEY_PRIVATE: SECRET,
  }));

  beforeEach(async () => {
    await ctx.admin.reset();
    await ctx.admin.clearFaults();
    await ctx.admin.setRateLimits({ vendor: "mailjet", limit: 300, windowMs: 60_000 });
  });

  async function calls(): Promise<string[]> {
    return (await ctx.admin.requestCounts())
      .filter((c) => c.vendor === "mailjet")
      .flatMap((c) => Array.from({ length: c.count }, () => `${c.method} ${c.route} ${c.status}`))
      .sort();
  }
  const withoutProvider = (props: Record<string, unknown> | undefined) => {
    const { __provider: _p, ...rest } = props ?? {};
    return rest;
  };

  it("creates a template with two calls, reads it back unchanged, and sends the headers as mailjet.md spells them", async () => {
    const created = await T.create!(base);
    // The owner type's templates listed (once per run), then the metadata and the content.
    expect(await calls()).toEqual(["GET /v3/REST/template 200", "POST /v3/REST/template 201", "POST /v3/REST/template/{id}/detailcontent 201"]);
    expect(created.outs).toMatchObject({ templateId: Number(created.id), ownerId: expect.any(Number), editMode: "html" });
    const stored = await ctx.admin.getObject("mailjet", "template", created.id);
    expect(stored).toMatchObject({ Name: "Receipt", EditMode: 2, Purposes: ["transactional"], Categories: ["billing"], Description: "Sent after payment" });
    const content = await ctx.admin.getObject("mailjet", "template_detailcontent", created.id);
    expect(content).toEqual({
      Headers: { From: "Shop <shop@example.com>", Subject: "Your receipt", "Reply-to": "help@example.com" },
      "Html-part": "<p>Thanks</p>",
      "Text-part": "Thanks",
      MJMLContent: "",
    });
    const read = await T.read!(created.id, created.outs);
    expect(withoutProvider(read.props)).toEqual(created.outs);
    expect((await T.diff!(created.id, read.props!, base)).changes).toBe(false);

    await ctx.admin.resetRequestCounts();
    const bare = await T.create!({ name: "Bare" });
    expect(await calls(), "no content: no content call; the listing is the run's").toEqual(["POST /v3/REST/template 201"]);
    const bareRead = await T.read!(bare.id, bare.outs);
    expect((await T.diff!(bare.id, bareRead.props!, { name: "Bare" })).changes).toBe(false);
  });

  it("makes the fewest calls: one PUT of the changed metadata only, one POST of the content", async () => {
    const created = await T.create!(base);
    const step = async (olds: Record<string, unknown>, news: Record<string, unknown>) => {
      await ctx.admin.resetRequestCounts();
      const { outs } = await T.update!(created.id, olds, news);
      return { outs, calls: await calls() };
    };
    const desc = await step(created.outs, { ...base, description: "New" });
    expect(desc.calls).toEqual(["PUT /v3/REST/template/{id} 200"]);

    const html = { ...base, description: "New", content: { ...base.content, html: "<p>New</p>" } };
    const h = await step(desc.outs, html);
    expect(h.calls).toEqual(["POST /v3/REST/template/{id}/detailcontent 201"]);

    const both = { ...html, name: "Receipt 2", categories: ["billing", "eu"], content: { headers: { Subject: "Only subject" } } };
    const b = await step(h.outs, both);
    expect(b.calls).toEqual(["POST /v3/REST/template/{id}/detailcontent 201", "PUT /v3/REST/template/{id} 200"]);
    const live = await ctx.admin.getObject("mailjet", "template", created.id);
    expect(live).toMatchObject({ Name: "Receipt 2", Categories: ["billing", "eu"], Description: "New" });
    expect(await ctx.admin.getObject("mailjet", "template_detailcontent", created.id)).toEqual({
      Headers: { Subject: "Only subject" },
      "Html-part": "",
      "Text-part": "",
      MJMLContent: "",
    });
    const read = await T.read!(created.id, b.outs);
    expect((await T.diff!(created.id, read.props!, both)).changes).toBe(false);
  });

  it("sends only the changed properties, so a PUT that Mailjet finds unchanged (304) is a success", async () => {
    const created = await T.create!(base);
    // Out of band, the description already became what the stack file now says.
    await ctx.admin.patchObject("mailjet", "template", created.id, { Description: "Already" });
    await ctx.admin.resetRequestCounts();
    const { outs } = await T.update!(created.id, created.outs, { ...base, description: "Already" });
    expect(await calls()).toEqual(["PUT /v3/REST/template/{id} 304"]);
    expect(outs).toMatchObject({ templateId: Number(created.id), description: "Already" });
  });

  it("leaves Author and Copyright alone: no stack field sets them, so a change there is no drift", async () => {
    const created = await T.create!({ ...base });
    await ctx.admin.patchObject("mailjet", "template", created.id, { Copyright: "Someone", Author: "Drifted" });
    const read = await T.read!(created.id, created.outs);
    expect(read.inputs).not.toHaveProperty("author");
    expect(read.inputs).not.toHaveProperty("copyright");
    const diff = await T.diff!(created.id, read.props!, { ...base });
    expect(diff.changes).toBe(false);
  });

  it("adopts a template by ownerType and name only with adopt", async () => {
    const existing = await T.create!({ name: "Welcome", content: { html: "<p>old</p>" } });
    await T.create!({ name: "Welcome", ownerType: "user" }); // other owner type: another natural key
    await expect(T.create!({ name: "Welcome" })).rejects.toThrow(
      /Mailjet template: one already exists with ownerType "apikey" and name "Welcome" \(id \d+\)\..*set `adopt: true`/,
    );
    await ctx.admin.resetRequestCounts();
    newRun(); // adoption happens in a later run, which looks the template up again
    const adopted = await T.create!({ name: "Welcome", editMode: "html", content: { html: "<p>new</p>" }, adopt: true });
    expect(adopted.id).toBe(existing.id);
    expect(await calls()).toEqual([
      "GET /v3/REST/template 200",
      "GET /v3/REST/template/{id}/detailcontent 200",
      "POST /v3/REST/template/{id}/detailcontent 201",
      "PUT /v3/REST/template/{id} 200",
    ]);
    expect(await ctx.admin.getObject("mailjet", "template", existing.id)).toMatchObject({ EditMode: 2 });
  });

  it("changes a template's ownerType in place with one PUT: the id senders use stays the same", async () => {
    const created = await T.create!(base);
    const toUser = { ...base, ownerType: "user" };
    const diff = await T.diff!(created.id, created.outs, toUser);
    expect(diff).toMatchObject({ changes: true });
    expect(diff.replaces ?? [], "ownerType is writable at Mailjet: no replacement").toEqual([]);
    await ctx.admin.resetRequestCounts();
    const { outs } = await T.update!(created.id, created.outs, toUser);
    expect(await calls()).toEqual(["PUT /v3/REST/template/{id} 200"]);
    expect(outs).toMatchObject({ templateId: Number(created.id), ownerType: "user", ownerId: USER_ID });
    expect(await ctx.admin.getObject("mailjet", "template", created.id)).toMatchObject({ ID: Number(created.id), OwnerType: "user", OwnerId: USER_ID });
    const read = await T.read!(created.id, outs);
    expect(read.id).toBe(created.id);
    expect((await T.diff!(created.id, read.props!, toUser)).changes).toBe(false);
    // And back: the template is the calling key's again.
    await T.update!(created.id, read.props!, base);
    expect(await ctx.admin.getObject("mailjet", "template", created.id)).toMatchObject({ OwnerType: "apikey", OwnerId: created.outs.ownerId });
  });

  it("drops a template that is gone from state on read, and deletes quietly", async () => {
    const created = await T.create!({ name: "Gone" });
    await ctx.admin.deleteObject("mailjet", "template", created.id);
    expect((await T.read!(created.id, created.outs)).id).toBeUndefined();
    await T.delete!(created.id, created.outs);
  });

  it("removes a template whose content failed, so the next run is not blocked", async () => {
    await ctx.admin.addFault({ vendor: "mailjet", route: "POST /v3/REST/template/{id}/detailcontent", kind: "500", rate: 1 });
    await expect(T.create!(base)).rejects.toThrow(/Mailjet: POST \/template\/\d+\/detailcontent answered 500/);
    expect(await ctx.admin.listObjects("mailjet", "template")).toEqual([]);
  });

  it("keeps an API key's secret from state on read and updates in place with one PUT", async () => {
    const created = await K.create!({ name: "Reporting" });
    const secret = created.outs.secretKey as string;
    expect(secret).toMatch(/^[0-9a-f]{32}$/);
    expect(created.outs).toMatchObject({ name: "Reporting", active: true, keyId: Number(created.id), apiKey: expect.stringMatching(/^[0-9a-f]{32}$/) });
    const read = await K.read!(created.id, created.outs);
    expect(withoutProvider(read.props)).toEqual(created.outs);
    expect((await K.diff!(created.id, read.props!, { name: "Reporting" })).changes).toBe(false);

    await ctx.admin.resetRequestCounts();
    const off = await K.update!(created.id, read.props!, { name: "Reporting", active: false });
    expect(await calls()).toEqual(["PUT /v3/REST/apikey/{id} 200"]);
    expect(off.outs).toMatchObject({ active: false, secretKey: secret });
    expect(await ctx.admin.getObject("mailjet", "apikey", created.id)).toMatchObject({ IsActive: false, Name: "Reporting" });
  });

  it("adopts an API key by name (never the master key), without a secret, only with adopt", async () => {
    const created = await K.create!({ name: "CI" });
    await expect(K.create!({ name: "CI" })).rejects.toThrow(/set `adopt: true`/);
    const adopted = await K.create!({ name: "CI", active: false, adopt: true });
    expect(adopted.id).toBe(created.id);
    expect(adopted.outs).not.toHaveProperty("secretKey");
    expect(await ctx.admin.getObject("mailjet", "apikey", created.id)).toMatchObject({ IsActive: false });
    await mailjet().create("/apikey", { Name: "CI" }); // Mailjet does not keep key names unique
    newRun(); // a later run lists again
    await expect(K.create!({ name: "CI", adopt: true })).rejects.toThrow(/2 existing objects/);
    const master = (await ctx.admin.listObjects<{ Name: string; IsMaster: boolean }>("mailjet", "apikey")).find((k) => k.IsMaster)!;
    const fresh = await K.create!({ name: master.Name });
    expect(fresh.outs.secretKey).toBeTypeOf("string");
  });

  it("pages through a list until a short page, and retries past the per-minute limit", async () => {
    for (let i = 0; i < 12; i++) await mailjet().create("/contactslist", { Name: `L${i}` });
    await ctx.admin.resetRequestCounts();
    const all = await mailjet().list<{ Name: string }>("/contactslist", {}, 5);
    expect(all.map((l) => l.Name)).toEqual(Array.from({ length: 12 }, (_, i) => `L${i}`));
    expect(await calls()).toEqual(Array(3).fill("GET /v3/REST/contactslist 200"));

    await ctx.admin.setRateLimits({ vendor: "mailjet", limit: 2, windowMs: 1500 });
    const created = await T.create!(base);
    const read = await T.read!(created.id, created.outs);
    expect(read.id).toBe(created.id);
    const counts = await calls();
    expect(counts.filter((c) => c.endsWith(" 429")).length).toBeGreaterThan(0);
  });

  it("reports Mailjet's own message, with the credentials redacted", async () => {
    await expect(T.create!({ name: "Bad", locale: "english" })).rejects.toThrow(/Mailjet: POST \/template answered 400: Invalid value for property "Locale"/);
    process.env.MJ_APIKEY_PRIVATE = "wrong-secret-value";
    try {
      const err = await T.read!("1", {}).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(VendorError);
      expect((err as VendorError).status).toBe(401);
      expect(String(err)).not.toContain("wrong-secret-value");
    } finally {
      process.env.MJ_APIKEY_PRIVATE = SECRET;
    }
  });
});

/**
 * Credentials in a URL (`https://user:password@host/...`) would be committed with the stack file,
 * kept in Pulumi state and shown in plans and drift reports: `mailform validate` refuses them in
 * every URL field of every kind, located at the credentials and without printing them, and
 * `mailform export` does not write a live object whose URL carries them. (The invalid corpus has
 * the full messages: test/config/invalid/url-with-credentials.yaml.)
 */
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { formatErrors, loadStackText, STACK_SCHEMA } from "../../config";
import { KINDS } from "../../providers/kinds";
import { eventCallback } from "../../providers/mailjet/event-callback";
import { eventWebhook } from "../../providers/sendgrid/event-webhook";
import { parseSetting } from "../../providers/sendgrid/parse-setting";

type Props = Record<string, { pattern?: string; format?: string }>;
const definitions = STACK_SCHEMA.definitions as unknown as Record<string, { properties?: Props }>;

/** `<kind>.<field>` for every field of a kind whose schema wants a URL. */
const URL_FIELDS = KINDS.flatMap((def) =>
  Object.entries(definitions[def.schema]?.properties ?? {})
    .filter(([, p]) => p.format === "uri" || /^\^https\?:\/\//.test(p.pattern ?? ""))
    .map(([field]) => `${def.kind}.${field}`),
);

/** A stack with one entry whose URL field is `url`, and the path of that field. */
const STACKS: Record<string, (url: string) => { stack: unknown; path: string }> = {
  "sendgrid:EventWebhook.url": (url) => ({ stack: { sendgrid: { eventWebhooks: { hook: { url } } } }, path: "sendgrid.eventWebhooks.hook.url" }),
  "mailjet:EventCallback.url": (url) => ({
    stack: { mailjet: { eventCallbacks: { cb: { eventType: "open", url } } } },
    path: "mailjet.eventCallbacks.cb.url",
  }),
  "mailjet:ParseRoute.url": (url) => ({ stack: { mailjet: { parseRoutes: { inbound: { url } } } }, path: "mailjet.parseRoutes.inbound.url" }),
  "sendgrid:ParseSetting.url": (url) => ({
    stack: { sendgrid: { parseSettings: { inbound: { hostname: "parse.example.com", url } } } },
    path: "sendgrid.parseSettings.inbound.url",
  }),
  "mailtrap:Webhook.url": (url) => ({ stack: { mailtrap: { webhooks: { audit: { url, type: "audit_log" } } } }, path: "mailtrap.webhooks.audit.url" }),
};

describe("a URL with credentials in it", () => {
  it("every URL field of every kind is covered here", () => {
    expect(URL_FIELDS.sort()).toEqual(Object.keys(STACKS).sort());
  });

  const rows = Object.keys(STACKS).flatMap((field) =>
    [
      ["user and password", "https://alerts:Sup3r-Secret@hooks.example.com/in", "Sup3r-Secret"],
      ["a token as the user", "https://tok_9f8e7d6c5b4a@hooks.example.com/in", "tok_9f8e7d6c5b4a"],
    ].map(([what, url, secret]) => [field, what!, url!, secret!] as const),
  );

  it.each(rows)("%s, %s: refused by validate, located at the credentials, which are not printed", (field, _what, url, secret) => {
    const { stack, path } = STACKS[field]!(url);
    const text = stringify(stack);
    const loaded = loadStackText("stack.yaml", text);
    expect(loaded.ok, "loaded without errors").toBe(false);
    if (loaded.ok) return;
    expect(loaded.errors.map((e) => [e.code, e.path])).toEqual([["PASTED_SECRET", path]]);
    const [error] = loaded.errors;
    const line = text.split("\n")[error!.line - 1]!;
    expect(line.slice(error!.column - 1)).toMatch(new RegExp(`^[^@]*${secret}@`));
    expect(formatErrors(loaded.errors)).not.toContain(secret);
  });

  it.each(Object.keys(STACKS))("%s: the same URL without credentials is fine", (field) => {
    const loaded = loadStackText("stack.yaml", stringify(STACKS[field]!("https://hooks.example.com/in?user=alerts").stack));
    expect(loaded.ok ? [] : loaded.errors.map((e) => e.problem)).toEqual([]);
  });

  it("export writes no entry for a live webhook or callback whose URL carries credentials", () => {
    const hook = eventWebhook.export!.entry(
      { id: "w1", inputs: { url: "https://alerts:Sup3r-Secret@hooks.example.com/in", enabled: true, events: ["bounce"] }, outs: { webhookId: "w1", publicKey: "" } },
      { key: () => undefined },
    );
    expect(hook).toEqual({ label: "hooks.example.com/in", reason: expect.stringMatching(/URL carries credentials/) });
    const callback = eventCallback.export!.entry(
      { id: "1", inputs: { eventType: "open", url: "https://alerts:Sup3r-Secret@hooks.example.com/in", status: "alive", version: 1 }, outs: { callbackId: 1 } },
      { key: () => undefined },
    );
    expect(callback).toEqual({ label: "open", reason: expect.stringMatching(/URL carries credentials/) });
    const parse = parseSetting.export!.entry(
      { id: "parse.example.com", inputs: { hostname: "parse.example.com", url: "https://alerts:Sup3r-Secret@hooks.example.com/in", spamCheck: false, sendRaw: false }, outs: {} },
      { key: () => undefined },
    );
    expect(parse).toEqual({ label: "parse.example.com", reason: expect.stringMatching(/URL \(https:\/\/hooks\.example\.com\/in\) carries credentials/) });
    expect(JSON.stringify([hook, callback, parse])).not.toContain("Sup3r-Secret");
  });
});

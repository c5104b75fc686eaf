/**
 * The secrets an entry names by stack config key (an event webhook's `oauth.clientSecretConfig`)
 * are checked against the stack's config where the loader is given it (the Pulumi program):
 * missing or plaintext is a located STACK_CONFIG error; `mailform validate`, which has no stack
 * config, does not check. test/e2e/sendgrid-senders-parse.test.ts shows it through the engine.
 */
import { describe, expect, it } from "vitest";
import { formatErrors, loadStackText, type StackConfigLookup } from "../../config";

const STACK = `sendgrid:
  eventWebhooks:
    delivery:
      url: https://hooks.example.com/sendgrid
      oauth:
        clientId: sendgrid-events
        tokenUrl: https://auth.example.com/oauth/token
        clientSecretConfig: eventsOauthSecret
    other:
      url: https://hooks.example.com/other
`;

const lookup = (held: Record<string, "secret" | "plain">): StackConfigLookup => (key) => held[key];
const load = (stackConfig?: StackConfigLookup) => loadStackText("stacks/prod.yaml", STACK, { stackConfig });

describe("secrets named by stack config key", () => {
  it("a key the stack's config does not hold: located at the field, with the command to set it", () => {
    const loaded = load(lookup({ "mailform:otherKey": "secret" }));
    expect(loaded.ok).toBe(false);
    if (loaded.ok) return;
    expect(loaded.errors.map((e) => [e.code, `${e.line}:${e.column}`, e.path, e.problem, e.fix])).toEqual([
      [
        "STACK_CONFIG",
        "8:29",
        "sendgrid.eventWebhooks.delivery.oauth.clientSecretConfig",
        "the stack config key mailform:eventsOauthSecret is not set",
        "set it: pulumi config set --secret mailform:eventsOauthSecret <value>",
      ],
    ]);
    expect(formatErrors(loaded.errors)).toMatch(/stacks\/prod\.yaml:8:29 {2}error {2}sendgrid\.eventWebhooks\.delivery\.oauth\.clientSecretConfig: the stack config key/);
  });

  it("a key held in plaintext: refused, since Pulumi.<stack>.yaml is kept in git", () => {
    const loaded = load(lookup({ "mailform:eventsOauthSecret": "plain" }));
    expect(loaded.ok).toBe(false);
    if (loaded.ok) return;
    expect(loaded.errors.map((e) => [e.code, e.problem])).toEqual([
      ["STACK_CONFIG", "the stack config key mailform:eventsOauthSecret holds the secret in plaintext (in Pulumi.<stack>.yaml, which is kept in git)"],
    ]);
    expect(loaded.errors[0]!.fix).toMatch(/pulumi config set --secret mailform:eventsOauthSecret/);
  });

  it("a key held as a secret passes; without the stack's config (mailform validate) nothing is checked", () => {
    expect(load(lookup({ "mailform:eventsOauthSecret": "secret" })).ok).toBe(true);
    expect(load().ok).toBe(true);
  });
});

/**
 * Inbound parse settings, `/v3/user/webhooks/parse/settings` (tsg_webhooks_v3.json): mail received
 * at `hostname` is parsed and posted to `url`. POST creates one (`hostname` and `url` required,
 * `spam_check` and `send_raw` false by default), `GET` lists them as `{result}`, `GET|PATCH|DELETE
 * .../{hostname}` read, change (`url`, `spam_check`, `send_raw`; the hostname is the id and does
 * not change) and remove one. A hostname is used once per account (host names compared without
 * letter case).
 *
 * The document's description requires the hostname to belong to a domain authenticated on the
 * account, but gives no answer for one that does not: the emulator does not check it. It documents
 * no 400 either; a missing or invalid field is answered with SendGrid's general 400
 * `{errors: [{field, message}]}`.
 */
import type { VendorStore } from "../core/store";
import type { EmuResponse } from "../core/types";
import { route, type SgContext } from "./context";
import { fail, objectBody, Validator } from "./errors";

export interface ParseSettingRecord {
  owner: string;
  hostname: string;
  url: string;
  spam_check: boolean;
  send_raw: boolean;
}

const COLLECTION = "parse_settings";
const HOST = /^(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))+$/;
const URL_PATTERN = /^https?:\/\/[^\s/]+/;

export function parseSettings(store: VendorStore) {
  return store.collection<ParseSettingRecord>(COLLECTION);
}

const recordId = (owner: string, hostname: string) => (owner === "" ? hostname : `${owner}/${hostname}`);

function own(ctx: SgContext): ParseSettingRecord[] {
  return parseSettings(ctx.store).list().filter((p) => p.owner === ctx.caller.owner);
}

function ownSetting(ctx: SgContext): ParseSettingRecord {
  const hostname = (ctx.params.hostname ?? "").toLowerCase();
  const found = own(ctx).find((p) => p.hostname === hostname);
  if (!found) throw fail(404, "resource not found", "hostname");
  return found;
}

const render = ({ owner: _owner, ...shown }: ParseSettingRecord) => shown;

/** `url`, `spam_check` and `send_raw` of a body, validated (`url` required on create). */
function settings(v: Validator, body: Record<string, unknown>, creating: boolean): Partial<ParseSettingRecord> {
  const url = v.string(body, "url", { required: creating });
  if (url !== undefined && !URL_PATTERN.test(url)) v.add("url", "url must be a valid http or https URL");
  const spam = v.boolean(body, "spam_check");
  const raw = v.boolean(body, "send_raw");
  return Object.fromEntries(Object.entries({ url, spam_check: spam, send_raw: raw }).filter(([, x]) => x !== undefined));
}

function create(ctx: SgContext): EmuResponse {
  const body = objectBody(ctx.body);
  const v = new Validator();
  const given = v.string(body, "hostname", { required: true, max: 253 });
  const hostname = given?.trim().toLowerCase().replace(/\.$/, "");
  if (hostname !== undefined && !HOST.test(hostname)) v.add("hostname", "hostname must be a valid host name, such as parse.example.com");
  const fields = settings(v, body, true);
  v.check();
  if (own(ctx).some((p) => p.hostname === hostname)) throw fail(400, "A parse setting for this hostname already exists", "hostname");
  const record: ParseSettingRecord = { owner: ctx.caller.owner, hostname: hostname!, url: "", spam_check: false, send_raw: false, ...fields };
  return { status: 201, body: render(parseSettings(ctx.store).set(recordId(record.owner, record.hostname), record)) };
}

export function parseRoutes() {
  const P = "/v3/user/webhooks/parse/settings";
  return [
    route("POST", P, "user.webhooks.parse.settings.create", create),
    route("GET", P, "user.webhooks.parse.settings.read", (ctx) => ({ status: 200, body: { result: own(ctx).map(render) } })),
    route("GET", `${P}/{hostname}`, "user.webhooks.parse.settings.read", (ctx) => ({ status: 200, body: render(ownSetting(ctx)) })),
    route("PATCH", `${P}/{hostname}`, "user.webhooks.parse.settings.update", (ctx) => {
      const found = ownSetting(ctx);
      const v = new Validator();
      const fields = settings(v, objectBody(ctx.body), false);
      v.check();
      const next = { ...found, ...fields };
      return { status: 200, body: render(parseSettings(ctx.store).set(recordId(found.owner, found.hostname), next)) };
    }),
    route("DELETE", `${P}/{hostname}`, "user.webhooks.parse.settings.delete", (ctx) => {
      const found = ownSetting(ctx);
      parseSettings(ctx.store).delete(recordId(found.owner, found.hostname));
      return { status: 204 };
    }),
  ];
}

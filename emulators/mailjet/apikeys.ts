/**
 * `apikey`: the account's API keys. The master key is the configured credential; it exists from
 * the first authenticated request on. A key created through the API shows its `SecretKey` in the
 * POST answer only; it authenticates like the master key while `IsActive` is true.
 */
import { randomBytes } from "node:crypto";
import type { VendorStore } from "../core/store";
import type { RouteContext } from "../core/types";
import type { EmulatorCredentials } from "../credentials";
import { badRequest, forbidden } from "./errors";
import { byBool, byString, timestamp, type Json, type ResourceSpec } from "./rest";

/** The account's user id (`UserID` of every key, `OwnerId` of `user` templates). */
export const USER_ID = 5000001;
export const MASTER_KEY_NAME = "Master API Key";

const COLLECTION = "apikey";
const ID_START = 200001;

function keyDefaults(): Json {
  return { CreatedAt: timestamp(), IsMaster: false, QuarantineValue: 0, Runlevel: "Normal", TrackHost: "", UserID: USER_ID };
}

/** Creates the master key's record when the store has none (a fresh or reset emulator). */
export function ensureMasterKey(store: VendorStore, credentials: EmulatorCredentials): Json {
  const keys = store.collection<Json>(COLLECTION);
  const master = keys.list().find((k) => k.IsMaster === true);
  if (master) return master;
  const id = store.nextId(COLLECTION, ID_START);
  // The master secret is the configured credential: it is compared there, never stored.
  return keys.set(id, {
    ID: id,
    Name: MASTER_KEY_NAME,
    ACL: "",
    IsActive: true,
    APIKey: credentials.mailjet.apiKey,
    ...keyDefaults(),
    IsMaster: true,
  });
}

/** The principal (a public API key) of a request with these Basic credentials, if any. */
export function authenticateKey(
  store: VendorStore,
  credentials: EmulatorCredentials,
  user: string,
  password: string,
): string | undefined {
  if (user === credentials.mailjet.apiKey && password === credentials.mailjet.secretKey) {
    ensureMasterKey(store, credentials);
    return user;
  }
  const key = store
    .collection<Json>(COLLECTION)
    .list()
    .find((k) => k.IsMaster !== true && k.APIKey === user && k.SecretKey === password);
  return key && key.IsActive === true ? user : undefined;
}

/** The key record of the caller. */
export function callerKey(ctx: RouteContext): Json {
  const keys = ctx.store.collection<Json>(COLLECTION).list();
  return keys.find((k) => k.APIKey === ctx.principal) ?? ensureMasterKey(ctx.store, ctx.credentials);
}

export function keyById(store: VendorStore, id: unknown): Json | undefined {
  return typeof id === "number" ? store.collection<Json>(COLLECTION).get(id) : undefined;
}

const hex = (bytes: number) => randomBytes(bytes).toString("hex");

export const apikeySpec: ResourceSpec = {
  name: COLLECTION,
  idStart: ID_START,
  writable: {
    Name: { type: "string", required: true, nonEmpty: true },
    ACL: { type: "string", default: "" },
    IsActive: { type: "boolean", default: true },
  },
  readOnly: ["ID", "APIKey", "SecretKey", "CreatedAt", "IsMaster", "QuarantineValue", "Runlevel", "TrackHost", "UserID"],
  filters: { APIKey: byString("APIKey"), IsActive: byBool("IsActive"), IsMaster: byBool("IsMaster"), Name: byString("Name") },
  init: () => ({ APIKey: hex(16), SecretKey: hex(16), ...keyDefaults() }),
  lookupKey: (_ctx, raw, all) => all.find((k) => k.APIKey === raw),
  validate(_ctx, candidate) {
    if (candidate.IsMaster === true && candidate.IsActive !== true) throw badRequest("The master API key cannot be deactivated");
  },
  render: ({ SecretKey: _secret, ...shown }) => shown,
  renderCreated: (record) => ({ ...record }),
  beforeDelete(_ctx, record) {
    if (record.IsMaster === true) throw forbidden("The master API key cannot be deleted");
  },
};

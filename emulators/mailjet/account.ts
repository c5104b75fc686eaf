/**
 * The account's own objects, one each, read and changed but never created nor deleted, as the SDK
 * declares them (mailjet-sdk-types/Setting.ts, `AccountSetting`): `user` (`PutUserBody`: every
 * field but `ID`, `CreatedAt`, `FirstIp`, `MaxAllowedAPIKeys`, `WarnedRatelimitAt`) and `myprofile`
 * (`PutMyProfileBody`: every field but `ID`, `VAT`, `UserID`). `GET /v3/REST/<name>` answers the
 * one object in the envelope; `PUT` changes the given fields (304 when nothing changes).
 */
import type { Route } from "../core/types";
import { REST, ok, updateRecord, timestamp, type Json, type ResourceSpec } from "./rest";

const text = { type: "string" as const };
const int = { type: "integer" as const };

export const userSpec: ResourceSpec = {
  name: "user",
  idStart: 1,
  writable: { ACL: text, Email: text, LastLoginAt: text, Locale: text, Timezone: text, Username: text, LastIp: text },
  readOnly: ["ID", "CreatedAt", "FirstIp", "MaxAllowedAPIKeys", "WarnedRatelimitAt"],
  filters: {},
  init: () => ({}),
};

export const myprofileSpec: ResourceSpec = {
  name: "myprofile",
  idStart: 1,
  writable: {
    ...Object.fromEntries(
      [
        "AddressCity", "AddressCountry", "AddressPostalCode", "AddressState", "AddressStreet", "BillingEmail", "BirthdayAt", "CompanyName",
        "CompanyNumOfEmployees", "ContactPhone", "Features", "Firstname", "JobTitle", "Lastname", "VATNumber", "Website",
      ].map((f) => [f, text]),
    ),
    EstimatedVolume: int,
    Industry: int,
  },
  readOnly: ["ID", "VAT", "UserID"],
  filters: {},
  init: () => ({}),
};

const NEW_ACCOUNT: Record<string, () => Json> = {
  user: () => ({
    ID: 1, ACL: "", Email: "owner@example.com", LastLoginAt: "", Locale: "en_US", Timezone: "Europe/Paris", CreatedAt: timestamp(),
    FirstIp: "127.0.0.1", LastIp: "127.0.0.1", MaxAllowedAPIKeys: 50, Username: "owner@example.com", WarnedRatelimitAt: "",
  }),
  myprofile: () => ({
    ID: 1, AddressCity: "", AddressCountry: "", AddressPostalCode: "", AddressState: "", AddressStreet: "", BillingEmail: "", BirthdayAt: "",
    CompanyName: "", CompanyNumOfEmployees: "", ContactPhone: "", EstimatedVolume: 0, Features: "", Firstname: "", Industry: 0, JobTitle: "",
    Lastname: "", VATNumber: "", Website: "", VAT: 0, UserID: 1,
  }),
};

export function accountRoutes(): Route[] {
  return [userSpec, myprofileSpec].flatMap((spec): Route[] => {
    const one = (ctx: Parameters<Route["handle"]>[0]): Json => {
      const all = ctx.store.collection<Json>(spec.name);
      return all.get(1) ?? all.set(1, NEW_ACCOUNT[spec.name]!());
    };
    return [
      { method: "GET", pattern: `${REST}/${spec.name}`, handle: (ctx) => ok([one(ctx)]) },
      { method: "PUT", pattern: `${REST}/${spec.name}`, handle: (ctx) => updateRecord(ctx, spec, one(ctx)) },
    ];
  });
}

/**
 * The related resources: `contactslist`, `sender` (its `Email` cannot change) and
 * `eventcallbackurl` (webhooks). Their list filters are not in our guides; the emulator
 * offers the obvious ones (named in each spec below).
 */
import { callerKey, keyById } from "./apikeys";
import { badRequest } from "./errors";
import { byBool, byInteger, byString, timestamp, type Json, type ResourceSpec } from "./rest";
import { randomBytes } from "node:crypto";
import type { VendorStore } from "../core/store";

const EMAIL = /^(\*|[^@\s*]+)@[^@\s]+\.[^@\s]+$/;

export const contactslistSpec: ResourceSpec = {
  name: "contactslist",
  idStart: 40001,
  writable: {
    Name: { type: "string", required: true, nonEmpty: true },
    IsDeleted: { type: "boolean", default: false },
  },
  readOnly: ["ID", "Address", "CreatedAt", "SubscriberCount"],
  filters: { Address: byString("Address"), IsDeleted: byBool("IsDeleted"), Name: byString("Name") },
  init: () => ({ Address: randomBytes(5).toString("hex"), CreatedAt: timestamp(), SubscriberCount: 0 }),
  validate(ctx, candidate, current) {
    const clash = ctx.store
      .collection<Json>("contactslist")
      .list()
      .find((l) => l.ID !== current?.ID && l.Name === candidate.Name);
    if (clash) throw badRequest(`A contacts list with the name "${String(candidate.Name)}" already exists (ID ${String(clash.ID)})`);
  },
};

const localPart = (email: unknown) => String(email).slice(0, String(email).lastIndexOf("@"));
const domain = (email: unknown) => String(email).slice(String(email).lastIndexOf("@") + 1);

export const senderSpec: ResourceSpec = {
  name: "sender",
  idStart: 50001,
  writable: {
    Email: {
      type: "string",
      required: true,
      createOnly: true,
      check: (v) => (EMAIL.test(v as string) ? undefined : `expected an email address (or *@domain), got "${String(v)}"`),
    },
    EmailType: { type: "string", values: ["transactional", "bulk", "unknown"], default: "unknown" },
    IsDefaultSender: { type: "boolean", default: false },
    Name: { type: "string", default: "" },
  },
  readOnly: ["ID", "CreatedAt", "DNSID", "Status"],
  filters: {
    Domain: (r, v) => domain(r.Email) === v,
    Email: byString("Email"),
    LocalPart: (r, v) => localPart(r.Email) === v,
    Status: byString("Status"),
  },
  init: (ctx, fields) => ({ CreatedAt: timestamp(), DNSID: dnsFor(ctx.store, domain(fields.Email)).ID, Status: "Inactive" }),
  lookupKey: (_ctx, raw, all) => all.find((s) => s.Email === raw),
  validate(ctx, candidate, current) {
    const clash = ctx.store
      .collection<Json>("sender")
      .list()
      // An address is one sender whatever the case of its letters.
      .find((s) => s.ID !== current?.ID && String(s.Email).toLowerCase() === String(candidate.Email).toLowerCase());
    if (clash) throw badRequest(`A sender with the email "${String(candidate.Email)}" already exists (ID ${String(clash.ID)})`);
  },
};

export const EVENT_TYPES = ["open", "click", "bounce", "spam", "blocked", "unsub", "sent"] as const;

export const eventcallbackurlSpec: ResourceSpec = {
  name: "eventcallbackurl",
  idStart: 60001,
  writable: {
    APIKeyID: { type: "integer", defaultFrom: (ctx) => callerKey(ctx).ID },
    EventType: { type: "string", values: EVENT_TYPES, default: "open" },
    IsBackup: { type: "boolean", default: false },
    Status: { type: "string", values: ["alive", "dead"], default: "alive" },
    Url: {
      type: "string",
      required: true,
      check: (v) => (/^https?:\/\/[^\s/]+/.test(v as string) ? undefined : `expected an http(s) URL, got "${String(v)}"`),
    },
    Version: { type: "integer", values: [1, 2], default: 1 },
  },
  readOnly: ["ID"],
  filters: {
    APIKeyID: byInteger("APIKeyID"),
    EventType: byString("EventType"),
    IsBackup: byBool("IsBackup"),
    Status: byString("Status"),
  },
  init: () => ({}),
  validate(ctx, candidate, current) {
    if (!keyById(ctx.store, candidate.APIKeyID)) throw badRequest(`No API key with ID ${String(candidate.APIKeyID)}`);
    const clash = ctx.store
      .collection<Json>("eventcallbackurl")
      .list()
      .find(
        (e) =>
          e.ID !== current?.ID &&
          e.APIKeyID === candidate.APIKeyID &&
          e.EventType === candidate.EventType &&
          e.IsBackup === candidate.IsBackup,
      );
    if (clash) {
      throw badRequest(
        `An event callback URL for EventType "${String(candidate.EventType)}"${candidate.IsBackup ? " (backup)" : ""} already exists (ID ${String(clash.ID)})`,
      );
    }
  },
};

/**
 * `parseroute` (inbound parse), as the SDK declares it (mailjet-sdk-types/Parse.ts): `Url` required
 * on create; `Email`, the address whose mail is parsed and posted to `Url`, assigned by Mailjet at
 * `parse-in1.mailjet.com` when not given, one route per address; `APIKeyID` the caller's key by
 * default. The SDK declares no list filters, so none are offered.
 */
export const parserouteSpec: ResourceSpec = {
  name: "parseroute",
  idStart: 70001,
  writable: {
    APIKeyID: { type: "integer", defaultFrom: (ctx) => callerKey(ctx).ID },
    Email: {
      type: "string",
      defaultFrom: () => `${randomBytes(6).toString("hex")}@parse-in1.mailjet.com`,
      check: (v) => (EMAIL.test(v as string) && !String(v).startsWith("*") ? undefined : `expected an email address, got "${String(v)}"`),
    },
    Url: {
      type: "string",
      required: true,
      check: (v) => (/^https?:\/\/[^\s/]+/.test(v as string) ? undefined : `expected an http(s) URL, got "${String(v)}"`),
    },
  },
  readOnly: ["ID"],
  filters: {},
  init: () => ({}),
  validate(ctx, candidate, current) {
    if (!keyById(ctx.store, candidate.APIKeyID)) throw badRequest(`No API key with ID ${String(candidate.APIKeyID)}`);
    const clash = ctx.store
      .collection<Json>("parseroute")
      .list()
      .find((r) => r.ID !== current?.ID && String(r.Email).toLowerCase() === String(candidate.Email).toLowerCase());
    if (clash) throw badRequest(`A parse route for the email "${String(candidate.Email)}" already exists (ID ${String(clash.ID)})`);
  },
};

/**
 * `contactmetadata` (contact properties), as the SDK declares it (mailjet-sdk-types/Contact.ts,
 * `ContactProperties`): `Name` required and unique, `Datatype` one of `str`, `int`, `float`,
 * `bool`, `datetime` (`str` by default), `NameSpace` `static` or `historic` (`static` by default);
 * the PUT body has `Name` and `Datatype` only, so `NameSpace` is fixed after creation. List filters
 * as declared: `DataType` and `Namespace`.
 */
export const contactmetadataSpec: ResourceSpec = {
  name: "contactmetadata",
  idStart: 80001,
  writable: {
    Name: { type: "string", required: true, nonEmpty: true },
    Datatype: { type: "string", values: ["str", "int", "float", "bool", "datetime"], default: "str" },
    NameSpace: { type: "string", values: ["static", "historic"], default: "static", createOnly: true },
  },
  readOnly: ["ID"],
  filters: { DataType: byString("Datatype"), Namespace: byString("NameSpace") },
  init: () => ({}),
  validate(ctx, candidate, current) {
    const clash = ctx.store
      .collection<Json>("contactmetadata")
      .list()
      .find((p) => p.ID !== current?.ID && p.Name === candidate.Name);
    if (clash) throw badRequest(`A contact property named "${String(candidate.Name)}" already exists (ID ${String(clash.ID)})`);
  },
};

/**
 * `dns` (mailjet-sdk-types/SenderAddressAndDomain.ts, `DNS.DNS`): one per sending domain, made by
 * Mailjet when the domain's first sender is added (the sender's `DNSID`), read-only through the API:
 * the DKIM and SPF records to publish, their check status (`Not checked` until Mailjet checks;
 * tests set it through the admin surface), and the ownership token. Addressed by ID or domain name.
 */
export const DNS_COLLECTION = "dns";

export function dnsFor(store: VendorStore, name: string): Json {
  const all = store.collection<Json>(DNS_COLLECTION);
  const found = all.list().find((d) => String(d.Domain).toLowerCase() === name.toLowerCase());
  if (found) return found;
  const id = Math.max(90000, ...all.list().map((d) => Number(d.ID))) + 1;
  const token = randomBytes(16).toString("hex");
  return all.set(String(id), {
    ID: id,
    DKIMRecordName: `mailjet._domainkey.${name}`,
    DKIMRecordValue: `k=rsa; p=${randomBytes(96).toString("base64")}`,
    DKIMStatus: "Not checked",
    Domain: name,
    IsCheckInProgress: false,
    LastCheckAt: "",
    OwnerShipToken: token,
    OwnerShipTokenRecordName: `mailjet._${token.slice(0, 8)}.${name}`,
    SPFRecordValue: "v=spf1 include:spf.mailjet.com ~all",
    SPFStatus: "Not checked",
  });
}

export const dnsSpec: ResourceSpec = {
  name: "dns",
  idStart: 90001,
  writable: {},
  readOnly: ["ID", "DKIMRecordName", "DKIMRecordValue", "DKIMStatus", "Domain", "IsCheckInProgress", "LastCheckAt", "OwnerShipToken", "OwnerShipTokenRecordName", "SPFRecordValue", "SPFStatus"],
  filters: { IsCheckInProgress: byBool("IsCheckInProgress"), SPFStatus: byString("SPFStatus") },
  init: () => ({}),
  lookupKey: (_ctx, raw, all) => all.find((d) => String(d.Domain).toLowerCase() === raw.toLowerCase()),
};

/**
 * The contract-test table: each case names a documented operation (spec file, method, path
 * template, expected status), sets up what it needs through the vendor's own API and says which
 * request to send. `contract.test.ts` sends it, checks the request body against the operation's
 * request schema (unless the case sends bad input on purpose) and the answer against the
 * documented response schema for that status.
 */
import type { VendorName } from "../../../emulators";
import { DEFAULT_CREDENTIALS } from "../../../emulators/credentials";

export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface ContractRequest {
  /** Concrete request path (query string allowed). */
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** Send without the vendor's credentials. */
  anonymous?: boolean;
  /** The body breaks the request schema on purpose (a 4xx case): skip request validation. */
  invalidBody?: boolean;
}

/** Authenticated access to one vendor's emulator, for a case's set-up. */
export interface VendorApi {
  /** Sends an authenticated JSON request; throws unless the answer is 2xx. Answers the JSON body. */
  call(method: Method, path: string, body?: unknown): Promise<any>;
  /** An out-of-band change through the admin surface (what happens outside the API, e.g. an invitee accepting). */
  patchObject(collection: string, id: string, patch: Record<string, unknown>): Promise<unknown>;
  /** An object only the vendor's web UI makes (a person invited to a Mailtrap account), through the admin surface. */
  putObject(collection: string, id: string, object: Record<string, unknown>): Promise<unknown>;
}

export interface ContractCase {
  vendor: VendorName;
  /** Document path relative to the specs folder, e.g. `mailtrap/current/sandbox.openapi.yml`. */
  spec: string;
  method: Method;
  /** The path template exactly as the document's `paths` key. */
  path: string;
  status: number;
  /** Extra words for the test name. */
  note?: string;
  request(api: VendorApi): Promise<ContractRequest> | ContractRequest;
}

/** The headers that authenticate a request to each vendor's emulator with the default credentials. */
export const VENDOR_AUTH: Record<VendorName, Record<string, string>> = {
  mailtrap: { "Api-Token": DEFAULT_CREDENTIALS.mailtrap.apiToken },
  sendgrid: { Authorization: `Bearer ${DEFAULT_CREDENTIALS.sendgrid.apiKey}` },
  mailjet: {
    Authorization: `Basic ${Buffer.from(`${DEFAULT_CREDENTIALS.mailjet.apiKey}:${DEFAULT_CREDENTIALS.mailjet.secretKey}`).toString("base64")}`,
  },
};

/**
 * Settings of the emulated SendGrid account that SendGrid applies by itself, changed through the
 * admin surface (`GET|PUT /admin/account-settings/sendgrid`, see emulators/README.md):
 *
 * - `grantedScopes`: scopes SendGrid assigns by itself to every API key on some accounts
 *   (`2fa_exempt`, `sender_verification_exempt`, `sender_verification_legacy`, ...). Setting them
 *   adds them to every existing key of the account and to every key created from then on, and the
 *   account's own credential holds them (`GET /v3/scopes` lists them). `PUT /v3/api_keys/{id}`
 *   sets a key's scopes to the ones it is given (the API document: "The name and scopes fields
 *   will be used to update the key") plus those SendGrid grants every key: an account-assigned
 *   scope is kept only when the PUT sends it back, which a caller holding it may do.
 *
 * Stored with the vendor state: `POST /admin/reset` clears them, state files keep them.
 */
import type { VendorStore } from "../core/store";

/** The scopes an account may have SendGrid assign by itself. */
export const ACCOUNT_GRANTABLE_SCOPES: readonly string[] = [
  "2fa_required",
  "2fa_exempt",
  "sender_verification_eligible",
  "sender_verification_exempt",
  "sender_verification_legacy",
];

const COLLECTION = "account_settings";
const ID = "account";

export interface SendgridAccountSettings {
  grantedScopes: string[];
}

export function accountSettings(store: VendorStore): SendgridAccountSettings {
  const stored = store.collection<SendgridAccountSettings>(COLLECTION).get(ID);
  return { grantedScopes: [...(stored?.grantedScopes ?? [])] };
}

/** The scopes SendGrid assigns by itself on this account. */
export function accountGrantedScopes(store: VendorStore): readonly string[] {
  return accountSettings(store).grantedScopes;
}

/** Applies `change` (`{grantedScopes?: [...]}`); answers the settings after it, or what is wrong. */
export function changeAccountSettings(store: VendorStore, change: unknown): SendgridAccountSettings | string {
  if (!change || typeof change !== "object" || Array.isArray(change)) return "Expected the body to be a JSON object such as {\"grantedScopes\": [\"2fa_exempt\"]}";
  const next = accountSettings(store);
  for (const [name, value] of Object.entries(change)) {
    if (name !== "grantedScopes") return `Unknown SendGrid account setting "${name}" (known: grantedScopes)`;
    const valid = Array.isArray(value) && value.every((s) => typeof s === "string" && ACCOUNT_GRANTABLE_SCOPES.includes(s));
    if (!valid) return `Expected grantedScopes to be a list of ${ACCOUNT_GRANTABLE_SCOPES.join(", ")}`;
    next.grantedScopes = [...new Set(value as string[])];
  }
  store.collection<SendgridAccountSettings>(COLLECTION).set(ID, next);
  return next;
}

/**
 * Calls an emulated vendor API as a user would, with the demo credentials: the web UI stand-in
 * for objects made by hand before mailform manages an account. Fails the test on a non-2xx answer.
 */
import { expect } from "vitest";
import type { RunningEmulators } from "../../emulators";
import { DEFAULT_CREDENTIALS } from "../../emulators/credentials";

const creds = DEFAULT_CREDENTIALS;
export const MJ_AUTH = `Basic ${Buffer.from(`${creds.mailjet.apiKey}:${creds.mailjet.secretKey}`).toString("base64")}`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Live = Record<string, any>;

/** The answer's body (Mailjet's first `Data` element). */
export async function vendorApi(emu: RunningEmulators, vendor: "mailtrap" | "sendgrid" | "mailjet", method: string, path: string, body?: unknown): Promise<Live> {
  const auth: Record<string, string> = {
    mailtrap: { "Api-Token": creds.mailtrap.apiToken },
    sendgrid: { Authorization: `Bearer ${creds.sendgrid.apiKey}` },
    mailjet: { Authorization: MJ_AUTH },
  }[vendor];
  const res = await fetch(`${emu.urls[vendor]}${path}`, {
    method,
    headers: { ...auth, ...(body ? { "Content-Type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  expect(res.status, `${method} ${path}: ${text}`).toBeLessThan(300);
  const parsed = text ? JSON.parse(text) : {};
  return vendor === "mailjet" ? parsed.Data[0] : parsed;
}

/** Shared helpers for the emulator suites: a started emulator set and a small Mailtrap caller. */
import { afterAll, beforeAll } from "vitest";
import { AdminClient } from "../../emulators/admin-client";
import { DEFAULT_CREDENTIALS } from "../../emulators/credentials";
import { startEmulators, type EmulatorOptions, type RunningEmulators } from "../../emulators";

export const TOKEN = DEFAULT_CREDENTIALS.mailtrap.apiToken;
export const ACCOUNT_ID = DEFAULT_CREDENTIALS.mailtrap.accountId;

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed JSON body, or undefined when the body is empty or not JSON. */
  json: any;
}

export async function request(
  base: string,
  method: string,
  path: string,
  opts: { body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<Reply> {
  const headers: Record<string, string> = { ...opts.headers };
  let body: string | undefined = opts.rawBody;
  if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers["content-type"] ??= "application/json";
  }
  const res = await fetch(`${base}${path}`, { method, headers, body });
  const text = await res.text();
  let json: unknown;
  try {
    json = text === "" ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** Starts the emulators for one suite (port 0) and closes them after it. */
export function useEmulators(opts: EmulatorOptions = {}) {
  const ctx = {} as {
    emu: RunningEmulators;
    admin: AdminClient;
    /** Authenticated Mailtrap call with the `Api-Token` header. */
    mt(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Reply>;
  };
  beforeAll(async () => {
    ctx.emu = await startEmulators(opts);
    ctx.admin = new AdminClient(ctx.emu.urls.admin);
    ctx.mt = (method, path, body, headers) =>
      request(ctx.emu.urls.mailtrap, method, path, { body, headers: { "Api-Token": TOKEN, ...headers } });
  });
  afterAll(async () => {
    await ctx.emu?.close();
  });
  return ctx;
}

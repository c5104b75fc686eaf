/**
 * In-process emulators for one describe block: started before its tests on free ports, with the
 * provider settings' environment variables pointed at them, and stopped (environment restored)
 * after.
 */
import { afterAll, beforeAll, beforeEach } from "vitest";
import { newRun } from "../../providers/resource";
import { startEmulators, type RunningEmulators } from "../../emulators";
import { AdminClient } from "../../emulators/admin-client";

export interface EmulatorContext {
  emu: RunningEmulators;
  admin: AdminClient;
}

/** `env` maps the emulators' base URLs to variables to set (undefined: unset). */
export function useEmulators(env: (urls: RunningEmulators["urls"]) => Record<string, string | undefined>): EmulatorContext {
  const ctx = {} as EmulatorContext;
  const saved = { ...process.env };
  beforeAll(async () => {
    ctx.emu = await startEmulators({ ports: { mailtrap: 0, sendgrid: 0, mailjet: 0, admin: 0 } });
    ctx.admin = new AdminClient(ctx.emu.urls.admin);
    for (const [name, value] of Object.entries(env(ctx.emu.urls))) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });
  // Each test is a run of its own: nothing listed by an earlier one is taken as current.
  beforeEach(() => newRun());
  afterAll(async () => {
    process.env = saved;
    await ctx.emu?.close();
  });
  return ctx;
}

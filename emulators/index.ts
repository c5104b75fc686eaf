/**
 * Local emulators of the Mailtrap, SendGrid and Mailjet management APIs, plus an admin surface
 * for tests. The real vendor APIs are unreachable from our machines; everything runs against these.
 *
 * `startEmulators()` starts one HTTP server per vendor and one admin server (each on port 0 = any
 * free port unless `ports` says otherwise) and resolves once all listen. Vendor servers accept
 * only the configured credentials (`DEFAULT_CREDENTIALS` unless overridden) and answer everything
 * else in the vendor's own error shape. State lives in memory; with `stateFile` it is loaded at
 * start (when the file exists) and saved on `close()` and on `POST /admin/state/save`. The admin
 * server stays on loopback unless `adminHost` says otherwise, takes only JSON writes, and reads
 * or writes state files only inside `stateDir` (see `core/admin.ts`).
 *
 * Admin surface (its own port, no auth): `GET /admin/requests`, `GET /admin/requests/log`, `POST /admin/requests/reset`,
 * `POST /admin/reset`, `GET|PATCH|DELETE /admin/objects/{vendor}/{collection}/{id}`,
 * `GET /admin/objects/{vendor}/{collection}`, `GET|POST|DELETE /admin/faults`,
 * `POST /admin/state/save|load`, `GET|PUT /admin/rate-limits`, `GET|PUT /admin/response-shapes`,
 * `GET|PUT /admin/account-settings/{vendor}`. See `emulators/README.md`;
 * `emulators/admin-client.ts` is a typed client.
 *
 * Vendor modules plug into the core in `emulators/modules.ts` (see `core/types.ts`).
 */
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { createAdminServer } from "./core/admin";
import { RequestCounter } from "./core/counters";
import { FaultInjector } from "./core/faults";
import { RateLimiter } from "./core/rate-limit";
import { documentedShapes, validateShapes, type ResponseShapes } from "./core/shapes";
import { Store } from "./core/store";
import { VENDORS, type VendorName } from "./core/types";
import { createVendorServer } from "./core/vendor-server";
import { resolveCredentials, type EmulatorCredentials } from "./credentials";
import { createVendorModules } from "./modules";

export type { EmulatorCredentials } from "./credentials";
export { DEFAULT_CREDENTIALS } from "./credentials";
export type { VendorName } from "./core/types";

export interface EmulatorOptions {
  /** Interface the vendor APIs listen on; default "127.0.0.1". */
  host?: string;
  /**
   * Interface the admin surface listens on. Default: `host` when that is a loopback address,
   * else 127.0.0.1, so `host` alone never exposes it; anything else prints a warning.
   */
  adminHost?: string;
  /**
   * The only directory admin state save/load requests may touch. Default: the directory of
   * `stateFile`, else `$XDG_STATE_HOME/mailform/emulator` (`~/.local/state/mailform/emulator`).
   */
  stateDir?: string;
  /** Port per server; 0 (the default) = any free port. */
  ports?: { mailtrap?: number; sendgrid?: number; mailjet?: number; admin?: number };
  /** Loaded at start when it exists; saved on close() and on admin request. */
  stateFile?: string;
  /** Enforce the vendors' documented rate limits; default true. */
  rateLimits?: boolean;
  credentials?: Partial<EmulatorCredentials>;
  /** Seed for fault-injection randomness; default 1. */
  seed?: number;
  /** Alternative response shapes to serve (see `core/shapes.ts`); default: the documented ones. */
  responseShapes?: Partial<ResponseShapes>;
}

export interface RunningEmulators {
  /** Base URLs, no trailing slash. */
  urls: { mailtrap: string; sendgrid: string; mailjet: string; admin: string };
  close(): Promise<void>;
}

export async function startEmulators(opts: EmulatorOptions = {}): Promise<RunningEmulators> {
  const host = opts.host ?? "127.0.0.1";
  const credentials = resolveCredentials(opts.credentials);
  const store = new Store();
  if (opts.stateFile && existsSync(opts.stateFile)) store.loadFrom(opts.stateFile);
  const counter = new RequestCounter();
  const faults = new FaultInjector(opts.seed ?? 1);
  const modules = createVendorModules();
  const limiters = Object.fromEntries(
    VENDORS.map((v) => [v, new RateLimiter(modules[v].rateLimit, opts.rateLimits ?? true)]),
  ) as Record<VendorName, RateLimiter>;
  const checkedShapes = validateShapes(opts.responseShapes ?? {});
  if (typeof checkedShapes === "string") throw new Error(checkedShapes);
  const shapes: ResponseShapes = { ...documentedShapes(), ...checkedShapes };
  const core = { store, counter, faults, credentials, shapes, limiter: (v: VendorName) => limiters[v] };

  const urls = { mailtrap: "", sendgrid: "", mailjet: "", admin: "" };
  const servers: Server[] = [];
  const closeAll = () => Promise.all(servers.map(closeServer)).then(() => undefined);
  try {
    for (const vendor of VENDORS) {
      const server = createVendorServer(modules[vendor], core);
      servers.push(server);
      urls[vendor] = await listen(server, host, opts.ports?.[vendor] ?? 0);
    }
    const adminHost = opts.adminHost ?? (isLoopback(host) ? host : "127.0.0.1");
    const stateDir = opts.stateDir ?? (opts.stateFile ? dirname(resolve(opts.stateFile)) : defaultStateDir());
    const admin = createAdminServer({
      store,
      counter,
      faults,
      limiters,
      shapes,
      accountSettings: Object.fromEntries(VENDORS.flatMap((v) => (modules[v].accountSettings ? [[v, modules[v].accountSettings]] : []))),
      stateFile: opts.stateFile,
      stateDir,
      loopbackOnly: isLoopback(adminHost),
      urls: () => ({ ...urls }),
    });
    servers.push(admin);
    urls.admin = await listen(admin, adminHost, opts.ports?.admin ?? 0);
    if (!isLoopback(adminHost)) {
      console.warn(
        `warning: the emulator admin surface listens on ${adminHost} (${urls.admin}), beyond this machine: anyone who can ` +
          "reach it can read every emulated secret, change or erase all state and write state files. Use it only on a trusted network.",
      );
    }
  } catch (err) {
    await closeAll();
    throw err;
  }

  let closed: Promise<void> | undefined;
  return {
    urls,
    close() {
      closed ??= (async () => {
        // Stop serving first, so the saved state includes every answered request.
        await closeAll();
        if (opts.stateFile) store.saveTo(opts.stateFile);
      })();
      return closed;
    },
  };
}

/** A name or address that only this machine can reach. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[(.*)\]$/, "$1").toLowerCase();
  return h === "localhost" || h === "::1" || /^127(\.\d{1,3}){3}$/.test(h);
}

function defaultStateDir(): string {
  return join(process.env.XDG_STATE_HOME || join(homedir(), ".local", "state"), "mailform", "emulator");
}

function listen(server: Server, host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(new Error(`cannot listen on ${host}:${port}: ${err.message}`));
    server.once("error", onError);
    server.listen(port, host, () => {
      server.off("error", onError);
      const { port: actual } = server.address() as AddressInfo;
      resolve(`http://${host.includes(":") ? `[${host}]` : host}:${actual}`);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/**
 * One HTTP server per vendor. Pipeline for every request:
 * prepare -> route match (404/405) -> fault injection -> authenticate (401) -> rate limit (429)
 * -> body parse (400) -> handler -> after-commit faults -> render; every answer is counted per
 * method + route + status, and logged with its credential's fingerprint, arrival and answer times,
 * the fault that decided it and its rate-limit headers (`GET /admin/requests/log`).
 */
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { EmulatorCredentials } from "../credentials";
import type { RequestCounter } from "./counters";
import type { FaultHint, FaultInjector } from "./faults";
import type { RateLimiter } from "./rate-limit";
import type { ResponseShapes } from "./shapes";
import { Router } from "./router";
import type { Store } from "./store";
import { BodyParseError, VendorHttpError, type EmuRequest, type EmuResponse, type VendorModule } from "./types";

/** Bodies above this size are refused with the vendor's 413-ish error (400 if it has none). */
const MAX_BODY_BYTES = 32 * 1024 * 1024;

export interface CoreServices {
  store: Store;
  counter: RequestCounter;
  faults: FaultInjector;
  limiter(vendor: VendorModule["vendor"]): RateLimiter;
  credentials: EmulatorCredentials;
  shapes: ResponseShapes;
}

export function createVendorServer(module: VendorModule, core: CoreServices): Server {
  const router = new Router(module.routes);
  const server = createServer((req, res) => {
    handle(module, router, core, req, res).catch((err: unknown) => {
      // Only a bug in the core itself lands here; never leave the client hanging.
      if (!res.headersSent) {
        res.writeHead(500, { "content-type": "text/plain" });
        res.end(`emulator error: ${String(err)}`);
      } else res.destroy();
    });
  });
  server.keepAliveTimeout = 5_000;
  return server;
}

async function handle(
  module: VendorModule,
  router: Router,
  core: CoreServices,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const receivedAt = Date.now();
  const method = (req.method ?? "GET").toUpperCase();
  const url = new URL(req.url ?? "/", "http://emulator.invalid");
  const credential = credentialFingerprint(req, url);
  const rawBody = await readBody(req);
  const emu: EmuRequest = {
    method,
    path: url.pathname,
    originalPath: url.pathname,
    query: url.searchParams,
    headers: req.headers,
    rawBody: rawBody ?? Buffer.alloc(0),
    remoteAddress: (req.socket.remoteAddress ?? "").replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, ""),
    notes: {},
  };
  let routeLabel = "(unmatched)";
  let faultId: number | undefined;
  const logged = (headers?: Record<string, string>) => {
    const limits = Object.entries(headers ?? {})
      .map(([k, v]) => [k.toLowerCase(), v] as const)
      .filter(([k]) => k === "retry-after" || k.startsWith("x-ratelimit-"));
    return {
      path: emu.originalPath, credential, digest: fingerprint([url.search, emu.rawBody.toString("base64")]), receivedAt,
      ...(faultId !== undefined ? { fault: faultId } : {}),
      ...(limits.length > 0 ? { rateLimitHeaders: Object.fromEntries(limits) } : {}),
    };
  };
  const send = (response: EmuResponse): void => {
    const rendered = module.render ? module.render(response, emu) : response;
    core.counter.add(module.vendor, method, routeLabel, rendered.status, logged(rendered.headers));
    write(res, rendered, method);
  };
  const fail = (status: number, message: string): EmuResponse => module.errorResponse(status, message, emu);

  if (rawBody === undefined) return send(fail(413, "Request Entity Too Large"));
  const early = module.prepare?.(emu);
  if (early) return send(early);

  const match = router.match(method, emu.path);
  if (match.kind === "found") routeLabel = match.route.pattern;

  const decision = core.faults.decide(module.vendor, method, match.kind === "found" ? routeLabel : undefined, emu.path);
  if (decision.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, decision.delayMs));
  /** Answers as the fault says; false when there is no such fault (answer normally). */
  const faulted = (): boolean => {
    if (decision.outcome !== undefined) faultId = decision.faultId;
    if (decision.outcome === "drop") {
      core.counter.add(module.vendor, method, routeLabel, "dropped", logged());
      req.socket.destroy();
      return true;
    }
    if (decision.outcome === "429") {
      send(withHeaders(fail(429, "Too Many Requests"), faultRateLimitHeaders(module, core, emu, decision.hint ?? "vendor")));
      return true;
    }
    if (decision.outcome === "500") send(fail(500, "Internal Server Error"));
    else if (decision.outcome === "503") send(fail(503, "Service Unavailable"));
    return decision.outcome !== undefined;
  };
  if (!decision.afterCommit && faulted()) return;
  // An after-commit fault counts (and spends its `count`) only when a handler ran.
  let handlerRan = false;
  try {
    if (match.kind === "not_found") return send(fail(404, "Not Found"));
    if (match.kind === "method_not_allowed") {
      return send(withHeaders(fail(405, "Method Not Allowed"), { allow: match.allowed.join(", ") }));
    }

    const store = core.store.vendor(module.vendor);
    const auth = module.authenticate(emu, core.credentials, store);
    if ("response" in auth) return send(auth.response);

    const { allowed, info } = core.limiter(module.vendor).hit(`${module.vendor}:${auth.principal}`);
    const limitHeaders = module.rateLimitHeaders?.(info, emu);
    if (!allowed) return send(withHeaders(fail(429, "Too Many Requests"), limitHeaders));

    let body: unknown;
    if (emu.rawBody.length > 0) {
      try {
        body = module.parseBody ? module.parseBody(emu) : parseJson(emu.rawBody);
      } catch (err) {
        if (err instanceof BodyParseError) return send(withHeaders(fail(400, err.message), limitHeaders));
        throw err;
      }
    }

    let response: EmuResponse;
    handlerRan = true;
    try {
      response = await match.route.handle({
        req: emu,
        params: match.params,
        body,
        store,
        principal: auth.principal,
        credentials: core.credentials,
        shapes: core.shapes,
      });
    } catch (err) {
      if (err instanceof VendorHttpError) response = err.response;
      else {
        console.error(`[emulator ${module.vendor}] ${method} ${emu.path}:`, err);
        response = fail(500, "Internal Server Error");
      }
    }
    // The handler's change stays; only its answer is lost (a request that never reached a handler,
    // refused by auth, rate limit or body parsing above, is answered as usual).
    if (decision.afterCommit && faulted()) return;
    send(withHeaders(response, limitHeaders));
  } finally {
    if (decision.afterCommit && !handlerRan) core.faults.unfire(decision.faultId!);
  }
}

/** The headers of an injected 429, as its fault's hint says (see `FaultHint`). */
function faultRateLimitHeaders(module: VendorModule, core: CoreServices, emu: EmuRequest, hint: FaultHint): Record<string, string> | undefined {
  if (hint === "none") return undefined;
  if (hint === "vendor") return module.rateLimitHeaders?.(core.limiter(module.vendor).exhausted(), emu);
  // Alone: the vendor's own reset header counts whole seconds and would say a little longer.
  return { "Retry-After": String(hint) };
}

/**
 * A short fingerprint of the credential a request presents (the same for every request that carries
 * it the same way), so the log can group requests per credential without holding the secret.
 */
function credentialFingerprint(req: IncomingMessage, url: URL): string {
  const material = [req.headers.authorization, req.headers["api-token"], url.searchParams.get("api_token") ?? undefined].filter(
    (v): v is string => typeof v === "string" && v !== "",
  );
  return material.length === 0 ? "" : fingerprint(material);
}

function fingerprint(parts: string[]): string {
  return createHash("sha256").update(parts.join("\n")).digest("hex").slice(0, 12);
}

/** JSON parsing with the message a vendor module can pass on in its 400. */
export function parseJson(raw: Buffer): unknown {
  const text = raw.toString("utf8");
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new BodyParseError(`Malformed JSON: ${(err as Error).message}`);
  }
}

function withHeaders(response: EmuResponse, headers: Record<string, string> | undefined): EmuResponse {
  if (!headers) return response;
  return { ...response, headers: { ...headers, ...response.headers } };
}

/** Reads the whole body; `undefined` when it is larger than MAX_BODY_BYTES. */
function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on("end", () => resolve(tooLarge ? undefined : Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function write(res: ServerResponse, response: EmuResponse, method: string): void {
  const headers: Record<string, string> = { ...response.headers };
  let data: string | Buffer | undefined;
  if (response.raw) {
    headers["content-type"] = response.raw.contentType;
    data = response.raw.data;
  } else if (response.body !== undefined && response.status !== 204 && response.status !== 304) {
    headers["content-type"] = "application/json; charset=utf-8";
    data = JSON.stringify(response.body);
  }
  if (data !== undefined) headers["content-length"] = String(Buffer.byteLength(data));
  res.writeHead(response.status, headers);
  res.end(method === "HEAD" ? undefined : data);
}

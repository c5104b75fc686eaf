/**
 * The shared HTTP client against a real local HTTP server whose answers each test scripts: which
 * calls are retried after which failures, deadlines, low-level causes, both forms of Retry-After,
 * pacing to a rate limit, and redaction of a credential the vendor echoes back.
 */
import * as fs from "node:fs";
import * as http from "node:http";
import * as os from "node:os";
import * as path from "node:path";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { VendorClient, retryAfterMs, resetDelayMs, type Method } from "../../providers/http/client";
import { VendorError } from "../../providers/http/errors";
import { Pacer, parseRateLimit } from "../../providers/http/pacer";
import { checkEndpoint } from "../../providers/http/endpoint";
import { startEmulators } from "../../emulators";
import { AdminClient } from "../../emulators/admin-client";
import { DEFAULT_CREDENTIALS } from "../../emulators/credentials";
import { DOCUMENTED_LIMITS, refusedByLimit, windowPeaks } from "../support/chaos";

/** `drop-in-body`: the status line and headers go out, then the connection drops halfway through the body. */
type Answer = { status: number; headers?: Record<string, string>; body?: unknown } | "drop" | "hang" | "drop-in-body";

let server: http.Server;
let baseUrl: string;
/** Answers for the next requests, in order; when empty, 200 `{ok: true}`. */
let script: Answer[] = [];
let seen: { method: string; at: number; auth?: string }[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      seen.push({ method: req.method!, at: Date.now(), auth: req.headers["api-token"] as string | undefined });
      const answer = script.shift() ?? { status: 200, body: { ok: true } };
      if (answer === "drop") return req.socket.destroy();
      if (answer === "hang") return; // never answers
      if (answer === "drop-in-body") {
        res.writeHead(200, { "Content-Type": "application/json", "Content-Length": "64" });
        res.write('{"id": 7, "na');
        // Let the head and the first bytes reach the client, then cut the connection.
        setTimeout(() => req.socket.destroy(), 20);
        return;
      }
      res.writeHead(answer.status, { "Content-Type": "application/json", ...answer.headers });
      res.end(answer.body === undefined ? "" : JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const SECRET = "tok-very-secret-1234";
const savedEnv = { ...process.env };

afterEach(() => {
  script = [];
  seen = [];
  process.env = { ...savedEnv };
});

function client(opts: { rate?: string; url?: string; sameCredential?: boolean } = {}): VendorClient {
  return new VendorClient({
    vendor: "Testvendor",
    baseUrl: opts.url ?? baseUrl,
    baseUrlSetting: "testApiUrl",
    // A fresh credential per client, so each test gets its own pacer.
    authHeaders: opts.sameCredential ? () => ({ "Api-Token": SECRET }) : () => ({ "Api-Token": `${SECRET}-${Math.random()}` }),
    secrets: () => [SECRET],
    errorText: (b) => (b as { error?: string } | undefined)?.error,
    rate: parseRateLimit(opts.rate ?? "1000/s", "testRateLimit"),
  });
}

async function failure(p: Promise<unknown>): Promise<VendorError> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(VendorError);
  return e as VendorError;
}

describe("retry classes", () => {
  it.each<[Method, boolean | undefined]>([["GET", undefined], ["PUT", undefined], ["DELETE", undefined], ["PATCH", true], ["POST", true]])(
    "%s (idempotent: %s) is repeated after 500, 503 and a dropped connection",
    async (method, idempotent) => {
      script = [{ status: 500 }, { status: 503 }, "drop", { status: 200, body: { ok: 1 } }];
      const res = await client().request(method, "/x", { idempotent });
      expect(res.body).toEqual({ ok: 1 });
      expect(seen).toHaveLength(4);
    },
  );

  it.each<Method>(["POST", "PATCH"])("a %s that is not idempotent is not repeated after a 503: its outcome is unknown", async (method) => {
    script = [{ status: 503, body: { error: "upstream timed out" } }];
    const e = await failure(client().request(method, "/things", { body: { name: "a" } }));
    expect(seen).toHaveLength(1);
    expect(e.status).toBe(503);
    expect(e.outcomeUnknown).toBe(true);
    expect(e.message).toContain("upstream timed out");
  });

  it("a create whose connection drops is not repeated, and says the cause", async () => {
    script = ["drop"];
    const e = await failure(client().request("POST", "/things", { body: {} }));
    expect(seen).toHaveLength(1);
    expect(e.outcomeUnknown).toBe(true);
    expect(e.details.code).toMatch(/^(ECONNRESET|UND_ERR_SOCKET)$/);
    expect(e.message).toContain(e.details.code!);
  });

  it.each<[Method, boolean | undefined]>([["GET", undefined], ["PUT", undefined], ["PATCH", true]])(
    "a %s (idempotent: %s) whose connection drops after the status line, in the body, is repeated",
    async (method, idempotent) => {
      script = ["drop-in-body", { status: 200, body: { ok: 2 } }];
      const res = await client().request(method, "/x", { idempotent });
      expect(res.body).toEqual({ ok: 2 });
      expect(seen).toHaveLength(2);
    },
  );

  it("a create whose connection drops after the status line, in the body, is not repeated: its outcome is unknown", async () => {
    script = ["drop-in-body", { status: 200, body: { id: 8 } }];
    const e = await failure(client().request("POST", "/things", { body: { name: "a" } }));
    expect(seen).toHaveLength(1);
    expect(e.outcomeUnknown).toBe(true);
    expect(e.status).toBe(0);
    expect(e.message).toMatch(/^Testvendor: POST \/things failed: the answer \(200\) was cut off \((UND_ERR_SOCKET|ECONNRESET)/);
  });

  it.each([408, 520, 521, 522, 523, 524, 525, 526, 527])(
    "%s (a request timeout, or a CDN in front of the vendor that lost it) is repeated for a read and leaves a create's outcome unknown",
    async (status) => {
      script = [{ status }, { status: 200, body: { ok: 3 } }];
      expect((await client().request("GET", "/x")).body).toEqual({ ok: 3 });
      expect(seen).toHaveLength(2);
      seen = [];
      script = [{ status, body: { error: "origin unreachable" } }];
      const e = await failure(client().request("POST", "/things", { body: {} }));
      expect(seen).toHaveLength(1);
      expect(e.status).toBe(status);
      expect(e.outcomeUnknown).toBe(true);
    },
  );

  it("a create is repeated after 429, the answer that guarantees nothing happened", async () => {
    script = [{ status: 429, headers: { "Retry-After": "0" } }, { status: 201, body: { id: 7 } }];
    const res = await client().request("POST", "/things", { body: {} });
    expect(res.body).toEqual({ id: 7 });
    expect(seen.map((s) => s.method)).toEqual(["POST", "POST"]);
  });

  it("a 4xx is final for every class and carries the vendor's message", async () => {
    script = [{ status: 422, body: { error: "name is too short" } }];
    const e = await failure(client().request("GET", "/x"));
    expect(seen).toHaveLength(1);
    expect(e.outcomeUnknown).toBe(false);
    expect(e.message).toBe("Testvendor: GET /x answered 422: name is too short");
  });

  it("a refused connection carried nothing, so even a create is tried again, and the error names ECONNREFUSED", async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    process.env.MAILFORM_REQUEST_DEADLINE = "3";
    const started = Date.now();
    const e = await failure(client({ url: `http://127.0.0.1:${port}` }).request("POST", "/things", { body: {} }));
    expect(e.details.code).toBe("ECONNREFUSED");
    expect(e.outcomeUnknown).toBe(false);
    expect(e.message).toContain("ECONNREFUSED");
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

describe("deadlines", () => {
  it("a 429 whose window outlasts the call's deadline fails by the deadline, naming the setting", async () => {
    process.env.MAILFORM_REQUEST_DEADLINE = "1";
    script = [{ status: 429, headers: { "Retry-After": "30" } }];
    const started = Date.now();
    const e = await failure(client().request("GET", "/x"));
    expect(Date.now() - started).toBeLessThan(3000);
    expect(e.details.code).toBe("EDEADLINE");
    expect(e.message).toContain("mailform:requestDeadline");
    expect(seen).toHaveLength(1);
  });

  it("a vendor that never answers is timed out within the deadline, with the cause", async () => {
    process.env.MAILFORM_REQUEST_DEADLINE = "1";
    script = ["hang", "hang", "hang"];
    const started = Date.now();
    const e = await failure(client().request("GET", "/x"));
    expect(Date.now() - started).toBeLessThan(4000);
    expect(e.message).toMatch(/ETIMEDOUT|deadline/);
  });

  it("a timed-out create is not repeated: its outcome is unknown", async () => {
    process.env.MAILFORM_REQUEST_DEADLINE = "1";
    script = ["hang"];
    const e = await failure(client().request("POST", "/things", { body: {} }));
    expect(seen).toHaveLength(1);
    expect(e.outcomeUnknown).toBe(true);
    expect(e.details.code).toBe("ETIMEDOUT");
  });

  it("refuses a deadline that is not a number of seconds, naming the setting", async () => {
    process.env.MAILFORM_REQUEST_DEADLINE = "soon";
    await expect(client().request("GET", "/x")).rejects.toThrow(/requestDeadline is "soon".*pulumi config set mailform:requestDeadline/);
  });
});

describe("rate limits", () => {
  it("reads Retry-After as seconds and as an HTTP date, and X-RateLimit-Reset as epoch seconds or a delay", () => {
    const now = Date.parse("2026-11-29T12:00:00Z");
    expect(retryAfterMs("7", now)).toBe(7000);
    expect(retryAfterMs("Sun, 29 Nov 2026 12:00:05 GMT", now)).toBe(5000);
    expect(retryAfterMs("Sun, 29 Nov 2026 11:59:00 GMT", now)).toBe(0);
    expect(retryAfterMs("soon", now)).toBeUndefined();
    expect(retryAfterMs(null, now)).toBeUndefined();
    expect(resetDelayMs(String(now / 1000 + 3), now)).toBe(3050);
    expect(resetDelayMs("2", now)).toBe(2000);
    expect(resetDelayMs(null, now)).toBeUndefined();
  });

  it("waits out a 429 given as an HTTP date before trying again", async () => {
    const at = new Date(Date.now() + 1500).toUTCString();
    script = [{ status: 429, headers: { "Retry-After": at } }];
    await client().request("GET", "/x");
    expect(seen).toHaveLength(2);
    // HTTP dates have whole seconds: the retry comes after the named second has begun.
    expect(seen[1]!.at).toBeGreaterThanOrEqual(Math.floor(Date.parse(at) / 1000) * 1000 - 5);
  });

  /** Gaps between consecutive requests the server saw, in ms. */
  const gaps = () => seen.slice(1).map((s, i) => s.at - seen[i]!.at);

  it("after a 429 without a hint, the credential waits about a second, then doubles with jitter, up to the vendor's window", async () => {
    script = [{ status: 429 }, { status: 429 }, { status: 429 }];
    await client({ rate: "100/2500ms" }).request("POST", "/things", { body: {} });
    expect(seen.map((s) => s.method)).toEqual(["POST", "POST", "POST", "POST"]);
    const [first, second, third] = gaps();
    // Jitter takes up to a quarter off each step; never more than the step, never more than the window.
    expect(first).toBeGreaterThanOrEqual(750);
    expect(first).toBeLessThan(1150);
    expect(second).toBeGreaterThanOrEqual(1500);
    expect(second).toBeLessThan(2150);
    // The third step would be 4 s: capped at the 2.5 s window.
    expect(third).toBeGreaterThanOrEqual(1875);
    expect(third).toBeLessThan(2650);
  }, 30_000);

  it("a success resets the backoff: the next hint-less 429 waits about a second again", async () => {
    const c = client({ rate: "100/5s" });
    script = [{ status: 429 }, { status: 429 }, { status: 200, body: {} }, { status: 429 }];
    await c.request("GET", "/a");
    await c.request("GET", "/b");
    expect(seen).toHaveLength(5);
    const [first, second, , fourth] = gaps();
    expect(first).toBeGreaterThanOrEqual(750);
    expect(first).toBeLessThan(1150);
    expect(second).toBeGreaterThanOrEqual(1500);
    expect(second).toBeLessThan(2150);
    expect(fourth).toBeGreaterThanOrEqual(750);
    expect(fourth).toBeLessThan(1150);
  }, 30_000);

  it("429s to requests already in flight together are one step of the backoff, not one each", async () => {
    const c = client({ rate: "100/5s" });
    script = [{ status: 429 }, { status: 429 }, { status: 429 }, { status: 429 }];
    await Promise.all(["/a", "/b", "/c", "/d"].map((p) => c.request("GET", p)));
    expect(seen).toHaveLength(8);
    const burst = seen[3]!.at;
    const retries = seen.slice(4).map((s) => s.at - burst);
    for (const wait of retries) {
      expect(wait).toBeGreaterThanOrEqual(700);
      expect(wait).toBeLessThan(1200);
    }
  }, 30_000);

  it("a 429 with a hint waits exactly the hint, whatever the backoff stands at and however long the window", async () => {
    const c = client({ rate: "100/1500ms" });
    script = [
      { status: 429 },
      { status: 429, headers: { "Retry-After": "1" } },
      { status: 429, headers: { "Retry-After": "2" } },
      { status: 429, headers: { "X-RateLimit-Reset": String(Math.ceil(Date.now() / 1000) + 6) } },
    ];
    const reset = Number((script[3] as { headers: Record<string, string> }).headers["X-RateLimit-Reset"]) * 1000;
    await c.request("POST", "/things", { body: {} });
    expect(seen).toHaveLength(5);
    const [hintless, one, two] = gaps();
    expect(hintless).toBeGreaterThanOrEqual(750);
    expect(hintless).toBeLessThan(1150);
    // Not the 2 s the backoff would be next, and not the window.
    expect(one).toBeGreaterThanOrEqual(995);
    expect(one).toBeLessThan(1150);
    // Longer than the 1.5 s window: the vendor's word wins.
    expect(two).toBeGreaterThanOrEqual(1995);
    expect(two).toBeLessThan(2150);
    // Epoch-seconds reset: the retry comes once that second has begun (plus the client's 50 ms).
    expect(seen[4]!.at).toBeGreaterThanOrEqual(reset);
    expect(seen[4]!.at).toBeLessThan(reset + 200);
  }, 30_000);

  it("paces requests so that no window holds more than the limit", async () => {
    // Timed where the client sends, which is what the pacer decides: this server shares the test's
    // event loop, and on a busy machine its handler can run a few hundred ms after the send.
    const sent: number[] = [];
    const realFetch = globalThis.fetch;
    globalThis.fetch = ((...args: Parameters<typeof fetch>) => (sent.push(Date.now()), realFetch(...args))) as typeof fetch;
    try {
      const c = client({ rate: "5/500ms" });
      await Promise.all(Array.from({ length: 12 }, () => c.request("GET", "/x")));
    } finally {
      globalThis.fetch = realFetch;
    }
    expect(seen).toHaveLength(12);
    const times = sent.sort((a, b) => a - b);
    expect(times).toHaveLength(12);
    for (let i = 5; i < times.length; i++) expect(times[i]! - times[i - 5]!).toBeGreaterThanOrEqual(500);
  });

  it("pauses every request on the credential when the vendor says none remain", async () => {
    const c = client();
    script = [{ status: 200, headers: { "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "1" }, body: {} }];
    await c.request("GET", "/a");
    await c.request("GET", "/b");
    expect(seen[1]!.at - seen[0]!.at).toBeGreaterThanOrEqual(950);
  });

  it("a pacer serves waiting requests in order and gives up only at the deadline", async () => {
    let now = 0;
    const pacer = new Pacer({ limit: 1, windowMs: 60_000 }, () => now);
    await pacer.acquire(10, () => new Error("late"));
    await expect(pacer.acquire(10, (wait) => new Error(`late by ${wait}`))).rejects.toThrow(/late by 60100/);
    now = 60_100;
    await expect(pacer.acquire(100_000, () => new Error("late"))).resolves.toBe(60_100);
  });

  it("a pacer's backoff: a second, doubling to the window, jitter only shortens, one step per burst, reset by an answer", async () => {
    let now = 1_000_000;
    let draw = 0;
    const pacer = new Pacer({ limit: 1000, windowMs: 10_000 }, () => now, () => draw);
    const sent = await pacer.acquire(Infinity, () => new Error("late"));
    expect([1000, 2000, 4000, 8000, 10_000, 10_000].map(() => pacer.backOff((now += 1)))).toEqual([1000, 2000, 4000, 8000, 10_000, 10_000]);
    // A 429 to a request that left before the last step adds nothing: the pause already covers it.
    now += 1;
    expect(pacer.backOff(sent)).toBe(9_999);
    // An answer to an old request says nothing; one to a request sent since starts the backoff over.
    pacer.answered(sent);
    expect(pacer.backOff(now)).toBe(10_000);
    pacer.answered((now += 10_000));
    draw = 0.999;
    expect(pacer.backOff(now)).toBeCloseTo(750.25, 1);
    // A window shorter than a second caps the first step too.
    const fast = new Pacer({ limit: 10, windowMs: 400 }, () => now, () => 0);
    expect(fast.backOff(now)).toBe(400);
  });

  it("`off`: no pacing of its own and no shared budget file, but a vendor's 429 is still waited out", async () => {
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), "mailform-unpaced-"));
    process.env.MAILFORM_CACHE = cache;
    try {
      // A limit of 2 per 10 s would hold the third request for 10 s; `off` sends all at once.
      const paced = Date.now();
      await Promise.all(Array.from({ length: 20 }, () => client({ rate: "off", sameCredential: true }).request("GET", "/x")));
      expect(Date.now() - paced).toBeLessThan(2000);
      expect(fs.existsSync(path.join(cache, "rate")) ? fs.readdirSync(path.join(cache, "rate")) : []).toEqual([]);

      seen = [];
      script = [{ status: 429, headers: { "Retry-After": "1" } }];
      await client({ rate: "off" }).request("GET", "/x");
      expect(gaps()[0]).toBeGreaterThanOrEqual(950);
    } finally {
      fs.rmSync(cache, { recursive: true, force: true });
    }
  });

  it("parses per-vendor limits and refuses nonsense with the setting's name", () => {
    expect(parseRateLimit("150/10s", "x")).toEqual({ limit: 150, windowMs: 10_000 });
    expect(parseRateLimit("600/min", "x")).toEqual({ limit: 600, windowMs: 60_000 });
    expect(parseRateLimit("300 / 60s", "x")).toEqual({ limit: 300, windowMs: 60_000 });
    expect(() => parseRateLimit("fast", "mailjetRateLimit")).toThrow(/mailjetRateLimit is "fast".*150\/10s/);
    expect(() => parseRateLimit("0/s", "x")).toThrow();
    expect(parseRateLimit("off", "x").limit).toBe(Infinity);
  });
});

describe("backoff within the pacer's own accounting, against the emulator", () => {
  it("hint-less 429s while the window is full: no window gets more than the limit, so the vendor's own limit never answers", async () => {
    const emu = await startEmulators({ ports: { mailtrap: 0, sendgrid: 0, mailjet: 0, admin: 0 }, seed: 24 });
    try {
      const admin = new AdminClient(emu.urls.admin);
      const rate = { limit: 20, windowMs: 2000 };
      await admin.setRateLimits({ vendor: "mailtrap", ...rate });
      await admin.addFault({ vendor: "mailtrap", kind: "429", rate: 0.15, hint: "none" });
      const c = new VendorClient({
        vendor: "Mailtrap",
        baseUrl: emu.urls.mailtrap,
        baseUrlSetting: "mailtrapApiUrl",
        authHeaders: () => ({ "Api-Token": DEFAULT_CREDENTIALS.mailtrap.apiToken }),
        secrets: () => [],
        errorText: () => undefined,
        rate,
      });
      await Promise.all(Array.from({ length: 60 }, () => c.request("GET", "/api/projects")));
      const log = await admin.requestLog();
      expect(log.filter((e) => e.status === "429").length).toBeGreaterThan(5);
      expect(log.filter((e) => e.status === "200")).toHaveLength(60);
      expect(refusedByLimit(log)).toEqual([]);
      const peak = windowPeaks(log, { ...DOCUMENTED_LIMITS, mailtrap: rate }).find((w) => w.vendor === "mailtrap")!;
      expect(peak.peak).toBe(rate.limit);
    } finally {
      await emu.close();
    }
  }, 60_000);
});

describe("redirects are never followed", () => {
  /** Another server, on another port: where a redirect would send the request and its credential. */
  let other: http.Server;
  let otherUrl: string;
  let reached: { method: string; token?: string }[] = [];

  beforeAll(async () => {
    other = http.createServer((req, res) => {
      reached.push({ method: req.method!, token: req.headers["api-token"] as string | undefined });
      req.resume();
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ id: 99, from: "the other server" }));
    });
    await new Promise<void>((resolve) => other.listen(0, "127.0.0.1", resolve));
    otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    other.closeAllConnections();
    await new Promise((resolve) => other.close(resolve));
  });

  afterEach(() => {
    reached = [];
  });

  it.each<[number, Method]>([[301, "POST"], [302, "POST"], [307, "POST"], [301, "GET"], [302, "GET"], [307, "GET"], [308, "DELETE"]])(
    "a %s answer to a %s is an error naming the Location, and nothing reaches the other host",
    async (status, method) => {
      script = [{ status, headers: { Location: `${otherUrl}/moved/things` } }];
      const outcome = client().request(method, "/things", { body: method === "POST" ? { name: "a" } : undefined });
      const result = await outcome.then((r) => r, (err: unknown) => err);
      expect(reached, "the request and its Api-Token went to the other host").toEqual([]);
      const e = await failure(Promise.reject(result));
      expect(seen).toHaveLength(1);
      expect(e.status).toBe(status);
      expect(e.message).toContain(`redirected to ${otherUrl}/moved/things`);
      expect(e.message).toContain("testApiUrl");
      // A create answered with a redirect may or may not have been carried out.
      expect(e.outcomeUnknown).toBe(method === "POST");
    },
  );

  it("redacts a credential in the Location", async () => {
    script = [{ status: 302, headers: { Location: `${otherUrl}/login?api_token=${SECRET}&next=%2F` } }];
    const result = await client().request("GET", "/x").then((r) => r, (err: unknown) => err);
    expect(reached, "the request and its Api-Token went to the other host").toEqual([]);
    const e = await failure(Promise.reject(result));
    expect(e.message).not.toContain(SECRET);
    expect(e.message).toContain(`redirected to ${otherUrl}/login?api_token=[redacted]&next=%2F`);
  });

  it("a 304 the caller accepts is still an answer (Mailjet's no-op PUT)", async () => {
    script = [{ status: 304 }];
    const res = await client().request("PUT", "/x", { body: {}, accept: [304] });
    expect(res.status).toBe(304);
  });
});

describe("secrets and endpoints", () => {
  it("redacts a credential the vendor echoes in its error", async () => {
    script = [{ status: 401, body: { error: `token ${SECRET} is revoked` } }];
    const e = await failure(client().request("GET", "/x"));
    expect(e.message).not.toContain(SECRET);
    expect(e.message).toContain("token [redacted] is revoked");
  });

  it("refuses plain http to any host but this machine, naming the setting", () => {
    expect(() => checkEndpoint("http://10.1.2.3:4011", "mailtrapApiUrl")).toThrow(
      /mailtrapApiUrl is "http:\/\/10\.1\.2\.3:4011": refusing to send credentials over plain http.*https:\/\/10\.1\.2\.3:4011/,
    );
    expect(() => checkEndpoint("http://mailtrap.example.com", "mailtrapApiUrl")).toThrow(/plain http to mailtrap\.example\.com/);
    expect(() => checkEndpoint("ftp://127.0.0.1", "x")).toThrow(/ftp: scheme/);
    expect(() => checkEndpoint("not a url", "x")).toThrow(/not a URL/);
    for (const ok of ["https://mailtrap.io", "http://127.0.0.1:4011", "http://localhost:1", "http://[::1]:4011", "http://127.9.9.9"]) {
      expect(() => checkEndpoint(ok, "x")).not.toThrow();
    }
  });

  it("a client for a plain-http remote host is refused before any request", () => {
    expect(() => client({ url: "http://192.168.1.10:4011" })).toThrow(/testApiUrl/);
    expect(seen).toHaveLength(0);
  });
});

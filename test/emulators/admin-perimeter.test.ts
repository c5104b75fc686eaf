/**
 * The admin surface's perimeter: JSON-only writes (no form or text/plain posts from a web page),
 * loopback host names only, state files only inside the state directory, loopback unless
 * `--admin-host` says otherwise (with a warning).
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { networkInterfaces, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startEmulators } from "../../emulators";
import { AdminClient } from "../../emulators/admin-client";
import { request, TOKEN } from "./helpers";

const scratch = mkdtempSync(join(tmpdir(), "mailform-admin-perimeter-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A raw admin call with any headers (fetch cannot set Host). */
function raw(base: string, method: string, path: string, headers: Record<string, string>, body = ""): Promise<{ status: number; json: any }> {
  const url = new URL(`${base}${path}`);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, method, path: url.pathname, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        resolve({ status: res.statusCode!, json: text === "" ? undefined : JSON.parse(text) });
      });
    });
    req.on("error", reject);
    req.end(body);
  });
}

const mtProjects = async (base: string) =>
  (await request(base, "GET", "/api/projects", { headers: { "Api-Token": TOKEN } })).json as unknown[];

describe("admin writes take JSON only", () => {
  it.each([
    ["a form post", "application/x-www-form-urlencoded", "x=1"],
    ["text/plain", "text/plain", '{"vendor":"mailtrap","kind":"500","rate":1}'],
    ["no content type", undefined, ""],
  ])("refuses %s with 415, changing nothing", async (_what, type, body) => {
    const emu = await startEmulators();
    try {
      await request(emu.urls.mailtrap, "POST", "/api/projects", { body: { project: { name: "Kept" } }, headers: { "Api-Token": TOKEN } });
      const headers: Record<string, string> = type === undefined ? {} : { "content-type": type };
      const reset = await raw(emu.urls.admin, "POST", "/admin/reset", headers, body);
      expect(reset.status).toBe(415);
      expect(reset.json.error).toMatch(/Content-Type: application\/json/);
      expect((await raw(emu.urls.admin, "POST", "/admin/faults", headers, body)).status).toBe(415);
      expect(await mtProjects(emu.urls.mailtrap)).toHaveLength(1);
      const admin = new AdminClient(emu.urls.admin);
      expect(await admin.faults()).toEqual([]);
      // The same write as JSON goes through.
      await admin.reset();
      expect(await mtProjects(emu.urls.mailtrap)).toHaveLength(0);
    } finally {
      await emu.close();
    }
  });

  it("refuses requests addressed to another host name (DNS rebinding) while on loopback", async () => {
    const emu = await startEmulators();
    try {
      const port = new URL(emu.urls.admin).port;
      const json = { "content-type": "application/json" };
      const rebound = await raw(emu.urls.admin, "POST", "/admin/reset", { ...json, host: `attacker.example:${port}` }, "{}");
      expect(rebound.status).toBe(403);
      expect(rebound.json.error).toMatch(/loopback name/);
      expect((await raw(emu.urls.admin, "GET", "/admin/objects/sendgrid/api_keys", { host: "attacker.example" })).status).toBe(403);
      expect((await raw(emu.urls.admin, "POST", "/admin/reset", { ...json, host: `localhost:${port}` }, "{}")).status).toBe(200);
    } finally {
      await emu.close();
    }
  });
});

describe("state files only inside the state directory", () => {
  const stateDir = join(scratch, "state");
  const outside = join(scratch, "outside");
  mkdirSync(outside, { recursive: true });

  it("saves and loads by a relative name or an absolute path inside it", async () => {
    const emu = await startEmulators({ stateDir });
    const admin = new AdminClient(emu.urls.admin);
    try {
      await request(emu.urls.mailtrap, "POST", "/api/projects", { body: { project: { name: "Saved" } }, headers: { "Api-Token": TOKEN } });
      await admin.saveState("snaps/one.json");
      expect(JSON.parse(readFileSync(join(stateDir, "snaps", "one.json"), "utf8"))).toMatchObject({ format: "mailform-emulator-state" });
      await admin.reset();
      await admin.loadState(join(stateDir, "snaps", "one.json"));
      expect(await mtProjects(emu.urls.mailtrap)).toHaveLength(1);
    } finally {
      await emu.close();
    }
  });

  it("refuses paths escaping it, by .., by an absolute path or through a symbolic link, with a message", async () => {
    const emu = await startEmulators({ stateDir });
    const admin = new AdminClient(emu.urls.admin);
    try {
      const valid = join(outside, "valid.json");
      await admin.saveState("valid.json");
      writeFileSync(valid, readFileSync(join(stateDir, "valid.json")));
      mkdirSync(stateDir, { recursive: true });
      symlinkSync(outside, join(stateDir, "link"));
      for (const file of ["../outside/escaped.json", join(outside, "escaped.json"), "link/escaped.json", "/etc/passwd", "."]) {
        const err = await admin.saveState(file).then(
          () => undefined,
          (e: { status: number; body: { error: string } }) => e,
        );
        expect(err, file).toMatchObject({ status: 403 });
        expect(err!.body.error).toContain(`is outside the emulator's state directory ${stateDir}`);
        expect(err!.body.error).toContain("--state-dir");
      }
      expect(existsSync(join(outside, "escaped.json"))).toBe(false);
      for (const file of [valid, "../outside/valid.json", "link/valid.json"]) {
        await expect(admin.loadState(file), file).rejects.toMatchObject({ status: 403 });
      }
    } finally {
      await emu.close();
    }
  });

  it("defaults to the directory of the configured state file", async () => {
    const file = join(scratch, "by-file", "state.json");
    const emu = await startEmulators({ stateFile: file });
    const admin = new AdminClient(emu.urls.admin);
    try {
      await admin.saveState("copy.json");
      expect(existsSync(join(scratch, "by-file", "copy.json"))).toBe(true);
      await expect(admin.saveState(join(scratch, "copy.json"))).rejects.toMatchObject({ status: 403 });
      await admin.saveState(); // the configured file itself
      expect(existsSync(file)).toBe(true);
    } finally {
      await emu.close();
    }
  });
});

describe("the admin surface stays on loopback", () => {
  const external = Object.values(networkInterfaces())
    .flat()
    .find((i) => i && !i.internal && i.family === "IPv4")?.address;

  it.skipIf(!external)("--host alone exposes the vendor APIs, not the admin surface", async () => {
    const emu = await startEmulators({ host: "0.0.0.0" });
    try {
      expect(new URL(emu.urls.admin).hostname).toBe("127.0.0.1");
      const port = (u: string) => new URL(u).port;
      const vendor = await request(`http://${external}:${port(emu.urls.mailtrap)}`, "GET", "/api/projects", { headers: { "Api-Token": TOKEN } });
      expect(vendor.status).toBe(200);
      await expect(fetch(`http://${external}:${port(emu.urls.admin)}/admin/info`)).rejects.toThrow();
    } finally {
      await emu.close();
    }
  });

  /** Runs the emulator CLI until it prints the admin line; returns what it printed. */
  function runCli(args: string[]): Promise<{ stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
      const root = join(__dirname, "..", "..");
      const child = spawn(
        join(root, "node_modules", ".bin", "tsx"),
        ["emulators/cli.ts", "--port-mailtrap", "0", "--port-sendgrid", "0", "--port-mailjet", "0", "--port-admin", "0", ...args],
        { cwd: root, stdio: ["ignore", "pipe", "pipe"] },
      );
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (c: Buffer) => {
        stdout += c.toString();
        if (/^admin /m.test(stdout)) child.kill("SIGTERM");
      });
      child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
      child.on("error", reject);
      child.on("exit", () => resolve({ stdout, stderr }));
      setTimeout(() => child.kill("SIGKILL"), 20_000);
    });
  }

  it("--admin-host exposes it, with a warning; --host alone does not and warns of nothing", async () => {
    const exposed = await runCli(["--admin-host", "0.0.0.0"]);
    expect(exposed.stdout).toMatch(/^admin http:\/\/0\.0\.0\.0:\d+$/m);
    expect(exposed.stderr).toMatch(/warning: the emulator admin surface listens on 0\.0\.0\.0 .*trusted network/);
    const hostOnly = await runCli(["--host", "0.0.0.0"]);
    expect(hostOnly.stdout).toMatch(/^mailtrap http:\/\/0\.0\.0\.0:\d+$/m);
    expect(hostOnly.stdout).toMatch(/^admin http:\/\/127\.0\.0\.1:\d+$/m);
    expect(hostOnly.stderr).not.toMatch(/warning/);
  }, 30_000);
});

/**
 * `mailform validate` as CI and pre-commit hooks run it: a separate process with no credentials in
 * its environment, where any network connection or any load of the engine, the providers or the
 * emulators is refused and reported.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { corpusFiles, expectations, INVALID_DIR } from "./support/corpus";

const ROOT = path.join(__dirname, "..", "..");
const PRELOAD = path.join(__dirname, "support", "no-network.cjs");
const RECORD = path.join(__dirname, "support", "record-modules.cjs");
const TSX = pathToFileURL(path.join(ROOT, "node_modules", "tsx", "dist", "loader.mjs")).href;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "mailform-cli-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env))
    if (!/MAILTRAP|SENDGRID|MAILJET|^MJ_|PULUMI|NODE_OPTIONS|VITEST/i.test(k)) env[k] = v;
  env.HOME = tmp;
  return env;
}

function mailform(args: string[], cwd = ROOT, extra: NodeJS.ProcessEnv = {}) {
  const env = { ...cleanEnv(), ...extra };
  const started = Date.now();
  const preload = extra.MAILFORM_LOADED_MODULES ? ["--require", RECORD] : [];
  const r = spawnSync(process.execPath, ["--import", TSX, "--require", PRELOAD, ...preload, path.join(ROOT, "cli", "index.ts"), ...args], {
    cwd,
    env,
    encoding: "utf8",
    timeout: 60_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr, ms: Date.now() - started };
}

describe("mailform validate", () => {
  it("validates every stacks/*.yaml by default and prints one ok line per file", () => {
    const r = mailform(["validate"]);
    expect(r.err).not.toContain("FORBIDDEN");
    expect(r.code, r.out + r.err).toBe(0);
    expect(r.out).toContain("ok  stacks/demo.yaml (7 resources)\n");
    // Pulumi resources: template versions are part of their template (2 templates, 2 keys).
    expect(r.out).toContain("ok  stacks/sendgrid-example.yaml (4 resources)\n");
    expect(r.out).toContain("ok  stacks/mailjet-example.yaml (4 resources)\n");
  });

  it("fails the whole invalid corpus in one run, in seconds, without network or engine", () => {
    const files = corpusFiles().map((f) => path.relative(ROOT, path.join(INVALID_DIR, f)));
    const r = mailform(["validate", ...files]);
    expect(r.err).not.toContain("FORBIDDEN");
    expect(r.code).toBe(1);
    for (const f of corpusFiles()) {
      const shown = path.relative(ROOT, path.join(INVALID_DIR, f)).split(path.sep).join("/");
      const n = expectations(f).length;
      expect(r.out).toMatch(new RegExp(`FAIL  ${shown.replace(/[.]/g, "\\.")} \\(${n} errors?\\)`));
      for (const e of expectations(f)) {
        const located = path.relative(ROOT, path.join(INVALID_DIR, e.location)).split(path.sep).join("/");
        expect(r.out).toContain(`${located}  error  `);
      }
    }
    expect(r.out).toContain(`${files.length} of ${files.length} stack files invalid`);
    expect(r.ms).toBeLessThan(30_000);
  });

  it("prints warnings and still passes, unless --strict", () => {
    const file = path.join(tmp, "warn.yaml");
    fs.writeFileSync(file, "sendgrid:\n  apiKeys:\n    k:\n      name: K\n      scopes: [marketing.automation.read]\n");
    const lenient = mailform(["validate", file]);
    expect(lenient.code).toBe(0);
    expect(lenient.out).toContain(`:5:16  warning  sendgrid.apiKeys.k.scopes[0]: "marketing.automation.read" is not a SendGrid scope mailform knows`);
    expect(lenient.out).toMatch(/ok {2}.*warn\.yaml \(1 resource, 1 warning\)/);
    const strict = mailform(["validate", "--strict", file]);
    expect(strict.code).toBe(1);
    expect(strict.out).toMatch(/FAIL {2}.*warn\.yaml \(0 errors, 1 warning\) \[--strict\]/);
  });

  it("exits 2 on usage errors", () => {
    expect(mailform(["validate", "--frobnicate"]).code).toBe(2);
    expect(mailform(["validate"], tmp).err).toContain("no stack files given and none found in stacks/*.yaml");
    const unknown = mailform(["deploy"]);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('unknown command "deploy"');
    expect(mailform(["validate", "--help"]).out).toContain("usage: mailform validate");
  });

  it("loads the kind definitions but no vendor client and no HTTP stack", () => {
    const list = path.join(tmp, "loaded-modules.txt");
    const r = mailform(["validate"], ROOT, { MAILFORM_LOADED_MODULES: list });
    expect(r.code, r.out + r.err).toBe(0);
    const loaded = fs.readFileSync(list, "utf8").split("\n").map((f) => path.relative(ROOT, f).split(path.sep).join("/"));
    // The catalogue is read (natural keys, inputs) ...
    expect(loaded).toEqual(expect.arrayContaining(["providers/kinds.ts", "providers/mailtrap/project.ts", "providers/sendgrid/template.ts"]));
    // ... without what calls the vendors.
    const forbidden = /^providers\/http\/|^providers\/(mailtrap|sendgrid|mailjet)\/client\.ts$|^node_modules\/(@pulumi|p-limit|@grpc)\//;
    expect(loaded.filter((f) => forbidden.test(f))).toEqual([]);

    // The same record sees a vendor client and the HTTP stack once a kind calls its vendor.
    const control = path.join(tmp, "loaded-by-a-call.txt");
    const call = 'require("tsx/cjs"); require("./providers/mailtrap/project.ts").project.create({ name: "x" }).catch(() => {});';
    spawnSync(process.execPath, ["--require", RECORD, "-e", call], { cwd: ROOT, env: { ...cleanEnv(), MAILFORM_LOADED_MODULES: control } });
    const called = fs.readFileSync(control, "utf8").split("\n").map((f) => path.relative(ROOT, f).split(path.sep).join("/"));
    expect(called).toEqual(expect.arrayContaining(["providers/mailtrap/client.ts", "providers/http/client.ts"]));
  });
});

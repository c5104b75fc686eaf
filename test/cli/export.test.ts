/**
 * `mailform export`'s arguments, keys and refusals that need no account: what a user sees when a
 * flag is wrong, a credential is missing or the file exists.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { parseExportArgs, runExport, slug, type ExportOptions } from "../../cli/export";

describe("mailform export arguments", () => {
  it("needs --stack, knows the vendors, and names an unknown argument", () => {
    expect(parseExportArgs([])).toMatch(/--stack <name> is required/);
    expect(parseExportArgs(["--stack", "s", "--vendor", "postmark"])).toBe('--vendor must be one of mailtrap, sendgrid, mailjet (got "postmark")');
    expect(parseExportArgs(["--stack", "s", "--frce"])).toBe('unknown argument "--frce"');
    const opts = parseExportArgs(["--stack=prod", "--vendor", "mailjet", "--force"], "/p") as ExportOptions;
    expect(opts).toMatchObject({ stack: "prod", vendors: ["mailjet"], force: true, onlyUnmanaged: false, out: "/p/stacks/prod.yaml" });
  });

  it("derives readable keys within the schema's limits from any name", () => {
    expect(slug("Ünïcødé ✉ projekt")).toBe("unicode-projekt");
    expect(slug("Staging!")).toBe("staging");
    expect(slug("✉✉✉")).toBe("entry");
    const long = slug("word ".repeat(40));
    expect(long.length).toBeLessThanOrEqual(60);
    expect(long).toMatch(/^[a-z0-9][a-z0-9_-]*[a-z0-9]$/);
  });
});

describe("mailform export refusals", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mailform-export-"));
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("refuses to overwrite an existing stack file without --force", async () => {
    fs.mkdirSync(path.join(dir, "stacks"), { recursive: true });
    fs.writeFileSync(path.join(dir, "stacks", "mine.yaml"), "mailtrap: {}\n");
    const errors: string[] = [];
    const code = await runExport(parseExportArgs(["--stack", "mine"], dir) as ExportOptions, (s) => errors.push(s));
    expect(code).toBe(1);
    expect(errors.join("\n")).toBe("mailform export: stacks/mine.yaml exists; pass --force to overwrite it (or --out another file).");
    expect(fs.readFileSync(path.join(dir, "stacks", "mine.yaml"), "utf8")).toBe("mailtrap: {}\n");
  });

  it("names the missing credential of a vendor asked for, and how to set it", async () => {
    delete process.env.SENDGRID_API_KEY;
    const errors: string[] = [];
    const code = await runExport(parseExportArgs(["--stack", "none", "--vendor", "sendgrid"], dir) as ExportOptions, (s) => errors.push(s));
    expect(code).toBe(1);
    expect(errors.join("\n")).toMatch(/no sendgrid credentials: missing sendgridApiKey\. Set it with: .*export SENDGRID_API_KEY/);
    expect(fs.existsSync(path.join(dir, "stacks", "none.yaml"))).toBe(false);
  });
});

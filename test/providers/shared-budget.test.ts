/**
 * The machine-wide rate budget file (providers/http/shared-budget.ts) on a real directory: two
 * processes' budgets for one credential share one window, the vendor's pause reaches both, a
 * lock left by a holder that died does not block, and the credential never reaches the disk.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { SharedBudget } from "../../providers/http/shared-budget";

const dirs: string[] = [];
const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mailform-budget-"));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe("the shared rate budget", () => {
  it("two budgets of one credential share one window; another credential has its own", () => {
    const dir = tempDir();
    const a = new SharedBudget("sendgrid\nhttp://x\nSG.secret", dir);
    const b = new SharedBudget("sendgrid\nhttp://x\nSG.secret", dir);
    const other = new SharedBudget("sendgrid\nhttp://x\nSG.other", dir);
    const now = 1_000_000;
    expect(a.take(now, 3, 1000)).toBe(0);
    expect(b.take(now + 1, 3, 1000)).toBe(0);
    expect(a.take(now + 2, 3, 1000)).toBe(0);
    // The fourth in the window waits until the first leaves it, whichever process asks.
    expect(b.take(now + 3, 3, 1000)).toBe(997);
    expect(other.take(now + 3, 3, 1000)).toBe(0);
    expect(b.take(now + 1000, 3, 1000)).toBe(0);
  });

  it("a vendor's pause seen by one process holds the others back", () => {
    const dir = tempDir();
    const a = new SharedBudget("k", dir);
    const b = new SharedBudget("k", dir);
    a.pauseUntil(5000);
    expect(b.take(1000, 100, 60_000)).toBe(4000);
    expect(b.take(5000, 100, 60_000)).toBe(0);
  });

  it("a lock left by a process that died is broken, and the credential is not on disk", () => {
    const dir = tempDir();
    const budget = new SharedBudget("mailjet\nhttp://x\nMJ-secret-key", dir);
    budget.take(1, 10, 1000);
    const [file] = fs.readdirSync(dir).filter((f) => f.endsWith(".json"));
    // A pid that no longer runs: a child that has exited.
    const dead = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]).stdout.toString();
    fs.writeFileSync(path.join(dir, `${file}.lock`), dead);
    expect(budget.take(2, 10, 1000)).toBe(0);
    for (const f of fs.readdirSync(dir)) {
      expect(f).not.toContain("MJ-secret-key");
      expect(fs.readFileSync(path.join(dir, f), "utf8")).not.toContain("MJ-secret-key");
    }
  });
});

/**
 * A credential's rate budget shared by every mailform process on the machine: two stacks on one
 * SendGrid account in parallel CI jobs, or a preview started right after an up, see each other's
 * requests instead of each assuming a full window.
 *
 * The budget is a small JSON file per credential under the cache directory
 * (`${MAILFORM_CACHE:-${XDG_CACHE_HOME:-~/.cache}/mailform}/rate/<sha256>.json`, named by a hash of
 * vendor, address and credential: the credential itself is never written) holding the send times
 * of the current window and the vendor's latest "come back at". It is changed under a lock file
 * made with O_EXCL and replaced by an atomic rename, so a reader never sees half a file. The lock
 * is held for one read and one write; a holder that died (its pid is gone) or that has held it
 * longer than `STALE_LOCK_MS` is broken, so a killed process never blocks the others.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** A lock older than this is a holder that hung or died mid-write: no holder needs more than a few ms. */
const STALE_LOCK_MS = 2000;
/** Budgets untouched this long are dropped (a window is at most an hour): addresses change, tests use random ports. */
const FORGOTTEN_MS = 24 * 3_600_000;
let swept = false;

/** Removes budget files nobody has used for a day, once per process. */
function sweep(dir: string): void {
  if (swept) return;
  swept = true;
  for (const f of fs.readdirSync(dir)) {
    const file = path.join(dir, f);
    try {
      if (Date.now() - fs.statSync(file).mtimeMs > FORGOTTEN_MS) fs.rmSync(file, { force: true });
    } catch {
      // removed meanwhile by another process
    }
  }
}

interface Budget {
  /** Send times (epoch ms) within the current window, oldest first. */
  sent: number[];
  /** No request leaves before this time (the vendor said so). */
  pausedUntil: number;
}

export function budgetDirectory(): string {
  const root = process.env.MAILFORM_CACHE || path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache"), "mailform");
  return path.join(root, "rate");
}

export class SharedBudget {
  private readonly file: string;
  private readonly lock: string;

  /** `key` names the credential (vendor, address, credential); only its hash reaches the disk. */
  constructor(key: string, dir = budgetDirectory()) {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    sweep(dir);
    const name = createHash("sha256").update(key).digest("hex");
    this.file = path.join(dir, `${name}.json`);
    this.lock = `${this.file}.lock`;
  }

  /**
   * Takes a slot at `now` when the window (`limit` per `windowMs`) and the vendor's pause allow,
   * returning 0; otherwise how long to wait before asking again.
   */
  take(now: number, limit: number, windowMs: number): number {
    return this.locked((b) => {
      b.sent = b.sent.filter((t) => t > now - windowMs);
      const bySlot = b.sent.length < limit ? 0 : b.sent[b.sent.length - limit]! + windowMs - now;
      const wait = Math.max(bySlot, b.pausedUntil - now);
      if (wait <= 0) b.sent.push(now);
      return wait;
    });
  }

  /** The vendor says nothing more may be sent before `until` (epoch ms). */
  pauseUntil(until: number): void {
    this.locked((b) => {
      if (until > b.pausedUntil) b.pausedUntil = until;
    });
  }

  private locked<T>(change: (b: Budget) => T): T {
    this.acquireLock();
    try {
      const budget = this.read();
      const result = change(budget);
      const tmp = `${this.file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify(budget), { mode: 0o600 });
      fs.renameSync(tmp, this.file);
      return result;
    } finally {
      fs.rmSync(this.lock, { force: true });
    }
  }

  private read(): Budget {
    try {
      const parsed = JSON.parse(fs.readFileSync(this.file, "utf8")) as Partial<Budget>;
      return {
        sent: Array.isArray(parsed.sent) ? parsed.sent.filter((t) => typeof t === "number") : [],
        pausedUntil: typeof parsed.pausedUntil === "number" ? parsed.pausedUntil : 0,
      };
    } catch {
      return { sent: [], pausedUntil: 0 }; // none yet, or unreadable: start afresh
    }
  }

  /** Spins briefly: the lock is only ever held for one small read and write. */
  private acquireLock(): void {
    for (let attempt = 0; ; attempt++) {
      try {
        fs.writeFileSync(this.lock, String(process.pid), { flag: "wx", mode: 0o600 });
        return;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      }
      if (this.lockIsStale()) fs.rmSync(this.lock, { force: true });
      else if (attempt % 50 === 49) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
    }
  }

  private lockIsStale(): boolean {
    try {
      const pid = Number(fs.readFileSync(this.lock, "utf8"));
      if (Date.now() - fs.statSync(this.lock).mtimeMs > STALE_LOCK_MS) return true;
      if (Number.isInteger(pid) && pid > 0) process.kill(pid, 0);
      return false;
    } catch (e) {
      // ESRCH: the holder is gone. ENOENT: released meanwhile (retry at once).
      return (e as NodeJS.ErrnoException).code === "ESRCH" || (e as NodeJS.ErrnoException).code === "ENOENT";
    }
  }
}

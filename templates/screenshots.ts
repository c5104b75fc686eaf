/**
 * PNG screenshots of rendered messages with Debian's chromium (headless CLI), at desktop and mobile
 * widths, when it is installed. Each run gets a fresh profile directory; the flags keep it off the
 * network (no component updates, sync or background requests).
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export const CHROMIUM = process.env.MAILFORM_CHROMIUM ?? "/usr/bin/chromium";
export const WIDTHS = { desktop: [1200, 900], mobile: [390, 900] } as const;

export const chromiumAvailable = (): boolean => fs.existsSync(CHROMIUM);

/** Screenshots `htmlFile` into `png` at `width`x`height`; false when chromium failed. */
export function screenshot(htmlFile: string, png: string, [width, height]: readonly [number, number]): boolean {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "mailform-chromium-"));
  try {
    const r = spawnSync(
      CHROMIUM,
      [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        `--user-data-dir=${profile}`,
        `--window-size=${width},${height}`,
        `--screenshot=${png}`,
        `file://${path.resolve(htmlFile)}`,
      ],
      { encoding: "utf8", timeout: 60_000 },
    );
    return r.status === 0 && fs.existsSync(png);
  } finally {
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

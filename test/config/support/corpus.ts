/**
 * Reads the expectations of the invalid corpus: each file under test/config/invalid/ starts with
 * one line per expected error,
 *
 *   # expect: <file>:<line>:<column> <CODE> <problem> | fix: <fix>
 *
 * where <file> is relative to test/config/invalid/ (an include file can be the one located) and
 * the stack file's directory appears as "./" in messages.
 */
import * as fs from "node:fs";
import * as path from "node:path";

export const INVALID_DIR = path.join(__dirname, "..", "invalid");

export interface Expectation {
  location: string;
  code: string;
  problem: string;
  fix: string;
}

const LINE = /^# expect: (\S+:\d+:\d+) ([A-Z_]+) (.+?) \| fix: (.+)$/;

export function corpusFiles(): string[] {
  return fs
    .readdirSync(INVALID_DIR)
    .filter((f) => f.endsWith(".yaml"))
    .sort();
}

export function expectations(file: string): Expectation[] {
  const text = fs.readFileSync(path.join(INVALID_DIR, file), "utf8");
  const out: Expectation[] = [];
  for (const line of text.split("\n")) {
    if (!line.startsWith("# expect:")) continue;
    const m = LINE.exec(line);
    if (!m) throw new Error(`${file}: malformed expectation line: ${line}`);
    out.push({ location: m[1]!, code: m[2]!, problem: m[3]!, fix: m[4]! });
  }
  return out;
}

/** Messages name the corpus directory as the working directory shows it; expectations say "./". */
export function normalize(text: string): string {
  const shown = path.relative(process.cwd(), INVALID_DIR).split(path.sep).join("/");
  return text.split(`${shown}/`).join("./");
}

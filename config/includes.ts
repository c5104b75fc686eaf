/**
 * `{file: path}` includes: template bodies kept in their own files so that a template change is a
 * readable diff. Paths are relative to the stack file and must stay inside its directory tree.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { StackError } from "./errors";
import { displayPath, formatPath, invalidUtf8, SourceText, type PathSeg, type YamlSource } from "./source";
import { didYouMean } from "./suggest";
import { bodyFields, rec } from "./walk";

export interface IncludeResult {
  errors: StackError[];
  /** Text of each include, by the field path of the body (`mailtrap.emailTemplates.welcome.html`). */
  texts: Map<string, string>;
  /** Each included file once, with the body field that first includes it, for checks that scan content. */
  files: { source: SourceText; path: string }[];
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

export function resolveIncludes(data: unknown, src: YamlSource): IncludeResult {
  const result: IncludeResult = { errors: [], texts: new Map(), files: [] };
  const baseDir = path.dirname(src.abs);
  const byFile = new Map<string, SourceText>();
  for (const [segs, value] of bodyFields(data)) {
    const file = rec(value)?.file;
    if (typeof file !== "string" || file.length === 0) continue; // the schema reports it
    const at: PathSeg[] = [...segs, "file"];
    const fail = (code: StackError["code"], problem: string, fix: string) =>
      result.errors.push(src.errorAt(src.locate(at, "value"), { code, path: formatPath(at), problem, fix }));
    const dirShown = displayPath(baseDir) + "/";

    if (path.isAbsolute(file) || /^[A-Za-z]:[\\/]/.test(file) || file.startsWith("~")) {
      fail(
        "INCLUDE_OUTSIDE_STACK_DIR",
        `include path "${file}" is absolute`,
        `use a path relative to the stack file's directory (${dirShown}), e.g. templates/${path.basename(file)}`,
      );
      continue;
    }
    const target = path.resolve(baseDir, file);
    if (!inside(baseDir, target)) {
      fail(
        "INCLUDE_OUTSIDE_STACK_DIR",
        `include "${file}" points outside the stack file's directory (${dirShown})`,
        `move the file under ${dirShown} (e.g. ${dirShown}templates/) and refer to it relative to the stack file`,
      );
      continue;
    }
    let stat: fs.Stats;
    try {
      stat = fs.statSync(target);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ELOOP") {
        fail(
          "INCLUDE_UNREADABLE",
          `include "${file}" is a symbolic link loop`,
          `replace the link by the file itself (under ${dirShown})`,
        );
        continue;
      }
      const guess = guessFile(baseDir, file);
      fail(
        "INCLUDE_NOT_FOUND",
        `include file not found: ${displayPath(target)}`,
        guess
          ? `did you mean ${guess}? Write file: ${guess}`
          : `create ${displayPath(target)}, or correct the path (it is relative to ${dirShown})`,
      );
      continue;
    }
    if (stat.isDirectory()) {
      fail("INCLUDE_UNREADABLE", `include "${file}" is a directory`, "name a file, e.g. templates/welcome.html");
      continue;
    }
    let real: string;
    try {
      real = fs.realpathSync(target);
    } catch {
      real = target;
    }
    if (!inside(safeRealpath(baseDir), real)) {
      fail(
        "INCLUDE_OUTSIDE_STACK_DIR",
        `include "${file}" is a link to ${real}, outside the stack file's directory (${dirShown})`,
        `copy the file under ${dirShown} instead of linking to it`,
      );
      continue;
    }
    let source = byFile.get(target);
    if (!source) {
      let text: string;
      let bytes: Buffer | undefined;
      try {
        bytes = fs.readFileSync(target);
        text = utf8.decode(bytes);
      } catch (err) {
        const bad = bytes && invalidUtf8(bytes);
        fail(
          "INCLUDE_UNREADABLE",
          bad ? `include "${file}" is not UTF-8 text (${whereInFile(bytes!, bad)})` : `include "${file}" cannot be read (${(err as Error).message})`,
          bad ? "save the file as UTF-8 text" : "make the file readable",
        );
        continue;
      }
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      source = new SourceText(target, text);
      byFile.set(target, source);
      result.files.push({ source, path: formatPath(segs) });
    }
    result.texts.set(formatPath(segs), source.text);
  }
  return result;
}

/** "line 3, column 9: byte 0xE9", for the first byte of an include that is not UTF-8. */
function whereInFile(bytes: Buffer, bad: { offset: number; byte: number }): string {
  const before = new TextDecoder("utf-8").decode(bytes.subarray(0, bad.offset));
  const lineStart = before.lastIndexOf("\n") + 1;
  const line = before.slice(0, lineStart).split("\n").length;
  return `line ${line}, column ${before.length - lineStart + 1}: byte 0x${bad.byte.toString(16).toUpperCase().padStart(2, "0")}`;
}

function inside(dir: string, target: string): boolean {
  const rel = path.relative(dir, target);
  return rel !== "" && !rel.startsWith("..") && !path.isAbsolute(rel);
}

function safeRealpath(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return p;
  }
}

/** A file under the stack's directory whose relative path is close to the one asked for. */
function guessFile(baseDir: string, wanted: string): string | undefined {
  const files: string[] = [];
  const walk = (dir: string, rel: string, depth: number) => {
    if (depth > 4 || files.length > 2000) return;
    let names: fs.Dirent[];
    try {
      names = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const d of names) {
      if (d.name.startsWith(".") || d.name === "node_modules") continue;
      const r = rel ? `${rel}/${d.name}` : d.name;
      if (d.isDirectory()) walk(path.join(dir, d.name), r, depth + 1);
      else files.push(r);
    }
  };
  walk(baseDir, "", 0);
  const norm = wanted.replace(/\\/g, "/").replace(/^\.\//, "");
  return (
    didYouMean(norm, files) ??
    files.find((f) => path.posix.basename(f) === path.posix.basename(norm) && f !== norm)
  );
}

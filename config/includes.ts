/**
 * `{file: path}` includes: template bodies kept in their own files so that a template change is a
 * readable diff. Paths are relative to the stack file and must stay inside its directory tree. And
 * the vendors' size limits on bodies, inline or included.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { StackError } from "./errors";
import { badUtf8, displayPath, formatPath, SourceText, type PathSeg, type YamlSource } from "./source";
import { didYouMean } from "./suggest";
import { bodyFields, rec } from "./walk";
import { compileMjml } from "../templates/mjml";

export interface IncludeResult {
  errors: StackError[];
  /** Text of each include, by the field path of the body (`mailtrap.emailTemplates.welcome.html`). */
  texts: Map<string, string>;
  /** Each included file once, with the body field that first includes it, for checks that scan content. */
  files: { source: SourceText; path: string }[];
  /** The file behind each body read as it is (not compiled), by field path: where checks locate their findings. */
  bodyFiles: Map<string, SourceText>;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

type Refusal = { code: StackError["code"]; problem: string; fix: string };

export function resolveIncludes(data: unknown, src: YamlSource): IncludeResult {
  const result: IncludeResult = { errors: [], texts: new Map(), files: [], bodyFiles: new Map() };
  const baseDir = path.dirname(src.abs);
  const byFile = new Map<string, SourceText>();
  for (const [segs, value] of bodyFields(data)) {
    const file = rec(value)?.file;
    if (typeof file !== "string" || file.length === 0) continue; // the schema reports it
    const target = path.resolve(baseDir, file);
    const read = byFile.get(target) ?? readInclude(file, target, baseDir);
    if (!(read instanceof SourceText)) {
      const at: PathSeg[] = [...segs, "file"];
      result.errors.push(src.errorAt(src.locate(at, "value"), { ...read, path: formatPath(at) }));
      continue;
    }
    if (!byFile.has(target)) result.files.push({ source: read, path: formatPath(segs) });
    byFile.set(target, read);
    // Mailjet's own `mjml` part is MJML source Mailjet keeps: not compiled.
    if (!/\.mjml$/i.test(target) || segs[segs.length - 1] === "mjml") {
      result.texts.set(formatPath(segs), read.text);
      result.bodyFiles.set(formatPath(segs), read);
      continue;
    }
    // An MJML body is compiled here: the HTML is what is uploaded, stored and diffed.
    const compiled = compileMjml(read.text);
    if ("html" in compiled) result.texts.set(formatPath(segs), compiled.html);
    else
      for (const p of compiled.problems) {
        const start = (read.lines.lineStarts[p.line - 1] ?? 0) + p.column - 1;
        result.errors.push(
          read.errorAt({ start, end: start + 1 }, {
            code: "TEMPLATE_SYNTAX",
            path: formatPath(segs),
            problem: `MJML: ${p.message}`,
            fix: "correct the MJML (elements and attributes as documented at https://documentation.mjml.io)",
          }),
        );
      }
  }
  return result;
}

/** The text of an include, or why it cannot be one. */
function readInclude(file: string, target: string, baseDir: string): SourceText | Refusal {
  const dirShown = displayPath(baseDir) + "/";
  const refuse = (code: StackError["code"], problem: string, fix: string): Refusal => ({ code, problem, fix });
  if (path.isAbsolute(file) || /^[A-Za-z]:[\\/]/.test(file) || file.startsWith("~"))
    return refuse("INCLUDE_OUTSIDE_STACK_DIR", `include path "${file}" is absolute`, `use a path relative to the stack file's directory (${dirShown}), e.g. templates/${path.basename(file)}`);
  if (!inside(baseDir, target))
    return refuse(
      "INCLUDE_OUTSIDE_STACK_DIR",
      `include "${file}" points outside the stack file's directory (${dirShown})`,
      `move the file under ${dirShown} (e.g. ${dirShown}templates/) and refer to it relative to the stack file`,
    );
  let stat: fs.Stats;
  try {
    stat = fs.statSync(target);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ELOOP")
      return refuse("INCLUDE_UNREADABLE", `include "${file}" is a symbolic link loop`, `replace the link by the file itself (under ${dirShown})`);
    const guess = guessFile(baseDir, file);
    const fix = guess ? `did you mean ${guess}? Write file: ${guess}` : `create ${displayPath(target)}, or correct the path (it is relative to ${dirShown})`;
    return refuse("INCLUDE_NOT_FOUND", `include file not found: ${displayPath(target)}`, fix);
  }
  if (stat.isDirectory()) return refuse("INCLUDE_UNREADABLE", `include "${file}" is a directory`, "name a file, e.g. templates/welcome.html");
  const real = safeRealpath(target);
  if (!inside(safeRealpath(baseDir), real))
    return refuse("INCLUDE_OUTSIDE_STACK_DIR", `include "${file}" is a link to ${real}, outside the stack file's directory (${dirShown})`, `copy the file under ${dirShown} instead of linking to it`);
  let bytes: Buffer | undefined;
  try {
    bytes = fs.readFileSync(target);
    const text = utf8.decode(bytes);
    return new SourceText(target, text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (err) {
    const bad = bytes && badUtf8(target, bytes);
    if (!bad) return refuse("INCLUDE_UNREADABLE", `include "${file}" cannot be read (${(err as Error).message})`, "make the file readable");
    const { line, column } = bad.shown.position(bad.at);
    return refuse("INCLUDE_UNREADABLE", `include "${file}" is not UTF-8 text (line ${line}, column ${column}: byte ${bad.byte})`, "save the file as UTF-8 text");
  }
}

export function inside(dir: string, target: string): boolean {
  const rel = path.relative(dir, target);
  return rel !== "" && !rel.startsWith("..") && !path.isAbsolute(rel);
}

export function safeRealpath(p: string): string {
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
  return didYouMean(norm, files) ?? files.find((f) => path.posix.basename(f) === path.posix.basename(norm) && f !== norm);
}

const LIMITS: Record<string, { max: number; unit: "characters" | "bytes"; vendor: string }> = {
  mailtrap: { max: 10_000_000, unit: "characters", vendor: "Mailtrap" },
  sendgrid: { max: 1_048_576, unit: "bytes", vendor: "SendGrid" },
};

/** Template bodies larger than the vendor accepts (inline or included). */
export function checkContentSizes(data: unknown, texts: Map<string, string>, src: YamlSource): StackError[] {
  const out: StackError[] = [];
  for (const [segs, value] of bodyFields(data)) {
    const limit = LIMITS[String(segs[0])];
    const text = typeof value === "string" ? value : texts.get(formatPath(segs));
    if (!limit || text === undefined || text.length <= limit.max / (limit.unit === "bytes" ? 4 : 1)) continue; // cheap early out
    const size = limit.unit === "bytes" ? Buffer.byteLength(text, "utf8") : [...text].length;
    if (size <= limit.max) continue;
    out.push(
      src.errorAt(src.locate(rec(value) ? [...segs, "file"] : segs, "value"), {
        code: "CONTENT_TOO_LARGE",
        path: formatPath(segs),
        problem: `content is ${size.toLocaleString("en-US")} ${limit.unit}; ${limit.vendor} accepts at most ${limit.max.toLocaleString("en-US")}`,
        fix: "shorten it: host images and large assets elsewhere and link to them",
      }),
    );
  }
  return out;
}

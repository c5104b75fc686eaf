/**
 * Values that look like pasted credentials. A stack file is reviewed in pull requests and lives in
 * git history forever: a secret there is a leak. Credentials belong in stack config as secrets.
 *
 * Unmistakable shapes (SendGrid keys, JWTs, private keys, cloud and chat tokens) are searched for in
 * the whole text, comments included, and in included files. The 32-hex shape of Mailtrap and
 * Mailjet credentials is searched for only in short fields (names, subjects, descriptions...),
 * not in template bodies or test data, where hashes and ids are ordinary.
 */
import { urlCredentials } from "../providers/url-credentials";
import { StackError } from "./errors";
import { formatPath, type PathSeg, type SourceText, type YamlSource } from "./source";
import { eachString } from "./walk";

interface Shape {
  what: string;
  re: RegExp;
  setting?: string;
}

const STRONG: Shape[] = [
  { what: "a SendGrid API key", re: /SG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}/g, setting: "mailform:sendgridApiKey" },
  { what: "a private key", re: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/g },
  { what: "a JSON Web Token", re: /eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g },
  { what: "an AWS access key id", re: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g },
  { what: "a GitHub token", re: /\bgh[pousr]_[A-Za-z0-9]{36,}\b/g },
  { what: "a Slack token", re: /\bxox[abprs]-[A-Za-z0-9-]{10,}/g },
];

const HEX_TOKEN = /(?<![0-9A-Za-z])[0-9a-fA-F]{32,64}(?![0-9A-Za-z])/g;

const SECTION_SETTINGS: Record<string, string> = {
  mailtrap: "mailform:mailtrapApiToken",
  sendgrid: "mailform:sendgridApiKey",
  mailjet: "mailform:mailjetApiKey (and mailform:mailjetSecretKey)",
};

const BODY_FIELDS = new Set(["html", "text", "mjml"]);

export function scanSecrets(
  src: YamlSource,
  data: unknown,
  includes: readonly { source: SourceText; path: string }[],
): StackError[] {
  const out: StackError[] = [];
  const taken: [number, number][] = [];

  for (const shape of STRONG) {
    for (const m of src.text.matchAll(shape.re)) {
      const start = m.index;
      const end = start + m[0].length;
      taken.push([start, end]);
      const segs = src.pathAt(start);
      const { line, column } = src.position(start);
      const inComment = /(^|\s)#/.test(src.lineText(line).slice(0, column - 1));
      const setting = shape.setting ?? SECTION_SETTINGS[String(segs[0])] ?? "mailform:<name>";
      out.push(secretError(src, start, end, formatPath(inComment ? [] : segs), shape.what, setting, inComment));
    }
  }

  eachString(data, (path, value) => {
    if (value.includes("://")) {
      const error = urlCredentialsError(src, [...path], value, taken);
      if (error) out.push(error);
    }
    if (!/[0-9a-fA-F]{32}/.test(value) || isContentField(path)) return;
    const segs = [...path];
    for (const m of value.matchAll(HEX_TOKEN)) {
      if (!/[a-fA-F]/.test(m[0]) || !/[0-9]/.test(m[0])) continue;
      const span = src.locate(segs, "value");
      const found = src.text.indexOf(m[0], span.start);
      const start = found >= 0 && found <= span.end + value.length ? found : span.start;
      const end = start + m[0].length;
      if (taken.some(([a, b]) => start < b && end > a)) continue;
      taken.push([start, end]);
      const setting = SECTION_SETTINGS[String(segs[0])] ?? "mailform:<name>";
      out.push(secretError(src, start, end, formatPath(segs), "an API token (32 or more hexadecimal characters)", setting, false));
    }
  });

  for (const { source, path } of includes) {
    for (const shape of STRONG) {
      for (const m of source.text.matchAll(shape.re)) {
        const setting = shape.setting ?? SECTION_SETTINGS[path.split(".")[0] ?? ""] ?? "mailform:<name>";
        out.push(secretError(source, m.index, m.index + m[0].length, path, shape.what, setting, false));
      }
    }
  }
  return out;
}

/** What else authenticates a vendor's posts, by section. */
const URL_CREDENTIALS_ADVICE: Record<string, string> = {
  sendgrid: "to authenticate SendGrid's posts, give the webhook `signed: true` (or `oauth:`, whose secret stays in stack config) and check the signature (or token) where the events arrive",
  mailjet: "if the endpoint needs credentials in its URL, manage this callback outside mailform (remove the entry), so they stay out of git and state",
};

/**
 * A value that is a URL with credentials in it (every URL field of every kind: the SendGrid event
 * webhook's, the Mailjet event callback's, any added later). Located at the credentials, which
 * the printed line masks.
 */
function urlCredentialsError(src: YamlSource, segs: PathSeg[], value: string, taken: [number, number][]): StackError | undefined {
  const at = urlCredentials(value);
  if (!at) return undefined;
  const credentials = value.slice(at.start, at.end);
  const span = src.locate(segs, "value");
  const found = src.text.slice(span.start, span.end).indexOf(credentials);
  const start = found >= 0 ? span.start + found : span.start;
  const end = found >= 0 ? start + credentials.length : span.end;
  if (taken.some(([a, b]) => start < b && end > a)) return undefined; // already reported as what it is (a SendGrid key...)
  taken.push([start, end]);
  const advice = URL_CREDENTIALS_ADVICE[String(segs[0])];
  const e = src.errorAt({ start, end }, {
    code: "PASTED_SECRET",
    path: formatPath(segs),
    problem:
      "the URL carries credentials (a user name or password before the host); a stack file is kept in git, and this URL would also be kept in Pulumi state and shown in plans and drift reports",
    fix: `remove the credentials (between "://" and "@"), and change that password if this file was ever committed${advice ? `; ${advice}` : ""}`,
  });
  // The printed line must not repeat them in a CI log.
  const line = e.sourceLine ?? "";
  const from = e.column - 1;
  const to = Math.min(line.length, from + e.span);
  const masked = line.slice(0, from) + "*".repeat(Math.max(0, to - from)) + line.slice(to);
  return new StackError({ ...e, sourceLine: masked, code: e.code, severity: e.severity });
}

/** Template bodies, include paths and test data: long free text where hex ids are ordinary. */
function isContentField(segs: readonly PathSeg[]): boolean {
  if (segs.includes("testData")) return true;
  const last = segs[segs.length - 1];
  const parent = segs[segs.length - 2];
  if (typeof last === "string" && BODY_FIELDS.has(last)) return true;
  return last === "file" && typeof parent === "string" && BODY_FIELDS.has(parent);
}

function secretError(
  src: SourceText,
  start: number,
  end: number,
  path: string,
  what: string,
  setting: string,
  inComment: boolean,
): StackError {
  const e = src.errorAt({ start, end }, {
    code: "PASTED_SECRET",
    path,
    problem: `looks like ${what}${inComment ? " in a comment" : ""}; secrets do not belong in stack files or their includes`,
    fix: `remove it (and revoke it if it was ever committed); keep credentials in stack config: pulumi config set --secret ${setting} <value>`,
  });
  // The printed line must not repeat the secret in a CI log: keep 4 characters, mask the rest.
  const from = e.column - 1 + 4;
  const to = e.column - 1 + e.span;
  const line = e.sourceLine ?? "";
  const masked = line.slice(0, from) + "*".repeat(Math.max(0, Math.min(to, line.length) - from)) + line.slice(to);
  return new StackError({ ...e, sourceLine: masked, code: e.code, severity: e.severity });
}

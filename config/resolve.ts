/**
 * Builds the ResolvedStack from data that passed every check, and checks the sizes of template
 * bodies once their includes are read.
 */
import * as path from "node:path";
import type { StackError } from "./errors";
import { formatPath, type PathSeg, type YamlSource } from "./source";
import { KINDS } from "../providers/kinds";
import { compact } from "../providers/resource";
import type * as Raw from "./stack.generated";
import type {
  MailtrapPermission,
  ResolvedResource,
  ResolvedStack,
  ResourceOptions,
} from "./types";
import { bodyFields, countEntriesAt, entriesAt, rec } from "./walk";

const LIMITS: Record<string, { max: number; unit: "characters" | "bytes"; vendor: string }> = {
  mailtrap: { max: 10_000_000, unit: "characters", vendor: "Mailtrap" },
  sendgrid: { max: 1_048_576, unit: "bytes", vendor: "SendGrid" },
};

/** Template bodies larger than the vendor accepts (inline or included). */
export function checkContentSizes(data: unknown, texts: Map<string, string>, src: YamlSource): StackError[] {
  const out: StackError[] = [];
  for (const [segs, value] of bodyFields(data)) {
    const limit = LIMITS[String(segs[0])];
    if (!limit) continue;
    const included = rec(value) !== undefined;
    const text = typeof value === "string" ? value : texts.get(formatPath(segs));
    if (text === undefined) continue;
    if (text.length <= limit.max / (limit.unit === "bytes" ? 4 : 1)) continue; // cheap early out
    const size = limit.unit === "bytes" ? Buffer.byteLength(text, "utf8") : [...text].length;
    if (size <= limit.max) continue;
    const at: PathSeg[] = included ? [...segs, "file"] : segs;
    out.push(
      src.errorAt(src.locate(at, "value"), {
        code: "CONTENT_TOO_LARGE",
        path: formatPath(segs),
        problem: `content is ${size.toLocaleString("en-US")} ${limit.unit}; ${limit.vendor} accepts at most ${limit.max.toLocaleString("en-US")}`,
        fix: "shorten it: host images and large assets elsewhere and link to them",
      }),
    );
  }
  return out;
}

function options(e: { protect?: boolean; retainOnDelete?: boolean; adopt?: boolean; movedFrom?: string | string[] }): ResourceOptions {
  const movedFrom = e.movedFrom === undefined ? [] : Array.isArray(e.movedFrom) ? e.movedFrom : [e.movedFrom];
  return { protect: e.protect, retainOnDelete: e.retainOnDelete ?? false, adopt: e.adopt ?? false, movedFrom };
}

/** Undefined fields dropped, so that resolved props compare and serialize cleanly. */
const clean = compact;

/** Entry kinds resolved by hand below (nesting, references, bodies); every other kind maps straight. */
const HAND_RESOLVED = new Set<string>([
  "mailtrap:project",
  "mailtrap:inbox",
  "mailtrap:emailTemplate",
  "mailtrap:apiToken",
  "sendgrid:template",
  "sendgrid:templateVersion",
  "sendgrid:apiKey",
  "mailjet:template",
  "mailjet:apiKey",
]);

/**
 * The number of Pulumi resources of valid data, without building the ResolvedStack: every entry of
 * every kind, each a resource with life-cycle options of its own (a SendGrid template version is
 * part of its template's resource, and no kind of its own). Equals the ResolvedStack's resources
 * that have options.
 */
export function countResources(data: Raw.Stack): number {
  let n = 0;
  for (const def of KINDS) n += countEntriesAt(data, def.yamlPath.split("."));
  return n;
}

export function buildResolvedStack(data: Raw.Stack, texts: Map<string, string>, src: YamlSource): ResolvedStack {
  const body = (v: string | Raw.FileInclude | undefined, segs: PathSeg[]): string | undefined =>
    v === undefined ? undefined : typeof v === "string" ? v : texts.get(formatPath(segs));

  const stack: ResolvedStack = {
    file: src.display,
    stack: path.basename(src.abs).replace(/\.ya?ml$/i, ""),
    mailtrap: { apiVersion: data.mailtrap?.apiVersion ?? "v2", projects: [], inboxes: [], emailTemplates: [], apiTokens: [] },
    sendgrid: { templates: [], versions: [], apiKeys: [] },
    mailjet: { templates: [], apiKeys: [] },
    resources: [],
  };

  const mt = data.mailtrap;
  for (const [pk, p] of Object.entries(mt?.projects ?? {})) {
    const address = `mailtrap.projects.${pk}`;
    stack.mailtrap.projects.push({ kind: "mailtrap:project", key: pk, address, options: options(p), props: { name: p.name } });
    for (const [ik, i] of Object.entries(p.inboxes ?? {}))
      stack.mailtrap.inboxes.push({
        kind: "mailtrap:inbox",
        key: `${pk}/${ik}`,
        address: `${address}.inboxes.${ik}`,
        project: pk,
        options: options(i),
        props: clean({ name: i.name, emailUsername: i.emailUsername }),
      });
  }
  for (const [tk, t] of Object.entries(mt?.emailTemplates ?? {})) {
    const at: PathSeg[] = ["mailtrap", "emailTemplates", tk];
    stack.mailtrap.emailTemplates.push({
      kind: "mailtrap:emailTemplate",
      key: tk,
      address: formatPath(at),
      options: options(t),
      props: clean({
        name: t.name,
        category: t.category,
        subject: t.subject,
        html: body(t.html, [...at, "html"]),
        text: body(t.text, [...at, "text"]),
      }),
    });
  }
  for (const [tk, t] of Object.entries(mt?.apiTokens ?? {})) {
    const permissions: MailtrapPermission[] = (t.permissions ?? []).map((p) =>
      p.project !== undefined
        ? { kind: "project", key: p.project, access: p.access }
        : { kind: "inbox", key: p.inbox ?? "", access: p.access },
    );
    stack.mailtrap.apiTokens.push({
      kind: "mailtrap:apiToken",
      key: tk,
      address: `mailtrap.apiTokens.${tk}`,
      options: options(t),
      props: { name: t.name, permissions },
    });
  }

  const sg = data.sendgrid;
  for (const [tk, t] of Object.entries(sg?.templates ?? {})) {
    const address = `sendgrid.templates.${tk}`;
    stack.sendgrid.templates.push({
      kind: "sendgrid:template",
      key: tk,
      address,
      options: options(t),
      props: { name: t.name, generation: t.generation },
    });
    for (const [vk, v] of Object.entries(t.versions ?? {})) {
      const at: PathSeg[] = ["sendgrid", "templates", tk, "versions", vk];
      stack.sendgrid.versions.push({
        kind: "sendgrid:templateVersion",
        key: `${tk}/${vk}`,
        address: formatPath(at),
        template: tk,
        props: clean({
          name: v.name,
          subject: v.subject,
          html: body(v.html, [...at, "html"]),
          text: body(v.text, [...at, "text"]),
          generatePlainContent: v.generatePlainContent,
          editor: v.editor,
          testData: v.testData,
          active: v.active,
        }),
      });
    }
  }
  for (const [kk, k] of Object.entries(sg?.apiKeys ?? {}))
    stack.sendgrid.apiKeys.push({
      kind: "sendgrid:apiKey",
      key: kk,
      address: `sendgrid.apiKeys.${kk}`,
      options: options(k),
      props: clean({ name: k.name, scopes: k.scopes }),
    });

  const mj = data.mailjet;
  for (const [tk, t] of Object.entries(mj?.templates ?? {})) {
    const at: PathSeg[] = ["mailjet", "templates", tk];
    const c = t.content;
    stack.mailjet.templates.push({
      kind: "mailjet:template",
      key: tk,
      address: formatPath(at),
      options: options(t),
      props: clean({
        name: t.name,
        ownerType: t.ownerType ?? "apikey",
        purposes: t.purposes,
        locale: t.locale,
        description: t.description,
        categories: t.categories,
        editMode: t.editMode,
        isTextPartGenerationEnabled: t.isTextPartGenerationEnabled,
        content: c
          ? clean({
              headers: c.headers,
              html: body(c.html, [...at, "content", "html"]),
              text: body(c.text, [...at, "content", "text"]),
              mjml: body(c.mjml, [...at, "content", "mjml"]),
            })
          : undefined,
      }),
    });
  }
  for (const [kk, k] of Object.entries(mj?.apiKeys ?? {}))
    stack.mailjet.apiKeys.push({
      kind: "mailjet:apiKey",
      key: kk,
      address: `mailjet.apiKeys.${kk}`,
      options: options(k),
      props: clean({ name: k.name, active: k.active }),
    });

  const all: ResolvedResource[] = [
    ...stack.mailtrap.projects,
    ...stack.mailtrap.inboxes,
    ...stack.mailtrap.emailTemplates,
    ...stack.mailtrap.apiTokens,
    ...stack.sendgrid.templates,
    ...stack.sendgrid.versions,
    ...stack.sendgrid.apiKeys,
    ...stack.mailjet.templates,
    ...stack.mailjet.apiKeys,
  ];
  for (const def of KINDS.filter((k) => !HAND_RESOLVED.has(k.entryKind))) {
    for (const e of entriesAt(data, def.yamlPath.split("."))) {
      all.push({ kind: def.entryKind, key: e.key, address: formatPath(e.segs), options: options(e.raw as Parameters<typeof options>[0]), props: clean(e.props) });
    }
  }
  stack.resources = all;
  return stack;
}

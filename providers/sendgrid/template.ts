/**
 * SendGrid transactional template with its versions, as one resource: versions have no identity
 * of their own in SendGrid's API (they live inside the template), so they are a map inside the
 * template's inputs, addressed by a stable key from YAML; their ids are kept in `versionIds`.
 *
 * Calls are the fewest that converge: a rename is one PATCH of the template; a changed version is
 * one PATCH of that version; an added or removed version one POST or DELETE; switching the active
 * version one POST to `.../activate` (SendGrid deactivates the previous one itself).
 *
 * Natural key (adoption): name + generation. Generation cannot change: a change replaces.
 *
 * Normalization, so that desired and live compare equal:
 * - `generation` defaults to `legacy`, `html` to "", `editor` to `code` (SendGrid's defaults).
 * - `generatePlainContent` defaults to true unless `text` is given (then false: the text
 *   given is the text wanted). While it is true SendGrid generates the plain text from the HTML,
 *   so `text` is not managed; likewise when it is false but no text is given (SendGrid
 *   then generates it too).
 * - SendGrid activates the first version of a template whatever was asked, and keeps one active:
 *   when no version says `active: true`, the first by key is the active one. Two active: an error.
 * - `testData` is for dynamic templates only (SendGrid stores it as a JSON string): ignored on
 *   legacy templates; compared as parsed JSON.
 */
import { isDeepStrictEqual } from "node:util";
import { compact, type KindDefinition, type LiveObject } from "../resource";
import { keyPart } from "../natural-key";
import { sendgrid } from "../clients";
import { templatePage } from "./responses";
import { isRecord, part } from "../../templates/message";
import { perAccount, type AccountInputs } from "./accounts";

export type Generation = "legacy" | "dynamic";
export type Editor = "code" | "design";

export interface VersionInputs {
  name: string;
  subject: string;
  html?: string;
  text?: string;
  generatePlainContent?: boolean;
  editor?: Editor;
  testData?: unknown;
  active?: boolean;
}

export interface TemplateInputs {
  name: string;
  generation?: Generation;
  versions?: Record<string, VersionInputs>;
}

export interface TemplateOutputs {
  templateId: string;
  /** Version id per version key (versions found live but not declared get a key `unmanaged:<id>`). */
  versionIds: Record<string, string>;
  /**
   * Dynamic templates: per version key, the version's `updated_at` at which mailform last knew its
   * test data for certain (see `knownAt`). A listed version still carrying that stamp has the test
   * data state holds, so a refresh does not read it again.
   */
  versionStamps?: Record<string, string>;
}

interface ApiVersion {
  id: string;
  template_id?: string;
  active: 0 | 1;
  name: string;
  subject: string;
  html_content?: string;
  plain_content?: string;
  generate_plain_content?: boolean;
  editor?: Editor;
  test_data?: string;
  updated_at?: string;
}

interface ApiTemplate {
  id: string;
  name: string;
  generation: Generation;
  updated_at?: string;
  versions?: ApiVersion[];
}

const UNMANAGED = "unmanaged:";

/** Keys in a stable order: Pulumi keeps maps sorted, so "first" must not depend on YAML order. */
function sortedKeys(map: Record<string, unknown> | undefined): string[] {
  return Object.keys(map ?? {}).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function isEmptyTestData(value: unknown): boolean {
  return value === undefined || value === null || value === "" || (typeof value === "object" && Object.keys(value as object).length === 0);
}

/** A version stored by a release before the fields took their YAML names (`htmlContent`, `plainContent`). */
function withYamlNames(v: VersionInputs & { htmlContent?: string; plainContent?: string }): VersionInputs {
  const { htmlContent, plainContent, ...rest } = v;
  return { ...rest, html: v.html ?? htmlContent, text: v.text ?? plainContent };
}

/** One version's fields as SendGrid keeps them (without the template-level active rule). */
export function normalizeVersion(given: VersionInputs, generation: Generation): VersionInputs {
  const v = withYamlNames(given);
  const generatePlainContent = v.generatePlainContent ?? v.text === undefined;
  const managedPlain = !generatePlainContent && v.text !== undefined && v.text !== "";
  return compact({
    name: v.name,
    subject: v.subject,
    html: v.html ?? "",
    text: managedPlain ? v.text : undefined,
    generatePlainContent,
    editor: v.editor ?? "code",
    testData: generation === "dynamic" && !isEmptyTestData(v.testData) ? v.testData : undefined,
    active: v.active === true,
  });
}

export function normalizeTemplate(inputs: TemplateInputs): TemplateInputs {
  const generation = inputs.generation ?? "legacy";
  const keys = sortedKeys(inputs.versions);
  const versions: Record<string, VersionInputs> = {};
  for (const key of keys) versions[key] = normalizeVersion(inputs.versions![key]!, generation);
  const active = keys.filter((k) => versions[k]!.active);
  if (active.length > 1) {
    throw new Error(
      `SendGrid template "${inputs.name}": versions ${active.join(", ")} are all marked active; a template has at most one active version`,
    );
  }
  if (active.length === 0 && keys.length > 0) versions[keys[0]!]!.active = true;
  // No versions: no `versions` field at all, so an empty map never compares unequal to a missing one.
  return keys.length > 0 ? { name: inputs.name, generation, versions } : { name: inputs.name, generation };
}

/** The API body of a version (`active` handled separately). */
function versionBody(v: VersionInputs, generation: Generation): Record<string, unknown> {
  return compact({
    name: v.name,
    subject: v.subject,
    html_content: v.html ?? "",
    generate_plain_content: v.generatePlainContent,
    plain_content: v.text,
    editor: v.editor,
    // Sent on dynamic templates only; "" clears it.
    test_data: generation === "dynamic" ? (v.testData === undefined ? "" : JSON.stringify(v.testData)) : undefined,
  });
}

function parseTestData(raw: string | undefined): unknown {
  if (raw === undefined || raw === "") return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return raw; // not JSON: shown as it is, so the diff says what is there
  }
}

/** A live version in the canonical input shape; `previous` says whether its plain text is managed. */
function versionFromLive(v: ApiVersion, generation: Generation, previous: VersionInputs | undefined): VersionInputs {
  const generatePlainContent = v.generate_plain_content ?? true;
  const plain = v.plain_content ?? "";
  const plainManaged = !generatePlainContent && (previous ? withYamlNames(previous).text !== undefined : plain !== "");
  const testData = generation === "dynamic" ? parseTestData(v.test_data) : undefined;
  return compact({
    name: v.name,
    subject: v.subject,
    html: v.html_content ?? "",
    text: plainManaged ? plain : undefined,
    generatePlainContent,
    editor: v.editor ?? "code",
    testData: isEmptyTestData(testData) ? undefined : testData,
    active: v.active === 1,
  });
}

/** Seconds since the epoch of SendGrid's `updated_at` (`2020-11-12 12:00:09`, UTC), or NaN. */
const stampSecond = (stamp: string): number => Math.floor(Date.parse(`${stamp.replace(" ", "T")}Z`) / 1000);

/**
 * The stamp under which a version answer's test data may be trusted later, or undefined. SendGrid
 * stamps a version's every change with `updated_at`, to the second: a change made later in the
 * same second as this answer would keep the stamp, so the stamp is kept only when SendGrid's own
 * clock (the answer's `Date`) had already passed that second. A version mailform has just created
 * is the exception (`created`): no one else could have known its id within that second.
 */
function knownAt(v: ApiVersion | undefined, date: string | null, created = false): string | undefined {
  if (typeof v?.updated_at !== "string") return undefined;
  const stamp = stampSecond(v.updated_at);
  if (!Number.isFinite(stamp)) return undefined;
  if (created) return v.updated_at;
  const answered = Math.floor(Date.parse(date ?? "") / 1000);
  return Number.isFinite(answered) && answered > stamp ? v.updated_at : undefined;
}

/** One template read alone (undefined when it is gone). */
async function readTemplate(
  id: string,
  previous: Partial<TemplateInputs & TemplateOutputs>,
): Promise<LiveObject<TemplateInputs, TemplateOutputs> | undefined> {
  const res = await sendgrid().request<ApiTemplate>("GET", `/templates/${encodeURIComponent(id)}`, { accept: [404] });
  return res.status === 404 ? undefined : templateFromApi(res.body, previous);
}

/**
 * A template as SendGrid shows it (read alone or listed: both carry each version's content) in
 * canonical form, its versions under the keys `versionIds` gives them.
 */
async function templateFromApi(
  t: ApiTemplate,
  previous: Partial<TemplateInputs & TemplateOutputs>,
): Promise<LiveObject<TemplateInputs, TemplateOutputs>> {
  const id = t.id;
  const keyOf = new Map(Object.entries(previous.versionIds ?? {}).map(([key, vid]) => [vid, key]));
  const versions: Record<string, VersionInputs> = {};
  const versionIds: Record<string, string> = {};
  const versionStamps: Record<string, string> = {};
  const live = t.versions ?? [];
  await Promise.all(
    live.map(async (listed) => {
      const key = keyOf.get(listed.id) ?? `${UNMANAGED}${listed.id}`;
      const before = previous.versions?.[key];
      let v = listed;
      if (t.generation === "dynamic") {
        // The versions embedded in a template omit test_data. Unchanged since mailform last knew
        // it (same stamp): the test data state holds. Otherwise the version is read for it.
        const stamp = previous.versionStamps?.[key];
        if (stamp !== undefined && before !== undefined && listed.updated_at === stamp) {
          const testData = withYamlNames(before).testData;
          v = { ...listed, test_data: testData === undefined ? "" : JSON.stringify(testData) };
          versionStamps[key] = stamp;
        } else {
          const full = await sendgrid().request<ApiVersion>("GET", `/templates/${encodeURIComponent(id)}/versions/${encodeURIComponent(listed.id)}`, {
            accept: [404],
          });
          if (full.status !== 404) {
            v = full.body;
            const known = knownAt(full.body, full.headers.get("date"));
            if (known) versionStamps[key] = known;
          }
        }
      }
      versions[key] = versionFromLive(v, t.generation, before);
      versionIds[key] = listed.id;
    }),
  );
  const sorted: Record<string, VersionInputs> = {};
  for (const key of sortedKeys(versions)) sorted[key] = versions[key]!;
  return {
    id: t.id,
    inputs: live.length > 0 ? { name: t.name, generation: t.generation, versions: sorted } : { name: t.name, generation: t.generation },
    outs: withStamps({ templateId: t.id, versionIds: sortedMap(versionIds) }, versionStamps),
  };
}

/** Outputs with `versionStamps` when there are any (a legacy template has none). */
function withStamps(outs: TemplateOutputs, stamps: Record<string, string>): TemplateOutputs {
  return Object.keys(stamps).length > 0 ? { ...outs, versionStamps: sortedMap(stamps) } : outs;
}

function sortedMap<T>(map: Record<string, T>): Record<string, T> {
  return Object.fromEntries(sortedKeys(map).map((k) => [k, map[k]!]));
}

function bodyChanged(a: VersionInputs, b: VersionInputs): boolean {
  const strip = ({ active: _active, ...rest }: VersionInputs) => rest;
  return !isDeepStrictEqual(strip(a), strip(b));
}

/** A new version's id, and the stamp its test data is known at (dynamic templates). */
async function createVersion(templateId: string, v: VersionInputs, generation: Generation): Promise<{ id: string; stamp?: string }> {
  const res = await sendgrid().request<ApiVersion>("POST", `/templates/${encodeURIComponent(templateId)}/versions`, {
    body: { ...versionBody(v, generation), active: v.active ? 1 : 0 },
  });
  return { id: res.body.id, stamp: generation === "dynamic" ? knownAt(res.body, res.headers.get("date"), true) : undefined };
}

/** The list answers behind listed templates: a refresh builds each template from its own. */
const listedFrom = new WeakMap<object, ApiTemplate>();

/** Every template of the account, both generations, following `page_token` pages (200 a page, SendGrid's most). */
async function listTemplates(): Promise<ApiTemplate[]> {
  const all: ApiTemplate[] = [];
  let pageToken: string | undefined;
  for (let page = 0; page < 1000; page++) {
    const res = await sendgrid().request("GET", "/templates", {
      query: { generations: "legacy,dynamic", page_size: 200, page_token: pageToken },
    });
    const { items, next } = templatePage<ApiTemplate>(res.body);
    all.push(...items);
    pageToken = next ? (new URL(next).searchParams.get("page_token") ?? undefined) : undefined;
    if (!pageToken) break;
  }
  return all;
}

export const template: KindDefinition<TemplateInputs & AccountInputs, TemplateOutputs> = perAccount<TemplateInputs, TemplateOutputs>({
  kind: "sendgrid:Template",
  title: "SendGrid template",
  entryKind: "sendgrid:template",
  yamlPath: "sendgrid.templates",
  schema: "SendgridTemplate",
  docs: { page: "docs/resources/sendgrid.md", section: "Template" },
  loss: { what: "its template id, which code sends by, and its versions" },
  templates: {
    // Legacy templates use substitution tags set at send time: shown as written, not rendered.
    messages: (f) =>
      Object.entries(isRecord(f.versions) ? f.versions : {})
        .filter((e): e is [string, Record<string, unknown>] => isRecord(e[1]))
        .map(([key, v]) => ({
          label: `versions.${key}`,
          title: `${String(f.name)} / ${String(v.name)}`,
          language: f.generation === "dynamic" ? "handlebars-sendgrid" : "sendgrid-legacy",
          sampleData: f.generation === "dynamic" && isRecord(v.testData) ? v.testData : undefined,
          subject: part(["versions", key, "subject"], v.subject),
          html: part(["versions", key, "html"], v.html),
          text: part(["versions", key, "text"], v.text),
          textGenerated: v.generatePlainContent === true || (v.generatePlainContent === undefined && v.text === undefined),
        })),
    maxPerAccount: { count: 300, source: "SendGrid's Templates API: each user can create up to 300 different templates" },
  },
  fields: { name: {}, generation: { replaces: true }, versions: {} },
  // Versions are keyed under their template in the stack file, and live inside it at SendGrid.
  inputsOf: ({ props: p }) => ({ name: p.name, generation: p.generation, versions: { ...(p.versions as TemplateInputs["versions"]) } }),
  outputs: ["templateId", "versionIds", "versionStamps"],
  stackOutputs: { id: { from: "id" }, versionIds: { from: "versionIds" } },
  normalize: normalizeTemplate,
  naturalKey: (i) => `${keyPart("name", i.name)} and generation ${i.generation}`,

  async create(inputs) {
    const generation = inputs.generation ?? "legacy";
    const res = await sendgrid().request<ApiTemplate>("POST", "/templates", { body: { name: inputs.name, generation } });
    const templateId = res.body.id;
    const versions = inputs.versions ?? {};
    // SendGrid activates the first version created: create the active one first.
    const keys = sortedKeys(versions).sort((a, b) => Number(!!versions[b]!.active) - Number(!!versions[a]!.active));
    const versionIds: Record<string, string> = {};
    const versionStamps: Record<string, string> = {};
    const made = (k: string, v: { id: string; stamp?: string }) => {
      versionIds[k] = v.id;
      if (v.stamp) versionStamps[k] = v.stamp;
    };
    try {
      if (keys.length > 0) made(keys[0]!, await createVersion(templateId, versions[keys[0]!]!, generation));
      const rest = await Promise.all(keys.slice(1).map((k) => createVersion(templateId, versions[k]!, generation)));
      keys.slice(1).forEach((k, i) => made(k, rest[i]!));
    } catch (e) {
      // Leave nothing half-made behind: the next run creates the whole template again.
      await sendgrid().request("DELETE", `/templates/${encodeURIComponent(templateId)}`, { accept: [404] }).catch(() => undefined);
      throw e;
    }
    return { id: templateId, inputs, outs: withStamps({ templateId, versionIds: sortedMap(versionIds) }, versionStamps) };
  },

  read: (id, previous) => readTemplate(id, previous),

  async update(id, olds, news) {
    const client = sendgrid();
    const tid = encodeURIComponent(id);
    const generation = news.generation ?? olds.generation ?? "legacy";
    if (olds.name !== news.name) await client.request("PATCH", `/templates/${tid}`, { body: { name: news.name }, idempotent: true });

    const before = olds.versions ?? {};
    const after = news.versions ?? {};
    const ids: Record<string, string> = { ...(olds.versionIds ?? {}) };
    // An unchanged version keeps its stamp; a written one takes its answer's (see `knownAt`).
    const stamps: Record<string, string> = generation === "dynamic" ? { ...(olds.versionStamps ?? {}) } : {};
    const stamped = (k: string, stamp: string | undefined) => {
      if (generation !== "dynamic") return;
      if (stamp) stamps[k] = stamp;
      else delete stamps[k];
    };
    const added = sortedKeys(after).filter((k) => !ids[k]);
    const removed = sortedKeys(before).filter((k) => !(k in after) && ids[k]);
    const changed = sortedKeys(after).filter((k) => ids[k] && before[k] && bodyChanged(before[k]!, after[k]!));
    const activeKey = sortedKeys(after).find((k) => after[k]!.active);

    // New versions first (the active one with active: 1), so the template is never without its
    // active version; then edits; then the switch of the active version; removals last.
    for (const k of added.sort((a, b) => Number(!!after[b]!.active) - Number(!!after[a]!.active))) {
      const made = await createVersion(id, after[k]!, generation);
      ids[k] = made.id;
      stamped(k, made.stamp);
    }
    await Promise.all(
      changed.map(async (k) => {
        const res = await client.request<ApiVersion>("PATCH", `/templates/${tid}/versions/${encodeURIComponent(ids[k]!)}`, {
          body: versionBody(after[k]!, generation),
          idempotent: true,
        });
        stamped(k, knownAt(res.body, res.headers.get("date")));
      }),
    );
    if (activeKey && !added.includes(activeKey) && before[activeKey]?.active !== true) {
      const res = await client.request<ApiVersion>("POST", `/templates/${tid}/versions/${encodeURIComponent(ids[activeKey]!)}/activate`, { idempotent: true });
      stamped(activeKey, knownAt(res.body, res.headers.get("date")));
    }
    for (const k of removed) {
      await client.request("DELETE", `/templates/${tid}/versions/${encodeURIComponent(ids[k]!)}`, { accept: [404] });
      delete ids[k];
    }
    for (const k of Object.keys(ids)) if (!(k in after)) delete ids[k];
    for (const k of Object.keys(stamps)) if (!(k in ids)) delete stamps[k];
    return withStamps({ templateId: id, versionIds: sortedMap(ids) }, stamps);
  },

  async delete(id) {
    await sendgrid().request("DELETE", `/templates/${encodeURIComponent(id)}`);
  },

  existing: {
    // The list carries names, generations and each version's id and name (enough to match declared
    // versions by name); candidates are then read in full, once.
    scope: () => "account",
    async list() {
      return (await listTemplates()).map((t) => {
        const listed = t.versions ?? [];
        const live = {
          id: t.id,
          inputs: {
            name: t.name,
            generation: t.generation,
            versions: Object.fromEntries(listed.map((v) => [`${UNMANAGED}${v.id}`, { name: v.name, subject: v.subject }])),
          },
          outs: { templateId: t.id, versionIds: Object.fromEntries(listed.map((v) => [`${UNMANAGED}${v.id}`, v.id])) },
        };
        listedFrom.set(live, t);
        return live;
      });
    },
    // The listing carries each version's content; a dynamic template's versions are read for their
    // test data, which it lacks. A template this run wrote is not in it as listed: read alone.
    async readsFromList(listed, previous) {
      const t = listedFrom.get(listed);
      return t ? templateFromApi(t, previous) : readTemplate(listed.id, previous);
    },

    async complete(found, desired) {
      // Declared versions take over live versions of the same name; the rest are unmanaged.
      const liveVersions = Object.entries(found.outs.versionIds ?? {}).map(([key, id]) => ({ id, name: found.inputs.versions?.[key]?.name }));
      const versionIds: Record<string, string> = {};
      const taken = new Set<string>();
      for (const key of sortedKeys(desired.versions)) {
        const match = liveVersions.find((v) => v.name === desired.versions![key]!.name && !taken.has(v.id));
        if (match) {
          versionIds[key] = match.id;
          taken.add(match.id);
        }
      }
      return readTemplate(found.id, { versionIds });
    },
  },
  export: {
    async list() {
      const read = await Promise.all((await listTemplates()).map((t) => readTemplate(t.id, {})));
      return read.filter((t): t is LiveObject<TemplateInputs, TemplateOutputs> => t !== undefined);
    },
    entry: ({ inputs: i, outs }) => {
      // Versions keyed by their names' slugs, in the order of their ids (adoption matches them by name).
      const versions = sortedKeys(i.versions).map((k) => ({ id: outs.versionIds[k] ?? k, v: i.versions![k]! }));
      const names = versions.map((x) => x.v.name);
      if (new Set(names).size !== names.length) return { label: i.name, reason: "two of its versions have the same name, which adoption cannot tell apart" };
      return { label: i.name, fields: compact({ name: i.name, generation: i.generation }), keyed: { versions: versions.map((x) => ({ label: x.v.name, fields: compact({ ...x.v }) })) } };
    },
  },
});

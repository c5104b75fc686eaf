/**
 * Mailjet template: its metadata (`/v3/REST/template/{id}`) and its content
 * (`/v3/REST/template/{id}/detailcontent`), managed as one resource.
 *
 * Natural key: `ownerType` + `name` (Mailjet keeps (OwnerType, OwnerId, Name) unique and looks a
 * template up by `OwnerType|Name`). `ownerType` is writable (mailjet.md; `PutTemplateBody`): a
 * change is one PUT that keeps the template's ID, which senders use, and gives it its new owner.
 *
 * Fewest calls:
 * - create: one POST of the metadata, then one POST of the content when there is any (a new
 *   template's content is empty, so an empty one costs nothing).
 * - update: one PUT carrying only the metadata properties that changed (PUT works like PATCH);
 *   one POST of the content when any part of it changed. POST, not PUT: POST replaces the whole
 *   content, so one call makes it exactly the desired content whatever is live (a part removed
 *   from the stack file, or edited out of band, becomes what the file says) without first reading
 *   the live content; PUT merges, and would leave behind any part we did not send.
 * - read: the metadata and the content (two GETs, in parallel).
 *
 * Normalization, so `preview --expect-no-changes` holds right after `up`: a field left out of the
 * stack file is managed as the value Mailjet gives a template created without it (`ownerType`
 * apikey, `editMode` dnd, `locale` en_US, empty description, no purposes, no categories, text-part
 * generation off, empty content parts); `purposes` and `categories` are sets (sorted, duplicates
 * dropped); header names are matched without regard to case (`reply-to` is `Reply-To`) and a
 * header with an empty value is no header. Mailjet's `Author` and `Copyright` are not managed: no
 * stack field sets them.
 */
import { isDeepStrictEqual } from "node:util";
import { compact, type KindDefinition, type LiveObject } from "../resource";
import { keyPart } from "../natural-key";
import { mailjet } from "../clients";
import { isRecord, part } from "../../templates/message";

export type OwnerType = "apikey" | "user" | "global";
export type EditMode = "dnd" | "html" | "section" | "mjml";
export type Purpose = "marketing" | "transactional" | "automation";

export interface TemplateContent {
  /** `From`, `Subject`, `Reply-To` and any other default header. */
  headers: Record<string, string>;
  html: string;
  text: string;
  mjml: string;
}

export interface TemplateInputs {
  name: string;
  ownerType: OwnerType;
  purposes: Purpose[];
  locale: string;
  description: string;
  categories: string[];
  editMode: EditMode;
  isTextPartGenerationEnabled: boolean;
  content: TemplateContent;
}

export interface TemplateOutputs {
  templateId: number;
  ownerId: number;
}

/** The format's `editMode` <-> Mailjet's `EditMode`. */
export const EDIT_MODES: Record<EditMode, number> = { dnd: 1, html: 2, section: 3, mjml: 4 };

/** What Mailjet gives a template created without these properties. */
export const TEMPLATE_DEFAULTS = { ownerType: "apikey", editMode: "dnd", locale: "en_US" } as const;

interface ApiTemplate {
  ID: number;
  Name: string;
  OwnerType: string;
  OwnerId: number;
  Purposes?: string[];
  Locale?: string;
  Description?: string;
  Categories?: string[];
  EditMode?: number;
  IsTextPartGenerationEnabled?: boolean;
}

interface ApiContent {
  Headers?: Record<string, string> | null | "";
  "Html-part"?: string | null;
  "Text-part"?: string | null;
  MJMLContent?: string | null;
}

/** Canonical spelling of the headers the format names; any other header keeps its own. */
const HEADER_NAMES = ["From", "Subject", "Reply-To"];
/** How mailjet.md spells them on the wire. */
const WIRE_HEADER: Record<string, string> = { "Reply-To": "Reply-to" };

function canonicalHeader(name: string): string {
  return HEADER_NAMES.find((h) => h.toLowerCase() === name.toLowerCase()) ?? name;
}

function normalizeHeaders(headers: Record<string, unknown> | null | undefined | ""): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers || typeof headers !== "object") return out;
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value === "string" && value !== "") out[canonicalHeader(name)] = value;
  }
  return out;
}

const asSet = <T extends string>(values: readonly T[] | undefined): T[] => [...new Set(values ?? [])].sort();

export function normalizeTemplate(i: Partial<TemplateInputs>): TemplateInputs {
  const c: Partial<TemplateContent> = i.content ?? {};
  return compact({
    name: i.name!,
    ownerType: i.ownerType ?? TEMPLATE_DEFAULTS.ownerType,
    purposes: asSet(i.purposes),
    locale: i.locale ?? TEMPLATE_DEFAULTS.locale,
    description: i.description ?? "",
    categories: asSet(i.categories),
    editMode: i.editMode ?? TEMPLATE_DEFAULTS.editMode,
    isTextPartGenerationEnabled: i.isTextPartGenerationEnabled ?? false,
    content: { headers: normalizeHeaders(c.headers), html: c.html ?? "", text: c.text ?? "", mjml: c.mjml ?? "" },
  });
}

function editModeOf(n: number | undefined): EditMode {
  const found = (Object.keys(EDIT_MODES) as EditMode[]).find((m) => EDIT_MODES[m] === n);
  // Another number can only come from out of band: kept visible, so it shows up as drift.
  return found ?? (String(n) as EditMode);
}

/** The metadata properties as Mailjet names them. */
function metadataToApi(i: TemplateInputs): Record<string, unknown> {
  return compact({
    Name: i.name,
    OwnerType: i.ownerType,
    Purposes: i.purposes,
    Locale: i.locale,
    Description: i.description,
    Categories: i.categories,
    EditMode: EDIT_MODES[i.editMode] ?? Number(i.editMode),
    IsTextPartGenerationEnabled: i.isTextPartGenerationEnabled,
  });
}

function contentToApi(c: TemplateContent): ApiContent {
  const headers = Object.fromEntries(Object.entries(c.headers).map(([name, value]) => [WIRE_HEADER[name] ?? name, value]));
  return { Headers: headers, "Html-part": c.html, "Text-part": c.text, MJMLContent: c.mjml };
}

function contentFromApi(c: ApiContent | undefined): TemplateContent {
  return {
    headers: normalizeHeaders(c?.Headers),
    html: c?.["Html-part"] ?? "",
    text: c?.["Text-part"] ?? "",
    mjml: c?.MJMLContent ?? "",
  };
}

const isEmpty = (c: TemplateContent) => isDeepStrictEqual(c, contentFromApi(undefined));

/** The live template as inputs. */
function toLive(t: ApiTemplate, content: TemplateContent): LiveObject<TemplateInputs, TemplateOutputs> {
  return {
    id: String(t.ID),
    inputs: normalizeTemplate({
      name: t.Name,
      ownerType: t.OwnerType as OwnerType,
      purposes: (t.Purposes ?? []) as Purpose[],
      locale: t.Locale,
      description: t.Description,
      categories: t.Categories,
      editMode: editModeOf(t.EditMode),
      isTextPartGenerationEnabled: t.IsTextPartGenerationEnabled,
      content,
    }),
    outs: { templateId: t.ID, ownerId: t.OwnerId },
  };
}

const PATH = "/template";
const contentPath = (id: string | number) => `${PATH}/${id}/detailcontent`;

async function readLive(id: string) {
  const api = mailjet();
  const [t, content] = await Promise.all([api.get<ApiTemplate>(`${PATH}/${id}`), api.get<ApiContent>(contentPath(id))]);
  return t ? toLive(t, contentFromApi(content)) : undefined;
}

export const template: KindDefinition<TemplateInputs, TemplateOutputs> = {
  kind: "mailjet:Template",
  title: "Mailjet template",
  entryKind: "mailjet:template",
  yamlPath: "mailjet.templates",
  schema: "MailjetTemplate",
  docs: { page: "docs/resources/mailjet.md", section: "Template" },
  loss: { what: "its template id, which code sends by" },
  templates: {
    messages: (f, sampleData) => {
      const c = isRecord(f.content) ? f.content : {};
      const headers = isRecord(c.headers) ? c.headers : {};
      const subject = Object.keys(headers).find((h) => h.toLowerCase() === "subject");
      return [
        {
          label: "",
          title: String(f.name),
          language: "mailjet",
          sampleData,
          subject: subject ? part(["content", "headers", subject], headers[subject]) : undefined,
          html: part(["content", "html"], c.html),
          text: part(["content", "text"], c.text),
          textGenerated: f.isTextPartGenerationEnabled === true,
        },
      ];
    },
  },
  fields: {
    name: {},
    ownerType: {},
    purposes: {},
    locale: {},
    description: {},
    categories: {},
    editMode: {},
    isTextPartGenerationEnabled: {},
    content: {},
  },
  inputsOf: ({ props: p }) => ({
    name: p.name,
    ownerType: p.ownerType,
    purposes: p.purposes,
    locale: p.locale,
    description: p.description,
    categories: p.categories,
    editMode: p.editMode,
    isTextPartGenerationEnabled: p.isTextPartGenerationEnabled,
    content: p.content,
  }),
  outputs: ["templateId", "ownerId"],
  stackOutputs: { id: { from: "id" } },
  normalize: normalizeTemplate,
  naturalKey: (i) => `ownerType "${i.ownerType}" and ${keyPart("name", i.name)}`,

  async create(inputs) {
    const api = mailjet();
    const created = await api.create<ApiTemplate>(PATH, metadataToApi(inputs));
    let content = contentFromApi(undefined);
    if (!isEmpty(inputs.content)) {
      try {
        content = contentFromApi(await api.upsert<ApiContent>(contentPath(created.ID), contentToApi(inputs.content)));
      } catch (e) {
        // Leave nothing half-made behind: a template without its content would block the next run.
        await api.delete(`${PATH}/${created.ID}`).catch(() => undefined);
        throw e;
      }
    }
    return toLive(created, content);
  },

  async read(id) {
    return readLive(id);
  },

  async update(id, olds, news) {
    const api = mailjet();
    const before = metadataToApi(normalizeTemplate(olds));
    const after = metadataToApi(news);
    const changed = Object.fromEntries(
      Object.entries(after).filter(([key, value]) => !isDeepStrictEqual(before[key], value)),
    );
    let ownerId = olds.ownerId;
    if (Object.keys(changed).length > 0) {
      const updated = await api.update<ApiTemplate>(`${PATH}/${id}`, changed);
      if (updated) ownerId = updated.OwnerId;
    }
    if (!isDeepStrictEqual(normalizeTemplate(olds).content, news.content)) {
      await api.upsert<ApiContent>(contentPath(id), contentToApi(news.content));
    }
    return { templateId: olds.templateId ?? Number(id), ownerId };
  },

  async delete(id) {
    await mailjet().delete(`${PATH}/${id}`);
  },

  existing: {
    // The templates of one owner type the key sees (for apikey: this key's), listed once per run
    // without their content; names are then compared as every natural key is. (Mailjet's
    // `OwnerType|Name` look-up wants the name exactly as stored: a name differing only in
    // surrounding blanks or Unicode form would not be found.)
    scope: (i) => `ownerType ${i.ownerType}`,
    async list(inputs) {
      const all = await mailjet().list<ApiTemplate>(PATH, { OwnerType: inputs.ownerType });
      return all.map((t) => toLive(t, contentFromApi(undefined)));
    },
    // A candidate's content, read only for the one whose key matches.
    async complete(found) {
      const content = contentFromApi(await mailjet().get<ApiContent>(contentPath(found.id)));
      return { ...found, inputs: { ...found.inputs, content } };
    },
    // The listing lacks only the content: one call per template for it.
    async readsFromList(listed) {
      const content = await mailjet().get<ApiContent>(contentPath(listed.id));
      // No content answer: the template may have gone since the listing; its own read says.
      if (!content) return readLive(listed.id);
      return { ...listed, inputs: { ...listed.inputs, content: contentFromApi(content) } };
    },
  },
  export: {
    async list() {
      const all = await mailjet().list<ApiTemplate>(PATH, { OwnerType: "apikey" });
      const read = await Promise.all(all.map((t) => readLive(String(t.ID))));
      return read.filter((t): t is LiveObject<TemplateInputs, TemplateOutputs> => t !== undefined);
    },
    entry: ({ inputs: i }) => ({ label: i.name, fields: { ...i } }),
  },
};

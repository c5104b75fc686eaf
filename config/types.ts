/**
 * The resolved form of a stack file, what the Pulumi program consumes: one entry per resource, with
 * its stable key, its options and its field values with every `{file: ...}` include inlined and
 * every reference resolved. Field types derive from the generated raw types (stack.generated.ts),
 * so a schema change reaches this shape, and the code that builds it, through the type checker.
 */
import type * as Raw from "./stack.generated";
import type { StackError } from "./errors";

/**
 * Options every entry accepts (Pulumi/Terraform life-cycle options), defaults applied; except
 * SendGrid template versions, which are registered with their template and follow its options.
 */
export interface ResourceOptions {
  /** Refuse deletion and replacement; undefined: the kind's default (protected where a delete loses what the vendor cannot give back). */
  protect: boolean | undefined;
  /** Stop managing the object without deleting it when the entry goes away. */
  retainOnDelete: boolean;
  /** Take over an existing object with the same identity instead of creating one. */
  adopt: boolean;
  /** The keys the entry had before it was renamed (without its parent's key). */
  movedFrom: string[];
}

type OptionField = keyof ResourceOptions;

/** A raw entry's own fields: options removed, bodies given as `{file}` replaced by their text. */
type Inlined<T> = { [K in keyof T]: Exclude<T[K], Raw.FileInclude> };
type Props<T, Drop extends keyof T = never> = Inlined<Omit<T, OptionField | Drop>>;

export type ResourceKind =
  | "mailtrap:project"
  | "mailtrap:inbox"
  | "mailtrap:emailTemplate"
  | "mailtrap:apiToken"
  | "sendgrid:template"
  | "sendgrid:templateVersion"
  | "sendgrid:apiKey"
  | "mailjet:template"
  | "mailjet:apiKey";

/** An entry without options of its own (a SendGrid template version). */
interface BareEntry<K extends string, P> {
  kind: K;
  /** Stable key: `staging`; for nested entries `<parent>/<child>`, e.g. `staging/qa`, `welcome/v1`. */
  key: string;
  /** Where the entry is declared: `mailtrap.projects.staging.inboxes.qa`. */
  address: string;
  props: P;
}

interface Entry<K extends string, P> extends BareEntry<K, P> {
  options: ResourceOptions;
}

export type MailtrapProjectProps = Props<Raw.MailtrapProject, "inboxes">;
export type MailtrapProjectEntry = Entry<"mailtrap:project", MailtrapProjectProps>;

export type MailtrapInboxProps = Props<Raw.MailtrapInbox>;
export interface MailtrapInboxEntry extends Entry<"mailtrap:inbox", MailtrapInboxProps> {
  /** Key of the project the inbox belongs to. */
  project: string;
}

export type MailtrapEmailTemplateProps = Props<Raw.MailtrapEmailTemplate>;
export type MailtrapEmailTemplateEntry = Entry<"mailtrap:emailTemplate", MailtrapEmailTemplateProps>;

/** A token permission with its target resolved to an entry of this stack. */
export interface MailtrapPermission {
  kind: "project" | "inbox";
  /** `staging` for a project, `staging/qa` for an inbox: the target entry's `key`. */
  key: string;
  access: Raw.MailtrapPermission["access"];
}
export type MailtrapApiTokenProps = Omit<Props<Raw.MailtrapApiToken>, "permissions"> & {
  permissions: MailtrapPermission[];
};
export type MailtrapApiTokenEntry = Entry<"mailtrap:apiToken", MailtrapApiTokenProps>;

export type SendgridTemplateProps = Props<Raw.SendgridTemplate, "versions">;
export type SendgridTemplateEntry = Entry<"sendgrid:template", SendgridTemplateProps>;

export type SendgridTemplateVersionProps = Props<Raw.SendgridTemplateVersion>;
/** No options: a version follows its template's (the schema refuses them on a version). */
export interface SendgridTemplateVersionEntry extends BareEntry<"sendgrid:templateVersion", SendgridTemplateVersionProps> {
  /** Key of the template the version belongs to. */
  template: string;
}

export type SendgridApiKeyProps = Props<Raw.SendgridApiKey>;
export type SendgridApiKeyEntry = Entry<"sendgrid:apiKey", SendgridApiKeyProps>;

export type MailjetTemplateContentProps = Inlined<Raw.MailjetTemplateContent>;
export type MailjetTemplateProps = Omit<Props<Raw.MailjetTemplate>, "ownerType" | "content"> & {
  /** Defaults to `apikey`: part of the template's identity at Mailjet (OwnerType|Name). */
  ownerType: NonNullable<Raw.MailjetTemplate["ownerType"]>;
  content?: MailjetTemplateContentProps;
};
export type MailjetTemplateEntry = Entry<"mailjet:template", MailjetTemplateProps>;

export type MailjetApiKeyProps = Props<Raw.MailjetApiKey>;
export type MailjetApiKeyEntry = Entry<"mailjet:apiKey", MailjetApiKeyProps>;

/** Mailjet's numeric EditMode for each `editMode` of the format. */
export const MAILJET_EDIT_MODES = { dnd: 1, html: 2, section: 3, mjml: 4 } as const satisfies Record<
  NonNullable<Raw.MailjetTemplate["editMode"]>,
  number
>;

/** Mailtrap's numeric access level for each `access` of the format. */
export const MAILTRAP_ACCESS_LEVELS = { viewer: 10, admin: 100 } as const satisfies Record<
  Raw.MailtrapPermission["access"],
  number
>;

/**
 * An entry of a kind whose definition maps it straight from the stack file (providers/kinds.ts):
 * its fields as written, options removed. A new kind needs nothing in this file.
 */
export type DefinedEntry = Entry<string, Record<string, unknown>>;

export type ResolvedResource =
  | DefinedEntry
  | MailtrapProjectEntry
  | MailtrapInboxEntry
  | MailtrapEmailTemplateEntry
  | MailtrapApiTokenEntry
  | SendgridTemplateEntry
  | SendgridTemplateVersionEntry
  | SendgridApiKeyEntry
  | MailjetTemplateEntry
  | MailjetApiKeyEntry;

export interface ResolvedStack {
  /** The stack file as shown to users (relative to the working directory when inside it). */
  file: string;
  /** Stack name: the file name without `.yaml`. */
  stack: string;
  mailtrap: {
    apiVersion: NonNullable<Raw.MailtrapSection["apiVersion"]>;
    projects: MailtrapProjectEntry[];
    inboxes: MailtrapInboxEntry[];
    emailTemplates: MailtrapEmailTemplateEntry[];
    apiTokens: MailtrapApiTokenEntry[];
  };
  sendgrid: {
    templates: SendgridTemplateEntry[];
    versions: SendgridTemplateVersionEntry[];
    apiKeys: SendgridApiKeyEntry[];
  };
  mailjet: {
    templates: MailjetTemplateEntry[];
    apiKeys: MailjetApiKeyEntry[];
  };
  /** Every entry once, parents before children and referenced objects before their referrers. */
  resources: ResolvedResource[];
}

export type LoadResult =
  | { ok: true; stack: ResolvedStack; warnings: StackError[] }
  | { ok: false; errors: StackError[]; warnings: StackError[] };

/**
 * What `mailform validate` needs of a valid stack: the number of Pulumi resources `pulumi up`
 * registers, counted without building the ResolvedStack (every problem found exactly as loadStack).
 */
export type CheckResult =
  | { ok: true; resources: number; warnings: StackError[] }
  | { ok: false; errors: StackError[]; warnings: StackError[] };

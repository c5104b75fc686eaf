/* eslint-disable */
/**
 * Types of a raw stack file (stacks/<stack>.yaml), generated from schemas/stack.schema.json.
 * Do not edit: change the schema, then run `npm run schema:types`.
 */

/**
 * Refuse to delete or replace this object: a plan that would delete or replace it fails until the entry says protect: false and that is applied. Default false, except for kinds whose delete loses what the vendor cannot give back to recipients or senders (SendGrid unsubscribe groups, domain authentications, link brandings and verified senders, Mailtrap sending domains, Mailjet senders and contact lists), which are protected unless the entry says protect: false.
 */
export type Protect = boolean;
/**
 * When the entry is removed from this file, stop managing the object but leave it in the vendor account. Default false.
 */
export type RetainOnDelete = boolean;
/**
 * Take over an existing object with the same identity (display name) instead of creating a new one. Default false.
 */
export type Adopt = boolean;
/**
 * The key (or keys) this entry had before it was renamed, in the same collection: the object is kept as it is, with its id, and the plan says moved. Keep it as long as any stack's state may still know the old key; it is harmless afterwards.
 */
export type MovedFrom = Key | [Key, ...Key[]];
/**
 * Stable key of an entry: lowercase letters, digits, '-' and '_', starting with a letter or digit, at most 64 characters. It identifies the object across runs and is never sent to the vendor.
 */
export type Key = string;

/**
 * Desired state of one Pulumi stack: stacks/<stack>.yaml belongs to the stack <stack>. One section per vendor; under each, one map per resource kind whose keys are stable identifiers (renaming an object's display name updates it in place; changing its key replaces it).
 */
export interface Stack {
  mailtrap?: MailtrapSection;
  sendgrid?: SendgridSection;
  mailjet?: MailjetSection;
  unmanaged?: Unmanaged;
}
/**
 * Mailtrap resources. Credentials come from stack config (pulumi config set --secret mailform:mailtrapApiToken ...), never from this file.
 */
export interface MailtrapSection {
  /**
   * Mailtrap API generation to manage the objects through: v2 (default) manages everything; v1 manages projects and inboxes only, through Mailtrap API v1.
   */
  apiVersion?: "v1" | "v2";
  /**
   * Mailtrap projects by key. Deleting a project deletes its inboxes.
   */
  projects?: {
    [k: string]: MailtrapProject;
  };
  /**
   * Mailtrap email templates by key (API v2 only).
   */
  emailTemplates?: {
    [k: string]: MailtrapEmailTemplate;
  };
  /**
   * Mailtrap API tokens by key (API v2 only). The token value is never written to this file or shown in outputs.
   */
  apiTokens?: {
    [k: string]: MailtrapApiToken;
  };
  /**
   * Mailtrap sending domains by key (always through the current API, whatever apiVersion says).
   */
  domains?: {
    [k: string]: MailtrapSendingDomain;
  };
  /**
   * Mailtrap webhooks by key (through the current API, /api/webhooks, whatever apiVersion says). The signing secret is an output, never written to this file.
   */
  webhooks?: {
    [k: string]: MailtrapWebhook;
  };
  /**
   * Mailtrap account accesses by key: who may do what on the account, its projects and inboxes (through the current API, /api/account_accesses). Mailtrap's API cannot invite anyone: invite the person from the web UI, then declare their access here.
   */
  accountAccesses?: {
    [k: string]: MailtrapAccountAccess;
  };
}
/**
 * A Mailtrap project: a group of inboxes (sandboxes).
 */
export interface MailtrapProject {
  /**
   * Display name, 2 to 100 characters. Updated in place.
   */
  name: string;
  /**
   * Inboxes (sandboxes) of this project by key. Refer to one elsewhere as <projectKey>/<inboxKey>.
   */
  inboxes?: {
    [k: string]: MailtrapInbox;
  };
  protect?: Protect;
  retainOnDelete?: RetainOnDelete;
  adopt?: Adopt;
  movedFrom?: MovedFrom;
}
/**
 * A Mailtrap inbox (sandbox) inside its project.
 */
export interface MailtrapInbox {
  /**
   * Display name. Updated in place.
   */
  name: string;
  /**
   * Local part of the inbox's email address (<emailUsername>@inbox.mailtrap.io). Updated in place.
   */
  emailUsername?: string;
  protect?: Protect;
  retainOnDelete?: RetainOnDelete;
  adopt?: Adopt;
  movedFrom?: MovedFrom;
}
/**
 * A Mailtrap email template.
 */
export interface MailtrapEmailTemplate {
  /**
   * Display name, 1 to 255 characters. Updated in place.
   */
  name: string;
  /**
   * Category, 1 to 255 characters, e.g. onboarding or billing.
   */
  category: string;
  /**
   * Subject line, 1 to 255 characters; may use template variables such as {{name}}.
   */
  subject: string;
  /**
   * HTML body (at most 10,000,000 characters): a string, or {file: templates/x.html}. Optional: absent (or empty) means not managed, since Mailtrap cannot clear a body once set.
   */
  html?: string | FileInclude;
  /**
   * Plain-text body (at most 10,000,000 characters): a string, or {file: templates/x.txt}. Optional: absent (or empty) means not managed, since Mailtrap cannot clear a body once set.
   */
  text?: string | FileInclude;
  protect?: Protect;
  retainOnDelete?: RetainOnDelete;
  adopt?: Adopt;
  movedFrom?: MovedFrom;
  sampleData?: SampleData;
}
/**
 * Read the content from a UTF-8 text file.
 */
export interface FileInclude {
  /**
   * Path of a UTF-8 text file, relative to the directory of this stack file and inside it (e.g. templates/welcome.html).
   */
  file: string;
}
/**
 * Values for the template's variables in `mailform preview` and the checks of `mailform validate` (any JSON object). An option: never sent to the vendor, never shown as a change or drift.
 */
export interface SampleData {
  [k: string]: unknown;
}
/**
 * A Mailtrap API token and the permissions it grants.
 */
export interface MailtrapApiToken {
  /**
   * Display name. Changing it replaces the token: Mailtrap cannot update tokens (the replacement has a new secret).
   */
  name: string;
  /**
   * What the token may access: projects and inboxes of this file, by key. Changing them replaces the token.
   */
  permissions?: MailtrapPermission[];
  protect?: Protect;
  retainOnDelete?: RetainOnDelete;
  adopt?: Adopt;
  movedFrom?: MovedFrom;
}
/**
 * Access to one project or one inbox of this file. Give exactly one of project or inbox.
 */
export interface MailtrapPermission {
  /**
   * Key of a project under mailtrap.projects in this file.
   */
  project?: string;
  /**
   * An inbox of this file as <projectKey>/<inboxKey>, e.g. staging/qa.
   */
  inbox?: string;
  /**
   * admin (Mailtrap access level 100) or viewer (10).
   */
  access: "admin" | "viewer";
}
/**
 * A Mailtrap sending domain (/api/domains).
 */
export interface MailtrapSendingDomain {
  /**
   * The domain mail is sent from, e.g. mail.example.com (compared in lower case). Changing it replaces the domain: Mailtrap cannot rename one.
   */
  domainName: string;
  /**
   * Track opens. Default true. Updated in place.
   */
  openTracking?: boolean;
  /**
   * Track clicks. Default true. Updated in place.
   */
  clickTracking?: boolean;
  /**
   * Add an unsubscribe link to every email. Default true. Updated in place.
   */
  autoUnsubscribeLink?: boolean;
  protect?: Protect;
  retainOnDelete?: RetainOnDelete;
  adopt?: Adopt;
  movedFrom?: MovedFrom;
}
/**
 * A Mailtrap webhook (/api/webhooks): where Mailtrap posts sending events, campaign events or the account's audit log.
 */
export interface MailtrapWebhook {
  /**
   * Where Mailtrap posts the payloads (http or https). Updated in place.
   */
  url: string;
  /**
   * email_sending (sending events), campaigns or audit_log. Changing it replaces the webhook: Mailtrap cannot change a webhook's type.
   */
  type: "email_sending" | "campaigns" | "audit_log";
  /**
   * Whether Mailtrap posts to it. Default true. Updated in place.
   */
  active?: boolean;
  /**
   * json (default: one event per request) or jsonlines. Updated in place.
   */
  payloadFormat?: "json" | "jsonlines";
  /**
   * The sending stream an email_sending webhook subscribes to: transactional or bulk (required for email_sending, not allowed otherwise). Changing it replaces the webhook: Mailtrap cannot change it.
   */
  sendingStream?: "transactional" | "bulk";
  /**
   * The event types posted (required for email_sending and campaigns, not allowed for audit_log); a set: order does not matter. Updated in place.
   *
   * @minItems 1
   *
   * Items: A Mailtrap event type.
   */
  events?: [
    (
      | "delivery"
      | "soft_bounce"
      | "bounce"
      | "suspension"
      | "unsubscribe"
      | "open"
      | "spam_complaint"
      | "click"
      | "reject"
    ),
    ...(
      | "delivery"
      | "soft_bounce"
      | "bounce"
      | "suspension"
      | "unsubscribe"
      | "open"
      | "spam_complaint"
      | "click"
      | "reject"
    )[]
  ];
  /**
   * Key of a sending domain under mailtrap.domains that the webhook is limited to (email_sending and campaigns only); absent: every domain. Changing it replaces the webhook: Mailtrap cannot change it.
   */
  domain?: string;
  protect?: Protect;
  retainOnDelete?: RetainOnDelete;
  adopt?: Adopt;
  movedFrom?: MovedFrom;
}
/**
 * A Mailtrap account access (/api/account_accesses): what a user of the account, or someone invited to it, may do on the account, its projects and inboxes. The person must have been invited from Mailtrap's web UI (the API cannot invite).
 */
export interface MailtrapAccountAccess {
  /**
   * The person's email address (letter case ignored). Another address is another person: a change replaces the access (the new person's is managed, the old person's removed).
   */
  email: string;
  /**
   * Access to the whole account: admin (Mailtrap access level 100) or viewer (10); absent: none. Updated in place.
   */
  account?: "admin" | "viewer";
  /**
   * Access to projects and inboxes of this file, by key, as an API token's permissions. Updated in place.
   */
  permissions?: MailtrapPermission[];
  protect?: Protect;
  retainOnDelete?: RetainOnDelete;
  adopt?: Adopt;
  movedFrom?: MovedFrom;
}
/**
 * SendGrid resources. Credentials come from stack config (pulumi config set --secret mailform:sendgridApiKey ...), never from this file.
 */
export interface SendgridSection {
  /**
   * SendGrid transactional templates by key.
   */
  templates?: {
    [k: string]: SendgridTemplate;
  };
  /**
   * SendGrid API keys by key. The key's secret is never written to this file or shown in outputs.
   */
  apiKeys?: {
    [k: string]: SendgridApiKey;
  };
  /**
   * SendGrid unsubscribe (suppression) groups by key: recipients unsubscribe from a group rather than from everything.
   */
  unsubscribeGroups?: {
    [k: string]: SendgridUnsubscribeGroup;
  };
  /**
   * SendGrid event webhooks by key: where SendGrid posts delivery and engagement events. An account may have several.
   */
  eventWebhooks?: {
    [k: string]: SendgridEventWebhook;
  };
  /**
   * SendGrid mail settings: at most one entry (any key), an account setting.
   */
  mailSettings?: {
    [k: string]: SendgridMailSettings;
  };
  /**
   * SendGrid tracking settings: at most one entry (any key), an account setting.
   */
  trackingSettings?: {
    [k: string]: SendgridTrackingSettings;
  };
  /**
   * SendGrid enforced TLS: at most one entry (any key), an account setting.
   */
  enforcedTls?: {
    [k: string]: SendgridEnforcedTls;
  };
  /**
   * SendGrid domain authentications by key: the DKIM and SPF records that let mail from a domain pass as sent by it.
   */
  domainAuthentications?: {
    [k: string]: SendgridDomainAuthentication;
  };
  /**
   * SendGrid link brandings by key: the host name the links in sent mail use instead of SendGrid's.
   */
  linkBrandings?: {
    [k: string]: SendgridLinkBranding;
  };
  /**
   * SendGrid teammates by key: the people with access to the account, by email, admin or with scopes.
   */
  teammates?: {
    [k: string]: SendgridTeammate;
  };
  /**
   * SendGrid IP access allow lists: at most one entry (any key) per account (the parent's, or a subuser's with onBehalfOf); the addresses allowed to use the account.
   */
  ipAllowLists?: {
    [k: string]: SendgridIpAllowList;
  };
  /**
   * SendGrid verified senders by key: single sender identities, each an address mail may be sent from once its owner has verified it.
   */
  verifiedSenders?: {
    [k: string]: SendgridVerifiedSender;
  };
  /**
   * SendGrid inbound parse settings by key: mail received at a hostname, parsed and posted to a URL.
   */
  parseSettings?: {
    [k: string]: SendgridParseSetting;
  };
}
/**
 * A SendGrid transactional template and its versions.
 */
export interface SendgridTemplate {
  /**
   * Display name, 1 to 100 characters. Updated in place.
   */
  name: string;
  /**
   * legacy or dynamic (handlebars). Cannot change after creation: changing it replaces the template.
   */
  generation: "legacy" | "dynamic";
  /**
   * Versions of this template by key. At most one may be active.
   */
  versions?: {
    [k: string]: SendgridTemplateVersion;
  };
  /**
   * The SendGrid subuser this object belongs to (its username): the parent's key acts for it with the on-behalf-of header, and the subuser is an account of its own (names, listings, adoption and drift are the subuser's). Absent: the stack-wide account (mailform:sendgridOnBehalfOf, else the parent). A change replaces the object: it is made in the new account, then deleted from the old one.
   */
  onBehalfOf?: string;
  protect?: Protect;
  retainOnDelete?: RetainOnDelete;
  adopt?: Adopt;
  movedFrom?: MovedFrom;
}
/**
 * One version of a SendGrid template. It follows its template's protect, retainOnDelete and adopt: set them on the template.
 */
export interface SendgridTemplateVersion {
  /**
   * Version name, 1 to 100 characters. Updated in place.
   */
  name: string;
  /**
   * Subject line, 1 to 255 characters.
   */
  subject: string;
  /**
   * HTML content (at most 1,048,576 bytes): a string, or {file: templates/x.html}.
   */
  html?: string | FileInclude;
  /**
   * Plain-text content (at most 1,048,576 bytes): a string, or {file: templates/x.txt}.
   */
  text?: string | FileInclude;
  /**
   * Generate the plain-text content from the HTML content (SendGrid's default is true).
   */
  generatePlainContent?: boolean;
  /**
   * Editor the SendGrid UI opens the version in: code or design.
   */
  editor?: "code" | "design";
  /**
   * Dynamic templates only: sample data (any JSON object) for previews and test sends.
   */
  testData?: {
    [k: string]: unknown;
  };
  /**
   * Make this the template's active version. At most one version per template may be active.
   */
  active?: boolean;
}
/**
 * A SendGrid API key and its scopes.
 */
export interface SendgridApiKey {
  /**
   * Display name. Updated in place.
   */
  name: string;
  /**
   * Permissions of the key, e.g. [mail.send, templates.read]. Omit for full access.
   *
   * @minItems 1
   *
   * Items: A SendGrid API key scope (lowercase words joined by dots).
   */
  scopes?: [string, ...string[]];
  /**
   * The SendGrid subuser this object belongs to (its username): the parent's key acts for it with the on-behalf-of header, and the subuser is an account of its own (names, listings, adoption and drift are the subuser's). Absent: the stack-wide account (mailform:sendgridOnBehalfOf, else the parent). A change replaces the object: it is made in the new account, then deleted from the old one.
   */
  onBehalfOf?: string;
  protect?: Protect;
  retainOnDelete?: RetainOnDelete;
  adopt?: Adopt;
  movedFrom?: MovedFrom;
}
/**
 * A SendGrid unsubscribe group (/v3/asm/groups).
 */
export interface SendgridUnsubscribeGroup {
  /**
   * Display name, 1 to 30 characters, unique among the account's groups. Updated in place.
   */
  name: string;
  /**
   * What recipients are unsubscribing from, at most 100 characters (shown on the unsubscribe page). Updated in place.
   */
  description: string;
  /**
   * The account's default group (at most one entry may say true). Default false. Updated in place.
   */
  isDefault?: boolean;
  /**
   * The SendGrid subuser this object belongs to (its username): the parent's key acts for it with the on-behalf-of header, and the subuser is an account of its own (names, listings, adoption and drift are the subuser's). Absent: the stack-wide account (mailform:sendgridOnBehalfOf, else the parent). A change replaces the object: it is made in the new account, then deleted from the old one.
   */
  onBehalfOf?: string;
  protect?: Protect;
  retainOnDelete?: RetainOnDelete;
  adopt?: Adopt;
  movedFrom?: MovedFrom;
}
/**
 * A SendGrid event webhook (/v3/user/webhooks/event/settings).
 */
export interface SendgridEventWebhook {
  /**
   * Where SendGrid posts the events (http or https); one entry per URL. Updated in place.
   */
  url: string;
  /**
   * Whether SendGrid posts to it. Default true. Updated in place.
   */
  enabled?: boolean;
  /**
   * The events posted, a set (order and duplicates do not matter); events left out are not posted. Updated in place.
   *
   * Items: A SendGrid event. accountStatusChange: account status changes after compliance action by SendGrid.
   */
  events?: (
    | "processed"
    | "delivered"
    | "deferred"
    | "bounce"
    | "dropped"
    | "open"
    | "click"
    | "spamReport"
    | "unsubscribe"
    | "groupUnsubscribe"
    | "groupResubscribe"
    | "accountStatusChange"
  )[];
  /**
   * A name to tell webhooks apart in the SendGrid UI. Updated in place.
   */
  friendlyName?: string;
  /**
   * The SendGrid subuser this object belongs to (its username): the parent's key acts for it with the on-behalf-of header, and the subuser is an account of its own (names, listings, adoption and drift are the subuser's). Absent: the stack-wide account (mailform:sendgridOnBehalfOf, else the parent). A change replaces the object: it is made in the new account, then deleted from the old one.
   */
  onBehalfOf?: string;
  /**
   * Sign every post with SendGrid's key (signature verification); the output publicKey is the key to check signatures with. Only managed when given (left out, whatever SendGrid has stays). Updated in place.
   */
  signed?: boolean;
  /**
   * OAuth 2.0 for SendGrid's posts: SendGrid gets an access token from tokenUrl with the client id and secret, and sends it with every post. Only managed when given (left out, whatever SendGrid has stays); false turns OAuth off. Updated in place.
   */
  oauth?: false | EventWebhookOauth;
  protect?: Protect;
  retainOnDelete?: RetainOnDelete;
  adopt?: Adopt;
  movedFrom?: MovedFrom;
}
/**
 * The OAuth client SendGrid authenticates as.
 */
export interface EventWebhookOauth {
  /**
   * The OAuth client id.
   */
  clientId: string;
  /**
   * Where SendGrid asks for the access token (http or https); no credentials in it.
   */
  tokenUrl: string;
  /**
   * The name of the stack config key that holds the client secret, without the mailform: namespace (set it with pulumi config set --secret mailform:<name> <secret>). The secret itself never goes in this file, nor in state. Naming another key sends the secret again (a rotation).
   */
  clientSecretConfig: string;
}
/**
 * SendGrid mail settings (/v3/mail_settings/...), applied to every message the account sends. An account setting: one entry per stack, never created nor deleted; only the fields given are managed (see docs/stack-format.md, Account settings).
 */
export interface SendgridMailSettings {
  /**
   * Address allow list (SendGrid's address_whitelist): addresses and domains whose mail is never suppressed. Updated in place.
   */
  addressAllowList?: {
    /**
     * Whether the allow list is on. Updated in place.
     */
    enabled?: boolean;
    /**
     * Email addresses and domains on the list, a set (order and repeats do not matter). Updated in place.
     *
     * Items: An email address or a domain.
     */
    list?: string[];
  };
  /**
   * Bounce purge: how long bounced addresses stay on the bounce suppression lists. Updated in place.
   */
  bouncePurge?: {
    /**
     * Whether bounce purge is on. Updated in place.
     */
    enabled?: boolean;
    /**
     * Days after which hard bounces are purged. Updated in place.
     */
    hardBounces?: number;
    /**
     * Days after which soft bounces are purged. Updated in place.
     */
    softBounces?: number;
  };
  /**
   * Footer added to every message. Updated in place.
   */
  footer?: {
    /**
     * Whether the footer is on. Updated in place.
     */
    enabled?: boolean;
    /**
     * The footer's HTML. Updated in place.
     */
    html?: string;
    /**
     * The footer's plain text. Updated in place.
     */
    text?: string;
  };
  /**
   * Forward bounce: bounce reports forwarded to an address. Updated in place.
   */
  forwardBounce?: {
    /**
     * Whether bounce forwarding is on. Updated in place.
     */
    enabled?: boolean;
    /**
     * Where bounce reports go. Updated in place.
     */
    email?: string;
  };
  /**
   * Forward spam: spam reports forwarded to an address. Updated in place.
   */
  forwardSpam?: {
    /**
     * Whether spam report forwarding is on. Updated in place.
     */
    enabled?: boolean;
    /**
     * Where spam reports go (SendGrid accepts several, comma-separated). Updated in place.
     */
    email?: string;
  };
  /**
   * The SendGrid subuser this object belongs to (its username): the parent's key acts for it with the on-behalf-of header, and the subuser is an account of its own (names, listings, adoption and drift are the subuser's). Absent: the stack-wide account (mailform:sendgridOnBehalfOf, else the parent). A change replaces the object: it is made in the new account, then deleted from the old one.
   */
  onBehalfOf?: string;
  protect?: Protect;
  retainOnDelete?: RetainOnDelete;
  adopt?: Adopt;
  movedFrom?: MovedFrom;
}
/**
 * SendGrid tracking settings (/v3/tracking_settings/...). An account setting: one entry per stack, never created nor deleted; only the fields given are managed (see docs/stack-format.md, Account settings).
 */
export interface SendgridTrackingSettings {
  /**
   * Click tracking (links rewritten through SendGrid). Updated in place.
   */
  click?: {
    /**
     * Whether click tracking is on. Updated in place.
     */
    enabled?: boolean;
  };
  /**
   * Open tracking (an invisible image in HTML mail). Updated in place.
   */
  open?: {
    /**
     * Whether open tracking is on. Updated in place.
     */
    enabled?: boolean;
  };
  /**
   * Google Analytics parameters added to links. Updated in place.
   */
  googleAnalytics?: {
    /**
     * Whether Google Analytics tracking is on. Updated in place.
     */
    enabled?: boolean;
    /**
     * utm_source: the referrer. Updated in place.
     */
    utmSource?: string;
    /**
     * utm_medium: the marketing medium, e.g. Email. Updated in place.
     */
    utmMedium?: string;
    /**
     * utm_term: paid keywords. Updated in place.
     */
    utmTerm?: string;
    /**
     * utm_content: tells ads apart. Updated in place.
     */
    utmContent?: string;
    /**
     * utm_campaign: the campaign's name. Updated in place.
     */
    utmCampaign?: string;
  };
  /**
   * Subscription tracking: an unsubscribe link added to every message. Updated in place.
   */
  subscription?: {
    /**
     * Whether subscription tracking is on. Updated in place.
     */
    enabled?: boolean;
    /**
     * The HTML of the unsubscribe text; <% %> marks the link. Updated in place.
     */
    html?: string;
    /**
     * The plain text of the unsubscribe text; <% %> marks the link. Updated in place.
     */
    text?: string;
    /**
     * The HTML of the page shown after unsubscribing, hosted by SendGrid. Updated in place.
     */
    landing?: string;
    /**
     * Your own page to send unsubscribers to instead (http or https). Updated in place.
     */
    url?: string;
    /**
     * A tag in your templates replaced by the unsubscribe text. Updated in place.
     */
    replace?: string;
  };
  /**
   * The SendGrid subuser this object belongs to (its username): the parent's key acts for it with the on-behalf-of header, and the subuser is an account of its own (names, listings, adoption and drift are the subuser's). Absent: the stack-wide account (mailform:sendgridOnBehalfOf, else the parent). A change replaces the object: it is made in the new account, then deleted from the old one.
   */
  onBehalfOf?: string;
  protect?: Protect;
  retainOnDelete?: RetainOnDelete;
  adopt?: Adopt;
  movedFrom?: MovedFrom;
}
/**
 * SendGrid enforced TLS (/v3/user/settings/enforced_tls): refuse to deliver without TLS. An account setting: one entry per stack, never created nor deleted; only the fields given are managed (see docs/stack-format.md, Account settings).
 */
export interface SendgridEnforcedTls {
  /**
   * Deliver only to recipients whose servers support TLS. Updated in place.
   */
  requireTls?: boolean;
  /**
   * Deliver only to recipients whose servers have a valid certificate. Updated in place.
   */
  requireValidCert?: boolean;
  /**
   * The lowest TLS version accepted: 1.1, 1.2 or 1.3. Updated in place.
   */
  version?: 1.1 | 1.2 | 1.3;
  /**
   * The SendGrid subuser this object belongs to (its username): the parent's key acts for it with the on-behalf-of header, and the subuser is an account of its own (names, listings, adoption and drift are the subuser's). Absent: the stack-wide account (mailform:sendgridOnBehalfOf, else the parent). A change replaces the object: it is made in the new account, then deleted from the old one.
   */
  onBehalfOf?: string;
  protect?: Protect;
  retainOnDelete?: RetainOnDelete;
  adopt?: Adopt;
  movedFrom?: MovedFrom;
}
/**
 * A SendGrid domain authentication (/v3/whitelabel/domains). Protected by default: deleting or replacing it loses its DNS validation.
 */
export interface SendgridDomainAuthentication {
  /**
   * The domain mail is sent from (example.com); letter case is ignored. A change replaces the authentication.
   */
  domain: string;
  /**
   * The return-path subdomain SendGrid sends through (em gives em.example.com), one label. A change replaces the authentication.
   */
  subdomain: string;
  /**
   * Three letters or digits naming the DKIM keys (mf1 gives mf1._domainkey and mf12._domainkey) instead of SendGrid's s1 and s2. A change replaces the authentication.
   */
  customDkimSelector?: string;
  /**
   * true (default): SendGrid manages SPF and rotates the DKIM keys, and asks for CNAME records; false: MX and TXT records that you manage. A change replaces the authentication.
   */
  automaticSecurity?: boolean;
  /**
   * Use it for mail whose sender domain matches no other authenticated domain. At most one entry may say true. Default false. Updated in place.
   */
  isDefault?: boolean;
  /**
   * The SendGrid subuser this object belongs to (its username): the parent's key acts for it with the on-behalf-of header, and the subuser is an account of its own (names, listings, adoption and drift are the subuser's). Absent: the stack-wide account (mailform:sendgridOnBehalfOf, else the parent). A change replaces the object: it is made in the new account, then deleted from the old one.
   */
  onBehalfOf?: string;
  protect?: Protect;
  retainOnDelete?: RetainOnDelete;
  adopt?: Adopt;
  movedFrom?: MovedFrom;
}
/**
 * A SendGrid link branding (/v3/whitelabel/links). Protected by default: deleting or replacing it breaks the links of mail already sent through it.
 */
export interface SendgridLinkBranding {
  /**
   * The root domain of the links (example.com), usually the sender's; letter case is ignored. A change replaces the link branding.
   */
  domain: string;
  /**
   * The link subdomain (links gives links.example.com), one label, other than the domain authentication's. A change replaces the link branding.
   */
  subdomain: string;
  /**
   * Use it for mail whose sender domain matches no other link branding. At most one entry may say true. Default false. Updated in place.
   */
  isDefault?: boolean;
  /**
   * The SendGrid subuser this object belongs to (its username): the parent's key acts for it with the on-behalf-of header, and the subuser is an account of its own (names, listings, adoption and drift are the subuser's). Absent: the stack-wide account (mailform:sendgridOnBehalfOf, else the parent). A change replaces the object: it is made in the new account, then deleted from the old one.
   */
  onBehalfOf?: string;
  protect?: Protect;
  retainOnDelete?: RetainOnDelete;
  adopt?: Adopt;
  movedFrom?: MovedFrom;
}
/**
 * A SendGrid teammate (/v3/teammates): a person invited by email, admin or with scopes. Until the invitation is accepted it is pending (the output status says so; that is not drift).
 */
export interface SendgridTeammate {
  /**
   * The person's email address (letter case ignored). Another address is another person: a change replaces the teammate (a new invitation).
   */
  email: string;
  /**
   * An admin teammate holds every scope. Default false. Updated in place (an invitation not yet accepted is sent again).
   */
  admin?: boolean;
  /**
   * What a non-admin teammate may do, e.g. [templates.read, stats.read]; compared as a set, without the scopes SendGrid grants by itself. Default none. Updated in place (an invitation not yet accepted is sent again).
   *
   * Items: A SendGrid scope (lowercase words joined by dots).
   */
  scopes?: string[];
  /**
   * The SendGrid subuser this object belongs to (its username): the parent's key acts for it with the on-behalf-of header, and the subuser is an account of its own (names, listings, adoption and drift are the subuser's). Absent: the stack-wide account (mailform:sendgridOnBehalfOf, else the parent). A change replaces the object: it is made in the new account, then deleted from the old one.
   */
  onBehalfOf?: string;
  protect?: Protect;
  retainOnDelete?: RetainOnDelete;
  adopt?: Adopt;
  movedFrom?: MovedFrom;
}
/**
 * The SendGrid IP access allow list (/v3/access_settings/whitelist) of one account: the addresses allowed to use its API keys and web UI, as a set. Once it holds any entry SendGrid refuses every other address; empty allows every address. One entry per account. A change that would lock out the address mailform calls from is refused at preview.
 */
export interface SendgridIpAllowList {
  /**
   * The allowed addresses: IPv4 addresses (203.0.113.7), CIDR blocks (203.0.113.0/24) or trailing wildcards (203.0.*.*), compared as a set as SendGrid stores them (a.b.c.d/n). Updated in place: new ones added, removed ones deleted. Must cover the address mailform calls from, unless empty.
   *
   * Items: An IPv4 address, a CIDR block or a wildcard address.
   */
  ips: string[];
  /**
   * The SendGrid subuser this object belongs to (its username): the parent's key acts for it with the on-behalf-of header, and the subuser is an account of its own (names, listings, adoption and drift are the subuser's). Absent: the stack-wide account (mailform:sendgridOnBehalfOf, else the parent). A change replaces the object: it is made in the new account, then deleted from the old one.
   */
  onBehalfOf?: string;
  protect?: Protect;
  retainOnDelete?: RetainOnDelete;
  adopt?: Adopt;
  movedFrom?: MovedFrom;
}
/**
 * A SendGrid verified sender (/v3/verified_senders): a single sender identity. SendGrid emails the from address a link to verify it when it is created; the output verified says whether that was done (a state, not drift). Protected by default: deleting or replacing it loses its verification.
 */
export interface SendgridVerifiedSender {
  /**
   * The address mail is sent from (letter case ignored). Another address is another identity, verified anew: a change replaces the sender.
   */
  fromEmail: string;
  /**
   * A name to tell senders apart in SendGrid (not shown to recipients). Updated in place.
   */
  nickname: string;
  /**
   * The name recipients see beside the from address. Updated in place; removing it clears it.
   */
  fromName?: string;
  /**
   * The address replies go to (letter case ignored). Default: the from address. Updated in place.
   */
  replyTo?: string;
  /**
   * The name shown beside the reply-to address. Updated in place; removing it clears it.
   */
  replyToName?: string;
  /**
   * The sender's postal address, first line (anti-spam laws ask for one in marketing mail). Updated in place; removing it clears it.
   */
  address?: string;
  /**
   * Second line of the postal address. Updated in place; removing it clears it.
   */
  address2?: string;
  /**
   * City of the postal address. Updated in place; removing it clears it.
   */
  city?: string;
  /**
   * State or region of the postal address, at most 2 characters (SendGrid's limit). Updated in place; removing it clears it.
   */
  state?: string;
  /**
   * Postal code. Updated in place; removing it clears it.
   */
  zip?: string;
  /**
   * Country of the postal address. Updated in place; removing it clears it.
   */
  country?: string;
  /**
   * The SendGrid subuser this object belongs to (its username): the parent's key acts for it with the on-behalf-of header, and the subuser is an account of its own (names, listings, adoption and drift are the subuser's). Absent: the stack-wide account (mailform:sendgridOnBehalfOf, else the parent). A change replaces the object: it is made in the new account, then deleted from the old one.
   */
  onBehalfOf?: string;
  protect?: Protect;
  retainOnDelete?: RetainOnDelete;
  adopt?: Adopt;
  movedFrom?: MovedFrom;
}
/**
 * A SendGrid inbound parse setting (/v3/user/webhooks/parse/settings): mail received at the hostname (whose MX record points at mx.sendgrid.net) is parsed and posted to the URL.
 */
export interface SendgridParseSetting {
  /**
   * The host name that receives the mail (parse.example.com), on a domain authenticated in SendGrid; letter case is ignored; one entry per hostname. A change replaces the setting.
   */
  hostname: string;
  /**
   * Where SendGrid posts each parsed message (http or https). Updated in place.
   */
  url: string;
  /**
   * Check each message for spam before posting it (the spam score comes with the post). Default false. Updated in place.
   */
  spamCheck?: boolean;
  /**
   * Post the whole raw MIME message instead of its parsed parts. Default false. Updated in place.
   */
  sendRaw?: boolean;
  /**
   * The SendGrid subuser this object belongs to (its username): the parent's key acts for it with the on-behalf-of header, and the subuser is an account of its own (names, listings, adoption and drift are the subuser's). Absent: the stack-wide account (mailform:sendgridOnBehalfOf, else the parent). A change replaces the object: it is made in the new account, then deleted from the old one.
   */
  onBehalfOf?: string;
  protect?: Protect;
  retainOnDelete?: RetainOnDelete;
  adopt?: Adopt;
  movedFrom?: MovedFrom;
}
/**
 * Mailjet resources. Credentials come from stack config (pulumi config set --secret mailform:mailjetApiKey / mailform:mailjetSecretKey ...), never from this file.
 */
export interface MailjetSection {
  /**
   * Mailjet templates by key. Within one ownerType, template names must be unique.
   */
  templates?: {
    [k: string]: MailjetTemplate;
  };
  /**
   * Mailjet API keys (sub-account keys) by key. The secret key is never written to this file or shown in outputs.
   */
  apiKeys?: {
    [k: string]: MailjetApiKey;
  };
  /**
   * Mailjet contact lists by key.
   */
  contactLists?: {
    [k: string]: MailjetContactList;
  };
  /**
   * Mailjet senders by key: addresses (or *@domain) mail may be sent from.
   */
  senders?: {
    [k: string]: MailjetSender;
  };
  /**
   * Mailjet event callback URLs (webhooks) by key: at most one per event type.
   */
  eventCallbacks?: {
    [k: string]: MailjetEventCallback;
  };
  /**
   * Mailjet parse routes (inbound parse) by key: one per URL.
   */
  parseRoutes?: {
    [k: string]: MailjetParseRoute;
  };
  /**
   * Mailjet contact properties by key: the fields contacts carry.
   */
  contactProperties?: {
    [k: string]: MailjetContactProperty;
  };
  /**
   * Mailjet account settings: at most one entry (any key), an account setting.
   */
  accountSettings?: {
    [k: string]: MailjetAccountSettings;
  };
}
/**
 * A Mailjet template and its content.
 */
export interface MailjetTemplate {
  /**
   * Display name, unique per ownerType. Updated in place.
   */
  name: string;
  /**
   * Who owns the template: apikey (default), user or global. Updated in place: the template keeps its id.
   */
  ownerType?: "apikey" | "user" | "global";
  /**
   * What the template is for: any of marketing, transactional, automation.
   *
   * Items: marketing, transactional or automation.
   */
  purposes?: ("marketing" | "transactional" | "automation")[];
  /**
   * Locale such as en_US or fr_FR.
   */
  locale?: string;
  /**
   * Free-text description shown in the Mailjet UI.
   */
  description?: string;
  /**
   * Category labels used to filter templates in the Mailjet UI.
   *
   * Items: A category label.
   */
  categories?: string[];
  /**
   * Editor of the template: dnd (drag and drop, Mailjet EditMode 1), html (2), section (saved section, 3) or mjml (4).
   */
  editMode?: "dnd" | "html" | "section" | "mjml";
  /**
   * Generate the text part from the HTML part.
   */
  isTextPartGenerationEnabled?: boolean;
  content?: MailjetTemplateContent;
  protect?: Protect;
  retainOnDelete?: RetainOnDelete;
  adopt?: Adopt;
  movedFrom?: MovedFrom;
  sampleData?: SampleData;
}
/**
 * The template's content (Mailjet detailcontent). Parts left out are managed as empty.
 */
export interface MailjetTemplateContent {
  /**
   * Default message headers.
   */
  headers?: {
    /**
     * Sender, e.g. "Shop <shop@example.com>".
     */
    From?: string;
    /**
     * Subject line.
     */
    Subject?: string;
    /**
     * Reply-to address.
     */
    "Reply-To"?: string;
  };
  /**
   * HTML part: a string, or {file: templates/x.html}.
   */
  html?: string | FileInclude;
  /**
   * Text part: a string, or {file: templates/x.txt}.
   */
  text?: string | FileInclude;
  /**
   * MJML source (editMode mjml): a string, or {file: templates/x.mjml}.
   */
  mjml?: string | FileInclude;
}
/**
 * A Mailjet API key.
 */
export interface MailjetApiKey {
  /**
   * Display name. Updated in place.
   */
  name: string;
  /**
   * false disables the key without deleting it. Default true.
   */
  active?: boolean;
  protect?: Protect;
  retainOnDelete?: RetainOnDelete;
  adopt?: Adopt;
  movedFrom?: MovedFrom;
}
/**
 * A Mailjet contact list (/v3/REST/contactslist).
 */
export interface MailjetContactList {
  /**
   * Display name, unique in the account. Updated in place.
   */
  name: string;
  protect?: Protect;
  retainOnDelete?: RetainOnDelete;
  adopt?: Adopt;
  movedFrom?: MovedFrom;
}
/**
 * A Mailjet sender (/v3/REST/sender).
 */
export interface MailjetSender {
  /**
   * The sender address, or *@domain for a whole domain. Changing it replaces the sender: Mailjet cannot change it.
   */
  email: string;
  /**
   * Display name shown to recipients. Default empty. Updated in place.
   */
  name?: string;
  /**
   * What the sender sends: transactional, bulk or unknown (Mailjet's default). Updated in place.
   */
  emailType?: "transactional" | "bulk" | "unknown";
  protect?: Protect;
  retainOnDelete?: RetainOnDelete;
  adopt?: Adopt;
  movedFrom?: MovedFrom;
}
/**
 * A Mailjet event callback URL (/v3/REST/eventcallbackurl).
 */
export interface MailjetEventCallback {
  /**
   * The events posted to the URL; one callback per event type. Updated in place.
   */
  eventType: "open" | "click" | "bounce" | "spam" | "blocked" | "unsub" | "sent";
  /**
   * Where Mailjet posts the events (http or https). Updated in place.
   */
  url: string;
  /**
   * alive (default) or dead, to pause the callback. Updated in place.
   */
  status?: "alive" | "dead";
  /**
   * 1 (default): one event per call; 2: events in batches. Updated in place.
   */
  version?: 1 | 2;
  protect?: Protect;
  retainOnDelete?: RetainOnDelete;
  adopt?: Adopt;
  movedFrom?: MovedFrom;
}
/**
 * A Mailjet parse route (/v3/REST/parseroute): mail received at an address is parsed and posted to a URL.
 */
export interface MailjetParseRoute {
  /**
   * Where Mailjet posts the parsed mail (http or https); one entry per URL. Updated in place.
   */
  url: string;
  /**
   * The address whose mail is parsed. Left out, Mailjet assigns one at parse-in1.mailjet.com (the output address) and it is not managed. Updated in place.
   */
  email?: string;
  protect?: Protect;
  retainOnDelete?: RetainOnDelete;
  adopt?: Adopt;
  movedFrom?: MovedFrom;
}
/**
 * A Mailjet contact property (/v3/REST/contactmetadata): a named field every contact may carry.
 */
export interface MailjetContactProperty {
  /**
   * The property's name, unique in the account. Updated in place.
   */
  name: string;
  /**
   * str (default), int, float, bool or datetime. Updated in place.
   */
  dataType?: "str" | "int" | "float" | "bool" | "datetime";
  /**
   * static (default: one value per contact) or historic (a value kept per event). Cannot change: a change replaces the property, and its values are lost.
   */
  namespace?: "static" | "historic";
  protect?: Protect;
  retainOnDelete?: RetainOnDelete;
  adopt?: Adopt;
  movedFrom?: MovedFrom;
}
/**
 * Mailjet account settings (/v3/REST/user and /v3/REST/myprofile). An account setting: one entry per stack, never created nor deleted; only the fields given are managed (see docs/stack-format.md, Account settings).
 */
export interface MailjetAccountSettings {
  /**
   * The account's language and region, e.g. en_US. Updated in place.
   */
  locale?: string;
  /**
   * The account's time zone (IANA name), e.g. Europe/Paris. Updated in place.
   */
  timezone?: string;
  /**
   * The company name on the account and its invoices. Updated in place.
   */
  companyName?: string;
  /**
   * Where Mailjet sends invoices. Updated in place.
   */
  billingEmail?: string;
  /**
   * The company's website. Updated in place.
   */
  website?: string;
  /**
   * The VAT number on invoices. Updated in place.
   */
  vatNumber?: string;
  protect?: Protect;
  retainOnDelete?: RetainOnDelete;
  adopt?: Adopt;
  movedFrom?: MovedFrom;
}
/**
 * What `mailform drift` reports of live objects that no entry declares and the stack's state does not hold, per kind (its stack-file path). Reported by default: sendgrid.apiKeys, sendgrid.teammates, mailtrap.apiTokens, mailtrap.accountAccesses, mailjet.apiKeys; the other kinds only when they say report: true.
 */
export interface Unmanaged {
  "mailtrap.projects"?: UnmanagedPolicy;
  "mailtrap.emailTemplates"?: UnmanagedPolicy;
  "mailtrap.apiTokens"?: UnmanagedPolicy;
  "mailtrap.domains"?: UnmanagedPolicy;
  "mailtrap.webhooks"?: UnmanagedPolicy;
  "mailtrap.accountAccesses"?: UnmanagedPolicy;
  "sendgrid.templates"?: UnmanagedPolicy;
  "sendgrid.apiKeys"?: UnmanagedPolicy;
  "sendgrid.unsubscribeGroups"?: UnmanagedPolicy;
  "sendgrid.eventWebhooks"?: UnmanagedPolicy;
  "sendgrid.teammates"?: UnmanagedPolicy;
  "mailjet.templates"?: UnmanagedPolicy;
  "mailjet.apiKeys"?: UnmanagedPolicy;
  "mailjet.contactLists"?: UnmanagedPolicy;
  "mailjet.senders"?: UnmanagedPolicy;
  "mailjet.eventCallbacks"?: UnmanagedPolicy;
  "sendgrid.domainAuthentications"?: UnmanagedPolicy;
  "sendgrid.linkBrandings"?: UnmanagedPolicy;
  "mailjet.parseRoutes"?: UnmanagedPolicy;
  "mailjet.contactProperties"?: UnmanagedPolicy;
  "sendgrid.ipAllowLists"?: UnmanagedPolicy;
  "sendgrid.verifiedSenders"?: UnmanagedPolicy;
  "sendgrid.parseSettings"?: UnmanagedPolicy;
}
/**
 * Whether unmanaged objects of this kind are reported, and which to leave out.
 */
export interface UnmanagedPolicy {
  /**
   * Report unmanaged objects of this kind (default true for API keys, tokens, teammates and account accesses, false for the others).
   */
  report?: boolean;
  /**
   * Names (emails for teammates and account accesses, URLs for webhooks) never reported; * matches any characters, e.g. "CI *". Letter case counts.
   *
   * Items: A name, or a pattern with *.
   */
  ignore?: string[];
}

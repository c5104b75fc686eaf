/**
 * Mailtrap inbox (a "sandbox" in API v2, an "inbox" in v1): created inside its project, which it
 * can never leave, so a change of `projectId` replaces it. Natural key: its name within the project.
 *
 * `emailUsername` is the inbox's email address (`<emailUsername>@<email domain>`). Mailtrap keeps
 * two things: the username (set with PATCH `email_username`) and whether the address is on
 * (flipped by PATCH `.../toggle_email_username`, which takes no argument). mailform folds both into
 * the one field: set = the address is on and has this username; absent = the address is off (the
 * username Mailtrap keeps while it is off is not managed). Because the toggle flips rather than
 * sets, it is only ever sent after reading the live flag.
 *
 * Outputs include the SMTP credentials; `password` is a secret output.
 */
import { compact, type KindDefinition, type LiveObject } from "../resource";
import { keyPart } from "../natural-key";
import { mailtrap, outcomeUnknown, sandboxRoutes } from "../clients";

export interface InboxInputs {
  projectId: number;
  name: string;
  emailUsername?: string;
  /** `mailtrap.apiVersion` of the stack file: which paths reach the inbox. */
  apiVersion?: string;
}

export interface InboxOutputs {
  inboxId: number;
  /** SMTP user name. */
  username: string;
  /** SMTP password: a secret output. Mailtrap shows it only to admins of the inbox. */
  password?: string;
  /** SMTP host. */
  domain: string;
  smtpPorts: number[];
  /** The inbox's email address, when it is on. */
  emailAddress?: string;
}

interface ApiInbox {
  id: number;
  name: string;
  username: string;
  password?: string | null;
  email_username: string;
  email_username_enabled: boolean;
  /** v2 and the emulator's v1; the real v1 calls it `company_id`. */
  project_id?: number;
  company_id?: number;
  domain: string;
  email_domain?: string;
  smtp_ports: number[];
}

function toLive(s: ApiInbox, apiVersion: string | undefined): LiveObject<InboxInputs, InboxOutputs> {
  const on = s.email_username_enabled;
  return {
    id: String(s.id),
    inputs: compact({
      projectId: Number(s.project_id ?? s.company_id),
      name: s.name,
      emailUsername: on ? s.email_username : undefined,
      apiVersion,
    }),
    outs: compact({
      inboxId: s.id,
      username: s.username,
      password: s.password ?? undefined,
      domain: s.domain,
      smtpPorts: s.smtp_ports,
      emailAddress: on && s.email_domain ? `${s.email_username}@${s.email_domain}` : undefined,
    }),
  };
}

/** Numbers stay numbers; anything else (an unknown value during preview) is left alone. */
function asId(value: unknown): number {
  return typeof value === "string" && /^\d+$/.test(value) ? Number(value) : (value as number);
}

/**
 * Toggles answered 200 that may leave the flag where it was before the inbox is reported as not
 * taking them (one should do; a second covers a flip that raced another writer).
 */
const MAX_TOGGLES = 3;

/** Brings name, username and the address switch of an existing inbox to `news`; the live inbox after. */
async function converge(id: string, olds: Partial<InboxInputs>, news: InboxInputs): Promise<ApiInbox> {
  const r = sandboxRoutes(news.apiVersion);
  const api = mailtrap();
  const attrs: Record<string, string> = {};
  if (olds.name !== news.name) attrs.name = news.name;
  if (news.emailUsername !== undefined && olds.emailUsername !== news.emailUsername) attrs.email_username = news.emailUsername;
  let live = Object.keys(attrs).length
    ? (await api.request<ApiInbox>("PATCH", r.inbox(id), { body: { [r.inboxKey]: attrs }, idempotent: true })).body
    : (await api.request<ApiInbox>("GET", r.inbox(id))).body;
  const wantOn = news.emailUsername !== undefined;
  for (let lost = 0, answered = 0; live.email_username_enabled !== wantOn; ) {
    if (answered === MAX_TOGGLES) {
      throw new Error(
        `Mailtrap inbox ${id} ("${news.name}"): turning its email address ${wantOn ? "on" : "off"} did not take: ` +
          `Mailtrap answered 200 to ${answered} toggles (PATCH ${r.inboxAction(id, "toggle_email_username")}), ` +
          `and email_username_enabled is still ${live.email_username_enabled}` +
          `${live.email_username ? ` (email_username "${live.email_username}")` : ""}. ` +
          `Check the inbox in Mailtrap's web UI (the account's plan may not include inbox email addresses), then run again.`,
      );
    }
    try {
      live = (await api.request<ApiInbox>("PATCH", r.inboxAction(id, "toggle_email_username"))).body;
      answered++;
    } catch (e) {
      // The toggle flips: after a lost answer, read the flag again instead of flipping blindly.
      if (!outcomeUnknown(e) || ++lost > 2) throw e;
      live = (await api.request<ApiInbox>("GET", r.inbox(id))).body;
    }
  }
  return live;
}

export const inbox: KindDefinition<InboxInputs, InboxOutputs> = {
  kind: "mailtrap:Inbox",
  title: "Mailtrap inbox",
  entryKind: "mailtrap:inbox",
  yamlPath: "mailtrap.projects.*.inboxes",
  schema: "MailtrapInbox",
  docs: { page: "docs/resources/mailtrap.md", section: "Inbox" },
  loss: { what: "its messages and its SMTP credentials, which senders are configured with" },
  fields: {
    projectId: { replaces: true, from: "the project it is declared in" },
    name: {},
    emailUsername: {},
    apiVersion: { from: "mailtrap.apiVersion" },
  },
  inputsOf: (e, ref, stack) => ({
    projectId: ref("mailtrap:project", e.parent!),
    name: e.props.name,
    emailUsername: e.props.emailUsername,
    apiVersion: stack.mailtrapApiVersion,
  }),
  parentOf: (e) => ({ entryKind: "mailtrap:project", key: e.parent! }),
  outputs: ["inboxId", "username", "password", "domain", "smtpPorts", "emailAddress"],
  secretOutputs: ["password"],
  stackOutputs: {
    id: { from: "id" },
    emailAddress: { from: "emailAddress", when: (e) => e.props.emailUsername !== undefined },
    smtp: { from: { host: "domain", ports: "smtpPorts", username: "username", password: "password" } },
  },
  normalize: (i) =>
    compact({
      projectId: asId(i.projectId),
      name: i.name.trim(),
      emailUsername: i.emailUsername === undefined || i.emailUsername === null ? undefined : i.emailUsername.trim(),
      apiVersion: i.apiVersion ?? "v2",
    }),
  naturalKey: (i) => `${keyPart("name", i.name)} in project ${i.projectId}`,

  async create(inputs) {
    const r = sandboxRoutes(inputs.apiVersion);
    const res = await mailtrap().request<ApiInbox>("POST", r.projectInboxes(inputs.projectId), {
      body: { [r.inboxKey]: { name: inputs.name } },
    });
    if (inputs.emailUsername === undefined) return toLive(res.body, inputs.apiVersion);
    const id = String(res.body.id);
    try {
      return toLive(await converge(id, { name: inputs.name }, inputs), inputs.apiVersion);
    } catch (e) {
      // Leave no half-made inbox behind: the next run would find it by name and refuse to adopt it.
      await mailtrap().request("DELETE", r.inbox(id), { accept: [404] }).catch(() => undefined);
      throw e;
    }
  },

  async read(id, previous) {
    const res = await mailtrap().request<ApiInbox>("GET", sandboxRoutes(previous.apiVersion).inbox(id), { accept: [404] });
    return res.status === 404 ? undefined : toLive(res.body, previous.apiVersion);
  },

  async update(id, olds, news) {
    return toLive(await converge(id, olds, news), news.apiVersion).outs;
  },

  async delete(id, props) {
    await mailtrap().request("DELETE", sandboxRoutes(props.apiVersion).inbox(id));
  },

  existing: {
    // The API lists every inbox of the account in one call; the natural key names the project.
    scope: () => "account",
    async list(inputs) {
      const res = await mailtrap().request<ApiInbox[]>("GET", sandboxRoutes(inputs.apiVersion).inboxes);
      return res.body.map((s) => toLive(s, inputs.apiVersion));
    },
    // The list answer is the GET answer, for every inbox; each keeps the paths its state names.
    readsFromList: async (listed, previous) => ({ ...listed, inputs: compact({ ...listed.inputs, apiVersion: previous.apiVersion }) }),
  },
  export: {
    list: () => inbox.existing!.list({ projectId: 0, name: "", apiVersion: "v2" }),
    entry: (live) => ({
      label: live.inputs.name,
      fields: compact({ name: live.inputs.name, emailUsername: live.inputs.emailUsername }),
      parentId: String(live.inputs.projectId),
    }),
  },
};

/**
 * Mailjet event callback URL (`/v3/REST/eventcallbackurl`, a webhook): where Mailjet posts the
 * events of one type (`open`, `click`, `bounce`, `spam`, `blocked`, `unsub`, `sent`) for the API key
 * mailform uses. Mailjet keeps one callback per event type (and key): the event type is the natural
 * key, and two entries with the same one are refused when the stack file is checked, before any
 * call. `url`, `status` (`alive`, or `dead` to pause it) and `version` (1: one event per call,
 * 2: batches) change in place with one PUT; so does `eventType`, when no other entry has the new one.
 * Backup URLs (`IsBackup`) are not managed.
 */
import { compact, type KindDefinition, type LiveObject } from "../resource";
import { urlCredentials } from "../url-credentials";
import { keyPart } from "../natural-key";
import { mailjet } from "../clients";

export interface EventCallbackInputs {
  eventType: string;
  url: string;
  status: "alive" | "dead";
  version: number;
}

export interface EventCallbackOutputs {
  callbackId: number;
}

interface ApiCallback {
  ID: number;
  EventType: string;
  Url: string;
  Status?: string;
  Version?: number;
  IsBackup?: boolean;
}

const PATH = "/eventcallbackurl";

function toLive(c: ApiCallback): LiveObject<EventCallbackInputs, EventCallbackOutputs> {
  return {
    id: String(c.ID),
    inputs: { eventType: c.EventType, url: c.Url, status: (c.Status ?? "alive") as "alive" | "dead", version: c.Version ?? 1 },
    outs: { callbackId: c.ID },
  };
}

export const eventCallback: KindDefinition<EventCallbackInputs, EventCallbackOutputs> = {
  kind: "mailjet:EventCallback",
  title: "Mailjet event callback URL",
  entryKind: "mailjet:eventCallback",
  yamlPath: "mailjet.eventCallbacks",
  schema: "MailjetEventCallback",
  docs: { page: "docs/resources/mailjet.md", section: "Event callback URL" },
  fields: { eventType: {}, url: {}, status: {}, version: {} },
  inputsOf: ({ props: p }) => ({ eventType: p.eventType, url: p.url, status: p.status, version: p.version }),
  outputs: ["callbackId"],
  stackOutputs: { id: { from: "id" } },
  normalize: (i) => ({ eventType: i.eventType, url: i.url, status: i.status ?? "alive", version: i.version ?? 1 }),
  naturalKey: (i) => keyPart("event type", i.eventType),

  async create(inputs) {
    return toLive(
      await mailjet().create<ApiCallback>(PATH, { EventType: inputs.eventType, Url: inputs.url, Status: inputs.status, Version: inputs.version }),
    );
  },

  async read(id) {
    const live = await mailjet().get<ApiCallback>(`${PATH}/${id}`);
    return live && toLive(live);
  },

  async update(id, olds, news) {
    const changed = compact({
      EventType: olds.eventType !== news.eventType ? news.eventType : undefined,
      Url: olds.url !== news.url ? news.url : undefined,
      Status: olds.status !== news.status ? news.status : undefined,
      Version: olds.version !== news.version ? news.version : undefined,
    });
    if (Object.keys(changed).length > 0) await mailjet().update<ApiCallback>(`${PATH}/${id}`, changed);
    return { callbackId: olds.callbackId ?? Number(id) };
  },

  async delete(id) {
    await mailjet().delete(`${PATH}/${id}`);
  },

  existing: {
    scope: () => "account",
    async list() {
      // The key's callbacks (Mailjet answers for the key it is called with); backups are not candidates.
      return (await mailjet().list<ApiCallback>(PATH, { IsBackup: false })).filter((c) => !c.IsBackup).map(toLive);
    },
    readsFromList: true,
  },
  export: {
    list: () => eventCallback.existing!.list({} as EventCallbackInputs),
    entry: ({ inputs: i }) =>
      urlCredentials(i.url) ? { label: i.eventType, reason: "its URL carries credentials, which a stack file must not hold (it is kept in git)" } : { label: i.eventType, fields: { ...i } },
  },
};

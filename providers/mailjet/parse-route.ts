/**
 * Mailjet parse route (`/v3/REST/parseroute`, inbound parse; fields as mailjet-sdk-types/Parse.ts
 * declares them): mail received at `Email` is parsed and posted to `Url`. The URL is the natural
 * key (two entries with one URL are refused before any call). `email` is optional: left out,
 * Mailjet assigns an address at `parse-in1.mailjet.com`, shown as the output `address` and left as
 * it is (not managed); given, it is managed. Both change in place with one PUT.
 */
import { compact, type KindDefinition, type LiveObject } from "../resource";
import { urlCredentials } from "../url-credentials";
import { urlKeyPart } from "../natural-key";
import { mailjet } from "../clients";

export interface ParseRouteInputs {
  url: string;
  email?: string;
}

export interface ParseRouteOutputs {
  routeId: number;
  address: string;
}

interface ApiParseRoute {
  ID: number;
  APIKeyID?: number;
  Email: string;
  Url: string;
}

const PATH = "/parseroute";

function toLive(r: ApiParseRoute): LiveObject<ParseRouteInputs, ParseRouteOutputs> {
  return { id: String(r.ID), inputs: compact({ url: r.Url, email: r.Email || undefined }), outs: { routeId: r.ID, address: r.Email } };
}

export const parseRoute: KindDefinition<ParseRouteInputs, ParseRouteOutputs> = {
  kind: "mailjet:ParseRoute",
  title: "Mailjet parse route",
  entryKind: "mailjet:parseRoute",
  yamlPath: "mailjet.parseRoutes",
  schema: "MailjetParseRoute",
  docs: { page: "docs/resources/mailjet.md", section: "Parse route" },
  fields: { url: {}, email: { unmanagedWhenAbsent: true } },
  inputsOf: ({ props: p }) => ({ url: p.url, email: p.email }),
  outputs: ["routeId", "address"],
  stackOutputs: { id: { from: "id" }, address: { from: "address" } },
  normalize: (i) => compact({ url: i.url, email: i.email?.trim() || undefined }),
  naturalKey: (i) => urlKeyPart("url", i.url),

  async create(inputs) {
    return toLive(await mailjet().create<ApiParseRoute>(PATH, compact({ Url: inputs.url, Email: inputs.email })));
  },

  async read(id) {
    const live = await mailjet().get<ApiParseRoute>(`${PATH}/${id}`);
    return live && toLive(live);
  },

  async update(id, olds, news) {
    const changed = compact({
      Url: olds.url !== news.url ? news.url : undefined,
      Email: news.email !== undefined && olds.email?.toLowerCase() !== news.email.toLowerCase() ? news.email : undefined,
    });
    const updated = Object.keys(changed).length > 0 ? await mailjet().update<ApiParseRoute>(`${PATH}/${id}`, changed) : undefined;
    return updated ? toLive(updated).outs : { routeId: olds.routeId ?? Number(id), address: olds.address ?? olds.email ?? "" };
  },

  async delete(id) {
    await mailjet().delete(`${PATH}/${id}`);
  },

  existing: {
    scope: () => "account",
    async list() {
      return (await mailjet().list<ApiParseRoute>(PATH)).map(toLive);
    },
    // The listing answers each object as its own read does: a refresh reads from it.
    readsFromList: true,
  },
  export: {
    list: () => parseRoute.existing!.list({} as ParseRouteInputs),
    entry: ({ inputs: i }) =>
      urlCredentials(i.url) ? { label: i.url, reason: "its URL carries credentials, which a stack file must not hold (it is kept in git)" } : { label: i.email ?? i.url, fields: { ...i } },
  },
};

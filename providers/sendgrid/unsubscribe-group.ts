/**
 * SendGrid unsubscribe group (`/v3/asm/groups`, "suppression group"): a name (at most 30
 * characters, unique per user: the natural key), a description (at most 100, required at create)
 * and whether it is the account's default group. Everything changes in place with one PATCH of the
 * fields that changed.
 *
 * SendGrid keeps at most one default group: making one the default quietly unsets the previous
 * one, so two entries with `isDefault: true` would flip forever; the stack file check refuses that.
 * `isDefault` left out is false.
 */
import { compact, type KindDefinition, type LiveObject } from "../resource";
import { keyPart } from "../natural-key";
import { sendgrid } from "../clients";
import { perAccount, type AccountInputs } from "./accounts";

export interface UnsubscribeGroupInputs {
  name: string;
  description: string;
  isDefault: boolean;
}

export interface UnsubscribeGroupOutputs {
  groupId: number;
}

interface ApiGroup {
  id: number;
  name: string;
  description?: string;
  is_default?: boolean;
}

const PATH = "/asm/groups";

function toLive(g: ApiGroup): LiveObject<UnsubscribeGroupInputs, UnsubscribeGroupOutputs> {
  return {
    id: String(g.id),
    inputs: { name: g.name, description: g.description ?? "", isDefault: g.is_default === true },
    outs: { groupId: g.id },
  };
}

export const unsubscribeGroup: KindDefinition<UnsubscribeGroupInputs & AccountInputs, UnsubscribeGroupOutputs> = perAccount<UnsubscribeGroupInputs, UnsubscribeGroupOutputs>({
  kind: "sendgrid:UnsubscribeGroup",
  title: "SendGrid unsubscribe group",
  entryKind: "sendgrid:unsubscribeGroup",
  yamlPath: "sendgrid.unsubscribeGroups",
  schema: "SendgridUnsubscribeGroup",
  docs: { page: "docs/resources/sendgrid.md", section: "Unsubscribe group" },
  loss: { what: "its unsubscribes: recipients who opted out would receive its mail again", guarded: true },
  fields: { name: {}, description: {}, isDefault: {} },
  inputsOf: ({ props: p }) => ({ name: p.name, description: p.description, isDefault: p.isDefault }),
  outputs: ["groupId"],
  stackOutputs: { id: { from: "id" } },
  normalize: (i) => ({ name: i.name, description: i.description ?? "", isDefault: i.isDefault === true }),
  naturalKey: (i) => keyPart("name", i.name),
  alsoUnique: (i) => (i.isDefault ? "isDefault: true" : undefined),

  async create(inputs) {
    const res = await sendgrid().request<ApiGroup>("POST", PATH, {
      body: { name: inputs.name, description: inputs.description, is_default: inputs.isDefault },
    });
    return toLive(res.body);
  },

  async read(id) {
    const res = await sendgrid().request<ApiGroup>("GET", `${PATH}/${encodeURIComponent(id)}`, { accept: [404] });
    return res.status === 404 ? undefined : toLive(res.body);
  },

  async update(id, olds, news) {
    const changed = compact({
      name: olds.name !== news.name ? news.name : undefined,
      description: olds.description !== news.description ? news.description : undefined,
      is_default: olds.isDefault !== news.isDefault ? news.isDefault : undefined,
    });
    if (Object.keys(changed).length > 0) await sendgrid().request("PATCH", `${PATH}/${encodeURIComponent(id)}`, { body: changed, idempotent: true });
    return { groupId: Number(id) };
  },

  async delete(id) {
    await sendgrid().request("DELETE", `${PATH}/${encodeURIComponent(id)}`);
  },

  existing: {
    scope: () => "account",
    async list() {
      const res = await sendgrid().request<ApiGroup[]>("GET", PATH);
      return res.body.map(toLive);
    },
    readsFromList: true,
  },
  export: {
    list: () => unsubscribeGroup.existing!.list({} as UnsubscribeGroupInputs),
    entry: ({ inputs: i }) => ({ label: i.name, fields: { ...i } }),
  },
});

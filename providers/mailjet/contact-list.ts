/**
 * Mailjet contact list (`/v3/REST/contactslist`): a name, unique in the account (the natural key),
 * changed in place with one PUT. Outputs its id and `Address`, the list's own address at Mailjet.
 *
 * `IsDeleted`: Mailjet keeps a deleted list (its contacts included) marked `IsDeleted: true`
 * rather than gone, and a PUT of `IsDeleted: false` brings it back. A list in the stack file is a
 * list that is wanted, so mailform manages `isDeleted` as always false: a list deleted in the
 * Mailjet UI shows up as drift (`isDeleted: true => false`) and `up` restores it, contacts and all,
 * instead of creating an empty list that would clash with the deleted one's name.
 */
import { compact, type KindDefinition, type LiveObject } from "../resource";
import { keyPart } from "../natural-key";
import { mailjet } from "../clients";

export interface ContactListInputs {
  name: string;
  isDeleted: boolean;
}

export interface ContactListOutputs {
  listId: number;
  address: string;
}

interface ApiList {
  ID: number;
  Name: string;
  IsDeleted?: boolean;
  Address?: string;
}

const PATH = "/contactslist";

function toLive(l: ApiList): LiveObject<ContactListInputs, ContactListOutputs> {
  return {
    id: String(l.ID),
    inputs: { name: l.Name, isDeleted: l.IsDeleted === true },
    outs: compact({ listId: l.ID, address: l.Address ?? "" }),
  };
}

export const contactList: KindDefinition<ContactListInputs, ContactListOutputs> = {
  kind: "mailjet:ContactList",
  title: "Mailjet contact list",
  entryKind: "mailjet:contactList",
  yamlPath: "mailjet.contactLists",
  schema: "MailjetContactList",
  docs: { page: "docs/resources/mailjet.md", section: "Contact list" },
  loss: { what: "its contacts and their subscription state (who unsubscribed)", guarded: true },
  fields: { name: {}, isDeleted: { from: "always false: a declared list is wanted" } },
  inputsOf: ({ props: p }) => ({ name: p.name, isDeleted: false }),
  outputs: ["listId", "address"],
  stackOutputs: { id: { from: "id" }, address: { from: "address" } },
  normalize: (i) => ({ name: i.name, isDeleted: i.isDeleted === true }),
  naturalKey: (i) => keyPart("name", i.name),

  async create(inputs) {
    return toLive(await mailjet().create<ApiList>(PATH, { Name: inputs.name }));
  },

  async read(id) {
    const live = await mailjet().get<ApiList>(`${PATH}/${id}`);
    return live && toLive(live);
  },

  async update(id, olds, news) {
    const changed = compact({
      Name: olds.name !== news.name ? news.name : undefined,
      IsDeleted: olds.isDeleted !== news.isDeleted ? news.isDeleted : undefined,
    });
    const updated = Object.keys(changed).length > 0 ? await mailjet().update<ApiList>(`${PATH}/${id}`, changed) : undefined;
    return updated ? toLive(updated).outs : compact({ listId: olds.listId ?? Number(id), address: olds.address });
  },

  async delete(id) {
    await mailjet().delete(`${PATH}/${id}`);
  },

  existing: {
    scope: () => "account",
    async list() {
      // Deleted lists too: one keeps its name, and adopting it restores it.
      return (await mailjet().list<ApiList>(PATH)).map(toLive);
    },
    readsFromList: true,
  },
  export: {
    list: () => contactList.existing!.list({} as ContactListInputs),
    entry: ({ inputs: i }) => (i.isDeleted ? { label: i.name, reason: "deleted (Mailjet keeps deleted lists by name)" } : { label: i.name, fields: { name: i.name } }),
  },
};

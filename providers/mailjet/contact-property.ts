/**
 * Mailjet contact property (`/v3/REST/contactmetadata`; fields as mailjet-sdk-types/Contact.ts
 * declares them, `ContactProperties`): a named field every contact may carry (`plan`,
 * `signup_date`), used to personalise and segment. The name is the natural key. `dataType` (`str`,
 * `int`, `float`, `bool`, `datetime`) changes in place with one PUT; `namespace` (`static`, or
 * `historic` for a value kept per event) cannot change through the API (it is not in the PUT body),
 * so a change replaces the property.
 */
import { type KindDefinition, type LiveObject } from "../resource";
import { keyPart } from "../natural-key";
import { mailjet } from "../clients";

export interface ContactPropertyInputs {
  name: string;
  dataType: string;
  namespace: string;
}

export interface ContactPropertyOutputs {
  propertyId: number;
}

interface ApiProperty {
  ID: number;
  Name: string;
  Datatype?: string;
  NameSpace?: string;
}

const PATH = "/contactmetadata";

function toLive(p: ApiProperty): LiveObject<ContactPropertyInputs, ContactPropertyOutputs> {
  return { id: String(p.ID), inputs: { name: p.Name, dataType: p.Datatype ?? "str", namespace: p.NameSpace ?? "static" }, outs: { propertyId: p.ID } };
}

export const contactProperty: KindDefinition<ContactPropertyInputs, ContactPropertyOutputs> = {
  kind: "mailjet:ContactProperty",
  title: "Mailjet contact property",
  entryKind: "mailjet:contactProperty",
  yamlPath: "mailjet.contactProperties",
  schema: "MailjetContactProperty",
  docs: { page: "docs/resources/mailjet.md", section: "Contact property" },
  loss: { what: "the value every contact holds in it" },
  fields: { name: {}, dataType: {}, namespace: { replaces: true } },
  inputsOf: ({ props: p }) => ({ name: p.name, dataType: p.dataType, namespace: p.namespace }),
  outputs: ["propertyId"],
  stackOutputs: { id: { from: "id" } },
  normalize: (i) => ({ name: i.name, dataType: i.dataType ?? "str", namespace: i.namespace ?? "static" }),
  naturalKey: (i) => keyPart("name", i.name),

  async create(inputs) {
    return toLive(await mailjet().create<ApiProperty>(PATH, { Name: inputs.name, Datatype: inputs.dataType, NameSpace: inputs.namespace }));
  },

  async read(id) {
    const live = await mailjet().get<ApiProperty>(`${PATH}/${id}`);
    return live && toLive(live);
  },

  async update(id, olds, news) {
    const changed: Record<string, unknown> = {};
    if (olds.name !== news.name) changed.Name = news.name;
    if (olds.dataType !== news.dataType) changed.Datatype = news.dataType;
    if (Object.keys(changed).length > 0) await mailjet().update<ApiProperty>(`${PATH}/${id}`, changed);
    return { propertyId: olds.propertyId ?? Number(id) };
  },

  async delete(id) {
    await mailjet().delete(`${PATH}/${id}`);
  },

  existing: {
    scope: () => "account",
    async list() {
      return (await mailjet().list<ApiProperty>(PATH)).map(toLive);
    },
    // The listing answers each object as its own read does: a refresh reads from it.
    readsFromList: true,
  },
  export: {
    list: () => contactProperty.existing!.list({} as ContactPropertyInputs),
    entry: ({ inputs: i }) => ({ label: i.name, fields: { ...i } }),
  },
};

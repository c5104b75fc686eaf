/**
 * Mailtrap project: a named group of sandbox inboxes. Natural key: its name. Reached through API
 * v2 (`/api/projects`) or, with `mailtrap.apiVersion: v1` in the stack file, API v1
 * (`/api/v1/companies`): same data, same ids, so switching generations calls nothing.
 */
import { compact, type KindDefinition, type LiveObject } from "../resource";
import { keyPart } from "../natural-key";
import { mailtrap, sandboxRoutes } from "../clients";

export interface ProjectInputs {
  name: string;
  /** `mailtrap.apiVersion` of the stack file: which paths reach the project. */
  apiVersion?: string;
}

export interface ProjectOutputs {
  projectId: number;
  shareLinks?: { admin?: string; viewer?: string };
}

interface ApiProject {
  id: number;
  name: string;
  share_links?: { admin?: string; viewer?: string };
}

function toLive(p: ApiProject, apiVersion: string | undefined): LiveObject<ProjectInputs, ProjectOutputs> {
  return {
    id: String(p.id),
    inputs: compact({ name: p.name, apiVersion }),
    outs: compact({ projectId: p.id, shareLinks: p.share_links }),
  };
}

export const project: KindDefinition<ProjectInputs, ProjectOutputs> = {
  kind: "mailtrap:Project",
  title: "Mailtrap project",
  entryKind: "mailtrap:project",
  yamlPath: "mailtrap.projects",
  schema: "MailtrapProject",
  docs: { page: "docs/resources/mailtrap.md", section: "Project" },
  loss: { what: "its inboxes, with their messages and SMTP credentials" },
  fields: { name: {}, apiVersion: { from: "mailtrap.apiVersion" } },
  inputsOf: (e, _ref, stack) => ({ name: e.props.name, apiVersion: stack.mailtrapApiVersion }),
  outputs: ["projectId", "shareLinks"],
  // Share links are bearer URLs: whoever holds one reads the project's inboxes.
  secretOutputs: ["shareLinks"],
  stackOutputs: { id: { from: "id" } },
  normalize: (i) => ({ name: i.name.trim(), apiVersion: i.apiVersion ?? "v2" }),
  naturalKey: (i) => keyPart("name", i.name),

  async create(inputs) {
    const r = sandboxRoutes(inputs.apiVersion);
    const res = await mailtrap().request<ApiProject>("POST", r.projects, { body: { [r.projectKey]: { name: inputs.name } } });
    return toLive(res.body, inputs.apiVersion);
  },

  async read(id, previous) {
    const res = await mailtrap().request<ApiProject>("GET", sandboxRoutes(previous.apiVersion).project(id), { accept: [404] });
    return res.status === 404 ? undefined : toLive(res.body, previous.apiVersion);
  },

  async update(id, olds, news) {
    // A change of apiVersion alone changes only the paths used from now on: no call.
    if (olds.name === news.name) return compact({ projectId: olds.projectId ?? Number(id), shareLinks: olds.shareLinks });
    const r = sandboxRoutes(news.apiVersion);
    const res = await mailtrap().request<ApiProject>("PATCH", r.project(id), { body: { [r.projectKey]: { name: news.name } }, idempotent: true });
    return toLive(res.body, news.apiVersion).outs;
  },

  async delete(id, props) {
    await mailtrap().request("DELETE", sandboxRoutes(props.apiVersion).project(id));
  },

  existing: {
    // v1 and v2 list the same projects.
    scope: () => "account",
    async list(inputs) {
      const res = await mailtrap().request<ApiProject[]>("GET", sandboxRoutes(inputs.apiVersion).projects);
      return res.body.map((p) => toLive(p, inputs.apiVersion));
    },
    // The list answer is the GET answer, for every project; each keeps the paths its state names.
    readsFromList: async (listed, previous) => ({ ...listed, inputs: compact({ ...listed.inputs, apiVersion: previous.apiVersion }) }),
  },
  export: {
    list: () => project.existing!.list({ name: "", apiVersion: "v2" }),
    entry: (live) => ({ label: live.inputs.name, fields: { name: live.inputs.name } }),
  },
};

/** Mailtrap project: a named group of sandbox inboxes. Natural key: its name. */
import type { KindDefinition, LiveObject } from "../resource";
import { mailtrap } from "./client";

export interface ProjectInputs {
  name: string;
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

function toLive(p: ApiProject): LiveObject<ProjectInputs, ProjectOutputs> {
  return {
    id: String(p.id),
    inputs: { name: p.name },
    outs: { projectId: p.id, shareLinks: p.share_links },
  };
}

export const project: KindDefinition<ProjectInputs, ProjectOutputs> = {
  kind: "mailtrap:Project",
  title: "Mailtrap project",
  inputFields: ["name"],
  normalize: (i) => ({ name: i.name.trim() }),
  naturalKey: (i) => `name "${i.name}"`,

  async create(inputs) {
    const res = await mailtrap().request<ApiProject>("POST", "/api/projects", { body: { project: { name: inputs.name } } });
    return toLive(res.body);
  },

  async read(id) {
    const res = await mailtrap().request<ApiProject>("GET", `/api/projects/${id}`, { accept: [404] });
    return res.status === 404 ? undefined : toLive(res.body);
  },

  async update(id, olds, news) {
    if (olds.name === news.name) return { projectId: olds.projectId, shareLinks: olds.shareLinks };
    const res = await mailtrap().request<ApiProject>("PATCH", `/api/projects/${id}`, { body: { project: { name: news.name } } });
    return toLive(res.body).outs;
  },

  async delete(id) {
    await mailtrap().request("DELETE", `/api/projects/${id}`);
  },

  async findExisting(inputs) {
    const res = await mailtrap().request<ApiProject[]>("GET", "/api/projects");
    return res.body.filter((p) => p.name === inputs.name).map(toLive);
  },
};

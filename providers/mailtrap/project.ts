/**
 * Mailtrap project: a named group of sandbox inboxes. Natural key: its name. Reached through API
 * v2 (`/api/projects`) or, with `mailform:mailtrapApiVersion v1`, API v1 (`/api/v1/companies`):
 * same data, same ids, so switching generations changes nothing in state.
 */
import type { KindDefinition, LiveObject } from "../resource";
import { compact, mailtrap, sandboxRoutes } from "./client";

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
    outs: compact({ projectId: p.id, shareLinks: p.share_links }),
  };
}

export const project: KindDefinition<ProjectInputs, ProjectOutputs> = {
  kind: "mailtrap:Project",
  title: "Mailtrap project",
  inputFields: ["name"],
  normalize: (i) => ({ name: i.name.trim() }),
  naturalKey: (i) => `name "${i.name}"`,

  async create(inputs) {
    const r = sandboxRoutes();
    const res = await mailtrap().request<ApiProject>("POST", r.projects, { body: { [r.projectKey]: { name: inputs.name } } });
    return toLive(res.body);
  },

  async read(id) {
    const res = await mailtrap().request<ApiProject>("GET", sandboxRoutes().project(id), { accept: [404] });
    return res.status === 404 ? undefined : toLive(res.body);
  },

  async update(id, olds, news) {
    if (olds.name === news.name) return compact({ projectId: olds.projectId, shareLinks: olds.shareLinks });
    const r = sandboxRoutes();
    const res = await mailtrap().request<ApiProject>("PATCH", r.project(id), { body: { [r.projectKey]: { name: news.name } }, idempotent: true });
    return toLive(res.body).outs;
  },

  async delete(id) {
    await mailtrap().request("DELETE", sandboxRoutes().project(id));
  },

  async findExisting(inputs) {
    const res = await mailtrap().request<ApiProject[]>("GET", sandboxRoutes().projects);
    return res.body.filter((p) => p.name === inputs.name).map(toLive);
  },
};

/**
 * A group of SendGrid account settings whose parts each live at their own path, read with GET and
 * changed with PATCH (mail settings: `/mail_settings/footer`, ...; tracking settings:
 * `/tracking_settings/click`, ...). The kinds say which parts there are and how their YAML fields
 * are named at SendGrid; this reads the declared parts only (one GET each) and PATCHes a part only
 * when its declared values differ, with those values only.
 */
import { isDeepStrictEqual } from "node:util";
import { compact, type LiveObject } from "../resource";
import { sendgrid } from "../clients";

/** One part: its path under /v3 and its fields, YAML name -> SendGrid name. */
export interface SettingPart {
  path: string;
  fields: Record<string, string>;
}

type Values = Record<string, unknown>;
type Group = Record<string, Values | undefined>;

export function settingParts(parts: Record<string, SettingPart>) {
  /** SendGrid's answer in YAML terms; null (nothing set) is left out. */
  const fromApi = (part: SettingPart, api: Values): Values =>
    compact(Object.fromEntries(Object.entries(part.fields).map(([yaml, field]) => [yaml, api[field] ?? undefined])));

  return {
    names: Object.keys(parts),

    /** The parts `declared` has (every part when undefined), read from SendGrid. */
    async read(id: string, declared?: Group): Promise<LiveObject<Group, Record<string, never>>> {
      const names = Object.keys(parts).filter((n) => !declared || declared[n] !== undefined);
      const values = await Promise.all(names.map(async (n) => (await sendgrid().request<Values>("GET", parts[n]!.path)).body ?? {}));
      return { id, inputs: Object.fromEntries(names.map((n, i) => [n, fromApi(parts[n]!, values[i]!)])), outs: {} };
    },

    /** One PATCH per declared part that differs from `olds`, carrying the declared values of that part. */
    async update(olds: Group, news: Group): Promise<void> {
      for (const [name, values] of Object.entries(news)) {
        if (values === undefined || isDeepStrictEqual(olds[name], values)) continue;
        const part = parts[name]!;
        const body = Object.fromEntries(Object.entries(values).map(([yaml, v]) => [part.fields[yaml]!, v]));
        await sendgrid().request("PATCH", part.path, { body, idempotent: true });
      }
    },

    /** What export writes of a part: its values that are set (empty texts and lists left out). */
    exported(group: Group): Values {
      const out: Values = {};
      for (const [name, values] of Object.entries(group)) {
        if (!values) continue;
        const set = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== "" && !(Array.isArray(v) && v.length === 0)));
        out[name] = set;
      }
      return out;
    },
  };
}

/**
 * The benchmark's desired state: N resources cycling through all eight kinds of the three vendors
 * (a Mailtrap project, an inbox in it, an email template, an API token on the project; a SendGrid
 * template with one version, an API key; a Mailjet template with content, an API key), as a
 * mailform stack file and as the same resources for the floor project (bench/floor/index.js).
 *
 * Shaped to the vendors' documented per-account caps: once a kind has as many objects as one
 * account may hold (SendGrid: 100 API keys, 300 templates), the cycle skips it and the other kinds
 * fill the count (at N = 1,000: 100 SendGrid keys instead of 125, the others about 129 each).
 */
import { MAX_API_KEYS } from "../emulators/sendgrid/api-keys";
import { MAX_TEMPLATES } from "../emulators/sendgrid/templates";

/** Objects of a kind one account may hold, where the vendor documents a cap. */
export const ACCOUNT_CAPS: Record<string, number> = { "sendgrid:ApiKey": MAX_API_KEYS, "sendgrid:Template": MAX_TEMPLATES };

export interface FloorResource {
  module: string;
  type: string;
  name: string;
  /** Name of the parent resource (an inbox's project), as in mailform's program. */
  parent?: string;
  inputs: Record<string, unknown>;
}

interface Item {
  vendor: "mailtrap" | "sendgrid" | "mailjet";
  section: string;
  key: string;
  /** The entry's YAML lines below its key, indented by 2 for the entry body. */
  body: Record<string, unknown>;
  floor: FloorResource;
}

function group(i: number): Item[] {
  const item = (vendor: Item["vendor"], section: string, key: string, kind: string, body: Record<string, unknown>, parent?: string): Item => {
    const [module, type] = kind.split(":");
    return { vendor, section, key, body, floor: { module, type, name: key, parent, inputs: body } };
  };
  const html = `<p>Hello {{name}}, this is benchmark message ${i}.</p>`;
  return [
    item("mailtrap", "projects", `p${i}`, "mailtrap:Project", { name: `Bench project ${i}` }),
    item("mailtrap", "inboxes", `p${i}/qa`, "mailtrap:Inbox", { name: `QA ${i}` }, `p${i}`),
    item("mailtrap", "emailTemplates", `t${i}`, "mailtrap:EmailTemplate", { name: `Bench template ${i}`, category: "bench", subject: `Benchmark ${i}`, html }),
    item("mailtrap", "apiTokens", `k${i}`, "mailtrap:ApiToken", { name: `Bench token ${i}`, permissions: [{ project: `p${i}`, access: "viewer" }] }),
    item("sendgrid", "templates", `t${i}`, "sendgrid:Template", {
      name: `Bench template ${i}`, generation: "dynamic", versions: { v1: { name: `Bench ${i} v1`, subject: `Benchmark ${i}`, html, active: true } },
    }),
    item("sendgrid", "apiKeys", `k${i}`, "sendgrid:ApiKey", { name: `Bench key ${i}`, scopes: ["mail.send"] }),
    item("mailjet", "templates", `t${i}`, "mailjet:Template", {
      name: `Bench template ${i}`, purposes: ["transactional"], content: { headers: { Subject: `Benchmark ${i}` }, html },
    }),
    item("mailjet", "apiKeys", `k${i}`, "mailjet:ApiKey", { name: `Bench key ${i}` }),
  ];
}

/** The first `count` resources of the cycle, as a stack file and as the floor's resource list. */
export function mixedStack(count: number): { yaml: string; floor: FloorResource[]; kinds: Record<string, number> } {
  const items: Item[] = [];
  const made: Record<string, number> = {};
  for (let i = 0; items.length < count; i++) {
    for (const it of group(i)) {
      const kind = `${it.floor.module}:${it.floor.type}`;
      if ((made[kind] ?? 0) >= (ACCOUNT_CAPS[kind] ?? Infinity)) continue;
      made[kind] = (made[kind] ?? 0) + 1;
      items.push(it);
    }
  }
  items.length = count;

  // Inboxes are written nested under their project; everything else under its section.
  const sections = new Map<string, Map<string, Record<string, unknown>>>();
  const section = (vendor: string, name: string) => {
    const id = `${vendor}.${name}`;
    if (!sections.has(id)) sections.set(id, new Map());
    return sections.get(id)!;
  };
  const projects = section("mailtrap", "projects");
  for (const it of items) {
    if (it.section === "inboxes") {
      const [project, inbox] = it.key.split("/");
      const entry = projects.get(project)!;
      entry.inboxes = { ...(entry.inboxes as object), [inbox]: it.body };
    } else {
      section(it.vendor, it.section).set(it.key, { ...it.body });
    }
  }
  const lines: string[] = [];
  for (const vendor of ["mailtrap", "sendgrid", "mailjet"]) {
    const mine = [...sections].filter(([id, entries]) => id.startsWith(`${vendor}.`) && entries.size > 0);
    if (mine.length === 0) continue;
    lines.push(`${vendor}:`);
    for (const [id, entries] of mine) {
      lines.push(`  ${id.slice(vendor.length + 1)}:`);
      // JSON is YAML: each entry's body as one flow mapping.
      for (const [key, body] of entries) lines.push(`    ${key}: ${JSON.stringify(body)}`);
    }
  }
  const kinds: Record<string, number> = {};
  for (const it of items) kinds[`${it.floor.module}:${it.floor.type}`] = (kinds[`${it.floor.module}:${it.floor.type}`] ?? 0) + 1;
  return { yaml: `${lines.join("\n")}\n`, floor: items.map((it) => it.floor), kinds };
}

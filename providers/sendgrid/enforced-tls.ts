/**
 * SendGrid enforced TLS (`/v3/user/settings/enforced_tls`, tsg_enforced_tls_v3.json): whether
 * SendGrid delivers only to recipients that support TLS, and with a valid certificate, and the
 * lowest TLS version. An account setting: one entry per stack, never created nor deleted, and only
 * what the entry declares is managed (see docs/stack-format.md, "Account settings"); one GET reads
 * it and one PATCH of what differs changes it.
 */
import { isDeepStrictEqual } from "node:util";
import { compact, neverCreatedNorDeleted, type KindDefinition, type LiveObject } from "../resource";
import { sendgrid } from "../clients";
import { perAccount, type AccountInputs } from "./accounts";

export interface EnforcedTlsInputs {
  requireTls?: boolean;
  requireValidCert?: boolean;
  version?: number;
}
export type EnforcedTlsOutputs = Record<string, never>;

interface ApiEnforcedTls {
  require_tls?: boolean;
  require_valid_cert?: boolean;
  version?: number;
}

const PATH = "/user/settings/enforced_tls";
const ID = "enforced_tls";

function toLive(api: ApiEnforcedTls): LiveObject<EnforcedTlsInputs, EnforcedTlsOutputs> {
  return { id: ID, inputs: compact({ requireTls: api.require_tls, requireValidCert: api.require_valid_cert, version: api.version }), outs: {} };
}

export const enforcedTls: KindDefinition<EnforcedTlsInputs & AccountInputs, EnforcedTlsOutputs> = perAccount<EnforcedTlsInputs, EnforcedTlsOutputs>({
  kind: "sendgrid:EnforcedTls",
  title: "SendGrid enforced TLS",
  entryKind: "sendgrid:enforcedTls",
  yamlPath: "sendgrid.enforcedTls",
  schema: "SendgridEnforcedTls",
  docs: { page: "docs/resources/sendgrid.md", section: "Enforced TLS" },
  fields: { requireTls: {}, requireValidCert: {}, version: {} },
  inputsOf: ({ props: p }) => ({ requireTls: p.requireTls, requireValidCert: p.requireValidCert, version: p.version }),
  outputs: [],
  stackOutputs: {},
  normalize: (i) => compact({ ...i }),
  naturalKey: () => "the account's enforced TLS setting",
  singleton: { id: ID },

  async read() {
    return toLive((await sendgrid().request<ApiEnforcedTls>("GET", PATH)).body ?? {});
  },
  async update(_id, olds, news) {
    const changed = compact({
      require_tls: isDeepStrictEqual(olds.requireTls, news.requireTls) ? undefined : news.requireTls,
      require_valid_cert: isDeepStrictEqual(olds.requireValidCert, news.requireValidCert) ? undefined : news.requireValidCert,
      version: isDeepStrictEqual(olds.version, news.version) ? undefined : news.version,
    });
    if (Object.keys(changed).length > 0) await sendgrid().request("PATCH", PATH, { body: changed, idempotent: true });
    return {};
  },
  ...neverCreatedNorDeleted("SendGrid enforced TLS"),

  export: {
    list: async () => [await enforcedTls.read(ID, {} as never)].filter((l) => l !== undefined),
    entry: (live) => ({ label: "account", fields: { ...live.inputs } }),
  },
});

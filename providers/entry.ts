/**
 * The part of mailform that Pulumi stores with every resource (`__provider`, twice: in inputs and
 * outputs): the text of a module whose `handler()` the engine's dynamic-provider process calls to
 * get the resource's provider.
 *
 * It is one line, written here rather than produced by Pulumi's closure serializer: it names only
 * the resource kind and loads the implementation from `mailform/provider` (package.json "exports":
 * providers/runtime.cjs), resolved from the project the engine runs in (the process's working
 * directory): in a team's repository that is node_modules/mailform, in mailform's own checkout the
 * package itself (a self-reference through "exports"). No path is stored, so a state moves between
 * machines and checkouts. So state stays small, nothing heavy or native is serialized, credentials
 * are never captured, a new release of mailform changes no stored text, the code that runs for
 * update, refresh and delete is always the current one, and the program never loads the closure
 * serializer. Changing this text changes every resource's `__provider` (the next `up` rewrites it,
 * with no diff and no vendor call): don't, without a reason. States written with earlier stubs
 * keep working: they load the same registry (test/e2e/provider-upgrade.test.ts). It is stored twice
 * per resource and the engine rewrites the whole state at each step, so its length counts: 122
 * bytes for a `sendgrid:Template` (the stub before it, through `mailform/providers/runtime.cjs`, was
 * 174; the floor's no-op provider in bench/floor is 86).
 */
export function providerModule(kind: string): string {
  return `exports.handler=()=>require("module").createRequire(process.cwd()+"/")("mailform/provider").provider(${JSON.stringify(kind)});`;
}

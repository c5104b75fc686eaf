// Compiles the Pulumi program and the dynamic providers once, with esbuild, into dist/ (git-ignored),
// so that neither the program nor the dynamic-provider process compiles TypeScript at run time.
//
//   node engine/build.cjs [projectRoot]    rebuilds only when a compiled source changed
//
// dist/manifest.json records every source file that went into the output (esbuild's metafile) with
// its size, mtime and hash. load() checks it before running compiled code and refuses, with the
// command to run, when a source changed since: stale code never runs silently. Plain JavaScript,
// because it runs before anything is compiled.
"use strict";
const crypto = require("node:crypto");
const fs = require("node:fs");
const Module = require("node:module");
const path = require("node:path");

/** Output name => entry point, relative to the project root. */
// `api`: the package's module for Pulumi programs in code (package.json "exports"; api/index.ts).
const ENTRIES = { program: "program/index.ts", providers: "providers/registry.ts", api: "api/index.ts" };
const REBUILD = "bash engine/setup.sh (or npm run build)";

const sha256 = (bytes) => crypto.createHash("sha256").update(bytes).digest("hex");

/** What the output depends on besides the sources: this file (build options) and esbuild's version. */
function toolchain(root) {
  const esbuild = require(require.resolve("esbuild/package.json", { paths: [root] })).version;
  return sha256(fs.readFileSync(__filename) + esbuild);
}

/**
 * Why dist/ (or only its output `name`) cannot be used as is, a sentence naming the file, or
 * undefined when it is current.
 */
function staleness(root, checkToolchain, name) {
  const file = path.join(root, "dist", "manifest.json");
  // Installed from npm: the package ships its compiled output without the sources (nothing to
  // compare with, and nobody edits node_modules); it runs as packed (engine/pack.cjs).
  if (installed(root)) return fs.existsSync(file) ? undefined : `${file} is missing: the mailform package is incomplete; reinstall it (npm ci)`;
  let manifest;
  try {
    manifest = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    return `${path.relative(process.cwd(), file) || file} is missing (nothing compiled yet)`;
  }
  if (checkToolchain && manifest.toolchain !== toolchain(root)) return "engine/build.cjs or the esbuild version changed";
  const checked = name ? manifest.outputs[name] : Object.keys(manifest.inputs);
  for (const rel of checked) {
    const seen = manifest.inputs[rel];
    let stat;
    try {
      stat = fs.statSync(path.join(root, rel));
    } catch {
      return `${rel} was removed`;
    }
    if (stat.size !== seen.size) return `${rel} changed`;
    // A new mtime alone (checkout, copy, touch) is not a change: the hash decides.
    if (stat.mtimeMs !== seen.mtimeMs && sha256(fs.readFileSync(path.join(root, rel))) !== seen.sha256) return `${rel} changed`;
  }
  return undefined;
}

/** True when root is the mailform package installed in a project's node_modules, not a checkout. */
function installed(root) {
  return path.basename(path.dirname(path.resolve(root))) === "node_modules";
}

/**
 * The program is package.json's "main" itself, not required from a loader (every frame on the
 * stack when it registers a resource is stored with that resource), so it checks itself first.
 * "use strict" leads: after the banner, esbuild's own directive would be a plain string.
 */
const SELF_CHECK = {
  program: '"use strict";\nrequire("../engine/build.cjs").assertCurrent(require("node:path").join(__dirname, ".."), "program");',
};

/** Modules replaced in the output by code generated at build time (the Pulumi program's start). */
const GENERATED = { "config/stack-validator.ts": { exportName: "compileStackValidator", source: "stackValidatorSource" } };

/**
 * The esbuild plugin that replaces each GENERATED module with its code: the module is compiled on
 * its own and asked for the source of what it would otherwise compute at run time (ajv's
 * standalone code for the stack schema), and the replacement exports that under the same name.
 * Returns the plugin and the sources the generated code came from (for the manifest).
 */
async function generatedModules(esbuild, root) {
  const replacements = new Map();
  const sources = new Set();
  for (const [rel, { exportName, source }] of Object.entries(GENERATED)) {
    const result = await esbuild.build({
      absWorkingDir: root, entryPoints: [rel], bundle: true, packages: "external", platform: "node", format: "cjs",
      target: "node20", metafile: true, write: false, logLevel: "silent",
    });
    const generator = new Module(path.join(root, rel));
    generator.filename = path.join(root, rel);
    generator.paths = Module._nodeModulePaths(path.dirname(generator.filename));
    generator._compile(result.outputFiles[0].text, generator.filename);
    const code = generator.exports[source]();
    // The generated module exports the value itself; keep that and export it as the original did.
    replacements.set(path.join(root, rel), `${code}\n;const generated = module.exports;\nmodule.exports = { ${exportName}: () => generated };\n`);
    for (const input of Object.keys(result.metafile.inputs)) sources.add(input);
  }
  const plugin = {
    name: "mailform-generated",
    setup(b) {
      b.onLoad({ filter: /\.ts$/ }, (args) => (replacements.has(args.path) ? { contents: replacements.get(args.path), loader: "js", resolveDir: root } : undefined));
    },
  };
  return { plugin, sources: [...sources] };
}

/** Compiles every entry into root/dist and writes the manifest last. */
async function build(root) {
  const esbuild = require(require.resolve("esbuild", { paths: [root] }));
  const dist = path.join(root, "dist");
  fs.mkdirSync(dist, { recursive: true });
  const outputs = {}; // the sources of each output, so a process checks only what it runs
  const sources = new Set();
  const generated = await generatedModules(esbuild, root);
  for (const [name, entry] of Object.entries(ENTRIES)) {
    const result = await esbuild.build({
      plugins: [generated.plugin],
      absWorkingDir: root,
      entryPoints: { [name]: entry },
      outdir: dist,
      bundle: true,
      // Dependencies load from node_modules: the program must share @pulumi/pulumi with the engine's launcher.
      packages: "external",
      platform: "node",
      format: "cjs",
      target: "node20",
      sourcemap: "linked",
      banner: SELF_CHECK[name] ? { js: SELF_CHECK[name] } : undefined,
      metafile: true,
      write: false,
      logLevel: "silent",
    });
    // Each file is replaced atomically: a process starting meanwhile reads either version, never half.
    for (const out of result.outputFiles) {
      const tmp = `${out.path}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, out.contents);
      fs.renameSync(tmp, out.path);
    }
    const inputs = Object.keys(result.metafile.inputs);
    // Generated code depends on what generated it, which the bundle itself no longer imports.
    outputs[name] = inputs.some((rel) => rel in GENERATED) ? [...new Set([...inputs, ...generated.sources])] : inputs;
    for (const rel of outputs[name]) sources.add(rel);
  }
  const inputs = {};
  for (const rel of sources) {
    const bytes = fs.readFileSync(path.join(root, rel));
    const stat = fs.statSync(path.join(root, rel));
    inputs[rel] = { size: stat.size, mtimeMs: stat.mtimeMs, sha256: sha256(bytes) };
  }
  const manifest = path.join(dist, "manifest.json");
  fs.writeFileSync(`${manifest}.${process.pid}.tmp`, JSON.stringify({ toolchain: toolchain(root), outputs, inputs }, null, 1));
  fs.renameSync(`${manifest}.${process.pid}.tmp`, manifest);
  return Object.keys(inputs).length;
}

/** Builds when dist/ is missing or out of date; returns what it did (undefined: nothing), for the set-up's log. */
async function ensureBuilt(root) {
  const reason = staleness(root, true);
  if (!reason) return undefined;
  const start = Date.now();
  const count = await build(root);
  return `compiled program and providers (${reason}): ${count} sources in ${Date.now() - start} ms`;
}

/**
 * The compiled `name` (program or providers) of the project at `root`, after checking that no
 * source changed since it was compiled.
 */
function load(root, name) {
  assertCurrent(root, name);
  return require(path.join(root, "dist", `${name}.js`));
}

/** Throws, with the command to run, when a source of root/dist/<name>.js changed since it was compiled. */
function assertCurrent(root, name) {
  const reason = staleness(root, false, name);
  if (reason) throw new Error(`mailform: the compiled code in ${path.join(root, "dist")} is out of date: ${reason}. Run: ${REBUILD}`);
}

module.exports = { ENTRIES, assertCurrent, build, ensureBuilt, installed, load, staleness };

if (require.main === module) {
  const root = path.resolve(process.argv[2] || path.join(__dirname, ".."));
  ensureBuilt(root).then(
    (message) => message && console.error(`mailform setup: ${message}`),
    (err) => {
      console.error(`mailform setup: error: ${err.message}`);
      process.exit(1);
    },
  );
}

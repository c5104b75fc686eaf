// Ends Pulumi's dynamic-provider process as soon as the engine that started it is gone, whichever
// launcher started it. A killed run (a CI timeout's kill -9 of the CLI) must stop calling the
// vendors: nobody will record what it makes. mailform's launcher (engine/pulumi-resource-pulumi-nodejs)
// execs node with a parent watchdog, but the SDK's own launcher (what `pulumi/actions` installs)
// runs node as a child of a shell, which outlives the engine: there the provider's parent never
// changes, and without this it went on finishing its creates for minutes.
//
// Started by providers/runtime.cjs (loaded at the provider process's first call, before any vendor
// call), only inside the dynamic-provider process. Every second, on an unref'd timer (no cost per
// call, never keeps the process alive), it exits with code 70 when:
// - its parent changed (the launcher or the engine is gone);
// - the engine process is gone: the nearest ancestor that is not a launcher (a launcher carries
//   the engine's address in its arguments, as it passes them on), identified by pid and start
//   time so a reused pid does not count (Linux /proc; elsewhere only the other checks apply);
// - the engine's gRPC address (the provider's first argument) refuses connections.
"use strict";
const fs = require("node:fs");
const net = require("node:net");

const PERIOD_MS = 1000;
const EXIT_CODE = 70;
const LAUNCHER = "pulumi-resource-pulumi-nodejs";

/** `host:port` or `[v6]:port` as the engine passes it; undefined when it is not one. */
function parseAddress(arg) {
  const m = /^\[?([^\]/\s]*?)\]?:(\d+)$/.exec(arg || "");
  return m && m[1] ? { host: m[1], port: Number(m[2]) } : undefined;
}

/** Parent pid and start time (clock ticks since boot) of `pid`, from /proc; undefined when gone or unknown. */
function procStat(pid) {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // After "pid (comm) ": state, ppid, ... with starttime the 20th field after the comm.
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    return { ppid: Number(fields[1]), start: fields[19] };
  } catch {
    return undefined;
  }
}

function argv(pid) {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
  } catch {
    return [];
  }
}

/** The engine: the nearest ancestor that is not a launcher script passing our arguments on. */
function engineProcess(address) {
  let pid = process.ppid;
  for (let depth = 0; depth < 4 && pid > 1; depth++) {
    const stat = procStat(pid);
    if (!stat) return undefined;
    const args = argv(pid);
    const launcher = args.some((a) => a.endsWith(LAUNCHER)) || (address !== undefined && args.includes(address));
    if (!launcher) return { pid, start: stat.start };
    pid = stat.ppid;
  }
  return undefined;
}

let started = false;

/** Starts the watchdog for an engine at `address` (the provider's first argument). Once per process. */
function watchEngine(address) {
  if (started) return;
  started = true;
  const parent = process.ppid;
  const engine = engineProcess(address);
  const target = parseAddress(address);
  const stop = () => process.exit(EXIT_CODE);
  let probing = false;

  const check = () => {
    if (process.ppid !== parent) return stop();
    if (engine) {
      const now = procStat(engine.pid);
      if (!now || now.start !== engine.start) return stop();
    }
    if (!target || probing) return;
    probing = true;
    const socket = net.connect(target);
    socket.unref();
    socket.setTimeout(PERIOD_MS);
    const done = () => {
      probing = false;
      socket.destroy();
    };
    socket.once("connect", done);
    socket.once("timeout", done); // a busy engine, not a gone one
    socket.once("error", (e) => {
      done();
      if (e.code === "ECONNREFUSED") stop();
    });
  };
  setInterval(check, PERIOD_MS).unref();
}

/**
 * The engine's address when this process is Pulumi's dynamic-provider process (not a test or a
 * benchmark loading the registry): its last argument (flags such as `-v=9` come before it).
 */
function engineAddress() {
  const main = require.main && require.main.filename;
  if (!main || !/[\\/]cmd[\\/]dynamic-provider[\\/]index\.js$/.test(main)) return undefined;
  return process.argv.slice(2).reverse().find((a) => parseAddress(a) !== undefined);
}

module.exports = { watchEngine, engineAddress, parseAddress, engineProcess };

/**
 * A throw-away PostgreSQL server for tests of the team state backend: Debian's server binaries
 * (/usr/lib/postgresql/<major>/bin, off PATH; `npm test` (engine/test-services.sh) installs the `postgresql` package when
 * missing), a cluster in a temp directory, listening on loopback on a free port, password auth.
 * `stop()` stops only this server (`pg_ctl stop -D <its dir>`), then removes the directory.
 *
 * initdb and postgres refuse to run as root, so as root both run as `nobody` (via runuser), which
 * owns the temp directory.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";

const PG_ROOT = "/usr/lib/postgresql";

/** bin directory of the newest installed PostgreSQL server, or undefined when none is installed. */
export function findPostgresBin(): string | undefined {
  if (!fs.existsSync(PG_ROOT)) return undefined;
  const majors = fs
    .readdirSync(PG_ROOT)
    .filter((v) => fs.existsSync(path.join(PG_ROOT, v, "bin", "pg_ctl")))
    .sort((a, b) => Number(b) - Number(a));
  return majors[0] === undefined ? undefined : path.join(PG_ROOT, majors[0], "bin");
}

export const POSTGRES_MISSING =
  "no PostgreSQL server binaries under /usr/lib/postgresql/<major>/bin: run `apt-get install -y postgresql` (npm test does this as root or with password-less sudo)";

export interface RunningPostgres {
  /**
   * postgres://user@127.0.0.1:port/db, as `pulumi login` takes it; the password goes in PGPASSWORD
   * (the CLI prints its backend URL in `whoami` and lock errors).
   */
  url: string;
  password: string;
  port: number;
  /** Runs SQL through psql and returns its unaligned, tuples-only output. */
  sql(query: string): string;
  stop(): void;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

export async function startPostgres(): Promise<RunningPostgres> {
  const bin = findPostgresBin();
  if (!bin) throw new Error(POSTGRES_MISSING);
  const asRoot = process.getuid?.() === 0;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mailform-pg-"));
  const data = path.join(dir, "data");
  const user = "mailform";
  const password = `pw-${Math.random().toString(36).slice(2)}`;
  const db = "pulumi_state";
  fs.writeFileSync(path.join(dir, "pwfile"), `${password}\n`);
  if (asRoot) {
    fs.chmodSync(dir, 0o700);
    execFileSync("chown", ["-R", "nobody", dir]);
  }
  const run = (tool: string, args: string[]) =>
    execFileSync(asRoot ? "runuser" : path.join(bin, tool), asRoot ? ["-u", "nobody", "--", path.join(bin, tool), ...args] : args, {
      cwd: dir,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, LC_ALL: "C", PGPASSWORD: password },
    });

  run("initdb", ["-D", data, "-U", user, "--pwfile", path.join(dir, "pwfile"), "--auth=scram-sha-256", "-E", "UTF8", "--no-sync"]);
  const port = await freePort();
  // Socket in our own directory: /var/run/postgresql may not exist or be writable.
  const options = `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off`;
  run("pg_ctl", ["start", "-D", data, "-w", "-t", "60", "-l", path.join(dir, "server.log"), "-o", options]);
  const stop = () => {
    try {
      run("pg_ctl", ["stop", "-D", data, "-m", "fast", "-w"]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };
  try {
    run("createdb", ["-h", "127.0.0.1", "-p", String(port), "-U", user, db]);
  } catch (err) {
    stop();
    throw err;
  }
  return {
    url: `postgres://${user}@127.0.0.1:${port}/${db}?sslmode=disable`,
    password,
    port,
    sql: (query) => run("psql", ["-h", "127.0.0.1", "-p", String(port), "-U", user, "-d", db, "-At", "-v", "ON_ERROR_STOP=1", "-c", query]).trim(),
    stop,
  };
}

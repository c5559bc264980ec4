// A PostgreSQL server for the tests (docs/postgres.md#tests), found or made in this order:
// 1. TEST_DATABASE_URL, when set (it must answer);
// 2. a server already listening on 127.0.0.1:5432 as user postgres without a password (CI's, a developer's);
// 3. a throwaway cluster from Debian's binaries (/usr/lib/postgresql/<version>/bin), installed with apt-get when
//    missing, in a temporary folder on a free port; stop() shuts it down and deletes the folder.
// Nothing is skipped: when none of these works, providePostgres rejects and says what it tried.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";

const localUrl = "postgres://postgres@127.0.0.1:5432/postgres";
const debianRoot = "/usr/lib/postgresql";

/** Whether a server answers `select 1` at url within timeoutMs; the error's message when not. */
async function probe(url, timeoutMs) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  // A refused or dropped connection also emits "error" on the client; without a listener it would be thrown
  client.on("error", () => {});
  try {
    await client.connect();
    await client.query("select 1");
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message || error.name : String(error) };
  } finally {
    await client.end().catch(() => {});
  }
}

/** The bin folder of the newest Debian PostgreSQL with initdb and pg_ctl, or null. */
function findDebianBinaries(root = debianRoot) {
  if (!fs.existsSync(root)) return null;
  const versions = fs
    .readdirSync(root)
    .filter((version) => ["initdb", "pg_ctl"].every((tool) => fs.existsSync(path.join(root, version, "bin", tool))))
    .sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a));
  return versions.length > 0 ? path.join(root, versions[0], "bin") : null;
}

const isRoot = () => process.getuid?.() === 0;

/** Debian's postgresql package, as scripts/test.mjs installs Chromium: as root, or with sudo when it needs no password. */
function installDebianPostgres(log) {
  log("PostgreSQL binaries not found: installing Debian's postgresql with apt-get.");
  const apt = (args) => {
    const [command, commandArgs] = isRoot() ? ["apt-get", args] : ["sudo", ["-n", "apt-get", ...args]];
    return spawnSync(command, commandArgs, { stdio: ["ignore", "inherit", "inherit"], env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
  };
  apt(["update", "-qq"]);
  return apt(["install", "-y", "-qq", "postgresql"]).status === 0;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Runs a PostgreSQL tool; as root, as the postgres user (initdb and postgres refuse to run as root). */
function runTool(binDir, tool, args) {
  const file = path.join(binDir, tool);
  const [command, commandArgs] = isRoot() ? ["runuser", ["-u", "postgres", "--", file, ...args]] : [file, args];
  const result = spawnSync(command, commandArgs, { encoding: "utf8" });
  if (result.status !== 0) {
    const output = `${result.stdout ?? ""}${result.stderr ?? ""}${result.error?.message ?? ""}`.trim();
    throw new Error(`${tool} ${args.join(" ")} failed (exit ${result.status}):\n${output}`);
  }
}

/** initdb a cluster in a new temporary folder and start it on a free port; stop() ends it and deletes the folder. */
async function startThrowawayCluster(binDir) {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "shouhoutai-pg-"));
  const dataDir = path.join(folder, "data");
  let started = false;
  const stopNow = () => {
    if (started) {
      started = false;
      try {
        runTool(binDir, "pg_ctl", ["-D", dataDir, "-m", "immediate", "-w", "stop"]);
      } catch {
        // Already gone: the folder is deleted all the same
      }
    }
    fs.rmSync(folder, { recursive: true, force: true });
  };
  // A test run that ends without calling stop() must not leave a server running
  process.once("exit", stopNow);
  try {
    if (isRoot()) {
      const postgresUser = spawnSync("id", ["-u", "postgres"], { encoding: "utf8" });
      if (postgresUser.status !== 0) throw new Error("running as root, and there is no postgres user to run the server as");
      spawnSync("chown", ["postgres:", folder]);
    }
    runTool(binDir, "initdb", ["-D", dataDir, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"]);
    const port = await freePort();
    // Durability is of no use to a throwaway cluster
    const serverOptions = `-p ${port} -k '${folder}' -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
    started = true;
    runTool(binDir, "pg_ctl", ["-D", dataDir, "-l", path.join(folder, "server.log"), "-o", serverOptions, "-w", "-t", "60", "start"]);
    return {
      url: `postgres://postgres@127.0.0.1:${port}/postgres`,
      source: `a throwaway cluster of ${binDir} in ${folder}`,
      folder,
      stop: async () => {
        process.removeListener("exit", stopNow);
        stopNow();
      },
    };
  } catch (error) {
    const log = path.join(folder, "server.log");
    const serverLog = fs.existsSync(log) ? `\nserver log:\n${fs.readFileSync(log, "utf8")}` : "";
    process.removeListener("exit", stopNow);
    stopNow();
    throw new Error(`${error instanceof Error ? error.message : String(error)}${serverLog}`);
  }
}

/**
 * A PostgreSQL server for tests: { url, source, stop }. The url names its `postgres` database as user postgres,
 * which may create and drop databases. probeLocal: false (or TEST_POSTGRES_SKIP_LOCAL=1) skips 127.0.0.1:5432 and
 * goes on to a throwaway cluster, as its own test does.
 */
export async function providePostgres({ probeLocal = process.env.TEST_POSTGRES_SKIP_LOCAL !== "1", binaryRoot = debianRoot, log = console.log } = {}) {
  const tried = [];
  const fromEnv = process.env.TEST_DATABASE_URL;
  if (fromEnv) {
    const answer = await probe(fromEnv, 5_000);
    if (answer.ok) return { url: fromEnv, source: "TEST_DATABASE_URL", stop: async () => {} };
    throw new Error(`TEST_DATABASE_URL is set but its server does not answer: ${answer.reason}`);
  }
  if (probeLocal) {
    const answer = await probe(localUrl, 1_500);
    if (answer.ok) return { url: localUrl, source: "the server on 127.0.0.1:5432", stop: async () => {} };
    tried.push(`${localUrl}: ${answer.reason}`);
  }
  let binDir = findDebianBinaries(binaryRoot);
  if (!binDir) {
    tried.push(`no initdb and pg_ctl under ${binaryRoot}/*/bin`);
    if (installDebianPostgres(log)) binDir = findDebianBinaries(binaryRoot);
    if (!binDir) tried.push("apt-get install postgresql failed (it needs root or password-less sudo)");
  }
  if (binDir) {
    try {
      return await startThrowawayCluster(binDir);
    } catch (error) {
      tried.push(`a throwaway cluster from ${binDir}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  throw new Error(
    `No PostgreSQL server for the tests. Tried:\n- ${tried.join("\n- ")}\n` +
      "Set TEST_DATABASE_URL to a server where the user may create databases, or install Debian's postgresql (docs/postgres.md#tests).",
  );
}

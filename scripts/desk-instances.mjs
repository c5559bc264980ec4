// Desk instances started as `npm start` serves (scripts/serve.mjs), for tests that kill them: the multi-instance e2e
// (e2e/multi-instance.spec.ts) and the crash test (scripts/crash-test.mjs). On PostgreSQL several of them share one
// throwaway database (docs/loops.md#several-instances); on SQLite there is one per file.
import { Buffer } from "node:buffer";
import { spawn, spawnSync } from "node:child_process";
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import pg from "pg";

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** hex HMAC-SHA256(secret, `${timestamp}.${body}`): how platform events and our decisions are signed (docs/webhooks.md). */
export function signBody(secret, timestamp, body) {
  return createHmac("sha256", secret).update(`${timestamp}.`).update(body).digest("hex");
}

/**
 * A new database on the PostgreSQL server at serverUrl (its user may create databases); drop() removes it. Its name
 * starts with TEST_DATABASE_PREFIX (default `shouhoutai_`), so runs that share a server can tell theirs apart.
 * `template` names a database to copy (CREATE DATABASE … TEMPLATE: its files, so nothing may be connected to it).
 */
export async function createDatabase(serverUrl, label, { template } = {}) {
  const name = `${process.env.TEST_DATABASE_PREFIX ?? "shouhoutai_"}${label}_${randomBytes(5).toString("hex")}`;
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`Not a plain database name: ${name}`);
  const admin = new pg.Client({ connectionString: serverUrl });
  admin.on("error", () => {});
  await admin.connect();
  try {
    await admin.query(template ? `create database "${name}" template "${template}"` : `create database "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: serverUrl });
      client.on("error", () => {});
      await client.connect();
      try {
        // with (force): connections of an instance killed a moment ago may not have been noticed yet
        await client.query(`drop database if exists "${name}" with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}

/**
 * What every instance of one desk shares: the database, one key for stored secrets and one for sessions (so a
 * session made on one instance is good on the others), and a data folder for anything else written beside the database.
 */
export function sharedInstanceEnv({ databaseUrl, dataDir, distDir, extra = {} }) {
  fs.mkdirSync(dataDir, { recursive: true });
  // Without a url the instances are SQLite's, whatever this shell's DATABASE_URL says
  const inherited = { ...process.env };
  delete inherited.DATABASE_URL;
  return {
    ...inherited,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    NEXT_DIST_DIR: distDir,
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    DATABASE_PATH: path.join(dataDir, "desk.db"),
    SECRETS_KEY: randomBytes(32).toString("hex"),
    BETTER_AUTH_SECRET: randomBytes(32).toString("hex"),
    ...extra,
  };
}

/** Migrates the database and seeds the demo (db/setup.ts, as `npm start` does); throws when it fails. */
export function setUpDatabase(env) {
  const result = spawnSync(path.join("node_modules", ".bin", "tsx"), ["db/setup.ts"], { env, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`db/setup.ts failed (exit ${result.status}):\n${result.stdout}${result.stderr}`);
}

/**
 * Starts `scripts/serve.mjs` on port in its own process group, its output in logDir/instance-<port>.log, and waits
 * until it answers /login. kill() sends SIGKILL to the whole group and waits for the exit.
 */
export async function startInstance({ port, env, logDir, readyTimeoutMs = 90_000 }) {
  const url = `http://localhost:${port}`;
  const logFile = path.join(logDir, `instance-${port}.log`);
  const log = fs.openSync(logFile, "a");
  const child = spawn(process.execPath, ["scripts/serve.mjs", "-p", String(port)], { env: { ...env, APP_URL: url }, detached: true, stdio: ["ignore", log, log] });
  fs.closeSync(log);
  let exitCode;
  const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve((exitCode = code ?? signal))));
  const instance = {
    port,
    url,
    logFile,
    get isRunning() {
      return exitCode === undefined;
    },
    kill: async (signal = "SIGKILL") => {
      if (exitCode !== undefined) return;
      try {
        process.kill(-child.pid, signal);
      } catch {
        // The group is gone already
      }
      await exited;
    },
  };
  const deadline = Date.now() + readyTimeoutMs;
  while (Date.now() < deadline) {
    if (exitCode !== undefined) break;
    try {
      if ((await fetch(`${url}/login`)).ok) return instance;
    } catch {
      // Not listening yet
    }
    await sleep(100);
  }
  await instance.kill();
  const tail = fs.readFileSync(logFile, "utf8").split("\n").slice(-30).join("\n");
  throw new Error(`The desk on port ${port} did not start (exit ${exitCode}); the end of ${logFile}:\n${tail}`);
}

/**
 * Posts one signed platform event to a desk; the status and body, or a thrown error when the connection failed
 * (a killed instance: no answer, so no promise made).
 */
export async function postPlatformEvent({ baseUrl, platform, shopId, secret, event }) {
  const body = JSON.stringify(event);
  const timestamp = String(Math.floor(Date.now() / 1000));
  const response = await fetch(`${baseUrl}/api/platforms/${platform}/events`, {
    method: "POST",
    headers: { "content-type": "application/json", "X-Shop-Id": shopId, "X-Timestamp": timestamp, "X-Signature": signBody(secret, timestamp, body) },
    body,
  });
  return { status: response.status, body: await response.json().catch(() => null) };
}

/**
 * A fake platform receiving the desk's decisions: checks each one's signature with `secret` and counts them by
 * Idempotency-Key (`deliveries`: key → { count, requestIds }).
 */
export async function startDecisionReceiver(secret) {
  const deliveries = new Map();
  let badSignatures = 0;
  const server = http.createServer((request, response) => {
    const chunks = [];
    request.on("data", (chunk) => chunks.push(chunk));
    request.on("end", () => {
      const body = Buffer.concat(chunks);
      const timestamp = String(request.headers["x-timestamp"] ?? "");
      const provided = Buffer.from(String(request.headers["x-signature"] ?? ""), "hex");
      const expected = Buffer.from(signBody(secret, timestamp, body), "hex");
      if (provided.length !== expected.length || !timingSafeEqual(provided, expected)) {
        badSignatures++;
        response.writeHead(401).end();
        return;
      }
      const key = String(request.headers["idempotency-key"]);
      const event = JSON.parse(body.toString("utf8"));
      const seen = deliveries.get(key) ?? { count: 0, requestIds: new Set() };
      seen.count++;
      seen.requestIds.add(event.data.requestId);
      deliveries.set(key, seen);
      response.writeHead(200).end();
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/decisions`,
    deliveries,
    get badSignatures() {
      return badSignatures;
    },
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

// The built app the bench measures: built when the sources changed, started on a database, signed in to, stopped.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { baseUrl, bin, distDir } from "@/bench/config";
import { benchPassword } from "@/db/bench-seed";

export function buildIfStale() {
  const buildId = path.join(distDir, "BUILD_ID");
  const sources = ["app", "components", "db", "lib", "instrumentation.ts", "instrumentation-client.ts", "proxy.ts", "next.config.ts", "package-lock.json"];
  const newest = (entry: string): number => {
    if (!fs.existsSync(entry)) return 0;
    const stat = fs.statSync(entry);
    return stat.isDirectory() ? Math.max(stat.mtimeMs, ...fs.readdirSync(entry).map((child) => newest(path.join(entry, child)))) : stat.mtimeMs;
  };
  if (fs.existsSync(buildId) && Math.max(...sources.map(newest)) < fs.statSync(buildId).mtimeMs) return;
  console.log("building the app for the bench…");
  const tsconfig = fs.readFileSync("tsconfig.json", "utf8");
  const result = spawnSync(bin("next"), ["build"], { stdio: "inherit", env: { ...process.env, NEXT_DIST_DIR: distDir, NEXT_TELEMETRY_DISABLED: "1" } });
  fs.writeFileSync("tsconfig.json", tsconfig);
  if (result.status !== 0) throw new Error("build failed");
}

// Servers still running if a measure throws, so the bench never leaves one holding its port
const runningServers = new Set<ChildProcess>();

/** Each bench server's inspector (local only), which the idle-stream measure uses to run a full GC before reading memory. */
export const getInspectPort = (url: string) => Number(new URL(url).port) + 6000;

/** `env` adds to or overrides the server's environment: DATABASE_URL (and SECRETS_KEY) put it on PostgreSQL; DATABASE_PATH then only places its key files. */
export async function startServer(databasePath: string, url = baseUrl, env: Record<string, string> = {}): Promise<ChildProcess> {
  // The server `npm start` runs: Next with the platforms' event POSTs answered by node:http in front of it
  const server = spawn(process.execPath, [`--inspect=127.0.0.1:${getInspectPort(url)}`, "scripts/serve.mjs", "-p", new URL(url).port], {
    stdio: ["ignore", "ignore", "inherit"],
    // No outbox sender: the bench shops have no platform endpoint, so it would only retry every decision into dead-letter beside the measures
    env: { ...process.env, NEXT_DIST_DIR: distDir, DATABASE_PATH: databasePath, APP_URL: url, NODE_ENV: "production", AUTH_SIGN_IN_PER_MINUTE: "100000", NEXT_TELEMETRY_DISABLED: "1", OUTBOX_SENDER: "off", DATABASE_URL: "", ...env },
  });
  for (let attempt = 0; attempt < 200; attempt++) {
    try {
      if ((await fetch(`${url}/login`)).ok) {
        runningServers.add(server);
        return server;
      }
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  server.kill("SIGKILL");
  throw new Error("server did not start");
}

export async function stopServer(server: ChildProcess) {
  runningServers.delete(server);
  const exited = new Promise((resolve) => server.once("exit", resolve));
  server.kill("SIGTERM");
  // Next's graceful stop can wait on a stream a client dropped without the socket closing; the bench does not
  const timer = setTimeout(() => server.kill("SIGKILL"), 5_000);
  await exited;
  clearTimeout(timer);
}

export async function signIn(email: string, url = baseUrl): Promise<string> {
  const post = () =>
    fetch(`${url}/api/auth/sign-in/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: url },
      body: JSON.stringify({ email, password: benchPassword }),
    });
  // A pooled keep-alive socket the server has closed while idle fails once; a fresh one then works
  const response = await post().catch(post);
  if (!response.ok) throw new Error(`sign-in ${email}: ${response.status}`);
  return response.headers.getSetCookie().map((cookie) => cookie.split(";")[0]).join("; ");
}

/** Stops whatever server a failed measure left running, so none keeps holding its port. */
export function killRunningServers() {
  for (const server of runningServers) server.kill("SIGTERM");
}

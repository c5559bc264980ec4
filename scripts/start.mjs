// `npm start`: migrate + seed (when empty), build when the sources are newer than the last build, serve.
import { spawnSync, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

process.env.NEXT_TELEMETRY_DISABLED = "1";
const port = process.env.PORT ?? "3000";
process.env.APP_URL ??= `http://localhost:${port}`;
const distDir = process.env.NEXT_DIST_DIR ?? ".next";
const bin = (name) => path.join("node_modules", ".bin", name);

function run(command, args) {
  const result = spawnSync(command, args, { stdio: "inherit", env: process.env });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

function newestMtime(entry) {
  if (!fs.existsSync(entry)) return 0;
  const stat = fs.statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const child of fs.readdirSync(entry)) newest = Math.max(newest, newestMtime(path.join(entry, child)));
  return newest;
}

function needsBuild() {
  const buildId = path.join(distDir, "BUILD_ID");
  if (!fs.existsSync(buildId)) return true;
  const sources = ["app", "components", "db", "lib", "instrumentation.ts", "instrumentation-client.ts", "proxy.ts", "next.config.ts", "package-lock.json", "postcss.config.mjs", "tsconfig.json"];
  return Math.max(...sources.map(newestMtime)) > fs.statSync(buildId).mtimeMs;
}

run(bin("tsx"), ["db/setup.ts"]);
if (needsBuild()) run(bin("next"), ["build"]);
console.log(`[start] the desk is at ${process.env.APP_URL}`);
// Next behind a thin node:http layer that answers the platforms' event POSTs itself (scripts/serve.mjs)
const server = spawn(process.execPath, ["scripts/serve.mjs", "-p", port], { stdio: "inherit", env: process.env });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => process.exit(code ?? 0));

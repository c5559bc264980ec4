// The server Playwright starts: a fresh database (migrated + demo seed), then the e2e build.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const port = process.env.E2E_PORT ?? "3100";
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", APP_URL: `http://localhost:${port}`, NODE_ENV: "production" };
const database = path.resolve(env.DATABASE_PATH ?? "e2e/.data/e2e.db");
fs.rmSync(path.dirname(database), { recursive: true, force: true });
const setup = spawnSync(path.join("node_modules", ".bin", "tsx"), ["db/setup.ts"], { stdio: "inherit", env });
if (setup.status !== 0) process.exit(setup.status ?? 1);
// The server `npm start` runs, so e2e covers the node:http layer in front of Next too
const server = spawn(process.execPath, ["scripts/serve.mjs", "-p", port], { stdio: "inherit", env });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => process.exit(code ?? 0));

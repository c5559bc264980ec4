// `npm run bench`: builds its own databases and measures the real built app over HTTP (and Chromium).
// Prints one table (measure, figure, goal, pass/fail), writes bench/results.json, appends bench/history.jsonl.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import autocannon from "autocannon";
import { chromium } from "@playwright/test";
import { eq } from "drizzle-orm";
import { openDb, type Db } from "@/db/client";
import { benchPassword, seedBench, type BenchData } from "@/db/bench-seed";
import { buildOrder, buildRequest } from "@/db/factories";
import { auditLog, orders, requests, shops } from "@/db/schema";

const isQuick = process.argv.includes("--quick");
const port = Number(process.env.BENCH_PORT ?? 3300);
const baseUrl = `http://localhost:${port}`;
const distDir = ".next-bench";
const dataDir = path.join("bench", ".data");
const largeHistory = isQuick ? 100_000 : 1_000_000;
const smallHistory = 10_000;
const pendingCount = 10_000;
const idleHoldMs = isQuick ? 10_000 : 60_000;
const bin = (name: string) => path.join("node_modules", ".bin", name);

type Row = { measure: string; figure: string; goal: string; pass: boolean | null; value?: number };
const rows: Row[] = [];
const record = (row: Row) => {
  rows.push(row);
  console.log(`  ${row.measure}: ${row.figure}${row.goal ? ` (goal ${row.goal})` : ""}`);
};

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}
const ms = (value: number) => `${value.toFixed(1)} ms`;

function buildIfStale() {
  const buildId = path.join(distDir, "BUILD_ID");
  const sources = ["app", "components", "db", "lib", "next.config.ts", "package-lock.json"];
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

async function prepareDatabase(history: number): Promise<{ file: string; data: BenchData; seedMs: number }> {
  const file = path.join(dataDir, `bench-${history}.db`);
  const metaFile = `${file}.json`;
  const migrations = fs.readdirSync(path.join("db", "migrations")).filter((name) => name.endsWith(".sql")).length;
  if (fs.existsSync(file) && fs.existsSync(metaFile)) {
    const meta = JSON.parse(fs.readFileSync(metaFile, "utf8"));
    if (meta.migrations === migrations) return { file, data: meta.data, seedMs: 0 };
  }
  for (const suffix of ["", "-wal", "-shm", ".json"]) fs.rmSync(`${file}${suffix}`, { force: true });
  fs.mkdirSync(dataDir, { recursive: true });
  const started = Date.now();
  const db = openDb(file);
  const data = await seedBench(db, { history, pending: pendingCount, now: new Date() });
  db.$client.close();
  const seedMs = Date.now() - started;
  fs.writeFileSync(metaFile, JSON.stringify({ migrations, data }));
  console.log(`seeded ${history.toLocaleString()} decided + ${pendingCount.toLocaleString()} pending in ${(seedMs / 1000).toFixed(1)} s`);
  return { file, data, seedMs };
}

async function startServer(databasePath: string): Promise<ChildProcess> {
  const server = spawn(bin("next"), ["start", "-p", String(port)], {
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, NEXT_DIST_DIR: distDir, DATABASE_PATH: databasePath, APP_URL: baseUrl, NODE_ENV: "production", AUTH_SIGN_IN_PER_MINUTE: "100000", NEXT_TELEMETRY_DISABLED: "1" },
  });
  for (let attempt = 0; attempt < 200; attempt++) {
    try {
      if ((await fetch(`${baseUrl}/login`)).ok) return server;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  server.kill("SIGKILL");
  throw new Error("server did not start");
}

async function stopServer(server: ChildProcess) {
  server.kill("SIGTERM");
  await new Promise((resolve) => server.once("exit", resolve));
}

async function signIn(email: string): Promise<string> {
  const response = await fetch(`${baseUrl}/api/auth/sign-in/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: baseUrl },
    body: JSON.stringify({ email, password: benchPassword }),
  });
  if (!response.ok) throw new Error(`sign-in ${email}: ${response.status}`);
  return response.headers.getSetCookie().map((cookie) => cookie.split(";")[0]).join("; ");
}

async function timed(request: () => Promise<Response>): Promise<{ ms: number; status: number }> {
  const started = performance.now();
  const response = await request();
  await response.arrayBuffer();
  return { ms: performance.now() - started, status: response.status };
}

async function measureInboxP95(cookie: string, count = 200): Promise<number> {
  const latencies: number[] = [];
  for (let index = 0; index < count; index++) {
    latencies.push((await timed(() => fetch(`${baseUrl}/api/requests?limit=50`, { headers: { cookie } }))).ms);
  }
  return percentile(latencies, 95);
}

async function listPendingIds(cookie: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  while (ids.length < count) {
    const response = await fetch(`${baseUrl}/api/requests?limit=200${cursor ? `&cursor=${cursor}` : ""}`, { headers: { cookie } });
    const page = (await response.json()) as { items: { id: string }[]; nextCursor: string | null };
    ids.push(...page.items.map((item) => item.id));
    cursor = page.nextCursor;
    if (!cursor) break;
  }
  return ids.slice(0, count);
}

const decide = (cookie: string, id: string) =>
  fetch(`${baseUrl}/api/requests/${id}/decision`, {
    method: "POST",
    headers: { cookie, "content-type": "application/json", origin: baseUrl },
    body: JSON.stringify({ decision: "approve" }),
  });

async function measureDecisions(agentCookies: string[], ids: string[]) {
  const perAgent = Math.floor(ids.length / agentCookies.length);
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  await Promise.all(
    agentCookies.map(async (cookie, agentIndex) => {
      for (const id of ids.slice(agentIndex * perAgent, (agentIndex + 1) * perAgent)) {
        const result = await timed(() => decide(cookie, id));
        latencies.push(result.ms);
        statuses.set(result.status, (statuses.get(result.status) ?? 0) + 1);
      }
    }),
  );
  return { p95: percentile(latencies, 95), count: latencies.length, ok: statuses.get(200) ?? 0 };
}

async function measureRaces(agentCookies: string[], ids: string[]) {
  let winners = 0;
  let conflicts = 0;
  let other = 0;
  for (let offset = 0; offset < ids.length; offset += 25) {
    await Promise.all(
      ids.slice(offset, offset + 25).map(async (id, index) => {
        const first = agentCookies[(offset + index) % agentCookies.length];
        const second = agentCookies[(offset + index + 1) % agentCookies.length];
        const results = await Promise.all([decide(first, id), decide(second, id)]);
        for (const response of results) {
          await response.arrayBuffer();
          if (response.status === 200) winners++;
          else if (response.status === 409) conflicts++;
          else other++;
        }
      }),
    );
  }
  return { winners, conflicts, other };
}

/** Opens an SSE stream with fetch; calls onEvent(id, receivedAtMs) for each event. */
async function openStream(cookie: string, onEvent: (id: number, atMs: number) => void): Promise<AbortController> {
  const controller = new AbortController();
  const response = await fetch(`${baseUrl}/api/stream`, { headers: { cookie }, signal: controller.signal });
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  void (async () => {
    let buffer = "";
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        let boundary: number;
        while ((boundary = buffer.indexOf("\n\n")) >= 0) {
          const chunk = buffer.slice(0, boundary);
          buffer = buffer.slice(boundary + 2);
          const idLine = chunk.split("\n").find((line) => line.startsWith("id: "));
          if (idLine) onEvent(Number(idLine.slice(4)), Date.now());
        }
      }
    } catch {
      // aborted
    }
  })();
  return controller;
}

async function insertLiveCard(db: Db, shopId: string): Promise<{ auditId: number; atMs: number }> {
  const [shop] = await db.select().from(shops).where(eq(shops.id, shopId));
  const order = buildOrder({ shopId, platform: shop.platform, title: "实时压测" });
  const request = buildRequest({ shopId, orderId: order.id, platform: shop.platform, receivedAt: new Date() });
  const atMs = Date.now();
  const auditId = db.transaction((tx) => {
    tx.insert(orders).values(order).run();
    tx.insert(requests).values(request).run();
    return Number(tx.insert(auditLog).values({ shopId, requestId: request.id, orderId: order.id, action: "received", toStatus: "pending", at: new Date(atMs) }).run().lastInsertRowid);
  });
  return { auditId, atMs };
}

async function measureSseLatency(db: Db, cookies: string[], shopId: string) {
  const sentAt = new Map<number, number>();
  const latencies: number[] = [];
  const streams = await Promise.all(
    Array.from({ length: 100 }, (_, index) =>
      openStream(cookies[index % cookies.length], (id, atMs) => {
        const sent = sentAt.get(id);
        if (sent !== undefined) latencies.push(atMs - sent);
      }),
    ),
  );
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  for (let index = 0; index < 40; index++) {
    const { auditId, atMs } = await insertLiveCard(db, shopId);
    sentAt.set(auditId, atMs);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  for (const stream of streams) stream.abort();
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), delivered: latencies.length, expected: 40 * 100 };
}

function readRssKb(pid: number): number {
  const own = Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
  const children = spawnSync("pgrep", ["-P", String(pid)]).stdout.toString().trim().split("\n").filter(Boolean).map(Number);
  return own + children.reduce((sum, child) => sum + readRssKb(child), 0);
}

async function measureIdleSse(server: ChildProcess, cookie: string) {
  const pid = server.pid!;
  const before = readRssKb(pid);
  const streams: AbortController[] = [];
  for (let offset = 0; offset < 2000; offset += 100) {
    streams.push(...(await Promise.all(Array.from({ length: 100 }, () => openStream(cookie, () => {})))));
  }
  await new Promise((resolve) => setTimeout(resolve, idleHoldMs));
  const during = readRssKb(pid);
  for (const stream of streams) stream.abort();
  await new Promise((resolve) => setTimeout(resolve, 10_000));
  const after = readRssKb(pid);
  return { before, during, after };
}

async function measureApproveInteraction(email: string) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`${baseUrl}/login`);
  await page.locator("html[data-hydrated=true]").waitFor();
  await page.getByLabel("邮箱").fill(email);
  await page.getByLabel("密码").fill(benchPassword);
  await page.getByRole("button", { name: "登录" }).click();
  await page.waitForURL("**/inbox");
  await page.locator("html[data-hydrated=true]").waitFor();
  await page.getByRole("article").first().waitFor();
  const mountedCards = await page.getByRole("article").count();
  const latencies: number[] = [];
  for (let index = 0; index < 20; index++) {
    // From the click to the card leaving the DOM (the optimistic update), measured inside the page.
    const latency = await page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          const article = document.querySelector("article[data-request-id]")!;
          const button = article.querySelector<HTMLButtonElement>('[data-action="approve"]') ?? [...article.querySelectorAll("button")].find((candidate) => candidate.textContent === "同意")!;
          const started = performance.now();
          const observer = new MutationObserver(() => {
            if (!article.isConnected) {
              observer.disconnect();
              requestAnimationFrame(() => resolve(performance.now() - started));
            }
          });
          observer.observe(document.body, { childList: true, subtree: true });
          button.click();
        }),
    );
    latencies.push(latency);
    await page.waitForTimeout(150);
  }
  await browser.close();
  return { p95: percentile(latencies, 95), p50: percentile(latencies, 50), mountedCards };
}

async function measureHttpBaseline(cookie: string) {
  const body = await (await fetch(`${baseUrl}/api/requests?limit=50`, { headers: { cookie } })).text();
  const plain = http.createServer((_request, response) => {
    response.writeHead(200, { "content-type": "application/json" });
    response.end(body);
  });
  await new Promise<void>((resolve) => plain.listen(port + 1, resolve));
  const run = (url: string, headers: Record<string, string>) =>
    autocannon({ url, connections: 10, duration: isQuick ? 5 : 10, headers });
  const plainResult = await run(`http://localhost:${port + 1}/`, {});
  const nextResult = await run(`${baseUrl}/api/requests?limit=50`, { cookie });
  plain.close();
  return { plainRps: plainResult.requests.average, nextRps: nextResult.requests.average, plainP99: plainResult.latency.p99, nextP99: nextResult.latency.p99 };
}

async function main() {
  const startedAt = Date.now();
  buildIfStale();
  const small = await prepareDatabase(smallHistory);
  const large = await prepareDatabase(largeHistory);

  console.log(`\n[small: ${smallHistory.toLocaleString()} history]`);
  let server = await startServer(small.file);
  const smallOwner = await signIn(small.data.ownerEmail);
  const smallInbox = await measureInboxP95(smallOwner);
  await stopServer(server);

  console.log(`\n[large: ${largeHistory.toLocaleString()} history]`);
  // Work on a copy so decisions made by the bench never change the cached database.
  const workFile = path.join(dataDir, "bench-work.db");
  for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(`${workFile}${suffix}`, { force: true });
  fs.copyFileSync(large.file, workFile);
  server = await startServer(workFile);
  const owner = await signIn(large.data.ownerEmail);
  const largeInbox = await measureInboxP95(owner);
  record({ measure: "inbox first page p95, 10k history", figure: ms(smallInbox), goal: "", pass: null, value: smallInbox });
  record({ measure: `inbox first page p95, ${largeHistory.toLocaleString()} history`, figure: ms(largeInbox), goal: "", pass: null, value: largeInbox });
  record({ measure: "inbox p95 ratio large/small", figure: (largeInbox / smallInbox).toFixed(2), goal: "≤ 1.5", pass: largeInbox / smallInbox <= 1.5, value: largeInbox / smallInbox });

  const agentCookies = await Promise.all(large.data.agentEmails.map(signIn));
  const pending = await listPendingIds(owner, 3_000);
  const decisions = await measureDecisions(agentCookies, pending.slice(0, 1_000));
  record({ measure: `decision p95, 50 agents on distinct cards (${decisions.ok}/${decisions.count} ok)`, figure: ms(decisions.p95), goal: "≤ 150 ms", pass: decisions.p95 <= 150, value: decisions.p95 });
  const races = await measureRaces(agentCookies, pending.slice(1_000, 2_000));
  record({
    measure: "1,000 racing pairs on one card each",
    figure: `${races.winners} winners, ${races.conflicts} × 409, ${races.other} other`,
    goal: "1000 / 1000 / 0",
    pass: races.winners === 1000 && races.conflicts === 1000 && races.other === 0,
  });

  const db = openDb(workFile);
  const sse = await measureSseLatency(db, agentCookies, large.data.shopIds[0]);
  record({ measure: `ingest → SSE client p50 / p99, 100 clients (${sse.delivered}/${sse.expected} delivered)`, figure: `${ms(sse.p50)} / ${ms(sse.p99)}`, goal: "p99 ≤ 250 ms", pass: sse.p99 <= 250 && sse.delivered === sse.expected, value: sse.p99 });
  const idle = await measureIdleSse(server, agentCookies[0]);
  const growth = (idle.after - idle.before) / idle.before;
  record({
    measure: `server RSS with 2,000 idle SSE held ${idleHoldMs / 1000} s: before / during / after`,
    figure: `${(idle.before / 1024).toFixed(0)} / ${(idle.during / 1024).toFixed(0)} / ${(idle.after / 1024).toFixed(0)} MiB (${(growth * 100).toFixed(1)}%)`,
    goal: "after ≤ +10%",
    pass: growth <= 0.1,
    value: growth,
  });

  const interaction = await measureApproveInteraction(large.data.agentEmails[1]);
  record({ measure: `approve click → card gone p50 / p95, Chromium, ${pendingCount.toLocaleString()}-card inbox (${interaction.mountedCards} cards mounted)`, figure: `${ms(interaction.p50)} / ${ms(interaction.p95)}`, goal: "≤ 200 ms", pass: interaction.p95 <= 200, value: interaction.p95 });

  const baseline = await measureHttpBaseline(owner);
  record({
    measure: "same JSON: node:http vs Next route, req/s (p99)",
    figure: `${baseline.plainRps.toFixed(0)} vs ${baseline.nextRps.toFixed(0)} (${baseline.plainP99} ms vs ${baseline.nextP99} ms): Next ${(baseline.nextRps / baseline.plainRps).toFixed(2)}×`,
    goal: "(visible cost)",
    pass: null,
    value: baseline.nextRps / baseline.plainRps,
  });
  db.$client.close();
  await stopServer(server);

  const width = Math.max(...rows.map((row) => row.measure.length));
  console.log(`\n${"measure".padEnd(width)} | figure | goal | result`);
  for (const row of rows) console.log(`${row.measure.padEnd(width)} | ${row.figure} | ${row.goal || "-"} | ${row.pass === null ? "info" : row.pass ? "pass" : "FAIL"}`);
  const result = { at: new Date().toISOString(), quick: isQuick, durationS: Math.round((Date.now() - startedAt) / 1000), rows };
  fs.writeFileSync(path.join("bench", "results.json"), `${JSON.stringify(result, null, 2)}\n`);
  fs.appendFileSync(path.join("bench", "history.jsonl"), `${JSON.stringify(result)}\n`);
  console.log(`\nbench finished in ${result.durationS} s; bench/results.json written`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

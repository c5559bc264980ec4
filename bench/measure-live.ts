// The live measures on /api/stream: a new card's latency to 100 clients, and the server's memory around idle streams.
import { spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import WebSocket from "ws";
import { eq } from "drizzle-orm";
import { buildCreatedEvent, postEvent } from "@/bench/events";
import { baseUrl, idleHoldMs, idleSettleMs, idleStreams, sseEvents } from "@/bench/config";
import { getInspectPort } from "@/bench/server";
import { percentile } from "@/bench/table";
import { transact } from "@/db/client";
import type { Db } from "@/db/client";
import type { BenchShop } from "@/db/bench-seed";
import { buildOrder, buildRequest } from "@/db/factories";
import { auditLog, orders, requests, shops } from "@/db/schema";

/** Opens an SSE stream with fetch; calls onEvent(id, receivedAtMs, data) for each event. */
export async function openStream(cookie: string, onEvent: (id: number, atMs: number, data: string) => void, url = baseUrl): Promise<AbortController> {
  const controller = new AbortController();
  let response: Response | null = null;
  // A pooled keep-alive socket the server has just closed fails the request; a fresh one then works
  for (let attempt = 1; !response; attempt++) {
    try {
      response = await fetch(`${url}/api/stream`, { headers: { cookie }, signal: controller.signal });
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
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
          const lines = chunk.split("\n");
          const idLine = lines.find((line) => line.startsWith("id: "));
          const dataLine = lines.find((line) => line.startsWith("data: "));
          if (idLine) onEvent(Number(idLine.slice(4)), Date.now(), dataLine?.slice(6) ?? "");
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
  const auditId = await transact(db, async (tx) => {
    tx.insert(orders).values(order).run();
    tx.insert(requests).values(request).run();
    return Number(tx.insert(auditLog).values({ shopId, requestId: request.id, orderId: order.id, action: "received", toStatus: "pending", at: new Date(atMs) }).run().lastInsertRowid);
  });
  return { auditId, atMs };
}

/**
 * 100 clients on /api/stream; a new card every 100 ms, alternating: one POSTed to the webhook endpoint
 * (timed from the moment the POST is sent: ingest + live poll + fan-out), one inserted straight into
 * the database (timed from the commit: poll + fan-out only), so the endpoint's share is visible.
 */
export async function measureSseLatency(db: Db, cookies: string[], shop: BenchShop) {
  const receivedAt = new Map<number, number[]>();
  const streams = await Promise.all(
    Array.from({ length: 100 }, (_, index) =>
      openStream(cookies[index % cookies.length], (id, atMs) => {
        const times = receivedAt.get(id) ?? [];
        times.push(atMs);
        receivedAt.set(id, times);
      }),
    ),
  );
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const viaWebhook: { platformRequestId: string; sentAt: number }[] = [];
  const direct: { auditId: number; sentAt: number }[] = [];
  for (let index = 0; index < sseEvents; index++) {
    const event = buildCreatedEvent("sse");
    const sentAt = Date.now();
    const response = await postEvent(shop, event);
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`webhook POST for the SSE measure: ${response.status}`);
    viaWebhook.push({ platformRequestId: event.data.requestId, sentAt });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const inserted = await insertLiveCard(db, shop.id);
    direct.push({ auditId: inserted.auditId, sentAt: inserted.atMs });
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  for (const stream of streams) stream.abort();
  // Shop, platform and platform id: the unique index, not a scan of the shop's history
  const auditIdOf = db.$client.prepare<[string, string, string], { id: number }>(
    "select a.id from audit_log a join requests r on r.id = a.request_id where r.shop_id = ? and r.platform = ? and r.platform_request_id = ? and a.action = 'received'",
  );
  const summarize = (sent: { auditId: number | undefined; sentAt: number }[]) => {
    const latencies = sent.flatMap(({ auditId, sentAt }) => (auditId === undefined ? [] : (receivedAt.get(auditId) ?? []).map((atMs) => atMs - sentAt)));
    return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), delivered: latencies.length, expected: sent.length * streams.length };
  };
  return {
    webhook: summarize(viaWebhook.map(({ platformRequestId, sentAt }) => ({ auditId: auditIdOf.get(shop.id, shop.platform, platformRequestId)?.id, sentAt }))),
    direct: summarize(direct),
  };
}

function readRssKb(pid: number): number {
  const own = Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
  const children = spawnSync("pgrep", ["-P", String(pid)]).stdout.toString().trim().split("\n").filter(Boolean).map(Number);
  return own + children.reduce((sum, child) => sum + readRssKb(child), 0);
}

/**
 * A full garbage collection in a bench server, through its inspector. Without it RSS after a burst shows
 * when V8 last chose to collect, not what the process kept: runs of the same code read −11%, +57% and +86%.
 */
async function collectGarbage(url: string): Promise<void> {
  const [target] = (await (await fetch(`http://127.0.0.1:${getInspectPort(url)}/json/list`)).json()) as { webSocketDebuggerUrl: string }[];
  const socket = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => socket.once("open", resolve).once("error", reject));
  // Twice: the first pass runs finalizers whose objects only the second can free
  for (const id of [1, 2]) {
    await new Promise<void>((resolve) => {
      socket.on("message", (data) => (JSON.parse(String(data)) as { id?: number }).id === id && resolve());
      socket.send(JSON.stringify({ id, method: "HeapProfiler.collectGarbage" }));
    });
  }
  socket.close();
}

/**
 * Two rounds of 2,000 idle streams, memory read after a full GC before and after each: the first round
 * also grows the allocator's pools and code caches to their working size; the second, measured against
 * the level the first left, shows whether closed streams leave anything behind.
 */
export async function measureIdleSse(server: ChildProcess, cookie: string) {
  const pid = server.pid!;
  const readSettledRssKb = async () => {
    await collectGarbage(baseUrl);
    return readRssKb(pid);
  };
  const round = async (holdMs: number) => {
    const streams: AbortController[] = [];
    for (let offset = 0; offset < idleStreams; offset += 100) {
      streams.push(...(await Promise.all(Array.from({ length: 100 }, () => openStream(cookie, () => {})))));
    }
    await new Promise((resolve) => setTimeout(resolve, holdMs));
    const during = readRssKb(pid);
    for (const stream of streams) stream.abort();
    await new Promise((resolve) => setTimeout(resolve, idleSettleMs));
    return { during, after: await readSettledRssKb() };
  };
  const cold = await readSettledRssKb();
  // Two identical rounds: a shorter first one leaves the heap below what a held minute grows it to, and the
  // second then shows that growth instead of a leak
  const first = await round(idleHoldMs);
  const second = await round(idleHoldMs);
  return { cold, firstDuring: first.during, before: first.after, during: second.during, after: second.after };
}

// `npm run bench:live-instances -- [--events 40] [--clients 20] [--burst 8]`: the live stream across desk instances on
// one PostgreSQL database (docs/postgres.md#the-live-stream-across-instances). It creates a database on the server at
// BENCH_POSTGRES_URL (default: the local one), seeds the bench's people and shops, starts two servers of the built
// app on it (BENCH_PORT and the port after it), opens streams on both, POSTs platform events to the first and times
// each event from its POST to its arrival on each stream; then it stops the servers and drops the database.
// Two rounds: one event every 100 ms, then bursts of --burst at once (transactions that commit out of id order).
import { randomBytes } from "node:crypto";
import os from "node:os";
import path from "node:path";
import { createDatabase } from "@/scripts/desk-instances.mjs";

const flag = (name: string, fallback: number) => {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
};
const eventCount = flag("events", 40);
const clientCount = flag("clients", 20);
const burstSize = flag("burst", 8);
const serverUrl = process.env.BENCH_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

type Receipt = { stream: number; id: number; atMs: number };

async function main() {
  const database = await createDatabase(serverUrl, "bench_live");
  // The engine is the process's (db/dialect.ts): set before the query layer is loaded. One key for both instances.
  process.env.DATABASE_URL = database.url;
  process.env.SECRETS_KEY = randomBytes(32).toString("hex");
  const { buildIfStale, killRunningServers, signIn, startServer, stopServer } = await import("@/bench/server");
  try {
    const { port, dataDir } = await import("@/bench/config");
    const { buildCreatedEvent, postEvent } = await import("@/bench/events");
    const { openStream } = await import("@/bench/measure-live");
    const { percentile, ms, loadAverage } = await import("@/bench/table");
    const { closeDb, openPostgresDb } = await import("@/db/client");
    const { seedBenchPeople } = await import("@/db/bench-seed");

    const db = await openPostgresDb(process.env.DATABASE_URL);
    const { data } = await seedBenchPeople(db, { now: new Date(), agents: 2 });
    await closeDb(db);
    buildIfStale();
    const loadAtStart = loadAverage();
    const urls = [`http://localhost:${port}`, `http://localhost:${port + 1}`];
    const env = { DATABASE_URL: process.env.DATABASE_URL, SECRETS_KEY: process.env.SECRETS_KEY! };
    // DATABASE_PATH is not read on PostgreSQL beyond naming a key file, which SECRETS_KEY makes unnecessary
    const servers = await Promise.all(urls.map((url) => startServer(path.join(dataDir, "live-instances.db"), url, env)));
    try {
      const shop = data.shops[0];
      const receipts = new Map<string, Receipt[]>();
      const streams: AbortController[] = [];
      /** The event ids each stream got, in the order it got them. */
      const arrivals: number[][] = [];
      for (const [instance, url] of urls.entries()) {
        const cookie = await signIn(data.agentEmails[0], url);
        for (let index = 0; index < clientCount; index++) {
          const stream = instance * clientCount + index;
          streams.push(
            await openStream(
              cookie,
              (id, atMs, json) => {
                arrivals[stream] = [...(arrivals[stream] ?? []), id];
                const platformRequestId = (JSON.parse(json) as { card?: { platformRequestId?: string } | null }).card?.platformRequestId;
                if (!platformRequestId) return;
                receipts.set(platformRequestId, [...(receipts.get(platformRequestId) ?? []), { stream, id, atMs }]);
              },
              url,
            ),
          );
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 1_000));

      const send = async (round: string) => {
        const event = buildCreatedEvent(`live-${round}`);
        const sentAt = Date.now();
        const response = await postEvent(shop, event, urls[0]);
        await response.arrayBuffer();
        if (response.status !== 200) throw new Error(`event POST: ${response.status}`);
        // Answered after the commit: from here on it is the hubs' poll, their wait at a gap and the fan-out
        return { platformRequestId: event.data.requestId, sentAt, answeredAt: Date.now() };
      };
      type Sent = { platformRequestId: string; sentAt: number; answeredAt: number };
      const sequential: Sent[] = [];
      for (let index = 0; index < eventCount; index++) {
        sequential.push(await send("one"));
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const bursts: Sent[] = [];
      for (let index = 0; index < eventCount; index += burstSize) {
        bursts.push(...(await Promise.all(Array.from({ length: Math.min(burstSize, eventCount - index) }, () => send("burst")))));
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      for (const stream of streams) stream.abort();

      // Per stream: every event once, in id order
      let duplicates = 0;
      let outOfOrder = 0;
      for (const ids of arrivals) {
        duplicates += ids.length - new Set(ids).size;
        outOfOrder += ids.filter((id, index) => index > 0 && id < ids[index - 1]).length;
      }
      const summarize = (sent: Sent[], instance: number) => {
        const on = (platformRequestId: string) => (receipts.get(platformRequestId) ?? []).filter(({ stream }) => Math.floor(stream / clientCount) === instance);
        const fromPost = sent.flatMap(({ platformRequestId, sentAt }) => on(platformRequestId).map(({ atMs }) => atMs - sentAt));
        const fromAnswer = sent.flatMap(({ platformRequestId, answeredAt }) => on(platformRequestId).map(({ atMs }) => atMs - answeredAt));
        const figures = (values: number[]) => `${ms(percentile(values, 50))} / ${ms(percentile(values, 99))}`;
        return `POST sent → stream p50 / p99 ${figures(fromPost)}, POST answered → stream ${figures(fromAnswer)} (${fromPost.length}/${sent.length * clientCount} delivered)`;
      };
      console.log(`\nlive stream across instances on PostgreSQL: events POSTed to A, ${clientCount} streams on each instance`);
      console.log(`  one every 100 ms (${sequential.length}), A's streams (same instance): ${summarize(sequential, 0)}`);
      console.log(`  one every 100 ms (${sequential.length}), B's streams (other instance): ${summarize(sequential, 1)}`);
      console.log(`  bursts of ${burstSize} at once (${bursts.length}), A's streams: ${summarize(bursts, 0)}`);
      console.log(`  bursts of ${burstSize} at once (${bursts.length}), B's streams: ${summarize(bursts, 1)}`);
      console.log(`  duplicates ${duplicates}, out of id order ${outOfOrder}`);
      console.log(`  load average (1/5/15 min): start ${loadAtStart}, end ${loadAverage()} on ${os.cpus().length} cores`);
    } finally {
      for (const server of servers) await stopServer(server);
    }
  } catch (error) {
    killRunningServers();
    throw error;
  } finally {
    await database.drop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

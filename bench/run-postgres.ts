// The bench's PostgreSQL rows (bench/run.ts): the same measures on a copy of the same data, each with its ratio to the
// SQLite figure beside it, then decisions and ingest with the load spread over two instances on the one database.
import type { ChildProcess } from "node:child_process";
import { decisionCount, decisionWarmUp, isQuick, port, racePairs } from "@/bench/config";
import { listPendingIds, measureDecisions, measureInboxPair, measureMetricsP95, measureRaces } from "@/bench/measure-http";
import { measureWebhookIngest } from "@/bench/measure-ingest";
import { createWorkCopy, preparePostgresCopy } from "@/bench/postgres";
import { signIn, startServer, stopServer } from "@/bench/server";
import { ms, record } from "@/bench/table";
import type { BenchData } from "@/db/bench-seed";
import { providePostgres } from "@/scripts/postgres.mjs";

/** The SQLite figures the PostgreSQL rows are compared with (same data, same counts). */
export type SqliteFigures = { inboxLarge: number; metrics: Record<"30" | "365", number>; decisionP95: number; ingestPerSecond: number };

// Two instances: ports clear of the SQLite servers (port, port + 1)
const firstUrl = `http://localhost:${port + 2}`;
const secondUrl = `http://localhost:${port + 3}`;
// The metrics rows only need a p95 beside SQLite's: fewer samples than the SQLite rows take
const metricsSamples = { min: 10, max: 20, timeBoxMs: isQuick ? 5_000 : 10_000 };

const ratio = (postgres: number, sqlite: number) => `${(postgres / sqlite).toFixed(2)}× SQLite`;

/** Records the PostgreSQL rows; returns how long the copy took (made once per seed or migration change, like the build). */
export async function measurePostgresRows(large: { file: string; data: BenchData }, history: number, sqlite: SqliteFigures): Promise<{ copyS: number }> {
  let server: Awaited<ReturnType<typeof providePostgres>>;
  try {
    server = await providePostgres({ log: (message) => console.log(`[postgres] ${message}`) });
  } catch (error) {
    record({ key: "pg.unavailable", measure: "PostgreSQL rows", figure: `not run: no PostgreSQL (${error instanceof Error ? error.message : String(error)})`, goal: "", pass: false });
    return { copyS: 0 };
  }
  const servers: ChildProcess[] = [];
  let dropWork: (() => Promise<void>) | undefined;
  try {
    const copy = await preparePostgresCopy(server.url, large.file, history);
    console.log(`\n[PostgreSQL: ${server.source}, ${history.toLocaleString()} history copied from the SQLite database]`);
    const work = await createWorkCopy(server.url, copy.url);
    dropWork = work.drop;
    const env = { DATABASE_URL: work.url };
    servers.push(await startServer(large.file, firstUrl, env));
    const owner = await signIn(large.data.ownerEmail, firstUrl);
    const { large: inbox } = await measureInboxPair({ url: firstUrl, cookie: owner }, { url: firstUrl, cookie: owner });
    record({ key: "pg.inbox.large", measure: `PostgreSQL: inbox first page p95, ${history.toLocaleString()} history`, figure: `${ms(inbox)} (${ratio(inbox, sqlite.inboxLarge)})`, goal: "", pass: null, value: inbox });
    for (const range of ["30", "365"] as const) {
      const metrics = await measureMetricsP95(owner, range, firstUrl, metricsSamples);
      record({
        key: `pg.metrics.${range}`,
        measure: `PostgreSQL: GET /api/metrics?range=${range} p50 / p95, ${metrics.samples} sequential`,
        figure: `${ms(metrics.p50)} / ${ms(metrics.p95)} (${ratio(metrics.p95, sqlite.metrics[range])})`,
        goal: "",
        pass: null,
        value: metrics.p95,
      });
    }
    const pending = await listPendingIds(owner, 2 * decisionWarmUp + 2 * decisionCount + racePairs, firstUrl);
    const agentsOnFirst = await Promise.all(large.data.agentEmails.map((email) => signIn(email, firstUrl)));
    // The same warm-up as the SQLite row (and again below, with the second instance started)
    await measureDecisions(agentsOnFirst, pending.slice(0, decisionWarmUp), [firstUrl]);
    const decisions = await measureDecisions(agentsOnFirst, pending.slice(decisionWarmUp, decisionWarmUp + decisionCount), [firstUrl]);
    record({
      key: "pg.decision.p95",
      measure: `PostgreSQL: decision p95, 50 agents on distinct cards, one instance (${decisions.ok}/${decisions.count} ok)`,
      figure: `${ms(decisions.p95)} (${ratio(decisions.p95, sqlite.decisionP95)})`,
      goal: "",
      pass: null,
      value: decisions.p95,
    });
    const races = await measureRaces(agentsOnFirst, pending.slice(decisionWarmUp + decisionCount, decisionWarmUp + decisionCount + racePairs), firstUrl);
    record({
      key: "pg.decision.races",
      measure: `PostgreSQL: ${racePairs.toLocaleString()} racing pairs on one card each`,
      figure: `${races.winners} winners, ${races.conflicts} × 409, ${races.other} other`,
      goal: `${racePairs} / ${racePairs} / 0`,
      pass: races.winners === racePairs && races.conflicts === racePairs && races.other === 0,
    });
    const ingest = await measureWebhookIngest(large.data.shops, [firstUrl]);
    record({
      key: "pg.ingest",
      measure: `PostgreSQL: webhook ingest, one instance (${ingest.ok}/${ingest.count} × 200), events/s`,
      figure: `${ingest.perSecond.toFixed(0)} (${ratio(ingest.perSecond, sqlite.ingestPerSecond)})`,
      goal: "",
      pass: ingest.ok === ingest.count,
      value: ingest.perSecond,
    });

    // A second instance on the same database; each agent works on one of the two, events alternate between them
    servers.push(await startServer(large.file, secondUrl, env));
    const agentsSpread = await Promise.all(large.data.agentEmails.map((email, index) => signIn(email, index % 2 ? secondUrl : firstUrl)));
    const spreadFrom = decisionWarmUp + decisionCount + racePairs;
    await measureDecisions(agentsSpread, pending.slice(spreadFrom, spreadFrom + decisionWarmUp), [firstUrl, secondUrl]);
    const spreadDecisions = await measureDecisions(agentsSpread, pending.slice(spreadFrom + decisionWarmUp, spreadFrom + decisionWarmUp + decisionCount), [firstUrl, secondUrl]);
    record({
      key: "pg2.decision.p95",
      measure: `PostgreSQL, two instances: decision p95, 50 agents split between them (${spreadDecisions.ok}/${spreadDecisions.count} ok)`,
      figure: `${ms(spreadDecisions.p95)} (one instance: ${ms(decisions.p95)}, ${(spreadDecisions.p95 / decisions.p95).toFixed(2)}×)`,
      goal: "",
      pass: null,
      value: spreadDecisions.p95,
    });
    const spreadIngest = await measureWebhookIngest(large.data.shops, [firstUrl, secondUrl]);
    record({
      key: "pg2.ingest",
      measure: `PostgreSQL, two instances: webhook ingest, events alternating (${spreadIngest.ok}/${spreadIngest.count} × 200), events/s`,
      figure: `${spreadIngest.perSecond.toFixed(0)} (one instance: ${ingest.perSecond.toFixed(0)}, ${(spreadIngest.perSecond / ingest.perSecond).toFixed(2)}×)`,
      goal: "",
      pass: spreadIngest.ok === spreadIngest.count,
      value: spreadIngest.perSecond,
    });
    return { copyS: Math.round(copy.copyMs / 1000) };
  } finally {
    for (const running of servers) await stopServer(running);
    await dropWork?.();
    await server.stop();
  }
}

// The bench's sizes and addresses (bench/run.ts): --quick keeps every measure with fewer samples.
import path from "node:path";

export const isQuick = process.argv.includes("--quick");
export const port = Number(process.env.BENCH_PORT ?? 3300);
export const baseUrl = `http://localhost:${port}`;
// The 10k-history server runs beside the large one only during the inbox measure; port + 1 is free
// until the node:http baseline uses it much later
export const smallBaseUrl = `http://localhost:${port + 1}`;
export const distDir = ".next-bench";
export const dataDir = path.join("bench", ".data");
export const largeHistory = isQuick ? 100_000 : 1_000_000;
export const smallHistory = 10_000;
export const pendingCount = 10_000;
export const idleHoldMs = isQuick ? 5_000 : 60_000;
// --quick checks the idle-stream path works; the memory figure that counts is the full run's 2,000
export const idleStreams = isQuick ? 500 : 2_000;
export const idleSettleMs = isQuick ? 3_000 : 10_000;
// --quick keeps every measure but fewer samples, so it stays under 2 minutes; the counts are in the table
export const inboxSamples = isQuick ? 100 : 200;
export const decisionCount = isQuick ? 250 : 1_000;
export const decisionWarmUp = isQuick ? 100 : 500;
export const racePairs = isQuick ? 250 : 1_000;
// A 365-day report takes seconds on this machine: samples stop at the cap or the time box, whichever first
export const metricsSamples = { min: 10, max: isQuick ? 20 : 50, timeBoxMs: isQuick ? 12_000 : 30_000 };
export const ingestEvents = isQuick ? 300 : 1_500;
export const ingestConcurrency = 20;
export const ingestWarmUpEvents = isQuick ? 100 : 500;
export const sseEvents = isQuick ? 20 : 40;
// Each round restarts the server (seconds on this machine), so --quick runs fewer to stay under 2 minutes
export const crashRounds = isQuick ? 3 : 20;
// Two instances on PostgreSQL: each round restarts the killed one while the other takes the load
export const crashRoundsTwoInstances = isQuick ? 2 : 8;
export const bin = (name: string) => path.join("node_modules", ".bin", name);

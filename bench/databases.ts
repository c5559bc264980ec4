// The bench's seeded databases, kept in bench/.data between runs while the migrations and the seed are unchanged.
import fs from "node:fs";
import path from "node:path";
import { dataDir, pendingCount } from "@/bench/config";
import { openDb } from "@/db/client";
import { benchSeedVersion, seedBench, type BenchData } from "@/db/bench-seed";
import { rebuildRollups } from "@/db/queries/metrics/rebuild";

export async function prepareDatabase(history: number): Promise<{ file: string; data: BenchData; seedMs: number }> {
  const file = path.join(dataDir, `bench-${history}.db`);
  const metaFile = `${file}.json`;
  const migrations = fs.readdirSync(path.join("db", "migrations")).filter((name) => name.endsWith(".sql")).length;
  if (fs.existsSync(file) && fs.existsSync(metaFile)) {
    const meta = JSON.parse(fs.readFileSync(metaFile, "utf8"));
    if (meta.migrations === migrations && meta.seedVersion === benchSeedVersion) return { file, data: meta.data, seedMs: 0 };
  }
  for (const suffix of ["", "-wal", "-shm", ".json"]) fs.rmSync(`${file}${suffix}`, { force: true });
  fs.mkdirSync(dataDir, { recursive: true });
  const started = Date.now();
  const db = openDb(file);
  const data = await seedBench(db, { history, pending: pendingCount, now: new Date() });
  const seededMs = Date.now() - started;
  // The seed writes requests with raw SQL, past the rollups; the metrics routes read rollups only
  const { cards } = await rebuildRollups(db);
  db.$client.close();
  const seedMs = Date.now() - started;
  fs.writeFileSync(metaFile, JSON.stringify({ migrations, seedVersion: benchSeedVersion, data }));
  console.log(
    `seeded ${history.toLocaleString()} decided + ${pendingCount.toLocaleString()} pending in ${(seededMs / 1000).toFixed(1)} s; rollups of ${cards.toLocaleString()} cards in ${((seedMs - seededMs) / 1000).toFixed(1)} s`,
  );
  return { file, data, seedMs };
}

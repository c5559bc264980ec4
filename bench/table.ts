// The bench's rows (bench/run.ts): each measure recorded as it is taken, then the table and the results files.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { isQuick } from "@/bench/config";

/** `key` is stable across runs (the measure text carries counts), so a run is compared with the last one by it. */
type Row = { key: string; measure: string; figure: string; goal: string; pass: boolean | null; value?: number };
const rows: Row[] = [];
export const benchStartedAt = Date.now();
export const record = (row: Row) => {
  rows.push(row);
  const elapsedS = Math.round((Date.now() - benchStartedAt) / 1000);
  console.log(`  [${elapsedS} s] ${row.measure}: ${row.figure}${row.goal ? ` (goal ${row.goal})` : ""}`);
};

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}
export const ms = (value: number) => `${value.toFixed(1)} ms`;

export const loadAverage = () => os.loadavg().map((value) => value.toFixed(1)).join(" / ");

function readLastRun(): Map<string, string> {
  const historyFile = path.join("bench", "history.jsonl");
  if (!fs.existsSync(historyFile)) return new Map();
  const runs = fs
    .readFileSync(historyFile, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { quick: boolean; rows: Row[] });
  const last = runs.filter((run) => run.quick === isQuick).at(-1);
  return new Map((last?.rows ?? []).filter((row) => row.key).map((row) => [row.key, row.figure]));
}

function gitCommit(): string {
  const head = spawnSync("git", ["rev-parse", "--short", "HEAD"]).stdout.toString().trim();
  const isDirty = spawnSync("git", ["status", "--porcelain", "--untracked-files=no"]).stdout.toString().trim() !== "";
  return `${head}${isDirty ? "+dirty" : ""}`;
}

/** The table on the console (with the last comparable run's figures), bench/results.json, and a line in bench/history.jsonl. */
export function writeResults(run: { durationS: number; measuresS: number; loadAtStart: string; loadAtEnd: string }) {
  const { durationS, measuresS, loadAtStart, loadAtEnd } = run;
  const lastRun = readLastRun();
  const width = Math.max(...rows.map((row) => row.measure.length));
  console.log(`\n${"measure".padEnd(width)} | figure | goal | result | last run`);
  for (const row of rows) {
    const result = row.pass === null ? "info" : row.pass ? "pass" : "FAIL";
    console.log(`${row.measure.padEnd(width)} | ${row.figure} | ${row.goal || "-"} | ${result} | ${lastRun.get(row.key) ?? "-"}`);
  }
  const result = { at: new Date().toISOString(), commit: gitCommit(), quick: isQuick, durationS, measuresS, loadAverage: { start: loadAtStart, end: loadAtEnd }, rows };
  fs.writeFileSync(path.join("bench", "results.json"), `${JSON.stringify(result, null, 2)}\n`);
  fs.appendFileSync(path.join("bench", "history.jsonl"), `${JSON.stringify(result)}\n`);
}

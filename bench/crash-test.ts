// The crash test (scripts/crash-test.mjs) run against the bench's build, its summary read back into figures: one
// instance on SQLite, or several on one PostgreSQL database (docs/loops.md#several-instances; the test finds or starts
// the server with scripts/postgres.mjs).
import { spawn } from "node:child_process";
import { distDir, port } from "@/bench/config";

type CrashTest = {
  rounds: number;
  exitCode: number | null;
  acked: number;
  lost: number;
  duplicated: number;
  answered: number;
  /** Cards whose decision was answered 200 more than once (must be 0) */
  answeredTwice: number;
  committed: number;
  delivered: number;
  resends: number;
  problems: number;
  seconds: number;
};

/** scripts/crash-test.mjs (docs/webhooks.md) against the bench's build; its summary lines are read back. */
export async function runCrashTest(rounds: number, { instances = 1 } = {}): Promise<CrashTest> {
  const started = Date.now();
  const args = ["scripts/crash-test.mjs", "--rounds", String(rounds), "--port", String(port), "--instances", String(instances)];
  const child = spawn(process.execPath, args, {
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, NEXT_DIST_DIR: distDir, NEXT_TELEMETRY_DISABLED: "1" },
  });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => {
    output += chunk.toString("utf8");
    process.stdout.write(chunk);
  });
  const exitCode = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  const number = (pattern: RegExp) => Number(pattern.exec(output)?.[1] ?? NaN);
  // Only the first 20 problems are listed; any listed beyond lost/duplicated still fail the row via `problems`
  const problemLines = output.split("\n").map((line) => line.trim());
  const storedTimes = problemLines.flatMap((line) => {
    const match = /^event \S+ stored (\d+) times$/.exec(line) ?? /^request \S+ has (\d+) cards$/.exec(line);
    return match ? [Number(match[1])] : [];
  });
  return {
    rounds,
    exitCode,
    acked: number(/2xx distinct event ids (\d+)/),
    lost: storedTimes.filter((times) => times === 0).length,
    duplicated: storedTimes.filter((times) => times > 1).length,
    answered: number(/decisions answered 200: (\d+)/),
    answeredTwice: number(/answered 200 twice: (\d+)/),
    committed: number(/decisions committed \(incl\. answers lost to a kill\): (\d+)/),
    delivered: number(/delivered to the platform: (\d+) distinct keys/),
    resends: number(/(\d+) resends with the same key/),
    problems: /OK: nothing lost, nothing doubled/.test(output) ? 0 : number(/FAILED \((\d+)\)/),
    seconds: Math.round((Date.now() - started) / 1000),
  };
}

import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

// File modes of the desk's data (docs/security.md "Secrets at rest"): the directory holding the database is the
// desk's own (0700), the database and its -wal/-shm (0600), the generated key files (0600). Nothing here applies to
// ":memory:" (or the "" temporary database), which has no file.

export const privateDirMode = 0o700;
export const privateFileMode = 0o600;

export function isFileDatabase(file: string): boolean {
  return file !== ":memory:" && file !== "" && !file.startsWith("file:");
}

/** Directories shared with everything else on the machine, never narrowed even when a database lies in one. */
function isSharedDirectory(dir: string): boolean {
  const shared = [process.cwd(), os.homedir(), os.tmpdir(), path.parse(dir).root].map((entry) => path.resolve(/* turbopackIgnore: true */ entry));
  return shared.includes(path.resolve(/* turbopackIgnore: true */ dir));
}

function isOwnedByUs(stat: fs.Stats): boolean {
  return typeof process.getuid !== "function" || stat.uid === process.getuid();
}

/** Narrows an existing file or directory to `mode` when it is wider and ours; a failure is logged, not fatal. */
function narrow(entry: string, mode: number): void {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(entry);
  } catch {
    return;
  }
  if ((stat.mode & 0o777 & ~mode) === 0 || !isOwnedByUs(stat)) return;
  try {
    fs.chmodSync(entry, mode);
  } catch (error) {
    console.warn(`[db] could not narrow ${entry} to ${mode.toString(8)}:`, error instanceof Error ? error.message : error);
  }
}

/** Before SQLite opens `file`: its directory exists (0700), and the file exists with 0600, so -wal/-shm get it too. */
export function prepareDatabaseFile(file: string): void {
  if (!isFileDatabase(file)) return;
  const dir = path.dirname(file);
  fs.mkdirSync(dir, { recursive: true, mode: privateDirMode });
  if (!isSharedDirectory(dir)) narrow(dir, privateDirMode);
  // SQLite creates -wal and -shm with the database file's own mode: create it narrow rather than narrowing it later
  fs.closeSync(fs.openSync(file, "a", privateFileMode));
  restrictDatabaseFiles(file);
}

/** The database, its -wal and -shm (once SQLite made them) at 0600. */
export function restrictDatabaseFiles(file: string): void {
  if (!isFileDatabase(file)) return;
  for (const suffix of ["", "-wal", "-shm", "-journal"]) narrow(`${file}${suffix}`, privateFileMode);
}

/**
 * Writes `contents` to `file` (0600) only if no such file exists yet, atomically: a racing process either wins or
 * reads the winner's whole file, never a half-written one. Returns false when the file already existed.
 */
export function createPrivateFileOnce(file: string, contents: string): boolean {
  const temporary = `${file}.tmp-${process.pid}-${crypto.randomBytes(4).toString("hex")}`;
  fs.writeFileSync(temporary, contents, { mode: privateFileMode, flag: "wx" });
  try {
    fs.linkSync(temporary, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  } finally {
    fs.rmSync(temporary, { force: true });
  }
}

export function narrowPrivateFile(file: string): void {
  narrow(file, privateFileMode);
}

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readOrCreateAuthSecretFile } from "@/db/auth";

// The generated .auth-secret beside the database (docs/security.md "Files"): created 0600 and at most once, and an
// older desk's wider file narrowed to 0600 when read.

let dir: string;
let file: string;
const modeOf = (entry: string) => fs.statSync(entry).mode & 0o777;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "desk-auth-secret-"));
  file = path.join(dir, "data", ".auth-secret");
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe(".auth-secret", () => {
  it("is created 0600 whatever the umask, with 32 random bytes as hex", () => {
    const umask = process.umask(0o000);
    try {
      const secret = readOrCreateAuthSecretFile(file);
      expect(secret).toMatch(/^[0-9a-f]{64}$/);
      expect(modeOf(file)).toBe(0o600);
      expect(modeOf(path.dirname(file))).toBe(0o700);
    } finally {
      process.umask(umask);
    }
  });

  it("is made once: a second read keeps the first secret and leaves no temporary file", () => {
    const first = readOrCreateAuthSecretFile(file);
    expect(readOrCreateAuthSecretFile(file)).toBe(first);
    expect(fs.readdirSync(path.dirname(file))).toEqual([".auth-secret"]);
  });

  it("never replaces an existing secret, and narrows a file an older desk left world-readable to 0600", () => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, "older-secret-older-secret-older-secret\n", { mode: 0o644 });
    fs.chmodSync(file, 0o644);
    expect(readOrCreateAuthSecretFile(file)).toBe("older-secret-older-secret-older-secret");
    expect(modeOf(file)).toBe(0o600);
  });
});

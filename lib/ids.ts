import { z } from "zod";

// Prefixed random ids ("req_…"): readable in logs, and a malformed one is refused before any query.
const alphabet = "0123456789abcdefghjkmnpqrstvwxyz";
const idLength = 20;

export type IdPrefix = "mer" | "shop" | "usr" | "ord" | "req" | "evd" | "fsc" | "prp" | "cof";

export function newId(prefix: IdPrefix, random: (size: number) => Uint8Array = randomBytes): string {
  const bytes = random(idLength);
  let body = "";
  for (const byte of bytes) body += alphabet[byte % alphabet.length];
  return `${prefix}_${body}`;
}

function randomBytes(size: number): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(size));
}

export function idSchema(prefix: IdPrefix) {
  return z.string().regex(new RegExp(`^${prefix}_[${alphabet}]{${idLength}}$`), `Not a ${prefix} id`);
}

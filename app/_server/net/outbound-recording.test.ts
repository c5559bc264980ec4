import http from "node:http";
import type { AddressInfo } from "node:net";
import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { createGuardedFetch, type Transport } from "@/app/_server/net/guarded-fetch";
import { seedDueDecision } from "@/app/_server/net/due-decision.fixture";
import { deliverDueDecisions, type SenderDeps } from "@/app/_server/outbox-sender";
import { runAnswerCalls } from "@/app/_server/platforms/run-calls";
import { type Db } from "@/db/client";
import { setShopEndpoint } from "@/db/queries/webhooks";
import { outbox } from "@/db/schema-webhooks";
import type { OutboundPolicy } from "@/lib/net/outbound-url";
import { describePlatformError } from "@/lib/platforms/connection-health";

// What a refused call leaves behind: the outbox row's last error (and a platform app's) is one fixed sentence,
// whatever address or port was tried, so the outbox cannot be used to scan the desk's network.

const now = new Date("2026-11-20T02:00:00.000Z");
const production: OutboundPolicy = { allowLocal: false, isProduction: true };
const productionLocal: OutboundPolicy = { allowLocal: true, isProduction: true };
const fixedSentence = "目标地址不允许：内网/本机地址";

let db: Db;
let shopId: string;

beforeEach(async () => {
  ({ db, shopId } = await seedDueDecision(now));
});

const neverCalled: Transport = async () => {
  throw new Error("the transport must not be reached");
};

function senderDeps(policy: OutboundPolicy, resolve: (hostname: string) => Promise<{ address: string; family: number }[]>, transport?: Transport): SenderDeps {
  return { fetch: createGuardedFetch({ resolve, getPolicy: () => policy, ...(transport ? { transport } : {}) }), random: () => 0, now: () => now, timeoutMs: 1_000 };
}

async function lastErrorAfterOneTry(endpoint: string, deps: SenderDeps) {
  await setShopEndpoint(db, shopId, endpoint, now);
  expect(await deliverDueDecisions(db, deps)).toMatchObject({ delivered: 0, retrying: 1 });
  const [row] = await db.select().from(outbox);
  expect(row).toMatchObject({ status: "pending", attempts: 1 });
  return row.lastError;
}

describe("the outbox records a refused endpoint as one fixed sentence", () => {
  it.each([
    ["a name resolving to a private address", "https://internal.example.test:8080/decisions", [{ address: "10.0.0.5", family: 4 }]],
    ["a name resolving to the metadata service", "https://internal.example.test/latest/meta-data/", [{ address: "169.254.169.254", family: 4 }]],
    ["a name with one loopback address among public ones", "https://internal.example.test:22/", [{ address: "93.184.215.14", family: 4 }, { address: "::1", family: 6 }]],
  ])("%s", async (_label, endpoint, addresses) => {
    expect(await lastErrorAfterOneTry(endpoint, senderDeps(production, async () => addresses, neverCalled))).toBe(fixedSentence);
  });

  it("a loopback port that is open and one that is closed leave the same error: nothing is connected to", async () => {
    let connections = 0;
    const server = http.createServer((_request, response) => response.end("ok"));
    server.on("connection", () => connections++);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const openPort = (server.address() as AddressInfo).port;
    try {
      const open = await lastErrorAfterOneTry(`https://127.0.0.1:${openPort}/decisions`, senderDeps(production, async () => []));
      await db.update(outbox).set({ attempts: 0, nextAttemptAt: now, lastError: null }).where(eq(outbox.shopId, shopId));
      const closed = await lastErrorAfterOneTry("https://127.0.0.1:9/decisions", senderDeps(production, async () => []));
      expect([open, closed]).toEqual([fixedSentence, fixedSentence]);
      expect(connections).toBe(0);
    } finally {
      server.close();
    }
  });

  it("an allowed address that does not answer is recorded as fetch words it, without address or port", async () => {
    const lastError = await lastErrorAfterOneTry("http://127.0.0.1:9/decisions", senderDeps(productionLocal, async () => []));
    expect(lastError).toBe("TypeError: fetch failed");
  });
});

describe("a platform call to a refused address", () => {
  it("is a transient failure worded as the fixed sentence, on the outbox row and the connection's last error", async () => {
    const deps = { fetch: createGuardedFetch({ resolve: async () => [{ address: "172.16.0.9", family: 4 }], getPolicy: () => production, transport: neverCalled }), now: () => now, timeoutMs: 1_000 };
    const outcome = await runAnswerCalls(deps, [{ method: "POST", url: "https://openapi.example.test/afterSale/operate", headers: {}, body: "{}" }], () => null);
    expect(outcome).toEqual({ ok: false, refused: false, error: fixedSentence });
    expect(describePlatformError("answer", fixedSentence)).toMatch(/：目标地址不允许：内网\/本机地址$/);
  });
});

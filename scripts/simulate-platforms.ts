// Fake platforms speaking their real protocols (issue 11), for a local demo against `npm run dev`/`npm start`:
//   npx tsx scripts/simulate-platforms.ts --count 10
// It connects the demo shop 木槿鲜生（抖音） as a 抖店 app whose API is this script (a local-only app key/secret,
// written to the local database), sends signed pushes (created, a redelivery, modified-before-created pairs,
// deadline changes, a bad sign) and serves /afterSale/Detail and /afterSale/operate, refusing wrong answers.
import { parseArgs } from "node:util";
import { getDb } from "@/db/client";
import { upsertPlatformApp } from "@/db/queries/platforms";
import { demoShopIds } from "@/db/seed-webhooks";
import { createRandom } from "@/lib/random";
import { FakeDouyin } from "./fake-platforms/douyin";

const { values: options } = parseArgs({
  options: {
    desk: { type: "string", default: process.env.APP_URL ?? "http://localhost:3000" },
    port: { type: "string", default: "4011" },
    count: { type: "string", default: "10" },
    seed: { type: "string", default: String(Date.now() % 1_000_000) },
  },
});

const app = { appKey: "7123456789012345678", appSecret: "local-demo-secret-douyin-app", shopId: "10437917" };
const platform = new FakeDouyin(app);
const random = createRandom(Number(options.seed));
const stats = { stored: 0, refused: 0, redelivered: 0 };

async function send(push: { body: string; headers: Record<string, string> }, label: string) {
  const response = await fetch(`${options.desk}/api/platforms/douyin/push`, { method: "POST", headers: push.headers, body: push.body });
  const answer = (await response.json()) as { code: number; msg: string };
  if (answer.code === 0) stats.stored++;
  else stats.refused++;
  console.log(`${answer.code === 0 ? "✓" : "✗"} ${label} → ${response.status} ${JSON.stringify(answer)}`);
}

async function main() {
  const { server, baseUrl } = await platform.listen(Number(options.port));
  await upsertPlatformApp(
    getDb(),
    { shopId: demoShopIds.douyin, protocol: "douyin_push", appKey: app.appKey, appSecret: app.appSecret, platformShopId: app.shopId, apiBaseUrl: baseUrl, settings: { defaultCategory: "fresh_food", returnAddressId: "700001" } },
    new Date(),
  );
  console.log(`fake 抖店 on ${baseUrl}; pushing to ${options.desk}`);
  const nowS = () => Math.floor(Date.now() / 1000);
  for (let n = 0; n < Number(options.count); n++) {
    const aftersaleId = `73${Date.now()}${random.int(100, 999)}`.slice(0, 19);
    const record = platform.addAftersale({ aftersaleId, type: random.pick([0, 1, 1, 2]), productName: random.pick(["赣南脐橙 5斤装", "手工牛肉干 500g"]), refundAmountFen: random.int(990, 8800) }, nowS());
    const created = platform.buildPush(200, record);
    if (random.chance(0.2)) {
      // Out of order: the buyer's change arrives before the create
      record.refundAmountFen -= 100;
      record.updateTimeS += 60;
      await send(platform.buildPush(208, record), `208 before 200 for ${aftersaleId}`);
    }
    await send(created, `200 ${aftersaleId} (type ${record.type})`);
    if (random.chance(0.3)) {
      stats.redelivered++;
      await send(created, `redelivery of msg ${created.msgId}`);
    }
    if (random.chance(0.2)) {
      record.statusDeadlineS += 24 * 3600;
      await send(platform.buildPush(209, record), `209 deadline for ${aftersaleId}`);
    }
    if (random.chance(0.1)) await send({ ...created, headers: { ...created.headers, "event-sign": "0".repeat(32) } }, "a bad sign (must be refused)");
  }
  console.log(`pushes: ${JSON.stringify(stats)}. Decide cards in the inbox; answers arrive here (Ctrl-C to stop).`);
  setInterval(() => {
    for (const operation of platform.operations.splice(0)) {
      console.log(`${operation.accepted ? "✓" : "✗"} operate type ${operation.type} for ${operation.aftersaleId}${operation.error ? `: ${operation.error}` : ""}`);
    }
  }, 1000);
  process.on("SIGINT", () => {
    server.close();
    process.exit(0);
  });
}

void main();

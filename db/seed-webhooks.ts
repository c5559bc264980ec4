import type { Db } from "@/db/client";
import { rotateShopSecret, setShopEndpoint } from "@/db/queries/webhooks";
import { shops } from "@/db/schema";
import type { Platform } from "@/lib/domain";

// Demo platform connection (docs/webhooks.md). Everything here is for a LOCAL demo only: the shop ids are
// fixed so the README and the simulator can name them, and the secrets come from .env.example
// defaults that anyone can read. A real shop gets a random secret from the settings page.

// The demo seeds no WeChat 小店 shop; scripts/simulate-platforms.ts adds one when it plays WeChat (docs/platforms/wechat.md)
type DemoPlatform = Exclude<Platform, "wechat">;

export const demoShopIds = {
  tmall: "shop_0000000000000000tma1",
  douyin: "shop_0000000000000000dy01",
  taobao: "shop_0000000000000000tb01",
} as const satisfies Record<DemoPlatform, string>;

/** "local-demo-secret-tmall" etc. unless DEMO_WEBHOOK_SECRET is set (local use only). */
export function getDemoWebhookSecret(platform: Platform): string {
  return `${process.env.DEMO_WEBHOOK_SECRET ?? "local-demo-secret"}-${platform}`;
}

/** Where the simulator (`npm run simulate`) listens for decisions by default. */
export function getDemoPlatformEndpoint(): string {
  return process.env.DEMO_PLATFORM_ENDPOINT ?? "http://localhost:4010/decisions";
}

export async function createDemoShop(db: Db, values: { merchantId: string; platform: DemoPlatform; name: string }): Promise<string> {
  const id = demoShopIds[values.platform];
  await db.insert(shops).values({ id, ...values });
  return id;
}

export async function seedWebhookDemo(db: Db, now: Date): Promise<void> {
  for (const [platform, shopId] of Object.entries(demoShopIds) as [DemoPlatform, string][]) {
    await rotateShopSecret(db, shopId, getDemoWebhookSecret(platform), now);
    await setShopEndpoint(db, shopId, getDemoPlatformEndpoint(), now);
  }
}

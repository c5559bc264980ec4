import type { PlatformAdapter } from "@/app/_server/platforms/adapter";
import { douyinAdapter } from "@/app/_server/platforms/douyin-adapter";
import { taobaoAdapter } from "@/app/_server/platforms/taobao-adapter";
import { wechatAdapter } from "@/app/_server/platforms/wechat-adapter";
import type { Protocol } from "@/lib/platforms/types";

/** The adapter for each protocol a shop can connect over. */
export const platformAdapters: Record<Protocol, PlatformAdapter> = {
  douyin_push: douyinAdapter,
  taobao_tmc: taobaoAdapter,
  wechat_ec: wechatAdapter,
};

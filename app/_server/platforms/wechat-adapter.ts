import type { PlatformAdapter } from "@/app/_server/platforms/adapter";
import { getWechatConfig } from "@/app/_server/platforms/client";
import { runAnswerCalls } from "@/app/_server/platforms/run-calls";
import { unknownOrderFacts } from "@/lib/platforms/order-facts";
import { isWechatAlreadyAnswered, isWechatApiSuccess, planWechatAnswer } from "@/lib/platforms/wechat";

// WeChat 小店 over its open API (docs/platforms/wechat.md).

export const wechatAdapter: PlatformAdapter = {
  protocol: "wechat_ec",
  async fetchOrderFacts() {
    return unknownOrderFacts();
  },
  async fetchRejectReasons() {
    return [];
  },
  isAlreadyAnswered: isWechatAlreadyAnswered,
  async answer(deps, app, input) {
    const plan = planWechatAnswer(getWechatConfig(app), input.native, input.decision, app.settings);
    if (!plan.ok) return { ok: false, refused: false, error: plan.error };
    return runAnswerCalls(deps, plan.calls, (body) => (isWechatApiSuccess(body) ? null : { ok: false, refused: true, message: JSON.stringify(body).slice(0, 300) }));
  },
  async refreshToken() {
    throw new Error("WeChat token refresh is not built yet");
  },
};

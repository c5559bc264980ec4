import type { PlatformAdapter } from "@/app/_server/platforms/adapter";
import { getDouyinConfig } from "@/app/_server/platforms/client";
import { runAnswerCalls } from "@/app/_server/platforms/run-calls";
import { isDouyinAlreadyAnswered, isDouyinApiSuccess, planDouyinAnswer } from "@/lib/platforms/douyin";
import { unknownOrderFacts } from "@/lib/platforms/order-facts";

// Douyin 抖店 over its open API (docs/platforms/douyin.md).

export const douyinAdapter: PlatformAdapter = {
  protocol: "douyin_push",
  async fetchOrderFacts() {
    return unknownOrderFacts();
  },
  async fetchRejectReasons() {
    return [];
  },
  isAlreadyAnswered: isDouyinAlreadyAnswered,
  async answer(deps, app, input) {
    const plan = planDouyinAnswer(getDouyinConfig(app), input.native, input.decision, app.settings, Math.floor(deps.now().getTime() / 1000));
    if (!plan.ok) return { ok: false, refused: false, error: plan.error };
    return runAnswerCalls(deps, plan.calls, (body) => (isDouyinApiSuccess(body) ? null : { ok: false, refused: true, message: JSON.stringify(body).slice(0, 300) }));
  },
  async refreshToken() {
    throw new Error("Douyin token refresh is not built yet");
  },
};

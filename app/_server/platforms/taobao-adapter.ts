import type { PlatformAdapter } from "@/app/_server/platforms/adapter";
import { runAnswerCalls } from "@/app/_server/platforms/run-calls";
import { getTopConfig } from "@/app/_server/platforms/tmc-consumer";
import { unknownOrderFacts } from "@/lib/platforms/order-facts";
import { isTaobaoAlreadyAnswered, isTaobaoAnswerSuccess, planTaobaoAnswer } from "@/lib/platforms/taobao";

// Taobao/Tmall over the TOP API (docs/platforms/taobao.md).

export const taobaoAdapter: PlatformAdapter = {
  protocol: "taobao_tmc",
  async fetchOrderFacts() {
    return unknownOrderFacts();
  },
  async fetchRejectReasons() {
    return [];
  },
  isAlreadyAnswered: isTaobaoAlreadyAnswered,
  async answer(deps, app, input) {
    const [proof] = input.proof;
    const plan = planTaobaoAnswer(getTopConfig(app), input.native, input.decision, app.settings, deps.now(), proof ? { ...proof, field: "refuse_proof", bytes: new Uint8Array(proof.bytes) } : undefined);
    if (!plan.ok) return { ok: false, refused: false, error: plan.error };
    return runAnswerCalls(deps, plan.calls, (body, call) => (isTaobaoAnswerSuccess(body, call.apiMethod ?? "") ? null : { ok: false, refused: true, message: JSON.stringify(body).slice(0, 300) }));
  },
  async refreshToken() {
    throw new Error("Taobao token refresh is not built yet");
  },
};

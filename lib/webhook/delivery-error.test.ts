import { describe, expect, it } from "vitest";
import { describeDeliveryError } from "@/lib/webhook/delivery-error";

describe("describeDeliveryError: the outbox's last error in the owner's words", () => {
  it.each([
    ["TypeError: fetch failed", "dead", "network", {}],
    ["TypeError: fetch failed", "pending", "network", {}],
    ["Error: connect ECONNREFUSED 127.0.0.1:4010", "pending", "network", {}],
    ["TimeoutError: The operation was aborted due to timeout", "pending", "timeout", {}],
    ["AbortError: This operation was aborted", "pending", "timeout", {}],
    ["HTTP 503", "pending", "serverError", { status: 503 }],
    ["PlatformMessageError: HTTP 502 from /afterSale/operate: upstream busy", "pending", "serverError", { status: 502 }],
    ["HTTP 429", "pending", "busy", { status: 429 }],
    ["HTTP 408", "dead", "busy", { status: 408 }],
    ["HTTP 302", "pending", "redirect", { status: 302 }],
    ["HTTP 401 from /router/rest: {\"error\":\"x\"}", "pending", "httpError", { status: 401 }],
    ["PlatformMessageError: The platform answered with something that is not JSON: <html>", "pending", "unreadable", {}],
    ["No platform endpoint is set for this shop", "pending", "noEndpoint", {}],
    ["This shop has no webhook secret to sign with", "pending", "noSecret", {}],
    ["The outbox payload is not a decision", "dead", "badPayload", {}],
    ["No platform state for refund req_123: wait for its message", "pending", "waitingForPlatform", {}],
    ["40003: 退款单状态已变更，不能拒绝", "refused", "refused", { words: "40003: 退款单状态已变更，不能拒绝" }],
    ["  already   closed  ", "refused", "refused", { words: "already closed" }],
    ["", "refused", "refused", { words: "—" }],
    ["img/upload answered without pic_file.media_id", "pending", "unknown", {}],
    ["something new", "dead", "unknown", {}],
  ] as const)("%j (%s) → %s", (lastError, status, key, values) => {
    expect(describeDeliveryError(lastError, status)).toEqual({ key, values });
  });

  it("shows at most 120 characters of a refusal's words", () => {
    expect(String(describeDeliveryError("拒".repeat(300), "refused").values.words)).toHaveLength(120);
  });
});

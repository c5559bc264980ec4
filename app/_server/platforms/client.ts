import { guardedFetch } from "@/app/_server/net/guarded-fetch";
import { maxPlatformAnswerBytes, readResponseTextWithin } from "@/app/_server/net/read-response";
import type { PlatformApp } from "@/db/queries/platforms";
import { PlatformMessageError, parseJsonLossless } from "@/lib/platforms/common";
import { parseDouyinDetail, type DouyinDetail } from "@/lib/platforms/douyin/messages";
import { buildDouyinApiCall, type DouyinApiConfig } from "@/lib/platforms/douyin/open-api";
import type { PlatformCall } from "@/lib/platforms/types";
import { parseWechatDetail, type WechatDetail } from "@/lib/platforms/wechat";
import { buildWechatDetailCall, type WechatApiConfig } from "@/lib/platforms/wechat-api";

// The adapters' HTTP client (docs/platforms/README.md): performs calls the pure lib/platforms modules built and signed,
// and reads answers without losing 19-digit ids.

export type ClientDeps = { fetch: typeof fetch; now: () => Date; timeoutMs: number };

// Every real platform call goes through the outbound guard (docs/security.md "Outbound calls"); tests inject their own fetch
export const defaultClientDeps: ClientDeps = { fetch: guardedFetch, now: () => new Date(), timeoutMs: 10_000 };

/**
 * One call and its answer as JSON. The answer is read within maxPlatformAnswerBytes: past it the read stops and
 * ResponseTooLargeError is thrown, which callers treat as they treat a network error (retried, never a refusal).
 */
export async function performCall(deps: ClientDeps, call: PlatformCall): Promise<unknown> {
  const response = await deps.fetch(call.url, {
    method: call.method,
    headers: call.headers,
    body: call.body as BodyInit | undefined,
    redirect: "manual",
    signal: AbortSignal.timeout(deps.timeoutMs),
  });
  const text = await readResponseTextWithin(response, maxPlatformAnswerBytes);
  if (!response.ok) throw new PlatformMessageError(`HTTP ${response.status} from ${new URL(call.url).pathname}: ${text.slice(0, 200)}`);
  try {
    return parseJsonLossless(text);
  } catch {
    throw new PlatformMessageError(`The platform answered with something that is not JSON: ${text.slice(0, 200)}`);
  }
}

export function getDouyinConfig(app: PlatformApp): DouyinApiConfig {
  return { baseUrl: app.apiBaseUrl, appKey: app.appKey, appSecret: app.appSecret, accessToken: app.accessToken };
}

export async function fetchDouyinDetail(deps: ClientDeps, app: PlatformApp, aftersaleId: string): Promise<DouyinDetail> {
  const call = buildDouyinApiCall(getDouyinConfig(app), "/afterSale/Detail", { after_sale_id: aftersaleId, need_operation_record: false }, Math.floor(deps.now().getTime() / 1000));
  return parseDouyinDetail(await performCall(deps, call));
}

export function getWechatConfig(app: PlatformApp): WechatApiConfig {
  return { baseUrl: app.apiBaseUrl, accessToken: app.accessToken ?? "" };
}

export async function fetchWechatDetail(deps: ClientDeps, app: PlatformApp, afterSaleOrderId: string): Promise<WechatDetail> {
  return parseWechatDetail(await performCall(deps, buildWechatDetailCall(getWechatConfig(app), afterSaleOrderId)));
}

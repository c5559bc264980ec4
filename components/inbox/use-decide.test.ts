// @vitest-environment happy-dom
import { QueryClient, QueryClientProvider, type InfiniteData } from "@tanstack/react-query";
import { act, renderHook, waitFor } from "@testing-library/react";
import { NextIntlClientProvider } from "next-intl";
import { createElement, type ReactNode } from "react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { requestKeys } from "@/components/inbox/api";
import { useDecide } from "@/components/inbox/use-decide";
import type { RequestCard, RequestPage } from "@/lib/api-types";
import { zhCNMessages as zh } from "@/lib/i18n/messages/merged";

// The inbox's optimistic decision: the card leaves the pending list on the click, and comes back, with the
// server's reason shown to the agent, when the server refuses. The server is a stubbed fetch whose answer the test
// releases; what the agent reads is what reaches the toast.

const toast = vi.hoisted(() => ({ success: vi.fn(), error: vi.fn(), warning: vi.fn(), info: vi.fn() }));
vi.mock("sonner", () => ({ toast }));

const pendingList = requestKeys.list({ status: "pending" });
const card = (id: string) => ({ id, status: "pending" }) as RequestCard;

let queryClient: QueryClient;
let answer: (response: Response) => void;

function wrapper({ children }: { children: ReactNode }) {
  return createElement(
    QueryClientProvider,
    { client: queryClient },
    createElement(NextIntlClientProvider, { locale: "zh-CN", messages: zh, timeZone: "Asia/Shanghai", children }),
  );
}

const listedIds = () => queryClient.getQueryData<InfiniteData<RequestPage>>(pendingList)?.pages.flatMap((page) => page.items.map((item) => item.id));

beforeEach(() => {
  queryClient = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  queryClient.setQueryData<InfiniteData<RequestPage>>(pendingList, {
    pages: [{ items: [card("req_a"), card("req_b"), card("req_c")], nextCursor: null, serverNow: "2026-11-23T06:00:00.000Z", orderedAt: "2026-11-23T06:00:00.000Z" }],
    pageParams: [null],
  });
  vi.stubGlobal(
    "fetch",
    vi.fn(() => new Promise<Response>((resolve) => (answer = resolve))),
  );
});

afterEach(() => {
  vi.unstubAllGlobals();
  vi.clearAllMocks();
  queryClient.clear();
});

async function decide(id: string) {
  const { result } = renderHook(() => useDecide(), { wrapper });
  act(() => result.current.mutate({ id, input: { decision: "approve" } }));
  // The card is out before the server has answered
  await waitFor(() => expect(listedIds()).toEqual(["req_a", "req_c"]));
  expect(fetch).toHaveBeenCalledWith(`/api/requests/${id}/decision`, expect.objectContaining({ method: "POST" }));
  return result;
}

describe("useDecide", () => {
  it("takes the card out at once and brings it back in its place on a server error, saying why", async () => {
    const result = await decide("req_b");
    answer(Response.json({ error: { code: "not_eligible", message: "The after-sales entry cannot be opened: prior_refund" } }, { status: 422 }));
    await waitFor(() => expect(result.current.isError).toBe(true));
    expect(listedIds()).toEqual(["req_a", "req_b", "req_c"]);
    expect(toast.error).toHaveBeenCalledTimes(1);
    // The agent reads the refusal in Chinese, never the API's English message
    expect(toast.error).toHaveBeenCalledWith("操作失败：这个订单现在不能开启售后入口，刷新页面可查看原因");
    expect(toast.success).not.toHaveBeenCalled();
  });

  it("brings the card back when the server answers without a JSON body (a proxy's 502)", async () => {
    const result = await decide("req_b");
    answer(new Response("<html>Bad Gateway</html>", { status: 502 }));
    await waitFor(() => expect(result.current.isError).toBe(true));
    expect(listedIds()).toEqual(["req_a", "req_b", "req_c"]);
    expect(toast.error).toHaveBeenCalledWith("操作失败：服务器出错，请稍后重试");
  });

  it("puts the platform's refusal in the agent's words", async () => {
    const result = await decide("req_b");
    answer(Response.json({ error: { code: "platform_refuses", message: "The platform would not accept this answer: proof_required", problems: [{ code: "proof_required" }] } }, { status: 422 }));
    await waitFor(() => expect(result.current.isError).toBe(true));
    expect(listedIds()).toEqual(["req_a", "req_b", "req_c"]);
    expect(toast.error).toHaveBeenCalledWith(`操作失败：${zh.card.platformProblem.proof_required}`);
  });

  it("keeps the card out when a colleague decided it first, and names them", async () => {
    const result = await decide("req_b");
    answer(
      Response.json(
        { error: { code: "already_decided", message: "Already decided", status: "approved", decision: "approve", decidedBy: { id: "usr_x", name: "赵强" }, decidedAt: "2026-11-23T06:00:05.000Z" } },
        { status: 409 },
      ),
    );
    await waitFor(() => expect(result.current.isError).toBe(true));
    expect(listedIds()).toEqual(["req_a", "req_c"]);
    expect(toast.error).not.toHaveBeenCalled();
    expect(toast.warning).toHaveBeenCalledWith(`已由 赵强 于 14:00:05 ${zh.card.approvedVerb}`);
  });

  it("keeps the card out on success and offers the undo", async () => {
    const result = await decide("req_b");
    answer(Response.json({ card: { ...card("req_b"), status: "approved" } }));
    await waitFor(() => expect(result.current.isSuccess).toBe(true));
    expect(listedIds()).toEqual(["req_a", "req_c"]);
    expect(toast.success).toHaveBeenCalledWith(zh.card.approved, expect.objectContaining({ action: expect.objectContaining({ label: zh.card.undo }) }));
    expect(toast.error).not.toHaveBeenCalled();
  });

  it("says why the server refused the undo, in Chinese", async () => {
    const result = await decide("req_b");
    answer(Response.json({ card: { ...card("req_b"), status: "approved" } }));
    await waitFor(() => expect(result.current.isSuccess).toBe(true));
    const [, options] = toast.success.mock.calls[0] as [string, { action: { onClick: () => void } }];
    act(() => options.action.onClick());
    expect(fetch).toHaveBeenLastCalledWith("/api/requests/req_b/undo", expect.objectContaining({ method: "POST" }));
    answer(Response.json({ error: { code: "undo_refused", message: "The decision is final and has been sent to the platform", reason: "final" } }, { status: 409 }));
    await waitFor(() => expect(toast.error).toHaveBeenCalledWith("无法撤销：决定已发送给平台，不能再撤销"));
  });

  it("says a failed undo without a reason by what kind of failure it was, in Chinese", async () => {
    const result = await decide("req_b");
    answer(Response.json({ card: { ...card("req_b"), status: "approved" } }));
    await waitFor(() => expect(result.current.isSuccess).toBe(true));
    const [, options] = toast.success.mock.calls[0] as [string, { action: { onClick: () => void } }];
    act(() => options.action.onClick());
    answer(Response.json({ error: { code: "not_found", message: "No request req_b" } }, { status: 404 }));
    await waitFor(() => expect(toast.error).toHaveBeenCalledWith("无法撤销：找不到要操作的内容，可能已被删除"));
  });
});

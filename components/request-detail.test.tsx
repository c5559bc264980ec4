// @vitest-environment happy-dom
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, render, screen } from "@testing-library/react";
import { NextIntlClientProvider } from "next-intl";
import { afterEach, describe, expect, it } from "vitest";
import { RequestDetail } from "@/components/request-detail";
import type { RequestCard } from "@/lib/api-types";
import { zhCNMessages as zh } from "@/lib/i18n/messages/merged";

// The request's page shows the numbers an agent types into 千牛/抖店: the platform's refund id beside its order id.

const card: RequestCard = {
  id: "req_detail_1",
  shop: { id: "shop_1", name: "天猫旗舰店" },
  platform: "tmall",
  platformRequestId: "214300198877665544",
  kind: "refund_only",
  status: "approved",
  reasonCode: "quality_issue",
  reasonText: null,
  claim: null,
  evidence: [],
  amountFen: 9900,
  receivedAt: "2026-11-20T02:00:00.000Z",
  respondBy: "2026-11-22T02:00:00.000Z",
  platformDeadline: null,
  decision: "approve",
  decidedAt: "2026-11-20T03:00:00.000Z",
  decidedBy: { id: "usr_1", name: "小王" },
  claimedBy: null,
  rejectReasonCode: null,
  rejectReasonText: null,
  rejectMessage: null,
  version: 2,
  buyerNick: "买家甲",
  order: {
    id: "ord_1",
    platformOrderId: "3877001122334455",
    title: "纯棉T恤",
    category: "apparel",
    amountFen: 9900,
    completedAt: null,
    receivedAt: null,
    shippedAt: null,
    priorRefund: "none",
    warrantyDays: null,
    sellerPromiseDays: null,
    entryOpenedAt: null,
    entryTimesOpened: 0,
    unknownFacts: [],
    subOrderId: null,
  },
  platformRefusal: null,
};

afterEach(cleanup);

/** The text of the field labelled `label` in the page's definition lists. */
function fieldText(label: string): string | null {
  const term = screen.getAllByText(label, { selector: "dt" });
  expect(term).toHaveLength(1);
  return term[0].nextElementSibling?.textContent ?? null;
}

describe("RequestDetail", () => {
  it("shows 退款编号 (the platform's refund id) beside 订单号 in the order section", () => {
    render(
      // initialData kept fresh: no refetch leaves the test
      <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { staleTime: Infinity, retry: false } } })}>
        <NextIntlClientProvider locale="zh-CN" messages={zh} timeZone="Asia/Shanghai">
          <RequestDetail initial={{ card, audit: [], serverNow: "2026-11-20T04:00:00.000Z" }} />
        </NextIntlClientProvider>
      </QueryClientProvider>,
    );
    expect(fieldText("退款编号")).toBe("214300198877665544");
    expect(fieldText("订单号")).toBe("3877001122334455");
    // Both in the same list, the refund id first as on the inbox card
    const terms = [...screen.getByRole("region", { name: "订单信息" }).querySelectorAll("dt")].map((term) => term.textContent);
    expect(terms.slice(0, 2)).toEqual(["退款编号", "订单号"]);
  });
});

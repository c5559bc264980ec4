import { describe, expect, it } from "vitest";
import type { RequestCard, RequestPage } from "@/lib/api-types";
import { isCardInView, upsertCardInPages } from "@/lib/inbox-cache";

/** "T03" → minute 3 of a fixed hour: short labels for ordered instants. */
function card(id: string, label: string, extra: Partial<RequestCard> = {}): RequestCard {
  const respondBy = `2026-11-23T06:${label.slice(1).padStart(2, "0")}:00.000Z`;
  return {
    id,
    shop: { id: "shop_a", name: "A" },
    platform: "tmall",
    platformRequestId: `p_${id}`,
    kind: "refund_only",
    status: "pending",
    reasonCode: "quality_issue",
    reasonText: null,
    claim: null,
    evidence: [],
    amountFen: 100,
    receivedAt: respondBy,
    respondBy,
    platformDeadline: null,
    decision: null,
    decidedAt: null,
    decidedBy: null,
    claimedBy: null,
    rejectReasonCode: null,
    rejectMessage: null,
    version: 1,
    buyerNick: "a**",
    platformRefusal: null,
    // Only the fields the cache reads matter here; the rest of the order is irrelevant to ordering.
    order: { id: "ord", title: "t" } as RequestCard["order"],
    ...extra,
  };
}

const page = (items: RequestCard[], nextCursor: string | null = null): RequestPage => ({ items, nextCursor, serverNow: "" });
const ids = (data: { pages: RequestPage[] }) => data.pages.map((p) => p.items.map((item) => item.id));

describe("upsertCardInPages", () => {
  const data = { pages: [page([card("a", "T01"), card("c", "T03")], "cur"), page([card("e", "T05")])], pageParams: [null, "cur"] };

  it("inserts a pending card at its deadline position", () => {
    expect(ids(upsertCardInPages(data, card("b", "T02"), { status: "pending" }))).toEqual([["a", "b", "c"], ["e"]]);
    expect(ids(upsertCardInPages(data, card("d", "T04"), { status: "pending" }))).toEqual([["a", "c"], ["d", "e"]]);
  });

  it("appends past the end only when there is no further page", () => {
    expect(ids(upsertCardInPages(data, card("z", "T09"), { status: "pending" }))).toEqual([["a", "c"], ["e", "z"]]);
    const partial = { pages: [page([card("a", "T01")], "cur")], pageParams: [null] };
    expect(ids(upsertCardInPages(partial, card("z", "T09"), { status: "pending" }))).toEqual([["a"]]);
  });

  it("removes a card that left the view, and moves one that changed", () => {
    expect(ids(upsertCardInPages(data, card("c", "T03", { status: "approved" }), { status: "pending" }))).toEqual([["a"], ["e"]]);
    expect(ids(upsertCardInPages(data, card("a", "T04"), { status: "pending" }))).toEqual([["c"], ["a", "e"]]);
  });

  it("sorts by the platform's deadline when it comes before the reply clock", () => {
    const urgent = card("p", "T09", { platformDeadline: "2026-11-23T06:02:00.000Z" });
    expect(ids(upsertCardInPages(data, urgent, { status: "pending" }))).toEqual([["a", "p", "c"], ["e"]]);
  });

  it.each([
    [{ status: "pending", platform: "douyin" }, false],
    [{ status: "pending", kind: "refund_only" }, true],
    [{ status: "all" }, true],
    [{ status: "approved" }, false],
    [{ status: "pending", shop: "shop_b" }, false],
  ])("isCardInView %o → %s", (filters, expected) => {
    expect(isCardInView(card("x", "T01"), filters)).toBe(expected);
  });
});

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
    rejectReasonText: null,
    rejectMessage: null,
    version: 1,
    buyerNick: "a**",
    platformRefusal: null,
    // Only the fields the cache reads matter here; the rest of the order is irrelevant to ordering.
    order: { id: "ord", title: "t" } as RequestCard["order"],
    ...extra,
  };
}

/** The loaded list was sorted at 06:00, before every reply deadline above (06:01…) except where a test says so. */
const orderedAt = "2026-11-23T06:00:00.000Z";
const page = (items: RequestCard[], nextCursor: string | null = null, at = orderedAt): RequestPage => ({ items, nextCursor, orderedAt: at, serverNow: at });
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

  it("places a card past its reply clock (as of the list's sort) by its platform deadline, after those still inside it", () => {
    // Sorted at 06:04: a and c are overdue (by platform deadline), e still inside its clock
    const at = "2026-11-23T06:04:00.000Z";
    const overdue = {
      pages: [page([card("e", "T05"), card("c", "T03", { platformDeadline: "2026-11-23T09:00:00.000Z" })], "cur", at), page([card("a", "T01", { platformDeadline: "2026-11-23T12:00:00.000Z" })], null, at)],
      pageParams: [null, "cur"],
    };
    // Undone elsewhere: reply clock long gone, platform deadline between c's and a's
    const undone = card("u", "T00", { platformDeadline: "2026-11-23T10:00:00.000Z" });
    expect(ids(upsertCardInPages(overdue, undone, { status: "pending" }))).toEqual([["e", "c"], ["u", "a"]]);
    // A new card at exactly its reply deadline is still inside the clock: on top, before e (06:05)
    expect(ids(upsertCardInPages(overdue, card("n", "T04"), { status: "pending" }))).toEqual([["n", "e", "c"], ["a"]]);
  });

  it("finds a live card by the words the server's search matches", () => {
    const found = card("x", "T01", { buyerNick: "小**鱼", platformRequestId: "2601" });
    expect(isCardInView(found, { status: "pending", q: "小**" })).toBe(true);
    expect(isCardInView(found, { status: "pending", q: "2601" })).toBe(true);
    expect(isCardInView(found, { status: "pending", q: "260" })).toBe(false);
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

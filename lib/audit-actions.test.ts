import { describe, expect, it } from "vitest";
import { announcedActions, auditActions, cardChangeActions } from "@/lib/audit-actions";

describe("the live view's actions", () => {
  it("listens to every audit action: each is announced or refetches its card", () => {
    expect([...announcedActions, ...cardChangeActions].sort()).toEqual([...auditActions].sort());
  });

  it.each(["undone", "approved", "rejected", "cancelled_by_buyer", "updated_by_platform", "approved_by_rule", "claimed", "released", "assigned", "claim_lapsed"])(
    "%s changes a card in a colleague's open inbox",
    (action) => {
      expect(cardChangeActions).toContain(action);
    },
  );
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { requestKinds } from "@/lib/domain";
import {
  applyRequestEvent,
  applyRequestEvents,
  createEmptyRequestState,
  getRequestStatus,
  type RequestEvent,
} from "@/lib/webhook/event-order";
import { proposalOutcomes, webhookEvent } from "@/lib/webhook/events";

const requestId = "7301500100200300401";
const order = {
  orderId: "3723456789012345678",
  category: "服饰",
  title: "羊毛围巾 灰色",
  amountFen: 8900,
  completedAt: "2026-11-10T02:00:00Z",
  supportedKinds: ["refund_only" as const, "return_refund" as const],
  priorRefund: "none" as const,
};

function atSecond(second: number): string {
  return new Date(Date.UTC(2026, 10, 20, 2, 0, second)).toISOString();
}

function createdEvent(id: string, second: number, amountFen = 8900): RequestEvent {
  return {
    id,
    type: "request.created",
    occurredAt: atSecond(second),
    data: {
      requestId,
      kind: "refund_only",
      order,
      buyer: { id: "2200123456789", nick: "买家小王" },
      reasonCode: "7",
      evidence: ["https://img.alicdn.com/1.jpg"],
      amountFen,
      platformDeadline: "2026-11-22T10:00:00+08:00",
    },
  };
}

function cancelledEvent(id: string, second: number): RequestEvent {
  return { id, type: "request.cancelled", occurredAt: atSecond(second), data: { requestId } };
}

function updatedEvent(id: string, second: number, amountFen: number): RequestEvent {
  return { id, type: "request.updated", occurredAt: atSecond(second), data: { requestId, amountFen } };
}

function deadlineEvent(id: string, second: number, platformDeadline: string): RequestEvent {
  return { id, type: "deadline.changed", occurredAt: atSecond(second), data: { requestId, platformDeadline } };
}

function applyInOrder(events: readonly RequestEvent[]) {
  return applyRequestEvents(null, events);
}

function sortByOccurrence(events: readonly RequestEvent[]): RequestEvent[] {
  return [...events].sort(
    (a, b) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}

describe("applyRequestEvent: out-of-order pairs give the in-order result", () => {
  it.each([
    ["create then cancel", [createdEvent("evt_a", 0), cancelledEvent("evt_b", 60)]],
    ["cancel before its create", [cancelledEvent("evt_b", 60), createdEvent("evt_a", 0)]],
  ])("%s: the request is cancelled once both are in", (_label, events) => {
    const state = applyInOrder(events);
    expect(state && getRequestStatus(state)).toBe("cancelled");
    expect(state?.createdAt).toBe(atSecond(0));
    expect(state?.fields.amountFen).toBe(8900);
  });

  it("a cancel alone leaves a cancelled request that is not created yet, so no card shows", () => {
    const state = applyRequestEvent(null, cancelledEvent("evt_b", 60));
    expect(state.createdAt).toBeNull();
    expect(getRequestStatus(state)).toBe("cancelled");
  });

  it.each([
    ["update after its create", [createdEvent("evt_a", 0), updatedEvent("evt_b", 30, 5000)]],
    ["update before its create", [updatedEvent("evt_b", 30, 5000), createdEvent("evt_a", 0)]],
  ])("%s: the later amount wins", (_label, events) => {
    const state = applyInOrder(events);
    expect(state?.fields.amountFen).toBe(5000);
    expect(state?.fields.kind).toBe("refund_only");
    expect(state?.fieldStamps.amountFen).toEqual({ occurredAt: atSecond(30), eventId: "evt_b" });
  });

  it.each([
    ["update that happened earlier, arriving later", [createdEvent("evt_a", 30), updatedEvent("evt_b", 0, 5000)]],
    ["the same, arriving first", [updatedEvent("evt_b", 0, 5000), createdEvent("evt_a", 30)]],
  ])("%s: the create's later amount wins", (_label, events) => {
    expect(applyInOrder(events)?.fields.amountFen).toBe(8900);
  });

  it.each([
    ["in order", [deadlineEvent("evt_1", 10, "2026-11-21T00:00:00Z"), deadlineEvent("evt_2", 20, "2026-11-23T00:00:00Z")]],
    ["reversed", [deadlineEvent("evt_2", 20, "2026-11-23T00:00:00Z"), deadlineEvent("evt_1", 10, "2026-11-21T00:00:00Z")]],
  ])("deadline changes %s: the latest occurredAt wins", (_label, events) => {
    expect(applyInOrder(events)?.fields.platformDeadline).toBe("2026-11-23T00:00:00.000Z");
  });

  it("a later change that shortens the deadline wins over the create's deadline", () => {
    const events = [deadlineEvent("evt_b", 20, "2026-11-21T00:00:00+08:00"), createdEvent("evt_a", 0)];
    expect(applyInOrder(events)?.fields.platformDeadline).toBe("2026-11-20T16:00:00.000Z");
  });

  it.each([
    ["in id order", ["evt_a", "evt_b"]],
    ["against id order", ["evt_b", "evt_a"]],
  ])("two updates in the same millisecond, applied %s: the larger event id wins", (_label, ids) => {
    const events = ids.map((id) => updatedEvent(id, 5, id === "evt_a" ? 100 : 200));
    expect(applyInOrder(events)?.fields.amountFen).toBe(200);
  });

  it("treats the same instant in +08:00 and Z as one instant", () => {
    const inShanghai = { ...cancelledEvent("evt_b", 0), occurredAt: "2026-11-20T10:00:00+08:00" };
    const inUtc = cancelledEvent("evt_c", 0);
    expect(applyInOrder([inShanghai, inUtc])).toEqual(applyInOrder([inUtc, inShanghai]));
    expect(applyInOrder([inShanghai])?.cancelledAt).toBe("2026-11-20T02:00:00.000Z");
  });

  it.each([
    ["created then resolved", ["created", "resolved"]],
    ["resolved before created", ["resolved", "created"]],
  ])("Douyin proposal %s ends resolved with its expiry", (_label, order) => {
    const events: RequestEvent[] = order.map((step) =>
      step === "created"
        ? {
            id: "evt_p1",
            type: "proposal.created",
            occurredAt: atSecond(0),
            data: { requestId, proposalId: "p1", expiresAt: "2026-11-20T14:00:00Z" },
          }
        : {
            id: "evt_p2",
            type: "proposal.resolved",
            occurredAt: atSecond(60),
            data: { requestId, proposalId: "p1", outcome: "rejected" },
          },
    );
    expect(applyInOrder(events)?.proposals).toEqual([
      {
        proposalId: "p1",
        created: { occurredAt: atSecond(0), eventId: "evt_p1" },
        expiresAt: "2026-11-20T14:00:00.000Z",
        resolved: { occurredAt: atSecond(60), eventId: "evt_p2" },
        outcome: "rejected",
      },
    ]);
  });
});

describe("applyRequestEvent: the seller's decision", () => {
  const decided = { ...applyRequestEvent(null, createdEvent("evt_a", 0)), decision: "approve" as const };

  it.each([
    ["an update", updatedEvent("evt_b", 30, 5000)],
    ["a cancel", cancelledEvent("evt_c", 30)],
    ["a repeated create", createdEvent("evt_a", 0)],
    ["a deadline change", deadlineEvent("evt_d", 30, "2026-11-23T00:00:00Z")],
  ])("is not reopened by %s arriving afterwards", (_label, event) => {
    const state = applyRequestEvent(decided, event);
    expect(state.decision).toBe("approve");
    expect(getRequestStatus(state)).toBe("approved");
  });

  it("still records what changed, for the audit trail", () => {
    expect(applyRequestEvent(decided, updatedEvent("evt_b", 30, 5000)).fields.amountFen).toBe(5000);
  });
});

describe("applyRequestEvent refuses", () => {
  it("an event for another request", () => {
    const state = createEmptyRequestState("other");
    expect(() => applyRequestEvent(state, cancelledEvent("evt_b", 0))).toThrow(/not other/);
  });
});

describe("getRequestStatus", () => {
  it.each([
    [null, null, "pending"],
    [null, atSecond(0), "cancelled"],
    ["approve", null, "approved"],
    ["reject", atSecond(0), "rejected"],
  ] as const)("decision %s, cancelledAt %s → %s", (decision, cancelledAt, status) => {
    expect(getRequestStatus({ decision, cancelledAt })).toBe(status);
  });
});

// Few ids, few seconds and two proposals, so that ties and clashes are common
const second = fc.integer({ min: 0, max: 20 });
const spelling = fc.constantFrom("utc", "shanghai");
const proposalId = fc.constantFrom("p1", "p2");

function toOccurredAt(at: number, how: "utc" | "shanghai"): string {
  const instant = new Date(Date.UTC(2026, 10, 20, 2, 0, at));
  if (how === "utc") return instant.toISOString();
  return new Date(instant.getTime() + 8 * 3600_000).toISOString().replace("Z", "+08:00");
}

const eventBody = fc.oneof(
  fc.record({
    type: fc.constant("request.created" as const),
    data: fc.record({
      requestId: fc.constant(requestId),
      kind: fc.constantFrom(...requestKinds),
      order: fc.constant(order),
      buyer: fc.constant({ id: "2200123456789", nick: "买家小王" }),
      reasonCode: fc.constantFrom("1", "7"),
      evidence: fc.array(fc.constantFrom("https://img.alicdn.com/1.jpg", "https://img.alicdn.com/2.jpg")),
      amountFen: fc.option(fc.nat({ max: 10_000 }), { nil: undefined }),
      reasonText: fc.option(fc.constantFrom("拉链坏了", "不想要了"), { nil: undefined }),
    }),
  }),
  fc.record({ type: fc.constant("request.cancelled" as const), data: fc.record({ requestId: fc.constant(requestId) }) }),
  fc.record({
    type: fc.constant("request.updated" as const),
    data: fc.record(
      {
        requestId: fc.constant(requestId),
        kind: fc.constantFrom(...requestKinds),
        amountFen: fc.nat({ max: 10_000 }),
        reasonText: fc.constantFrom("补充说明", "颜色不对"),
      },
      { requiredKeys: ["requestId", "amountFen"] },
    ),
  }),
  fc.record({
    type: fc.constant("deadline.changed" as const),
    data: fc.record({ requestId: fc.constant(requestId), platformDeadline: second.map((at) => atSecond(at + 600)) }),
  }),
  fc.record({
    type: fc.constant("proposal.created" as const),
    data: fc.record(
      { requestId: fc.constant(requestId), proposalId, expiresAt: second.map((at) => atSecond(at + 43_200)) },
      { requiredKeys: ["requestId", "proposalId"] },
    ),
  }),
  fc.record({
    type: fc.constant("proposal.resolved" as const),
    data: fc.record({ requestId: fc.constant(requestId), proposalId, outcome: fc.constantFrom(...proposalOutcomes) }),
  }),
);

const eventList = fc
  .array(fc.tuple(eventBody, second, spelling), { minLength: 1, maxLength: 12 })
  .map((bodies) =>
    bodies.map(([body, at, how], index): RequestEvent => {
      // Round-trips through the public schema so the generator cannot drift from the contract
      const event = webhookEvent.parse({ id: `evt_${index}`, occurredAt: toOccurredAt(at, how), ...body });
      if (event.type === "order.upserted") throw new Error("not a request event");
      return event;
    }),
  );

const permutedEventList = eventList.chain((events) =>
  fc.tuple(fc.constant(events), fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length })),
);

describe("applyRequestEvent properties", () => {
  it("every permutation of an event list gives the state of the sorted order", () => {
    fc.assert(
      fc.property(permutedEventList, ([events, permuted]) => {
        expect(applyInOrder(permuted)).toEqual(applyInOrder(sortByOccurrence(events)));
      }),
      { numRuns: 500 },
    );
  });

  it("applying events twice, duplicates anywhere, equals applying them once", () => {
    const withDuplicates = eventList.chain((events) =>
      fc.tuple(
        fc.constant(events),
        fc
          .shuffledSubarray(events)
          .chain((again) => fc.shuffledSubarray([...events, ...again], { minLength: events.length + again.length })),
      ),
    );
    fc.assert(
      fc.property(withDuplicates, ([events, duplicated]) => {
        expect(applyInOrder(duplicated)).toEqual(applyInOrder(events));
      }),
      { numRuns: 500 },
    );
  });

  it("applying any event to its own result changes nothing", () => {
    fc.assert(
      fc.property(eventList, (events) => {
        const state = applyInOrder(events);
        for (const event of events) expect(applyRequestEvent(state, event)).toEqual(state);
      }),
    );
  });

  it("a decision made between events survives every later event", () => {
    fc.assert(
      fc.property(permutedEventList, fc.nat(), ([events, permuted], cut) => {
        const split = cut % (permuted.length + 1);
        const before = applyRequestEvents(null, permuted.slice(0, split)) ?? createEmptyRequestState(requestId);
        const after = applyRequestEvents({ ...before, decision: "reject" }, permuted.slice(split));
        expect(after && getRequestStatus(after)).toBe("rejected");
        expect({ ...after, decision: null }).toEqual(applyInOrder(sortByOccurrence(events)));
      }),
      { numRuns: 200 },
    );
  });
});

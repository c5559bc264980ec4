import { eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { callRoute, expectApiError, expectNothingChanged, setUpRouteDesk } from "@/app/_server/test-support";
import { shops } from "@/db/schema";

vi.mock("server-only", () => ({}));

const { PUT: putAssignment } = await import("@/app/api/shops/[id]/assignment/route");

const desk = setUpRouteDesk();
const put = (as: Parameters<typeof callRoute>[1]["as"], id: string, json: unknown) => callRoute(putAssignment, { as, method: "PUT", params: { id }, json });

describe("PUT /api/shops/:id/assignment", () => {
  it("401 without a session, 403 for an agent; the shop's settings stay", async () => {
    await expectApiError(await expectNothingChanged(desk.db, () => put(null, desk.shops.tmall, { autoAssign: true, cap: 5 })), 401, "unauthenticated");
    await expectApiError(await expectNothingChanged(desk.db, () => put(desk.agent, desk.shops.tmall, { autoAssign: true, cap: 5 })), 403, "forbidden");
  });

  it("400 invalid_id for an id that is no shop id", async () => {
    await expectApiError(await put(desk.owner, "usr_1", { autoAssign: true, cap: 5 }), 400, "invalid_id");
  });

  it.each([
    ["a cap of 0", { autoAssign: true, cap: 0 }],
    ["a cap over 50", { autoAssign: true, cap: 51 }],
    ["no switch", { cap: 5 }],
    ["an extra field", { autoAssign: true, cap: 5, agents: [] }],
  ])("422 invalid_body for %s, and nothing changes", async (_label, json) => {
    await expectApiError(await expectNothingChanged(desk.db, () => put(desk.owner, desk.shops.tmall, json)), 422, "invalid_body");
  });

  it("404 for another merchant's shop, whose settings stay", async () => {
    await expectApiError(await expectNothingChanged(desk.db, () => put(desk.owner, desk.other.shop, { autoAssign: true, cap: 5 })), 404, "not_found");
  });

  it("switches auto-assignment and sets the cap", async () => {
    const response = await put(desk.owner, desk.shops.douyin, { autoAssign: true, cap: 7 });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ autoAssign: true, cap: 7 });
    expect((await desk.db.select({ autoAssign: shops.autoAssign, cap: shops.assignCap }).from(shops).where(eq(shops.id, desk.shops.douyin)))[0]).toEqual({ autoAssign: true, cap: 7 });
  });
});

import { eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { addMember, appUrl, callRoute, expectApiError, setUpRouteDesk } from "@/app/_server/test-support";
import { sessions } from "@/db/schema";

vi.mock("server-only", () => ({}));

const { DELETE: signOutEverywhere } = await import("@/app/api/team/[userId]/sessions/route");
const { GET: authGet } = await import("@/app/api/auth/[...all]/route");

const desk = setUpRouteDesk();
const sessionCount = async (userId: string) => (await desk.db.select().from(sessions).where(eq(sessions.userId, userId))).length;
const readSession = (cookie: string) => authGet(new Request(`${appUrl}/api/auth/get-session`, { headers: { cookie } }));
const revoke = (as: Parameters<typeof callRoute>[1]["as"], userId: string) => callRoute(signOutEverywhere, { as, method: "DELETE", params: { userId } });

describe("DELETE /api/team/:userId/sessions", () => {
  it("401 without a session, 403 for an agent; the member stays signed in", async () => {
    const member = await addMember(desk.db, desk.merchantId, "agent");
    await expectApiError(await revoke(null, member.id), 401, "unauthenticated");
    await expectApiError(await revoke(desk.agent, member.id), 403, "forbidden");
    expect(await sessionCount(member.id)).toBe(1);
    expect(await (await readSession(member.cookie)).json()).toMatchObject({ user: { id: member.id } });
  });

  it("400 invalid_id, and 404 for another merchant's user, who stays signed in", async () => {
    await expectApiError(await revoke(desk.owner, "shop_1"), 400, "invalid_id");
    await expectApiError(await revoke(desk.owner, desk.other.owner.id), 404, "not_found");
    expect(await sessionCount(desk.other.owner.id)).toBe(1);
  });

  it("signs the member out of every device: their cookie no longer holds a session", async () => {
    const member = await addMember(desk.db, desk.merchantId, "agent");
    const response = await revoke(desk.owner, member.id);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ revokedSessions: 1 });
    expect(await (await readSession(member.cookie)).json()).toBeNull();
  });
});

import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { addMember, addPendingRequest, appUrl, callRoute, expectApiError, setUpRouteDesk } from "@/app/_server/test-support";
import { createShop } from "@/db/factories";
import { sessions } from "@/db/schema";

vi.mock("server-only", () => ({}));

// The session cache (docs/security.md, "Session cache"): a session better-auth verified is trusted for up to 5 s by
// its cookie. A sign-out or force sign-out through this process ends it at once; one revoked behind the process's
// back (another instance, by hand) ends within the 5 s; the user's shops and role are never cached.

const { GET: listRequests } = await import("@/app/api/requests/route");
const { DELETE: signOutEverywhere } = await import("@/app/api/team/[userId]/sessions/route");
const { POST: authPost } = await import("@/app/api/auth/[...all]/route");
const { sessionCacheMs } = await import("@/app/_server/scope");

const desk = setUpRouteDesk();
const inbox = (member: Parameters<typeof callRoute>[1]["as"]) => callRoute(listRequests, { as: member, path: "/api/requests" });

afterEach(() => {
  vi.useRealTimers();
});

describe("the session cache", () => {
  it("a session deleted behind the process's back is honoured for at most 5 s, then refused", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const member = await addMember(desk.db, desk.merchantId, "agent");
    expect((await inbox(member)).status).toBe(200);
    await desk.db.delete(sessions).where(eq(sessions.userId, member.id));
    vi.setSystemTime(Date.now() + sessionCacheMs - 1);
    expect((await inbox(member)).status).toBe(200);
    vi.setSystemTime(Date.now() + 1);
    await expectApiError(await inbox(member), 401, "unauthenticated");
  });

  it("the owner's force sign-out ends the member's cached session at once", async () => {
    const member = await addMember(desk.db, desk.merchantId, "agent");
    expect((await inbox(member)).status).toBe(200);
    const revoked = await callRoute(signOutEverywhere, { as: desk.owner, method: "DELETE", params: { userId: member.id } });
    expect(revoked.status).toBe(200);
    await expectApiError(await inbox(member), 401, "unauthenticated");
  });

  it("signing out ends the cached session at once, even if the old cookie is sent again", async () => {
    const member = await addMember(desk.db, desk.merchantId, "agent");
    expect((await inbox(member)).status).toBe(200);
    const signOut = await authPost(new Request(`${appUrl}/api/auth/sign-out`, { method: "POST", headers: { cookie: member.cookie, origin: appUrl, "content-type": "application/json" }, body: "{}" }));
    expect(signOut.status).toBe(200);
    await expectApiError(await inbox(member), 401, "unauthenticated");
  });

  it("never caches the scope: a shop added to the merchant is seen on the very next call", async () => {
    const member = await addMember(desk.db, desk.merchantId, "owner");
    expect((await inbox(member)).status).toBe(200);
    const added = await createShop(desk.db, { merchantId: desk.merchantId, platform: "taobao", name: "新开的淘宝店" });
    const { requestId } = await addPendingRequest(desk.db, added);
    const page = (await (await inbox(member)).json()) as { items: { id: string }[] };
    expect(page.items.map((item) => item.id)).toContain(requestId);
  });
});

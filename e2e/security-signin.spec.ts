import http from "node:http";
import { expect, test, type APIRequestContext } from "@playwright/test";
import e2eConfig, { e2ePort } from "../playwright.config";
import { baseURL, createAgent, logins, signInApi } from "./helpers";

// Sign-in limits, live streams and names, against the built server (scripts/serve.mjs in front of Next).

const webServer = Array.isArray(e2eConfig.webServer) ? e2eConfig.webServer[0] : e2eConfig.webServer;
const failuresPerMinute = Number(webServer?.env?.AUTH_SIGN_IN_PER_MINUTE);

/**
 * A sign-in sent from another loopback address (127.0.0.2), so this spray has a client address of its own
 * and the rest of the suite, signing in from 127.0.0.1 / ::1, keeps its own count.
 */
function signInFrom(localAddress: string, body: unknown, headers: Record<string, string>): Promise<number> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: "127.0.0.1",
        port: e2ePort,
        localAddress,
        method: "POST",
        path: "/api/auth/sign-in/email",
        headers: { origin: baseURL, "content-type": "application/json", "content-length": Buffer.byteLength(payload), ...headers },
      },
      (response) => {
        response.resume();
        response.on("end", () => resolve(response.statusCode ?? 0));
      },
    );
    request.on("error", reject);
    request.end(payload);
  });
}

test("31 failed sign-ins from one address are refused at the 31st, whatever X-Forwarded-For says", async ({ request }) => {
  expect(failuresPerMinute).toBe(30);
  const statuses: number[] = [];
  for (let attempt = 1; attempt <= failuresPerMinute + 1; attempt++) {
    // Password spraying: a new account each try, a new forged X-Forwarded-For (and a forged copy of the
    // header serve.mjs stamps) each try
    const forged = `198.51.100.${attempt}`;
    statuses.push(await signInFrom("127.0.0.2", { email: `spray-${attempt}-${Date.now()}@nowhere.demo`, password: `guess-${attempt}` }, { "x-forwarded-for": forged, "x-desk-client-ip": forged }));
  }
  expect(statuses.slice(0, failuresPerMinute)).toEqual(Array(failuresPerMinute).fill(401));
  expect(statuses[failuresPerMinute]).toBe(429);
  // The count is that address's: a sign-in from the suite's own address still goes through
  await signInApi(request, logins.wangfang);
});

test("a live stream ends within 5 s of the owner's force sign-out", async ({ playwright }) => {
  const agent = await createAgent("e2e强制下线");
  const agentContext = await playwright.request.newContext({ baseURL });
  const ownerContext = await playwright.request.newContext({ baseURL });
  await signInApi(agentContext, agent.email);
  await signInApi(ownerContext, logins.owner);
  let endedAt: number | null = null;
  // The stream answers only when the server ends it (an open stream never completes its body)
  const stream = agentContext.get("/api/stream", { timeout: 30_000 }).then((response) => {
    endedAt = Date.now();
    return response;
  });
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  expect(endedAt).toBeNull();
  const revokedAt = Date.now();
  const revoke = await ownerContext.delete(`/api/team/${agent.id}/sessions`, { headers: { origin: baseURL } });
  expect(revoke.status()).toBe(200);
  const response = await stream;
  expect(response.status()).toBe(200);
  expect(await response.text()).toContain(": connected");
  expect(endedAt! - revokedAt).toBeLessThan(5_000);
  // And the stream cannot be opened again
  expect((await agentContext.get("/api/stream")).status()).toBe(401);
  await agentContext.dispose();
  await ownerContext.dispose();
});

async function currentName(context: APIRequestContext): Promise<string> {
  const session = await (await context.get("/api/auth/get-session")).json();
  return session.user.name;
}

test("an agent cannot rename itself (to the owner's name or any other) through better-auth", async ({ playwright }) => {
  const agent = await createAgent("e2e不改名");
  const context = await playwright.request.newContext({ baseURL });
  await signInApi(context, agent.email);
  for (const data of [{ name: "陈静" }, { name: "e2e新名字" }, { role: "owner" }]) {
    const response = await context.post("/api/auth/update-user", { data, headers: { origin: baseURL } });
    expect(response.status()).toBe(403);
  }
  expect(await currentName(context)).toBe("e2e不改名");
  await context.dispose();
});

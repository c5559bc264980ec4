import { toNextJsHandler } from "better-auth/next-js";
import { capRequestBody } from "@/app/_server/read-body";
import { forgetSessions } from "@/app/_server/scope";
import { getStreamGuard } from "@/app/_server/stream-guard";
import { getAuth } from "@/db/auth";
import { bodyLimits } from "@/lib/body-limits";

export async function GET(request: Request) {
  return toNextJsHandler(getAuth()).GET(request);
}

// better-auth reads the JSON body itself: it gets a Request over the bytes read within the JSON cap
export async function POST(request: Request) {
  const capped = await capRequestBody(request, bodyLimits.json);
  if ("error" in capped) return capped.error;
  // Signing out ends this session's live streams at once (others are caught by the guard's next check)
  const isSignOut = new URL(request.url).pathname.endsWith("/sign-out");
  const ending = isSignOut ? await getAuth().api.getSession({ headers: capped.request.headers }) : null;
  const response = await toNextJsHandler(getAuth()).POST(capped.request);
  if (ending && response.ok) {
    forgetSessions([ending.session.token]);
    getStreamGuard().closeSessions([ending.session.token]);
  }
  return response;
}

import { toNextJsHandler } from "better-auth/next-js";
import { getStreamGuard } from "@/app/_server/stream-guard";
import { getAuth } from "@/db/auth";

export async function GET(request: Request) {
  return toNextJsHandler(getAuth()).GET(request);
}

export async function POST(request: Request) {
  // Signing out ends this session's live streams at once (others are caught by the guard's next check)
  const isSignOut = new URL(request.url).pathname.endsWith("/sign-out");
  const ending = isSignOut ? await getAuth().api.getSession({ headers: request.headers }) : null;
  const response = await toNextJsHandler(getAuth()).POST(request);
  if (ending && response.ok) getStreamGuard().closeSessions([ending.session.token]);
  return response;
}

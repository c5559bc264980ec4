import { getDb } from "@/db/client";
import { defaultClientDeps } from "@/app/_server/platforms/client";
import { handleDouyinPush } from "./handle-push";

// Douyin signs its pushes with the app secret instead of holding a session, so this route is outside withScope.
export async function POST(request: Request) {
  return handleDouyinPush(getDb(), request, defaultClientDeps);
}

import { getDb } from "@/db/client";
import { defaultClientDeps } from "@/app/_server/platforms/client";
import { handleWechatPush, handleWechatUrlCheck } from "./handle-push";

// WeChat signs its pushes with the shop's token instead of holding a session, so this route is outside withScope.
export async function GET(request: Request) {
  return handleWechatUrlCheck(getDb(), request);
}

export async function POST(request: Request) {
  return handleWechatPush(getDb(), request, defaultClientDeps);
}

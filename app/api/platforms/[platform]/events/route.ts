import { getDb } from "@/db/client";
import { handleWebhookPost } from "./handle-event";

// Platforms sign their requests instead of holding a session, so this route is outside withScope.
export async function POST(request: Request, { params }: { params: Promise<{ platform: string }> }) {
  const { platform } = await params;
  return handleWebhookPost(getDb(), request, platform, new Date());
}

import { toNextJsHandler } from "better-auth/next-js";
import { capRequestBody } from "@/app/_server/read-body";
import { getAuth } from "@/db/auth";
import { bodyLimits } from "@/lib/body-limits";

export async function GET(request: Request) {
  return toNextJsHandler(getAuth()).GET(request);
}

// better-auth reads the JSON body itself: it gets a Request over the bytes read within the JSON cap
export async function POST(request: Request) {
  const capped = await capRequestBody(request, bodyLimits.json);
  if ("error" in capped) return capped.error;
  return toNextJsHandler(getAuth()).POST(capped.request);
}

import { getTranslations } from "next-intl/server";
import { findOutboundIssues, toOutboundIssuesResponse, type OutboundField } from "@/app/_server/net/outbound-save";

/**
 * For a settings route: the 422 answer when any of `fields` is a URL the outbound guard would refuse (issues worded
 * in the owner's language), or null to go on and save.
 */
export async function refuseOutboundUrls(fields: readonly OutboundField[]): Promise<Response | null> {
  const issues = await findOutboundIssues(fields);
  if (issues.length === 0) return null;
  const t = await getTranslations("outboundGuard");
  return toOutboundIssuesResponse(issues, (reason) => t(reason));
}

import { useTranslations } from "next-intl";
import { cn } from "@/components/ui/cn";
import type { Platform, RequestKind, RequestStatus } from "@/lib/domain";
import { isPlatformIntervening } from "@/lib/platform-intervention";

const platformStyles: Record<Platform, string> = {
  taobao: "bg-orange-100 text-orange-800",
  tmall: "bg-red-100 text-red-800",
  douyin: "bg-slate-900 text-white",
  wechat: "bg-green-100 text-green-800",
};

export function PlatformBadge({ platform }: { platform: Platform }) {
  const t = useTranslations("platform");
  return <span className={cn("shrink-0 rounded px-1.5 py-0.5 text-xs font-semibold whitespace-nowrap", platformStyles[platform])}>{t(platform)}</span>;
}

/** 平台介入中: the platform is ruling on this request (docs/domain/kinds.md); a settled or absent intervention shows nothing. */
export function InterventionBadge({ state }: { state: string | null | undefined }) {
  const t = useTranslations("platformIntervention");
  if (!isPlatformIntervening(state)) return null;
  return (
    <span className="shrink-0 rounded bg-purple-100 px-1.5 py-0.5 text-xs font-semibold whitespace-nowrap text-purple-900" title={t("title")} data-testid="intervention-badge">
      {t("badge")}
    </span>
  );
}

const kindStyles: Record<RequestKind, string> = {
  refund_only: "bg-sky-50 text-sky-800 ring-sky-200",
  return_refund: "bg-indigo-50 text-indigo-800 ring-indigo-200",
  exchange: "bg-violet-50 text-violet-800 ring-violet-200",
  repair: "bg-teal-50 text-teal-800 ring-teal-200",
  entry_reopen: "bg-amber-50 text-amber-800 ring-amber-200",
};

export function KindBadge({ kind }: { kind: RequestKind }) {
  const t = useTranslations("kind");
  return <span className={cn("shrink-0 rounded px-1.5 py-0.5 text-xs font-medium whitespace-nowrap ring-1 ring-inset", kindStyles[kind])}>{t(kind)}</span>;
}

const statusStyles: Record<RequestStatus, string> = {
  pending: "text-amber-700",
  approved: "text-emerald-700",
  rejected: "text-rose-700",
  cancelled: "text-slate-500",
};

export function StatusText({ status }: { status: RequestStatus }) {
  const t = useTranslations("status");
  return <span className={cn("text-sm font-medium", statusStyles[status])}>{t(status)}</span>;
}

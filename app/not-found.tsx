import Link from "next/link";
import { getTranslations } from "next-intl/server";

export default async function NotFound() {
  const t = await getTranslations("errors");
  return (
    <main className="mx-auto mt-24 max-w-md rounded-lg bg-white p-8 text-center shadow-sm ring-1 ring-slate-200">
      <h1 className="text-lg font-semibold">{t("notFound")}</h1>
      <p className="mt-2 text-sm text-slate-600">{t("notFoundHint")}</p>
      <Link href="/inbox" className="mt-6 inline-block text-sm font-medium text-emerald-700 hover:underline">
        {t("home")}
      </Link>
    </main>
  );
}

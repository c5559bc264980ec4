import { getTranslations } from "next-intl/server";

export default async function FreightLoading() {
  const t = await getTranslations("freight");
  return (
    <p role="status" aria-busy="true" className="rounded-lg bg-white p-6 text-center text-slate-500 ring-1 ring-slate-200">
      {t("loading")}
    </p>
  );
}

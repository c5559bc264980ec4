import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { getSessionScope } from "@/app/_server/scope";
import { LocaleSwitch } from "@/components/locale-switch";
import { LoginForm } from "@/components/login-form";

export default async function LoginPage() {
  if (await getSessionScope()) redirect("/inbox");
  const t = await getTranslations();
  return (
    <main className="flex min-h-screen flex-col items-center justify-center px-4">
      <div className="w-full max-w-sm rounded-xl bg-white p-8 shadow-sm ring-1 ring-slate-200">
        <p className="text-sm font-semibold tracking-wide text-emerald-700">{t("app.name")}</p>
        <h1 className="mt-1 text-xl font-semibold">{t("login.title")}</h1>
        <p className="mt-1 mb-6 text-sm text-slate-500">{t("app.tagline")}</p>
        <LoginForm />
        <p className="mt-6 text-center text-xs text-slate-500">{t("login.demoHint")}</p>
      </div>
      <div className="mt-4">
        <LocaleSwitch />
      </div>
    </main>
  );
}

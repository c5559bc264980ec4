"use client";

import { useFormatter, useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState, useTransition, type FormEvent } from "react";
import { toast } from "sonner";
import { PlatformBadge } from "@/components/inbox/badges";
import { NewSecretDialog } from "@/components/settings/new-secret-dialog";
import { settingsApi } from "@/components/settings/settings-api";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent } from "@/components/ui/dialog";
import type { ShopConnection } from "@/lib/webhook/settings-types";
import { classifyRequestError } from "@/lib/request-error";

const dateTime = { dateStyle: "short", timeStyle: "medium" } as const;

export function ConnectionCard({ connection }: { connection: ShopConnection }) {
  const t = useTranslations("webhooks");
  const tSecrets = useTranslations("secrets");
  const tError = useTranslations("ownerPages.requestError");
  const format = useFormatter();
  const router = useRouter();
  // The new secret from the rotation's answer: shown once in a dialog, never again (the list answers it masked)
  const [newSecret, setNewSecret] = useState<string | null>(null);
  const [isRotateOpen, setRotateOpen] = useState(false);
  const [endpoint, setEndpoint] = useState(connection.endpointUrl ?? "");
  const [isPending, startTransition] = useTransition();
  const titleId = `connection-${connection.shopId}`;

  function run(action: () => Promise<unknown>, success: string) {
    startTransition(async () => {
      try {
        await action();
        toast.success(success);
        router.refresh();
      } catch (error) {
        toast.error(t("failed", { message: tError(classifyRequestError(error)) }));
      }
    });
  }

  function rotateSecret() {
    startTransition(async () => {
      try {
        const rotated = await settingsApi.rotateSecret(connection.shopId);
        setNewSecret(rotated.secret);
        toast.success(t("rotated"));
        router.refresh();
      } catch (error) {
        toast.error(t("failed", { message: tError(classifyRequestError(error)) }));
      }
    });
  }

  function saveEndpoint(event: FormEvent) {
    event.preventDefault();
    run(() => settingsApi.setEndpoint(connection.shopId, endpoint.trim()), t("saved"));
  }

  return (
    <article aria-labelledby={titleId} className="space-y-3 rounded-lg bg-white p-4 ring-1 ring-slate-200">
      <h2 id={titleId} className="flex items-center gap-2 font-semibold">
        <PlatformBadge platform={connection.platform} />
        {connection.shopName}
      </h2>
      <dl className="grid grid-cols-1 gap-x-4 gap-y-2 text-sm sm:grid-cols-[10rem_minmax(0,1fr)]">
        <dt className="text-slate-600">{t("shopId")}</dt>
        <dd>
          <code className="rounded bg-slate-100 px-1.5 py-0.5">{connection.shopId}</code>
        </dd>
        <dt className="text-slate-600">{t("inboundUrl")}</dt>
        <dd>
          <code className="rounded bg-slate-100 px-1.5 py-0.5 break-all">POST /api/platforms/{connection.platform}/events</code>
        </dd>
        <dt className="text-slate-600">{t("secret")}</dt>
        <dd className="space-y-1">
          {connection.maskedSecret ? (
            <div className="space-y-0.5">
              <code className="rounded bg-slate-100 px-1.5 py-0.5 break-all" data-testid="webhook-secret">
                {connection.maskedSecret}
              </code>
              <p className="text-xs text-slate-500">{tSecrets("maskedHint")}</p>
            </div>
          ) : (
            <p className="text-amber-700">{t("noSecret")}</p>
          )}
          {connection.previousSecretsValidUntil.map((until) => (
            <p key={until} className="text-xs text-slate-500">
              {t("previousValid", { until: format.dateTime(new Date(until), dateTime) })}
            </p>
          ))}
          <Button size="sm" variant="danger" onClick={() => setRotateOpen(true)} disabled={isPending}>
            {t("rotate")}
          </Button>
        </dd>
      </dl>
      <form onSubmit={saveEndpoint} className="flex flex-wrap items-end gap-2 text-sm">
        <label className="flex min-w-64 flex-1 flex-col gap-1">
          <span className="text-slate-600">{t("endpoint")}</span>
          <input
            type="url"
            required
            value={endpoint}
            onChange={(event) => setEndpoint(event.target.value)}
            placeholder={t("endpointPlaceholder")}
            className="h-9 rounded-md border border-slate-300 px-2"
          />
        </label>
        <Button type="submit" variant="primary" disabled={isPending}>
          {t("save")}
        </Button>
      </form>
      <Dialog open={isRotateOpen} onOpenChange={setRotateOpen}>
        {isRotateOpen ? (
          <DialogContent title={t("rotateTitle", { shop: connection.shopName })} description={t("rotateBody")} closeLabel={t("close")}>
            <div className="flex justify-end gap-2">
              <DialogClose asChild>
                <Button>{t("cancel")}</Button>
              </DialogClose>
              <Button
                variant="dangerSolid"
                disabled={isPending}
                onClick={() => {
                  setRotateOpen(false);
                  rotateSecret();
                }}
              >
                {t("rotateConfirm")}
              </Button>
            </div>
          </DialogContent>
        ) : null}
      </Dialog>
      <NewSecretDialog shopName={connection.shopName} secret={newSecret} onClose={() => setNewSecret(null)} />
    </article>
  );
}

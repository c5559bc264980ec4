"use client";

import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useId, useState, useTransition, type FormEvent } from "react";
import { toast } from "sonner";
import { PlatformBadge } from "@/components/inbox/badges";
import { ApiError, requestJson } from "@/components/request-json";
import { ConnectionHealth } from "@/components/settings/connection-health";
import { Button } from "@/components/ui/button";
import type { Platform } from "@/lib/domain";
import { defaultApiBaseUrls, getProtocolForPlatform, pushPaths, type PlatformAppView } from "@/lib/platforms/connection";
import type { Protocol } from "@/lib/platforms/types";
import { classifyRequestError } from "@/lib/request-error";

// One shop's platform app (docs/platforms/README.md): the credentials its adapter needs. Secrets are write-only: the stored one
// shows masked, and a secret field left blank keeps it.

type TokenFieldName = "refreshToken" | "accessTokenExpiresAt" | "refreshTokenExpiresAt";
type FieldName = "appKey" | "appId" | "appSecret" | "platformShopId" | "accessToken" | "token" | "encodingAesKey" | "tmcGroup" | "tmcUrl" | "returnAddressId" | "apiBaseUrl" | TokenFieldName;
type LabelKey = Exclude<FieldName, TokenFieldName> | "douyinShopId" | "sellerNick" | "sessionKey";
type Field = { name: FieldName; label?: LabelKey; isSecret?: boolean; isOptional?: boolean; isExpiry?: boolean; stored?: keyof PlatformAppView["secrets"] };

// Token upkeep (docs/platforms/tokens.md): the refresh token and the expiries the upkeep refreshes by; labels in connectionHealth
const tokenFieldNames: readonly FieldName[] = ["refreshToken", "accessTokenExpiresAt", "refreshTokenExpiresAt"];
const refreshTokenField: Field = { name: "refreshToken", isSecret: true, isOptional: true, stored: "refreshToken" };
const expiryField = (name: "accessTokenExpiresAt" | "refreshTokenExpiresAt"): Field => ({ name, isOptional: true, isExpiry: true });

const fieldsByProtocol: Record<Protocol, Field[]> = {
  douyin_push: [
    { name: "appKey" },
    { name: "appSecret", isSecret: true, stored: "appSecret" },
    { name: "platformShopId", label: "douyinShopId" },
    { name: "accessToken", isSecret: true, isOptional: true, stored: "accessToken" },
    expiryField("accessTokenExpiresAt"),
    refreshTokenField,
    expiryField("refreshTokenExpiresAt"),
    { name: "returnAddressId", isOptional: true },
    { name: "apiBaseUrl", isOptional: true },
  ],
  taobao_tmc: [
    { name: "appKey" },
    { name: "appSecret", isSecret: true, stored: "appSecret" },
    { name: "platformShopId", label: "sellerNick" },
    { name: "accessToken", label: "sessionKey", isSecret: true, isOptional: true, stored: "accessToken" },
    expiryField("accessTokenExpiresAt"),
    refreshTokenField,
    expiryField("refreshTokenExpiresAt"),
    { name: "tmcGroup", isOptional: true },
    { name: "tmcUrl", isOptional: true },
    { name: "returnAddressId", isOptional: true },
    { name: "apiBaseUrl", isOptional: true },
  ],
  wechat_ec: [
    { name: "appId" },
    { name: "appSecret", isSecret: true, stored: "appSecret" },
    { name: "token", isSecret: true, stored: "wechatToken" },
    { name: "encodingAesKey", isSecret: true, stored: "wechatAesKey" },
    { name: "accessToken", isSecret: true, isOptional: true, stored: "accessToken" },
    expiryField("accessTokenExpiresAt"),
    { name: "returnAddressId", isOptional: true },
    { name: "apiBaseUrl", isOptional: true },
  ],
};

const fieldNames: Record<FieldName, true> = {
  appKey: true,
  appId: true,
  appSecret: true,
  platformShopId: true,
  accessToken: true,
  token: true,
  encodingAesKey: true,
  tmcGroup: true,
  tmcUrl: true,
  returnAddressId: true,
  apiBaseUrl: true,
  refreshToken: true,
  accessTokenExpiresAt: true,
  refreshTokenExpiresAt: true,
};

function getInitialValues(app: PlatformAppView | null): Record<FieldName, string> {
  return {
    appKey: app?.appKey ?? "",
    appId: app?.appKey ?? "",
    platformShopId: app?.platformShopId ?? "",
    tmcGroup: app?.tmcGroup ?? "",
    tmcUrl: app?.tmcUrl ?? "",
    returnAddressId: app?.returnAddressId ?? "",
    apiBaseUrl: app?.apiBaseUrl ?? "",
    appSecret: "",
    accessToken: "",
    token: "",
    encodingAesKey: "",
    refreshToken: "",
    accessTokenExpiresAt: "",
    refreshTokenExpiresAt: "",
  };
}

async function putPlatformApp(shopId: string, body: Record<string, unknown>): Promise<PlatformAppView> {
  const answer = await requestJson<{ app: PlatformAppView }>(`/api/settings/shops/${shopId}/platform-app`, { method: "PUT", json: body });
  return answer.app;
}

/** The field a refused save names (the route's check answers invalid_body with the field as the issue's path), if any. */
function getRefusedFieldName(caught: unknown): FieldName | null {
  if (!(caught instanceof ApiError) || caught.code !== "invalid_body" || !Array.isArray(caught.detail.issues)) return null;
  const path = (caught.detail.issues[0] as { path?: unknown } | undefined)?.path;
  return typeof path === "string" && Object.hasOwn(fieldNames, path) ? (path as FieldName) : null;
}

export function PlatformAppCard({ shop, app: initialApp }: { shop: { id: string; name: string; platform: Platform }; app: PlatformAppView | null }) {
  const t = useTranslations("platformConnect");
  const tHealth = useTranslations("connectionHealth");
  const tError = useTranslations("ownerPages.requestError");
  const router = useRouter();
  const protocol = getProtocolForPlatform(shop.platform);
  const [app, setApp] = useState(initialApp);
  const [values, setValues] = useState(() => getInitialValues(initialApp));
  const [isConsumerEnabled, setConsumerEnabled] = useState(initialApp?.consumerEnabled ?? false);
  const [error, setError] = useState<string | null>(null);
  const [isPending, startTransition] = useTransition();
  const idPrefix = useId();
  const titleId = `${idPrefix}-title`;
  const pushPath = pushPaths[protocol];
  const isFailing = app?.health.isFailing ?? false;

  function getFieldLabel(field: Field): string {
    return tokenFieldNames.includes(field.name) ? tHealth(`field.${field.name as TokenFieldName}`) : t(`field.${field.label ?? (field.name as LabelKey)}`);
  }

  function save(event: FormEvent) {
    event.preventDefault();
    const fields = Object.fromEntries(fieldsByProtocol[protocol].map((field) => [field.name, values[field.name]]));
    startTransition(async () => {
      try {
        const saved = await putPlatformApp(shop.id, { protocol, ...fields, ...(protocol === "taobao_tmc" ? { consumerEnabled: isConsumerEnabled } : {}) });
        setApp(saved);
        setValues(getInitialValues(saved));
        setError(null);
        toast.success(t("saved", { shop: shop.name }));
        router.refresh();
      } catch (caught) {
        // A refused field is named by its label on this card; anything else is said by what kind of failure it was
        const refused = getRefusedFieldName(caught);
        const field = refused ? fieldsByProtocol[protocol].find((candidate) => candidate.name === refused) : undefined;
        const message = field ? t("fieldRefused", { field: getFieldLabel(field) }) : tError(classifyRequestError(caught));
        setError(message);
        toast.error(t("failed", { message }));
      }
    });
  }

  return (
    <article
      aria-labelledby={titleId}
      className={isFailing ? "space-y-3 rounded-lg bg-white p-4 ring-2 ring-rose-400" : "space-y-3 rounded-lg bg-white p-4 ring-1 ring-slate-200"}
      data-testid={`platform-app-${shop.id}`}
    >
      <h3 id={titleId} className="flex flex-wrap items-center gap-2 font-semibold">
        <PlatformBadge platform={shop.platform} />
        {shop.name}
        <span className={app ? "text-xs font-medium text-emerald-700" : "text-xs font-medium text-slate-500"}>{app ? t("connected") : t("notConnected")}</span>
        {isFailing ? <span className="rounded bg-rose-600 px-1.5 py-0.5 text-xs font-medium text-white">{tHealth("failing")}</span> : null}
      </h3>
      {app ? (
        <ConnectionHealth
          shop={shop}
          health={app.health}
          onRefreshed={(refreshed) => {
            setApp(refreshed);
            router.refresh();
          }}
        />
      ) : null}
      <p className="text-sm text-slate-600">
        {t(`how.${protocol}`)}
        {pushPath ? (
          <>
            {" "}
            <code className="rounded bg-slate-100 px-1.5 py-0.5 break-all">{pushPath}</code>
          </>
        ) : null}
      </p>
      <form onSubmit={save} className="grid grid-cols-1 gap-3 text-sm sm:grid-cols-2" noValidate>
        {fieldsByProtocol[protocol].map((field) => {
          const stored = field.stored ? app?.secrets[field.stored] : null;
          const hasStoredExpiry = field.isExpiry && Boolean(field.name === "accessTokenExpiresAt" ? app?.health.accessTokenExpiresAt : app?.health.refreshTokenExpiresAt);
          const inputId = `${idPrefix}-${field.name}`;
          return (
            <div key={field.name} className="flex flex-col gap-1">
              <label htmlFor={inputId} className="text-slate-700">
                {getFieldLabel(field)}
                {field.isOptional ? <span className="text-slate-500"> {t("optional")}</span> : null}
              </label>
              <input
                id={inputId}
                name={field.name}
                type={field.isSecret ? "password" : field.isExpiry ? "datetime-local" : "text"}
                autoComplete="off"
                value={values[field.name]}
                onChange={(event) => setValues((current) => ({ ...current, [field.name]: event.target.value }))}
                placeholder={stored ? t("keepSecret") : field.name === "apiBaseUrl" ? defaultApiBaseUrls[protocol] : field.name === "tmcGroup" ? "default" : ""}
                aria-describedby={stored ? `${inputId}-stored` : hasStoredExpiry ? `${inputId}-kept` : undefined}
                className="h-9 rounded-md border border-slate-300 px-2"
              />
              {stored ? (
                <span id={`${inputId}-stored`} className="text-xs text-slate-600" data-testid={`stored-${field.name}`}>
                  {t("stored", { masked: stored })}
                </span>
              ) : null}
              {hasStoredExpiry ? (
                <span id={`${inputId}-kept`} className="text-xs text-slate-600">
                  {tHealth("expiryKept")}
                </span>
              ) : null}
            </div>
          );
        })}
        {protocol === "taobao_tmc" ? (
          <label className="flex items-center gap-2 text-slate-700 sm:col-span-2">
            <input type="checkbox" checked={isConsumerEnabled} onChange={(event) => setConsumerEnabled(event.target.checked)} />
            {t("consumerEnabled")}
          </label>
        ) : null}
        {error ? (
          <p role="alert" className="text-rose-700 sm:col-span-2">
            {error}
          </p>
        ) : null}
        <div className="sm:col-span-2">
          <Button type="submit" variant="primary" disabled={isPending}>
            {t("save")}
          </Button>
        </div>
      </form>
    </article>
  );
}

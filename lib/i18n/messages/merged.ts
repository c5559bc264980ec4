import enCommon from "@/lib/i18n/messages/en/common.json";
import enConnections from "@/lib/i18n/messages/en/connections.json";
import enDesk from "@/lib/i18n/messages/en/desk.json";
import enFreight from "@/lib/i18n/messages/en/freight.json";
import enMetrics from "@/lib/i18n/messages/en/metrics.json";
import enOwner from "@/lib/i18n/messages/en/owner.json";
import enRules from "@/lib/i18n/messages/en/rules.json";
import zhCNCommon from "@/lib/i18n/messages/zh-CN/common.json";
import zhCNConnections from "@/lib/i18n/messages/zh-CN/connections.json";
import zhCNDesk from "@/lib/i18n/messages/zh-CN/desk.json";
import zhCNFreight from "@/lib/i18n/messages/zh-CN/freight.json";
import zhCNMetrics from "@/lib/i18n/messages/zh-CN/metrics.json";
import zhCNOwner from "@/lib/i18n/messages/zh-CN/owner.json";
import zhCNRules from "@/lib/i18n/messages/zh-CN/rules.json";
import type { Locale } from "@/lib/i18n/locales";

// Every word the desk shows, one file per part of the desk under messages/<locale>/, each top-level namespace in one
// file (common: shared names; desk: the inbox and its cards; owner: the owner pages' frame, orders and team;
// connections: platform connections, webhooks and their guards). The request config (app/_i18n/request.ts) and the
// tests read the merged result; merged.test.ts keeps the two locales' keys the same and no namespace in two files.

export const zhCNMessages = { ...zhCNCommon, ...zhCNDesk, ...zhCNOwner, ...zhCNFreight, ...zhCNMetrics, ...zhCNRules, ...zhCNConnections };
export const enMessages = { ...enCommon, ...enDesk, ...enOwner, ...enFreight, ...enMetrics, ...enRules, ...enConnections };

export const messagesByLocale: Record<Locale, typeof zhCNMessages> = { "zh-CN": zhCNMessages, en: enMessages };

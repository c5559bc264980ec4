import { describe, expect, it } from "vitest";
import { isLeavingLink, type LinkClick } from "@/components/rules/leave-guard";

const current = new URL("https://desk.example.cn/rules?shop=shop_1");
const plain: LinkClick = { button: 0, metaKey: false, ctrlKey: false, shiftKey: false, altKey: false, defaultPrevented: false };
const link = (href: string, extra: { target?: string | null; hasDownload?: boolean } = {}) => ({ href, target: extra.target ?? null, hasDownload: extra.hasDownload ?? false });

describe("isLeavingLink", () => {
  it.each([
    ["another page of the desk", plain, link("/metrics"), true],
    ["the same page for another shop", plain, link("/rules?shop=shop_2"), true],
    ["another site", plain, link("https://open.taobao.com/"), true],
    ["the same page", plain, link("/rules?shop=shop_1"), false],
    ["an anchor on the same page", plain, link("/rules?shop=shop_1#backtest"), false],
    ["a new tab (ctrl)", { ...plain, ctrlKey: true }, link("/metrics"), false],
    ["a new tab (cmd)", { ...plain, metaKey: true }, link("/metrics"), false],
    ["a new window (shift)", { ...plain, shiftKey: true }, link("/metrics"), false],
    ["the middle button", { ...plain, button: 1 }, link("/metrics"), false],
    ["target=_blank", plain, link("/metrics", { target: "_blank" }), false],
    ["target=_self", plain, link("/metrics", { target: "_self" }), true],
    ["a download", plain, link("/api/metrics/export?table=day", { hasDownload: true }), false],
    ["a click another handler already took", { ...plain, defaultPrevented: true }, link("/metrics"), false],
  ] as const)("%s → %s", (_label, click, target, expected) => {
    expect(isLeavingLink(click, target, current)).toBe(expected);
  });
});

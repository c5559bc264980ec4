// @vitest-environment happy-dom
import { cleanup, render, screen } from "@testing-library/react";
import { NextIntlClientProvider } from "next-intl";
import { afterEach, describe, expect, it } from "vitest";
import { CardOrderFacts } from "@/components/inbox/card-order-facts";
import type { RequestCard } from "@/lib/api-types";
import { enMessages as en, zhCNMessages as zh } from "@/lib/i18n/messages/merged";

// What a card cannot know about its order is said on the card (docs/platforms/order-facts.md): a category the
// platform named but we could not map is shown verbatim as 类目未识别, and each fact the platform did not tell is named.

const cardWith = (order: Partial<RequestCard["order"]>) => ({ order: { category: "apparel", unknownFacts: [], ...order } }) as unknown as RequestCard;

function renderFacts(card: RequestCard, locale: "zh-CN" | "en" = "zh-CN") {
  return render(
    <NextIntlClientProvider locale={locale} messages={locale === "en" ? en : zh} timeZone="Asia/Shanghai">
      <CardOrderFacts card={card} />
    </NextIntlClientProvider>,
  );
}

afterEach(cleanup);

describe("CardOrderFacts", () => {
  it("says nothing when the category is ours and every fact is known", () => {
    renderFacts(cardWith({}));
    expect(screen.queryByTestId("order-facts-unknown")).toBeNull();
  });

  it("shows an unmapped platform category verbatim as 类目未识别, never as 其他", () => {
    renderFacts(cardWith({ category: "宠物用品/猫砂" }));
    expect(screen.getByTestId("order-facts-unknown").textContent).toBe("类目未识别：宠物用品/猫砂");
  });

  it("names each fact the platform did not tell, in the agent's language", () => {
    renderFacts(cardWith({ unknownFacts: ["shipped", "prior_refund"] }));
    expect(screen.getByTestId("order-facts-unknown").textContent).toBe("平台未告知：发货时间、此前售后");
    cleanup();
    renderFacts(cardWith({ unknownFacts: ["received"] }), "en");
    expect(screen.getByTestId("order-facts-unknown").textContent).not.toMatch(/[\u4e00-\u9fff]/);
  });

  it("treats a category the platform could not be asked about as unknown even when it carries one of ours", () => {
    renderFacts(cardWith({ category: "other", unknownFacts: ["category", "completed"] }));
    const text = screen.getByTestId("order-facts-unknown").textContent;
    expect(text).toContain("类目未识别");
    expect(text).not.toContain("other");
    expect(text).toContain("平台未告知：交易成功时间");
    expect(text).not.toContain("类目、");
  });
});

import { describe, expect, it } from "vitest";
import { isProductCategory, productCategories, productCategoryLabels } from "@/lib/policy/categories";

describe("productCategoryLabels", () => {
  it.each(productCategories.map((category) => [category]))("%s has a zh and an en label", (category) => {
    const label = productCategoryLabels[category];
    expect(label.zh.length).toBeGreaterThan(0);
    expect(label.en.length).toBeGreaterThan(0);
  });

  it("labels the Douyin exclusions as the platform names them (seeds/003)", () => {
    expect([
      productCategoryLabels.fresh_food.zh,
      productCategoryLabels.flowers_gardening.zh,
      productCategoryLabels.live_pets.zh,
    ]).toEqual(["生鲜", "鲜花园艺", "宠物活体"]);
  });
});

describe("isProductCategory", () => {
  it.each([
    ["3c_digital", true],
    ["live_pets", true],
    ["other", true],
    ["3C_digital", false],
    ["生鲜", false],
    ["", false],
  ] as const)("%j → %s", (value, expected) => {
    expect(isProductCategory(value)).toBe(expected);
  });
});

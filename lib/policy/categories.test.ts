import { describe, expect, it } from "vitest";
import { mapCategoryName, normalizeCategory } from "@/lib/policy/categories";

describe("category names", () => {
  it.each([
    ["fresh_food", "fresh_food"],
    ["生鲜", "fresh_food"],
    [" 水果 ", "fresh_food"],
    ["蔬菜", "fresh_food"],
    ["水产肉类/新鲜蔬果/熟食", "fresh_food"],
    ["女装/女士精品", "apparel"],
    ["手机", "3c_digital"],
    ["鲜花速递/花卉仿真/绿植园艺", "flowers_gardening"],
    ["珠宝饰品", "jewellery"],
  ])("%s → %s", (name, code) => {
    expect(mapCategoryName(name)).toBe(code);
    expect(normalizeCategory(name)).toBe(code);
  });

  it("keeps an unknown name verbatim (shown as 类目未识别), never 'other'", () => {
    expect(mapCategoryName("汽车用品")).toBeNull();
    expect(normalizeCategory(" 汽车用品 ")).toBe("汽车用品");
    expect(normalizeCategory("50008090")).toBe("50008090");
  });
});

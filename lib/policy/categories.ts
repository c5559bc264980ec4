// Product categories as stable identifiers; the rules key on them (long periods, late-showing goods,
// Douyin exclusions), so they never change once stored. "other" catches anything unmapped. Their display names
// are in the messages files (`category.<code>`); `categoryAliases` below is input, the names platforms send.

export const productCategories = [
  "apparel",
  "3c_digital",
  "home_appliance",
  "fresh_food",
  "flowers_gardening",
  "live_pets",
  "food",
  "beauty",
  "home_textile",
  "jewellery",
  "other",
] as const;
export type ProductCategory = (typeof productCategories)[number];

export function isProductCategory(value: string): value is ProductCategory {
  return (productCategories as readonly string[]).includes(value);
}

/**
 * Chinese category names as sellers and platforms write them → our codes (docs/platforms/order-facts.md). Matched
 * whole, after trimming; a platform's full path ("水产肉类/新鲜蔬果/熟食") is matched part by part.
 */
export const categoryAliases: Record<string, ProductCategory> = {
  生鲜: "fresh_food",
  水果: "fresh_food",
  蔬菜: "fresh_food",
  新鲜水果: "fresh_food",
  新鲜蔬菜: "fresh_food",
  新鲜蔬果: "fresh_food",
  生鲜水果: "fresh_food",
  水产: "fresh_food",
  海鲜: "fresh_food",
  水产肉类: "fresh_food",
  肉类: "fresh_food",
  肉禽蛋: "fresh_food",
  服饰: "apparel",
  服装: "apparel",
  女装: "apparel",
  男装: "apparel",
  童装: "apparel",
  鞋靴: "apparel",
  内衣: "apparel",
  "3C数码": "3c_digital",
  数码: "3c_digital",
  手机: "3c_digital",
  电脑: "3c_digital",
  笔记本电脑: "3c_digital",
  平板电脑: "3c_digital",
  家电: "home_appliance",
  生活家电: "home_appliance",
  大家电: "home_appliance",
  厨房电器: "home_appliance",
  鲜花: "flowers_gardening",
  鲜花园艺: "flowers_gardening",
  绿植: "flowers_gardening",
  园艺: "flowers_gardening",
  花卉: "flowers_gardening",
  鲜花速递: "flowers_gardening",
  宠物活体: "live_pets",
  活体宠物: "live_pets",
  食品: "food",
  零食: "food",
  休闲食品: "food",
  粮油米面: "food",
  美妆: "beauty",
  彩妆: "beauty",
  护肤: "beauty",
  美容护肤: "beauty",
  家纺: "home_textile",
  床上用品: "home_textile",
  珠宝: "jewellery",
  饰品: "jewellery",
  珠宝饰品: "jewellery",
  黄金: "jewellery",
};

/** Our code, a Chinese alias, or a path whose most specific known part names one; null when nothing matches. */
export function mapCategoryName(text: string): ProductCategory | null {
  const trimmed = text.trim();
  if (isProductCategory(trimmed)) return trimmed;
  const whole = categoryAliases[trimmed];
  if (whole) return whole;
  const parts = trimmed.split(/[/>|,，、\s]+/).filter(Boolean);
  for (const part of parts.reverse()) {
    const mapped = categoryAliases[part];
    if (mapped) return mapped;
  }
  return null;
}

/** What an order stores: the code when the name maps to one, else the text verbatim (shown as 类目未识别). */
export function normalizeCategory(text: string): string {
  return mapCategoryName(text) ?? text.trim();
}

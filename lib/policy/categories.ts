// Product categories as stable identifiers; the rules key on them (long periods, late-showing goods,
// Douyin exclusions), so they never change once stored. "other" catches anything unmapped.

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

export const productCategoryLabels: Record<ProductCategory, { zh: string; en: string }> = {
  apparel: { zh: "服饰", en: "Apparel" },
  "3c_digital": { zh: "3C数码", en: "3C digital" },
  home_appliance: { zh: "生活家电", en: "Home appliances" },
  fresh_food: { zh: "生鲜", en: "Fresh food" },
  flowers_gardening: { zh: "鲜花园艺", en: "Flowers & gardening" },
  live_pets: { zh: "宠物活体", en: "Live pets" },
  food: { zh: "食品", en: "Food" },
  beauty: { zh: "美妆", en: "Beauty" },
  home_textile: { zh: "家纺", en: "Home textiles" },
  jewellery: { zh: "珠宝饰品", en: "Jewellery" },
  other: { zh: "其他", en: "Other" },
};

export function isProductCategory(value: string): value is ProductCategory {
  return (productCategories as readonly string[]).includes(value);
}

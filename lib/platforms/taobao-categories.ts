import { mapCategoryName, type ProductCategory } from "@/lib/policy/categories";

// Taobao/Tmall category ids → our categories (docs/platforms/taobao.md "Category"). taobao.itemcats.get names a
// category and its parent_cid; the desk walks up to the top-level category (parent_cid 0) and maps it here first,
// then by name (lib/policy/categories.ts), and otherwise keeps Taobao's own path verbatim.

/**
 * Top-level cids (parent_cid = 0) whose meaning is one of ours. The ids and names are as public listings of
 * taobao.itemcats.get(parent_cid=0) show them (two independent listings agree; see the doc page, marked unverified).
 * Categories that are not ours (e.g. 29 宠物/宠物食品及用品 is supplies, not live pets) are left out on purpose.
 */
export const taobaoTopCategories: Record<string, { name: string; category: ProductCategory }> = {
  "16": { name: "女装/女士精品", category: "apparel" },
  "30": { name: "男装", category: "apparel" },
  "1625": { name: "女士内衣/男士内衣/家居服", category: "apparel" },
  "50006843": { name: "女鞋", category: "apparel" },
  "50011740": { name: "流行男鞋", category: "apparel" },
  "50008165": { name: "童装/婴儿装/亲子装", category: "apparel" },
  "1512": { name: "手机", category: "3c_digital" },
  "1101": { name: "笔记本电脑", category: "3c_digital" },
  "50019780": { name: "平板电脑/MID", category: "3c_digital" },
  "14": { name: "数码相机/单反相机/摄像机", category: "3c_digital" },
  "11": { name: "电脑硬件/显示器/电脑周边", category: "3c_digital" },
  "50008090": { name: "3C数码配件", category: "3c_digital" },
  "50022703": { name: "大家电", category: "home_appliance" },
  "50012100": { name: "生活电器", category: "home_appliance" },
  "50012082": { name: "厨房电器", category: "home_appliance" },
  "50050359": { name: "水产肉类/新鲜蔬果/熟食", category: "fresh_food" },
  "50007216": { name: "鲜花速递/花卉仿真/绿植园艺", category: "flowers_gardening" },
  "50002766": { name: "零食/坚果/特产", category: "food" },
  "50016422": { name: "粮油米面/南北干货/调味品", category: "food" },
  "50010788": { name: "彩妆/香水/美妆工具", category: "beauty" },
  "1801": { name: "美容护肤/美体/精油", category: "beauty" },
  "50008163": { name: "床上用品", category: "home_textile" },
  "50011397": { name: "珠宝/钻石/翡翠/黄金", category: "jewellery" },
  "50013864": { name: "饰品/流行首饰/时尚饰品新", category: "jewellery" },
};

/** One level of a category path as taobao.itemcats.get returns it. */
export type TaobaoCategoryNode = { cid: string; name: string | null; parentCid: string | null };

/**
 * The category to store for an order's cid, given its path from the leaf up (as far as it could be read):
 * the top-level cid's mapping, else the names (most specific first) through mapCategoryName, else Taobao's own
 * path "顶级>…>叶子" verbatim, else the bare cid. Never "other" for something unrecognised.
 */
export function resolveTaobaoCategory(cid: string, path: readonly TaobaoCategoryNode[]): string {
  const top = path.at(-1);
  if (top && top.parentCid === "0") {
    const known = taobaoTopCategories[top.cid];
    if (known) return known.category;
  }
  const names = path
    .map((node) => node.name?.trim())
    .filter((name): name is string => Boolean(name))
    .reverse();
  if (names.length === 0) return cid;
  const joined = names.join(">");
  return mapCategoryName(joined) ?? joined.slice(0, 200);
}

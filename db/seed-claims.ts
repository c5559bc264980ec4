import type { BuyerReasonCode } from "@/lib/buyer-reasons";

// What demo buyers write, per product category and reason. Every claim must fit every demo product of its
// category (a dress and a pair of jeans are both 女装: no sleeves or charging ports named), so a card never
// pairs oranges with wilted flowers or a dress with a charging port. The reasons a category offers are the
// keys here; late_problem goes with re-open requests and needs_repair with repair requests only.

export type DemoCategory = "apparel" | "3c_digital" | "home_appliance" | "fresh_food" | "flowers_gardening" | "live_pets" | "food";

export const demoClaims: Record<DemoCategory, Partial<Record<BuyerReasonCode, readonly string[]>>> = {
  // 大衣, 连衣裙, 牛仔裤, 衬衫, 羽绒服, 开衫
  apparel: {
    size_mismatch: ["平时穿M，这件明显偏小，想换大一码。", "尺码偏大，穿着空荡荡的，想换小一码。"],
    quality_issue: ["收到就发现有开线和线头，做工不行。", "洗了一次就缩水变形了。"],
    not_as_described: ["实物颜色比图片深很多，色差太大。", "面料比页面描述的薄很多，手感也不一样。"],
    no_reason_7d: ["不太喜欢，吊牌还在，未穿过。"],
    changed_mind: ["不想要了，还没发货请直接退款。"],
    wrong_item: ["收到的颜色和下单的不一样。", "下单的是M码，收到的是S码。"],
    late_problem: ["穿了几次就开线了，已过售后期，请帮忙开启售后。", "洗了两次就严重掉色，已过售后期，想再申请售后。"],
  },
  // 耳机, 充电器, 智能手表, 机械键盘, 无线鼠标
  "3c_digital": {
    quality_issue: ["用了两天就时好时坏，重启也没用。", "收到就无法使用，插上没有任何反应。"],
    not_as_described: ["实物和详情页写的参数不一致。"],
    damaged_in_transit: ["快递盒被压扁，外壳有裂痕，照片已上传。"],
    missing_parts: ["盒子里少了说明书和配件。"],
    no_reason_7d: ["买重复了，包装未拆。"],
    late_problem: ["买了一年多，最近经常失灵，想申请售后维修。"],
    needs_repair: ["使用中突然没反应了，需要维修。", "时好时坏，想寄回检测维修。"],
  },
  // 挂脖风扇, 空气炸锅
  home_appliance: {
    quality_issue: ["用了两次就不工作了，插电没反应。"],
    damaged_in_transit: ["外包装破损严重，机身有明显磕碰。"],
    missing_parts: ["少发了配件，说明书也没有。"],
    no_reason_7d: ["买重复了，包装未拆。"],
    late_problem: ["买了一年多，最近开机有异响，想申请售后维修。"],
    needs_repair: ["开机后有异响，想寄回维修。"],
  },
  // 赣南脐橙, 智利车厘子
  fresh_food: {
    spoiled: ["到手有一半是烂的，有异味，照片为证。", "好几个已经发软出水了。"],
    damaged_in_transit: ["到手时包装破损，有几个果子摔烂了。", "泡沫箱压坏了，冰袋全化了。"],
    not_as_described: ["个头比描述的小很多。", "品相和直播间展示的差很多。"],
    not_received: ["物流显示已签收，但我没有收到，驿站也没有。"],
  },
  // 鲜花, 多肉盆栽
  flowers_gardening: {
    spoiled: ["到的时候已经蔫了，叶子发黄。"],
    damaged_in_transit: ["盒子被压坏了，折断了好几处。"],
    not_as_described: ["实物比直播间展示的小很多。"],
  },
  // 孔雀鱼
  live_pets: {
    dead_on_arrival: ["开箱时有4条鱼已经死亡，视频和照片已上传。"],
    not_as_described: ["颜色和视频里展示的差很多。"],
  },
  // 牛肉干, 每日坚果
  food: {
    quality_issue: ["打开有一股哈喇味，像是放久了。"],
    not_as_described: ["分量比页面写的少。"],
    no_reason_7d: ["买多了，还没拆封。"],
    damaged_in_transit: ["外包装破了，里面受潮了。"],
    missing_parts: ["少发了一袋，数量和订单对不上。"],
  },
};

const specialReasons: readonly BuyerReasonCode[] = ["late_problem", "needs_repair"];

export function isDemoCategory(category: string): category is DemoCategory {
  return Object.hasOwn(demoClaims, category);
}

/** The reasons a refund or exchange in this category may give (not the re-open or repair ones). */
export function getDemoReasons(category: DemoCategory): BuyerReasonCode[] {
  return (Object.keys(demoClaims[category]) as BuyerReasonCode[]).filter((reason) => !specialReasons.includes(reason));
}

/** The claims for a category and reason; throws where none is written, so a mismatch cannot slip into the demo. */
export function getDemoClaims(category: string, reason: BuyerReasonCode): readonly string[] {
  const claims = isDemoCategory(category) ? demoClaims[category][reason] : undefined;
  if (!claims?.length) throw new Error(`No demo claim for ${category} / ${reason}`);
  return claims;
}

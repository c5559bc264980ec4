import { createEstimatorParameters } from "@/lib/return-freight/parameters";

// The worked examples of docs/return-freight.md, shared by estimator.test.ts and estimator-verdict.test.ts
// Women's apparel, N = 10,000, r = 0.35, s = 1, every other default.
export const apparel = createEstimatorParameters({
  categories: [{ categoryId: "apparel", shippedOrders: 10_000 }],
  isFreeReturnPromised: true,
});
// 3C shop, r = 0.05, s = 0.2 (no 包退运费 promise).
export const digital = createEstimatorParameters({
  categories: [{ categoryId: "3c_digital", shippedOrders: 10_000 }],
  isFreeReturnPromised: false,
});

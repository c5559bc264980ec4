import { z } from "zod";
import type { Platform } from "@/lib/domain";
import { idSchema } from "@/lib/ids";
import { buyerZones, categoryIds, type BuyerZone, type CategoryId, type EstimatorParameters, type ZoneValues } from "@/lib/return-freight/parameters";

// The 退货宝 page's JSON: what the shop's history says, what the owner saved, and the input schemas.

export const freightWindowDays = [30, 60, 90, 180] as const;
/** docs/return-freight.md: r_c over the last 90 days. */
export const defaultFreightWindowDays = 90;

/** Shop history over the window (not yet scaled to a month). */
export type ShopFreightInputs = {
  shop: { id: string; name: string; platform: Platform; shipFromProvince: string | null };
  windowDays: number;
  /** Days of the window the shop has shipped orders in: a younger shop is scaled by its own age. */
  coveredDays: number;
  categories: { categoryId: CategoryId; shippedOrders: number; returnsShippedBack: number; sellerFaultReturns: number }[];
  ordersByZone: ZoneValues;
  /** Shipped orders whose zone is unknown (no receiver province, or the shop has no ship-from province). */
  unknownZoneOrders: number;
  /** Shipped orders in categories the model has no id for; left out of the estimate. */
  uncategorizedOrders: number;
};

const fen = z.number().int().min(0).max(100_000);
const zoneValues = <T extends z.ZodType<number>>(value: T) =>
  z.object(Object.fromEntries(buyerZones.map((zone) => [zone, value])) as Record<BuyerZone, T>).strict();

const share = z.number().min(0).max(1);

/** Model parameters the owner may change; a missing key means the sourced default. */
export const modelOverridesSchema = z
  .object({
    freightFen: zoneValues(fen),
    payoutFen: zoneValues(fen),
    payoutCapFen: fen,
    loading: z.number().min(0.5).max(5),
    premiumFloorFen: fen,
    priceRatio: z.number().min(0.1).max(1.5),
    topUpShare: share,
    handlingFen: fen,
  })
  .partial()
  .strict();
export type ModelOverrides = z.infer<typeof modelOverridesSchema>;

export const freightSettingsSchema = z
  .object({
    /** p from 千牛 in fen; null: no quote, the page uses p̂. */
    quotedPremiumFen: fen.nullable(),
    /** The shop promises 包退运费, so it pays every return's freight (s_c = 1). */
    isFreeReturnPromised: z.boolean(),
    /** The shop has subscribed to 退货宝: cards say the payout applies. */
    isSubscribed: z.boolean(),
    overrides: modelOverridesSchema,
  })
  .strict();
export type FreightSettings = z.infer<typeof freightSettingsSchema>;

export const defaultFreightSettings: FreightSettings = { quotedPremiumFen: null, isFreeReturnPromised: false, isSubscribed: false, overrides: {} };

export const estimatorParametersSchema: z.ZodType<EstimatorParameters> = z
  .object({
    categories: z
      .array(
        z
          .object({
            categoryId: z.enum(categoryIds),
            shippedOrders: z.number().min(0).max(10_000_000),
            returnRate: share,
            sellerPaysShare: share,
          })
          .strict(),
      )
      .max(categoryIds.length),
    zoneMix: zoneValues(share),
    freightFen: zoneValues(fen),
    payoutFen: zoneValues(fen),
    payoutCapFen: fen,
    quotedPremiumFen: fen.nullable(),
    loading: z.number().min(0.5).max(5),
    premiumFloorFen: fen,
    priceRatio: z.number().min(0.1).max(1.5),
    topUpShare: share,
    handlingFen: fen,
  })
  .strict();

const windowDaysSchema = z.coerce
  .number()
  .int()
  .refine((days) => (freightWindowDays as readonly number[]).includes(days), `Window must be one of ${freightWindowDays.join(", ")} days`);

export const freightInputsQuery = z.object({
  shop: idSchema("shop"),
  window: z.preprocess((value) => (value === "" || value === null ? undefined : value), windowDaysSchema.default(defaultFreightWindowDays)),
});

export const scenarioBody = z
  .object({
    shopId: idSchema("shop"),
    name: z.string().trim().min(1).max(60),
    windowDays: windowDaysSchema,
    parameters: estimatorParametersSchema,
  })
  .strict();
export type ScenarioBody = z.infer<typeof scenarioBody>;

export type SavedScenario = {
  id: string;
  shopId: string;
  name: string;
  windowDays: number;
  parameters: EstimatorParameters;
  createdBy: { id: string; name: string } | null;
  createdAt: string;
};

export type FreightInputsResponse = { inputs: ShopFreightInputs; settings: FreightSettings };

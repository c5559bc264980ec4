import sharp from "sharp";
import { makeNoisyPng } from "@/app/_server/platforms/test-photos";
import { describe, expect, it } from "vitest";
import { shrinkImage } from "@/app/_server/platforms/proof-image";


describe("shrinkImage", () => {
  it("brings an 800 kB+ photo under Taobao's 130,000 bytes as a JPEG that still decodes", async () => {
    const photo = await makeNoisyPng(1200, 900);
    expect(photo.byteLength).toBeGreaterThan(800_000);
    const shrunk = await shrinkImage(photo, { maxBytes: 130_000, maxSidePx: 1600, format: "jpeg" });
    expect(shrunk.bytes.byteLength).toBeLessThanOrEqual(130_000);
    expect(shrunk.mimeType).toBe("image/jpeg");
    const decoded = await sharp(shrunk.bytes).metadata();
    expect(decoded.format).toBe("jpeg");
    expect(Math.max(decoded.width!, decoded.height!)).toBeLessThanOrEqual(1200);
  });

  it("keeps a small image's size and only scales down past the longest side", async () => {
    const small = await makeNoisyPng(300, 200);
    const shrunk = await shrinkImage(small, { maxBytes: 5_000_000, maxSidePx: 1600, format: "jpeg" });
    expect([shrunk.widthPx, shrunk.heightPx]).toEqual([300, 200]);
    const large = await makeNoisyPng(2400, 600);
    const scaled = await shrinkImage(large, { maxBytes: 5_000_000, maxSidePx: 1200, format: "jpeg" });
    expect([scaled.widthPx, scaled.heightPx]).toEqual([1200, 300]);
  });

  it("refuses bytes that are not an image, and a target no image can meet", async () => {
    await expect(shrinkImage(new TextEncoder().encode("%PDF-1.4 not an image"), { maxBytes: 130_000, maxSidePx: 1600, format: "jpeg" })).rejects.toThrow();
    await expect(shrinkImage(await makeNoisyPng(400, 400), { maxBytes: 100, maxSidePx: 1600, format: "jpeg" })).rejects.toThrow(/smaller than 100 bytes/);
  });
});

import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { shrinkImage } from "@/app/_server/platforms/proof-image";

/** A noisy photo-like PNG (noise defeats compression), about the size of a phone photo's bytes. */
async function makeNoisyPng(width: number, height: number): Promise<Uint8Array> {
  const pixels = Buffer.alloc(width * height * 3);
  // xorshift32: fixed seed, so the bytes are the same on every run
  let state = 2463534242;
  for (let index = 0; index < pixels.length; index++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    pixels[index] = state & 0xff;
  }
  return new Uint8Array(await sharp(pixels, { raw: { width, height, channels: 3 } }).png().toBuffer());
}

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

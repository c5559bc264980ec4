import sharp from "sharp";

// Test support (no product code imports it): photo-sized images with fixed bytes for the proof tests.

/** A noisy PNG (noise defeats compression, so a 1200×900 one is > 800 kB, a phone photo's size); xorshift32, fixed seed. */
export async function makeNoisyPng(width = 1200, height = 900, seed = 2463534242): Promise<Uint8Array> {
  const pixels = Buffer.alloc(width * height * 3);
  let state = seed;
  for (let index = 0; index < pixels.length; index++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    pixels[index] = state & 0xff;
  }
  return new Uint8Array(await sharp(pixels, { raw: { width, height, channels: 3 } }).png().toBuffer());
}

import sharp from "sharp";

// Proof images shrunk to what a platform takes (docs/platforms/proof.md): re-encoded with sharp (libvips), scaled
// down by the bytes it missed by (and a little quality) until they fit. Never dropped: an image that
// cannot fit even at the smallest step is an error the caller reports.

export type ShrinkTarget = {
  maxBytes: number;
  /** Longest side in pixels the platform displays usefully; larger photos are scaled down first. */
  maxSidePx: number;
  format: "jpeg" | "png";
};

export type ShrunkImage = { bytes: Uint8Array; mimeType: string; extension: string; widthPx: number; heightPx: number };

/** An image (JPEG, PNG, WebP, GIF, HEIC as sharp reads them) re-encoded to fit the target; throws when it cannot. */
export async function shrinkImage(input: Uint8Array, target: ShrinkTarget): Promise<ShrunkImage> {
  const source = sharp(input, { failOn: "error", limitInputPixels: 100_000_000 }).rotate();
  const metadata = await source.metadata();
  const longest = Math.max(metadata.width ?? 0, metadata.height ?? 0);
  if (!longest) throw new Error("The proof is not an image sharp can read");
  let side = Math.min(longest, target.maxSidePx);
  let quality = 82;
  // Each miss scales the side by the square root of the byte ratio (bytes grow with the pixel count), or first
  // trades a little quality when the miss is small; a handful of encodes reach any target a photo can meet.
  for (let attempt = 0; attempt < 10; attempt++) {
    const pipeline = source.clone().resize({ width: side, height: side, fit: "inside", withoutEnlargement: true }).flatten({ background: "#ffffff" });
    const encoded = target.format === "jpeg" ? pipeline.jpeg({ quality }) : pipeline.png({ compressionLevel: 9, palette: true });
    const { data, info } = await encoded.toBuffer({ resolveWithObject: true });
    if (data.byteLength <= target.maxBytes) {
      return { bytes: new Uint8Array(data), mimeType: `image/${target.format}`, extension: target.format === "jpeg" ? "jpg" : "png", widthPx: info.width, heightPx: info.height };
    }
    const ratio = target.maxBytes / data.byteLength;
    if (target.format === "jpeg" && ratio > 0.6 && quality > 50) quality -= 12;
    else if (side > 64) side = Math.max(64, Math.floor(side * Math.sqrt(ratio) * 0.95));
    else break;
  }
  throw new Error(`The proof image cannot be made smaller than ${target.maxBytes} bytes`);
}

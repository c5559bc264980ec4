// What an uploaded file really is, from its first bytes: the browser's declared type is not trusted,
// so a renamed script cannot be stored as an image (docs/domain/rejections.md: images/PDF only).

export type SniffedType = "image/jpeg" | "image/png" | "image/gif" | "image/webp" | "image/heic" | "application/pdf";

function startsWith(bytes: Uint8Array, signature: readonly number[], offset = 0): boolean {
  if (bytes.length < offset + signature.length) return false;
  return signature.every((byte, index) => bytes[offset + index] === byte);
}

const ascii = (text: string) => Array.from(text, (char) => char.charCodeAt(0));

// ISO-BMFF brands that mean HEIC/HEIF still images (iPhone photos)
const heicBrands = ["heic", "heix", "heim", "heis", "mif1", "msf1"];

/** The file's type by its signature, or null when it is none of the evidence types. */
export function sniffEvidenceType(bytes: Uint8Array): SniffedType | null {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return "image/jpeg";
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "image/png";
  if (startsWith(bytes, ascii("GIF87a")) || startsWith(bytes, ascii("GIF89a"))) return "image/gif";
  if (startsWith(bytes, ascii("RIFF")) && startsWith(bytes, ascii("WEBP"), 8)) return "image/webp";
  if (startsWith(bytes, ascii("%PDF-"))) return "application/pdf";
  if (startsWith(bytes, ascii("ftyp"), 4) && heicBrands.some((brand) => startsWith(bytes, ascii(brand), 8))) return "image/heic";
  return null;
}

import { describe, expect, it } from "vitest";
import { sniffEvidenceType } from "@/lib/evidence-type";

const bytes = (...parts: (string | number[])[]) =>
  new Uint8Array(parts.flatMap((part) => (typeof part === "string" ? Array.from(part, (char) => char.charCodeAt(0)) : part)));

describe("sniffEvidenceType", () => {
  it.each([
    ["JPEG", bytes([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]), "image/jpeg"],
    ["PNG", bytes([0x89], "PNG", [0x0d, 0x0a, 0x1a, 0x0a, 0]), "image/png"],
    ["GIF89a", bytes("GIF89a", [1, 0]), "image/gif"],
    ["GIF87a", bytes("GIF87a"), "image/gif"],
    ["WebP", bytes("RIFF", [0x24, 0, 0, 0], "WEBPVP8 "), "image/webp"],
    ["PDF", bytes("%PDF-1.7\n"), "application/pdf"],
    ["HEIC", bytes([0, 0, 0, 0x18], "ftypheic", [0, 0, 0, 0]), "image/heic"],
    ["HEIF mif1", bytes([0, 0, 0, 0x18], "ftypmif1"), "image/heic"],
    ["MP4 is not a photo", bytes([0, 0, 0, 0x18], "ftypisom"), null],
    ["RIFF that is a WAV", bytes("RIFF", [0x24, 0, 0, 0], "WAVEfmt "), null],
    ["SVG", bytes('<svg xmlns="http://www.w3.org/2000/svg">'), null],
    ["HTML renamed .png", bytes("<html><script>"), null],
    ["a PNG signature cut short", bytes([0x89], "PNG"), null],
    ["empty", bytes(), null],
  ])("%s → %s", (_label, input, expected) => {
    expect(sniffEvidenceType(input)).toBe(expected);
  });
});

import { describe, expect, it } from "vitest";
import { maskNickname } from "@/lib/mask";

describe("maskNickname", () => {
  it.each([
    ["小鱼儿爱吃鱼", "小**鱼"],
    ["tb8812345", "t**5"],
    ["阿", "阿**"],
    ["ab", "a**"],
    ["", "**"],
    ["😀abc😀", "😀**😀"],
  ])("%s → %s", (nick, masked) => {
    expect(maskNickname(nick)).toBe(masked);
  });
});

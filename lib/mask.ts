/** Buyer nicknames are shown masked, as the platforms show them to sellers ("小**鱼"). */
export function maskNickname(nick: string): string {
  const chars = Array.from(nick.trim());
  if (chars.length === 0) return "**";
  if (chars.length <= 2) return `${chars[0]}**`;
  return `${chars[0]}**${chars[chars.length - 1]}`;
}

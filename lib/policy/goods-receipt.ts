/** The buyer had signed for the goods when the request came in (seeds/003 "商品签收后"; DOMAIN.md Taobao 2025). */
export function isRequestAfterReceipt(order: { receivedAt: Date | null }, request: { receivedAt: Date }): boolean {
  return order.receivedAt !== null && order.receivedAt.getTime() <= request.receivedAt.getTime();
}

/** The buyer had signed for the goods when the request came in (docs/domain/negotiation.md: Douyin's "商品签收后", Taobao 2025). */
export function isRequestAfterReceipt(order: { receivedAt: Date | null }, request: { receivedAt: Date }): boolean {
  return order.receivedAt !== null && order.receivedAt.getTime() <= request.receivedAt.getTime();
}

// Card payments, the Stripe webhook and Stripe Connect payouts (issue 8).
export const paymentsZh = {
  'payments.card.title': '银行卡支付',
  'payments.card.button': '用银行卡支付',
  'payments.card.hint':
    '通过 Stripe 安全收银台支付 {amount}。款项由平台托管，到账后订单自动开始；也可以继续使用银行转账。',
  'payments.notice.success': '银行卡支付已提交。Stripe 确认到账后订单会自动更新，通常只需几秒钟。',
  'payments.notice.cancelled': '银行卡支付已取消，没有扣款。您可以重新支付，或改用银行转账。',
  'payments.error.stripe_unavailable': '银行卡支付服务暂时没有响应，请稍后再试。没有扣款。',
  'payments.error.card_payments_unavailable': '平台暂不支持银行卡支付，请使用银行转账。',
  'payments.error.order_not_awaiting_payment': '该订单当前不需要付款。',
  'payments.error.forbidden': '只有下单方可以支付该订单。',
  'payments.error.other': '无法开始银行卡支付，请刷新页面后再试。',
  'payments.connect.title': 'Stripe 收款账户',
  'payments.connect.none': '尚未设置。设置后，每个里程碑放款会自动转入您的 Stripe 账户。',
  'payments.connect.incomplete': '资料尚未填写完整，Stripe 暂时不能向您付款。',
  'payments.connect.pending': '资料已提交，正在等待 Stripe 开通收款。',
  'payments.connect.enabled': '已开通收款：放款会自动转入您的 Stripe 账户。',
  'payments.connect.start': '设置 Stripe 收款账户',
  'payments.connect.continue': '继续填写资料',
  'payments.connect.update': '更新收款资料',
  'payments.connect.ownersOnly': '只有企业负责人可以设置收款账户。',
  'payments.connect.refresh': '设置链接已过期，请重新开始。',
  'payments.connect.error.stripe_unavailable': 'Stripe 暂时没有响应，请稍后再试。',
  'payments.connect.error.stripe_not_configured': '平台未启用 Stripe，放款通过银行转账支付。',
  'payments.connect.error.forbidden': '只有企业负责人可以设置收款账户。',
  'payments.connect.error.other': '无法打开 Stripe 设置，请刷新页面后再试。',
  // Domain error codes of this area (the API's messages and the pages').
  'error.card_payments_unavailable': '平台暂不支持银行卡支付，请使用银行转账',
  'error.order_not_awaiting_payment': '该订单当前不需要付款',
  'error.stripe_not_configured': '平台未启用 Stripe，放款通过银行转账支付',
  // The order email when the verified webhook confirms the card payment.
  'email.order.confirm_card_payment': '订单 {order}（{job}）的银行卡付款已到账，由平台托管。',
} as const

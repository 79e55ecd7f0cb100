/** Domain objects as the protobuf messages of the contracts: one mapping for the gRPC handlers and the events. */
import { PaymentStatus as ProtoPaymentStatus, type Payment as ProtoPayment } from '@funshop/proto/funshop/payment/v1/payment';
import type { Payment, PaymentStatus } from '../domain/payment';

const STATUS: Record<PaymentStatus, ProtoPaymentStatus> = {
  APPROVED: ProtoPaymentStatus.PAYMENT_STATUS_APPROVED,
  DECLINED: ProtoPaymentStatus.PAYMENT_STATUS_DECLINED,
  CANCELLED: ProtoPaymentStatus.PAYMENT_STATUS_CANCELLED,
};

export function toProtoPayment(payment: Payment): ProtoPayment {
  const state = payment.snapshot;
  return {
    paymentId: state.paymentId,
    orderId: state.orderId,
    customerId: state.customerId,
    amountKrw: state.amountKrw,
    status: STATUS[state.status],
    cardLast4: state.cardLast4,
    declineReason: state.declineReason ?? '',
    createTime: state.createdAt,
    updateTime: state.updatedAt,
  };
}

// The API's request and response types, generated from proto/ (scripts/codegen.sh, ts-proto with
// the proto3 JSON mapping Envoy's transcoder prints): never written by hand here.
export type { Product, ListProductsResponse, GetProductResponse } from '@funshop/proto/web/funshop/order/v1/catalog';
export type {
  Order,
  OrderLine,
  PlaceOrderRequest,
  PlaceOrderResponse,
  GetOrderResponse,
  CancelOrderRequest,
  CancelOrderResponse,
  PayOrderRequest,
  PayOrderResponse,
} from '@funshop/proto/web/funshop/order/v1/order';
export { OrderStatus } from '@funshop/proto/web/funshop/order/v1/order';
export type { Payment, Card } from '@funshop/proto/web/funshop/payment/v1/payment';
export { PaymentStatus } from '@funshop/proto/web/funshop/payment/v1/payment';
export type { Cart, CartItem, Cancellation, GetCartResponse, ListCancellationsResponse } from '@funshop/proto/web/funshop/cart/v1/cart';
export { CartItemStatus } from '@funshop/proto/web/funshop/cart/v1/cart';
export type { MyPageOrder, GetMyPageResponse, GetMyPageOrderResponse } from '@funshop/proto/web/funshop/customer/v1/my_page';

import type { Status } from '@funshop/proto/web/google/rpc/status';
import type { BadRequest, RequestInfo } from '@funshop/proto/web/google/rpc/error_details';

/** A detail of an error in the JSON mapping: a `google.protobuf.Any` is its message's fields plus "@type". */
export type StatusDetail = { '@type': string } & Partial<BadRequest> & Partial<RequestInfo>;

/** Every error the API answers: a `google.rpc.Status` in the JSON mapping. */
export type ErrorBody = Omit<Status, 'details'> & { details?: StatusDetail[] };

/** A product of the catalog. Stock is reserved when an order is placed and released when it ends unpaid. */
export interface Product {
  readonly productId: string;
  readonly name: string;
  readonly priceKrw: number;
  readonly stock: number;
}

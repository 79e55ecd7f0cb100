import type { Transaction } from 'sequelize';

declare const openTransaction: unique symbol;

/**
 * An open transaction as inbound adapters and use cases see it: something to hand on, never to
 * query, commit or roll back. An event consumer opens the transaction (with the inbox row) and
 * passes its scope to a use case, which joins it through its unit of work (`join` in each
 * service's app/ports.ts); only outbound adapters turn it back into the database's transaction.
 * So no inbound adapter, and no use case, depends on sequelize.
 */
export type TransactionScope = { readonly [openTransaction]: true };

export function scopeOf(transaction: Transaction): TransactionScope {
  return transaction as unknown as TransactionScope;
}

/** For outbound adapters only: the database transaction behind a scope. */
export function joinedTransaction(scope: TransactionScope): Transaction {
  return scope as unknown as Transaction;
}

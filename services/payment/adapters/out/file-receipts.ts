import { mkdir, rename, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Transaction } from 'sequelize';
import type { Logger } from '@funshop/platform/logger';
import type { Receipts } from '../../app/ports';
import type { Payment } from '../../domain/payment';

/**
 * One JSON receipt per approved or refunded payment, `<payment id>.<status>.json`, in a directory
 * that is a ReadWriteMany volume (EFS) in Kubernetes. Written after the commit, so no receipt
 * exists for a change that rolled back; written to a temporary name and renamed, so a reader never
 * sees half a receipt.
 */
export class FileReceipts implements Receipts {
  constructor(
    private readonly directory: string,
    private readonly transaction: Transaction,
    private readonly logger: Logger,
  ) {}

  issueAfterCommit(payment: Payment): void {
    // issuedBy: the instance that wrote it (in Kubernetes, the pod), for the audit of a shared volume.
    const receipt = { ...payment.snapshot, issuedAt: new Date().toISOString(), issuedBy: hostname() };
    this.transaction.afterCommit(() =>
      writeReceipt(this.directory, `${receipt.paymentId}.${receipt.status.toLowerCase()}.json`, receipt).catch((error: Error) =>
        this.logger.error({ err: error.message, paymentId: receipt.paymentId }, 'could not write a receipt'),
      ),
    );
  }
}

async function writeReceipt(directory: string, name: string, receipt: object): Promise<void> {
  const temporary = join(directory, `.${name}.tmp`);
  const content = `${JSON.stringify(receipt, null, 2)}\n`;
  // The directory is made when a write finds it missing, not before every receipt: a file
  // system call saved per payment.
  await writeFile(temporary, content).catch(async (error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
    await mkdir(directory, { recursive: true });
    await writeFile(temporary, content);
  });
  await rename(temporary, join(directory, name));
}

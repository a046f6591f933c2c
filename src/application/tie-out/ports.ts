/**
 * What the tie-out report reads besides the log: the Acumatica batch as it is now (number, status, debit
 * and credit totals), read back by batch number. Bound to the Acumatica client in the connections module.
 */
export const ACUMATICA_BATCHES = Symbol('ACUMATICA_BATCHES');

export interface BatchReadBack {
  batchNbr: string;
  status: string;
  transactionDate?: string;
  /** Decimal strings, 2 places: the sums of the batch's lines as Acumatica holds them. */
  debitTotal: string;
  creditTotal: string;
  lines: number;
}

export interface AcumaticaBatchReader {
  /** The batch, or null when Acumatica has no such GL batch. */
  readBatch(connectionId: string, batchNbr: string): Promise<BatchReadBack | null>;
}

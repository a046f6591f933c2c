import type { DriftPolicy } from './mapping';
import type { DriftedField, FieldChange } from './events';
import {
  MIRRORED_FIELDS,
  normalized,
  valuesOf,
  type AcumaticaEmployeeRecord,
  type MirroredField,
  type MirroredValues,
} from './record';

export interface FieldComparison {
  /** Fields to write now. */
  changes: FieldChange[];
  /** Fields someone changed by hand in Acumatica that disagree with Gusto (reported; written only under 'overwrite'). */
  drifted: DriftedField[];
}

export interface CompareInput {
  desired: MirroredValues;
  actual: AcumaticaEmployeeRecord;
  /** What Acumatica held after our last write; null before the record was linked. */
  written: MirroredValues | null;
  lastWriteModifiedAt: string | null;
  /** Drift already on record: it stays drift while Acumatica still holds the hand-typed value. */
  knownDrift: DriftedField[] | null;
  policy: DriftPolicy;
  /** Fields a lifecycle step (terminate, rehire) writes itself. */
  skip: readonly MirroredField[];
}

const newer = (a: string | null | undefined, b: string | null): boolean => {
  if (!a || !b) return false;
  const left = Date.parse(a);
  const right = Date.parse(b);
  return Number.isFinite(left) && Number.isFinite(right) && left > right;
};

/**
 * Desired (Gusto) against actual (Acumatica), field by field. A difference is drift only when Acumatica
 * moved away from what we last wrote AND its LastModifiedDateTime is newer than our last write — a
 * difference with Acumatica still holding our value is simply a Gusto change to pass on. Once flagged, a
 * field stays drift while Acumatica keeps the hand-typed value, even after our own later writes to other
 * fields make LastModifiedDateTime ours again.
 */
export function compareFields(input: CompareInput): FieldComparison {
  const actual = valuesOf(input.actual);
  const editedByHand = newer(input.actual.lastModifiedDateTime, input.lastWriteModifiedAt);
  const changes: FieldChange[] = [];
  const drifted: DriftedField[] = [];
  for (const field of MIRRORED_FIELDS) {
    const want = input.desired[field];
    // A value Gusto does not have (no email, no job title) is not ours to manage.
    if (want === null || input.skip.includes(field)) continue;
    if (normalized(field, actual[field]) === normalized(field, want)) continue;
    const lastWritten = input.written ? input.written[field] : null;
    const movedFromOurs = input.written !== null && normalized(field, actual[field]) !== normalized(field, lastWritten);
    const stillKnown = (input.knownDrift ?? []).some(
      (d) => d.field === field && normalized(field, d.acumatica) === normalized(field, actual[field]),
    );
    if (movedFromOurs && (editedByHand || stillKnown)) {
      drifted.push({ field, gusto: want, acumatica: actual[field], lastWritten });
      if (input.policy === 'flag') continue;
    }
    changes.push({ field, from: actual[field], to: want });
  }
  return { changes, drifted };
}

/** Same fields, same values: a repeated sync must not re-announce drift it already reported. */
export function sameDrift(a: readonly DriftedField[] | null, b: readonly DriftedField[]): boolean {
  if (!a || a.length !== b.length) return false;
  return b.every((d) =>
    a.some(
      (k) =>
        k.field === d.field &&
        k.gusto === d.gusto &&
        normalized(d.field, k.acumatica) === normalized(d.field, d.acumatica),
    ),
  );
}

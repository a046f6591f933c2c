/** The connection's current mapping applied to a payroll (the posting's build step and the preview). */
import { buildJournal } from '../../domain/journal/build-journal';
import { parseMapping } from '../../domain/mapping/parse-mapping';
import type { GustoPayroll } from '../../domain/payroll/gusto-payroll';
import type { BuildOutcome } from '../../domain/payroll-posting/decide';
import type { Connections } from '../ports/connections.port';
import { invalidMapping, noMapping, reasonsFromBuild } from './block-reasons';

/**
 * parseMapping is pure (class-validator over the document: ~0.2 ms a posting) and the connections read model
 * hands out the same document object until a new mapping is accepted: parse each document once. Keyed by the
 * object itself, so a new mapping is a new key and an old one is collected with it.
 */
const parsedMappings = new WeakMap<object, ReturnType<typeof parseMapping>>();
function parseStoredMapping(document: unknown): ReturnType<typeof parseMapping> {
  if (typeof document !== 'object' || document === null) return parseMapping(document);
  let parsed = parsedMappings.get(document);
  if (!parsed) {
    parsed = parseMapping(document);
    parsedMappings.set(document, parsed);
  }
  return parsed;
}

/** The current mapping applied to a payroll: the journal, or why it cannot be built. Shared with the preview. */
export async function buildWithCurrentMapping(
  connections: Connections,
  connectionId: string,
  payroll: GustoPayroll,
): Promise<BuildOutcome> {
  const stored = await connections.getMapping(connectionId);
  if (!stored) return { ok: false, reasons: [noMapping()] };
  const parsed = parseStoredMapping(stored.document);
  if (!parsed.ok) return { ok: false, reasons: [invalidMapping(parsed.errors)] };
  const built = buildJournal(payroll, parsed.mapping, { mappingVersion: stored.version });
  if (!built.ok) return { ok: false, reasons: reasonsFromBuild(built.errors) };
  return { ok: true, journal: built.journal, mappingVersion: stored.version };
}

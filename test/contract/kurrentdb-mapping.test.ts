/**
 * The KurrentDB adapter's translations, checked without a server (the contract suite checks the behaviour
 * when one is available): ids that are not UUIDs, metadata that carries them, connection-string hygiene.
 */
import { AllStreamResolvedEvent } from '@kurrent/kurrentdb-client';
import {
  fromResolved,
  ORIGINAL_ID_KEY,
  toEventData,
  toKurrentId,
} from '../../src/adapters/outbound/event-store/kurrentdb/kurrentdb-mapping';
import { describeUrl, toClientConnectionString } from '../../src/adapters/outbound/event-store/kurrentdb/kurrentdb-url';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('KurrentDB mapping', () => {
  it('turns a non-UUID id into a stable name-based UUID per stream, and leaves canonical UUIDs alone', () => {
    const id = toKurrentId('payroll-posting-c1-p1', 'p1-journal-built');
    expect(id).toMatch(UUID);
    expect(toKurrentId('payroll-posting-c1-p1', 'p1-journal-built')).toBe(id);
    expect(toKurrentId('payroll-posting-c1-p2', 'p1-journal-built')).not.toBe(id);
    const uuid = '3f2b8c1e-9d4a-4b7e-8c2f-1a2b3c4d5e6f';
    expect(toKurrentId('s', uuid)).toBe(uuid);
    // Upper-case would come back lower-cased from the server, so it is treated as an opaque id.
    expect(toKurrentId('s', uuid.toUpperCase())).not.toBe(uuid.toUpperCase());
  });

  it('carries the original id in metadata and strips it again on read', () => {
    const data = toEventData('s-1', { id: 'evt-1', type: 'Happened', data: { a: 1 }, metadata: { actor: 'system' } });
    expect(data.id).toMatch(UUID);
    expect(data.metadata).toEqual({ actor: 'system', [ORIGINAL_ID_KEY]: 'evt-1' });

    const created = new Date('2026-11-26T10:00:00.123Z');
    const resolved = {
      event: {
        streamId: 's-1',
        id: data.id,
        revision: 4n,
        type: 'Happened',
        isJson: true,
        data: { a: 1 },
        metadata: data.metadata,
        created,
        position: { commit: 9001n, prepare: 9001n },
      },
    } as unknown as AllStreamResolvedEvent;
    expect(fromResolved(resolved)).toEqual({
      id: 'evt-1',
      type: 'Happened',
      data: { a: 1 },
      metadata: { actor: 'system' },
      stream: 's-1',
      revision: 4n,
      position: 9001n,
      recordedAt: '2026-11-26T10:00:00.123Z',
    });
  });

  it('hides system streams and unresolved links', () => {
    const system = {
      event: {
        streamId: '$stats-127.0.0.1:2113',
        id: 'x',
        revision: 0n,
        type: '$statsCollected',
        isJson: true,
        data: {},
        metadata: {},
        created: new Date(),
      },
    };
    expect(fromResolved(system as unknown as AllStreamResolvedEvent)).toBeUndefined();
    expect(fromResolved({} as AllStreamResolvedEvent)).toBeUndefined();
  });

  it('speaks kurrentdb:// to the client for esdb:// URLs and describes URLs without secrets', () => {
    expect(toClientConnectionString('esdb://h:2113?tls=false')).toBe('kurrentdb://h:2113?tls=false');
    expect(toClientConnectionString('esdb+discover://h:2113')).toBe('kurrentdb+discover://h:2113');
    expect(toClientConnectionString('kurrentdb://h:2113')).toBe('kurrentdb://h:2113');
    expect(describeUrl('esdb://admin:changeit@h:2113?tls=false')).toBe('esdb://h:2113');
    expect(describeUrl('kurrentdb+discover://u:p@a:2113,b:2113/?nodePreference=leader')).toBe(
      'kurrentdb+discover://a:2113,b:2113',
    );
  });
});

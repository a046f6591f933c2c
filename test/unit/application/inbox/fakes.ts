import { FakeConnections } from '../../../support/fake-connections';
import { waitFor as sharedWaitFor } from '../../../support/wait';
import { ManualClock } from '../../../support/clock';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../../../../src/adapters/outbound/event-store/sqlite/sqlite-event-store';
import type { SealedSecret, Vault } from '../../../../src/application/ports/vault.port';
import type { InboxCommand } from '../../../../src/application/inbox/event-routing';
import type { CommandDispatch } from '../../../../src/application/inbox/inbox-dispatcher';

/** The real embedded store on a temp file (so a "restart" can reopen it); removed by `cleanup`. */
export function tempStore(): {
  store: SqliteEventStore;
  file: string;
  reopen(): SqliteEventStore;
  cleanup(): Promise<void>;
} {
  const dir = mkdtempSync(join(tmpdir(), 'mlc-inbox-'));
  const file = join(dir, 'events.db');
  const opened: SqliteEventStore[] = [];
  const open = (): SqliteEventStore => {
    const s = new SqliteEventStore(file, { pollIntervalMs: 20 });
    opened.push(s);
    return s;
  };
  return {
    store: open(),
    file,
    reopen: open,
    async cleanup() {
      for (const s of opened) await s.close().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The inbox tests' moment: Gusto's sample event was created two seconds before it. */
export const fixedClock = (at = '2026-01-21T17:45:05.000Z'): ManualClock => new ManualClock(new Date(at));

/** Not encryption: a reversible wrapper that still proves the token is stored sealed, not as given. */
export const fakeVault: Pick<Vault, 'seal' | 'open'> = {
  seal: (plaintext: string, ad: string): SealedSecret => ({
    keyId: 'test',
    sealed: Buffer.from(`${ad}|${plaintext}`).toString('base64'),
  }),
  open: (secret: SealedSecret, ad: string): string => {
    const text = Buffer.from(secret.sealed, 'base64').toString();
    if (!text.startsWith(`${ad}|`)) throw new Error('associated data mismatch');
    return text.slice(ad.length + 1);
  },
};

/** Records every command; `behaviour` lets a test make one slow or failing. */
export class RecordingCommandBus implements CommandDispatch {
  readonly executed: InboxCommand[] = [];
  behaviour: (command: InboxCommand) => Promise<unknown> = async () => undefined;
  async execute(command: InboxCommand): Promise<unknown> {
    this.executed.push(command);
    return this.behaviour(command);
  }
}

/** The shared waitFor (test/support/wait.ts), condition first. */
export const waitFor = async (condition: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> => {
  await sharedWaitFor('condition', condition, timeoutMs);
};

export { FakeConnections };

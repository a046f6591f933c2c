import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { EVENT_STORE, type EventStore } from '../../../../application/ports/event-store.port';

const PING_TIMEOUT_MS = 3000;

/** Liveness plus event-store reachability. Never throws: an unreachable store is a 503 with the reason. */
@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @Get()
  @ApiOperation({ summary: 'Liveness and event-store reachability (503 naming the store when unreachable)' })
  async health(@Res() res: Response): Promise<void> {
    const started = Date.now();
    try {
      await withTimeout(this.store.ping(), PING_TIMEOUT_MS);
      res.status(200).json({ status: 'ok', eventStore: { ok: true, store: this.store.description, latencyMs: Date.now() - started } });
    } catch (error) {
      res.status(503).json({
        status: 'unavailable',
        eventStore: { ok: false, store: this.store.description, error: describe(error, this.store.description) },
      });
    }
  }
}

const describe = (error: unknown, store: string): string => {
  const message = error instanceof Error ? error.message : String(error);
  return message.includes(store) ? message : `event store ${store} is unreachable: ${message}`;
};

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

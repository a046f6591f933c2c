import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { EVENT_STORE, type EventStore } from '../../../../application/ports/event-store.port';
import { ReadModelRegistry } from '../../../../application/payroll-posting/projections/read-model-registry';

const PING_TIMEOUT_MS = 3000;

/**
 * `/health`: liveness plus event-store reachability. `/health/ready`: readiness — the read models have
 * applied the log (a load balancer should route reads only to a ready instance). Never throw: an
 * unreachable store or a catch-up in progress is a 503 with the reason.
 */
@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(ReadModelRegistry) private readonly readModels: ReadModelRegistry,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Liveness and event-store reachability (503 naming the store when unreachable). Answers during a catch-up',
  })
  @ApiResponse({ status: 200, description: '{ status: "ok", eventStore: { ok, store, latencyMs } }' })
  @ApiResponse({ status: 503, description: '{ status: "unavailable", eventStore: { ok: false, store, error } }' })
  async health(@Res() res: Response): Promise<void> {
    const started = Date.now();
    try {
      await withTimeout(this.store.ping(), PING_TIMEOUT_MS);
      res.status(200).json({
        status: 'ok',
        eventStore: { ok: true, store: this.store.description, latencyMs: Date.now() - started },
      });
    } catch (error) {
      res.status(503).json({
        status: 'unavailable',
        eventStore: { ok: false, store: this.store.description, error: describe(error, this.store.description) },
      });
    }
  }

  @Get('ready')
  @ApiOperation({
    summary:
      'Readiness: 200 when every read model has caught up with the log; 503 naming what is catching up and how far behind',
  })
  @ApiResponse({
    status: 200,
    description:
      '{ status: "ready", head, readModels: [{ name, live: true, rebuilding, checkpoint, behind: "0", generation? }] } (`generation`: the stored read-model tables this instance follows)',
  })
  @ApiResponse({
    status: 503,
    description:
      '{ status: "catching_up", head, readModels: [{ name, live, rebuilding, checkpoint, behind }] } (`behind`: log positions still to apply; events on SQLite), or { status: "unavailable", eventStore } when the store is unreachable',
  })
  async ready(@Res() res: Response): Promise<void> {
    let head: bigint | undefined;
    try {
      head = await withTimeout(this.store.headPosition(), PING_TIMEOUT_MS);
    } catch (error) {
      res.status(503).json({
        status: 'unavailable',
        eventStore: { ok: false, store: this.store.description, error: describe(error, this.store.description) },
      });
      return;
    }
    const readiness = this.readModels.readiness(head);
    res.status(readiness.ready ? 200 : 503).json({
      status: readiness.ready ? 'ready' : 'catching_up',
      head: readiness.head,
      readModels: readiness.readModels,
    });
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

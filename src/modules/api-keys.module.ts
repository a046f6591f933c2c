import { Global, Module } from '@nestjs/common';
import { CLOCK, type Clock } from '../application/ports/clock.port';
import { EVENT_STORE, type EventStore } from '../application/ports/event-store.port';
import { ApiKeyService } from '../application/api-keys/api-key.service';
import { ApiKeysController } from '../adapters/inbound/http/keys/api-keys.controller';

/** API keys: global, because the guard on every /api controller authenticates keys with ApiKeyService. */
@Global()
@Module({
  controllers: [ApiKeysController],
  providers: [
    {
      provide: ApiKeyService,
      inject: [EVENT_STORE, CLOCK],
      useFactory: (store: EventStore, clock: Clock) => new ApiKeyService(store, clock),
    },
  ],
  exports: [ApiKeyService],
})
export class ApiKeysModule {}

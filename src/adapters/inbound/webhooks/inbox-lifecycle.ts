import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Express } from 'express';
import { InboxDispatcher } from '../../../application/inbox/inbox-dispatcher';
import { WebhookIntake } from '../../../application/inbox/webhook-intake';
import { tooLargeCounter } from './too-large-counter';

/** Starts the dispatcher once the app is up and stops it before the event store closes. */
@Injectable()
export class InboxLifecycle implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  constructor(
    @Inject(InboxDispatcher) private readonly dispatcher: InboxDispatcher,
    @Inject(WebhookIntake) private readonly intake: WebhookIntake,
    private readonly http: HttpAdapterHost,
  ) {}

  onModuleInit(): void {
    // Registered after the parsers and routes, before Nest's own error handler: it sees 413s and passes them on.
    const app = this.http.httpAdapter?.getInstance<Express>();
    app?.use(tooLargeCounter(() => this.intake.countTooLarge()));
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.dispatcher.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.dispatcher.stop();
  }
}

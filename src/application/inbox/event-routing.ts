import {
  PostReversalPayrollsCommand,
  RequestPostingCommand,
  RequestReversalCommand,
} from '../payroll-posting/commands';
import { SyncEmployeeCommand } from '../employee-mirror/commands';
import type { GustoWebhookReceived } from './inbox-events';

/** Employee events that can change what Acumatica should hold (status, name, department, dates). */
const EMPLOYEE_EVENTS: ReadonlySet<string> = new Set([
  'employee.created',
  'employee.updated',
  'employee.terminated',
  'employee.termination_effective',
  'employee.termination_cancelled',
  'employee.rehired',
  'employee.rehire_effective',
  'employee.rehire_cancelled',
]);

export type InboxCommand =
  RequestPostingCommand | RequestReversalCommand | PostReversalPayrollsCommand | SyncEmployeeCommand;

/** True when the connector acts on this event type (interface spec "Events the connector acts on"). */
export const isActedOn = (eventType: string): boolean =>
  eventType === 'payroll.processed' ||
  eventType === 'payroll.cancelled' ||
  eventType === 'payroll.reversed' ||
  eventType === 'payroll.partially_reversed' ||
  EMPLOYEE_EVENTS.has(eventType);

/**
 * The event type as a metrics label: the types the connector acts on by name, every other one as `other`,
 * so a stream of invented event types cannot grow the metrics (each label value is a new series).
 */
export const eventTypeLabel = (eventType: string): string => (isActedOn(eventType) ? eventType : 'other');

/**
 * The command an inbox event becomes for one connection, or null when the connector does not act on it.
 * The Gusto event uuid travels as sourceEventId and correlationId, so the posting's audit trail names it.
 */
export function commandFor(received: GustoWebhookReceived, connectionId: string): InboxCommand | null {
  const { eventType, entityUuid, eventUuid } = received;
  switch (eventType) {
    case 'payroll.processed':
      return new RequestPostingCommand(connectionId, entityUuid, 'webhook', eventUuid, eventUuid);
    case 'payroll.cancelled':
      return new RequestReversalCommand(connectionId, entityUuid, 'webhook', eventUuid, eventUuid);
    case 'payroll.reversed':
    case 'payroll.partially_reversed':
      return new PostReversalPayrollsCommand(connectionId, entityUuid, eventUuid, eventUuid);
    default:
      return EMPLOYEE_EVENTS.has(eventType)
        ? new SyncEmployeeCommand(connectionId, entityUuid, 'webhook', eventType, eventUuid, eventUuid)
        : null;
  }
}

/** Events about one entity are handled one after another, in the order they were recorded. */
export const orderingKeyOf = (received: GustoWebhookReceived): string =>
  `${received.companyUuid}:${received.entityUuid}`;

import {
  evolveCredentials,
  GUSTO_CREDENTIALS_EVENT_TYPES,
  initialCredentials,
  type GustoCredentials,
  type GustoCredentialsEvent,
} from '../../domain/connection/gusto-credentials';
import { aggregateOf, type Aggregate } from '../shared/command-handler';

/** A `gusto-credentials-<companyUuid>` stream as the command handler folds it. */
export const gustoCredentialsAggregate: Aggregate<GustoCredentials, GustoCredentialsEvent> = aggregateOf(
  initialCredentials,
  evolveCredentials,
  GUSTO_CREDENTIALS_EVENT_TYPES,
);

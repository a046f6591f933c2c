import { AcumaticaApiError } from '../ports/acumatica.port';
import type { Vault } from '../ports/vault.port';
import type { ConnectionsReadModel } from './connections-read-model';
import type { AcumaticaConnectionSettings, AcumaticaSettingsSource } from './ports';
import { openAcumaticaSettings } from './sealed-settings';

/**
 * A connection's Acumatica settings with the secrets opened, for the Acumatica client only. `onSecret`
 * lets the composition root register each opened value with the logger, which then scrubs it from any
 * line that would contain it (defence in depth: nothing is meant to log it in the first place).
 */
export class AcumaticaSettingsReader implements AcumaticaSettingsSource {
  constructor(
    private readonly readModel: ConnectionsReadModel,
    private readonly vault: Vault,
    private readonly onSecret: (value: string) => void = () => undefined,
  ) {}

  async settingsFor(connectionId: string): Promise<AcumaticaConnectionSettings> {
    const state = await this.readModel.getState(connectionId);
    if (!state) throw new AcumaticaApiError('not_found', `no connection ${connectionId}`);
    const settings = openAcumaticaSettings(this.vault, connectionId, state.acumatica);
    this.onSecret(settings.auth.password);
    if (settings.auth.kind === 'oauth2') this.onSecret(settings.auth.clientSecret);
    return settings;
  }
}

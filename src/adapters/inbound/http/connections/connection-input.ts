/** The connection DTOs as the application takes them. */
import type { NewConnection } from '../../../../application/connections/connection.service';
import type { LicenceLimits } from '../../../../domain/licence/licence-limits';
import type { AcumaticaLicenceDto, AcumaticaSettingsDto } from './connection.dto';

/** The settings as the application takes them: only the licence figures given, the auth of its kind. */
export function acumaticaInput(dto: AcumaticaSettingsDto): NewConnection['acumatica'] {
  const { auth, licence, ...acumatica } = dto;
  return {
    ...acumatica,
    ...(licence ? { licence: licenceLimits(licence) } : {}),
    auth:
      auth.kind === 'oauth2'
        ? {
            kind: 'oauth2',
            clientId: auth.clientId ?? '',
            clientSecret: auth.clientSecret ?? '',
            username: auth.username,
            password: auth.password,
          }
        : { kind: 'cookie', username: auth.username, password: auth.password },
  };
}

/** Only the figures given, as a plain object (the event stores exactly what the administrator said). */
function licenceLimits(dto: AcumaticaLicenceDto): LicenceLimits {
  return {
    ...(dto.requestsPerMinute !== undefined ? { requestsPerMinute: dto.requestsPerMinute } : {}),
    ...(dto.maxConcurrent !== undefined ? { maxConcurrent: dto.maxConcurrent } : {}),
  };
}

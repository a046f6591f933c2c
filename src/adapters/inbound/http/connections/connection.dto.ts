import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsDefined,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { DEFAULT_MAX_CONCURRENT, LICENCE_BOUNDS } from '../../../../domain/licence/licence-limits';

/**
 * An object validated by its own DTO class. Listed in the order stacked decorators are applied (bottom up),
 * so the validation errors come in the same order as when they were written out on each property.
 */
const NestedObject = (type: () => new () => object): PropertyDecorator =>
  applyDecorators(Type(type), ValidateNested(), IsObject());

const CLIENT_ID = /^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}@[^@\s]+$/;
const ENDPOINT_VERSION = /^\d{2}\.\d{3}\.\d{3}$/;

/** One class for both kinds: a discriminated class-transformer type would hide an unknown `kind` instead of naming it. */
export class AcumaticaAuthDto {
  @ApiProperty({ enum: ['oauth2', 'cookie'] })
  @IsIn(['oauth2', 'cookie'], { message: 'kind must be "oauth2" or "cookie"' })
  kind!: 'oauth2' | 'cookie';

  @ApiPropertyOptional({
    description: 'OAuth client id from Connected Applications (SM303010): GUID@Tenant',
    example: '8E0761D9-F4EC-2D4B-A60F-BCE2708C6FDD@U100',
  })
  @ValidateIf((o: AcumaticaAuthDto) => o.kind === 'oauth2')
  @Matches(CLIENT_ID, { message: 'clientId must have the form GUID@Tenant' })
  clientId?: string;

  @ApiPropertyOptional({ description: 'OAuth shared secret (oauth2 only). Encrypted at once, never returned.' })
  @ValidateIf((o: AcumaticaAuthDto) => o.kind === 'oauth2')
  @IsString()
  @IsNotEmpty()
  clientSecret?: string;

  @ApiProperty()
  @IsString()
  @IsNotEmpty()
  username!: string;

  @ApiProperty({ description: 'Encrypted at once, never returned.' })
  @IsString()
  @IsNotEmpty()
  password!: string;
}

const { requestsPerMinute: RPM, maxConcurrent: CORES } = LICENCE_BOUNDS;

/** The licence's API limits (SM604000, License tab), shared by every instance of the connector. */
export class AcumaticaLicenceDto {
  @ApiPropertyOptional({
    minimum: RPM.min,
    maximum: RPM.max,
    example: 300,
    description:
      'Maximum Number of Web Services API Requests per Minute. Omitted: requests are not paced per minute (the reference names no default figure for any licence tier).',
  })
  @IsOptional()
  @IsInt({ message: 'requestsPerMinute must be a whole number' })
  @Min(RPM.min)
  @Max(RPM.max)
  requestsPerMinute?: number;

  @ApiPropertyOptional({
    minimum: CORES.min,
    maximum: CORES.max,
    default: DEFAULT_MAX_CONCURRENT,
    description:
      'Maximum Number of Concurrent Web Services API Requests. Omitted: the connector keeps 2 requests in flight per tenant.',
  })
  @IsOptional()
  @IsInt({ message: 'maxConcurrent must be a whole number' })
  @Min(CORES.min)
  @Max(CORES.max)
  maxConcurrent?: number;
}

export class AcumaticaSettingsDto {
  @ApiProperty({ example: 'https://acme.acumatica.com' })
  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true, require_tld: false },
    { message: 'baseUrl must be an http(s) URL' },
  )
  baseUrl!: string;

  @ApiProperty({ example: 'Acme' })
  @IsString()
  @IsNotEmpty()
  tenant!: string;

  @ApiPropertyOptional({ example: 'HQ' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  branch?: string;

  @ApiPropertyOptional({ default: 'Default' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  endpointName?: string;

  @ApiProperty({ example: '24.200.001' })
  @Matches(ENDPOINT_VERSION, { message: 'endpointVersion must have the form NN.NNN.NNN (e.g. 24.200.001)' })
  endpointVersion!: string;

  @ApiProperty({ type: AcumaticaAuthDto })
  @IsDefined()
  @NestedObject(() => AcumaticaAuthDto)
  auth!: AcumaticaAuthDto;

  @ApiPropertyOptional({
    type: AcumaticaLicenceDto,
    description: 'Optional: the licence limits to pace requests by, across all instances.',
  })
  @IsOptional()
  @NestedObject(() => AcumaticaLicenceDto)
  licence?: AcumaticaLicenceDto;
}

/** PUT /api/connections/:id: the name and the whole Acumatica settings, secrets included (they are sealed anew). */
export class UpdateConnectionDto {
  @ApiProperty({ example: 'Acme Inc.' })
  @IsString()
  @IsNotEmpty()
  name!: string;

  @ApiProperty({ type: AcumaticaSettingsDto })
  @IsDefined()
  @NestedObject(() => AcumaticaSettingsDto)
  acumatica!: AcumaticaSettingsDto;
}

/** POST /api/connections: what PUT takes, plus an optional first mapping. */
export class CreateConnectionDto extends UpdateConnectionDto {
  @ApiPropertyOptional({
    description: 'The account mapping (see PUT /api/connections/:id/mapping); shape-checked only here.',
  })
  @IsOptional()
  @IsObject()
  mapping?: Record<string, unknown>;
}

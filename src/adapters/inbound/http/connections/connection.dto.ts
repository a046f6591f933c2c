import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsIn, IsNotEmpty, IsObject, IsOptional, IsString, IsUrl, Matches, ValidateIf, ValidateNested } from 'class-validator';

const CLIENT_ID = /^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}@[^@\s]+$/;
const ENDPOINT_VERSION = /^\d{2}\.\d{3}\.\d{3}$/;

/** One class for both kinds: a discriminated class-transformer type would hide an unknown `kind` instead of naming it. */
export class AcumaticaAuthDto {
  @ApiProperty({ enum: ['oauth2', 'cookie'] })
  @IsIn(['oauth2', 'cookie'], { message: 'kind must be "oauth2" or "cookie"' })
  kind!: 'oauth2' | 'cookie';

  @ApiPropertyOptional({ description: 'OAuth client id from Connected Applications (SM303010): GUID@Tenant', example: '8E0761D9-F4EC-2D4B-A60F-BCE2708C6FDD@U100' })
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

export class AcumaticaSettingsDto {
  @ApiProperty({ example: 'https://acme.acumatica.com' })
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false }, { message: 'baseUrl must be an http(s) URL' })
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
  @IsObject()
  @ValidateNested()
  @Type(() => AcumaticaAuthDto)
  auth!: AcumaticaAuthDto;
}

export class CreateConnectionDto {
  @ApiProperty({ example: 'Acme Inc.' })
  @IsString()
  @IsNotEmpty()
  name!: string;

  @ApiProperty({ type: AcumaticaSettingsDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => AcumaticaSettingsDto)
  acumatica!: AcumaticaSettingsDto;

  @ApiPropertyOptional({ description: 'The account mapping (see PUT /api/connections/:id/mapping); shape-checked only here.' })
  @IsOptional()
  @IsObject()
  mapping?: Record<string, unknown>;
}

import { ApiProperty } from '@nestjs/swagger';
import { IsDefined, IsIn, IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { ROLES, type Role } from '../../../../domain/api-key/roles';

export class CreateApiKeyDto {
  @ApiProperty({
    description: 'Who or what the key is for (shown in GET /api/keys)',
    example: 'Acme month-end auditor',
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @ApiProperty({
    enum: ROLES,
    description: 'auditor: reads; operator: + ping, mapping, preview, replay, sync, Gusto authorize; admin: everything',
  })
  @IsIn(ROLES as Role[], { message: `role must be one of ${ROLES.join(', ')}` })
  role!: Role;

  @ApiProperty({
    description: '"*" for every connection, or the ids of the connections the key may see',
    oneOf: [
      { type: 'string', enum: ['*'] },
      { type: 'array', items: { type: 'string' } },
    ],
  })
  @IsDefined({ message: 'connections must be "*" or a list of connection ids' })
  connections!: unknown;
}

/** `"*"` or a non-empty list of non-empty strings; undefined otherwise. */
export function parseConnections(value: unknown): '*' | string[] | undefined {
  if (value === '*') return '*';
  if (!Array.isArray(value) || value.length === 0 || value.length > 1000) return undefined;
  return value.every((v) => typeof v === 'string' && v.length > 0 && v.length <= 200 && v !== '*')
    ? (value as string[])
    : undefined;
}

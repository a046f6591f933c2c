import { Body, Controller, HttpCode, Inject, Post, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCookieAuth,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { EndpointVersions } from '../../../../application/console/endpoint-versions';
import { AdminAuthGuard } from '../admin-auth.guard';
import { SESSION_COOKIE } from '../auth/session-cookie';
import { consoleApiError } from './console-errors';

export class EndpointsQueryDto {
  @ApiProperty({
    description: "The Acumatica instance's URL, with its virtual directory if any",
    example: 'https://acme.acumatica.com',
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  baseUrl!: string;

  @ApiPropertyOptional({ description: 'The endpoint whose versions to list', default: 'Default' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  endpointName?: string;
}

/** For the "new connection" form (issue 16): which endpoint versions an instance offers, before any credentials. Admin (creating connections is). */
@ApiTags('console')
@ApiBearerAuth()
@ApiCookieAuth(SESSION_COOKIE)
@UseGuards(AdminAuthGuard)
@Controller('api/acumatica')
export class AcumaticaEndpointsController {
  constructor(@Inject(EndpointVersions) private readonly endpoints: EndpointVersions) {}

  @Post('endpoints')
  @HttpCode(200)
  @ApiOperation({
    summary:
      "The versions of an Acumatica instance's Default endpoint (its `GET /entity`, unauthenticated), through the outbound URL policy",
  })
  @ApiResponse({ status: 200, description: '`{ versions: ["24.200.001", …], acumaticaBuildVersion? }`' })
  @ApiResponse({
    status: 400,
    description: "`acumatica_url_not_allowed`, naming the rule (as for a connection's baseUrl)",
  })
  @ApiResponse({ status: 502, description: '`acumatica_unavailable`: unreachable, or not an Acumatica answer' })
  async versions(@Body() body: EndpointsQueryDto): Promise<{ versions: string[]; acumaticaBuildVersion?: string }> {
    const outcome = await this.endpoints.versions(body.baseUrl, body.endpointName);
    if (!outcome.ok) throw consoleApiError(outcome);
    return outcome.value;
  }
}

import { Controller, Get, Inject, Param, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import {
  ChartOfAccounts,
  type AccountRow,
  type SubaccountRow,
} from '../../../../application/console/chart-of-accounts';
import {
  DEFAULT_PAYROLL_LIMIT,
  MAX_PAYROLL_LIMIT,
  RecentPayrolls,
  type RecentPayroll,
} from '../../../../application/console/recent-payrolls';
import { AdminAuthGuard } from '../admin-auth.guard';
import { ApiError } from '../api-error';
import { ConnectionScoped, RequiresRole } from '../auth/access.decorators';
import { SESSION_COOKIE } from '../auth/session-cookie';
import { consoleValue } from './console-errors';

const activeOnly = (raw: string | undefined): boolean => {
  if (raw === undefined || raw === 'false') return false;
  if (raw === 'true') return true;
  throw new ApiError(400, 'validation_failed', 'active must be true or false', ['active: must be true or false']);
};

const payrollLimit = (raw: string | undefined): number => {
  if (raw === undefined) return DEFAULT_PAYROLL_LIMIT;
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > MAX_PAYROLL_LIMIT) {
    throw new ApiError(400, 'validation_failed', `limit must be a whole number from 1 to ${MAX_PAYROLL_LIMIT}`, [
      `limit: must be an integer from 1 to ${MAX_PAYROLL_LIMIT}`,
    ]);
  }
  return Number(raw);
};

const ACUMATICA_ERRORS =
  "404 no such connection; 502 `acumatica_authentication_failed` (in ping's words), `acumatica_endpoint_version_not_available` (details.availableVersions) or `acumatica_unavailable`";

/** Reads the console needs about one connection (issue 16): the tenant's chart of accounts and Gusto's recent payrolls. */
@ApiTags('console')
@ApiBearerAuth()
@ApiCookieAuth(SESSION_COOKIE)
@UseGuards(AdminAuthGuard)
@Controller('api/connections')
export class ConnectionReadsController {
  constructor(
    @Inject(ChartOfAccounts) private readonly chart: ChartOfAccounts,
    @Inject(RecentPayrolls) private readonly payrolls: RecentPayrolls,
  ) {}

  @Get(':id/acumatica/accounts')
  @RequiresRole('auditor')
  @ConnectionScoped('connection-param')
  @ApiOperation({ summary: "The tenant's GL accounts in Acumatica, by code (for the mapping editor's pickers)" })
  @ApiQuery({ name: 'active', required: false, enum: ['true', 'false'], description: 'true: active accounts only' })
  @ApiResponse({ status: 200, description: '`{ accounts: [{ accountCd, description, type, active }] }`' })
  @ApiResponse({ status: 502, description: ACUMATICA_ERRORS })
  async accounts(@Param('id') id: string, @Query('active') active?: string): Promise<{ accounts: AccountRow[] }> {
    return consoleValue(await this.chart.accounts(id, activeOnly(active)));
  }

  @Get(':id/acumatica/subaccounts')
  @RequiresRole('auditor')
  @ConnectionScoped('connection-param')
  @ApiOperation({
    summary: "The tenant's subaccounts in Acumatica, by code; `enabled: false` when the Subaccounts feature is off",
  })
  @ApiQuery({ name: 'active', required: false, enum: ['true', 'false'], description: 'true: active subaccounts only' })
  @ApiResponse({ status: 200, description: '`{ subaccounts: [{ subaccountCd, description, active }], enabled }`' })
  @ApiResponse({ status: 502, description: ACUMATICA_ERRORS })
  async subaccounts(
    @Param('id') id: string,
    @Query('active') active?: string,
  ): Promise<{ subaccounts: SubaccountRow[]; enabled: boolean }> {
    return consoleValue(await this.chart.subaccounts(id, activeOnly(active)));
  }

  @Get(':id/gusto/payrolls')
  @RequiresRole('auditor')
  @ConnectionScoped('connection-param')
  @ApiOperation({
    summary:
      "The company's recent Gusto payrolls (regular and off-cycle, processed or not), newest first, each with its posting",
  })
  @ApiQuery({ name: 'limit', required: false, description: `1–${MAX_PAYROLL_LIMIT}, default ${DEFAULT_PAYROLL_LIMIT}` })
  @ApiResponse({
    status: 200,
    description:
      '`{ payrolls: [{ payrollUuid, checkDate, payPeriod: { startDate, endDate }, processed, offCycle, posting: null | { id, status } }] }`',
  })
  @ApiResponse({ status: 409, description: '`gusto_not_connected` or `gusto_needs_reauthorization`' })
  @ApiResponse({ status: 502, description: '`gusto_unavailable`' })
  async recentPayrolls(
    @Param('id') id: string,
    @Query('limit') limit?: string,
  ): Promise<{ payrolls: RecentPayroll[] }> {
    return consoleValue(await this.payrolls.list(id, payrollLimit(limit)));
  }
}

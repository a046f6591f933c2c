import { Controller, HttpCode, Inject, Param, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Journal } from '../../../../domain/journal/journal';
import { PostingPreview } from '../../../../application/payroll-posting/preview';
import { AdminAuthGuard } from '../admin-auth.guard';
import { ConnectionScoped, RequiresRole } from '../auth/access.decorators';
import { ApiError } from '../api-error';
import { outboundApiError } from './posting-errors';

export interface PreviewBody {
  connectionId: string;
  payrollUuid: string;
  mappingVersion: number;
  header: Journal['header'];
  tag: string;
  lines: Journal['lines'];
  totals: Journal['totals'];
  warnings: string[];
  /**
   * Month-end accruals this payroll would bring (issue 14; empty unless the mapping enables accrual): per
   * earlier month, the accrual journal and its reversal; `accrualErrors` when they could not be built.
   */
  accruals: Array<{ month: string; days: number; periodDays: number; accrual: Journal; reversal: Journal }>;
  accrualErrors?: string[];
}

@ApiTags('postings')
@ApiBearerAuth()
@UseGuards(AdminAuthGuard)
@Controller('api/connections')
export class PreviewController {
  constructor(@Inject(PostingPreview) private readonly previews: PostingPreview) {}

  @Post(':id/payrolls/:payrollUuid/preview')
  @RequiresRole('operator')
  @ConnectionScoped('connection-param')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'The journal this payroll would become with the current mapping, without posting; 422 naming every blocking reason',
  })
  async preview(@Param('id') connectionId: string, @Param('payrollUuid') payrollUuid: string): Promise<PreviewBody> {
    let result;
    try {
      result = await this.previews.preview(connectionId, payrollUuid);
    } catch (error) {
      throw outboundApiError(error);
    }
    if (!result.ok) {
      if (result.error === 'connection_not_found')
        throw new ApiError(404, 'connection_not_found', `no connection ${connectionId}`);
      // A payroll that cannot become a journal is unprocessable as asked: 422, every reason listed.
      throw new ApiError(
        422,
        result.reasons[0]?.code ?? 'unprocessable',
        result.reasons.map((r) => r.message).join(' '),
        result.reasons,
      );
    }
    const { journal } = result;
    return {
      connectionId,
      payrollUuid,
      mappingVersion: result.mappingVersion,
      tag: journal.tag,
      header: journal.header,
      lines: journal.lines,
      totals: journal.totals,
      warnings: journal.warnings,
      accruals: result.accruals.ok ? result.accruals.accruals : [],
      ...(result.accruals.ok ? {} : { accrualErrors: result.accruals.errors }),
    };
  }
}

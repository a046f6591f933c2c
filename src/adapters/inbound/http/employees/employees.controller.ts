import { Controller, Get, Inject, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import {
  EmployeeListQuery,
  type EmployeeListError,
  type EmployeeListPage,
} from '../../../../application/employee-mirror/employee-list.query';
import { AdminAuthGuard } from '../admin-auth.guard';
import { ConnectionScoped, RequiresRole } from '../auth/access.decorators';
import { ApiError } from '../api-error';
import { EmployeeListPageView } from './employee-list.view';
import { ListEmployeesQueryDto } from './list-employees.query.dto';

/** Every named error of the query gets its status here; a new one fails to compile until it is mapped. */
function toApiError(error: EmployeeListError, connectionId: string): ApiError {
  switch (error) {
    case 'connection_not_found':
      return new ApiError(404, error, `no connection ${connectionId}`);
    case 'invalid_cursor':
      return new ApiError(400, error, 'cursor is not a `next` value this endpoint gave out');
    default: {
      const unreachable: never = error;
      return new ApiError(500, 'internal_error', String(unreachable));
    }
  }
}

@ApiTags('employees')
@ApiBearerAuth()
@UseGuards(AdminAuthGuard)
@Controller('api/employees')
export class EmployeesController {
  constructor(@Inject(EmployeeListQuery) private readonly employees: EmployeeListQuery) {}

  @Get()
  @RequiresRole('auditor')
  @ConnectionScoped('connection-query')
  @ApiOperation({
    summary: 'The employee mirror of a connection',
    description:
      'Per Gusto employee: name, status in Acumatica (not_mirrored, active, termination_scheduled, terminated), Acumatica EmployeeID, ' +
      'last sync, `drift` when Acumatica was changed by hand and disagrees with Gusto, `problem` when the employee cannot be mirrored ' +
      '(e.g. a Gusto department with no Acumatica department in the mapping). Ordered by Gusto uuid; page with `next`.',
  })
  @ApiOkResponse({ type: EmployeeListPageView })
  @ApiResponse({ status: 400, description: 'connectionId missing, bad limit or cursor' })
  @ApiResponse({ status: 404, description: 'No such connection' })
  async list(@Query() query: ListEmployeesQueryDto): Promise<EmployeeListPage> {
    const page = await this.employees.list(query.connectionId, { limit: query.limit, cursor: query.cursor });
    if (typeof page === 'string') throw toApiError(page, query.connectionId);
    return page;
  }
}

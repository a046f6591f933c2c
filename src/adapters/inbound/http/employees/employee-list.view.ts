import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** OpenAPI shapes of GET /api/employees (documentation only: the query returns plain objects). */
class DriftedFieldView {
  @ApiProperty({ enum: ['firstName', 'lastName', 'email', 'title', 'departmentId', 'status'] }) field: string;
  @ApiProperty({ nullable: true, description: 'What Gusto says' }) gusto: string | null;
  @ApiProperty({ nullable: true, description: 'What someone typed into Acumatica' }) acumatica: string | null;
  @ApiProperty({ nullable: true, description: 'What the connector last wrote' }) lastWritten: string | null;
}

class DriftView {
  @ApiProperty({ type: [DriftedFieldView] }) fields: DriftedFieldView[];
}

class ProblemView {
  @ApiProperty({
    enum: [
      'mapping_missing',
      'department_unmapped',
      'department_missing',
      'gusto_employee_not_found',
      'acumatica_employee_missing',
      'acumatica_rejected',
    ],
  })
  code: string;
  @ApiProperty({
    example:
      'Gusto department "Legal" has no Acumatica department in the mapping (employees.departments) and no employees.defaultDepartment is set.',
  })
  message: string;
}

export class EmployeeListItemView {
  @ApiProperty() gustoUuid: string;
  @ApiProperty({ example: 'Priya Raman' }) name: string;
  @ApiProperty({ enum: ['not_mirrored', 'active', 'termination_scheduled', 'terminated'] }) status: string;
  @ApiProperty({ nullable: true, example: 'EP00000042' }) acumaticaEmployeeId: string | null;
  @ApiProperty({
    nullable: true,
    description: 'When the mirror last checked this employee (its last change, or the last full sync)',
  })
  lastSyncAt: string | null;
  @ApiPropertyOptional({ type: DriftView, description: 'Acumatica was changed by hand and disagrees with Gusto' })
  drift?: DriftView;
  @ApiPropertyOptional({ type: ProblemView, description: 'Why the employee is not (fully) mirrored' })
  problem?: ProblemView;
}

export class EmployeeListPageView {
  @ApiProperty({ type: [EmployeeListItemView] }) items: EmployeeListItemView[];
  @ApiProperty({ nullable: true, type: String, description: 'Pass as `cursor` for the next page' }) next: string | null;
}

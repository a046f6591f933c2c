import { FakeConnections } from '../../../../support/fake-connections';
import {
  AcumaticaApiError,
  type AcumaticaApi,
  type AcumaticaEmployee,
} from '../../../../../src/application/ports/acumatica.port';
import { GustoApiError, type GustoApi } from '../../../../../src/application/ports/gusto.port';
import type { GustoEmployee } from '../../../../../src/domain/payroll/gusto-payroll';

/** Gusto, as far as the mirror reads it: employees by uuid. */
export class FakeGusto implements Pick<GustoApi, 'getEmployee' | 'listEmployees'> {
  employees = new Map<string, GustoEmployee>();
  reads = 0;
  async getEmployee(_connectionId: string, uuid: string): Promise<GustoEmployee> {
    this.reads++;
    const e = this.employees.get(uuid);
    if (!e) throw new GustoApiError('not_found', `employee ${uuid} not found`, 404);
    return structuredClone(e);
  }
  async listEmployees(): Promise<GustoEmployee[]> {
    return [...this.employees.values()].map((e) => structuredClone(e));
  }
  hire(uuid: string, overrides: Partial<GustoEmployee> = {}): GustoEmployee {
    const e: GustoEmployee = {
      uuid,
      company_uuid: 'company-1',
      first_name: 'Avery',
      last_name: `Chen-${uuid}`,
      email: `${uuid}@home.example`,
      work_email: `${uuid}@acme.example`,
      department: 'Engineering',
      terminated: false,
      jobs: [{ uuid: `job-${uuid}`, title: 'Engineer', hire_date: '2025-01-06', primary: true }],
      terminations: [],
      ...overrides,
    };
    this.employees.set(uuid, e);
    return e;
  }
}

/** Acumatica's Employee entity with PUT-as-upsert, auto-numbered EmployeeID, history lines by id, and call counting. */
export class FakeAcumatica implements Pick<
  AcumaticaApi,
  'findEmployeeByRefNbr' | 'findEmployeeByEmail' | 'putEmployee'
> {
  records: AcumaticaEmployee[] = [];
  puts: AcumaticaEmployee[] = [];
  inFlight = 0;
  maxInFlight = 0;
  /** Next PUT fails with this error once. */
  failNext?: AcumaticaApiError;
  private seq = 0;
  private tick = 0;
  constructor(private readonly departments = new Set(['ENG', 'ADMIN', 'FIN', 'SALES'])) {}

  private async slow<T>(work: () => T): Promise<T> {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    await new Promise((r) => setTimeout(r, 1));
    this.inFlight--;
    return work();
  }
  async findEmployeeByRefNbr(_c: string, refNbr: string): Promise<AcumaticaEmployee | null> {
    return this.slow(() => structuredClone(this.records.find((r) => r.refNbr === refNbr) ?? null));
  }
  async findEmployeeByEmail(_c: string, email: string): Promise<AcumaticaEmployee | null> {
    return this.slow(() =>
      structuredClone(this.records.find((r) => r.email?.toLowerCase() === email.toLowerCase()) ?? null),
    );
  }
  stamp(): string {
    return new Date(Date.UTC(2026, 2, 2, 18, 0, 0, ++this.tick)).toISOString();
  }
  async putEmployee(_c: string, body: AcumaticaEmployee): Promise<AcumaticaEmployee> {
    return this.slow(() => {
      this.puts.push(structuredClone(body));
      if (this.failNext) {
        const error = this.failNext;
        this.failNext = undefined;
        throw error;
      }
      if (body.departmentId && !this.departments.has(body.departmentId)) {
        throw new AcumaticaApiError(
          'validation',
          "Inserting 'Employee' record raised at least one error.",
          422,
          undefined,
          ["EmployeeSettings.DepartmentID: Error: 'Department ID' cannot be found in the system."],
        );
      }
      let record = body.employeeId ? this.records.find((r) => r.employeeId === body.employeeId) : undefined;
      if (!record) {
        record = { employeeId: `EP${String(++this.seq).padStart(8, '0')}`, status: 'Active', employmentHistory: [] };
        this.records.push(record);
      }
      const { employmentHistory, employeeId: _id, ...fields } = body;
      Object.assign(record, Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)));
      for (const line of employmentHistory ?? []) {
        const existing = line.id ? record.employmentHistory!.find((l) => l.id === line.id) : undefined;
        if (existing)
          Object.assign(existing, line, {
            endDate: line.endDate === null ? undefined : (line.endDate ?? existing.endDate),
          });
        else
          record.employmentHistory!.push({
            ...line,
            id: `line-${record.employeeId}-${record.employmentHistory!.length + 1}`,
            endDate: line.endDate ?? undefined,
          });
      }
      record.lastModifiedDateTime = this.stamp();
      return structuredClone(record);
    });
  }
  /** A person edits the record in the Acumatica UI. */
  editByHand(employeeId: string, edit: Partial<AcumaticaEmployee>): void {
    const record = this.records.find((r) => r.employeeId === employeeId)!;
    Object.assign(record, edit, { lastModifiedDateTime: this.stamp() });
  }
}

/** The mirror tests' connection: conn-1 for company-1 (Acme), with an employees mapping. */
export function mirrorConnections(): FakeConnections {
  const connections = new FakeConnections().connect('conn-1', 'company-1', 'Acme');
  connections.document = {
    employees: {
      defaultDepartment: 'ADMIN',
      departments: { Engineering: 'ENG', Finance: 'FIN' },
      employeeClass: 'EMPSTAND',
    },
  };
  return connections;
}

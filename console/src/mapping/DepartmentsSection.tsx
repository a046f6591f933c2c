import { Field } from '../components/Field';
import type { GlSubaccount } from '../types';
import { updateAt, type Draft } from './draft';
import { SubaccountPicker } from './pickers';

interface Props {
  draft: Draft;
  onChange: (d: Draft) => void;
  subaccounts: GlSubaccount[] | undefined;
  errors: Map<string, string[]>;
  readOnly: boolean;
}

/** Department subaccounts for expense lines, and how Gusto employees are mirrored into Acumatica. */
export function DepartmentsSection({ draft, onChange, subaccounts, errors, readOnly }: Props) {
  const rows = draft.departmentSubaccounts;
  const emp = draft.employees;
  const setRows = (next: Draft['departmentSubaccounts']) => onChange({ ...draft, departmentSubaccounts: next });
  const setEmp = (next: Partial<Draft['employees']>) => onChange({ ...draft, employees: { ...emp, ...next } });
  return (
    <>
      <section aria-labelledby="departments-title">
        <h2 id="departments-title">Departments</h2>
        <p className="muted">
          In department and employee detail, an expense line of an employee in one of these Gusto departments takes its
          subaccount.
        </p>
        <div className="table-wrap">
          <table className="mapping">
            <thead>
              <tr>
                <th scope="col">Gusto department</th>
                <th scope="col">Subaccount</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r, i) => {
                const messages = errors.get(`subaccountsByDepartment.${r.department.trim()}`) ?? [];
                return (
                  <tr key={i} className={messages.length ? 'invalid' : undefined}>
                    <td>
                      <input
                        aria-label={`Gusto department ${i + 1}`}
                        disabled={readOnly}
                        value={r.department}
                        onChange={(e) => setRows(updateAt(rows, i, { department: e.target.value }))}
                      />
                      {messages.length ? (
                        <p className="field-error" data-testid="mapping-error">
                          {messages.join(' ')}
                        </p>
                      ) : null}
                    </td>
                    <td>
                      <SubaccountPicker
                        label={`Subaccount for department ${r.department || i + 1}`}
                        emptyLabel="— choose —"
                        subaccounts={subaccounts}
                        value={r.subaccount}
                        disabled={readOnly}
                        onChange={(subaccount) => setRows(updateAt(rows, i, { subaccount }))}
                      />
                      {readOnly ? null : (
                        <button
                          type="button"
                          className="link"
                          onClick={() => setRows(rows.filter((_, j) => j !== i))}
                          aria-label={`Remove department ${r.department || i + 1}`}
                        >
                          Remove
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
        {readOnly ? null : (
          <button
            type="button"
            className="secondary"
            onClick={() => setRows([...rows, { department: '', subaccount: '' }])}
          >
            Add department subaccount
          </button>
        )}
      </section>
      <section aria-labelledby="employees-title">
        <h2 id="employees-title">Employees in Acumatica</h2>
        <div className="grid-form two">
          <Field
            label="Default Acumatica department"
            hint="For Gusto departments not listed below; without it such employees are reported, not mirrored."
            errors={errors.get('employees.defaultDepartment')}
            errorTestId="mapping-error"
          >
            {(ids) => (
              <input
                id={ids.id}
                aria-describedby={ids.describedBy}
                disabled={readOnly}
                value={emp.defaultDepartment}
                onChange={(e) => setEmp({ defaultDepartment: e.target.value })}
              />
            )}
          </Field>
          <Field label="Employee class" errors={errors.get('employees.employeeClass')} errorTestId="mapping-error">
            {(ids) => (
              <input
                id={ids.id}
                aria-describedby={ids.describedBy}
                disabled={readOnly}
                value={emp.employeeClass}
                onChange={(e) => setEmp({ employeeClass: e.target.value })}
              />
            )}
          </Field>
          <Field
            label="When someone edits a mirrored employee in Acumatica"
            errors={errors.get('employees.driftPolicy')}
            errorTestId="mapping-error"
          >
            {(ids) => (
              <select
                id={ids.id}
                aria-describedby={ids.describedBy}
                disabled={readOnly}
                value={emp.driftPolicy}
                onChange={(e) => setEmp({ driftPolicy: e.target.value as 'flag' | 'overwrite' })}
              >
                <option value="flag">Flag the drift (default)</option>
                <option value="overwrite">Overwrite with Gusto's data</option>
              </select>
            )}
          </Field>
        </div>
        <div className="table-wrap">
          <table className="mapping">
            <caption>Gusto department → Acumatica department</caption>
            <tbody>
              {emp.departments.map((r, i) => (
                <tr key={i}>
                  <td>
                    <input
                      aria-label={`Gusto department for employees ${i + 1}`}
                      disabled={readOnly}
                      value={r.gusto}
                      onChange={(e) =>
                        setEmp({
                          departments: updateAt(emp.departments, i, { gusto: e.target.value }),
                        })
                      }
                    />
                  </td>
                  <td>
                    <input
                      aria-label={`Acumatica department for ${r.gusto || `row ${i + 1}`}`}
                      disabled={readOnly}
                      value={r.acumatica}
                      onChange={(e) =>
                        setEmp({
                          departments: updateAt(emp.departments, i, { acumatica: e.target.value }),
                        })
                      }
                    />
                    {(errors.get(`employees.departments.${r.gusto.trim()}`) ?? []).map((m, k) => (
                      <p key={k} className="field-error" data-testid="mapping-error">
                        {m}
                      </p>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {readOnly ? null : (
          <button
            type="button"
            className="secondary"
            onClick={() => setEmp({ departments: [...emp.departments, { gusto: '', acumatica: '' }] })}
          >
            Add employee department
          </button>
        )}
      </section>
    </>
  );
}

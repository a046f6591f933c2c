import { Field } from '../components/Field';
import type { Draft } from './draft';

type Journal = Draft['journal'];
type FieldIds = { id: string; describedBy?: string; invalid?: boolean };

/** The journal's settings: branch, ledger, detail, release, and the books options (cash, entry date, accrual, rounding). */
export function OptionsSection(props: {
  journal: Journal;
  onChange: (j: Journal) => void;
  errors: Map<string, string[]>;
  readOnly: boolean;
}) {
  const { journal: j, errors } = props;
  const set = <K extends keyof Journal>(key: K, value: Journal[K]) => props.onChange({ ...j, [key]: value });
  const at = (...paths: string[]) => paths.flatMap((p) => errors.get(`journal.${p}`) ?? []);
  const controlProps = (ids: FieldIds) => ({
    id: ids.id,
    'aria-describedby': ids.describedBy,
    'aria-invalid': ids.invalid,
    disabled: props.readOnly,
  });
  const text = (key: 'branch' | 'ledger') => (ids: FieldIds) => (
    <input {...controlProps(ids)} value={j[key]} onChange={(e) => set(key, e.target.value)} />
  );
  const choice =
    <K extends 'detail' | 'cash' | 'entryDate'>(key: K, options: Array<[Journal[K], string]>) =>
    (ids: FieldIds) => (
      <select {...controlProps(ids)} value={j[key]} onChange={(e) => set(key, e.target.value as Journal[K])}>
        {options.map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>
    );
  return (
    <section aria-labelledby="journal-title">
      <h2 id="journal-title">Journal</h2>
      <div className="grid-form two">
        <Field label="Branch" errors={at('branch')} errorTestId="mapping-error">
          {text('branch')}
        </Field>
        <Field label="Ledger" errors={at('ledger')} errorTestId="mapping-error">
          {text('ledger')}
        </Field>
        <Field
          label="Detail"
          hint="Summary: one line per account. Department: expense lines split by Gusto department. Employee: one line per employee and component."
          errors={at('detail')}
          errorTestId="mapping-error"
        >
          {choice('detail', [
            ['summary', 'Summary'],
            ['department', 'By department'],
            ['employee', 'By employee'],
          ])}
        </Field>
        <Field
          label="Cash"
          hint="Liabilities: net pay and taxes stay on their liability accounts. Bank: one cash line per Gusto withdrawal, so the bank feed matches 1:1."
          errors={at('cash')}
          errorTestId="mapping-error"
        >
          {choice('cash', [
            ['liabilities', 'Liabilities (default)'],
            ['bank', 'One line per bank withdrawal'],
          ])}
        </Field>
        <Field label="Entry date" errors={at('entryDate')} errorTestId="mapping-error">
          {choice('entryDate', [
            ['check_date', 'Check date (default)'],
            ['period_end', 'End of the pay period'],
          ])}
        </Field>
        <Field
          label="Rounding tolerance (cents)"
          hint="A difference against Gusto's totals up to this many cents posts to the rounding role with a warning (0–10000)."
          errors={at('rounding', 'rounding.toleranceCents')}
          errorTestId="mapping-error"
        >
          {(ids) => (
            <input
              id={ids.id}
              aria-describedby={ids.describedBy}
              aria-invalid={ids.invalid}
              disabled={props.readOnly}
              type="number"
              min={0}
              max={10000}
              step={1}
              inputMode="numeric"
              value={j.toleranceCents}
              onChange={(e) => set('toleranceCents', e.target.value)}
            />
          )}
        </Field>
      </div>
      <fieldset className="checks" disabled={props.readOnly}>
        <legend>Options</legend>
        <label className="inline">
          <input type="checkbox" checked={j.release} onChange={(e) => set('release', e.target.checked)} /> Release the
          batch after creating it
        </label>
        <label className="inline">
          <input type="checkbox" checked={j.accrual} onChange={(e) => set('accrual', e.target.checked)} /> Accrue pay
          earned in an earlier month (role accruedPayroll)
        </label>
        <label className="inline">
          <input
            type="checkbox"
            checked={j.splitLiabilitiesByDepartment}
            onChange={(e) => set('splitLiabilitiesByDepartment', e.target.checked)}
          />{' '}
          Split liabilities by department too
        </label>
        {[...at('release'), ...at('accrual', 'accrual.enabled'), ...at('splitLiabilitiesByDepartment')].map((m, i) => (
          <p key={i} className="field-error" data-testid="mapping-error">
            {m}
          </p>
        ))}
      </fieldset>
    </section>
  );
}

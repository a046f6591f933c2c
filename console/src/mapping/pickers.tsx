import type { GlAccount, GlSubaccount } from '../types';

interface PickerProps {
  id?: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  disabled?: boolean;
  describedBy?: string;
  invalid?: boolean;
  emptyLabel?: string;
}

/** One entry of a chart (an account or a subaccount) as a picker shows it. */
interface ChartEntry {
  code: string;
  text: string;
  active: boolean;
}

/**
 * A picker fed by the tenant's chart. A value the chart does not hold (or holds inactive) stays visible and
 * marked, so the reader sees what the saved mapping says. Without a chart (Acumatica unreachable) the code is
 * typed.
 */
function ChartPicker(props: PickerProps & { entries: ChartEntry[] | undefined; placeholder: string; empty: string }) {
  const { entries, value } = props;
  const common = {
    id: props.id,
    'aria-label': props.label,
    'aria-describedby': props.describedBy,
    'aria-invalid': props.invalid,
    value,
    disabled: props.disabled,
  };
  if (!entries)
    return (
      <input {...common} onChange={(e) => props.onChange(e.target.value.trim())} placeholder={props.placeholder} />
    );
  const known = entries.some((e) => e.code === value);
  return (
    <select {...common} onChange={(e) => props.onChange(e.target.value)}>
      <option value="">{props.emptyLabel ?? props.empty}</option>
      {value && !known ? <option value={value}>{value} (not in Acumatica)</option> : null}
      {entries.map((e) => (
        <option key={e.code} value={e.code} disabled={!e.active && e.code !== value}>
          {e.text}
          {e.active ? '' : ' — inactive'}
        </option>
      ))}
    </select>
  );
}

export function AccountPicker(props: PickerProps & { accounts: GlAccount[] | undefined }) {
  const entries = props.accounts?.map((a) => ({
    code: a.accountCd,
    text: `${a.accountCd}${a.description ? ` — ${a.description}` : ''}${a.type ? ` (${a.type})` : ''}`,
    active: a.active,
  }));
  return <ChartPicker {...props} entries={entries} placeholder="AccountCD" empty="— not mapped —" />;
}

export function SubaccountPicker(props: PickerProps & { subaccounts: GlSubaccount[] | undefined }) {
  const entries = props.subaccounts?.map((s) => ({
    code: s.subaccountCd,
    text: `${s.subaccountCd}${s.description ? ` — ${s.description}` : ''}`,
    active: s.active,
  }));
  return <ChartPicker {...props} entries={entries} placeholder="SubaccountCD" empty="— default —" />;
}

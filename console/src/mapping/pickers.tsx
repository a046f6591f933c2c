import type { GlAccount, GlSubaccount } from '../types';

interface PickerProps {
  id?: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  disabled?: boolean;
  describedBy?: string;
  invalid?: boolean;
}

/**
 * An account picker fed by the tenant's chart of accounts. A value the chart does not hold (or holds
 * inactive) stays visible and marked, so the reader sees what the saved mapping says. Without a chart
 * (Acumatica unreachable) the account is typed.
 */
export function AccountPicker(props: PickerProps & { accounts: GlAccount[] | undefined; emptyLabel?: string }) {
  const { accounts, value } = props;
  if (!accounts)
    return (
      <input
        id={props.id}
        aria-label={props.label}
        value={value}
        disabled={props.disabled}
        onChange={(e) => props.onChange(e.target.value.trim())}
        aria-describedby={props.describedBy}
        aria-invalid={props.invalid}
        placeholder="AccountCD"
      />
    );
  const known = accounts.find((a) => a.accountCd === value);
  return (
    <select
      id={props.id}
      aria-label={props.label}
      value={value}
      disabled={props.disabled}
      onChange={(e) => props.onChange(e.target.value)}
      aria-describedby={props.describedBy}
      aria-invalid={props.invalid}
    >
      <option value="">{props.emptyLabel ?? '— not mapped —'}</option>
      {value && !known ? <option value={value}>{value} (not in Acumatica)</option> : null}
      {accounts.map((a) => (
        <option key={a.accountCd} value={a.accountCd} disabled={!a.active && a.accountCd !== value}>
          {a.accountCd}
          {a.description ? ` — ${a.description}` : ''}
          {a.type ? ` (${a.type})` : ''}
          {a.active ? '' : ' — inactive'}
        </option>
      ))}
    </select>
  );
}

export function SubaccountPicker(
  props: PickerProps & { subaccounts: GlSubaccount[] | undefined; emptyLabel?: string },
) {
  const { subaccounts, value } = props;
  if (!subaccounts)
    return (
      <input
        id={props.id}
        aria-label={props.label}
        value={value}
        disabled={props.disabled}
        onChange={(e) => props.onChange(e.target.value.trim())}
        aria-describedby={props.describedBy}
        aria-invalid={props.invalid}
        placeholder="SubaccountCD"
      />
    );
  const known = subaccounts.find((s) => s.subaccountCd === value);
  return (
    <select
      id={props.id}
      aria-label={props.label}
      value={value}
      disabled={props.disabled}
      onChange={(e) => props.onChange(e.target.value)}
      aria-describedby={props.describedBy}
      aria-invalid={props.invalid}
    >
      <option value="">{props.emptyLabel ?? '— default —'}</option>
      {value && !known ? <option value={value}>{value} (not in Acumatica)</option> : null}
      {subaccounts.map((s) => (
        <option key={s.subaccountCd} value={s.subaccountCd} disabled={!s.active && s.subaccountCd !== value}>
          {s.subaccountCd}
          {s.description ? ` — ${s.description}` : ''}
          {s.active ? '' : ' — inactive'}
        </option>
      ))}
    </select>
  );
}

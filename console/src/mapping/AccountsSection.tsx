import { useState } from 'react';
import type { GlAccount, GlSubaccount } from '../types';
import { AccountPicker, SubaccountPicker } from './pickers';
import { ALL_ROLES, ROLE_GROUPS } from './roles';
import { isOverride, type AccountRow } from './draft';

interface Props {
  rows: AccountRow[];
  onChange: (rows: AccountRow[]) => void;
  accounts: GlAccount[] | undefined;
  subaccounts: GlSubaccount[] | undefined;
  errors: Map<string, string[]>;
  readOnly: boolean;
}

const errorsOf = (errors: Map<string, string[]>, key: string): string[] => [
  ...(errors.get(`accounts.${key}`) ?? []),
  ...(errors.get(`accounts.${key}.account`) ?? []).map((m) => `Account: ${m}`),
  ...(errors.get(`accounts.${key}.subaccount`) ?? []).map((m) => `Subaccount: ${m}`),
];

/** Every role and every `role:Component` override, each with an account and a subaccount picker. */
export function AccountsSection(props: Props) {
  const { rows } = props;
  const update = (key: string, change: Partial<AccountRow>) =>
    props.onChange(rows.map((r) => (r.key === key ? { ...r, ...change } : r)));
  const overrides = rows.filter((r) => isOverride(r.key));
  return (
    <section aria-labelledby="accounts-title">
      <h2 id="accounts-title">Accounts</h2>
      {ROLE_GROUPS.map((group) => (
        <div key={group.title} className="table-wrap">
          <table className="mapping">
            <caption>
              {group.title}
              {group.note ? <span className="muted"> — {group.note}</span> : null}
            </caption>
            <thead>
              <tr>
                <th scope="col">Role</th>
                <th scope="col">Account</th>
                <th scope="col">Subaccount</th>
              </tr>
            </thead>
            <tbody>
              {group.roles.map((info) => {
                const row = rows.find((r) => r.key === info.role) ?? { key: info.role, account: '', subaccount: '' };
                return (
                  <EntryRow
                    key={info.role}
                    row={row}
                    label={info.role}
                    what={`${info.what} (${info.side})`}
                    {...props}
                    update={update}
                  />
                );
              })}
            </tbody>
          </table>
        </div>
      ))}
      <div className="table-wrap">
        <table className="mapping">
          <caption>Overrides for one pay component (role:Component, Gusto's exact name)</caption>
          <thead>
            <tr>
              <th scope="col">Component</th>
              <th scope="col">Account</th>
              <th scope="col">Subaccount</th>
            </tr>
          </thead>
          <tbody>
            {overrides.length === 0 ? (
              <tr>
                <td colSpan={3} className="muted">
                  No override: every component posts to its role's account.
                </td>
              </tr>
            ) : null}
            {overrides.map((row) => (
              <EntryRow
                key={row.key}
                row={row}
                label={row.key}
                {...props}
                update={update}
                onRemove={() => props.onChange(rows.filter((r) => r.key !== row.key))}
              />
            ))}
          </tbody>
        </table>
      </div>
      {props.readOnly ? null : (
        <AddOverride
          existing={rows.map((r) => r.key)}
          onAdd={(key) => props.onChange([...rows, { key, account: '', subaccount: '' }])}
        />
      )}
    </section>
  );
}

function EntryRow(
  props: Props & {
    row: AccountRow;
    label: string;
    what?: string;
    update: (key: string, change: Partial<AccountRow>) => void;
    onRemove?: () => void;
  },
) {
  const { row, errors } = props;
  const messages = errorsOf(errors, row.key);
  const errorId = `err-${row.key.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  return (
    <tr className={messages.length ? 'invalid' : undefined} data-mapping-key={row.key}>
      <th scope="row">
        <code>{props.label}</code>
        {props.what ? <div className="muted small">{props.what}</div> : null}
        {messages.length ? (
          <p className="field-error" id={errorId} data-testid="mapping-error" data-mapping-key={row.key}>
            {messages.join(' ')}
          </p>
        ) : null}
      </th>
      <td data-label="Account">
        <AccountPicker
          label={`Account for ${row.key}`}
          accounts={props.accounts}
          value={row.account}
          disabled={props.readOnly}
          invalid={messages.length ? true : undefined}
          describedBy={messages.length ? errorId : undefined}
          onChange={(account) => props.update(row.key, { account })}
        />
      </td>
      <td data-label="Subaccount">
        <SubaccountPicker
          label={`Subaccount for ${row.key}`}
          subaccounts={props.subaccounts}
          value={row.subaccount}
          disabled={props.readOnly}
          onChange={(subaccount) => props.update(row.key, { subaccount })}
        />
        {props.onRemove && !props.readOnly ? (
          <button type="button" className="link" onClick={props.onRemove} aria-label={`Remove override ${row.key}`}>
            Remove
          </button>
        ) : null}
      </td>
    </tr>
  );
}

function AddOverride({ existing, onAdd }: { existing: string[]; onAdd: (key: string) => void }) {
  const [role, setRole] = useState(ALL_ROLES[0]);
  const [component, setComponent] = useState('');
  const key = `${role}:${component.trim()}`;
  const taken = existing.includes(key);
  return (
    <div className="add-row" role="group" aria-label="Add an override">
      <label className="inline">
        <span>Role</span>
        <select aria-label="Role" value={role} onChange={(e) => setRole(e.target.value)}>
          {ALL_ROLES.map((r) => (
            <option key={r}>{r}</option>
          ))}
        </select>
      </label>
      <label className="inline">
        <span>Component</span>
        <input
          aria-label="Component"
          value={component}
          onChange={(e) => setComponent(e.target.value)}
          placeholder="e.g. Overtime"
        />
      </label>
      <button
        type="button"
        className="secondary"
        disabled={!component.trim() || taken}
        onClick={() => (onAdd(key), setComponent(''))}
      >
        Add override
      </button>
      {taken ? <span className="muted">{key} is already listed.</span> : null}
    </div>
  );
}

import { useEffect, useRef, type ReactNode } from 'react';
import { Link } from '../router';
import type { Connection, Principal } from '../types';

const SECTIONS: Array<[string, string]> = [
  ['connections', 'Connections'],
  ['mapping', 'Mapping'],
  ['postings', 'Postings'],
  ['employees', 'Employees'],
  ['audit', 'Audit'],
  ['tie-out', 'Tie-out'],
];

const ROLE_WORDS = { admin: 'Administrator', operator: 'Operator', auditor: 'Auditor (read only)' } as const;

export function Layout(props: {
  principal: Principal;
  section: string;
  connections: Connection[];
  selected: string | null;
  onSelect: (id: string) => void;
  onSignOut: () => void;
  children: ReactNode;
}) {
  const { principal, section, connections, selected } = props;
  // A new page moves the focus to the content, so keyboard and screen-reader users start there (not on first load).
  const shown = useRef(section);
  useEffect(() => {
    if (shown.current === section) return;
    shown.current = section;
    document.getElementById('main')?.focus();
  }, [section]);
  return (
    <>
      <a className="skip" href="#main" onClick={(e) => (e.preventDefault(), document.getElementById('main')?.focus())}>
        Skip to content
      </a>
      <header className="top">
        <div className="brand">ml-connector</div>
        <nav aria-label="Sections">
          <ul>
            {SECTIONS.map(([key, label]) => (
              <li key={key}>
                <Link to={`/${key}`} aria-current={section === key ? 'page' : undefined}>
                  {label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="who">
          {connections.length > 0 ? (
            <label className="inline">
              <span>Connection</span>
              <select aria-label="Connection" value={selected ?? ''} onChange={(e) => props.onSelect(e.target.value)}>
                {connections.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name}
                  </option>
                ))}
              </select>
            </label>
          ) : null}
          <span className="principal" data-testid="principal">
            {principal.name} · {ROLE_WORDS[principal.role] ?? principal.role}
          </span>
          <button type="button" className="secondary" onClick={props.onSignOut}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {props.children}
      </main>
    </>
  );
}

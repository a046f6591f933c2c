import { useState } from 'react';
import { api } from '../api';
import type { Access } from '../access';
import { GustoConnectForm, GustoReturnNotice, type GustoReturn } from '../components/GustoConnect';
import { ErrorNotice, Loading } from '../components/Notice';
import { PingReport, lastPings, rememberPing } from '../components/PingReport';
import type { Loaded } from '../hooks';
import { GUSTO_WORDS, dateTime } from '../format';
import { Link, navigate } from '../router';
import type { Connection, PingResult } from '../types';

export function ConnectionsPage(props: {
  connections: Loaded<Connection[]>;
  access: Access;
  selected: string | null;
  onSelect: (id: string) => void;
  gustoReturn?: GustoReturn;
}) {
  const { connections, access, gustoReturn } = props;
  return (
    <section aria-labelledby="connections-title">
      <div className="title-row">
        <h1 id="connections-title">Connections</h1>
        {access.createConnections ? (
          <Link className="button" to="/connections/new">
            New connection
          </Link>
        ) : null}
      </div>
      {gustoReturn ? <GustoReturnNotice gustoReturn={gustoReturn} onDone={connections.reload} /> : null}
      {connections.loading && !connections.data ? <Loading what="connections" /> : null}
      {connections.data?.length === 0 ? (
        <p>No connection yet.{access.createConnections ? ' Create one with “New connection”.' : ''}</p>
      ) : null}
      <ul className="cards">
        {(connections.data ?? []).map((c) => (
          <ConnectionRow
            key={c.id}
            connection={c}
            access={access}
            selected={c.id === props.selected}
            onSelect={props.onSelect}
          />
        ))}
      </ul>
    </section>
  );
}

function ConnectionRow({
  connection: c,
  access,
  selected,
  onSelect,
}: {
  connection: Connection;
  access: Access;
  selected: boolean;
  onSelect: (id: string) => void;
}) {
  const [ping, setPing] = useState<{ at: string; result: PingResult } | undefined>(() => lastPings()[c.id]);
  const [testing, setTesting] = useState(false);
  const [error, setError] = useState<unknown>();
  const test = async () => {
    setTesting(true);
    setError(undefined);
    try {
      const result = await api.ping(c.id);
      rememberPing(c.id, result);
      setPing({ at: new Date().toISOString(), result });
    } catch (failure) {
      setError(failure);
    } finally {
      setTesting(false);
    }
  };
  const titleId = `connection-${c.id}`;
  const open = (path: string) => (onSelect(c.id), navigate(path));
  return (
    <li
      className={`card${selected ? ' selected' : ''}`}
      data-testid="connection-row"
      data-connection-id={c.id}
      aria-labelledby={titleId}
    >
      <h2 id={titleId}>{c.name}</h2>
      <dl className="facts">
        <dt>Gusto</dt>
        <dd>
          <span className={`badge gusto-${c.gusto.status}`} data-testid="gusto-status">
            {GUSTO_WORDS[c.gusto.status] ?? c.gusto.status}
          </span>
          {c.gusto.companyUuid ? <span className="muted"> company {c.gusto.companyUuid}</span> : null}
        </dd>
        <dt>Acumatica</dt>
        <dd>
          {c.acumatica.baseUrl} · tenant {c.acumatica.tenant} · {c.acumatica.endpointName} {c.acumatica.endpointVersion}{' '}
          · {c.acumatica.auth.kind === 'oauth2' ? 'OAuth 2' : 'cookie'} as {c.acumatica.auth.username}
        </dd>
        <dt>Mapping</dt>
        <dd>{c.mapping ? `version ${c.mapping.version}, accepted ${dateTime(c.mapping.acceptedAt)}` : 'none yet'}</dd>
        <dt>Last test</dt>
        <dd data-testid="last-ping">
          {ping
            ? ping.result.gusto.ok && ping.result.acumatica.ok
              ? `both sides answer (${dateTime(ping.at)})`
              : `problems found (${dateTime(ping.at)})`
            : 'not tested in this session'}
        </dd>
      </dl>
      {ping ? <PingReport result={ping.result} /> : null}
      <ErrorNotice error={error} title="The test could not run" />
      <div className="actions">
        {access.operate ? (
          <button type="button" onClick={test} disabled={testing} aria-describedby={titleId}>
            {testing ? 'Testing…' : 'Test'}
          </button>
        ) : null}
        {access.operate ? <GustoConnectForm connection={c} /> : null}
        <button type="button" className="secondary" onClick={() => open('/mapping')}>
          Mapping
        </button>
        <button type="button" className="secondary" onClick={() => open('/postings')}>
          Postings
        </button>
      </div>
    </li>
  );
}

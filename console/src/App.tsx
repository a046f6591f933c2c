import { useCallback, useEffect, useState } from 'react';
import { api, setSignedOutHandler } from './api';
import { accessOf } from './access';
import { Layout } from './components/Layout';
import { ErrorNotice, Loading } from './components/Notice';
import { useLoad } from './hooks';
import { useRoute } from './router';
import { SignIn } from './pages/SignIn';
import { ConnectionsPage } from './pages/Connections';
import { takeGustoReturn } from './components/GustoConnect';
import { NewConnectionPage } from './pages/NewConnection';
import { MappingPage } from './pages/Mapping';
import { PostingsPage } from './pages/Postings';
import { PostingDetailPage } from './pages/PostingDetail';
import { EmployeesPage } from './pages/Employees';
import { AuditPage } from './pages/Audit';
import { TieOutPage } from './pages/TieOut';
import type { Session } from './types';

const CONNECTION_KEY = 'mlc.console.connection';

export function App() {
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const [failure, setFailure] = useState<unknown>();
  useEffect(() => {
    setSignedOutHandler(() => setSession(null));
    api.currentSession().then(setSession, (e) => (setFailure(e), setSession(null)));
  }, []);
  if (session === undefined) return <Loading what="the console" />;
  if (session === null)
    return (
      <>
        <ErrorNotice error={failure} />
        <SignIn onSignedIn={(s) => (setFailure(undefined), setSession(s))} />
      </>
    );
  return <SignedIn session={session} onSignedOut={() => setSession(null)} />;
}

function SignedIn({ session, onSignedOut }: { session: Session; onSignedOut: () => void }) {
  const route = useRoute();
  const [gustoReturn] = useState(takeGustoReturn);
  const access = accessOf(session.principal);
  const connections = useLoad(() => api.connections().then((p) => p.items), []);
  const [selected, setSelectedState] = useState<string | null>(() => sessionStorage.getItem(CONNECTION_KEY));
  const setSelected = useCallback((id: string | null) => {
    setSelectedState(id);
    if (id) sessionStorage.setItem(CONNECTION_KEY, id);
    else sessionStorage.removeItem(CONNECTION_KEY);
  }, []);
  // The only connection, or the first one, when none is chosen (or the chosen one is not visible to this key).
  const list = connections.data ?? [];
  const current = list.find((c) => c.id === selected) ?? list[0] ?? null;
  const connectionId = current?.id ?? null;

  const signOut = async () => {
    await api.signOut().catch(() => undefined);
    sessionStorage.removeItem(CONNECTION_KEY);
    onSignedOut();
  };

  const [section, id] = route.path.split('/').filter(Boolean);
  let page;
  switch (section ?? 'connections') {
    case 'connections':
      page =
        id === 'new' && access.createConnections ? (
          <NewConnectionPage onCreated={(cid) => (setSelected(cid), connections.reload())} />
        ) : (
          <ConnectionsPage
            connections={connections}
            access={access}
            selected={current?.id ?? null}
            onSelect={setSelected}
            gustoReturn={gustoReturn}
          />
        );
      break;
    case 'mapping':
      page = <MappingPage connectionId={connectionId} access={access} />;
      break;
    case 'postings':
      page = id ? (
        <PostingDetailPage postingId={decodeURIComponent(id)} access={access} />
      ) : (
        <PostingsPage connectionId={connectionId} params={route.params} />
      );
      break;
    case 'employees':
      page = <EmployeesPage connectionId={connectionId} access={access} />;
      break;
    case 'audit':
      page = <AuditPage connectionId={connectionId} everyConnection={session.principal.connections === '*'} />;
      break;
    case 'tie-out':
      page = <TieOutPage connectionId={connectionId} />;
      break;
    default:
      page = <p>There is no page here. Choose one from the menu.</p>;
  }
  return (
    <Layout
      principal={session.principal}
      section={section ?? 'connections'}
      connections={list}
      selected={current?.id ?? null}
      onSelect={setSelected}
      onSignOut={signOut}
    >
      <ErrorNotice error={connections.error} title="Connections could not be loaded" />
      {page}
    </Layout>
  );
}

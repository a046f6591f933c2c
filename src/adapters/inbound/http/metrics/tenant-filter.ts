/**
 * /metrics for a key limited to some connections: only series labelled with one of its connections
 * (`connection_id="…"`) are kept; everything else — process figures, totals across every customer — is
 * dropped, so nothing of another tenant shows, not even in an aggregate. Works on the Prometheus text
 * itself, whatever library rendered it.
 */
export function filterExposition(text: string, allowed: (connectionId: string) => boolean): string {
  const out: string[] = [];
  let header: string[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('# ')) {
      // HELP then TYPE of a family: held until one of its samples is kept.
      if (line.startsWith('# HELP ')) header = [];
      header.push(line);
      continue;
    }
    if (!line.trim()) continue;
    const id = /[{,]connection_id="((?:[^"\\]|\\.)*)"/.exec(line)?.[1];
    if (id === undefined || !allowed(id.replace(/\\(.)/g, '$1'))) continue;
    out.push(...header, line);
    header = [];
  }
  return out.length ? `${out.join('\n')}\n` : '';
}

const escapeLabel = (value: string): string => value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');

/** Per-connection series, rendered at scrape time from what the service already holds in memory. */
export function connectionSeries(
  connections: ReadonlyArray<{ id: string; gustoStatus: string }>,
  unsettled: ReadonlyArray<{ connectionId: string; status: string }>,
): string {
  const lines = [
    '# HELP mlc_connection_info A connection and its Gusto status (always 1)',
    '# TYPE mlc_connection_info gauge',
  ];
  for (const c of connections)
    lines.push(
      `mlc_connection_info{connection_id="${escapeLabel(c.id)}",gusto_status="${escapeLabel(c.gustoStatus)}"} 1`,
    );
  const counts = new Map<string, { connectionId: string; status: string; n: number }>();
  for (const p of unsettled) {
    const key = JSON.stringify([p.connectionId, p.status]);
    const held = counts.get(key) ?? { connectionId: p.connectionId, status: p.status, n: 0 };
    held.n++;
    counts.set(key, held);
  }
  lines.push(
    '# HELP mlc_connection_unsettled_postings Postings of a connection whose pipeline is not finished, by status',
    '# TYPE mlc_connection_unsettled_postings gauge',
  );
  for (const { connectionId, status, n } of counts.values()) {
    lines.push(
      `mlc_connection_unsettled_postings{connection_id="${escapeLabel(connectionId)}",status="${escapeLabel(status)}"} ${n}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

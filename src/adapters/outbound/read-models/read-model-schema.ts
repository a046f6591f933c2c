/**
 * The read model's tables, one set per generation (`rm_<g>_…`; a rebuild fills a new generation while the
 * current one answers, then `rm_meta.current` moves in one transaction and the old set is dropped).
 * Every index serves a query the API makes; nothing is scanned whole on a request path.
 */
export const META_SQL = `CREATE TABLE IF NOT EXISTS rm_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;`;

export const generationSql = (g: string): string => `
CREATE TABLE IF NOT EXISTS rm_${g}_postings (
  first_position INTEGER PRIMARY KEY,
  stream         TEXT    NOT NULL, -- unique: see POSTINGS_INDEXES (generations made before had UNIQUE here)
  id             TEXT    NOT NULL,
  connection_id  TEXT    NOT NULL,
  payroll_uuid   TEXT    NOT NULL,
  status         TEXT    NOT NULL,
  settled        INTEGER NOT NULL,
  last_position  INTEGER NOT NULL,
  events         INTEGER NOT NULL,
  view           TEXT    NOT NULL,
  -- join mode: the view is stored without its journal, read from this event's data instead
  journal_position INTEGER
);
${postingsIndexes(g).join('\n')}
CREATE TABLE IF NOT EXISTS rm_${g}_counts (status TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS rm_${g}_audit (
  connection_id TEXT    NOT NULL,
  position      INTEGER NOT NULL,
  type          TEXT    NOT NULL,
  time_ms       INTEGER NOT NULL,
  event         TEXT,
  PRIMARY KEY (connection_id, position)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS rm_${g}_owners (stream TEXT PRIMARY KEY, connection_id TEXT NOT NULL) WITHOUT ROWID;
${logSql(g)}`;

/**
 * The whole log's audit index (every event: position, type, time; the event's JSON when the log is not in
 * this file): \`GET /api/audit/events\` without a connection pages it instead of the log. Not in
 * generations made before it existed (\`hasLogIndex\`): those are rebuilt in the background at start.
 */
export const logSql = (g: string): string => `
CREATE TABLE IF NOT EXISTS rm_${g}_log (
  position INTEGER PRIMARY KEY,
  type     TEXT    NOT NULL,
  time_ms  INTEGER NOT NULL,
  event    TEXT
);
CREATE INDEX IF NOT EXISTS rm_${g}_log_type ON rm_${g}_log (type);
CREATE INDEX IF NOT EXISTS rm_${g}_log_time ON rm_${g}_log (time_ms);
`;

/**
 * The postings table's secondary indexes (a stream's row, the list's filters, the lookup by id or payroll,
 * the unsettled rows), one statement each. A row is written by its first position (the primary key: the
 * same stream always folds to the same one), and in join mode a stream's row is found through the log's
 * own index of the stream's positions — so a bulk build needs none of them while it loads. A rebuild's
 * bulk build drops them for the load and creates them after (each sorted once instead of kept up to date
 * row by row: most of its writes went to these B-trees' random pages), and `promote` makes sure of them
 * before a generation serves.
 */
const POSTINGS_INDEXES: Array<[name: string, on: string]> = [
  ['stream', '(stream)'],
  ['id', '(id)'],
  ['connection', '(connection_id, first_position)'],
  ['connection_status', '(connection_id, status, first_position)'],
  ['status', '(status, first_position)'],
  ['payroll', '(payroll_uuid)'],
  ['unsettled', '(settled) WHERE settled = 0'],
];

export const postingsIndexes = (g: string): string[] =>
  POSTINGS_INDEXES.map(
    ([name, on]) =>
      `CREATE ${name === 'stream' ? 'UNIQUE ' : ''}INDEX IF NOT EXISTS rm_${g}_postings_${name} ON rm_${g}_postings ${on};`,
  );

export const dropPostingsIndexesSql = (g: string): string =>
  POSTINGS_INDEXES.map(([name]) => `DROP INDEX IF EXISTS rm_${g}_postings_${name};`).join('\n');

/** A dropped generation's keys in rm_meta: its retirement and its checkpoint. */
export const forgetGenerationSql = (g: string): string =>
  `DELETE FROM rm_meta WHERE key IN ('retired.${g}', '${g}.checkpoint');`;

export const dropGenerationSql = (g: string): string =>
  ['postings', 'counts', 'audit', 'owners', 'log'].map((t) => `DROP TABLE IF EXISTS rm_${g}_${t};`).join('\n');

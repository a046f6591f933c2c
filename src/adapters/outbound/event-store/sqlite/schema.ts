/**
 * The one table. `position` is an AUTOINCREMENT rowid: strictly increasing and never reused, and because
 * it is allocated inside the IMMEDIATE write transaction, commit order equals position order (readers
 * never see n+1 before n). The two UNIQUE constraints are the invariants the append rule relies on.
 */
export const SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS events (
  position    INTEGER PRIMARY KEY AUTOINCREMENT,
  stream      TEXT    NOT NULL,
  revision    INTEGER NOT NULL,
  id          TEXT    NOT NULL,
  type        TEXT    NOT NULL,
  data        TEXT    NOT NULL,
  metadata    TEXT    NOT NULL,
  recorded_at TEXT    NOT NULL,
  UNIQUE (stream, revision),
  UNIQUE (stream, id)
);
CREATE INDEX IF NOT EXISTS events_type_position ON events (type, position);
`;

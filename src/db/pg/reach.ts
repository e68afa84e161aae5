/**
 * What carnet cannot reach on a server: copies of the data it can neither
 * see nor erase. Said by `doctor`, `rgpd forget` and `rgpd register`, so that
 * the controller knows what remains to handle by other means.
 */
export const BEYOND_REACH: readonly string[] = [
  "the server's WAL archives (archive_command, point-in-time recovery): they keep the erased rows until they expire",
  'base backups (pg_basebackup) and pg_dump files: they keep the person until they are deleted or rotated',
  'replicas and standbys: they apply the erasure when they replay it (a delayed standby keeps the data until then)',
  "pg_stat_statements and the server's logs (log_statement, slow-query logs): they may hold values that were queried",
];

/** Collection names of a tenant database (ARCHITECTURE.md §4). Spelled once, here. */
export const COLLECTIONS = {
  idmObjects: 'idmObjects',
  shadows: 'shadows',
  correlationKeys: 'correlationKeys',
  meta: 'meta',
  taskRuns: 'taskRuns',
  taskErrors: 'taskErrors',
  pageJournal: 'pageJournal',
} as const;

/// BizOneStore: the SQLite state file, through GRDB. The only module that knows SQL.
///
/// One `StateStore` owns a WAL `DatabasePool` over the state file and runs the append-only
/// migrations (`StoreMigrations`). It records what was applied (resources with content hashes,
/// the inventory of what BizOne created, apply runs and per-change outcomes), keeps the
/// single-writer lock, and maintains projections of local kinds (roles, users, contacts,
/// audience members) that `serve` and `status` query; and what `serve` keeps: the webhook event
/// log, the message ledger, conversations, forwards, campaign runs with their outbox, and the
/// sender leases of phone numbers. Other modules see plain value types
/// (`AppliedResourceRecord`, `ApplyRunRecord`, ...); GRDB rows stay internal (`Records/`).
///
/// Secrets never reach this module as values: resource content carries only `{env: NAME}` or
/// `{file: PATH}` references, and nothing else about secrets is stored.
enum BizOneStoreModule {}

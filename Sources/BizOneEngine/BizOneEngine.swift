/// BizOneEngine: observe -> plan -> apply.
///
/// Observes the state file, asks the pure planner for a plan and executes plans against the
/// store one change at a time, under the single-writer lock, recording every outcome so a
/// re-run after a crash converges. Later: Meta calls, status sync, campaigns, webhooks.
public enum BizOneEngine {}

/// BizOneEngine: what BizOne does, on the store and Meta's Graph API.
///
/// - `Engine`: observe -> plan -> apply. Observes the state file and Meta, asks the pure
///   planner for a plan and executes it one change at a time under the single-writer lock,
///   recording every outcome so a re-run after a crash converges; `sync` and `waitForReview`
///   keep template status in line with Meta.
/// - `Campaigns/`: the scheduler, the dispatcher (outbox, retries, stop conditions) and one
///   sender per phone number (lease and pacer), the preflight a foreground run confirms.
/// - `Processing/`: webhook events into state (decoder, processor, routes), forwards, the
///   status poller.
public enum BizOneEngine {}

import BizOneModel
import BizOneStore
import Foundation

/// Runs the readiness checks against the store: writable, migrations current, backlog under
/// the limit (a warning, still ready, when processing is behind: `ProcessingPressure`), and
/// (informational) the age of the last webhook.
struct ReadinessProbe: Sendable {
    let store: StateStore
    let limits: ProcessingPressure.Limits
    let now: @Sendable () -> Date

    func run() async -> ReadinessReport {
        let now = self.now()
        let store = self.store
        let limits = self.limits
        let checks = (try? await Blocking.run { () -> [ReadinessReport.Check] in
            var checks: [ReadinessReport.Check] = []
            do {
                try store.checkWritable()
                checks.append(.init(name: "database", status: .ok))
            } catch {
                checks.append(.init(name: "database", status: .fail, detail: "not writable: \(error)"))
            }
            do {
                let current = try store.migrationsCurrent()
                checks.append(.init(name: "migrations", status: current ? .ok : .fail,
                                    detail: current ? nil : "migrations pending"))
            } catch {
                checks.append(.init(name: "migrations", status: .fail, detail: "\(error)"))
            }
            do {
                let pressure = try ProcessingPressure.read(store, limits: limits, now: now)
                checks.append(.init(name: "event_backlog", status: pressure.overLimit ? .fail : pressure.backlogBehind ? .warn : .ok,
                                    detail: pressure.overLimit ? "more events wait for processing than the limit"
                                        : pressure.backlogBehind ? "processing is behind: more events wait than \(limits.behindBacklog)" : nil,
                                    value: Double(pressure.backlog), limit: Double(limits.maxBacklog)))
                checks.append(.init(name: "processing_lag", status: pressure.oldestLate ? .warn : .ok,
                                    detail: pressure.oldestLate ? "processing is behind: the oldest waiting event is older than the limit" : nil,
                                    value: pressure.oldestAge, limit: limits.behindAge))
            } catch {
                checks.append(.init(name: "event_backlog", status: .fail, detail: "\(error)"))
            }
            do {
                if let last = try store.lastWebhookReceivedAt() {
                    checks.append(.init(name: "last_webhook", status: .info, detail: Timestamps.format(last),
                                        value: max(0, now.timeIntervalSince(last))))
                } else {
                    checks.append(.init(name: "last_webhook", status: .info, detail: "no webhook received yet"))
                }
            } catch {
                checks.append(.init(name: "last_webhook", status: .info, detail: "\(error)"))
            }
            return checks
        }) ?? [.init(name: "database", status: .fail, detail: "the checks could not run")]
        return ReadinessReport(checks: checks)
    }
}

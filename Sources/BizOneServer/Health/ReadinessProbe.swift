import BizOneModel
import BizOneStore
import Foundation

/// Runs the readiness checks against the store: writable, migrations current, backlog under
/// the limit, and (informational) the age of the last webhook.
struct ReadinessProbe: Sendable {
    let store: StateStore
    let maxBacklog: Int

    func run(now: Date = Date()) async -> ReadinessReport {
        let store = self.store
        let maxBacklog = self.maxBacklog
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
                let backlog = try store.eventBacklog()
                checks.append(.init(name: "event_backlog", status: backlog > maxBacklog ? .fail : .ok,
                                    detail: backlog > maxBacklog ? "more events wait for processing than the limit" : nil,
                                    value: Double(backlog), limit: Double(maxBacklog)))
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

import Foundation
import Hummingbird

/// `GET /api/health` (liveness: the process answers) and `GET /api/health/ready` (200 or 503
/// with every check).
struct HealthRoutes: Sendable {
    let probe: ReadinessProbe

    static let livenessPath = "/api/health"
    static let readinessPath = "/api/health/ready"

    func register(on router: inout GuardedRouter) {
        router.get(Self.livenessPath, .open(reason: "liveness probe: says only that the process answers")) { _, _, _ in
            Self.json(.ok, Data(#"{"status":"ok"}"#.utf8))
        }
        router.get(Self.readinessPath, .open(reason: "readiness probe for load balancers: check names and counts, no data")) { _, context, _ in
            let report = await probe.run()
            if !report.isReady {
                let failed = report.checks.filter { $0.status == .fail }.map(\.name).joined(separator: ",")
                context.logger.warning("not ready", metadata: ["failed": "\(failed)"])
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let data = (try? encoder.encode(report)) ?? Data(#"{"status":"fail"}"#.utf8)
            return Self.json(report.isReady ? .ok : .serviceUnavailable, data)
        }
    }

    static func json(_ status: HTTPResponse.Status, _ data: Data) -> Response {
        JSONResponse.raw(status, data)
    }
}

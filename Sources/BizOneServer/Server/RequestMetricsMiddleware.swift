import Hummingbird
import Logging

/// Around every request (the router runs it for 404s too): counts
/// `bizone_http_requests_total{route,status}` by the matched route pattern (never the raw path;
/// "unmatched" when no route matched) and logs method, route, status and duration. Bodies, queries
/// (the handshake carries the verify token) and headers are never logged.
struct RequestMetricsMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext

    let metrics: ServerMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        let status: Int
        let response: Response
        do {
            response = try await next(request, context)
            status = Int(response.status.code)
        } catch {
            let code = (error as? any HTTPResponseError)?.status.code ?? 500
            record(request, context: context, status: Int(code), started: started)
            throw error
        }
        record(request, context: context, status: status, started: started)
        return response
    }

    private func record(_ request: Request, context: Context, status: Int, started: ContinuousClock.Instant) {
        // The router sets the pattern it matched, or "NotFound".
        let route = context.endpointPath.flatMap { $0 == "NotFound" ? nil : $0 } ?? "unmatched"
        metrics.httpRequest(route: route, status: status)
        let elapsed = started.duration(to: .now)
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        let metadata: Logger.Metadata = [
            "method": "\(request.method.rawValue)", "route": "\(route)", "status": "\(status)",
            "duration_ms": "\((milliseconds * 100).rounded() / 100)",
        ]
        if status >= 500 {
            context.logger.error("request", metadata: metadata)
        } else {
            context.logger.debug("request", metadata: metadata)
        }
    }
}

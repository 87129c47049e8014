import Hummingbird
import Logging
import NIOHTTP1

/// Around every request (the router runs it for 404s too): counts
/// `bizone_http_requests_total{route,status}` by the matched route pattern (never the raw path;
/// "unmatched" when no route matched) and logs method, route, status and duration. Bodies, queries
/// (the handshake carries the verify token) and headers are never logged.
///
/// A request the client abandoned (`RequestAbandoned`: it hung up, or stalled past the read
/// timeout) is counted in `bizone_http_requests_abandoned_total` instead: no answer reaches
/// anyone, and it is not the server's failure. A malformed body counts as the 400 Hummingbird
/// answers for parser errors.
struct RequestMetricsMiddleware: RouterMiddleware {
    typealias Context = ServerContext

    let metrics: ServerMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        let status: Int
        let response: Response
        do {
            response = try await next(request, context)
            status = Int(response.status.code)
        } catch let abandoned as RequestAbandoned {
            let route = Self.route(context)
            metrics.httpRequestAbandoned(route: route, reason: abandoned.reason)
            context.logger.debug("request abandoned", metadata: [
                "method": "\(request.method.rawValue)", "route": "\(route)", "reason": "\(abandoned.reason)",
            ])
            throw abandoned
        } catch let parserError as HTTPParserError {
            record(request, context: context, status: 400, started: started)
            throw parserError
        } catch {
            let code = (error as? any HTTPResponseError)?.status.code ?? 500
            record(request, context: context, status: Int(code), started: started)
            throw error
        }
        record(request, context: context, status: status, started: started)
        return response
    }

    /// The route pattern the router matched (it sets "NotFound" when none did), or "unmatched".
    private static func route(_ context: Context) -> String {
        context.endpointPath.flatMap { $0 == "NotFound" ? nil : $0 } ?? "unmatched"
    }

    private func record(_ request: Request, context: Context, status: Int, started: ContinuousClock.Instant) {
        let route = Self.route(context)
        metrics.httpRequest(route: route, status: status)
        // swift-log takes metadata as an autoclosure: built only when the level is logged.
        if status >= 500 {
            context.logger.error("request", metadata: Self.metadata(request, route: route, status: status, started: started))
        } else {
            context.logger.debug("request", metadata: Self.metadata(request, route: route, status: status, started: started))
        }
    }

    private static func metadata(_ request: Request, route: String, status: Int, started: ContinuousClock.Instant) -> Logger.Metadata {
        let elapsed = started.duration(to: .now)
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        return [
            "method": "\(request.method.rawValue)", "route": "\(route)", "status": "\(status)",
            "duration_ms": "\((milliseconds * 100).rounded() / 100)",
        ]
    }
}

import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// Around every request: renders Graph errors in Meta's envelope with a seeded `fbtrace_id`
/// (and `x-fb-trace-id`, `Retry-After`), turns unknown paths into Graph's 2500, adds
/// `facebook-api-version`, records Graph calls in the request log (token redacted) and logs
/// every request at debug level.
struct EmulatorMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext

    let state: EmulatorState
    let clock: EmulatorClock
    let defaultVersion: String
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        let path = request.uri.path
        let isControl = path == "/_emulator" || path.hasPrefix("/_emulator/")
        var response: Response?
        var graphError: EmulatorGraphError?
        do {
            response = try await next(request, context)
        } catch let error as EmulatorGraphError {
            graphError = error
        } catch let error as EmulatorControlError {
            response = error.jsonResponse
        } catch let error as HTTPError {
            if isControl {
                response = EmulatorControlError(error.status, error.body ?? "no such control endpoint").jsonResponse
            } else {
                graphError = error.status == .notFound ? .unknownPath(path) : .internalError(error.body ?? "\(error.status)")
            }
        } catch {
            if isControl {
                response = EmulatorControlError(.internalServerError, "\(error)").jsonResponse
            } else {
                graphError = .internalError("\(error)")
            }
        }
        var result: Response
        if let graphError {
            result = graphError.response(traceID: await state.nextTraceID())
        } else {
            result = response ?? Response(status: .internalServerError)
            if !isControl { result.headers[Self.traceHeader] = await state.nextTraceID() }
        }
        let query = QueryString(parsing: request.uri.query).redacted
        let elapsed = started.duration(to: .now)
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        if !isControl {
            let version = path.split(separator: "/").first.flatMap { APIVersion($0) }?.description ?? defaultVersion
            result.headers[Self.versionHeader] = version
            await state.logRequest(RequestLogEntry(time: clock.seconds, method: request.method.rawValue, path: path, query: query,
                                                   status: Int(result.status.code), errorCode: graphError?.code,
                                                   errorSubcode: graphError?.body.errorSubcode, durationMilliseconds: milliseconds))
        }
        var metadata: Logger.Metadata = ["method": "\(request.method.rawValue)", "path": "\(path)", "status": "\(result.status.code)"]
        if !query.isEmpty { metadata["query"] = "\(query)" }
        if let graphError { metadata["code"] = "\(graphError.code)" }
        logger.debug("request", metadata: metadata)
        return result
    }

    static let traceHeader = HTTPField.Name("x-fb-trace-id")!
    static let versionHeader = HTTPField.Name("facebook-api-version")!
}

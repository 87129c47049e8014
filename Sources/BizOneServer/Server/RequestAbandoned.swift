/// A request its client gave up on before it was read in full: the client hung up mid-body,
/// or it let the read deadline pass (`ServerConfiguration.readTimeout`).
///
/// `ConnectionLifetimeHandler` hands it to whatever reads the body (in place of the parser's
/// end-of-file error) and closes the connection; `RequestMetricsMiddleware` counts it as
/// abandoned, because the server did not fail: nobody is left to answer.
enum RequestAbandoned: Error, CustomStringConvertible {
    /// The client closed its side of the connection before the end of the body.
    case hungUp
    /// The body did not arrive in full within the read timeout.
    case timedOut

    /// The value of the `reason` label and log field.
    var reason: String {
        switch self {
        case .hungUp: "hung_up"
        case .timedOut: "timed_out"
        }
    }

    var description: String {
        switch self {
        case .hungUp: "the client hung up before the end of the request"
        case .timedOut: "the client did not send the whole request within the read timeout"
        }
    }
}

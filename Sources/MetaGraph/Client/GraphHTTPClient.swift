import AsyncHTTPClient
import NIOCore

/// The HTTP client every Graph call goes through by default: one per process, never shut down.
///
/// Not `HTTPClient.shared`, whose browser-like configuration waits up to 90 s for a connection
/// and silently re-dials a refused one until the request's own deadline: with Meta unreachable,
/// `bizone plan` sat silent for 2 minutes (4 attempts of 30 s). Here a connection that cannot
/// be made fails at once (refused, DNS) or after `connectTimeout` (nothing answers), and
/// `LiveGraphClient` decides about retrying, a few times, each one logged.
public enum GraphHTTPClient {
    /// Seconds to wait for a TCP (and TLS) connection before calling the Graph URL unreachable.
    public static let connectTimeout: Int64 = 5

    public static let shared: HTTPClient = {
        var configuration = HTTPClient.Configuration(
            certificateVerification: .fullVerification,
            // Graph never redirects; following one would carry the bearer token elsewhere.
            redirectConfiguration: .disallow,
            timeout: .init(connect: .seconds(connectTimeout)),
            maximumAllowedIdleTimeInConnectionPool: .seconds(60),
            decompression: .enabled(limit: .ratio(25)))
        configuration.connectionPool.retryConnectionEstablishment = false
        // Queued requests wait for a pooled connection only `connectTimeout`: let campaign
        // sends run many at once rather than time out in the queue.
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 64
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()
}

/// BizOneServer: the HTTP side of `bizone serve` on Hummingbird 2.
///
/// - `Webhooks/`: Meta's verify handshake, signed POSTs and the group-commit `EventWriter`.
/// - `Health/`: liveness and readiness.
/// - `Metrics/`: `ServerMetrics` on a Prometheus registry and the `/metrics` route.
/// - `Server/`: configuration, the router, the request middleware and `BizOneHTTPServer`.
/// - `Support/`: blocking store calls off the event loops, query strings.
public enum BizOneServerModule {}

import BizOneModel
import Foundation
import NIOCore

/// `bizone serve` could not listen: the address is taken, not this machine's, or not allowed.
/// The message names host and port, e.g. `cannot listen on 127.0.0.1:8080: address already in use`.
public struct ListenError: Error, CustomStringConvertible {
    public var host: String
    public var port: Int
    /// Why, as the system says it (lower case), or the underlying error's text.
    public var reason: String

    init(host: String, port: Int, underlying: any Error) {
        self.host = host
        self.port = port
        if let error = underlying as? IOError {
            reason = SystemErrorText.describe(errno: error.errnoCode)
        } else {
            reason = "\(underlying)"
        }
    }

    public var description: String {
        "cannot listen on \(host.contains(":") ? "[\(host)]" : host):\(port): \(reason)"
    }
}

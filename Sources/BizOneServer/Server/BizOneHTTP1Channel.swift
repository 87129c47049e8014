import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1

/// Hummingbird's HTTP/1 child channel with `ConnectionLifetimeHandler` in its pipeline.
///
/// Why not `HTTP1Channel`: its extra handlers go after the codec that turns NIO's HTTP/1 parts
/// into HTTP types, where the HTTP version (and with it HTTP/1.0's close after the answer) is
/// already gone, and its idle timeout cannot bound a trickled body. So this sets up the same
/// pipeline as `HTTP1Channel.setup` (NIO's server pipeline, the codec, Hummingbird's connection
/// state handler for graceful shutdown) with our handler right after NIO's decoder, and leaves
/// the request handling to Hummingbird (`handleHTTP`).
struct BizOneHTTP1Channel: ServerChildChannel, HTTPChannelHandler {
    typealias Value = NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>

    let responder: HTTPChannelHandler.Responder
    let readTimeout: Duration

    /// The builder `Application(router:server:...)` takes.
    static func builder(readTimeout: Duration) -> HTTPServerBuilder {
        HTTPServerBuilder { responder in BizOneHTTP1Channel(responder: responder, readTimeout: readTimeout) }
    }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            let pipeline = channel.pipeline.syncOperations
            try pipeline.configureHTTPServerPipeline(
                withPipeliningAssistance: false,  // NIOAsyncChannel reads one request at a time
                withErrorHandling: false,  // Hummingbird answers parser errors
                withOutboundHeaderValidation: false,  // HTTP types validate headers already
                withEncoderConfiguration: .init(),
                withDecoderLimitConfiguration: .init()
            )
            try pipeline.addHandler(ConnectionLifetimeHandler(readTimeout: readTimeout, logger: logger))
            try pipeline.addHandler(HTTP1ToHTTPServerCodec(secure: false))
            // No idle timeout here: ConnectionLifetimeHandler owns every deadline.
            try pipeline.addHandler(HTTPConnectionStateHandler(idleTimeout: nil, logger: logger))
            return try NIOAsyncChannel(wrappingChannelSynchronously: channel, configuration: .init(isOutboundHalfClosureEnabled: true))
        }
    }

    func handle(value asyncChannel: Value, logger: Logger) async {
        await handleHTTP(asyncChannel: asyncChannel, logger: logger)
    }
}

import Logging
import NIOCore
import NIOHTTP1

/// Decides when a connection of `bizone serve` closes, so that no client can hold one forever.
///
/// Why a handler of our own: Hummingbird's `idleTimeout` restarts on every HTTP part it reads,
/// so a client trickling its body a byte at a time keeps the connection (and the route waiting
/// for the body) for ever; and Hummingbird's codec drops the HTTP version, so an HTTP/1.0
/// connection stayed open after its answer. This handler sits right after NIO's HTTP/1 decoder,
/// where versions and keep-alive are still visible, and:
///
/// - between requests (from connecting, or from the last answer) gives the client `readTimeout`
///   to deliver a complete request head. Bytes of an unfinished head do not restart it, so
///   half-sent headers and idle keep-alive connections are closed after `readTimeout`.
/// - from the head, gives it `readTimeout` for the whole body (one deadline, not per read).
/// - sets no deadline while the server works on a request it has read in full.
/// - closes the connection after the answer when the request asked for it (HTTP/1.0, or
///   `Connection: close`) or the answer says `Connection: close` (a 413 whose body is unread:
///   then only our side closes at once, so the client reads the answer and sees the end, and
///   the rest of its body is read and dropped until it hangs up or the body deadline passes).
/// - turns a request the client abandoned (it hung up mid-body, or the deadline passed) into
///   `RequestAbandoned` for the route reading the body, instead of a parser error that would
///   count as a server failure.
final class ConnectionLifetimeHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private let readTimeout: TimeAmount
    private let logger: Logger
    /// Requests whose head was read and whose answer has not ended yet.
    private var unanswered = 0
    /// A head was read and the end of its body not yet.
    private var readingBody = false
    /// A request asked for the connection to close after its answer.
    private var closeRequested = false
    /// The answer being written ends with closing the connection.
    private var closeAfterAnswer = false
    /// Our side is closed (after a closing answer); only reading and dropping is left.
    private var outputClosed = false
    /// The decoder gave up on the input (a parser error): nothing more will be read.
    private var inputUnreadable = false
    /// This handler closed the connection, or it is gone.
    private var closing = false
    private var deadline: Scheduled<Void>?

    init(readTimeout: Duration, logger: Logger) {
        self.readTimeout = TimeAmount(readTimeout)
        self.logger = logger
    }

    // MARK: Lifecycle

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { startDeadline(context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        cancelDeadline()
    }

    func channelActive(context: ChannelHandlerContext) {
        if deadline == nil { startDeadline(context) }
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        closing = true
        cancelDeadline()
        context.fireChannelInactive()
    }

    // MARK: Reading

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            unanswered += 1
            readingBody = true
            if head.version == .http1_0 || !head.isKeepAlive { closeRequested = true }
            cancelDeadline()
            startDeadline(context)
        case .body:
            break
        case .end:
            readingBody = false
            if outputClosed {
                // Nothing more can be answered on this connection.
                context.fireChannelRead(data)
                close(context, because: "the answer closed the connection and the request is read")
                return
            }
            cancelDeadline()
            if unanswered == 0 { startDeadline(context) }
        }
        context.fireChannelRead(data)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if error is HTTPParserError { inputUnreadable = true }
        // NIO's decoder reports the end of input in the middle of a message as a parser error.
        if let parserError = error as? HTTPParserError, parserError == .invalidEOFState {
            if closing { return }  // we closed it, and said why already
            if readingBody {
                context.fireErrorCaught(RequestAbandoned.hungUp)
                close(context, because: "the client hung up mid-request")
                return
            }
        }
        context.fireErrorCaught(error)
    }

    // MARK: Writing

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(var head):
            let answerCloses = head.headers[canonicalForm: "connection"].contains { $0.lowercased() == "close" }
            closeAfterAnswer = closeRequested || answerCloses
            if closeAfterAnswer && !answerCloses { head.headers.replaceOrAdd(name: "Connection", value: "close") }
            context.write(wrapOutboundOut(.head(head)), promise: promise)
        case .body:
            context.write(data, promise: promise)
        case .end:
            unanswered = max(0, unanswered - 1)
            guard closeAfterAnswer else {
                context.write(data, promise: promise)
                if unanswered == 0 && !readingBody {
                    cancelDeadline()
                    startDeadline(context)
                }
                return
            }
            let written = promise ?? context.eventLoop.makePromise(of: Void.self)
            context.writeAndFlush(data, promise: written)
            written.futureResult.assumeIsolated().whenComplete { _ in
                if !self.readingBody || self.inputUnreadable {
                    self.close(context, because: "the answer closes the connection")
                } else {
                    // The body deadline still runs: it ends the reading if the client does not.
                    self.outputClosed = true
                    context.close(mode: .output, promise: nil)
                }
            }
        }
    }

    // MARK: Deadline

    private func startDeadline(_ context: ChannelHandlerContext) {
        guard !closing, deadline == nil else { return }
        deadline = context.eventLoop.assumeIsolated().scheduleTask(in: readTimeout) {
            self.deadlinePassed(context)
        }
    }

    private func cancelDeadline() {
        deadline?.cancel()
        deadline = nil
    }

    private func deadlinePassed(_ context: ChannelHandlerContext) {
        deadline = nil
        guard !closing else { return }
        if readingBody {
            context.fireErrorCaught(RequestAbandoned.timedOut)
            close(context, because: "the request was not read in full within the read timeout")
        } else {
            // Between requests: idle, or a head that never completed.
            close(context, because: "no complete request head within the read timeout")
        }
    }

    private func close(_ context: ChannelHandlerContext, because reason: String) {
        guard !closing else { return }
        closing = true
        cancelDeadline()
        logger.debug("closing connection", metadata: ["reason": "\(reason)"])
        context.close(promise: nil)
    }
}

@available(*, unavailable)
extension ConnectionLifetimeHandler: Sendable {}

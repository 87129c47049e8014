/// MetaGraph: everything BizOne knows about Meta's Graph API, and the only module that knows
/// its JSON shapes: wire types (the webhook envelope check and signature included), typed
/// errors with retry classification, the client protocol, the live client on AsyncHTTPClient,
/// send shaping (a phone number's pacer: token bucket and pair limit), and the mapping of
/// BizOne's friendly template shape onto Meta's components (and back, for imports).
public enum MetaGraph {
    /// Default Graph API version (reference §18.5).
    public static let defaultVersion = "v23.0"
    public static let defaultBaseURL = "https://graph.facebook.com"
}

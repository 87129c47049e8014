/// `POST /_emulator/templates/{id}/reject`.
public struct RejectRequest: Sendable, Codable, Hashable {
    public var reason: String?
    /// `rejection_info.reason` (INVALID_FORMAT only).
    public var rejectionReason: String?
    public var recommendation: String?

    public init(reason: String? = nil, rejectionReason: String? = nil, recommendation: String? = nil) {
        self.reason = reason
        self.rejectionReason = rejectionReason
        self.recommendation = recommendation
    }
}

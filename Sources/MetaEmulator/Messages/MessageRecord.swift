import MetaGraph

/// One accepted send and what happened to it since.
struct MessageRecord: Sendable {
    let id: String
    let sequence: Int
    let recipient: Recipient
    let type: String
    let templateName: String?
    let templateLanguage: String?
    let templateID: String?
    /// Pricing / conversation category: `marketing`, `utility`, `authentication` or `service`.
    let category: String
    /// `regular` or `free_customer_service`.
    let pricingType: String
    let callbackData: String?
    let version: APIVersion
    let acceptedAt: Double
    let plan: DeliveryPlan
    var text: String?
    var conversationID: String?
    var conversationExpiry: Double?
    var statuses: [MessageStatusEntry] = []
}

/// What the emulated network does with an accepted message, decided by the recipient rules.
struct DeliveryPlan: Sendable, Hashable {
    var failCode: Int?
    var skipDelivered = false
    var neverRead = false

    /// `refusals` counts the synchronous refusals already given to this recipient (for `times`).
    static func from(_ rules: [RecipientRule], recipient: Recipient, refusals: Int = 0) -> (plan: DeliveryPlan, syncFailure: Int?) {
        guard let rule = rules.first(where: { $0.matches(recipient.ruleCandidates) }) else { return (DeliveryPlan(), nil) }
        if rule.synchronous, let code = rule.fail {
            if let times = rule.times, refusals >= times { return (DeliveryPlan(), nil) }
            return (DeliveryPlan(), code)
        }
        return (DeliveryPlan(failCode: rule.fail, skipDelivered: rule.skipDelivered, neverRead: rule.neverRead), nil)
    }

    /// The statuses to report, in order.
    var steps: [String] {
        if failCode != nil { return ["failed"] }
        var steps = ["sent"]
        if !skipDelivered { steps.append("delivered") }
        if !neverRead { steps.append("read") }
        return steps
    }
}

/// A status reported for a message, for `/_emulator/messages`.
public struct MessageStatusEntry: Sendable, Codable, Hashable {
    public var status: String
    public var timestamp: Int
    public var errorCode: Int?
}

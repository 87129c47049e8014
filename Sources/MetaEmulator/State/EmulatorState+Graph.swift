import BizOneModel
import Foundation
import MetaGraph

/// Routing of authenticated Graph calls by node (WABA, phone number, template) and edge.
extension EmulatorState {
    func handle(_ call: GraphCall) throws -> GraphReply {
        if let extra = call.rest.first {
            throw EmulatorGraphError.unknownPath("/" + ([extra] + call.rest.dropFirst()).joined(separator: "/"))
        }
        if call.node == configuration.businessAccountID { return try businessAccount(call) }
        if call.node == configuration.phoneNumberID { return try phoneNumber(call) }
        if templates[call.node] != nil { return try templateNode(call) }
        throw EmulatorGraphError.unsupported(call.method, id: call.node)
    }

    private func businessAccount(_ call: GraphCall) throws -> GraphReply {
        switch (call.edge, call.method) {
        case (nil, "GET"):
            return try .encode(BusinessAccountInfo(id: configuration.businessAccountID, name: configuration.verifiedName))
        case ("message_templates", "GET"):
            var reply = try listTemplates(call)
            reply.headers.append(usageHeader())
            return reply
        case ("message_templates", "POST"):
            var reply = try createTemplate(call)
            reply.headers.append(usageHeader())
            return reply
        case ("message_templates", "DELETE"):
            var reply = try deleteTemplates(call)
            reply.headers.append(usageHeader())
            return reply
        case ("phone_numbers", "GET"):
            return try .encode(PhoneNumberList(data: [phoneNumberInfo(fields: nil)]))
        case ("subscribed_apps", "GET"):
            return try .encode(SubscribedApps())
        case ("subscribed_apps", "POST"), ("subscribed_apps", "DELETE"):
            return try .encode(SuccessResponse())
        case (.some(let edge), _) where !Self.businessAccountEdges.contains(edge):
            throw EmulatorGraphError.unknownPath("/" + edge)
        default:
            throw EmulatorGraphError.unsupported(call.method, id: call.node)
        }
    }

    static let businessAccountEdges: Set<String> = ["message_templates", "phone_numbers", "subscribed_apps"]

    private func phoneNumber(_ call: GraphCall) throws -> GraphReply {
        switch (call.edge, call.method) {
        case (nil, "GET"):
            let fields = try TemplateFields.parse(call.query["fields"], known: PhoneNumberFields.known, nodeType: PhoneNumberFields.nodeType)
            return try .encode(phoneNumberInfo(fields: fields))
        case ("messages", "POST"):
            return try sendMessage(call)
        case (.some(let edge), _) where edge != "messages":
            throw EmulatorGraphError.unknownPath("/" + edge)
        default:
            throw EmulatorGraphError.unsupported(call.method, id: call.node)
        }
    }

    private func templateNode(_ call: GraphCall) throws -> GraphReply {
        switch (call.edge, call.method) {
        case (nil, "GET"):
            guard let record = templates[call.node] else { throw EmulatorGraphError.unsupported(call.method, id: call.node) }
            let fields = try TemplateFields.parse(call.query["fields"])
            return try .encode(TemplateFields.render(record, fields: fields))
        case (nil, "POST"):
            return try editTemplate(id: call.node, call)
        case ("unpause", "POST"):
            return try unpauseByAPI(id: call.node)
        case (.some(let edge), _) where edge != "unpause":
            throw EmulatorGraphError.unknownPath("/" + edge)
        default:
            throw EmulatorGraphError.unsupported(call.method, id: call.node)
        }
    }

    /// `x-business-use-case-usage` for template management calls: the share of the hourly
    /// creation budget used, in Meta's shape.
    func usageHeader() -> (name: String, value: String) {
        let limit = limits.templateCreatesPerHour
        let used = limit > 0 ? min(100, creations.count(within: 3600, now: now) * 100 / limit) : 0
        let wait = limit > 0 ? Int(creations.wait(limit: limit, within: 3600, now: now) / 60) : 0
        let value = "{\"\(configuration.businessAccountID)\":[{\"type\":\"whatsapp_business_management\",\"call_count\":\(used),\"total_cputime\":1,\"total_time\":1,\"estimated_time_to_regain_access\":\(wait)}]}"
        return ("x-business-use-case-usage", value)
    }
}

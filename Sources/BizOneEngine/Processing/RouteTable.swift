import BizOneModel
import BizOneStore
import Foundation

/// The WebhookRoutes of the state, compiled once per version of the routes and integrations
/// (`RouteTableCache`): sorted by priority then name, each with its regex built and its
/// integration's identifiers resolved.
struct RouteTable: Sendable {
    struct Route: Sendable {
        var name: String
        var spec: WebhookRouteSpec
        /// Built from `match.text.regex`; nil when there is none. A route whose regex does not
        /// compile matches nothing (validation refuses such files; this guards old state).
        var regex: NSRegularExpression?
        var regexInvalid = false
        /// `businessAccountId` and `phoneNumberId` of `spec.integration`; nil when the route
        /// does not name one (it sees every integration's events).
        var integration: (name: String, businessAccountID: String, phoneNumberID: String)?
        /// The route names an integration the state does not have: it sees nothing.
        var integrationMissing = false
    }

    var routes: [Route]
    /// Problems found while loading (an unreadable spec, a bad regex), for the log.
    var problems: [String]

    static let empty = RouteTable(routes: [], problems: [])

    /// What a table is built from: its versions tell when to build it again.
    static let kinds: Set<ResourceKind> = [.webhookRoute, .integration]

    /// Reads routes and integrations from the applied resources.
    static func load(from store: StateStore) throws -> RouteTable {
        let records = try store.appliedResources(of: [.webhookRoute])
        let integrations = try store.appliedIntegrations().byName
        var routes: [Route] = []
        var problems: [String] = []
        for record in records {
            guard let content = record.content["spec"] else {
                problems.append("\(record.id): no spec in state")
                continue
            }
            let spec: WebhookRouteSpec
            do {
                spec = try content.decode(WebhookRouteSpec.self)
            } catch {
                problems.append("\(record.id): unreadable spec (\(EventDecoder.describe(error)))")
                continue
            }
            var route = Route(name: record.id.name, spec: spec)
            if let pattern = spec.match.text?.regex {
                do {
                    route.regex = try NSRegularExpression(pattern: pattern, options: [.caseInsensitive])
                } catch {
                    route.regexInvalid = true
                    problems.append("\(record.id): match.text.regex does not compile; the route matches nothing")
                }
            }
            if let name = spec.integration {
                if let integration = integrations[name] {
                    route.integration = (name, integration.businessAccountId, integration.phoneNumberId)
                } else {
                    route.integrationMissing = true
                    problems.append("\(record.id): integration \(name) is not in state; the route matches nothing")
                }
            }
            routes.append(route)
        }
        routes.sort { ($0.spec.priority, $0.name) < ($1.spec.priority, $1.name) }
        return RouteTable(routes: routes, problems: problems)
    }

    /// Routes whose conditions all hold for the item, in order.
    func matching(_ item: DecodedItem) -> [Route] {
        routes.filter { Self.matches($0, item) }
    }

    static func matches(_ route: Route, _ decoded: DecodedItem) -> Bool {
        if route.integrationMissing || route.regexInvalid { return false }
        if let integration = route.integration {
            let sameAccount = decoded.source.businessAccountID == integration.businessAccountID
            let samePhone = decoded.source.phoneNumberID.map { $0 == integration.phoneNumberID }
            // A messages change names its phone number; template changes only the account.
            guard samePhone ?? sameAccount else { return false }
        }
        let match = route.spec.match
        let item = decoded.item
        if let field = match.field, field != item.field { return false }
        if let types = match.messageTypes {
            guard case .inbound(let message) = item, types.contains(message.type) else { return false }
        }
        if let statuses = match.statuses {
            guard case .status(let status) = item, statuses.contains(status.status) else { return false }
        }
        if let text = match.text {
            guard case .inbound(let message) = item, let body = message.text else { return false }
            if !textMatches(body, text, regex: route.regex) { return false }
        }
        return true
    }

    /// Every given text condition must hold: `contains` any substring, `keywords` equal to the
    /// whole (trimmed) text, `regex` found anywhere; all case-insensitive.
    static func textMatches(_ body: String, _ condition: WebhookRouteSpec.Match.Text, regex: NSRegularExpression?) -> Bool {
        let folded = fold(body)
        if let contains = condition.contains, !contains.isEmpty {
            guard contains.contains(where: { !$0.isEmpty && folded.contains(fold($0)) }) else { return false }
        }
        if let keywords = condition.keywords, !keywords.isEmpty {
            guard keywords.contains(where: { fold($0) == folded }) else { return false }
        }
        if let regex {
            let range = NSRange(body.startIndex..<body.endIndex, in: body)
            guard regex.firstMatch(in: body, options: [], range: range) != nil else { return false }
        }
        return true
    }

    /// Trimmed and case-folded, for keyword comparisons.
    static func fold(_ text: String) -> String {
        text.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }
}

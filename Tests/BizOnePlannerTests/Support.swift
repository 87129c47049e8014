import BizOneModel
import Foundation
import Testing

/// Resources built in code from spec JSON, the way the loader would after filling defaults.
enum Build {
    static func strings(_ values: [String]) -> JSONValue { .array(values.map(JSONValue.string)) }

    static func resource(_ kind: ResourceKind, _ name: String, labels: [String: String] = [:], line: Int = 1,
                         inputs: [String: String] = [:], _ spec: [String: JSONValue]) throws -> Resource {
        try Resource(metadata: Metadata(name: name, labels: labels),
                     spec: ResourceSpec.decode(kind: kind, from: .object(spec)),
                     location: SourceLocation(file: "pipelines/\(kind.slug).yaml", line: line, column: 1),
                     inputs: inputs)
    }

    static func role(_ name: String, description: String = "A role.", templates: [String] = ["read"]) throws -> Resource {
        try resource(.role, name, ["description": .string(description), "permissions": .object(["templates": strings(templates)])])
    }

    static func user(_ name: String, roles: [String] = ["admin"], disabled: Bool = false, labels: [String: String] = [:]) throws -> Resource {
        try resource(.user, name, labels: labels, [
            "email": .string("\(name)@example.com"), "displayName": .string(name.capitalized),
            "roles": strings(roles), "teams": strings([]), "disabled": .bool(disabled),
        ])
    }

    static func integration(_ name: String = "main") throws -> Resource {
        try resource(.integration, name, [
            "graph": .object(["baseURL": .string("https://graph.facebook.com"), "version": .string("v23.0")]),
            "businessAccountId": .string("1029384756"), "phoneNumberId": .string("5647382910"),
            "accessToken": .object(["env": .string("META_ACCESS_TOKEN")]),
            "appSecret": .object(["env": .string("META_APP_SECRET")]),
            "verifyToken": .object(["env": .string("META_VERIFY_TOKEN")]),
            "webhookPath": .string("/api/webhooks/whatsapp"),
            "throughput": .object(["messagesPerSecond": .int(80)]),
        ])
    }

    static func template(_ name: String, language: String = "en_US", prune: String = "allow") throws -> Resource {
        try resource(.template, name, [
            "language": .string(language), "category": .string("UTILITY"), "parameterFormat": .string("positional"),
            "body": .object(["text": .string("Your order {{1}} has shipped."), "examples": .object(["1": .string("BZ-1")])]),
            "buttons": .array([]), "lifecycle": .object(["prune": .string(prune)]),
        ])
    }

    static func audience(_ name: String, phone: String = "+6281234567890") throws -> Resource {
        try resource(.audience, name, inputs: ["csv": "/srv/pipelines/\(name).csv"], [
            "description": .string("Audience \(name)."),
            "contacts": .array([.object(["phone": .string(phone)])]),
        ])
    }

    static func schedule(_ name: String, cron: String = "0 9 * * 1") throws -> Resource {
        try resource(.schedule, name, ["cron": .string(cron), "timezone": .string("Asia/Jakarta")])
    }

    static func route(_ name: String) throws -> Resource {
        try resource(.webhookRoute, name, [
            "priority": .int(100), "match": .object([:]), "actions": .array([.object(["type": .string("store")])]),
        ])
    }

    static func campaign(_ name: String, template: String = "order_update", audience: String = "vip",
                         maxFailureRate: Double = 0.2) throws -> Resource {
        try resource(.campaign, name, [
            "template": .object(["name": .string(template), "language": .string("en_US")]),
            "audience": .string(audience), "schedule": .string("weekly"),
            "parameters": .object(["1": .string("{{contact.attributes.order}}")]),
            "retry": .object(["maxAttempts": .int(3), "backoff": .string("30s")]),
            "stopConditions": .object(["maxFailureRate": .double(maxFailureRate)]),
            "suspend": .bool(false),
        ])
    }

    /// One of each kind, as a realistic small configuration.
    static func everything() throws -> [Resource] {
        [
            try campaign("promo"), try route("inbox"), try schedule("weekly"), try audience("vip"),
            try template("order_update"), try template("order_update", language: "id"),
            try integration(), try user("ana"), try role("admin"),
        ]
    }

    static func applied(_ resource: Resource, managed: Bool = true) -> AppliedResource {
        AppliedResource(id: resource.id, content: resource.content, contentHash: resource.contentHash, managed: managed)
    }

    /// Observed state holding exactly `resources` as applied.
    static func observed(_ resources: [Resource], managed: Bool = true, serial: Int = 7) -> ObservedState {
        var applied: [ResourceID: AppliedResource] = [:]
        for resource in resources { applied[resource.id] = Build.applied(resource, managed: managed) }
        return ObservedState(lineage: "lineage-1", serial: serial, resources: applied)
    }

    /// An applied role whose stored content carries a lifecycle policy.
    static func appliedRole(_ name: String, prune: String?, managed: Bool = true) -> AppliedResource {
        var spec: [String: JSONValue] = ["permissions": .object(["templates": strings(["read"])])]
        if let prune { spec["lifecycle"] = .object(["prune": .string(prune)]) }
        let content = JSONValue.object(["spec": .object(spec)])
        return AppliedResource(id: ResourceID(kind: .role, name: name), content: content, contentHash: ContentHash.of(content), managed: managed)
    }
}

extension ObservedState {
    static func with(_ applied: [AppliedResource], serial: Int = 3) -> ObservedState {
        ObservedState(lineage: "lineage-1", serial: serial, resources: Dictionary(uniqueKeysWithValues: applied.map { ($0.id, $0) }))
    }
}

extension Plan {
    var lines: [String] { changes.map { "\($0.action.symbol) \($0.id)" } }

    /// The summary in words (Summary has no public initialiser to compare against).
    var counts: String { "add \(summary.add), change \(summary.change), destroy \(summary.destroy), pending \(summary.pending)" }
}

import BizOneModel
import BizOneStore
import Foundation

/// Resource content and plan changes shaped like the planner's, built from JSON.
enum Fixture {
    static let t0 = Date(timeIntervalSince1970: 1_750_000_000)
    static let t1 = Date(timeIntervalSince1970: 1_750_000_600)
    static let t2 = Date(timeIntervalSince1970: 1_750_001_200)

    static func strings(_ values: [String]) -> JSONValue { .array(values.map(JSONValue.string)) }

    static func role(description: String? = nil, permissions: [String: [String]]) -> JSONValue {
        var spec: [String: JSONValue] = ["permissions": .object(permissions.mapValues(strings))]
        if let description { spec["description"] = .string(description) }
        return .object(["spec": .object(spec)])
    }

    static func user(email: String, displayName: String, roles: [String], teams: [String] = [], disabled: Bool = false) -> JSONValue {
        .object(["spec": .object([
            "email": .string(email), "displayName": .string(displayName), "roles": strings(roles),
            "teams": strings(teams), "disabled": .bool(disabled),
        ])])
    }

    static func audience(description: String) -> JSONValue {
        .object(["spec": .object(["description": .string(description), "contacts": .array([])])])
    }

    static func schedule(cron: String) -> JSONValue {
        .object(["metadata": .object(["labels": .object(["team": .string("growth")])]),
                 "spec": .object(["cron": .string(cron), "timezone": .string("Asia/Jakarta")])])
    }

    static func create(_ id: ResourceID, _ after: JSONValue) -> PlanChange {
        PlanChange(id: id, action: .create, after: after, afterHash: ContentHash.of(after), reason: "not in state")
    }

    static func update(_ id: ResourceID, from before: JSONValue, to after: JSONValue) -> PlanChange {
        PlanChange(id: id, action: .update, before: before, after: after, beforeHash: ContentHash.of(before),
                   afterHash: ContentHash.of(after), reason: "changed")
    }

    static func replace(_ id: ResourceID, from before: JSONValue, to after: JSONValue) -> PlanChange {
        PlanChange(id: id, action: .replace, before: before, after: after, beforeHash: ContentHash.of(before),
                   afterHash: ContentHash.of(after), reason: "cannot change in place")
    }

    static func delete(_ id: ResourceID, _ before: JSONValue) -> PlanChange {
        PlanChange(id: id, action: .delete, before: before, beforeHash: ContentHash.of(before), reason: "removed from configuration")
    }

    static func roleID(_ name: String) -> ResourceID { ResourceID(kind: .role, name: name) }
    static func userID(_ name: String) -> ResourceID { ResourceID(kind: .user, name: name) }
    static func audienceID(_ name: String) -> ResourceID { ResourceID(kind: .audience, name: name) }

    /// Begins a run and applies `changes` in order with sequences 1, 2, ...
    @discardableResult
    static func apply(_ changes: [PlanChange], to store: StateStore, runID: String = UUID().uuidString,
                      at date: Date = t0, revision: String? = "abc123", planSerial: Int = 0) throws -> String {
        try store.beginApplyRun(ApplyRunStart(id: runID, revision: revision, actor: "ci", startedAt: date, planSerial: planSerial))
        for (offset, change) in changes.enumerated() {
            try store.applyChange(change, runID: runID, sequence: offset + 1, at: date, revision: revision)
        }
        return runID
    }
}

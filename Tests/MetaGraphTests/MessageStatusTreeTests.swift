import BizOneModel
import Foundation
import MetaGraph
import TestSupport
import Testing

/// `MessageStatus(tree:)` is written by hand for speed; it must give what the `Codable`
/// conformance gives through `decodeTree` (and JSONDecoder), values and errors alike.
@Suite struct MessageStatusTreeTests {
    /// Every status of every documented webhook.
    static func documentedStatuses() throws -> [(name: String, status: JSONValue)] {
        var found: [(String, JSONValue)] = []
        for (name, body) in try MetaFixtures.webhooks() {
            let root = try JSONValue.parse(body)
            guard case .array(let entries)? = root["entry"] else { continue }
            for entry in entries {
                guard case .array(let changes)? = entry["changes"] else { continue }
                for change in changes {
                    guard case .array(let statuses)? = change["value"]?["statuses"] else { continue }
                    for status in statuses { found.append((name, status)) }
                }
            }
        }
        return found
    }

    /// What a decode came to, comparable: the value, or the error's case and coding path.
    enum Outcome: Equatable, CustomStringConvertible {
        case value(MessageStatus)
        case error(String)

        init(_ read: () throws -> MessageStatus) {
            do {
                self = .value(try read())
            } catch let error as DecodingError {
                self = .error(Self.shape(error))
            } catch {
                self = .error("not a DecodingError: \(error)")
            }
        }

        static func shape(_ error: DecodingError) -> String {
            func path(_ keys: [any CodingKey]) -> String { keys.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".") }
            switch error {
            case .keyNotFound(let key, let context): return "keyNotFound \(key.stringValue) at \(path(context.codingPath))"
            case .typeMismatch(_, let context): return "typeMismatch at \(path(context.codingPath))"
            case .valueNotFound(_, let context): return "valueNotFound at \(path(context.codingPath))"
            case .dataCorrupted(let context): return "dataCorrupted at \(path(context.codingPath))"
            @unknown default: return "\(error)"
            }
        }

        var description: String {
            switch self {
            case .value(let status): return "value \(status)"
            case .error(let shape): return "error \(shape)"
            }
        }
    }

    @Test func agreesWithCodableOnEveryDocumentedStatus() throws {
        let statuses = try Self.documentedStatuses()
        #expect(statuses.count >= 5, "the fixtures hold sent, delivered, read, failed and BSUID statuses")
        var failedWithErrors = 0
        for (name, status) in statuses {
            let byHand = Outcome { try MessageStatus(tree: status) }
            #expect(byHand == Outcome { try status.decodeTree(MessageStatus.self) }, "\(name)")
            #expect(byHand == Outcome { try status.decode(MessageStatus.self) }, "\(name): JSONDecoder")
            if case .value(let read) = byHand, read.errors?.isEmpty == false { failedWithErrors += 1 }
        }
        #expect(failedWithErrors > 0, "a failed status with its errors is among them")
    }

    /// Random damage to documented statuses (a key removed, a value replaced by one of another
    /// type, at any depth): the hand-written reader fails where Codable fails, with the same
    /// error at the same path, and reads the same value where Codable succeeds.
    @Test func agreesWithCodableOnDamagedStatuses() throws {
        let statuses = try Self.documentedStatuses().map(\.status)
        var random = SeededRandom(seed: 20_261_202)
        var errors = 0, values = 0
        for round in 0..<3_000 {
            guard let original = statuses.randomElement(using: &random) else { break }
            var damaged = original
            for _ in 0...Int.random(in: 0...2, using: &random) { damaged = Self.damage(damaged, &random) }
            let byHand = Outcome { try MessageStatus(tree: damaged) }
            let codable = Outcome { try damaged.decodeTree(MessageStatus.self) }
            #expect(byHand == codable, "round \(round): \(damaged)")
            if case .error = codable { errors += 1 } else { values += 1 }
        }
        #expect(errors > 500 && values > 200, "both sides of the comparison were exercised: \(errors) errors, \(values) values")
    }

    static let replacements: [JSONValue] = [.null, .bool(true), .int(7), .int(-1), .double(1.5), .double(3.0), .string("x"),
                                            .array([]), .array([.object([:])]), .object([:]), .object(["code": .int(1)])]

    /// One change somewhere in the tree: a member removed or a value replaced.
    static func damage(_ value: JSONValue, _ random: inout SeededRandom) -> JSONValue {
        switch value {
        case .object(var members) where !members.isEmpty:
            let keys = members.keys.sorted()
            let key = keys[Int.random(in: 0..<keys.count, using: &random)]
            switch Int.random(in: 0..<4, using: &random) {
            case 0: members[key] = nil
            case 1: members[key] = replacements.randomElement(using: &random)
            default: members[key] = damage(members[key] ?? .null, &random)
            }
            return .object(members)
        case .array(var items) where !items.isEmpty:
            let index = Int.random(in: 0..<items.count, using: &random)
            items[index] = Int.random(in: 0..<2, using: &random) == 0 ? (replacements.randomElement(using: &random) ?? .null)
                : damage(items[index], &random)
            return .array(items)
        default:
            return replacements.randomElement(using: &random) ?? .null
        }
    }
}

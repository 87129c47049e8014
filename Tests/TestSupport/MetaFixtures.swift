import Foundation

/// Meta's published payloads (webhooks, requests, responses, errors), kept once in
/// `Fixtures/meta` as the exact bytes of `shared/fixtures/meta` (see its README for sources).
/// Every test target reads them from here.
public enum MetaFixtures {
    /// The folder holding the `.json` files.
    public static var directory: URL {
        let fixtures = Bundle.module.url(forResource: "Fixtures", withExtension: nil)
            ?? Bundle.module.bundleURL.appendingPathComponent("Fixtures", isDirectory: true)
        return fixtures.appendingPathComponent("meta", isDirectory: true)
    }

    /// Every fixture file name (`webhook-status-sent.json`, ...), sorted.
    public static let names: [String] = {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return files.filter { $0.hasSuffix(".json") }.sorted()
    }()

    /// The raw bytes of fixture `name`, with or without `.json`.
    public static func data(_ name: String) throws -> Data {
        try Data(contentsOf: url(name))
    }

    public static func url(_ name: String) -> URL {
        directory.appendingPathComponent(name.hasSuffix(".json") ? name : name + ".json")
    }

    public static func decode<T: Decodable>(_ type: T.Type, _ name: String) throws -> T {
        try JSONDecoder().decode(T.self, from: data(name))
    }

    /// Every `webhook-*.json`, sorted by name, with its bytes.
    public static func webhooks() throws -> [(name: String, body: Data)] {
        try names.filter { $0.hasPrefix("webhook-") }.map { ($0, try data($0)) }
    }
}

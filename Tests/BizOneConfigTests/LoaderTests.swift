@testable import BizOneConfig
import BizOneModel
import Foundation
import Testing
import TestSupport

/// 1-based line numbers of the lines that start with `prefix`, in order.
func lines(startingWith prefix: String, in text: String) -> [Int] {
    text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        .filter { $0.element.hasPrefix(prefix) }.map { $0.offset + 1 }
}

/// The repository root, found from this file's path (Tests/BizOneConfigTests/LoaderTests.swift).
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

@Suite("Loading valid files")
struct LoaderTests {
    /// Every kind, written in reverse apply order, so the loader has to sort.
    static let everyKind = YAML.documents(
        YAML.campaign(),
        """
        apiVersion: bizone/v1
        kind: WebhookRoute
        metadata:
          name: inbox
        spec:
          actions:
            - type: inbox
              agent: ana
            - type: autoReply
              template: {name: order_update, language: id}

        """,
        YAML.schedule(),
        YAML.audience(),
        YAML.template(language: "id"),
        YAML.template(),
        YAML.integration,
        YAML.user(),
        YAML.role()
    )

    @Test func aMultiDocumentFileLoadsInApplyOrder() throws {
        let (result, file) = try loadOne(Self.everyKind)
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        let desired = try #require(result.desired)
        #expect(desired.resources.map(\.id.description) == [
            "role/admin", "user/ana", "integration/main",
            "template/order_update@en_US", "template/order_update@id",
            "audience/vip", "schedule/weekly", "webhookroute/inbox", "campaign/promo",
        ])
        #expect(desired.count == 9)
        #expect(result.files == [file])

        // Each resource points at the first line of its own document.
        let starts = lines(startingWith: "apiVersion:", in: Self.everyKind)
        #expect(starts.count == 9)
        let byKind = Dictionary(grouping: desired.resources, by: \.kind)
        #expect(byKind[.campaign]?.first?.location == SourceLocation(file: file, line: starts[0], column: 1))
        #expect(byKind[.role]?.first?.location == SourceLocation(file: file, line: starts[8], column: 1))
        #expect(desired[ResourceID(kind: .template, name: "order_update", language: "id")]?.location.line == starts[4])
        #expect(desired[ResourceID(kind: .template, name: "order_update", language: "en_US")]?.location.line == starts[5])
    }

    @Test func aDirectoryIsReadRecursivelyInSortedOrderAndOnlyYAML() throws {
        try withTemporaryDirectory { directory in
            try directory.write("b.yaml", YAML.role("bravo"))
            try directory.write("a/z.yml", YAML.role("alpha"))
            try directory.write("a/notes.txt", "kind: not yaml at all: [")
            try directory.write("c/d/deep.yaml", YAML.role("charlie"))
            try directory.write("README.md", "# not read")
            try directory.write("data.json", "{")
            try directory.write(".hidden.yaml", "this: [is not read")
            try directory.write(".git/config.yaml", "neither: [is this")
            let result = PipelineLoader().load(paths: [directory.path])

            #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
            #expect(result.files == ["a/z.yml", "b.yaml", "c/d/deep.yaml"].map { "\(directory.path)/\($0)" })
            #expect(result.ids == ["role/alpha", "role/bravo", "role/charlie"])
        }
    }

    @Test func sortedFileOrderDecidesWhichDuplicateComesFirst() throws {
        try withTemporaryDirectory { directory in
            let later = try directory.write("b-roles.yaml", YAML.role())
            let earlier = try directory.write("a/roles.yaml", YAML.role())
            let result = PipelineLoader().load(paths: [directory.path])
            #expect(result.errors.count == 1)
            let error = try #require(result.errors.first)
            #expect(error.message == "duplicate role/admin: already declared at \(earlier):1:1")
            #expect(error.location == SourceLocation(file: later, line: 1, column: 1))
            #expect(error.hint == "names must be unique per kind")
        }
    }

    @Test func aDirectoryWithoutYAMLIsAWarning() throws {
        try withTemporaryDirectory { directory in
            try directory.write("notes.txt", "nothing here")
            let result = PipelineLoader().load(paths: [directory.path])
            #expect(result.errors.isEmpty)
            #expect(result.warnings.map(\.message) == ["\(directory.path): no .yaml or .yml files found"])
            #expect(result.desired?.count == 0)
        }
    }

    @Test(arguments: ["pipelines", "examples/minimal", "examples/multi-language"])
    func shippedPipelinesAndExamplesAreValid(_ path: String) throws {
        let result = PipelineLoader().load(paths: [repositoryRoot.appendingPathComponent(path).path])
        #expect(result.errors.isEmpty, "\(result.errors)")
        let desired = try #require(result.desired)
        #expect(desired.count > 0)
        #expect(desired.resources.map(\.id) == desired.resources.map(\.id).sorted())
    }

    @Test func unquotedDigitsAreStrings() throws {
        let text = YAML.integration
            .replacingOccurrences(of: "businessAccountId: \"1029384756\"", with: "businessAccountId: 1029384756")
            .replacingOccurrences(of: "phoneNumberId: \"5647382910\"", with: "phoneNumberId: 0056473829")
            .replacingOccurrences(of: "defaultCountryCode: \"62\"", with: "defaultCountryCode: 62")
        #expect(text.contains("businessAccountId: 1029384756"))
        let (result, _) = try loadOne(text)
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        let integration = try #require(result.desired?[ResourceID(kind: .integration, name: "main")])
        #expect(integration.content.value(at: "spec.businessAccountId") == .string("1029384756"))
        // A leading zero survives: the schema types the text, YAML does not guess a number.
        #expect(integration.content.value(at: "spec.phoneNumberId") == .string("0056473829"))
        #expect(integration.content.value(at: "spec.defaultCountryCode") == .string("62"))
        guard case .integration(let spec) = integration.spec else {
            Issue.record("not an integration spec")
            return
        }
        #expect(spec.businessAccountId == "1029384756")
        #expect(spec.accessToken == .env("META_ACCESS_TOKEN"))
    }

    @Test func theSameInputLoadsToTheSameHashes() throws {
        let first = try loadOne(Self.everyKind).result
        let second = try loadOne(Self.everyKind).result
        let a = try #require(first.desired).resources.map(\.contentHash)
        let b = try #require(second.desired).resources.map(\.contentHash)
        #expect(a == b)
        #expect(Set(a).count == a.count)
        #expect(a.allSatisfy { $0.hasPrefix("sha256:") && $0.count == 71 })
    }
}

// MARK: - Defaults

/// Every kind, relying on defaults wherever the schema has one.
private let minimalEverything = """
apiVersion: bizone/v1
kind: Role
metadata:
  name: admin
spec:
  permissions:
    templates: [read]
---
apiVersion: bizone/v1
kind: User
metadata:
  name: ana
spec:
  email: ana@example.com
  displayName: Ana
  roles: [admin]
---
apiVersion: bizone/v1
kind: Integration
metadata:
  name: main
spec:
  businessAccountId: "1029384756"
  phoneNumberId: "5647382910"
  accessToken: {env: META_ACCESS_TOKEN}
  appSecret: {env: META_APP_SECRET}
  verifyToken: {env: META_VERIFY_TOKEN}
---
apiVersion: bizone/v1
kind: Template
metadata:
  name: order_update
spec:
  language: en_US
  category: UTILITY
  body:
    text: Your order {{1}} has shipped.
    examples: {"1": BZ-1}
---
apiVersion: bizone/v1
kind: Audience
metadata:
  name: vip
spec:
  defaultCountryCode: "62"
  csv:
    path: people.csv
---
apiVersion: bizone/v1
kind: Schedule
metadata:
  name: weekly
spec:
  cron: "0 9 * * 1"
---
apiVersion: bizone/v1
kind: WebhookRoute
metadata:
  name: crm
spec:
  actions:
    - type: forward
      url: https://crm.example.com/hook
      secret: {env: CRM_SECRET}
---
apiVersion: bizone/v1
kind: Campaign
metadata:
  name: promo
spec:
  template: {name: order_update, language: en_US}
  audience: vip
  parameters: {"1": "{{contact.attributes.order}}"}
---
apiVersion: bizone/v1
kind: Mailer
metadata:
  name: smtp
spec:
  host: smtp.example.com
  from: security@example.com
---
apiVersion: bizone/v1
kind: SLA
metadata:
  name: support
spec:
  targets: {firstResponse: 5m}
---
apiVersion: bizone/v1
kind: CannedResponse
metadata:
  name: eta
spec:
  shortcode: eta
  text: "Hi {{contact.name}}"

"""

/// The same resources with every default written out.
private let explicitEverything = """
apiVersion: bizone/v1
kind: Role
metadata:
  name: admin
  labels: {}
spec:
  permissions:
    templates: [read]
---
apiVersion: bizone/v1
kind: User
metadata:
  name: ana
spec:
  email: ana@example.com
  displayName: Ana
  roles: [admin]
  teams: []
  disabled: false
---
apiVersion: bizone/v1
kind: Integration
metadata:
  name: main
spec:
  graph:
    baseURL: https://graph.facebook.com
    version: v23.0
  businessAccountId: "1029384756"
  phoneNumberId: "5647382910"
  accessToken: {env: META_ACCESS_TOKEN}
  appSecret: {env: META_APP_SECRET}
  verifyToken: {env: META_VERIFY_TOKEN}
  webhookPath: /api/webhooks/whatsapp
  throughput:
    messagesPerSecond: 80
---
apiVersion: bizone/v1
kind: Template
metadata:
  name: order_update
  previousNames: []
spec:
  language: en_US
  category: UTILITY
  parameterFormat: positional
  body:
    text: Your order {{1}} has shipped.
    examples: {"1": BZ-1}
  buttons: []
  lifecycle:
    prune: allow
---
apiVersion: bizone/v1
kind: Audience
metadata:
  name: vip
spec:
  defaultCountryCode: "62"
  csv:
    path: people.csv
    phoneColumn: phone
    nameColumn: name
    optOutColumn: opt_out
---
apiVersion: bizone/v1
kind: Schedule
metadata:
  name: weekly
spec:
  cron: "0 9 * * 1"
  timezone: UTC
---
apiVersion: bizone/v1
kind: WebhookRoute
metadata:
  name: crm
spec:
  priority: 100
  match: {}
  actions:
    - type: forward
      url: https://crm.example.com/hook
      secret: {env: CRM_SECRET}
      maxAttempts: 8
      backoff: 10s
---
apiVersion: bizone/v1
kind: Campaign
metadata:
  name: promo
spec:
  template: {name: order_update, language: en_US}
  audience: vip
  parameters: {"1": "{{contact.attributes.order}}"}
  retry:
    maxAttempts: 3
    backoff: 30s
  stopConditions:
    maxFailureRate: 0.2
  suspend: false
---
apiVersion: bizone/v1
kind: Mailer
metadata:
  name: smtp
spec:
  host: smtp.example.com
  port: 587
  security: starttls
  from: security@example.com
---
apiVersion: bizone/v1
kind: SLA
metadata:
  name: support
spec:
  targets: {firstResponse: 5m}
  appliesTo: {teams: [], labels: [], routes: []}
---
apiVersion: bizone/v1
kind: CannedResponse
metadata:
  name: eta
spec:
  shortcode: eta
  text: "Hi {{contact.name}}"
  teams: []

"""

private let peopleCSV = "phone,name,opt_out\n+6281234567890,Siti,no\n"

@Suite("Defaults")
struct DefaultsTests {
    static func loadBoth() throws -> (minimal: DesiredState, explicit: DesiredState) {
        try withTemporaryDirectory { directory in
            try directory.write("people.csv", peopleCSV)
            let minimal = PipelineLoader().load(paths: [try directory.write("minimal.yaml", minimalEverything)])
            let explicit = PipelineLoader().load(paths: [try directory.write("explicit.yaml", explicitEverything)])
            #expect(minimal.diagnostics.isEmpty, "\(minimal.diagnostics)")
            #expect(explicit.diagnostics.isEmpty, "\(explicit.diagnostics)")
            return (try #require(minimal.desired), try #require(explicit.desired))
        }
    }

    @Test(arguments: ResourceKind.allCases)
    func omittedAndExplicitDefaultsHashTheSame(_ kind: ResourceKind) throws {
        let (minimal, explicit) = try Self.loadBoth()
        let a = try #require(minimal.resources(of: kind).first)
        let b = try #require(explicit.resources(of: kind).first)
        #expect(minimal.resources(of: kind).count == 1)
        #expect(a.id == b.id)
        #expect(a.content == b.content, "\(JSONValue.changedPaths(from: a.content, to: b.content))")
        #expect(a.contentHash == b.contentHash)
    }

    @Test func defaultsAreFilledIntoTheContent() throws {
        let (minimal, _) = try Self.loadBoth()
        func value(_ kind: ResourceKind, _ path: String) -> JSONValue? {
            minimal.resources(of: kind).first?.content.value(at: path)
        }
        #expect(value(.user, "spec.disabled") == .bool(false))
        #expect(value(.integration, "spec.graph.version") == .string("v23.0"))
        #expect(value(.integration, "spec.throughput.messagesPerSecond") == .int(80))
        #expect(value(.template, "spec.parameterFormat") == .string("positional"))
        #expect(value(.template, "spec.lifecycle.prune") == .string("allow"))
        #expect(value(.audience, "spec.csv.optOutColumn") == .string("opt_out"))
        #expect(value(.schedule, "spec.timezone") == .string("UTC"))
        #expect(value(.webhookRoute, "spec.priority") == .int(100))
        #expect(value(.campaign, "spec.retry.backoff") == .string("30s"))
        #expect(value(.campaign, "spec.stopConditions.maxFailureRate") == .double(0.2))
        // Empty labels and previous names are left out of the content altogether.
        #expect(minimal.resources.allSatisfy { $0.content["metadata"] == nil })
    }

    struct Edit: Sendable, CustomTestStringConvertible {
        var old: String
        var new: String
        var kind: ResourceKind
        var testDescription: String { "\(old) -> \(new)" }
    }

    @Test(arguments: [
        Edit(old: "disabled: false", new: "disabled: true", kind: .user),
        Edit(old: "timezone: UTC", new: "timezone: Asia/Jakarta", kind: .schedule),
        Edit(old: "maxAttempts: 8", new: "maxAttempts: 9", kind: .webhookRoute),
        Edit(old: "prune: allow", new: "prune: never", kind: .template),
        Edit(old: "messagesPerSecond: 80", new: "messagesPerSecond: 40", kind: .integration),
    ])
    func aNonDefaultValueChangesTheHash(_ edit: Edit) throws {
        let (old, new, kind) = (edit.old, edit.new, edit.kind)
        #expect(explicitEverything.contains(old))
        let (_, explicit) = try Self.loadBoth()
        let changed = try withTemporaryDirectory { directory in
            try directory.write("people.csv", peopleCSV)
            let result = PipelineLoader().load(paths: [try directory.write("changed.yaml", explicitEverything.replacingOccurrences(of: old, with: new))])
            #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
            return try #require(result.desired)
        }
        for resource in explicit.resources {
            let other = try #require(changed[resource.id])
            if resource.kind == kind {
                #expect(other.contentHash != resource.contentHash)
            } else {
                #expect(other.contentHash == resource.contentHash)
            }
        }
    }
}

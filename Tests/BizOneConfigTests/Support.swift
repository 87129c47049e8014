@testable import BizOneConfig
import BizOneModel
import Foundation
import Testing
import TestSupport

/// Loads one file named `main.yaml` holding `text`; the directory is removed before returning.
func loadOne(_ text: String, extra: [(String, String)] = []) throws -> (result: PipelineLoader.Result, file: String) {
    try withTemporaryDirectory { directory in
        let file = try directory.write("main.yaml", text)
        for (name, content) in extra { try directory.write(name, content) }
        return (PipelineLoader().load(paths: [file]), file)
    }
}

/// Small, valid documents to build files from. Each ends with a newline.
enum YAML {
    static let integration = """
    apiVersion: bizone/v1
    kind: Integration
    metadata:
      name: main
    spec:
      businessAccountId: "1029384756"
      phoneNumberId: "5647382910"
      defaultCountryCode: "62"
      accessToken: {env: META_ACCESS_TOKEN}
      appSecret: {env: META_APP_SECRET}
      verifyToken: {env: META_VERIFY_TOKEN}

    """

    static func role(_ name: String = "admin") -> String {
        """
        apiVersion: bizone/v1
        kind: Role
        metadata:
          name: \(name)
        spec:
          permissions:
            templates: ["*"]

        """
    }

    static func user(_ name: String = "ana", roles: String = "[admin]") -> String {
        """
        apiVersion: bizone/v1
        kind: User
        metadata:
          name: \(name)
        spec:
          email: \(name)@example.com
          displayName: Ana Wijaya
          roles: \(roles)

        """
    }

    static func template(_ name: String = "order_update", language: String = "en_US") -> String {
        """
        apiVersion: bizone/v1
        kind: Template
        metadata:
          name: \(name)
        spec:
          language: \(language)
          category: UTILITY
          parameterFormat: named
          body:
            text: Hi {{first_name}}, your order {{order_id}} has shipped.
            examples:
              first_name: Siti
              order_id: BZ-1

        """
    }

    static func audience(_ name: String = "vip") -> String {
        """
        apiVersion: bizone/v1
        kind: Audience
        metadata:
          name: \(name)
        spec:
          contacts:
            - phone: "+6281234567890"
              name: Siti

        """
    }

    static func schedule(_ name: String = "weekly") -> String {
        """
        apiVersion: bizone/v1
        kind: Schedule
        metadata:
          name: \(name)
        spec:
          cron: "0 9 * * 1"
          timezone: Asia/Jakarta

        """
    }

    static func campaign(_ name: String = "promo", template: String = "order_update", language: String = "en_US",
                         audience: String = "vip", schedule: String = "weekly",
                         parameters: String = "    first_name: \"{{contact.name}}\"\n    order_id: \"{{contact.attributes.order}}\"\n") -> String {
        """
        apiVersion: bizone/v1
        kind: Campaign
        metadata:
          name: \(name)
        spec:
          template:
            name: \(template)
            language: \(language)
          audience: \(audience)
          schedule: \(schedule)
          parameters:

        """ + parameters
    }

    static func documents(_ parts: String...) -> String {
        parts.joined(separator: "---\n")
    }
}

extension PipelineLoader.Result {
    var errors: [Diagnostic] { diagnostics.errors }
    var warnings: [Diagnostic] { diagnostics.warnings }
    var ids: [String] { desired?.resources.map(\.id.description) ?? [] }
}

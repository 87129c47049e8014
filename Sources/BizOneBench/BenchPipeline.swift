import Foundation

/// Writes a large, valid pipeline: the shape of a big customer, for timing the loader and planner.
struct BenchPipeline {
    var templates: Int
    var people: Int
    var rows: Int

    func write(to directory: URL) throws {
        let manager = FileManager.default
        try manager.createDirectory(at: directory.appendingPathComponent("templates"), withIntermediateDirectories: true)
        try integration.write(to: directory.appendingPathComponent("integration.yaml"), atomically: true, encoding: .utf8)
        try rolesAndUsers.write(to: directory.appendingPathComponent("people.yaml"), atomically: true, encoding: .utf8)
        // Templates in files of 100 documents, like a team that groups them by product.
        var index = 0
        var file = 0
        while index < templates {
            var text = ""
            for i in index..<min(index + 100, templates) { text += template(i) }
            try text.write(to: directory.appendingPathComponent("templates/batch-\(file).yaml"), atomically: true, encoding: .utf8)
            index += 100
            file += 1
        }
        try audience.write(to: directory.appendingPathComponent("audience.yaml"), atomically: true, encoding: .utf8)
        try writeCSV(to: directory.appendingPathComponent("contacts.csv"))
    }

    private var integration: String {
        """
        apiVersion: bizone/v1
        kind: Integration
        metadata: {name: main}
        spec:
          businessAccountId: "102290129340398"
          phoneNumberId: "106540352242922"
          defaultCountryCode: "62"
          accessToken: {env: META_ACCESS_TOKEN}
          appSecret: {env: META_APP_SECRET}
          verifyToken: {env: META_VERIFY_TOKEN}

        """
    }

    private var rolesAndUsers: String {
        var text = ""
        for i in 0..<people {
            text += """
            ---
            apiVersion: bizone/v1
            kind: Role
            metadata: {name: role-\(i)}
            spec:
              permissions:
                conversations: [read, reply, assign, notes]
                templates: [read]
            ---
            apiVersion: bizone/v1
            kind: User
            metadata: {name: user-\(i)}
            spec:
              email: user\(i)@bench.example
              displayName: Bench User \(i)
              roles: [role-\(i)]
              teams: [support]

            """
        }
        return text
    }

    private func template(_ i: Int) -> String {
        let language = i % 2 == 0 ? "en_US" : "id"
        return """
        ---
        apiVersion: bizone/v1
        kind: Template
        metadata:
          name: bench_template_\(i / 2)
          labels: {batch: "\(i / 100)"}
        spec:
          language: \(language)
          category: \(i % 3 == 0 ? "MARKETING" : "UTILITY")
          parameterFormat: named
          header:
            text: "Order {{order_id}} update"
            examples: {order_id: "A-1001"}
          body:
            text: "Hello {{first_name}}, your order {{order_id}} ships on {{ship_date}}. Thank you for shopping with us."
            examples: {first_name: Siti, order_id: "A-1001", ship_date: "12 May"}
          footer: Reply STOP to opt out
          buttons:
            - {type: URL, text: Track order, url: "https://shop.example/track/{{order_id}}", example: "A-1001"}
            - {type: QUICK_REPLY, text: Talk to us}

        """
    }

    private var audience: String {
        """
        ---
        apiVersion: bizone/v1
        kind: Audience
        metadata: {name: everyone}
        spec:
          csv: {path: contacts.csv}

        """
    }

    /// Rows with realistic noise: 2% duplicates in local form, 1% opted out, 0.5% invalid.
    private func writeCSV(to url: URL) throws {
        FileManager.default.createFile(atPath: url.path, contents: nil)
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        var chunk = "phone,name,opt_out,city,tier\n"
        for i in 0..<rows {
            let number = 81_200_000_000 + i
            let phone: String
            if i % 200 == 199 {
                phone = "not-a-number-\(i)"
            } else if i % 50 == 49 {
                phone = "0\(number - 1)"
            } else {
                phone = "+62\(number)"
            }
            chunk += "\(phone),Customer \(i),\(i % 100 == 7 ? "true" : "false"),\(i % 3 == 0 ? "Jakarta" : "Bandung"),\(i % 5 == 0 ? "gold" : "silver")\n"
            if chunk.utf8.count > 1 << 16 {
                handle.write(Data(chunk.utf8))
                chunk = ""
            }
        }
        handle.write(Data(chunk.utf8))
    }
}

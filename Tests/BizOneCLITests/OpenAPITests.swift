import BizOneModel
import Foundation
import Testing
import TestSupport

/// `GET /api/openapi.json` against the real `serve`: it describes exactly the routes serve
/// registers, and schemathesis (from the test venv) fuzzes every operation with an admin's
/// token: no server error, and every answer's status, content type and body as documented.
@Suite("OpenAPI")
struct OpenAPITests {
    typealias S = SignInTests

    @Test(.timeLimit(.minutes(5)))
    func theDocumentDescribesEveryRegisteredRoute() async throws {
        let (workspace, serve) = try await S.signedInWorld()
        defer { serve.stop() }
        let answer = try await HTTPAnswer.send(serve, .GET, "/api/openapi.json")
        #expect(answer.status == 200)
        let document = try answer.value()
        #expect(document["openapi"] == .string("3.1.0"))
        guard case .object(let paths)? = document["paths"] else { Issue.record("no paths"); return }
        var documented: Set<String> = []
        for (path, item) in paths {
            guard case .object(let operations) = item else { continue }
            for (method, operation) in operations {
                documented.insert("\(method.uppercased()) \(path)")
                let open = operation["security"] == .array([])
                #expect(open || operation["responses"]?["401"] != nil, "\(method) \(path) names its 401")
            }
        }
        let audit = try await workspace.run(["roles", "audit", "p"])
        let registered = Set(audit.stdout.split(separator: "\n").map { $0.split(separator: " ").prefix(2).joined(separator: " ") }
            .filter { $0.contains(" /api") })
        #expect(documented == registered, "documented only: \(documented.subtracting(registered)); registered only: \(registered.subtracting(documented))")
    }

    @Test(.timeLimit(.minutes(10)))
    func schemathesisFindsNoServerErrorAndNothingOutsideTheDocument() async throws {
        let schemathesis = URL(fileURLWithPath: SMTPSink.python).deletingLastPathComponent().appendingPathComponent("schemathesis").path
        guard FileManager.default.isExecutableFile(atPath: schemathesis) else {
            Issue.record("no schemathesis at \(schemathesis): run make test, which installs scripts/test/requirements.txt into .venv")
            return
        }
        let (workspace, serve) = try await S.signedInWorld()
        defer { serve.stop() }
        let token = try await S.invite("ana.wijaya@bizone.example", in: workspace)
        #expect(try await S.setPassword(serve, token: token, password: S.password).status == 200)
        let access = try await S.login(serve, "ana.wijaya@bizone.example").string("accessToken")

        let process = Process()
        process.executableURL = URL(fileURLWithPath: schemathesis)
        process.currentDirectoryURL = workspace.directory
        process.arguments = [
            "run", serve.baseURL + "/api/openapi.json", "-H", "Authorization: Bearer \(access)",
            "--checks", "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance",
            "--phases", "examples,fuzzing", "-n", "10", "--seed", "20261203", "--no-color",
            // These end the credential the run uses (logout, signing this device out) or never end (the event stream).
            "--exclude-path", "/api/auth/logout", "--exclude-path", "/api/me/sessions/{id}", "--exclude-path", "/api/stream",
        ]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        process.standardInput = FileHandle.nullDevice
        let output = ProcessOutput(out)
        try process.run()
        await process.exited()
        let text = output.text
        #expect(process.terminationStatus == 0, "schemathesis failed:\n\(text.suffix(6000))")
        #expect(text.contains("Tested: "), "\(text.suffix(2000))")
        #expect(!serve.stderr.text.contains(access) && !serve.stdout.text.contains(access))
    }
}

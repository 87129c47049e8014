import AsyncHTTPClient
import NIOCore
import BizOneEngine
import BizOneModel
import Foundation
import Logging
import MetaGraph

/// The checks behind `bizone doctor`, in order; a failed prerequisite skips what depends on it.
struct Doctor {
    struct Result {
        enum Outcome: String { case pass = "ok", fail = "FAIL", skip = "skipped" }
        var check: String
        var outcome: Outcome
        var detail: String
    }

    var integration: IntegrationSpec
    var webhookURL: String?
    /// Seconds one Graph call or the webhook handshake may take.
    var requestTimeout: Double
    var logger: Logger
    private(set) var results: [Result] = []

    init(integration: IntegrationSpec, webhookURL: String?, requestTimeout: Double = 10, logger: Logger) {
        self.integration = integration
        self.webhookURL = webhookURL
        self.requestTimeout = requestTimeout
        self.logger = logger
    }

    mutating func run() async -> [Result] {
        let secrets = SecretCheck.references(in: .integration(integration))
        let missing = secrets.filter { !SecretResolver.isResolvable($0.1) }
        record("secrets resolve", missing.isEmpty ? .pass : .fail,
               missing.isEmpty ? secrets.map { "\($0.1)" }.joined(separator: ", ")
                               : "not set: " + missing.map { "\($0.0) (\($0.1))" }.joined(separator: ", "))
        guard let configuration = try? GraphConnection.configuration(for: integration) else {
            for check in ["token accepted", "phone number id", "business account id"] { record(check, .skip, "no access token") }
            await checkWebhook()
            return results
        }
        var quick = configuration
        quick.retry = RetryPolicy(maxAttempts: 2, baseDelay: 0.2, maxDelay: 1, maxElapsed: 5)
        quick.requestTimeout = requestTimeout
        let client = LiveGraphClient(configuration: quick, logger: logger)
        do {
            let phone = try await client.phoneNumber(fields: ["id", "display_phone_number", "verified_name", "quality_rating",
                                                              "throughput", "whatsapp_business_manager_messaging_limit"])
            record("token accepted", .pass, "Graph answered as the token's user")
            let parts = [phone.displayPhoneNumber, phone.verifiedName, phone.qualityRating.map { "quality \($0)" },
                         phone.throughput.map { "throughput \($0.level)" }, phone.messagingLimit].compactMap { $0 }
            record("phone number id", .pass, "\(integration.phoneNumberId): " + parts.joined(separator: ", "))
        } catch let error as GraphError {
            if error.code == 190 || error.code == 104 || error.httpStatus == 401 {
                record("token accepted", .fail, "Meta refused the access token: \(error)")
                record("phone number id", .skip, "needs an accepted token")
                record("business account id", .skip, "needs an accepted token")
                await checkWebhook()
                return results
            }
            record("token accepted", error.code == nil ? .fail : .pass, error.code == nil ? "\(error)" : "token is valid")
            record("phone number id", .fail, "\(integration.phoneNumberId): \(error)")
        } catch {
            record("token accepted", .fail, "\(error)")
            record("phone number id", .skip, "Graph API not reachable")
        }
        do {
            let page = try await client.listTemplates(TemplateQuery(fields: ["id", "name", "status"], limit: 25))
            let more = page.paging?.next != nil ? "+" : ""
            record("business account id", .pass, "\(integration.businessAccountId): \(page.data.count)\(more) templates visible")
        } catch {
            record("business account id", .fail, "\(integration.businessAccountId): \(error)")
        }
        await checkWebhook()
        return results
    }

    private mutating func checkWebhook() async {
        guard let webhookURL else { return }
        guard let token = SecretResolver.resolve(integration.verifyToken) else {
            record("webhook handshake", .fail, "verify token \(integration.verifyToken) is not set")
            return
        }
        let challenge = String(UInt64.random(in: 1_000_000_000...9_999_999_999))
        var components = URLComponents(string: webhookURL)
        let existing = components?.queryItems ?? []
        components?.queryItems = existing + [
            URLQueryItem(name: "hub.mode", value: "subscribe"), URLQueryItem(name: "hub.challenge", value: challenge),
            URLQueryItem(name: "hub.verify_token", value: token),
        ]
        guard let url = components?.url?.absoluteString else {
            record("webhook handshake", .fail, "not a URL: \(webhookURL)")
            return
        }
        do {
            var request = HTTPClientRequest(url: url)
            request.method = .GET
            let response = try await GraphHTTPClient.shared.execute(request, timeout: .milliseconds(Int64(requestTimeout * 1000)))
            let body = String(buffer: try await response.body.collect(upTo: 1 << 16))
            if response.status.code == 200 && body == challenge {
                record("webhook handshake", .pass, "\(webhookURL) echoed the challenge")
            } else {
                record("webhook handshake", .fail, "\(webhookURL) answered HTTP \(response.status.code)\(body == challenge ? "" : " without the challenge")")
            }
        } catch {
            record("webhook handshake", .fail, "\(webhookURL) not reachable: \(error)")
        }
    }

    private mutating func record(_ check: String, _ outcome: Result.Outcome, _ detail: String) {
        results.append(Result(check: check, outcome: outcome, detail: detail))
    }
}

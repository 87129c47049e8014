import BizOneModel
import BizOneStore
import Foundation
import Hummingbird

/// Contacts and opt-outs: `GET /api/contacts[?optedOut=true&limit=N]` and
/// `POST /api/contacts/{phone}/opt-out|opt-in` (a customer asked by phone or e-mail), recorded
/// with who did it. The phone is E.164 (`+6281234567890`, the `+` may be sent as `%2B`).
struct ContactRoutes: Sendable {
    let store: StateStore
    let now: @Sendable () -> Date

    struct Contact: Encodable {
        var phone: String
        var name: String?
        var tags: [String]
        var optedOut: Bool
        var optedOutAt: Date?
    }

    func register(on router: inout GuardedRouter) {
        router.get("/api/contacts", .permission(Permission("contacts", "read"))) { request, _, _ in
            let query = QueryItems(request.uri.query)
            let limit = query["limit"].flatMap { Int($0) }.map { min(max($0, 1), 1000) } ?? 200
            let optedOut = query["optedOut"].map { $0 == "true" }
            let store = self.store
            let contacts = try await Blocking.run { try store.contacts(optedOut: optedOut, limit: limit) }
            return JSONResponse.make(.ok, ["contacts": contacts.map {
                Contact(phone: $0.phone, name: $0.name, tags: $0.tags, optedOut: $0.optedOut, optedOutAt: $0.optedOutAt)
            }])
        }
        for (verb, optedOut) in [("opt-out", true), ("opt-in", false)] {
            router.post("/api/contacts/{phone}/\(verb)", .permission(Permission("contacts", "update"))) { _, context, principal in
                let who = try MeRoutes.required(principal).user.name
                guard let raw = context.parameters.get("phone") else { throw ApiError.badRequest("phone: missing") }
                let phone = raw.removingPercentEncoding ?? raw
                guard phone.range(of: #"^\+[1-9][0-9]{6,14}$"#, options: .regularExpression) != nil else {
                    throw ApiError(.unprocessableContent, "invalid_phone", "phone: E.164 such as +6281234567890")
                }
                let store = self.store
                let at = now()
                let changed = try await Blocking.run { try store.setOptOut(phone: phone, optedOut: optedOut, by: who, at: at) }
                return JSONResponse.make(.ok, ["phone": phone, "optedOut": optedOut ? "true" : "false", "changed": changed ? "true" : "false"])
            }
        }
    }
}

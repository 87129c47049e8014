/// Everything BizOne asks of Meta. One live implementation (`LiveGraphClient`); tests of the
/// engine may use in-process fakes, end-to-end tests use the live client against the emulator.
public protocol GraphClient: Sendable {
    /// `POST /{waba-id}/message_templates`
    func createTemplate(_ request: CreateTemplateRequest) async throws -> CreateTemplateResponse
    /// One page of `GET /{waba-id}/message_templates`.
    func listTemplates(_ query: TemplateQuery) async throws -> TemplateListResponse
    /// `GET /{template-id}[?fields=...]`
    func template(id: String, fields: [String]?) async throws -> MessageTemplate
    /// `POST /{template-id}`
    func editTemplate(id: String, _ request: EditTemplateRequest) async throws
    /// `DELETE /{waba-id}/message_templates?name=...[&hsm_id=...]`; with an id only that language goes.
    func deleteTemplate(name: String, id: String?) async throws
    /// `POST /{phone-number-id}/messages`, shaped by the token bucket and the pair limit.
    func send(_ request: SendMessageRequest) async throws -> SendMessageResponse
    /// `POST /{phone-number-id}/messages` with `status: read`.
    func markRead(messageID: String) async throws
    /// `GET /{phone-number-id}[?fields=...]`
    func phoneNumber(fields: [String]?) async throws -> PhoneNumberInfo
}

/// Filters and paging for the template list (reference §4).
public struct TemplateQuery: Sendable, Hashable {
    public var fields: [String]?
    public var limit: Int?
    public var after: String?
    public var before: String?
    public var name: String?
    public var status: [String]?
    public var language: [String]?
    public var category: [String]?

    public init(fields: [String]? = nil, limit: Int? = nil, after: String? = nil, before: String? = nil, name: String? = nil,
                status: [String]? = nil, language: [String]? = nil, category: [String]? = nil) {
        self.fields = fields
        self.limit = limit
        self.after = after
        self.before = before
        self.name = name
        self.status = status
        self.language = language
        self.category = category
    }

    /// The fields BizOne reads when reconciling.
    public static let reconcileFields = ["id", "name", "language", "status", "category", "parameter_format", "components",
                                         "quality_score", "rejected_reason", "previous_category"]
}

extension GraphClient {
    /// Pages `allTemplates` follows at most (250 templates each at most: far beyond any WABA);
    /// a Graph that never stops paging with fresh cursors would otherwise grow memory forever.
    public static var maximumTemplatePages: Int { 10_000 }

    /// Every template, following `paging.cursors.after` until a page has no `paging.next`.
    /// A stale cursor (131059, v24+) restarts the listing from the first page, at most twice.
    public func allTemplates(_ query: TemplateQuery = TemplateQuery(fields: TemplateQuery.reconcileFields, limit: 100)) async throws -> [MessageTemplate] {
        var firstPage = query
        firstPage.after = nil
        firstPage.before = nil
        var query = query
        var result: [MessageTemplate] = []
        var cursors: Set<String> = []
        var restarts = 0
        while true {
            let page: TemplateListResponse
            do {
                page = try await listTemplates(query)
            } catch let error as GraphError where error.requiresRestartWithoutCursor && restarts < 2 {
                restarts += 1
                query = firstPage
                result = []
                cursors = []
                continue
            }
            result += page.data
            guard cursors.count < Self.maximumTemplatePages else {
                throw GraphError(kind: .invalidResponse, message: "template listing did not end after \(Self.maximumTemplatePages) pages")
            }
            guard page.paging?.next != nil, let after = page.paging?.cursors?.after else { return result }
            guard cursors.insert(after).inserted else {
                throw GraphError(kind: .invalidResponse, message: "template paging returned the cursor \(after) twice")
            }
            query.after = after
        }
    }
}

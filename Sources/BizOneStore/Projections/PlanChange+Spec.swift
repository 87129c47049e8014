import BizOneModel

extension PlanChange {
    /// Decodes `after["spec"]` as the kind's typed spec, for the projection tables.
    func spec<T: Decodable>(in after: JSONValue) throws -> T {
        guard let spec = after["spec"] else {
            throw StoreError.invalidChange("\(id) content has no spec")
        }
        do {
            return try spec.decode(T.self)
        } catch {
            throw StoreError.invalidChange("\(id) spec is not a valid \(id.kind.rawValue): \(error)")
        }
    }
}

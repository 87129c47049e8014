/// One action on one area of the Role vocabulary (`RoleSpec.areas`), such as
/// `conversations:reply`: what a route needs and what a role grants.
public struct Permission: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var area: String
    public var action: String

    public init(_ area: String, _ action: String) {
        self.area = area
        self.action = action
    }

    public var description: String { "\(area):\(action)" }

    public static func < (lhs: Permission, rhs: Permission) -> Bool { lhs.description < rhs.description }

    /// Every permission the vocabulary knows, in its order.
    public static let all: [Permission] = RoleSpec.areas.flatMap { entry in entry.actions.map { Permission(entry.area, $0) } }
}

/// What a new password must be. bcrypt reads at most 72 bytes, so a longer password is
/// refused rather than silently cut (two passwords sharing 72 bytes would both work).
public struct PasswordPolicy: Sendable, Hashable {
    public var minimumLength: Int
    public static let maximumBytes = 72

    public init(minimumLength: Int = 12) {
        self.minimumLength = minimumLength
    }

    /// Why `password` is refused for the person with `email` and `displayName`, or nil. The
    /// reason never repeats the password.
    public func problem(with password: String, email: String, displayName: String) -> String? {
        if password.count < minimumLength { return "the password must have at least \(minimumLength) characters" }
        if password.utf8.count > Self.maximumBytes { return "the password must be at most \(Self.maximumBytes) bytes (UTF-8)" }
        let lowered = password.lowercased()
        let local = String(email.lowercased().split(separator: "@").first ?? "")
        let words = [email.lowercased(), local] + local.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init)
            + displayName.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init)
        if words.contains(where: { $0.count >= 3 && lowered.contains($0) }) {
            return "the password must not contain your e-mail address or name"
        }
        if Set(password).count < 4 { return "the password must use at least 4 different characters" }
        return nil
    }
}

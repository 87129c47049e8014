import Foundation

/// An errno in words, as a clause of our own messages: "connection refused", "address already
/// in use" (not NIO's "connection reset (error set): Connection refused) (errno: 111)").
public enum SystemErrorText {
    public static func describe(errno code: Int32) -> String {
        guard let text = strerror(code) else { return "errno \(code)" }
        let words = String(cString: text)
        return words.prefix(1).lowercased() + words.dropFirst()
    }
}

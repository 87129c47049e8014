/// Comparison of secrets (tokens, signatures) whose time does not depend on where the two
/// differ, so an attacker cannot find a secret byte by byte from response times.
public enum ConstantTime {
    public static func equals(_ lhs: String, _ rhs: String) -> Bool {
        equals(Array(lhs.utf8), Array(rhs.utf8))
    }

    /// Runs over the longer of the two, so the length check leaks no more than the length.
    public static func equals(_ left: [UInt8], _ right: [UInt8]) -> Bool {
        var difference = UInt8(left.count == right.count ? 0 : 1)
        for index in 0..<max(left.count, right.count) {
            difference |= (index < left.count ? left[index] : 0) ^ (index < right.count ? right[index] : 0)
        }
        return difference == 0
    }
}

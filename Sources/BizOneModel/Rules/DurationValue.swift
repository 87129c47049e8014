/// A duration written as `90s`, `15m`, `2h`, `1h30m` or `7d`.
public struct DurationValue: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var milliseconds: Int64

    public init(milliseconds: Int64) { self.milliseconds = milliseconds }

    public init?(parsing text: String) {
        var total: Int64 = 0
        var number: Int64?
        var scalars = Array(text.unicodeScalars)[...]
        guard !scalars.isEmpty else { return nil }
        while let first = scalars.first {
            if let digit = Int64(String(first)), first.properties.numericType != nil {
                let (product, overflow) = (number ?? 0).multipliedReportingOverflow(by: 10)
                let (sum, carry) = product.addingReportingOverflow(digit)
                guard !overflow, !carry else { return nil }
                number = sum
                scalars = scalars.dropFirst()
                continue
            }
            guard let value = number else { return nil }
            let unit: Int64
            if scalars.starts(with: "ms".unicodeScalars) {
                unit = 1; scalars = scalars.dropFirst(2)
            } else {
                switch first {
                case "s": unit = 1_000
                case "m": unit = 60_000
                case "h": unit = 3_600_000
                case "d": unit = 86_400_000
                default: return nil
                }
                scalars = scalars.dropFirst()
            }
            let (part, overflow) = value.multipliedReportingOverflow(by: unit)
            let (sum, carry) = total.addingReportingOverflow(part)
            guard !overflow, !carry else { return nil }
            total = sum
            number = nil
        }
        guard number == nil else { return nil }
        milliseconds = total
    }

    public var seconds: Double { Double(milliseconds) / 1000 }

    public var description: String {
        var rest = milliseconds
        var text = ""
        for (unit, size) in [("d", Int64(86_400_000)), ("h", 3_600_000), ("m", 60_000), ("s", 1_000), ("ms", 1)] where rest >= size {
            text += "\(rest / size)\(unit)"
            rest %= size
        }
        return text.isEmpty ? "0s" : text
    }

    public static func < (lhs: DurationValue, rhs: DurationValue) -> Bool { lhs.milliseconds < rhs.milliseconds }
}

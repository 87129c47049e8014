/// SplitMix64: a small, fast, seedable generator. Same seed and stream -> same sequence.
struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    init(seed: UInt64, stream: UInt64) {
        state = seed ^ (stream &* 0xD1B5_4A32_D192_ED03)
        _ = next()
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }

    mutating func string(length: Int, alphabet: [Character]) -> String {
        String((0..<length).map { _ in alphabet[Int(next() % UInt64(alphabet.count))] })
    }

    static let digits = Array("0123456789")
    static let lowerHex = Array("0123456789abcdef")
    static let upperHex = Array("0123456789ABCDEF")
    static let traceAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
}

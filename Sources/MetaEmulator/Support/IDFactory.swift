import Foundation

/// Every id the emulator invents, each kind from its own seeded stream so that, for one seed,
/// the wamid sequence does not depend on how many trace ids or template ids were drawn.
struct IDFactory: Sendable {
    private var templates: SeededRandom
    private var wamids: SeededRandom
    private var traces: SeededRandom
    private var conversations: SeededRandom

    init(seed: UInt64) {
        templates = SeededRandom(seed: seed, stream: 1)
        wamids = SeededRandom(seed: seed, stream: 2)
        traces = SeededRandom(seed: seed, stream: 3)
        conversations = SeededRandom(seed: seed, stream: 4)
    }

    /// 16 digits, no leading zero, like Meta's template ids.
    mutating func templateID() -> String {
        String(1 + templates.next() % 9) + templates.string(length: 15, alphabet: SeededRandom.digits)
    }

    /// `wamid.` + base64 of the framing Meta's ids carry: the user id, a direction marker and a
    /// random hex message key. Opaque to clients, but it looks and decodes like the real thing.
    mutating func wamid(user: String, inbound: Bool = false) -> String {
        var bytes: [UInt8] = [0x1C, 0x18]
        let userBytes = Array(user.utf8.prefix(200))
        bytes.append(UInt8(userBytes.count))
        bytes += userBytes
        bytes += [0x15, 0x02, 0x00, inbound ? 0x12 : 0x11, 0x18, inbound ? 0x14 : 0x12]
        let keyLength = inbound ? 20 : 18
        bytes += Array(wamids.string(length: keyLength, alphabet: SeededRandom.upperHex).utf8)
        bytes.append(0x00)
        return "wamid." + Data(bytes).base64EncodedString()
    }

    /// 23 characters, like `AXsgnV2Cm3ZMGF3dF_cfYIn`.
    mutating func traceID() -> String {
        "A" + traces.string(length: 22, alphabet: SeededRandom.traceAlphabet)
    }

    /// 32 lower-case hex digits.
    mutating func conversationID() -> String {
        conversations.string(length: 32, alphabet: SeededRandom.lowerHex)
    }
}

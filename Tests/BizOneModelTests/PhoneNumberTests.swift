import BizOneModel
import Testing

@Suite("phone normalisation")
struct PhoneNumberTests {
    @Test(arguments: [
        ("+62 812-3456-7890", "62", "+6281234567890"),
        ("0812 3456 7890", "62", "+6281234567890"),
        ("(0812) 3456.7890", "62", "+6281234567890"),
        ("6281234567890", "62", "+6281234567890"),
        ("81234567890", "62", "+6281234567890"),
        ("0062 812 3456 7890", nil, "+6281234567890"),
        ("+1 650 555 1234", nil, "+16505551234"),
    ] as [(String, String?, String)])
    func normalises(raw: String, code: String?, expected: String) {
        #expect(PhoneNumber.normalize(raw, defaultCountryCode: code) == expected)
    }

    @Test(arguments: [
        ("12ab", "62"), ("", "62"), ("0812345", nil), ("+0812345678", nil), ("++6281234567890", nil),
        ("+62812345678901234", nil), ("+62 81x", nil), ("62+81234567", "62"),
    ] as [(String, String?)])
    func rejects(raw: String, code: String?) {
        #expect(PhoneNumber.normalize(raw, defaultCountryCode: code) == nil)
    }
}

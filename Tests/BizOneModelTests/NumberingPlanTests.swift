import BizOneModel
import Testing
import TestSupport

@Suite("phone numbers: lengths by country")
struct NumberingPlanTests {
    /// The case: five digits with default code 62 used to become +6212345.
    @Test func aNumberTooShortForItsCountryIsRefused() {
        #expect(PhoneNumber.normalize("12345", defaultCountryCode: "62") == nil)
        #expect(PhoneNumber.normalize("012345", defaultCountryCode: "62") == nil)
        #expect(!PhoneNumber.isE164("+6212345"))
        #expect(PhoneNumber.lengthProblem("12345", defaultCountryCode: "62")
            == "+6212345 has 5 digits after country code 62, which needs 7 to 12")
    }

    @Test(arguments: [
        ("+6221508880", true),          // Jakarta fixed line, 9 digits after 62
        ("+622150888000", true),        // 10 digits
        ("+6281234567890", true),       // mobile, 11
        ("+62812345678901", true),      // 12
        ("+628123456789012", false),    // 13: too long for Indonesia
        ("+62123456", false),           // 6
        ("+16505551234", true),         // NANP: exactly 10
        ("+1650555123", false),
        ("+165055512345", false),
        ("+447911123456", true),        // UK mobile, 10
        ("+4479111234", false),         // 8
        ("+919876543210", true),        // India, 10
        ("+91987654321", false),
        ("+6591234567", true),          // Singapore, 8
        ("+65912345678", false),
        ("+4915123456789", true),       // Germany mobile, 11
        ("+33612345678", true),         // France, 9
        ("+3361234567", false),
        ("+5511912345678", true),       // Brazil mobile, 11
        ("+61412345678", true),         // Australia, 9
        ("+8613812345678", true),       // China mobile, 11
        ("+60123456789", true),         // Malaysia, 9
        ("+2991234567", true),          // Greenland: not in the table, 10 digits in all
        ("+2991234", false),            // 7 digits in all: below the fallback minimum of 8
    ] as [(String, Bool)])
    func lengthsFollowTheCountrysPlan(number: String, valid: Bool) {
        #expect(PhoneNumber.isE164(number) == valid, "\(number)")
        #expect((PhoneNumber.normalize(number, defaultCountryCode: nil) != nil) == valid, "\(number)")
    }

    @Test func calledCodesArePrefixFreeSoTheLongestMatchIsTheOnlyMatch() {
        #expect(NumberingPlan.plan(forInternational: "6281234567890")?.countryCode == "62")
        #expect(NumberingPlan.plan(forInternational: "16505551234")?.countryCode == "1")
        #expect(NumberingPlan.plan(forInternational: "971501234567")?.countryCode == "971")
        #expect(NumberingPlan.plan(forInternational: "2991234567") == nil)
    }

    @Test func aFormatCheckOfAnInlineNumberSaysWhyItIsTooShort() {
        let problem = StringFormat.e164.check("+6212345")
        #expect(problem?.message == "invalid phone number \"+6212345\": +6212345 has 5 digits after country code 62, which needs 7 to 12")
        #expect(StringFormat.e164.check("+6281234567890") == nil)
        #expect(StringFormat.e164.check("0812")?.hint?.contains("E.164") == true)
    }

    @Test func numbersWithLettersGetNoLengthExplanation() {
        #expect(PhoneNumber.lengthProblem("12-ab", defaultCountryCode: "62") == nil)
        #expect(PhoneNumber.lengthProblem("+6281234567890", defaultCountryCode: nil) == nil)
    }
}

/// How long a national significant number (the digits after the country calling code) may be
/// in a country, so that a number too short or too long for its country is refused instead of
/// reaching Meta (or the wrong person): `12345` with default code 62 would become `+6212345`,
/// which E.164's bare 7-15 digit rule accepts but no Indonesian number looks like.
///
/// Source: the national numbering plans countries notify to the ITU (ITU-T Recommendation
/// E.164 and its Annex "List of ITU-T E.164 assigned country codes", with the per-country
/// plans published in the ITU Operational Bulletin), cross-checked against the possible
/// lengths in Google's libphonenumber metadata. The bounds are the shortest and longest
/// numbers a subscriber can be reached at (mobile or fixed), so they are deliberately loose:
/// they catch truncated and padded numbers, not every unassigned range.
public struct NumberingPlan: Sendable, Hashable {
    public var countryCode: String
    public var minimumLength: Int
    public var maximumLength: Int

    init(_ countryCode: String, _ lengths: ClosedRange<Int>) {
        self.countryCode = countryCode
        minimumLength = lengths.lowerBound
        maximumLength = lengths.upperBound
    }

    /// Countries without an entry: E.164 allows at most 15 digits in all; fewer than 8 is
    /// shorter than any country's subscriber numbers plus its code.
    public static let fallbackTotalDigits = 8...15

    /// Keyed by calling code. Calling codes are prefix-free (no code is the start of another),
    /// so the first table entry a number starts with is its country.
    static let known: [String: NumberingPlan] = {
        let plans = [
            NumberingPlan("1", 10...10),     // NANP: US, Canada, Caribbean (3-digit area code + 7)
            NumberingPlan("7", 10...10),     // Russia, Kazakhstan
            NumberingPlan("20", 8...10),     // Egypt
            NumberingPlan("27", 9...9),      // South Africa
            NumberingPlan("30", 10...10),    // Greece
            NumberingPlan("31", 9...11),     // Netherlands
            NumberingPlan("32", 8...9),      // Belgium
            NumberingPlan("33", 9...9),      // France
            NumberingPlan("34", 9...9),      // Spain
            NumberingPlan("39", 6...11),     // Italy (fixed numbers vary in length)
            NumberingPlan("40", 9...9),      // Romania
            NumberingPlan("41", 9...9),      // Switzerland
            NumberingPlan("43", 5...13),     // Austria (open numbering plan)
            NumberingPlan("44", 9...10),     // United Kingdom
            NumberingPlan("45", 8...8),      // Denmark
            NumberingPlan("46", 6...10),     // Sweden
            NumberingPlan("47", 8...8),      // Norway
            NumberingPlan("48", 9...9),      // Poland
            NumberingPlan("49", 6...13),     // Germany (open numbering plan)
            NumberingPlan("52", 10...10),    // Mexico
            NumberingPlan("54", 10...11),    // Argentina (mobiles carry a 9)
            NumberingPlan("55", 10...11),    // Brazil
            NumberingPlan("56", 9...9),      // Chile
            NumberingPlan("57", 8...10),     // Colombia
            NumberingPlan("60", 8...10),     // Malaysia
            NumberingPlan("61", 9...9),      // Australia
            NumberingPlan("62", 7...12),     // Indonesia: fixed from 7 digits, mobiles 9-12
            NumberingPlan("63", 8...10),     // Philippines
            NumberingPlan("64", 8...10),     // New Zealand
            NumberingPlan("65", 8...8),      // Singapore
            NumberingPlan("66", 8...9),      // Thailand
            NumberingPlan("81", 9...10),     // Japan
            NumberingPlan("82", 8...10),     // South Korea
            NumberingPlan("84", 9...10),     // Vietnam
            NumberingPlan("86", 9...12),     // China (mobiles 11)
            NumberingPlan("90", 10...10),    // Turkey
            NumberingPlan("91", 10...10),    // India
            NumberingPlan("92", 8...11),     // Pakistan
            NumberingPlan("234", 7...10),    // Nigeria
            NumberingPlan("254", 7...10),    // Kenya
            NumberingPlan("351", 9...9),     // Portugal
            NumberingPlan("353", 7...9),     // Ireland
            NumberingPlan("880", 6...10),    // Bangladesh
            NumberingPlan("966", 8...9),     // Saudi Arabia
            NumberingPlan("971", 8...9),     // United Arab Emirates
        ]
        return Dictionary(uniqueKeysWithValues: plans.map { ($0.countryCode, $0) })
    }()

    /// The plan of the country `digits` (a full international number without '+') belongs to,
    /// when the table knows it.
    public static func plan(forInternational digits: some StringProtocol) -> NumberingPlan? {
        for length in 1...3 where digits.count > length {
            if let plan = known[String(digits.prefix(length))] { return plan }
        }
        return nil
    }

    /// Whether `digits` (a full international number without '+') has a length its country's
    /// plan allows.
    public static func allows(international digits: some StringProtocol) -> Bool {
        guard let plan = plan(forInternational: digits) else { return fallbackTotalDigits.contains(digits.count) }
        let national = digits.count - plan.countryCode.count
        return national >= plan.minimumLength && national <= plan.maximumLength
    }
}

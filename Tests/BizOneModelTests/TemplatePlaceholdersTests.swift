@testable import BizOneModel
import Testing

struct ScanCase: Sendable, CustomTestStringConvertible {
    let text: String
    /// Placeholders as written, in order.
    let found: [String]
    /// A substring of each expected problem, in order.
    let problems: [String]
    var testDescription: String { text.isEmpty ? "(empty)" : text }
}

let wellFormedScans: [ScanCase] = [
    ScanCase(text: "", found: [], problems: []),
    ScanCase(text: "No variables, {single} braces are text.", found: [], problems: []),
    ScanCase(text: "Hi {{1}}, order {{2}} is ready.", found: ["{{1}}", "{{2}}"], problems: []),
    ScanCase(text: "Hi {{first_name}}, order {{order_number}}.", found: ["{{first_name}}", "{{order_number}}"], problems: []),
    ScanCase(text: "{{10}}{{_}}", found: ["{{10}}", "{{_}}"], problems: []),
    ScanCase(text: "Olá {{1}} 👋🏽 até já", found: ["{{1}}"], problems: []),
]

let malformedScans: [ScanCase] = [
    ScanCase(text: "Hi {{ }} there", found: [], problems: ["empty placeholder"]),
    ScanCase(text: "Hi {{}} there", found: [], problems: ["empty placeholder"]),
    ScanCase(text: "Hi {{ name }} there", found: [], problems: ["spaces inside the braces"]),
    ScanCase(text: "Hi {{first name}} there", found: [], problems: ["spaces inside the braces"]),
    ScanCase(text: "Pay {{#}} now", found: [], problems: ["special character '#'"]),
    ScanCase(text: "Pay {{$amount}} now", found: [], problems: ["special character '$'"]),
    ScanCase(text: "Save {{1%}} now", found: [], problems: ["special character '%'"]),
    ScanCase(text: "Hi {{first-name}}", found: [], problems: ["special character '-'"]),
    ScanCase(text: "Hi {{FirstName}}", found: [], problems: ["neither a number nor a name"]),
    ScanCase(text: "Hi {{name1}}", found: [], problems: ["neither a number nor a name"]),
    ScanCase(text: "Hi {{01}}", found: [], problems: ["leading zero"]),
    ScanCase(text: "Hi {{1, welcome", found: [], problems: ["unclosed \"{{\" in \"{{1, welcome\""]),
    ScanCase(text: "Hi {{1} there", found: [], problems: ["unclosed"]),
    ScanCase(text: "Hi {{1 and {{2}}.", found: ["{{2}}"], problems: ["unclosed \"{{\" in \"{{1 and \""]),
    ScanCase(text: "Hi 1}} there", found: [], problems: ["\"}}\" without a matching \"{{\""]),
    ScanCase(text: "Hi {{1}}}", found: ["{{1}}"], problems: ["extra \"}\""]),
    ScanCase(text: "Hi {{{1}}}", found: [], problems: ["special character '{'", "extra \"}\""]),
    ScanCase(text: "{{a}} {{B}} {{c}} }}", found: ["{{a}}", "{{c}}"], problems: ["{{B}}", "without a matching"]),
]

@Test(arguments: wellFormedScans + malformedScans)
func scanFindsPlaceholdersAndProblems(_ c: ScanCase) {
    let result = TemplatePlaceholders.scan(c.text)
    #expect(result.placeholders.map(\.description) == c.found)
    #expect(result.problems.count == c.problems.count, "\(result.problems)")
    for (problem, fragment) in zip(result.problems, c.problems) {
        #expect(problem.contains(fragment), "\(problem)")
    }
}

@Test(arguments: wellFormedScans)
func scanRangesCoverTheBraces(_ c: ScanCase) {
    for placeholder in TemplatePlaceholders.scan(c.text).placeholders {
        #expect(String(c.text.unicodeScalars[placeholder.range]) == placeholder.description)
    }
}

@Test(arguments: [
    ("{{1}}", true, 1 as Int?),
    ("{{12}}", true, 12),
    ("{{first_name}}", false, nil),
])
func scanClassifiesPositionalAndNamed(_ text: String, _ positional: Bool, _ number: Int?) throws {
    let placeholder = try #require(TemplatePlaceholders.scan(text).placeholders.first)
    #expect(placeholder.isPositional == positional)
    #expect(placeholder.number == number)
    #expect(placeholder.range == text.startIndex..<text.endIndex)
}

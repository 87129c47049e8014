@testable import BizOneModel
import Testing

// MARK: - Builders

typealias Button = TemplateSpec.Button

func template(
    _ category: TemplateSpec.Category = .utility,
    _ format: TemplateSpec.ParameterFormat = .positional,
    header: TemplateSpec.Header? = nil,
    body: String? = "Hello {{1}}, your order is ready.",
    examples: [String: String] = ["1": "Pablo"],
    footer: String? = nil,
    buttons: [Button] = [],
    authentication: TemplateSpec.Authentication? = nil,
    ttl: Int? = nil
) -> TemplateSpec {
    TemplateSpec(
        language: "en_US", category: category, parameterFormat: format, header: header,
        body: body.map { TemplateSpec.Body(text: $0, examples: examples) }, footer: footer, buttons: buttons,
        authentication: authentication, ttlSeconds: ttl, lifecycle: Lifecycle())
}

func otp(expires minutes: Int? = 10, buttonText: String? = "Copy code") -> TemplateSpec.Authentication {
    TemplateSpec.Authentication(addSecurityRecommendation: true, codeExpirationMinutes: minutes, otpType: .copyCode, buttonText: buttonText)
}

func authTemplate(
    _ authentication: TemplateSpec.Authentication? = otp(),
    header: TemplateSpec.Header? = nil, body: String? = nil, footer: String? = nil, buttons: [Button] = [], ttl: Int? = nil
) -> TemplateSpec {
    template(.authentication, header: header, body: body, examples: [:], footer: footer, buttons: buttons,
             authentication: authentication, ttl: ttl)
}

func textHeader(_ text: String?, _ examples: [String: String]? = nil, media: String? = nil) -> TemplateSpec.Header {
    TemplateSpec.Header(format: .text, text: text, examples: examples, mediaExample: media)
}

func mediaHeader(_ format: TemplateSpec.Header.Format, _ handle: String?, text: String? = nil, examples: [String: String]? = nil) -> TemplateSpec.Header {
    TemplateSpec.Header(format: format, text: text, examples: examples, mediaExample: handle)
}

func quickReply(_ text: String? = "Yes", url: String? = nil) -> Button {
    Button(type: .quickReply, text: text, url: url)
}

func link(_ text: String? = "Track", _ url: String? = "https://example.com/track", example: String? = nil, phone: String? = nil) -> Button {
    Button(type: .url, text: text, url: url, example: example, phoneNumber: phone)
}

func call(_ text: String? = "Call us", _ number: String? = "+15550051310", example: String? = nil) -> Button {
    Button(type: .phoneNumber, text: text, example: example, phoneNumber: number)
}

func copyCode(_ example: String? = "250FF", text: String? = nil) -> Button {
    Button(type: .copyCode, text: text, example: example)
}

func repeated(_ character: Character, _ count: Int) -> String { String(repeating: character, count: count) }

// MARK: - Cases

struct Invalid: Sendable, CustomTestStringConvertible {
    let label: String
    let spec: TemplateSpec
    let path: String
    /// Substrings the message must contain (the limit, the offending value).
    let mentions: [String]
    var severity: Diagnostic.Severity = .error
    var testDescription: String { label }
}

struct Valid: Sendable, CustomTestStringConvertible {
    let label: String
    let spec: TemplateSpec
    var testDescription: String { label }
}

let validTemplates: [Valid] = [
    // Structure
    Valid(label: "utility with body", spec: template()),
    Valid(label: "marketing with body", spec: template(.marketing)),
    Valid(label: "authentication with only authentication", spec: authTemplate()),
    Valid(label: "authentication without optional settings", spec: authTemplate(otp(expires: nil, buttonText: nil))),
    // Lengths at the limit
    Valid(label: "body of 1024", spec: template(body: repeated("a", 1024), examples: [:])),
    Valid(label: "header text of 60", spec: template(header: textHeader(repeated("h", 60)))),
    Valid(label: "footer of 60", spec: template(footer: repeated("f", 60))),
    Valid(label: "button label of 25", spec: template(buttons: [quickReply(repeated("b", 25))])),
    Valid(label: "URL of 2000", spec: template(buttons: [link("Go", "https://example.com/" + repeated("p", 1980))])),
    Valid(label: "COPY_CODE example of 15", spec: template(buttons: [copyCode(repeated("C", 15))])),
    Valid(label: "phone number of 20", spec: template(buttons: [call("Call", "+" + repeated("1", 19))])),
    Valid(label: "authentication buttonText of 25", spec: authTemplate(otp(buttonText: repeated("b", 25)))),
    // Placeholders
    Valid(label: "named parameters", spec: template(.utility, .named, body: "Hi {{first_name}}, order {{order_number}} is ready.",
                                                    examples: ["first_name": "Pablo", "order_number": "860198"])),
    Valid(label: "positional 1 2 3", spec: template(body: "Hello {{1}}, your order {{2}} costs {{3}} in total today.",
                                                    examples: ["1": "Pablo", "2": "860198", "3": "$10"])),
    Valid(label: "repeated positional", spec: template(body: "Hello {{1}}, yes {{1}}, your order is ready.", examples: ["1": "Pablo"])),
    Valid(label: "header and body both numbered from 1", spec: template(header: textHeader("Sale for {{1}}", ["1": "you"]))),
    Valid(label: "header with one named variable", spec: template(.marketing, .named, header: textHeader("Hi {{name}}!", ["name": "Ana"]),
                                                                  body: "Hello {{name}}, your order is ready.", examples: ["name": "Ana"])),
    Valid(label: "footer without variables", spec: template(footer: "Reply STOP to opt out")),
    // Placement
    Valid(label: "one word before and a full stop after", spec: template(body: "Dear customer {{1}}. See you soon, thanks a lot.")),
    Valid(label: "variables separated by words", spec: template(body: "Hi {{1}} and {{2}} there, welcome back.", examples: ["1": "a", "2": "b"])),
    Valid(label: "variables separated by punctuation", spec: template(body: "Hi {{1}}, {{2}}: welcome back to the shop.", examples: ["1": "a", "2": "b"])),
    // Density
    Valid(label: "enough words per variable", spec: template(body: "Hi {{1}} and {{2}} there, welcome.", examples: ["1": "a", "2": "b"])),
    Valid(label: "Japanese counts characters as words", spec: template(body: "こんにちは{{1}}様、ご注文ありがとうございます。", examples: ["1": "田中"])),
    // Headers
    Valid(label: "image header", spec: template(header: mediaHeader(.image, "4::aW"))),
    Valid(label: "document header", spec: template(header: mediaHeader(.document, "4::aW"))),
    Valid(label: "location header on marketing", spec: template(.marketing, header: mediaHeader(.location, nil))),
    Valid(label: "location header on utility", spec: template(.utility, header: mediaHeader(.location, nil))),
    // Buttons
    Valid(label: "10 quick replies", spec: template(buttons: Array(repeating: quickReply(), count: 10))),
    Valid(label: "2 URL, 1 phone, 1 copy code", spec: template(.marketing, buttons: [link(), link(), call(), copyCode()])),
    Valid(label: "QR, QR, URL", spec: template(buttons: [quickReply(), quickReply(), link()])),
    Valid(label: "URL, PHONE, QR, QR", spec: template(buttons: [link(), call(), quickReply(), quickReply()])),
    Valid(label: "URL with variable at the end and example", spec: template(buttons: [link("Track", "https://example.com/t/{{1}}", example: "abc")])),
    Valid(label: "URL with named variable in named template", spec: template(.utility, .named, body: "Hi {{name}}, your order is ready.",
                                                                              examples: ["name": "Ana"],
                                                                              buttons: [link("Track", "https://example.com/t?id={{id}}", example: "7")])),
    // TTL
    Valid(label: "authentication ttl 30", spec: authTemplate(ttl: 30)),
    Valid(label: "authentication ttl 900", spec: authTemplate(ttl: 900)),
    Valid(label: "authentication ttl -1", spec: authTemplate(ttl: -1)),
    Valid(label: "utility ttl 30", spec: template(.utility, ttl: 30)),
    Valid(label: "utility ttl 43200", spec: template(.utility, ttl: 43_200)),
    Valid(label: "utility ttl -1", spec: template(.utility, ttl: -1)),
    Valid(label: "marketing ttl 43200", spec: template(.marketing, ttl: 43_200)),
    Valid(label: "marketing ttl 2592000", spec: template(.marketing, ttl: 2_592_000)),
    // Authentication
    Valid(label: "code expiration 1", spec: authTemplate(otp(expires: 1))),
    Valid(label: "code expiration 90", spec: authTemplate(otp(expires: 90))),
]

let structureCases: [Invalid] = [
    Invalid(label: "utility without body", spec: template(body: nil), path: "spec.body", mentions: ["UTILITY", "need a body"]),
    Invalid(label: "marketing without body", spec: template(.marketing, body: nil), path: "spec.body", mentions: ["MARKETING", "need a body"]),
    Invalid(label: "authentication without authentication", spec: authTemplate(nil), path: "spec.authentication", mentions: ["need `authentication`"]),
    Invalid(label: "authentication with header", spec: authTemplate(header: textHeader("Code")), path: "spec.header", mentions: ["cannot have a header"]),
    Invalid(label: "authentication with body", spec: authTemplate(body: "Your code is here."), path: "spec.body", mentions: ["cannot have a body"]),
    Invalid(label: "authentication with footer", spec: authTemplate(footer: "Expires soon"), path: "spec.footer", mentions: ["cannot have a footer"]),
    Invalid(label: "authentication with buttons", spec: authTemplate(buttons: [copyCode()]), path: "spec.buttons", mentions: ["cannot have buttons"]),
    Invalid(label: "authentication on utility", spec: template(.utility, authentication: otp()), path: "spec.authentication",
            mentions: ["only for AUTHENTICATION", "UTILITY"]),
    Invalid(label: "authentication on marketing", spec: template(.marketing, authentication: otp()), path: "spec.authentication",
            mentions: ["only for AUTHENTICATION", "MARKETING"]),
]

let lengthCases: [Invalid] = [
    Invalid(label: "body of 1025", spec: template(body: repeated("a", 1025), examples: [:]), path: "spec.body.text",
            mentions: ["1025 characters", "at most 1024"]),
    Invalid(label: "body of 1100 with variable", spec: template(body: "Hi {{1}}, " + repeated("a", 1090)), path: "spec.body.text",
            mentions: ["body is 1100 characters; Meta allows at most 1024"]),
    Invalid(label: "header text of 61", spec: template(header: textHeader(repeated("h", 61))), path: "spec.header.text",
            mentions: ["61 characters", "at most 60"]),
    Invalid(label: "footer of 61", spec: template(footer: repeated("f", 61)), path: "spec.footer", mentions: ["61 characters", "at most 60"]),
    Invalid(label: "quick reply label of 26", spec: template(buttons: [quickReply(repeated("b", 26))]), path: "spec.buttons[0].text",
            mentions: ["26 characters", "at most 25"]),
    Invalid(label: "URL label of 26", spec: template(buttons: [quickReply(), link(repeated("b", 26))]), path: "spec.buttons[1].text",
            mentions: ["26 characters", "at most 25"]),
    Invalid(label: "phone label of 26", spec: template(buttons: [call(repeated("b", 26))]), path: "spec.buttons[0].text",
            mentions: ["26 characters", "at most 25"]),
    Invalid(label: "URL of 2001", spec: template(buttons: [link("Go", "https://example.com/" + repeated("p", 1981))]), path: "spec.buttons[0].url",
            mentions: ["2001 characters", "at most 2000"]),
    Invalid(label: "COPY_CODE example of 16", spec: template(buttons: [copyCode(repeated("C", 16))]), path: "spec.buttons[0].example",
            mentions: ["16 characters", "at most 15"]),
    Invalid(label: "phone number of 21", spec: template(buttons: [call("Call", "+" + repeated("1", 20))]), path: "spec.buttons[0].phoneNumber",
            mentions: ["21 characters", "at most 20"]),
    Invalid(label: "authentication buttonText of 26", spec: authTemplate(otp(buttonText: repeated("b", 26))), path: "spec.authentication.buttonText",
            mentions: ["26 characters", "at most 25"]),
    Invalid(label: "empty body", spec: template(body: "  ", examples: [:]), path: "spec.body.text", mentions: ["empty"]),
    Invalid(label: "empty footer", spec: template(footer: ""), path: "spec.footer", mentions: ["empty"]),
    Invalid(label: "empty authentication buttonText", spec: authTemplate(otp(buttonText: "")), path: "spec.authentication.buttonText", mentions: ["empty"]),
]

let placeholderCases: [Invalid] = [
    Invalid(label: "special character in body", spec: template(.utility, .named, body: "Hi {{first-name}}, welcome back.", examples: [:]),
            path: "spec.body.text", mentions: ["{{first-name}}", "'-'"]),
    Invalid(label: "dollar in body", spec: template(body: "Pay {{$}} today, thank you.", examples: [:]), path: "spec.body.text", mentions: ["'$'"]),
    Invalid(label: "empty placeholder", spec: template(body: "Hi {{ }}, welcome back.", examples: [:]), path: "spec.body.text", mentions: ["empty placeholder"]),
    Invalid(label: "unclosed braces", spec: template(body: "Hi {{1, welcome back.", examples: [:]), path: "spec.body.text", mentions: ["unclosed"]),
    Invalid(label: "unmatched closing braces", spec: template(body: "Hi 1}}, welcome back.", examples: [:]), path: "spec.body.text",
            mentions: ["without a matching"]),
    Invalid(label: "malformed in header", spec: template(header: textHeader("Sale {{%}}")), path: "spec.header.text", mentions: ["'%'"]),
    Invalid(label: "malformed in URL", spec: template(buttons: [link("Go", "https://example.com/{{#}}")]), path: "spec.buttons[0].url", mentions: ["'#'"]),
    Invalid(label: "mix within the body", spec: template(body: "Hello {{1}}, your {{order}} is ready.", examples: ["1": "a", "order": "b"]),
            path: "spec.body.text", mentions: ["no mix of named and positional parameters", "{{1}}", "{{order}}"]),
    Invalid(label: "mix across header and body", spec: template(.utility, .named, header: textHeader("Hi {{1}}", ["1": "Ana"]),
                                                                 body: "Hello {{name}}, your order is ready.", examples: ["name": "Ana"]),
            path: "spec.header.text", mentions: ["no mix of named and positional parameters"]),
    Invalid(label: "positional in named template", spec: template(.utility, .named), path: "spec.body.text",
            mentions: ["{{1}}", "parameterFormat is named"]),
    Invalid(label: "named in positional template", spec: template(body: "Hello {{name}}, your order is ready.", examples: ["name": "Ana"]),
            path: "spec.body.text", mentions: ["{{name}}", "parameterFormat is positional"]),
    Invalid(label: "named URL variable in positional template", spec: template(body: "Your order is ready.", examples: [:], buttons: [link("Go", "https://example.com/{{code}}", example: "x")]),
            path: "spec.buttons[0].url", mentions: ["{{code}}", "parameterFormat is positional"]),
    Invalid(label: "gap 1 2 5", spec: template(body: "Hello {{1}}, your order {{2}} costs {{5}} in total today.",
                                              examples: ["1": "a", "2": "b", "5": "c"]),
            path: "spec.body.text", mentions: ["{{1}}, {{2}}, {{3}}", "found {{1}}, {{2}}, {{5}}"]),
    Invalid(label: "out of order 2 1", spec: template(body: "Hello {{2}}, your order {{1}} is ready today.", examples: ["1": "a", "2": "b"]),
            path: "spec.body.text", mentions: ["found {{2}}, {{1}}"]),
    Invalid(label: "starting at 0", spec: template(body: "Hello {{0}}, your order is ready.", examples: ["0": "a"]),
            path: "spec.body.text", mentions: ["found {{0}}"]),
    Invalid(label: "header numbered from 2", spec: template(header: textHeader("Sale {{2}}", ["2": "x"])), path: "spec.header.text",
            mentions: ["{{1}}", "found {{2}}"]),
    Invalid(label: "URL numbered 2", spec: template(buttons: [link("Go", "https://example.com/{{2}}", example: "x")]), path: "spec.buttons[0].url",
            mentions: ["found {{2}}"]),
    Invalid(label: "header with 2 variables", spec: template(header: textHeader("Sale {{1}} and {{2}}", ["1": "a", "2": "b"])),
            path: "spec.header.text", mentions: ["2 variables", "at most 1"]),
    Invalid(label: "footer with variable", spec: template(footer: "Reply {{1}} to stop"), path: "spec.footer", mentions: ["{{1}}", "no variables"]),
    Invalid(label: "footer with broken braces", spec: template(footer: "Reply {{ to stop"), path: "spec.footer", mentions: ["no variables"]),
]

let placementCases: [Invalid] = [
    Invalid(label: "body starts with a variable", spec: template(body: "{{1}}, your order is ready."), path: "spec.body.text",
            mentions: ["starts with the variable {{1}}", "2388299"]),
    Invalid(label: "body starts with whitespace and a variable", spec: template(body: "  \n{{1}}, your order is ready."), path: "spec.body.text",
            mentions: ["starts with"]),
    Invalid(label: "body ends with a variable", spec: template(body: "Your order is ready, {{1}}"), path: "spec.body.text",
            mentions: ["ends with the variable {{1}}", "2388299"]),
    Invalid(label: "body ends with a variable and spaces", spec: template(body: "Your order is ready, {{1}}  \n"), path: "spec.body.text",
            mentions: ["ends with"]),
    Invalid(label: "touching variables", spec: template(body: "Hi {{1}}{{2}} there, welcome back.", examples: ["1": "a", "2": "b"]),
            path: "spec.body.text", mentions: ["{{1}} and {{2}}", "separated only by whitespace"]),
    Invalid(label: "variables separated by a space", spec: template(body: "Hi {{1}} {{2}} there, welcome back.", examples: ["1": "a", "2": "b"]),
            path: "spec.body.text", mentions: ["{{1}} and {{2}}", "separated only by whitespace"]),
    Invalid(label: "too many variables for the text", spec: template(body: "Dear {{1}}, {{2}}, {{3}} and {{4}} are due.",
                                                                    examples: ["1": "a", "2": "b", "3": "c", "4": "d"]),
            path: "spec.body.text", mentions: ["4 variables", "4 words", "1 variable per 2 words"], severity: .warning),
    Invalid(label: "one word short per variable", spec: template(body: "Hi {{1}} and {{2}} there.", examples: ["1": "a", "2": "b"]),
            path: "spec.body.text", mentions: ["2 variables", "3 words"], severity: .warning),
]

let exampleCases: [Invalid] = [
    Invalid(label: "missing positional body example", spec: template(examples: [:]), path: "spec.body.examples", mentions: ["no example for {{1}}"]),
    Invalid(label: "missing named body example", spec: template(.utility, .named, body: "Hi {{first_name}}, your order is ready.", examples: [:]),
            path: "spec.body.examples", mentions: ["no example for {{first_name}}"]),
    Invalid(label: "body example without placeholder", spec: template(examples: ["1": "Pablo", "2": "x"]), path: "spec.body.examples",
            mentions: ["\"2\"", "matches no placeholder"]),
    Invalid(label: "body example for text without variables", spec: template(body: "Your order is ready.", examples: ["1": "x"]),
            path: "spec.body.examples", mentions: ["\"1\"", "matches no placeholder"]),
    Invalid(label: "empty body example", spec: template(examples: ["1": " "]), path: "spec.body.examples", mentions: ["{{1}}", "empty"]),
    Invalid(label: "missing header example", spec: template(header: textHeader("Sale {{1}}")), path: "spec.header.examples",
            mentions: ["no example for {{1}}"]),
    Invalid(label: "header example without placeholder", spec: template(header: textHeader("Sale", ["1": "x"])), path: "spec.header.examples",
            mentions: ["\"1\"", "matches no placeholder"]),
    Invalid(label: "empty header example", spec: template(header: textHeader("Sale {{1}}", ["1": ""])), path: "spec.header.examples",
            mentions: ["{{1}}", "empty"]),
]

let headerCases: [Invalid] = [
    Invalid(label: "TEXT header without text", spec: template(header: textHeader(nil)), path: "spec.header.text", mentions: ["needs `text`"]),
    Invalid(label: "TEXT header with mediaExample", spec: template(header: textHeader("Sale", media: "4::aW")), path: "spec.header.mediaExample",
            mentions: ["TEXT header cannot have `mediaExample`"]),
    Invalid(label: "IMAGE header without mediaExample", spec: template(header: mediaHeader(.image, nil)), path: "spec.header.mediaExample",
            mentions: ["IMAGE header needs `mediaExample`"]),
    Invalid(label: "VIDEO header with empty mediaExample", spec: template(header: mediaHeader(.video, "")), path: "spec.header.mediaExample",
            mentions: ["VIDEO header needs `mediaExample`"]),
    Invalid(label: "DOCUMENT header with text", spec: template(header: mediaHeader(.document, "4::aW", text: "Invoice")), path: "spec.header.text",
            mentions: ["DOCUMENT header cannot have text"]),
    Invalid(label: "IMAGE header with examples", spec: template(header: mediaHeader(.image, "4::aW", examples: ["1": "x"])), path: "spec.header.examples",
            mentions: ["only to TEXT headers"]),
    Invalid(label: "LOCATION header on authentication", spec: authTemplate(header: mediaHeader(.location, nil)), path: "spec.header",
            mentions: ["LOCATION headers are only for UTILITY or MARKETING"]),
    Invalid(label: "LOCATION header with text", spec: template(.marketing, header: mediaHeader(.location, nil, text: "Here")), path: "spec.header.text",
            mentions: ["LOCATION header cannot have text"]),
    Invalid(label: "LOCATION header with mediaExample", spec: template(.marketing, header: mediaHeader(.location, "4::aW")), path: "spec.header.mediaExample",
            mentions: ["LOCATION header cannot have `mediaExample`"]),
]

let buttonCases: [Invalid] = [
    Invalid(label: "11 buttons", spec: template(buttons: Array(repeating: quickReply(), count: 11)), path: "spec.buttons",
            mentions: ["11 buttons", "at most 10"]),
    Invalid(label: "3 URL buttons", spec: template(buttons: [link(), link(), link()]), path: "spec.buttons", mentions: ["3 URL buttons", "at most 2"]),
    Invalid(label: "2 PHONE_NUMBER buttons", spec: template(buttons: [call(), call()]), path: "spec.buttons",
            mentions: ["2 PHONE_NUMBER buttons", "at most 1"]),
    Invalid(label: "2 COPY_CODE buttons", spec: template(buttons: [copyCode(), copyCode()]), path: "spec.buttons",
            mentions: ["2 COPY_CODE buttons", "at most 1"]),
    Invalid(label: "QR, URL, QR", spec: template(buttons: [quickReply(), link(), quickReply()]), path: "spec.buttons",
            mentions: ["two groups", "QUICK_REPLY, URL, QUICK_REPLY"]),
    Invalid(label: "URL, QR, URL", spec: template(buttons: [link(), quickReply(), link()]), path: "spec.buttons",
            mentions: ["two groups", "URL, QUICK_REPLY, URL"]),
    Invalid(label: "quick reply without text", spec: template(buttons: [quickReply(nil)]), path: "spec.buttons[0].text",
            mentions: ["QUICK_REPLY button needs `text`"]),
    Invalid(label: "URL button without text", spec: template(buttons: [link(nil)]), path: "spec.buttons[0].text", mentions: ["URL button needs `text`"]),
    Invalid(label: "phone button with blank text", spec: template(buttons: [call(" ")]), path: "spec.buttons[0].text",
            mentions: ["PHONE_NUMBER button needs `text`"]),
    Invalid(label: "URL button without url", spec: template(buttons: [link("Go", nil)]), path: "spec.buttons[0].url", mentions: ["needs `url`"]),
    Invalid(label: "URL with 2 variables", spec: template(buttons: [link("Go", "https://example.com/{{1}}/{{2}}", example: "x")]),
            path: "spec.buttons[0].url", mentions: ["2 variables", "at most 1"]),
    Invalid(label: "URL variable not at the end", spec: template(buttons: [link("Go", "https://example.com/{{1}}/track", example: "x")]),
            path: "spec.buttons[0].url", mentions: ["{{1}}", "very end"]),
    Invalid(label: "URL variable without example", spec: template(buttons: [link("Go", "https://example.com/{{1}}")]),
            path: "spec.buttons[0].example", mentions: ["{{1}}", "needs `example`"]),
    Invalid(label: "URL variable with empty example", spec: template(buttons: [link("Go", "https://example.com/{{1}}", example: "")]),
            path: "spec.buttons[0].example", mentions: ["empty"]),
    Invalid(label: "URL example without variable", spec: template(buttons: [link("Go", "https://example.com/", example: "x")]),
            path: "spec.buttons[0].example", mentions: ["no variable"]),
    Invalid(label: "phone button without number", spec: template(buttons: [call("Call", nil)]), path: "spec.buttons[0].phoneNumber",
            mentions: ["needs `phoneNumber`"]),
    Invalid(label: "copy code without example", spec: template(buttons: [copyCode(nil)]), path: "spec.buttons[0].example",
            mentions: ["COPY_CODE button needs `example`"]),
    Invalid(label: "url on quick reply", spec: template(buttons: [quickReply("Yes", url: "https://example.com")]), path: "spec.buttons[0].url",
            mentions: ["`url` does not belong on a QUICK_REPLY button"]),
    Invalid(label: "phoneNumber on URL", spec: template(buttons: [link(phone: "+15550051310")]), path: "spec.buttons[0].phoneNumber",
            mentions: ["`phoneNumber` does not belong on a URL button"]),
    Invalid(label: "example on phone", spec: template(buttons: [call(example: "x")]), path: "spec.buttons[0].example",
            mentions: ["`example` does not belong on a PHONE_NUMBER button"]),
    Invalid(label: "text on copy code", spec: template(buttons: [copyCode(text: "Copy")]), path: "spec.buttons[0].text",
            mentions: ["`text` does not belong on a COPY_CODE button"]),
]

let ttlCases: [Invalid] = [
    Invalid(label: "authentication ttl 29", spec: authTemplate(ttl: 29), path: "spec.ttlSeconds", mentions: ["29", "30-900", "AUTHENTICATION"]),
    Invalid(label: "authentication ttl 901", spec: authTemplate(ttl: 901), path: "spec.ttlSeconds", mentions: ["901", "30-900"]),
    Invalid(label: "utility ttl 43201", spec: template(.utility, ttl: 43_201), path: "spec.ttlSeconds", mentions: ["43201", "30-43200", "UTILITY"]),
    Invalid(label: "utility ttl 0", spec: template(.utility, ttl: 0), path: "spec.ttlSeconds", mentions: ["30-43200", "-1"]),
    Invalid(label: "marketing ttl 43199", spec: template(.marketing, ttl: 43_199), path: "spec.ttlSeconds", mentions: ["43199", "43200-2592000"]),
    Invalid(label: "marketing ttl 2592001", spec: template(.marketing, ttl: 2_592_001), path: "spec.ttlSeconds", mentions: ["43200-2592000"]),
    Invalid(label: "marketing ttl -1", spec: template(.marketing, ttl: -1), path: "spec.ttlSeconds", mentions: ["-1", "43200-2592000", "MARKETING"]),
]

let authenticationCases: [Invalid] = [
    Invalid(label: "code expiration 0", spec: authTemplate(otp(expires: 0)), path: "spec.authentication.codeExpirationMinutes", mentions: ["is 0", "1-90"]),
    Invalid(label: "code expiration 91", spec: authTemplate(otp(expires: 91)), path: "spec.authentication.codeExpirationMinutes", mentions: ["is 91", "1-90"]),
]

// MARK: - Tests

@Test(arguments: validTemplates)
func validTemplateHasNoIssues(_ c: Valid) {
    let issues = TemplateRules.check(c.spec)
    #expect(issues.isEmpty, "\(issues)")
}

/// Each invalid template yields exactly one issue: the expected one, with nothing cascading from it.
@Test(arguments: structureCases + lengthCases + placeholderCases + placementCases + exampleCases + headerCases + buttonCases
      + ttlCases + authenticationCases)
func invalidTemplateReportsTheIssue(_ c: Invalid) throws {
    let issues = TemplateRules.check(c.spec)
    #expect(issues.count == 1, "\(issues)")
    let issue = try #require(issues.first)
    #expect(issue.path == c.path)
    #expect(issue.severity == c.severity)
    for fragment in c.mentions {
        #expect(issue.message.contains(fragment), "\(issue.message)")
    }
}

@Test func everyProblemIsReportedAtOnce() {
    let spec = template(
        header: textHeader("Sale {{1}} and {{2}}", ["1": "a"]),
        body: "{{1}} " + repeated("a", 1100), examples: [:],
        footer: "Bye {{1}}",
        buttons: [quickReply(), link(), quickReply(nil)],
        ttl: 5)
    let issues = TemplateRules.check(spec)
    #expect(issues.filter { $0.severity == .warning }.map(\.path) == ["spec.body.text"])
    #expect(issues.map(\.path) == [
        "spec.header.text", "spec.header.examples",
        "spec.body.text", "spec.body.text", "spec.body.examples", "spec.body.text",
        "spec.footer",
        "spec.buttons", "spec.buttons[2].text",
        "spec.ttlSeconds",
    ])
}

@Test func hintsExplainTheFix() throws {
    let issues = TemplateRules.check(template(body: "{{1}}, your order is ready."))
    let hint = try #require(issues.first?.hint)
    #expect(hint.contains("before the first variable"))
}

@Test(arguments: TemplateSpec.Category.allCases)
func ttlLimitsMatchTheReference(_ category: TemplateSpec.Category) {
    let range = TemplateRules.Limits.ttlSeconds(category)
    for ttl in [range.lowerBound, range.upperBound] {
        #expect(!TemplateRules.check(category == .authentication ? authTemplate(ttl: ttl) : template(category, ttl: ttl))
            .contains { $0.path == "spec.ttlSeconds" })
    }
    #expect(TemplateRules.Limits.ttlAllowsUnlimited(category) == (category != .marketing))
}

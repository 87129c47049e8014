import BizOneModel
import Foundation
import Testing

@Suite("JSONValue canonical form and paths")
struct JSONValueTests {
    @Test func canonicalFormSortsKeysEscapesAndRoundTrips() throws {
        let value = JSONValue.object([
            "b": .array([.int(1), .double(0.5), .bool(true), .null]),
            "a": .string("quote \" slash \\ line\nbreak tab\t bell \u{07} ü 🙂"),
        ])
        let text = value.canonicalString
        #expect(text == #"{"a":"quote \" slash \\ line\nbreak tab\t bell \u0007 ü 🙂","b":[1,0.5,true,null]}"#)
        #expect(try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) == value)
        #expect(ContentHash.of(value) == ContentHash.of(Data(text.utf8)))
        #expect(ContentHash.of(Data("abc".utf8)) == "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func pathsWithDottedKeysAreQuotedAndResolvable() {
        let old = JSONValue.object(["spec": .object(["parameters": .object(["button.2": .string("A"), "name": .string("x")])])])
        let new = JSONValue.object(["spec": .object(["parameters": .object(["button.2": .string("B"), "name": .string("x")])])])
        let paths = JSONValue.changedPaths(from: old, to: new)
        #expect(paths == [#"spec.parameters["button.2"]"#])
        #expect(new.value(at: paths[0]) == .string("B"))
        #expect(JSONValue.components(of: #"spec.parameters["button.2"].x"#) == ["spec", "parameters", "button.2", "x"])
    }
}

@Suite("JSONValue parser")
struct JSONValueParserTests {
    @Test(arguments: [
        #"{"a":[1,-2,3.5,1e3,true,false,null],"b":{"c":"x\"y\\z\/\n\u00e9\ud83d\ude00"}}"#,
        #"  [ ]  "#, #"{}"#, #""just a string""#, #"-0.25"#, #"[{"k":[{"k":[]}]}]"#,
    ])
    func agreesWithJSONDecoder(text: String) throws {
        let data = Data(text.utf8)
        #expect(try JSONValue.parse(data) == (try JSONDecoder().decode(JSONValue.self, from: data)))
    }

    @Test(arguments: [
        #"{"a":}"#, #"[1,,]"#, #"[,]"#, #"{,}"#, #"{"a" 1}"#, #""open"#, #"tru"#, #"{} x"#, #"[1 2]"#, "", #""\q""#,
        // Numbers: the RFC 8259 grammar, finite.
        "01", "-01", "1.", ".5", "-.5", "1.e5", "+1", "-", "1e", "1e+", "--1", "0x10", "1e400", "-1e400", "NaN", "Infinity",
        // Strings: paired surrogates only, no raw control characters.
        #""\ud83d\u00e9""#, #""\ud800\ud800""#, #""\ud83d""#, #""\udc00""#, #""\ud83d\n""#, #""\ud83d\ue000""#,
        "\"a\u{01}b\"", "\"tab\tinside\"",
    ])
    func refusesInvalidJSON(text: String) {
        #expect(throws: JSONValue.ParseError.self) { try JSONValue.parse(Data(text.utf8)) }
    }

    /// Foundation's leniencies, mirrored so the two parsers agree (checked by `make fuzz`).
    @Test func acceptsATrailingCommaAndALeadingByteOrderMark() throws {
        #expect(try JSONValue.parse(Data(#"{"a":[1,],}"#.utf8)) == .object(["a": .array([.int(1)])]))
        #expect(try JSONValue.parse(Data([0xEF, 0xBB, 0xBF] + Array("[true]".utf8))) == .array([.bool(true)]))
    }

    @Test(arguments: [[0xED, 0xA0, 0x80], [0xC0, 0x80], [0xFF], [0xE2, 0x82]] as [[UInt8]])
    func refusesInvalidUTF8InStrings(bytes: [UInt8]) {
        #expect(throws: JSONValue.ParseError.self) { try JSONValue.parse(Data([0x22] + bytes + [0x22])) }
    }

    @Test func readsEscapesAndPairsSurrogates() throws {
        let value = try JSONValue.parse(Data(#"["\ud83d\ude00", "\u00e9\u0000", "\/\b\f"]"#.utf8))
        #expect(value == .array([.string("😀"), .string("é\u{0}"), .string("/\u{08}\u{0C}")]))
    }

    /// 512 levels, as JSONSerialization: deeper nesting is refused with an error, never by
    /// exhausting the stack (the parser does not recurse).
    @Test func nestingIsBoundedWithoutRecursion() throws {
        let deepest = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        #expect(throws: Never.self) { try JSONValue.parse(Data(deepest.utf8)) }
        let tooDeep = String(repeating: #"{"a":"#, count: 513) + "1" + String(repeating: "}", count: 513)
        #expect(throws: JSONValue.ParseError.self) { try JSONValue.parse(Data(tooDeep.utf8)) }
        let hostile = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let error = try #require(throws: JSONValue.ParseError.self) { try JSONValue.parse(Data(hostile.utf8)) }
        #expect(error.message.contains("deeper than 512"))
        #expect(error.offset == 512)
    }

    @Test func numbersKeepTheirValues() throws {
        let value = try JSONValue.parse(Data("[0, -0, 1.0, 1e3, 2.5e-3, 9223372036854775807, 9223372036854775808, 1e-400]".utf8))
        #expect(value == .array([.int(0), .int(0), .int(1), .int(1000), .double(0.0025), .int(Int.max),
                                 .double(9223372036854775808), .int(0)]))
    }

    @Test func largeDocumentsAreReadContainerByContainer() throws {
        let items = (0..<10_000).map { #"{"id":\#($0),"tags":["a","b"],"ok":true}"# }.joined(separator: ",")
        let value = try JSONValue.parse(Data("[\(items)]".utf8))
        guard case .array(let parsed) = value else { Issue.record("not an array"); return }
        #expect(parsed.count == 10_000)
        #expect(parsed[9_999] == .object(["id": .int(9_999), "tags": .array([.string("a"), .string("b")]), "ok": .bool(true)]))
    }
}

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

    @Test(arguments: [#"{"a":}"#, #"[1,]"#, #"{"a" 1}"#, #""open"#, #"tru"#, #"{} x"#, #"[1 2]"#, "", #""\q""#])
    func refusesInvalidJSON(text: String) {
        #expect(throws: JSONValue.ParseError.self) { try JSONValue.parse(Data(text.utf8)) }
    }
}

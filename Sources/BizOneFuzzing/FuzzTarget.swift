import BizOneConfig
import BizOneEngine
import BizOneModel
import Foundation
import MetaGraph

/// The parsers that read outside input, each as a function of raw bytes: run by the libFuzzer
/// driver (`bizone-fuzz`, `make fuzz`) and by the regression tests, which replay every kept
/// input. A crash is the finding libFuzzer looks for; a broken invariant (two parsers that
/// disagree, a verdict that contradicts the decoder) comes back as a `Finding`, which the
/// driver turns into a crash so libFuzzer keeps the input.
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// `JSONValue.parse`, differentially against `JSONSerialization`.
    case json
    /// The webhook envelope check (before the 200) and the event decoder (processing).
    case webhook
    /// The pipeline loader: YAML, schemas, semantic checks.
    case yaml
    /// The audience CSV reader.
    case csv

    public struct Finding: Error, CustomStringConvertible, Sendable {
        public var target: FuzzTarget
        public var message: String
        public var description: String { "\(target.rawValue): \(message)" }
    }

    /// Runs one input; nil when every invariant held.
    public func run(_ data: Data) -> Finding? {
        let message: String?
        switch self {
        case .json: message = JSONDifferential.disagreement(data)
        case .webhook: message = Self.webhook(data)
        case .yaml: message = Self.yaml(data)
        case .csv: message = Self.csv(data)
        }
        return message.map { Finding(target: self, message: $0) }
    }

    static func webhook(_ data: Data) -> String? {
        let verdict = WebhookEnvelope.check(data)
        let decoded = Result { try EventDecoder.decodeItems(data, receivedAt: Date(timeIntervalSince1970: 1_800_000_000)) }
        // An event the check accepts (stores as accepted, answers 200) must be one the
        // processor can decode; what it rejects is never processed.
        if case .envelope = verdict, case .failure(let error) = decoded {
            return "the envelope check accepted a body the decoder cannot read: \(error)"
        }
        return nil
    }

    static func yaml(_ data: Data) -> String? {
        let result = PipelineLoader().load(contents: data, file: "fuzz/pipeline.yaml")
        // Every diagnostic that names a place names a real line of this input.
        let lines = yamlLineBreaks(data) + 1
        for diagnostic in result.diagnostics {
            guard let location = diagnostic.location, location.file == "fuzz/pipeline.yaml" else { continue }
            if location.line < 1 || location.line > lines + 1 || location.column < 1 {
                return "diagnostic at \(location.line):\(location.column) outside the \(lines)-line input: \(diagnostic.message)"
            }
        }
        if result.desired != nil, result.diagnostics.hasErrors { return "a desired state was produced despite errors" }
        return nil
    }

    /// Line breaks as YAML (libyaml) counts them: LF, CR, CR LF, NEL, LS and PS.
    static func yamlLineBreaks(_ data: Data) -> Int {
        let bytes = [UInt8](data)
        var breaks = 0
        var index = 0
        while index < bytes.count {
            switch bytes[index] {
            case 0x0A: breaks += 1
            case 0x0D:
                breaks += 1
                if index + 1 < bytes.count, bytes[index + 1] == 0x0A { index += 1 }
            case 0xC2 where index + 1 < bytes.count && bytes[index + 1] == 0x85: breaks += 1
            case 0xE2 where index + 2 < bytes.count && bytes[index + 1] == 0x80 && (bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9):
                breaks += 1
            default: break
            }
            index += 1
        }
        return breaks
    }

    static func csv(_ data: Data) -> String? {
        for encoding in AudienceSpec.TextEncoding.allCases {
            let source = AudienceSpec.CSVSource(path: "fuzz.csv", phoneColumn: "phone", nameColumn: "name",
                                                optOutColumn: "opt_out", encoding: encoding)
            var visited = 0
            var badPhone: String?
            do {
                let summary = try AudienceFile.scan(data: data, path: "fuzz.csv", source: source, defaultCountryCode: "62") { contact in
                    visited += 1
                    if badPhone == nil, !PhoneNumber.isE164(contact.phone) { badPhone = contact.phone }
                }
                if let badPhone { return "\(encoding): a row was read with a phone that is not E.164: \(badPhone)" }
                if summary.valid != visited { return "\(encoding): \(summary.valid) valid rows counted, \(visited) read" }
                if summary.rows != summary.valid + summary.invalidCount {
                    return "\(encoding): \(summary.rows) rows but \(summary.valid) valid and \(summary.invalidCount) invalid"
                }
            } catch let failure as AudienceFile.Failure {
                // Latin-1 gives every byte a character: only UTF-8 can refuse bytes as text.
                if case .notText = failure, encoding != .utf8 { return "\(encoding) refused bytes as text: \(failure)" }
            } catch {
                return "\(encoding): an error that is not a CSV failure: \(error)"
            }
        }
        return nil
    }
}

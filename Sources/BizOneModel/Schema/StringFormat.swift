import Foundation

/// Value formats checked by the loader and exported to JSON Schema as patterns or enums.
public enum StringFormat: String, Sendable, CaseIterable {
    case plain
    case resourceName
    case templateName
    case language
    case e164
    case email
    case timezone
    case cron
    case duration
    case localTime
    case dateTime
    case url
    case digits
    case path
    case graphVersion
    case countryCode

    public struct Problem: Sendable, Equatable {
        public var message: String
        public var hint: String?
    }

    /// JSON Schema `pattern` for editors, where a regular expression says it well enough.
    public var pattern: String? {
        switch self {
        case .resourceName: return "^[a-z0-9]([a-z0-9_-]{0,61}[a-z0-9])?$"
        case .templateName: return "^[a-z0-9_]{1,512}$"
        case .e164: return "^\\+[1-9][0-9]{6,14}$"
        case .email: return "^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$"
        case .duration: return "^([0-9]+(ms|s|m|h|d))+$"
        case .localTime: return "^([01][0-9]|2[0-3]):[0-5][0-9]$"
        case .url: return "^https?://"
        case .digits: return "^[0-9]+$"
        case .path: return "^/"
        case .graphVersion: return "^v[0-9]+\\.[0-9]+$"
        case .countryCode: return "^[1-9][0-9]{0,2}$"
        default: return nil
        }
    }

    /// JSON Schema `format` keyword where one exists.
    public var jsonSchemaFormat: String? {
        switch self {
        case .email: return "email"
        case .dateTime: return "date-time"
        case .url: return "uri"
        default: return nil
        }
    }

    /// A problem with `value`, or nil when it is well formed.
    public func check(_ value: String) -> Problem? {
        switch self {
        case .plain:
            return nil
        case .resourceName:
            return matches(value) ? nil : Problem(
                message: "invalid name \"\(value)\"",
                hint: "use lower-case letters, digits, '-' and '_', starting and ending with a letter or digit (at most 63 characters)")
        case .templateName:
            return matches(value) ? nil : Problem(
                message: "invalid template name \"\(value)\"",
                hint: "Meta allows only lower-case letters a-z, digits and '_', at most 512 characters")
        case .language:
            if MetaLanguages.all.contains(value) { return nil }
            let normalised = value.replacingOccurrences(of: "-", with: "_")
            let suggestion = MetaLanguages.all.contains(normalised) ? normalised : Suggest.closest(to: value, in: MetaLanguages.all)
            return Problem(
                message: "unsupported language \"\(value)\"",
                hint: suggestion.map { "did you mean \"\($0)\"? languages are Meta's locale codes such as en_US, en, id, pt_BR" }
                    ?? "languages are Meta's locale codes such as en_US, en, id, pt_BR")
        case .e164:
            if PhoneNumber.isE164(value) { return nil }
            if matches(value), let problem = PhoneNumber.lengthProblem(value, defaultCountryCode: nil) {
                return Problem(message: "invalid phone number \"\(value)\": \(problem)", hint: "check for missing or extra digits")
            }
            return Problem(
                message: "invalid phone number \"\(value)\"",
                hint: "write it in E.164 form: '+', country code and number, no spaces (for example +6281234567890)")
        case .email:
            return matches(value) ? nil : Problem(message: "invalid email address \"\(value)\"", hint: nil)
        case .timezone:
            if TimeZones.isKnown(value) { return nil }
            let suggestion = Suggest.closest(to: value, in: TimeZones.identifiers)
            return Problem(
                message: "unknown time zone \"\(value)\"",
                hint: suggestion.map { "did you mean \"\($0)\"? use an IANA time zone name" } ?? "use an IANA time zone name such as Asia/Jakarta or Europe/Berlin")
        case .cron:
            do {
                _ = try CronExpression(parsing: value)
                return nil
            } catch let error as CronExpression.ParseError {
                return Problem(message: "invalid cron expression \"\(value)\": \(error.message)",
                               hint: "five fields: minute hour day-of-month month day-of-week, e.g. \"0 9 * * 1-5\"")
            } catch {
                return Problem(message: "invalid cron expression \"\(value)\"", hint: nil)
            }
        case .duration:
            return DurationValue(parsing: value) != nil ? nil : Problem(
                message: "invalid duration \"\(value)\"",
                hint: "use a number with a unit: ms, s, m, h or d, e.g. 90s, 15m, 2h, 1h30m")
        case .localTime:
            return matches(value) ? nil : Problem(message: "invalid time of day \"\(value)\"", hint: "use 24-hour HH:MM, e.g. 08:00")
        case .dateTime:
            return Timestamps.parse(value) != nil ? nil : Problem(
                message: "invalid date-time \"\(value)\"",
                hint: "use ISO 8601 with an offset, e.g. 2026-12-01T09:00:00+07:00")
        case .url:
            guard let url = URL(string: value), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
                return Problem(message: "invalid URL \"\(value)\"", hint: "use an absolute http:// or https:// URL")
            }
            return nil
        case .digits:
            return matches(value) ? nil : Problem(message: "expected digits only, found \"\(value)\"", hint: "Meta ids are strings of digits; quote them in YAML")
        case .path:
            return matches(value) ? nil : Problem(message: "invalid path \"\(value)\"", hint: "paths start with '/'")
        case .graphVersion:
            return matches(value) ? nil : Problem(message: "invalid Graph API version \"\(value)\"", hint: "use the form v23.0")
        case .countryCode:
            return matches(value) ? nil : Problem(message: "invalid country calling code \"\(value)\"", hint: "digits without '+', e.g. 62 for Indonesia")
        }
    }

    private func matches(_ value: String) -> Bool {
        guard let regex = StringFormat.compiled[self] else { return true }
        return regex.firstMatch(in: value, range: NSRange(value.startIndex..., in: value)) != nil
    }

    /// Compiled once: compiling a pattern per check dominated loading thousands of templates.
    private static let compiled: [StringFormat: NSRegularExpression] = {
        var result: [StringFormat: NSRegularExpression] = [:]
        for format in StringFormat.allCases {
            if let pattern = format.pattern { result[format] = try? NSRegularExpression(pattern: pattern) }
        }
        return result
    }()
}

import Foundation

/// IANA time zone names, checked against the system's tz database through Foundation.
public enum TimeZones {
    public static let identifiers: Set<String> = Set(TimeZone.knownTimeZoneIdentifiers).union(["UTC"])

    public static func isKnown(_ name: String) -> Bool {
        identifiers.contains(name) && TimeZone(identifier: name) != nil
    }
}

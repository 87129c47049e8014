import AsyncHTTPClient
import BizOneEngine
import Foundation
import Synchronization
import MetaEmulator

/// `bizone emulator` as a child process, its output in a temporary file.
final class EmulatorProcess {
    static let token = "emulator-access-token"
    static let account = "102290129340398"
    static let phone = "106540352242922"

    let process = Process()
    let baseURL: String
    private let log: URL

    /// - Parameter rate: the emulator's throughput limit in msg/s; nil: none.
    init(binary: String, rate: Int?) throws {
        log = FileManager.default.temporaryDirectory.appendingPathComponent("bizone-bench-emulator-\(UUID().uuidString).log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["emulator", "--port", "0", "--review-delay", "0.05", "--messages-per-second", "\(rate ?? 0)",
                             "--log-level", "warning"]
        let output = try FileHandle(forWritingTo: log)
        process.standardOutput = output
        process.standardError = output
        try process.run()
        var url: String?
        for _ in 0..<200 where url == nil {
            Thread.sleep(forTimeInterval: 0.05)
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            url = text.split(separator: "\n").first { $0.contains("listening") }?
                .split(separator: " ", omittingEmptySubsequences: true).first { $0.hasPrefix("http://") }.map(String.init)
        }
        guard let url else {
            process.terminate()
            throw BenchError.emulator("did not start: " + ((try? String(contentsOf: log, encoding: .utf8)) ?? ""))
        }
        baseURL = url
    }

    func stats() async throws -> EmulatorStats {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: baseURL + "/_emulator/stats"), timeout: .seconds(10))
        return try JSONDecoder().decode(EmulatorStats.self, from: Data(buffer: try await response.body.collect(upTo: 1 << 20)))
    }

    /// The child's peak resident memory (VmHWM).
    func peakMiB() -> Double {
        MemorySampler.statusMiB("VmHWM", path: "/proc/\(process.processIdentifier)/status")
    }

    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: log)
    }
}

/// Samples this process's resident memory while a run sends: `ru_maxrss` only ever grows,
/// so a per-run peak needs sampling.
actor MemorySampler {
    private(set) var peak = 0.0

    func sample(every interval: Duration) async {
        while !Task.isCancelled {
            peak = max(peak, Self.residentMiB())
            try? await Task.sleep(for: interval)
        }
    }

    static func residentMiB() -> Double { statusMiB("VmRSS", path: "/proc/self/status") }

    static func statusMiB(_ field: String, path: String) -> Double {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix(field + ":") }) else { return 0 }
        let kib = line.split(separator: " ").compactMap { Double($0) }.first ?? 0
        return kib / 1024
    }
}

/// One self-overwriting progress line, at most twice a second.
final class ProgressLine: Sendable {
    private let label: String
    private let total: Int
    private let last = Mutex(DispatchTime.now().uptimeNanoseconds)

    init(label: String, total: Int) {
        self.label = label
        self.total = total
    }

    func update(_ progress: CampaignProgress) {
        let now = DispatchTime.now().uptimeNanoseconds
        let due = last.withLock { last -> Bool in
            guard now &- last > 500_000_000 else { return false }
            last = now
            return true
        }
        guard due else { return }
        print(String(format: "\r  %@: %d/%d sent, %.0f msg/s   ", label, progress.done, total, progress.rate), terminator: "")
        fflush(nil)
    }

    func finish(_ text: String) {
        print("\r  \(label): \(text)" + String(repeating: " ", count: 30))
    }
}

/// Prints rows (the first is the header) as columns padded to their widest cell.
func printTable(_ table: [[String]]) {
    guard let header = table.first else { return }
    let widths = header.indices.map { column in table.map { $0.indices.contains(column) ? $0[column].count : 0 }.max() ?? 0 }
    for row in table {
        print(row.enumerated().map { $1.padding(toLength: widths.indices.contains($0) ? widths[$0] : 0, withPad: " ", startingAt: 0) }
            .joined(separator: "  "))
    }
}

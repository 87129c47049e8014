import BizOneFuzzing
import Foundation
import Testing

/// Every input kept under `Fuzz/` (the seeds `make fuzz` starts from, and every input that
/// once crashed a parser or broke an invariant) replayed through its target: no crash, no
/// finding. A crash found by `make fuzz` is added to `Fuzz/regressions/<target>/`.
@Suite("fuzz corpus")
struct FuzzCorpusTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fuzz")

    static func inputs(_ target: FuzzTarget) -> [URL] {
        ["seeds", "regressions"].flatMap { folder -> [URL] in
            let directory = root.appendingPathComponent(folder).appendingPathComponent(target.rawValue)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
            return names.filter { !$0.hasPrefix(".") }.sorted().map { directory.appendingPathComponent($0) }
        }
    }

    @Test(arguments: FuzzTarget.allCases)
    func everyKeptInputHolds(_ target: FuzzTarget) throws {
        let files = Self.inputs(target)
        #expect(!files.isEmpty, "no kept inputs for \(target.rawValue) under \(Self.root.path)")
        for file in files {
            let data = try Data(contentsOf: file)
            if let finding = target.run(data) {
                Issue.record("\(file.lastPathComponent): \(finding)")
            }
        }
    }
}

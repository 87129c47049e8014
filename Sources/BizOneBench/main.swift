import BizOneConfig
import BizOneEngine
import BizOneModel
import BizOneStore
import Foundation
import Logging

/// `make bench`: times loading and validating a large pipeline, applying it to a fresh state
/// and planning against that state (with peak memory), then Meta client, template, webhook and
/// campaign dispatch runs against the emulator. Figures only; nothing is asserted.
func argument(_ name: String, _ fallback: Int) -> Int {
    let arguments = CommandLine.arguments
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count, let value = Int(arguments[index + 1]) else { return fallback }
    return value
}

func peakMemoryMiB() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024  // ru_maxrss is KiB on Linux
}

func timed<T>(_ label: String, _ body: () throws -> T) rethrows -> (T, Double) {
    print("  \(label)...", terminator: "")
    fflush(nil)
    let start = DispatchTime.now().uptimeNanoseconds
    let value = try body()
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    print(String(format: " %.2f s", seconds))
    return (value, seconds)
}

if CommandLine.arguments.contains("--plain-endpoint") {
    try await PlainEndpoint.run()
    exit(0)
}

let skipLocal = CommandLine.arguments.contains("--skip-local")
let skipMeta = CommandLine.arguments.contains("--skip-meta")
let shape = BenchPipeline(templates: argument("--templates", 5_000), people: argument("--people", 200), rows: argument("--rows", 100_000))
let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bizone-bench-\(UUID().uuidString)")
defer { try? FileManager.default.removeItem(at: directory) }

// Checked before anything runs, so a typo does not cost the earlier parts.
let sizesText = CommandLine.arguments.firstIndex(of: "--dispatch-sizes").map { index in
    index + 1 < CommandLine.arguments.count ? CommandLine.arguments[index + 1] : ""
} ?? "10000,100000,1000000"
let sizes = sizesText.split(separator: ",", omittingEmptySubsequences: false).map { Int($0) }
guard !sizes.isEmpty, sizes.allSatisfy({ ($0 ?? 0) > 0 }) else {
    print("error: --dispatch-sizes takes positive recipient counts separated by commas, e.g. 10000,100000 (got \"\(sizesText)\")")
    exit(2)
}

if !skipLocal {
print("BizOne benchmark: \(shape.templates) templates, \(shape.people) roles + \(shape.people) users, \(shape.rows)-row audience CSV")
let (_, generate) = try timed("generate pipeline") { try shape.write(to: directory) }
let baseline = peakMemoryMiB()
let (loaded, load) = timed("load + validate") { PipelineLoader().load(paths: [directory.path]) }
guard let desired = loaded.desired else {
    for diagnostic in loaded.diagnostics.errors.prefix(20) { print(diagnostic) }
    exit(1)
}
let afterLoad = peakMemoryMiB()
let store = try StateStore(path: directory.appendingPathComponent("state.db").path)
var benchLogger = Logger(label: "bizone.bench")
benchLogger.logLevel = .warning
let engine = Engine(store: store, logger: benchLogger)
let (firstPlan, planFresh) = try timed("plan against empty state") { try engine.plan(desired: desired, options: PlanOptions()) }
let applyStart = DispatchTime.now().uptimeNanoseconds
print("  apply (\(firstPlan.actionableChanges.count) local resources, CSV import)...", terminator: "")
fflush(nil)
_ = try await engine.apply(firstPlan, actor: ApplyActor(who: "bench", revision: nil))
let apply = Double(DispatchTime.now().uptimeNanoseconds - applyStart) / 1e9
print(String(format: " %.2f s", apply))
let (secondPlan, planFull) = try timed("plan against state holding the same") { try engine.plan(desired: desired, options: PlanOptions()) }
let (_, reload) = timed("load + validate again (warm file cache)") { PipelineLoader().load(paths: [directory.path]) }

let rows: [(String, String)] = [
    ("resources declared", "\(desired.count) (\(desired.resources(of: .template).count) templates)"),
    ("audience rows / warnings", "\(shape.rows) / \(loaded.diagnostics.warnings.count) invalid rows reported"),
    ("members imported", "\(try store.audienceMemberCount("everyone"))"),
    ("generate files", String(format: "%.2f s", generate)),
    ("load + validate", String(format: "%.2f s (again: %.2f s)", load, reload)),
    ("plan, empty state", String(format: "%.3f s", planFresh)),
    ("apply", String(format: "%.2f s", apply)),
    ("plan, full state", String(format: "%.3f s (%d changes, %d pending templates)", planFull, secondPlan.actionableChanges.count, secondPlan.summary.pending)),
    ("peak memory (RSS)", String(format: "%.0f MiB (before load %.0f, after load %.0f)", peakMemoryMiB(), baseline, afterLoad)),
]
print("")
let width = rows.map(\.0.count).max() ?? 0
for (name, value) in rows { print("\(name.padding(toLength: width, withPad: " ", startingAt: 0))  \(value)") }
}

if !CommandLine.arguments.contains("--skip-signin") {
    try await signInThroughput()
}

if !CommandLine.arguments.contains("--skip-inbox") {
    let inbox = InboxBench(conversations: argument("--inbox-conversations", 100_000), messagesEach: argument("--inbox-messages", 10),
                           samples: argument("--inbox-samples", 30))
    print("\nInbox list: \(inbox.conversations) conversations, \(inbox.conversations * inbox.messagesEach) messages in the state")
    printTable(try inbox.run())
}

if !CommandLine.arguments.contains("--skip-replies") {
    let replies = ReplyBench(replies: argument("--replies", 2_000), rate: Double(argument("--reply-rate", 80)))
    print("\nReplies through the pacer against the emulator")
    printTable([["run", "achieved", "of the limit", "outcome"], try await replies.run()])
}

if !CommandLine.arguments.contains("--skip-webhooks") {
    try await webhookThroughput()
}

if !skipMeta {
    let templateBench = TemplateBench(creates: argument("--creates", 1_000), total: argument("--account-templates", 5_000))
    print("\nTemplates against the emulator")
    let templateFigures = try await templateBench.run()
    print("")
    print(String(format: "apply %d creates                     %6.0f templates/s  (%.2f s)", templateFigures.created,
                 Double(templateFigures.created) / templateFigures.createSeconds, templateFigures.createSeconds))
    print(String(format: "plan %d templates vs Meta holding %d  %.2f s  (%d list pages, %d changes)", templateFigures.planned, templateFigures.planned,
                 templateFigures.planSeconds, templateFigures.pages, templateFigures.changes))

    let meta = MetaBench(sends: argument("--sends", 5_000), concurrency: argument("--concurrency", 64), pacedRate: Double(argument("--paced-rate", 200)))
    print("\nMeta: \(meta.sends) template sends per run over loopback HTTP")
    let figures = try await meta.run()
    print("")
    let width = figures.map(\.label.count).max() ?? 0
    for figure in figures {
        print("\(figure.label.padding(toLength: width, withPad: " ", startingAt: 0))  "
              + String(format: "%6.0f msg/s  %5.2f s  %d accepted  %d x 130429", figure.perSecond, figure.seconds, figure.sends, figure.rejected130429))
    }
}

if !CommandLine.arguments.contains("--skip-dispatch") {
    // `bizone emulator` is built next to this binary (`make bench` builds both).
    let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("bizone").path
    guard FileManager.default.isExecutableFile(atPath: binary) else {
        print("\nCampaign dispatch: skipped, \(binary) is missing (build it with `swift build -c release --product bizone`)")
        exit(1)
    }
    let bench = DispatchBench(emulatorBinary: binary)
    let limited = argument("--dispatch-limited", 100_000)
    var scenarios = sizes.compactMap { $0 }.map { DispatchBench.Scenario(label: "\($0) recipients, no rate limit", recipients: $0, rate: nil) }
    scenarios.append(DispatchBench.Scenario(label: "\(limited) recipients at 1,000 msg/s", recipients: limited, rate: 1_000))
    scenarios.append(DispatchBench.Scenario(label: "4,450 recipients at 200 msg/s", recipients: 4_450, rate: 200))
    print("\nCampaign dispatch against `bizone emulator` (its own process), one run per line")
    var results: [DispatchBench.Figures] = []
    for scenario in scenarios {
        do {
            results.append(try await bench.run(scenario))
        } catch {
            print("\nerror: \(error)")
            exit(1)
        }
    }
    print("")
    var table = [["run", "accepted", "time", "achieved", "of limit", "130429", "RSS before / peak sending", "emulator peak"]]
    for figure in results {
        let share = figure.scenario.rate.map { String(format: "%.1f%%", figure.perSecond / Double($0) * 100) } ?? "-"
        table.append([figure.scenario.label, "\(figure.accepted)", String(format: "%.2f s", figure.seconds),
                      String(format: "%.0f msg/s", figure.perSecond), share, "\(figure.rejected130429)",
                      String(format: "%.0f / %.0f MiB", figure.baselineMiB, figure.peakMiB), String(format: "%.0f MiB", figure.emulatorPeakMiB)])
    }
    printTable(table)
    if let paced = results.last, paced.scenario.rate == 200 {
        let expected = Double(paced.scenario.recipients) / 200
        print(String(format: "4,450 at 200 msg/s: %.2f s against %.2f s expected (%+.1f%%)", paced.seconds, expected,
                     (paced.seconds - expected) / expected * 100))
    }
}

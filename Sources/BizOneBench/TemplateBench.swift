import BizOneConfig
import BizOneEngine
import BizOneModel
import BizOneStore
import Foundation
import Logging
import MetaEmulator
import MetaGraph

/// Templates against the emulator: apply throughput for creates, and plan time against an
/// account holding thousands of templates (listing with paging included).
struct TemplateBench {
    var creates: Int
    var total: Int

    struct Figures {
        var createSeconds: Double
        var created: Int
        var fillSeconds: Double
        var planSeconds: Double
        var planned: Int
        var changes: Int
        var pages: Int
    }

    func run() async throws -> Figures {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bizone-template-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        var configuration = EmulatorConfiguration(port: 0, verifyToken: nil)
        configuration.limits.templateCreatesPerHour = total * 2
        configuration.limits.templatesPerAccount = total * 2
        configuration.timing.reviewDelay = 0.01
        var logger = Logger(label: "bench.templates")
        logger.logLevel = .warning
        let emulator = try await MetaEmulator.start(configuration, logger: logger)
        defer { Task { await emulator.stop() } }
        let client = LiveGraphClient(configuration: GraphClientConfiguration(
            baseURL: emulator.baseURL, businessAccountID: configuration.businessAccountID, phoneNumberID: configuration.phoneNumberID,
            accessToken: configuration.accessToken), logger: logger)
        var engine = Engine(store: try StateStore(path: directory.appendingPathComponent("state.db").path),
                            meta: MetaClients(clients: ["main": client]), logger: logger)
        engine.templateCreatesPerHour = total * 2

        func load(_ count: Int) throws -> DesiredState {
            let folder = directory.appendingPathComponent("p\(count)")
            try BenchPipeline(templates: count, people: 0, rows: 0).write(to: folder)
            let result = PipelineLoader().load(paths: [folder.path])
            guard let desired = result.desired else { throw CocoaError(.fileReadCorruptFile) }
            return desired
        }

        print("  apply \(creates) template creates...", terminator: "")
        fflush(nil)
        let first = try load(creates)
        var start = DispatchTime.now().uptimeNanoseconds
        let firstPlan = try await engine.plan(desired: first, options: PlanOptions(), refresh: true)
        let firstReport = try await engine.apply(firstPlan, actor: ApplyActor(who: "bench", revision: nil))
        let createSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        print(String(format: " %.2f s", createSeconds))

        print("  fill the account to \(total) templates...", terminator: "")
        fflush(nil)
        let full = try load(total)
        start = DispatchTime.now().uptimeNanoseconds
        let fillPlan = try await engine.plan(desired: full, options: PlanOptions(), refresh: true)
        _ = try await engine.apply(fillPlan, actor: ApplyActor(who: "bench", revision: nil))
        let fillSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        print(String(format: " %.2f s", fillSeconds))

        print("  plan \(total) templates against the emulator holding \(total)...", terminator: "")
        fflush(nil)
        let before = await emulator.control.requests().count
        start = DispatchTime.now().uptimeNanoseconds
        let plan = try await engine.plan(desired: full, options: PlanOptions(), refresh: true)
        let planSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let pages = await emulator.control.requests().count - before
        print(String(format: " %.2f s", planSeconds))
        return Figures(createSeconds: createSeconds, created: firstReport.applied.filter { $0.id.kind == .template }.count,
                       fillSeconds: fillSeconds, planSeconds: planSeconds, planned: full.resources(of: .template).count,
                       changes: plan.actionableChanges.count, pages: pages)
    }
}

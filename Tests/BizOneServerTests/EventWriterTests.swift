import BizOneModel
import BizOneServer
import BizOneStore
import Foundation
import Logging
import Prometheus
import ServiceLifecycle
import Testing
import TestSupport

/// The group-commit writer on its own, in a ServiceGroup, over a real SQLite file.
@Suite struct EventWriterTests {
    static func withStore(_ body: (StateStore) async throws -> Void) async throws {
        try await withTemporaryDirectory(prefix: "bizone-writer") { directory in
            try await body(try StateStore(path: directory.path("state.db")))
        }
    }

    static func event(_ index: Int) -> IncomingWebhook {
        IncomingWebhook(receivedAt: Date(), path: "/api/webhooks/whatsapp", body: Fixtures.textWebhook(index), outcome: .accepted)
    }

    @Test(.timeLimit(.minutes(3)))
    func gracefulShutdownDrainsTheQueueThenRefuses() async throws {
        try await Self.withStore { store in
            let logs = LogCapture()
            let wakeups = Locked(0)
            // A linger far longer than the test: only the shutdown can get these written in time.
            let writer = EventWriter(store: store, metrics: ServerMetrics(registry: PrometheusCollectorRegistry()),
                                     batchMaxEvents: 1000, batchMaxDelay: .seconds(600), logger: logs.logger,
                                     onEventsAppended: { wakeups.withValue { $0 += 1 } })
            let group = ServiceGroup(configuration: .init(services: [writer], logger: logs.logger))
            let running = Task { try await group.run() }
            let appends = Task {
                try await withThrowingTaskGroup(of: Int64.self) { tasks in
                    for index in 0..<20 { tasks.addTask { try await writer.append(Self.event(index)) } }
                    var ids: [Int64] = []
                    for try await id in tasks { ids.append(id) }
                    return ids
                }
            }
            await eventually("20 queued events") { await writer.queuedCount == 20 }
            #expect(try store.webhookEvents(since: nil, ids: nil, limit: nil).isEmpty)

            await group.triggerGracefulShutdown()
            try await running.value
            let ids = try await appends.value
            #expect(Set(ids).count == 20)
            #expect(try store.webhookEvents(since: nil, ids: nil, limit: nil).count == 20)
            #expect(await writer.batchesWritten == 1)
            #expect(wakeups.current == 1)

            await #expect(throws: EventWriterError.self) { try await writer.append(Self.event(99)) }
            #expect(try store.webhookEvents(since: nil, ids: nil, limit: nil).count == 20)
        }
    }

    @Test func batchesNeverExceedTheConfiguredSize() async throws {
        try await Self.withStore { store in
            let logs = LogCapture()
            let writer = EventWriter(store: store, metrics: ServerMetrics(registry: PrometheusCollectorRegistry()),
                                     batchMaxEvents: 7, batchMaxDelay: .milliseconds(20), logger: logs.logger)
            let group = ServiceGroup(configuration: .init(services: [writer], logger: logs.logger))
            let running = Task { try await group.run() }
            let ids = try await withThrowingTaskGroup(of: Int64.self) { tasks in
                for index in 0..<50 { tasks.addTask { try await writer.append(Self.event(index)) } }
                var ids: [Int64] = []
                for try await id in tasks { ids.append(id) }
                return ids
            }
            #expect(Set(ids).count == 50)
            #expect(await writer.largestBatch <= 7)
            #expect(await writer.batchesWritten >= 8)
            #expect(await writer.eventsWritten == 50)
            await group.triggerGracefulShutdown()
            try await running.value
        }
    }

    @Test func duplicatesInOneBatchShareTheirRow() async throws {
        try await Self.withStore { store in
            let logs = LogCapture()
            // The writer lingers (for more events to arrive) until the test ends the linger: the
            // second event comes while it lingers over the first, so both share one batch
            // however slowly the machine runs.
            let lingering = Promise<Bool>()
            let lingerOver = Promise<Bool>()
            let writer = EventWriter(store: store, metrics: ServerMetrics(registry: PrometheusCollectorRegistry()),
                                     batchMaxEvents: 100, batchMaxDelay: .seconds(600), logger: logs.logger,
                                     sleep: { _ in
                                         lingering.fulfill(true)
                                         _ = try await lingerOver.value("the end of the linger")
                                     })
            let group = ServiceGroup(configuration: .init(services: [writer], logger: logs.logger))
            let running = Task { try await group.run() }
            async let first = writer.append(Self.event(1))
            _ = try await lingering.value("the writer to linger over the first event")
            async let second = writer.append(Self.event(1))
            await eventually("both events queued") { await writer.queuedCount == 2 }
            lingerOver.fulfill(true)
            let ids = try await [first, second]
            #expect(ids[0] == ids[1])
            #expect(await writer.batchesWritten == 1)
            #expect(try store.webhookEvents(since: nil, ids: nil, limit: nil).count == 1)
            await group.triggerGracefulShutdown()
            try await running.value
        }
    }
}

import BizOneModel
@testable import BizOneStore
import Foundation
import Synchronization
import GRDB

/// Builders for the serve-side tests (event log, ledger, inbox, forwards).
enum EventFixture {
    static func webhook(_ text: String, at date: Date = Fixture.t0, outcome: IncomingWebhook.Outcome = .accepted,
                        reason: String? = nil, path: String = "/api/webhooks/whatsapp") -> IncomingWebhook {
        IncomingWebhook(receivedAt: date, path: path, body: Data(text.utf8), outcome: outcome, rejectReason: reason)
    }

    /// A distinct accepted envelope per index.
    static func envelope(_ index: Int) -> String {
        #"{"object":"whatsapp_business_account","entry":[{"id":"\#(index)","changes":[]}]}"#
    }

    static func status(_ status: String, _ wamid: String = "wamid.A", at offset: TimeInterval = 0, errorCode: Int? = nil)
        -> MessageStatusEvent {
        MessageStatusEvent(wamid: wamid, status: status, at: Fixture.t0.addingTimeInterval(offset), recipientID: "16505551234",
                           errorCode: errorCode ?? (status == "failed" ? 131049 : nil),
                           errorTitle: status == "failed" ? "not delivered" : nil,
                           errorDetails: status == "failed" ? "healthy ecosystem" : nil)
    }

    static func inbound(_ wamid: String, waID: String? = "6281100000001", userID: String? = nil, name: String? = "Ana",
                        at offset: TimeInterval = 0, text: String = "hello") -> InboundMessageEvent {
        InboundMessageEvent(wamid: wamid, waID: waID, userID: userID, profileName: name, phoneNumberID: "106540352242922",
                            at: Fixture.t0.addingTimeInterval(offset), type: "text", text: text,
                            raw: .object(["id": .string(wamid), "type": .string("text"),
                                          "text": .object(["body": .string(text)])]))
    }
}

/// Counts commits (and changed rows) of one store, to prove "one transaction".
final class CommitCounter: TransactionObserver, Sendable {
    private let counts = Mutex((commits: 0, changes: 0))

    var commits: Int { counts.withLock { $0.commits } }
    var changes: Int { counts.withLock { $0.changes } }

    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool { true }
    func databaseDidChange(with event: DatabaseEvent) { counts.withLock { $0.changes += 1 } }
    func databaseDidCommit(_ db: Database) { counts.withLock { $0.commits += 1 } }
    func databaseDidRollback(_ db: Database) {}

    static func attach(to store: StateStore) throws -> CommitCounter {
        let counter = CommitCounter()
        store.pool.writeWithoutTransaction { db in db.add(transactionObserver: counter, extent: .observerLifetime) }
        return counter
    }
}

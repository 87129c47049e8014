import BizOneEngine
import Foundation
import Synchronization

/// `[#####-----] 2,210/4,450  199 msg/s` redrawn in place on a terminal, a line every few
/// seconds otherwise (CI logs).
final class ProgressBar: Sendable {
    private struct State {
        var lastPrint = Date.distantPast
        var last: CampaignProgress?
    }

    private let interactive = isatty(STDOUT_FILENO) != 0
    private let state = Mutex(State())

    func update(_ progress: CampaignProgress) {
        if let waiting = progress.waiting {
            print("waiting: \(waiting); the run starts when it is free")
            fflush(nil)
            return
        }
        state.withLock { state in
            state.last = progress
            let now = Date()
            guard now.timeIntervalSince(state.lastPrint) >= (interactive ? 0.2 : 5) else { return }
            state.lastPrint = now
            draw(progress, final: false)
        }
    }

    func finish() {
        state.withLock { state in
            if let last = state.last { draw(last, final: true) }
        }
    }

    private func draw(_ progress: CampaignProgress, final: Bool) {
        let width = 30
        let share = progress.total > 0 ? min(1, max(0, Double(progress.done) / Double(progress.total))) : 0
        let filled = Int(share * Double(width))
        let rate = progress.rate.isFinite ? Int(min(max(progress.rate, 0), 1e9).rounded()) : 0
        let line = "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled) + "] "
            + "\(progress.done)/\(progress.total)  \(rate) msg/s"
        if interactive {
            print("\r" + line, terminator: final ? "\n" : "")
        } else {
            print(line)
        }
        fflush(nil)
    }
}

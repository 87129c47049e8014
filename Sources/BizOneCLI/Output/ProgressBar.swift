import BizOneEngine
import Foundation

/// `[#####-----] 2,210/4,450  199 msg/s` redrawn in place on a terminal, a line every few
/// seconds otherwise (CI logs).
final class ProgressBar: @unchecked Sendable {
    private let lock = NSLock()
    private let interactive = isatty(STDOUT_FILENO) != 0
    private var lastPrint = Date.distantPast
    private var last: CampaignProgress?

    func update(_ progress: CampaignProgress) {
        lock.lock()
        defer { lock.unlock() }
        last = progress
        let now = Date()
        guard now.timeIntervalSince(lastPrint) >= (interactive ? 0.2 : 5) else { return }
        lastPrint = now
        draw(progress, final: false)
    }

    func finish() {
        lock.lock()
        defer { lock.unlock() }
        if let last { draw(last, final: true) }
    }

    private func draw(_ progress: CampaignProgress, final: Bool) {
        let width = 30
        let share = progress.total > 0 ? Double(progress.done) / Double(progress.total) : 0
        let filled = Int(share * Double(width))
        let line = "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled) + "] "
            + "\(progress.done)/\(progress.total)  \(Int(progress.rate.rounded())) msg/s"
        if interactive {
            print("\r" + line, terminator: final ? "\n" : "")
        } else {
            print(line)
        }
        fflush(nil)
    }
}

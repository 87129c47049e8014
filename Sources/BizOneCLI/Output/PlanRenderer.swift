import BizOneModel

/// Prints a plan the way Terraform does: a block per change with only the changed fields,
/// then the summary line reviewers look for.
struct PlanRenderer {
    var terminal: Terminal

    func render(_ plan: Plan) -> String {
        var lines: [String] = []
        if !plan.drift.isEmpty {
            lines.append(terminal.bold("Changed outside BizOne") + " (apply overwrites what it manages):")
            for item in plan.drift { lines.append("  \(terminal.yellow("!")) \(item.id): \(item.description)") }
            lines.append("")
        }
        let actionable = plan.actionableChanges
        if actionable.isEmpty {
            lines.append(terminal.green("No changes.") + " Your state matches the configuration.")
        } else {
            lines.append("BizOne will perform the following actions:")
            for change in actionable {
                lines.append("")
                lines += block(change)
            }
        }
        let pending = plan.changes.filter { $0.action == .pending }
        if !pending.isEmpty {
            lines.append("")
            lines.append(terminal.bold("Waiting for Meta") + " (not counted as changes):")
            for change in pending {
                lines.append("  \(terminal.yellow("?")) \(change.id)  \(terminal.dim("pending: needs Meta"))")
            }
        }
        if !plan.pruneCandidates.isEmpty {
            lines.append("")
            lines.append(terminal.bold("No longer declared") + " (kept; run with --prune to delete):")
            for id in plan.pruneCandidates { lines.append("  \(id)") }
        }
        lines += campaignLines(plan.campaigns)
        let summary = plan.summary
        lines.append("")
        let adopt = summary.adopt > 0 ? " \(summary.adopt) to adopt," : ""
        lines.append(terminal.bold("Plan:") + "\(adopt) \(summary.add) to add, \(summary.change) to change, \(summary.destroy) to destroy.")
        return lines.joined(separator: "\n")
    }

    private func block(_ change: PlanChange) -> [String] {
        let symbol = colored(change.action.symbol, change.action)
        var lines = [terminal.dim("  # \(change.id) \(change.action.verb)") + terminal.dim(" (\(change.reason))"),
                     "  \(symbol) \(change.id)"]
        switch change.action {
        case .create:
            for leaf in (change.after ?? .null).leaves() {
                lines.append("      \(colored("+", .create)) \(leaf.path) = \(leaf.value.displayString)")
            }
        case .delete:
            for leaf in (change.before ?? .null).leaves() {
                lines.append("      \(colored("-", .delete)) \(leaf.path) = \(leaf.value.displayString)")
            }
        case .update, .replace:
            for path in change.changedFields {
                let old = change.before?.value(at: path)
                let new = change.after?.value(at: path)
                switch (old, new) {
                case (nil, let new?): lines.append("      \(colored("+", .create)) \(path) = \(new.displayString)")
                case (let old?, nil): lines.append("      \(colored("-", .delete)) \(path) = \(old.displayString)")
                default:
                    lines.append("      \(colored("~", .update)) \(path) = \(old?.displayString ?? "null") -> \(new?.displayString ?? "null")")
                }
            }
        case .pending, .adopt:
            break
        }
        return lines
    }

    private func colored(_ text: String, _ action: PlanAction) -> String {
        switch action {
        case .create, .adopt: return terminal.green(text)
        case .update, .pending: return terminal.yellow(text)
        case .delete, .replace: return terminal.red(text)
        }
    }
}

import ArgumentParser
import BizOneStore

/// How each command opens the state file. Commands that write create it when it is missing;
/// commands that only read never create it (nor its folder), so a typo in `--state` or a
/// `status` run in the wrong directory leaves nothing behind.
enum StateAccess {
    /// For commands that write and may start from nothing (apply, sync, serve, webhooks replay).
    static func writing(_ global: GlobalOptions) throws -> StateStore {
        try StateStore(path: global.statePath)
    }

    /// For readers that have nothing to say without a state (status, webhooks list and show,
    /// campaign report, state unlock) and for commands on applied campaigns (campaign run,
    /// pause, resume, cancel): a missing file is "no state at PATH", exit 1.
    static func existing(_ global: GlobalOptions) throws -> StateStore {
        do {
            return try StateStore.existing(path: global.statePath)
        } catch StoreError.noState(let path) {
            Terminal.printError(global.terminal.red("error: ") + StoreError.noState(path).description)
            throw ExitCode(1)
        }
    }

    /// For readers that can work against an empty state (plan, audience show, import
    /// templates): a missing file reads as a state nothing was applied to, held in memory.
    static func existingOrEmpty(_ global: GlobalOptions) throws -> StateStore {
        do {
            return try StateStore.existing(path: global.statePath)
        } catch StoreError.noState(let path) {
            return try StateStore.empty(path: path)
        }
    }
}

import ArgumentParser
import BizOneStore

struct StateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "state",
        abstract: "Inspect or repair the state file.",
        subcommands: [StateUnlockCommand.self])
}

struct StateUnlockCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unlock",
        abstract: "Break a stale lock left by a crashed or cancelled apply. Only use it when that apply is gone.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The lock id, as printed in the 'state is locked' error.")
    var lockID: String

    func run() throws {
        _ = global.logger("bizone.state")
        let store = try StateAccess.existing(global)
        do {
            try store.forceUnlock(id: lockID)
        } catch let error as StoreError {
            Terminal.printError(global.terminal.red("error: ") + error.description)
            throw ExitCode(1)
        }
        print("State unlocked (lock \(lockID) removed).")
    }
}

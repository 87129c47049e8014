import ArgumentParser

struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Write YAML for what exists at Meta but not in git.",
        subcommands: [ImportTemplatesCommand.self])
}

import ArgumentParser

/// BizOneCLI: the `bizone` commands and the composition root (paths, logging, which store).
public struct BizOneCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "bizone",
        abstract: "Run WhatsApp Business messaging from git: validate, plan and apply YAML desired state.",
        subcommands: [
            ValidateCommand.self, PlanCommand.self, ApplyCommand.self, StatusCommand.self,
            SchemaCommand.self, StateCommand.self,
        ]
    )

    public init() {}
}

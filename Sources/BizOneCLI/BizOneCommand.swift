import ArgumentParser

/// BizOneCLI: the `bizone` commands and the composition root (paths, logging, which store).
@available(macOS 10.15, macCatalyst 13, iOS 13, tvOS 13, watchOS 6, *)
public struct BizOneCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "bizone",
        abstract: "Run WhatsApp Business messaging from git: validate, plan and apply YAML desired state.",
        subcommands: [
            ValidateCommand.self, PlanCommand.self, ApplyCommand.self, StatusCommand.self,
            SchemaCommand.self, StateCommand.self, SyncCommand.self, ImportCommand.self, ServeCommand.self, WebhooksCommand.self, AudienceCommand.self, CampaignCommand.self, DoctorCommand.self, EmulatorCommand.self, UserCommand.self, AuditCommand.self, RolesCommand.self,
        ]
    )

    public init() {}
}

@available(macOS 10.15, macCatalyst 13, iOS 13, tvOS 13, watchOS 6, *)
extension BizOneCommand {
    /// Entry point for `main.swift`. Parses and runs the command (async or not) directly,
    /// because from a plain `main.swift` the overload of `main()` that gets picked is the
    /// synchronous one, which refuses async commands.
    public static func runMain() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}

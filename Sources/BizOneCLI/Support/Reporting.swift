import ArgumentParser
import BizOneEngine
import BizOneStore
import MetaGraph

/// Turns the errors users can act on into one clear line and exit code 1.
enum Reporting {
    static func graphErrors<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as GraphError {
            Terminal.printError("error: Meta: \(error)")
            throw ExitCode(1)
        } catch let error as EngineError {
            Terminal.printError("error: \(error)")
            throw ExitCode(1)
        } catch let error as StoreError {
            Terminal.printError("error: \(error)")
            throw ExitCode(1)
        }
    }
}

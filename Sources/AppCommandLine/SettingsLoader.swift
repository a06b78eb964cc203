import App
import ArgumentParser
import Foundation
import Logging
import TernDatabase
import TernPrimitives
import TernSettings

/// Loads settings for a command of `api` or `worker`, exiting with status 2 and one line per problem
/// when they are wrong.
public enum SettingsLoader {
    /// - Parameter warn: whether to log warnings about the settings (placeholder secrets); only the
    ///   command that serves requests needs them.
    public static func load(warn: Bool = false) throws -> Settings {
        do {
            let (settings, warnings) = try Settings.load()
            bootstrapLogging(settings)
            if warn {
                let logger = logger(settings)
                for warning in warnings { logger.warning("\(warning)") }
            }
            return settings
        } catch {
            for problem in error.problems { printError(problem) }
            throw ExitCode(2)
        }
    }

    public static func logger(_ settings: Settings) -> Logger {
        var logger = Logger(label: "tern")
        logger.logLevel = settings.logLevel
        return logger
    }

    /// Runs `body`; a failure is printed as one clear line and exits with status 1, without a trace.
    public static func reportingFailure(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let exit as ExitCode {
            throw exit
        } catch let error as DatabaseError {
            printError(error.message)
            throw ExitCode.failure
        } catch {
            printError("\(error)")
            throw ExitCode.failure
        }
    }

    public static func printError(_ line: String) {
        FileHandle.standardError.write(Data("error: \(line)\n".utf8))
    }

    private static func bootstrapLogging(_ settings: Settings) {
        LoggingSystem.bootstrap { label in
            switch settings.logFormat {
            case .text:
                var handler = LateMetadataLogHandler(StreamLogHandler.standardError(label: label))
                handler.logLevel = settings.logLevel
                return handler
            case .json:
                var handler = JSONLogHandler.standardError(label: label)
                handler.logLevel = settings.logLevel
                return handler
            }
        }
    }
}

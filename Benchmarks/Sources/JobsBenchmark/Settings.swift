import Foundation

/// The benchmark's knobs, from the environment (as the Python peers take theirs).
enum Settings {
    static func integer(_ name: String, default value: Int) -> Int {
        ProcessInfo.processInfo.environment[name].flatMap { Int($0) } ?? value
    }

    static func double(_ name: String, default value: Double) -> Double {
        ProcessInfo.processInfo.environment[name].flatMap { Double($0) } ?? value
    }

    static func words(_ name: String, default value: String) -> [String] {
        (ProcessInfo.processInfo.environment[name] ?? value).split(separator: " ").map(String.init)
    }
}

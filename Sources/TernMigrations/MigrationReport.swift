import Foundation

/// Formats migration statuses as the aligned table `api migrate status` prints.
public enum MigrationReport {
    public static func table(_ statuses: [MigrationStatus]) -> String {
        guard !statuses.isEmpty else { return "  (no migrations)" }
        let width = statuses.map(\.id.count).max() ?? 0
        return statuses.map { status in
            let padding = String(repeating: " ", count: width - status.id.count)
            return "  \(status.id)\(padding)  \(describe(status.state))"
        }.joined(separator: "\n")
    }

    private static func describe(_ state: MigrationStatus.State) -> String {
        switch state {
        case .applied(let date): "applied \(format(date))"
        case .pending: "pending"
        case .edited(let date): "applied \(format(date)), EDITED SINCE (checksum differs)"
        case .fileMissing(let date): "applied \(format(date)), FILE MISSING"
        }
    }

    private static func format(_ date: Date) -> String {
        date.formatted(.iso8601)
    }
}

import TernAPI

// The application's scopes: what operations require and roles grant (``Role``). A login may ask for
// fewer (the OAuth2 form's `scope`), and an API key holds those it was created with.
extension Scope {
    static let me = Scope("me", description: "Read and change your own account")
    static let itemsRead = Scope("items:read", description: "Read your items")
    static let itemsWrite = Scope("items:write", description: "Create, change and delete your items")
    static let itemsReadAll = Scope("items:read-all", description: "Read everyone's items")
    static let itemsWriteAll = Scope("items:write-all", description: "Change and delete everyone's items")
    static let usersManage = Scope("users:manage", description: "List, create, change and delete user accounts")
    static let jobsManage = Scope("jobs:manage", description: "Inspect, retry and purge background jobs")

    /// Every scope, as the OAuth2 scheme lists them and a superuser is granted them.
    static let all: [Scope] = [.me, .itemsRead, .itemsWrite, .itemsReadAll, .itemsWriteAll, .usersManage, .jobsManage]

    /// The scope of each name in `names` that the application knows; unknown names are left out.
    static func known(_ names: some Sequence<String>) -> [Scope] {
        let wanted = Set(names)
        return all.filter { wanted.contains($0.name) }
    }
}

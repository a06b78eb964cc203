import TernAPI

/// Who a request acts for and what their credential allows: the user of an access token
/// (``CurrentUser``) or of any credential (``Caller``). Services check their rules against it.
protocol Credential: Sendable {
    var user: User { get }
    func may(_ scope: Scope) -> Bool
}

extension CurrentUser: Credential {}
extension Caller: Credential {}

import TernAPI

/// What a user may do, as the scopes the role grants. A superuser (`is_superuser`, the contract's
/// flag) is granted every scope, whatever their role; a role is what lies between.
enum Role: String, APIEnum, Codable, Sendable {
    /// Their own account and items.
    case user
    /// A user who may also read everyone's items, but changes no one else's and manages no user.
    case moderator

    /// The scopes the role grants.
    var scopes: [Scope] {
        switch self {
        case .user: [.me, .itemsRead, .itemsWrite]
        case .moderator: Role.user.scopes + [.itemsReadAll]
        }
    }
}

extension User {
    /// The scopes the user is granted: every one for a superuser, else their role's.
    var grantedScopes: [Scope] {
        isSuperuser ? Scope.all : role.scopes
    }

    /// What a credential limited to `names` may do: those of the user's scopes it names (`nil`: a
    /// credential without limits). A role that lost a scope takes it from every credential at once.
    func grantedScopes(limitedTo names: [String]?) -> [Scope] {
        guard let names else { return grantedScopes }
        return grantedScopes.filter { names.contains($0.name) }
    }
}

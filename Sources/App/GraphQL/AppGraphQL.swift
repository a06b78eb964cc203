import Foundation
import GraphQL
import Graphiti
import TernAPI
import TernGraphQL
import TernPrimitives

/// The GraphQL API of the sample domain, served at `/graphql`: users and items, read and changed
/// through the same services, rules and errors as the REST operations. The types are the
/// REST schemas' (`ItemPublic` is `Item`), their fields named in GraphQL's camelCase.
///
/// ```graphql
/// { me { email items(limit: 10) { count data { id title owner { email } } } } }
/// mutation { createItem(title: "Milk") { id } }
/// ```
enum AppGraphQL {
    /// The endpoint, its schema built by the first operation (see ``GraphQLEndpoint``).
    static func endpoint(limits: QueryLimits) -> GraphQLEndpoint<AppGraphQLResolver, GraphQLContext> {
        GraphQLEndpoint(resolver: AppGraphQLResolver(), limits: limits, schema: schema)
    }

    static func schema() throws -> Schema<AppGraphQLResolver, GraphQLContext> {
        try Schema<AppGraphQLResolver, GraphQLContext> {
            // Written as the REST API writes them: lowercase ids, the same date format.
            Scalar(UUID.self, as: "UUID", serialize: { value, _ in .string((value as? UUID)?.lowercasedString ?? "\(value)") })
            Scalar(Date.self, as: "DateTime", serialize: { value, _ in .string((value as? Date)?.apiText ?? "\(value)") })
            Type(ItemPublic.self, as: "Item") {
                Field("id", at: \.id)
                Field("title", at: \.title)
                Field("description", at: \.description)
                Field("ownerId", at: \.ownerId)
                Field("createdAt", at: \.createdAt)
                Field("owner", at: ItemPublic.owner)
            }
            Type(ItemsPublic.self, as: "ItemPage") {
                Field("data", at: \.data)
                Field("count", at: \.count)
            }
            Type(UserPublic.self, as: "User") {
                Field("id", at: \.id)
                Field("email", at: \.email)
                Field("fullName", at: \.fullName)
                Field("isActive", at: \.isActive)
                Field("isSuperuser", at: \.isSuperuser)
                Field("isVerified", at: \.isVerified)
                Field("createdAt", at: \.createdAt)
                Field("items", at: UserPublic.items) {
                    Argument("skip", at: \.skip).defaultValue(0)
                    Argument("limit", at: \.limit).defaultValue(Pagination.defaultLimit)
                }
            }
            Type(UsersPublic.self, as: "UserPage") {
                Field("data", at: \.data)
                Field("count", at: \.count)
            }
            Type(Message.self) {
                Field("message", at: \.message)
            }
            Query {
                Field("me", at: AppGraphQLResolver.me)
                Field("items", at: AppGraphQLResolver.items) {
                    Argument("skip", at: \.skip).defaultValue(0)
                    Argument("limit", at: \.limit).defaultValue(Pagination.defaultLimit)
                }
                Field("item", at: AppGraphQLResolver.item) {
                    Argument("id", at: \.id)
                }
                Field("users", at: AppGraphQLResolver.users) {
                    Argument("skip", at: \.skip).defaultValue(0)
                    Argument("limit", at: \.limit).defaultValue(Pagination.defaultLimit)
                }
                Field("user", at: AppGraphQLResolver.user) {
                    Argument("id", at: \.id)
                }
            }
            Mutation {
                Field("createItem", at: AppGraphQLResolver.createItem) {
                    Argument("title", at: \.title)
                    Argument("description", at: \.description)
                }
                Field("updateItem", at: AppGraphQLResolver.updateItem) {
                    Argument("id", at: \.id)
                    Argument("title", at: \.title)
                    Argument("description", at: \.description)
                }
                Field("deleteItem", at: AppGraphQLResolver.deleteItem) {
                    Argument("id", at: \.id)
                }
                Field("updateMe", at: AppGraphQLResolver.updateMe) {
                    Argument("fullName", at: \.fullName)
                    Argument("email", at: \.email)
                }
            }
        }
    }
}

/// The root fields: what `Query` and `Mutation` resolve to, each through ``ItemService`` or the caller.
struct AppGraphQLResolver: Sendable {
    func me(context: GraphQLContext, arguments: NoArguments) async throws -> UserPublic {
        UserPublic(try await context.caller(granted: .me).user)
    }

    func items(context: GraphQLContext, arguments: PageArguments) async throws -> ItemsPublic {
        let page = try Pagination.checked(skip: arguments.skip, limit: arguments.limit, app: context.app)
        return ItemsPublic(try await context.items(.itemsRead).list(page))
    }

    func item(context: GraphQLContext, arguments: ItemIdArguments) async throws -> ItemPublic {
        ItemPublic(try await context.items(.itemsRead).read(id: arguments.id))
    }

    /// Every account, for a superuser granted `users:manage`, as `GET /users/`.
    func users(context: GraphQLContext, arguments: PageArguments) async throws -> UsersPublic {
        let page = try Pagination.checked(skip: arguments.skip, limit: arguments.limit, app: context.app)
        let (users, caller) = try await context.users(.usersManage)
        guard caller.user.isSuperuser else { throw UserError.insufficientPrivileges }
        return UsersPublic(try await users.list(page))
    }

    /// An account: the caller's own, or any for a superuser granted `users:manage`.
    func user(context: GraphQLContext, arguments: UserIdArguments) async throws -> UserPublic {
        let (users, caller) = try await context.users(.me)
        return UserPublic(try await users.read(id: arguments.id, by: caller))
    }

    func createItem(context: GraphQLContext, arguments: CreateItemArguments) async throws -> ItemPublic {
        let input = try ItemCreate.validated(arguments.json)
        return ItemPublic(try await context.changingItems { try await $0.create(input) })
    }

    func updateItem(context: GraphQLContext, arguments: UpdateItemArguments) async throws -> ItemPublic {
        let changes = try ItemUpdate.validated(arguments.changes)
        return ItemPublic(try await context.changingItems { try await $0.update(id: arguments.id, with: changes) })
    }

    func deleteItem(context: GraphQLContext, arguments: ItemIdArguments) async throws -> Message {
        try await context.changingItems { try await $0.delete(id: arguments.id) }
        return Message(message: "Item deleted successfully")
    }

    /// Changes the caller's name or email, as `PATCH /users/me`: only the fields sent.
    func updateMe(context: GraphQLContext, arguments: UpdateMeArguments) async throws -> UserPublic {
        let changes = try UserUpdateMe.validated(arguments.changes)
        let (users, caller) = try await context.users(.me)
        return UserPublic(try await users.update(caller.user, with: changes))
    }
}

extension ItemPublic {
    /// `Item.owner`: the caller, or another user for a caller who may read everyone's items.
    func owner(context: GraphQLContext, arguments: NoArguments) async throws -> UserPublic {
        UserPublic(try await context.items(.itemsRead).owner(of: Item(self)))
    }
}

extension UserPublic {
    /// `User.items`: a page of the user's items, if the caller may read them.
    func items(context: GraphQLContext, arguments: PageArguments) async throws -> ItemsPublic {
        let page = try Pagination.checked(skip: arguments.skip, limit: arguments.limit, app: context.app)
        return ItemsPublic(try await context.items(.itemsRead).list(ownedBy: id, page))
    }
}

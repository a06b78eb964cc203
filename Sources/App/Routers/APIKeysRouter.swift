import Foundation
import TernAPI

@Input
struct CreateAPIKeyInput {
    @Body var key: APIKeyCreate
    @Depends var current: CurrentUser
    @Depends var keys: APIKeyService
}

@Input
struct ReadAPIKeysInput {
    @Depends var current: CurrentUser
    @Depends var keys: APIKeyService
}

@Input
struct RevokeAPIKeyInput {
    @Path var keyId: UUID
    @Depends var current: CurrentUser
    @Depends var keys: APIKeyService
}

/// The current user's API keys (tag `users`). Managed with a bearer token only: a key cannot mint
/// or revoke keys.
@APIRouter(prefix: "/users/me/api-keys", tags: ["users"], scopes: [.me])
struct APIKeysRouter {
    /// Create an API key. The answer holds the key itself, this once; it is stored only as a hash.
    @POST("/", errors: [APIKeyError.unknownScope("name")])
    func createAPIKey(_ input: CreateAPIKeyInput) async throws -> APIKeyCreated {
        APIKeyCreated(try await input.keys.create(input.key, by: input.current))
    }

    /// List your API keys that were not revoked.
    @GET("/")
    func readAPIKeys(_ input: ReadAPIKeysInput) async throws -> APIKeysPublic {
        let keys = try await input.keys.list(of: input.current.user)
        return APIKeysPublic(data: keys.map(APIKeyPublic.init), count: keys.count)
    }

    /// Revoke an API key: it stops working at once.
    @DELETE("/{key_id}", errors: [APIKeyError.notFound])
    func revokeAPIKey(_ input: RevokeAPIKeyInput) async throws -> Message {
        try await input.keys.revoke(input.keyId, of: input.current.user)
        return Message(message: "API key revoked")
    }
}

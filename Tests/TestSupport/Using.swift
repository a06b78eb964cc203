/// Runs `body` with `resource`, then runs `cleanup` whether `body` succeeds or throws (an async
/// `defer`, which Swift does not have).
func using<Resource, Result>(
    _ resource: Resource, cleanup: (Resource) async -> Void, _ body: (Resource) async throws -> Result
) async throws -> Result {
    do {
        let result = try await body(resource)
        await cleanup(resource)
        return result
    } catch {
        await cleanup(resource)
        throw error
    }
}

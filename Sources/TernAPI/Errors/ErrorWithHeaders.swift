import HTTPTypes

/// An error thrown after the answer gained headers it must keep whatever it becomes (the rate limits').
struct ErrorWithHeaders: Error {
    let error: any Error
    let headers: HTTPFields
}

import TernAPI

/// Readiness of the service.
@Schema
struct Readiness {
    var status: String
    var database: String
}

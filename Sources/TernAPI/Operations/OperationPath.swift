import Hummingbird

/// An operation's path template and what it means to the router and to the docs. A last segment
/// written `{name:path}` (FastAPI's path converter) catches the rest of the path, slashes included:
/// `/static/{file_path:path}` matches `/static/css/site.css` with `file_path` = `css/site.css`.
struct OperationPath {
    let template: String

    /// The catch-all parameter's name, if the template ends with one.
    var catchAllParameter: String? {
        guard let last = template.split(separator: "/").last, last.hasPrefix("{"), last.hasSuffix(":path}") else { return nil }
        return String(last.dropFirst().dropLast(":path}".count))
    }

    /// The path as Hummingbird's router matches it: the catch-all becomes `**`.
    var routerPath: RouterPath {
        guard let name = catchAllParameter else { return RouterPath(template) }
        return RouterPath(String(template.dropLast("{\(name):path}".count)) + "**")
    }

    /// The path in the OpenAPI document, where the catch-all is a plain `{name}`.
    var documented: String {
        guard let name = catchAllParameter else { return template }
        return String(template.dropLast("{\(name):path}".count)) + "{\(name)}"
    }
}

/// Called by the code `@APIRouter` writes, never at run time: it compiles only when `route` and
/// `input` are the same type, the sorted names of a route's `{placeholders}` and of its input's
/// `@Path` properties, written as `(Void, id: Void, user_id: Void)`. A mismatch is a compile error
/// at the route: "conflicting arguments to generic parameter 'Names' ('(Void, id: Void)' vs. ...)".
public func checkPathParameters<Names>(of path: StaticString, _ route: Names.Type, _ input: Names.Type) {}

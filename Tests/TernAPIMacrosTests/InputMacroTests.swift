import Testing

@Suite("@Input expansion")
struct InputMacroTests {
    @Test("parameters, body and dependencies are read in FastAPI's order and documented")
    func expansion() {
        assertExpansion(
            """
            @Input
            struct UpdateItemInput {
                @Path var id: UUID
                @Query(le: 10) var depth: Int = 1
                @Header var xRequestId: String?
                @Body var changes: ItemUpdate
                @Depends var current: CurrentUser
            }
            """,
            expandedSource: """
                struct UpdateItemInput {
                    var id: UUID
                    var depth: Int = 1
                    var xRequestId: String?
                    var changes: ItemUpdate
                    var current: CurrentUser
                }

                extension UpdateItemInput: TernAPI.OperationInput {
                    private static let __options_id = TernAPI.FieldOptions().documented(nil)
                    private static let __options_depth = TernAPI.FieldOptions(le: 10).documented(nil)
                    private static let __options_xRequestId = TernAPI.FieldOptions().documented(nil)
                    private static let __options_changes = TernAPI.FieldOptions().documented(nil)
                    typealias PathParameterNames = (Void, id: Void)
                    static func extract(from scope: TernAPI.RequestScope) async throws -> Self {
                        let request = scope.request
                        let __tern_body = try await request.jsonBody()
                        try await scope.resolveGroupDependencies()
                        let __current = try await scope.resolve(CurrentUser.self)
                        var issues = TernAPI.ValidationIssues()
                        let __id = request.path("id", UUID.self, options: Self.__options_id, issues: &issues)
                        let __depth = request.query("depth", Int.self, options: Self.__options_depth, default: {
                                1
                            }, issues: &issues)
                        let __xRequestId = request.header("x-request-id", String?.self, options: Self.__options_xRequestId, default: {
                                nil
                            }, issues: &issues)
                        let __changes = request.body(__tern_body, ItemUpdate.self, options: Self.__options_changes, issues: &issues)
                        guard issues.isEmpty, let __id, let __depth, let __xRequestId, let __changes else {
                            throw TernAPI.RequestValidationError(issues.all)
                        }
                        return Self(__inputs: (), id: __id, depth: __depth, xRequestId: __xRequestId, changes: __changes, current: __current)
                    }
                    private init(__inputs: (), id: UUID, depth: Int, xRequestId: String?, changes: ItemUpdate, current: CurrentUser) {
                        self.id = id
                        self.depth = depth
                        self.xRequestId = xRequestId
                        self.changes = changes
                        self.current = current
                    }
                    static var parameters: [TernAPI.ParameterDescription] {
                        [
                            .init("id", in: .path, UUID.self, options: Self.__options_id, required: true),
                            .init("depth", in: .query, Int.self, options: Self.__options_depth, required: false, default: 1),
                            .init("x-request-id", in: .header, String?.self, options: Self.__options_xRequestId, required: false)
                        ]
                    }
                    static var requestBody: TernAPI.RequestBodyDescription? {
                        .json(ItemUpdate.self, options: __options_changes, required: true)
                    }
                    static var dependencies: [any TernAPI.Dependency.Type] {
                        [
                            CurrentUser.self
                        ]
                    }
                }
                """)
    }

    @Test("form fields are read from the form body, after the dependencies, and documented as one")
    func formFields() {
        assertExpansion(
            """
            @Input
            public struct LoginForm {
                @Form public var username: String
                @Form(format: .password) public var password: String
                @Depends var limit: LoginRateLimit
            }
            """,
            expandedSource: """
                public struct LoginForm {
                    public var username: String
                    public var password: String
                    var limit: LoginRateLimit
                }

                extension LoginForm: TernAPI.OperationInput {
                    private static let __options_username = TernAPI.FieldOptions().documented(nil)
                    private static let __options_password = TernAPI.FieldOptions(format: .password).documented(nil)
                    public typealias PathParameterNames = Void
                    public static func extract(from scope: TernAPI.RequestScope) async throws -> Self {
                        let request = scope.request
                        try await scope.resolveGroupDependencies()
                        let __limit = try await scope.resolve(LoginRateLimit.self)
                        let __tern_form = try await request.formFields()
                        var issues = TernAPI.ValidationIssues()
                        let __username = request.form("username", String.self, in: __tern_form, options: Self.__options_username, issues: &issues)
                        let __password = request.form("password", String.self, in: __tern_form, options: Self.__options_password, issues: &issues)
                        guard issues.isEmpty, let __username, let __password else {
                            throw TernAPI.RequestValidationError(issues.all)
                        }
                        return Self(__inputs: (), username: __username, password: __password, limit: __limit)
                    }
                    private init(__inputs: (), username: String, password: String, limit: LoginRateLimit) {
                        self.username = username
                        self.password = password
                        self.limit = limit
                    }
                    public static var parameters: [TernAPI.ParameterDescription] {
                        [
                            .init("username", in: .form, String.self, options: Self.__options_username, required: true),
                            .init("password", in: .form, String.self, options: Self.__options_password, required: true)
                        ]
                    }
                    public static var requestBody: TernAPI.RequestBodyDescription? {
                        .form([
                                .init("username", in: .form, String.self, options: Self.__options_username, required: true),
                                .init("password", in: .form, String.self, options: Self.__options_password, required: true)
                            ])
                    }
                    public static var dependencies: [any TernAPI.Dependency.Type] {
                        [
                            LoginRateLimit.self
                        ]
                    }
                }
                """)
    }

    @Test("the needs of a private dependency get members its extension may declare")
    func privateNesting() {
        assertExpansion(
            """
            private struct Guard {
                @Input
                struct Needs {
                    @Cookie var session: String
                }
            }
            """,
            expandedSource: """
                private struct Guard {
                    struct Needs {
                        var session: String
                    }
                }

                extension Guard.Needs: TernAPI.OperationInput {
                    private static let __options_session = TernAPI.FieldOptions().documented(nil)
                    fileprivate typealias PathParameterNames = Void
                    fileprivate static func extract(from scope: TernAPI.RequestScope) async throws -> Self {
                        let request = scope.request
                        try await scope.resolveGroupDependencies()
                        var issues = TernAPI.ValidationIssues()
                        let __session = request.cookie("session", String.self, options: Self.__options_session, issues: &issues)
                        guard issues.isEmpty, let __session else {
                            throw TernAPI.RequestValidationError(issues.all)
                        }
                        return Self(__inputs: (), session: __session)
                    }
                    private init(__inputs: (), session: String) {
                        self.session = session
                    }
                    fileprivate static var parameters: [TernAPI.ParameterDescription] {
                        [
                            .init("session", in: .cookie, String.self, options: Self.__options_session, required: true)
                        ]
                    }
                    fileprivate static var requestBody: TernAPI.RequestBodyDescription? {
                        nil
                    }
                    fileprivate static var dependencies: [any TernAPI.Dependency.Type] {
                        []
                    }
                }
                """)
    }

    @Test("a constant with its value is not read from the request")
    func constant() {
        assertExpansion(
            """
            @Input
            struct ItemService {
                @Depends var session: DatabaseSession
                let items = ItemRepository()
            }
            """,
            expandedSource: """
                struct ItemService {
                    var session: DatabaseSession
                    let items = ItemRepository()
                }

                extension ItemService: TernAPI.OperationInput {
                    typealias PathParameterNames = Void
                    static func extract(from scope: TernAPI.RequestScope) async throws -> Self {
                        try await scope.resolveGroupDependencies()
                        let __session = try await scope.resolve(DatabaseSession.self)
                        return Self(__inputs: (), session: __session)
                    }
                    private init(__inputs: (), session: DatabaseSession) {
                        self.session = session
                    }
                    static var parameters: [TernAPI.ParameterDescription] {
                        []
                    }
                    static var requestBody: TernAPI.RequestBodyDescription? {
                        nil
                    }
                    static var dependencies: [any TernAPI.Dependency.Type] {
                        [
                            DatabaseSession.self
                        ]
                    }
                }
                """)
    }

    @Test("diagnostics: a property that does not say where it comes from")
    func unmarked() {
        assertDiagnostic(
            """
            @Input
            struct Search {
                var text: String
            }
            """,
            "mark 'text' with where it comes from: @Path, @Query, @Header, @Cookie, @Body, @Form or @Depends (or make it a 'let' with its value)",
            line: 3, column: 5)
    }

    @Test("diagnostics: two bodies")
    func twoBodies() {
        assertDiagnostic(
            """
            @Input
            struct Both {
                @Body var first: First
                @Body var second: Second
            }
            """, "an operation takes one @Body; put the fields in one @Schema type", line: 4, column: 5)
    }

    @Test("diagnostics: a body and form fields")
    func bodyAndForm() {
        assertDiagnostic(
            """
            @Input
            struct Mixed {
                @Body var item: Item
                @Form var name: String
            }
            """, "an operation reads either a JSON @Body or @Form fields, not both", line: 3, column: 5)
    }

    @Test("diagnostics: a path parameter with a default value")
    func pathWithDefault() {
        assertDiagnostic(
            """
            @Input
            struct ById {
                @Path var id: Int = 1
            }
            """, "a path parameter is always present: remove its default value or make it a @Query", line: 3, column: 5)
    }

    @Test("diagnostics: a path parameter whose name is not an identifier")
    func pathName() {
        assertDiagnostic(
            """
            @Input
            struct ById {
                @Path(name: "item-id") var id: Int
            }
            """, "a path parameter's name must be a plain identifier, as in the route's {placeholder}", line: 3, column: 5)
    }

    @Test("diagnostics: one parameter read twice")
    func readTwice() {
        assertDiagnostic(
            """
            @Input
            struct Twice {
                @Query var limit: Int
                @Query(name: "limit") var size: Int
            }
            """, "'limit' is read twice from the query", line: 4, column: 5)
    }

    @Test("diagnostics: a pattern that is not a regular expression")
    func invalidPattern() {
        assertDiagnostic(
            """
            @Input
            struct Search {
                @Query(pattern: "(unclosed") var text: String
            }
            """, "'(unclosed' is not a valid regular expression", line: 3, column: 21)
    }

    @Test("diagnostics: not a struct")
    func notAStruct() {
        assertDiagnostic(
            """
            @Input
            class Search {
            }
            """, "@Input applies to structs", line: 1, column: 1)
    }
}

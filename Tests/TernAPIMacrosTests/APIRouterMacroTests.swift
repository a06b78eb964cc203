import Testing

@Suite("@APIRouter expansion")
struct APIRouterMacroTests {
    @Test("each marked method becomes an operation; each route's path is checked against its input")
    func expansion() {
        assertExpansion(
            """
            @APIRouter(prefix: "/items", tags: ["items"])
            struct ItemsRouter {
                /// Get item by ID.
                @GET("/{id}", errors: ItemError.allCases)
                func readItem(_ input: ItemByIdInput) async throws -> ItemPublic {
                    try await input.items.read(id: input.id)
                }

                @POST("/", status: .created)
                func createItem(item input: CreateItemInput) throws -> ItemPublic {
                    try input.items.create()
                }

                @GET("/count")
                func count() -> Int { 0 }

                func helper() {}
            }
            """,
            expandedSource: """
                struct ItemsRouter {
                    /// Get item by ID.
                    func readItem(_ input: ItemByIdInput) async throws -> ItemPublic {
                        try await input.items.read(id: input.id)
                    }
                    func createItem(item input: CreateItemInput) throws -> ItemPublic {
                        try input.items.create()
                    }
                    func count() -> Int { 0 }

                    func helper() {}
                }

                extension ItemsRouter: TernAPI.APIRouter {
                    var groupOptions: TernAPI.RouterGroupOptions {
                        TernAPI.RouterGroupOptions(prefix: "/items", tags: ["items"])
                    }
                    var operations: [TernAPI.APIOperation] {
                        [
                            TernAPI.APIOperation(.get, "/{id}", name: "read_item", documentation: "Get item by ID.", options: TernAPI.RouteOptions(errors: ItemError.allCases)) { [self] (input: ItemByIdInput) in
                                try await self.readItem(input)
                            },
                            TernAPI.APIOperation(.post, "/", name: "create_item", documentation: nil, options: TernAPI.RouteOptions(status: .created)) { [self] (input: CreateItemInput) in
                                try self.createItem(item: input)
                            },
                            TernAPI.APIOperation(.get, "/count", name: "count", documentation: nil, options: TernAPI.RouteOptions()) { [self] (input: TernAPI.NoInput) in
                                self.count()
                            }
                        ]
                    }
                    /// Does not compile when a route's `{placeholders}` differ from its input's `@Path` names.
                    private static func __checkPathParameters() {
                        TernAPI.checkPathParameters(of: "/{id}", (Void, id: Void).self, ItemByIdInput.PathParameterNames.self)
                        TernAPI.checkPathParameters(of: "/", Void.self, CreateItemInput.PathParameterNames.self)
                        TernAPI.checkPathParameters(of: "/count", Void.self, TernAPI.NoInput.PathParameterNames.self)
                    }
                }
                """)
    }

    @Test("diagnostics: a route declared twice")
    func duplicateRoute() {
        assertDiagnostic(
            """
            @APIRouter
            struct Twice {
                @GET("/items")
                func first() -> Int { 1 }
                @GET("/items/")
                func second() -> Int { 2 }
            }
            """, "GET /items/ is declared twice in this router", line: 5, column: 5)
    }

    @Test("diagnostics: a path that is not a string literal")
    func pathNotLiteral() {
        assertDiagnostic(
            """
            @APIRouter
            struct Computed {
                @GET(itemsPath)
                func items() -> Int { 1 }
            }
            """, #"give the route's path first, as a string literal: @GET("/items/{id}")"#, line: 3, column: 5)
    }

    @Test("diagnostics: a malformed placeholder")
    func malformedPlaceholder() {
        assertDiagnostic(
            """
            @APIRouter
            struct Broken {
                @GET("/items/{id")
                func item() -> Int { 1 }
            }
            """, "'{id' is not a path parameter: write {name}, a plain identifier, as a whole segment, or {name:path} last",
            line: 3, column: 10)
    }

    @Test("diagnostics: a catch-all placeholder before the last segment")
    func catchAllNotLast() {
        assertDiagnostic(
            """
            @APIRouter
            struct Broken {
                @GET("/files/{file_path:path}/meta")
                func meta() -> Int { 1 }
            }
            """, "'{file_path:path}' catches the rest of the path: only the last segment can be a {name:path}", line: 3, column: 10)
    }

    @Test("diagnostics: a placeholder used twice")
    func repeatedPlaceholder() {
        assertDiagnostic(
            """
            @APIRouter
            struct Broken {
                @GET("/{id}/copies/{id}")
                func item() -> Int { 1 }
            }
            """, "the path parameter {id} appears twice in /{id}/copies/{id}", line: 3, column: 10)
    }

    @Test("diagnostics: a handler with two parameters")
    func twoParameters() {
        assertDiagnostic(
            """
            @APIRouter
            struct Broken {
                @GET("/")
                func item(_ a: A, _ b: B) -> Int { 1 }
            }
            """, "an operation handler takes one @Input struct (or nothing)", line: 4, column: 14)
    }

    @Test("diagnostics: a handler that returns nothing")
    func noResponse() {
        assertDiagnostic(
            """
            @APIRouter
            struct Broken {
                @DELETE("/")
                func remove() {}
            }
            """, "an operation handler returns its response", line: 4, column: 16)
    }
}

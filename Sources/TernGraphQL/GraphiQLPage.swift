import TernAPI

/// GraphiQL, the in-browser IDE for a GraphQL endpoint, as an HTML page. Its scripts come from
/// jsDelivr by default, as the docs pages' do; point them at your own copies to work offline. A
/// token goes in GraphiQL's Headers tab: `{"Authorization": "Bearer ..."}`.
public struct GraphiQLPage: Sendable {
    public var title: String
    /// Where the page sends its queries.
    public var endpoint: String
    public var reactURL = "https://cdn.jsdelivr.net/npm/react@18/umd/react.production.min.js"
    public var reactDOMURL = "https://cdn.jsdelivr.net/npm/react-dom@18/umd/react-dom.production.min.js"
    public var graphiQLJavaScriptURL = "https://cdn.jsdelivr.net/npm/graphiql@3/graphiql.min.js"
    public var graphiQLCSSURL = "https://cdn.jsdelivr.net/npm/graphiql@3/graphiql.min.css"

    public init(title: String, endpoint: String) {
        self.title = title
        self.endpoint = endpoint
    }

    public var response: CustomResponse {
        .html(
            """
            <!DOCTYPE html>
            <html>
            <head>
            <title>\(title.htmlEscaped)</title>
            <meta charset="utf-8"/>
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <link rel="stylesheet" href="\(graphiQLCSSURL.htmlEscaped)"/>
            <style>body { margin: 0; height: 100vh; } #graphiql { height: 100vh; }</style>
            </head>
            <body>
            <div id="graphiql" data-endpoint="\(endpoint.htmlEscaped)"></div>
            <script src="\(reactURL.htmlEscaped)"></script>
            <script src="\(reactDOMURL.htmlEscaped)"></script>
            <script src="\(graphiQLJavaScriptURL.htmlEscaped)"></script>
            <script>
            const root = document.getElementById('graphiql');
            const fetcher = GraphiQL.createFetcher({ url: root.dataset.endpoint });
            ReactDOM.createRoot(root).render(React.createElement(GraphiQL, { fetcher, defaultEditorToolsVisibility: true }));
            </script>
            </body>
            </html>
            """)
    }
}

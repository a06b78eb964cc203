import Foundation
import Hummingbird

extension TypedAPI {
    /// The OpenAPI document, the Swagger UI page (with its OAuth2 redirect page) and ReDoc, each
    /// built once. The document is built when first asked for: most processes never serve it, and
    /// building it at start-up left ~2 MiB of OpenAPIKit's code and the encoder's garbage resident.
    func registerDocumentation<RouterContext: RequestContext>(on router: Router<RouterContext>) {
        let openAPIPath = Self.join(prefix, docs.openAPIPath)
        let document = BuiltOnFirstUse { [self] in ByteBuffer(bytes: try openAPIJSON()) }
        router.get(RouterPath(openAPIPath)) { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: try document.value()))
        }
        if let swaggerUIPath = docs.swaggerUIPath {
            let page = CustomResponse.html(
                DocsPages.swaggerUI(
                    title: "\(title) - Swagger UI", openAPIURL: openAPIPath, redirectPath: swaggerUIPath + "/oauth2-redirect", docs: docs))
            let redirect = CustomResponse.html(DocsPages.oauth2Redirect)
            router.get(RouterPath(swaggerUIPath)) { _, _ in page.response(status: .ok) }
            router.get(RouterPath(swaggerUIPath + "/oauth2-redirect")) { _, _ in redirect.response(status: .ok) }
        }
        if let redocPath = docs.redocPath {
            let page = CustomResponse.html(DocsPages.redoc(title: "\(title) - ReDoc", openAPIURL: openAPIPath, docs: docs))
            router.get(RouterPath(redocPath)) { _, _ in page.response(status: .ok) }
        }
    }
}

/// The HTML of the docs pages, as FastAPI writes them (`fastapi.openapi.docs`).
enum DocsPages {
    static func swaggerUI(title: String, openAPIURL: String, redirectPath: String, docs: DocsConfiguration) -> String {
        """
        <!DOCTYPE html>
        <html>
        <head>
        <link type="text/css" rel="stylesheet" href="\(docs.swaggerUICSSURL)">
        <link rel="shortcut icon" href="\(docs.faviconURL)">
        <title>\(escape(title))</title>
        </head>
        <body>
        <div id="swagger-ui">
        </div>
        <script src="\(docs.swaggerUIJavaScriptURL)"></script>
        <script>
        const ui = SwaggerUIBundle({
            url: '\(openAPIURL)',
            "dom_id": "#swagger-ui",
            "layout": "BaseLayout",
            "deepLinking": true,
            "showExtensions": true,
            "showCommonExtensions": true,
            oauth2RedirectUrl: window.location.origin + '\(redirectPath)',
            presets: [
                SwaggerUIBundle.presets.apis,
                SwaggerUIBundle.SwaggerUIStandalonePreset
            ],
        })
        </script>
        </body>
        </html>
        """
    }

    static func redoc(title: String, openAPIURL: String, docs: DocsConfiguration) -> String {
        """
        <!DOCTYPE html>
        <html>
        <head>
        <title>\(escape(title))</title>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <link rel="shortcut icon" href="\(docs.faviconURL)">
        <style>
          body {
            margin: 0;
            padding: 0;
          }
        </style>
        </head>
        <body>
        <noscript>
            ReDoc requires Javascript to function. Please enable it to browse the documentation.
        </noscript>
        <redoc spec-url="\(openAPIURL)"></redoc>
        <script src="\(docs.redocJavaScriptURL)"> </script>
        </body>
        </html>
        """
    }

    /// Swagger UI's OAuth2 redirect page (what FastAPI serves at `/docs/oauth2-redirect`), which hands
    /// the authorization result back to the docs page.
    static let oauth2Redirect = """
        <!doctype html>
        <html lang="en-US">
        <head>
            <title>Swagger UI: OAuth2 Redirect</title>
        </head>
        <body>
        <script>
            'use strict';
            function run () {
                var oauth2 = window.opener.swaggerUIRedirectOauth2;
                var sentState = oauth2.state;
                var redirectUrl = oauth2.redirectUrl;
                var isValid, qp, arr;

                if (/code|token|error/.test(window.location.hash)) {
                    qp = window.location.hash.substring(1).replace('?', '&');
                } else {
                    qp = location.search.substring(1);
                }

                arr = qp.split("&");
                arr.forEach(function (v,i,_arr) { _arr[i] = '"' + v.replace('=', '":"') + '"';});
                qp = qp ? JSON.parse('{' + arr.join() + '}',
                        function (key, value) {
                            return key === "" ? value : decodeURIComponent(value);
                        }
                ) : {};

                isValid = qp.state === sentState;

                if ((
                  oauth2.auth.schema.get("flow") === "accessCode" ||
                  oauth2.auth.schema.get("flow") === "authorizationCode" ||
                  oauth2.auth.schema.get("flow") === "authorization_code"
                ) && !oauth2.auth.code) {
                    if (!isValid) {
                        oauth2.errCb({
                            authId: oauth2.auth.name,
                            source: "auth",
                            level: "warning",
                            message: "Authorization may be unsafe, passed state was changed in server. The passed state wasn't returned from auth server."
                        });
                    }

                    if (qp.code) {
                        delete oauth2.state;
                        oauth2.auth.code = qp.code;
                        oauth2.callback({auth: oauth2.auth, redirectUrl: redirectUrl});
                    } else {
                        let oauthErrorMsg;
                        if (qp.error) {
                            oauthErrorMsg = "["+qp.error+"]: " +
                                (qp.error_description ? qp.error_description+ ". " : "no accessCode received from the server. ") +
                                (qp.error_uri ? "More info: "+qp.error_uri : "");
                        }

                        oauth2.errCb({
                            authId: oauth2.auth.name,
                            source: "auth",
                            level: "error",
                            message: oauthErrorMsg || "[Authorization failed]: no accessCode received from the server."
                        });
                    }
                } else {
                    oauth2.callback({auth: oauth2.auth, token: qp, isValid: isValid, redirectUrl: redirectUrl});
                }
                window.close();
            }

            if (document.readyState !== 'loading') {
                run();
            } else {
                document.addEventListener('DOMContentLoaded', function () {
                    run();
                });
            }
        </script>
        </body>
        </html>
        """

    private static func escape(_ text: String) -> String {
        text.htmlEscaped
    }
}

extension String {
    /// The text with `&`, `<`, `>` and `"` escaped, to write inside an HTML element or attribute.
    public var htmlEscaped: String {
        replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}

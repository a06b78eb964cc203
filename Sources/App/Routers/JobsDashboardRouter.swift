import HTTPTypes
import Hummingbird
import TernAPI
import TernAuth
import TernDatabase
import TernJobs

@Input
struct DashboardPageInput {
    /// What the last form did (a ``DashboardNotice``); unknown ones are ignored.
    @Query var notice: String?
    @Query var count: String?
    @Depends var session: DashboardSession
    @Depends var jobs: JobsService
    @Depends var app: AppServices
}

@Input
struct DashboardSignInInput {
    @Form var email: String = ""
    @Form var password: String = ""
    /// The second factor, for an account that has one.
    @Form var totpCode: String = ""
    @Depends var login: LoginService
    @Depends var app: AppServices
    @Depends var database: Database
    @Depends var scope: RequestScope
}

@Input
struct DashboardFormInput {
    @Form var csrfToken: String = ""
    @Depends var session: DashboardSession
    @Depends var jobs: JobsService
    @Depends var app: AppServices
    @Depends var scope: RequestScope
}

@Input
struct DashboardSignOutInput {
    @Form var csrfToken: String = ""
    @Depends var session: DashboardSession
    @Depends var login: LoginService
    @Depends var app: AppServices
    @Depends var scope: RequestScope
}

@Input
struct DashboardRetryJobInput {
    @Form var csrfToken: String = ""
    // As the page writes it; never a control character (PostgreSQL refuses NUL in text).
    @Form(maxLength: 100, pattern: "^[^\\x00-\\x1f\\x7f]*$") var jobId: String = ""
    @Depends var session: DashboardSession
    @Depends var jobs: JobsService
    @Depends var app: AppServices
}

/// The jobs dashboard: a page for superusers, in a browser, showing the queues and their running,
/// retrying and dead jobs, with forms that retry and purge dead ones (what Flower is to Celery). It
/// lives at `{API_V1_STR}/jobs/dashboard`, out of the OpenAPI document: its answers are pages and
/// redirects, not the API's JSON.
///
/// A browser signs in with the form the page shows, which keeps an access token in a cookie for the
/// dashboard's paths (``DashboardSession``); every form that changes something carries the session's
/// CSRF token. Forms answer with a redirect to the page (303), with a ``DashboardNotice`` saying what
/// happened, so that reloading the page sends nothing again. A form with a wrong CSRF token is
/// refused with 403.
@APIRouter(prefix: "/jobs/dashboard")
struct JobsDashboardRouter {
    /// The dashboard's path: where the page is, the forms post, and the cookie is sent.
    static func path(_ settings: Settings) -> String {
        settings.apiPrefix + "/jobs/dashboard"
    }

    /// How many jobs of each list the page shows.
    static let jobsShown = 50

    /// The page: the queues and their jobs for a signed-in superuser, the sign-in form for anyone else.
    @GET("/", includeInSchema: false)
    func page(_ input: DashboardPageInput) async throws -> CustomResponse {
        let settings = input.app.settings
        let notice = input.notice.flatMap(DashboardNotice.init(rawValue:)).map {
            DashboardNoticeView($0, count: input.count.flatMap { Int($0) })
        }
        guard let user = input.session.user else {
            let page = DashboardSignInPage(projectName: settings.projectName, base: Self.path(settings), notice: notice)
            return .dashboardPage(input.app.dashboardPages.signIn(page))
        }
        let page = DashboardJobsPage(
            overview: try await input.jobs.overview(limit: Self.jobsShown), projectName: settings.projectName,
            base: Self.path(settings), userEmail: user.email, csrfToken: input.session.csrfToken, notice: notice,
            now: currentMilliseconds())
        return .dashboardPage(input.app.dashboardPages.jobs(page))
    }

    /// Signs a superuser in with the login service (and its throttle on failed attempts), keeping the
    /// access token in the dashboard's cookie.
    @POST("/login", status: .seeOther, includeInSchema: false, rateLimits: [.login])
    func signIn(_ input: DashboardSignInInput) async throws -> CustomResponse {
        let settings = input.app.settings
        let token: String
        do {
            token = try await input.login.login(
                email: input.email, password: input.password, secondFactor: input.totpCode.isEmpty ? nil : input.totpCode
            ).accessToken
        } catch let error as AuthError where error == .incorrectCredentials {
            return .dashboardRedirect(settings, .incorrectCredentials)
        } catch AuthError.twoFactorRequired {
            return .dashboardRedirect(settings, .twoFactorRequired)
        } catch AuthError.invalidTwoFactorCode {
            return .dashboardRedirect(settings, .invalidTwoFactorCode)
        } catch let error as UserError where error == .inactive {
            return .dashboardRedirect(settings, .inactive)
        } catch UserError.emailNotVerified {
            return .dashboardRedirect(settings, .emailNotVerified)
        } catch is TooManyRequests {
            return .dashboardRedirect(settings, .throttled)
        } catch is PasswordHasherBusy {
            return .dashboardRedirect(settings, .busy)
        }
        let user = try await CurrentUser.bearing(token, app: input.app, database: input.database).user
        guard user.isSuperuser else { return .dashboardRedirect(settings, .notSuperuser) }
        return .dashboardRedirect(
            settings, cookie: DashboardSession.signInCookie(token: token, settings: settings, request: input.scope.request))
    }

    /// Signs out: the sign-in session ends (the token the cookie held stops working) and the cookie
    /// is dropped.
    @POST("/logout", status: .seeOther, errors: [DashboardError.invalidCSRFToken], includeInSchema: false)
    func signOut(_ input: DashboardSignOutInput) async throws -> CustomResponse {
        let settings = input.app.settings
        let signedIn = try input.session.authorize(csrfToken: input.csrfToken)
        if signedIn, let current = input.session.current { try await input.login.logout(current) }
        return .dashboardRedirect(
            settings, signedIn ? .signedOut : nil,
            cookie: DashboardSession.signOutCookie(settings: settings, request: input.scope.request))
    }

    /// Puts one dead job back in its queue.
    @POST("/retry-job", status: .seeOther, errors: [DashboardError.invalidCSRFToken], includeInSchema: false)
    func retryJob(_ input: DashboardRetryJobInput) async throws -> CustomResponse {
        let settings = input.app.settings
        guard try input.session.authorize(csrfToken: input.csrfToken) else { return .dashboardRedirect(settings, .sessionEnded) }
        do {
            try await input.jobs.retryDead(id: input.jobId)
        } catch JobError.notFound {
            return .dashboardRedirect(settings, .jobNotFound)
        }
        return .dashboardRedirect(settings, .retried)
    }

    /// Puts every dead job back in its queue.
    @POST("/retry-dead", status: .seeOther, errors: [DashboardError.invalidCSRFToken], includeInSchema: false)
    func retryDeadJobs(_ input: DashboardFormInput) async throws -> CustomResponse {
        let settings = input.app.settings
        guard try input.session.authorize(csrfToken: input.csrfToken) else { return .dashboardRedirect(settings, .sessionEnded) }
        return .dashboardRedirect(settings, .retriedAll, count: try await input.jobs.retryAllDead())
    }

    /// Deletes every dead job.
    @POST("/purge-dead", status: .seeOther, errors: [DashboardError.invalidCSRFToken], includeInSchema: false)
    func purgeDeadJobs(_ input: DashboardFormInput) async throws -> CustomResponse {
        let settings = input.app.settings
        guard try input.session.authorize(csrfToken: input.csrfToken) else { return .dashboardRedirect(settings, .sessionEnded) }
        return .dashboardRedirect(settings, .purged, count: try await input.jobs.purgeDead())
    }
}

extension CustomResponse {
    /// A dashboard page, which no cache keeps (it shows a session's data), no other site frames (its
    /// buttons act), and which runs no script and loads nothing: were escaping ever to fail, no
    /// injected script would run.
    fileprivate static func dashboardPage(_ html: String) -> CustomResponse {
        .html(
            html,
            headers: [
                .cacheControl: "no-store",
                .contentSecurityPolicy:
                    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
                .xContentTypeOptions: "nosniff",
            ])
    }

    /// The answer to a dashboard form: back to the page, showing `notice`, setting `cookie`.
    fileprivate static func dashboardRedirect(
        _ settings: Settings, _ notice: DashboardNotice? = nil, count: Int? = nil, cookie: Cookie? = nil
    ) -> CustomResponse {
        var location = JobsDashboardRouter.path(settings)
        if let notice { location += "?" + notice.query(count: count) }
        return .redirect(to: location, headers: cookie.map { [.setCookie: $0.description] } ?? [:])
    }
}

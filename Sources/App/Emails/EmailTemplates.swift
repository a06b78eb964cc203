import Mustache

/// The emails the service sends, rendered from the Mustache templates in `Emails/Templates` (an HTML
/// and a plain-text part each, the reference template's wording), which are compiled into the binary.
///
/// Templates are parsed once, when the services are built: a mistake in one stops the start, not an
/// email.
struct EmailTemplates: Sendable {
    /// A rendered email, ready for a mailer.
    struct Rendered: Sendable, Equatable {
        var subject: String
        var html: String
        var text: String
    }

    private let library: MustacheLibrary
    let projectName: String

    init(projectName: String) throws {
        var library = MustacheLibrary()
        for (name, bytes) in Self.sources {
            try library.register(String(decoding: bytes, as: UTF8.self), named: name)
        }
        self.library = library
        self.projectName = projectName
    }

    func passwordRecovery(email: String, link: String, validHours: Int) -> Rendered {
        render(
            "password_recovery", subject: "\(projectName) - Password recovery for user \(email)",
            ["email": email, "link": link, "valid_hours": validHours])
    }

    func newAccount(email: String, link: String) -> Rendered {
        render("new_account", subject: "\(projectName) - New account for user \(email)", ["email": email, "link": link])
    }

    func emailVerification(email: String, link: String, validHours: Int) -> Rendered {
        render(
            "email_verification", subject: "\(projectName) - Verify your email", ["email": email, "link": link, "valid_hours": validHours])
    }

    func test(email: String) -> Rendered {
        render("test_email", subject: "\(projectName) - Test email", ["email": email])
    }

    private func render(_ name: String, subject: String, _ values: [String: Any]) -> Rendered {
        var context = values
        context["project_name"] = projectName
        context["subject"] = subject
        return Rendered(
            subject: subject,
            html: library.render(context, withTemplate: "\(name).html") ?? "",
            text: library.render(context, withTemplate: "\(name).txt") ?? "")
    }

    /// The templates by name (`password_recovery.html`), as SwiftPM embedded them.
    private static let sources: [(String, [UInt8])] = [
        // Partials, named as the templates include them (`{{> layout_header}}`).
        ("layout_header", PackageResources.layout_header_html_mustache),
        ("layout_footer", PackageResources.layout_footer_html_mustache),
        ("password_recovery.html", PackageResources.password_recovery_html_mustache),
        ("password_recovery.txt", PackageResources.password_recovery_txt_mustache),
        ("new_account.html", PackageResources.new_account_html_mustache),
        ("new_account.txt", PackageResources.new_account_txt_mustache),
        ("email_verification.html", PackageResources.email_verification_html_mustache),
        ("email_verification.txt", PackageResources.email_verification_txt_mustache),
        ("test_email.html", PackageResources.test_email_html_mustache),
        ("test_email.txt", PackageResources.test_email_txt_mustache),
    ]
}

/// The emails the service sends, as HTML (the reference template's wording).
enum EmailTemplates {
    static func passwordRecovery(projectName: String, email: String, link: String, validHours: Int) -> (subject: String, html: String) {
        let subject = "\(projectName) - Password recovery for user \(email)"
        let html = page(
            """
            <p>Hello,</p>
            <p>We've received a request to reset your password for <b>\(escape(projectName))</b> (\(escape(email))).
            Reset it by clicking the button below:</p>
            <p><a href="\(escape(link))" style="padding:10px 20px;background:#009688;color:#ffffff;text-decoration:none;border-radius:4px">Reset password</a></p>
            <p>Or open this link: <a href="\(escape(link))">\(escape(link))</a></p>
            <p>The reset password link and token expire in \(validHours) hours.</p>
            <p>If you didn't request a password recovery you can disregard this email.</p>
            """)
        return (subject, html)
    }

    static func newAccount(projectName: String, email: String, link: String) -> (subject: String, html: String) {
        let subject = "\(projectName) - New account for user \(email)"
        let html = page(
            """
            <p>Welcome to <b>\(escape(projectName))</b>!</p>
            <p>An account was created for you with the email <b>\(escape(email))</b>.</p>
            <p><a href="\(escape(link))">Go to the dashboard</a></p>
            """)
        return (subject, html)
    }

    static func test(projectName: String, email: String) -> (subject: String, html: String) {
        ("\(projectName) - Test email", page("<p>Test email for: \(escape(email))</p>"))
    }

    private static func page(_ body: String) -> String {
        """
        <!DOCTYPE html>
        <html><head><meta charset="utf-8"></head>
        <body style="font-family:sans-serif;font-size:16px;color:#333">
        \(body)
        </body></html>
        """
    }

    private static func escape(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}

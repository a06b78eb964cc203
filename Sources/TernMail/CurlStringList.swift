import CCurl

/// A libcurl string list (`curl_slist`), freed when released; libcurl copies the strings.
final class CurlStringList {
    private(set) var head: UnsafeMutablePointer<curl_slist>?

    init(_ strings: [String]) throws(MailError) {
        for string in strings {
            guard let newHead = curl_slist_append(head, string) else {
                throw MailError(.other, "libcurl could not allocate a list")
            }
            head = newHead
        }
    }

    deinit {
        curl_slist_free_all(head)
    }
}

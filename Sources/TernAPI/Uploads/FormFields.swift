/// The fields of a form body: text values by name (an `application/x-www-form-urlencoded` body's,
/// or a `multipart/form-data` body's parts without a filename) and the files of a multipart body.
public struct FormFields: Sendable {
    public let text: URLEncodedPairs
    public let files: [String: [UploadFile]]

    public init(text: URLEncodedPairs, files: [String: [UploadFile]] = [:]) {
        self.text = text
        self.files = files
    }

    /// Every text value given for `name`, in order.
    public func values(_ name: String) -> [String] {
        text.values(name)
    }
}

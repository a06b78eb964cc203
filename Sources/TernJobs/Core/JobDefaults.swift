/// The job system's defaults that several of its parts share, written once: both backends'
/// visibility timeout, the database backend's and the outbox relay's poll interval, and the
/// queue's attempts. An app's settings take theirs from here too.
public enum JobDefaults {
    /// Attempts of a job whose type and options do not say, before the dead-letter set.
    public static let maxAttempts = 5
    /// How long a claimed job stays with a worker that stops extending it.
    public static let visibilityTimeout: Duration = .seconds(30)
    /// How often an idle worker or relay looks for due work without being woken.
    public static let pollInterval: Duration = .seconds(1)
}

/// How PostgreSQL plans the statements a connection prepared: its `plan_cache_mode`, which Tern
/// sets on every connection it opens.
///
/// Tern prepares each statement once per connection and runs it for every request after. Left to
/// itself (``auto``), PostgreSQL plans a prepared statement anew for each of its first five runs,
/// then compares the cost of one plan for any values with theirs, and keeps that choice. It does
/// not compare again when the table's statistics change: a connection whose first runs came while
/// a table was small or not yet analyzed (just after a deployment, or a benchmark's seeding) may
/// plan that statement on every run for as long as it lives. A list of items spent 80-100 µs
/// planning on each request that way, more than it spent running.
public enum PostgresPlanCacheMode: String, Sendable, CaseIterable {
    /// One plan per statement and connection, made once: no planning on the request path. Right for
    /// statements whose best plan does not depend on the values (lookups by key, pages through an
    /// index), which is what a service's statements mostly are.
    case forceGenericPlan = "force_generic_plan"
    /// PostgreSQL's own choice, made in each statement's first runs on a connection.
    case auto
    /// A plan for each run's values, every time: for data so skewed that one plan cannot serve all
    /// values, at the cost of planning each statement each time it runs.
    case forceCustomPlan = "force_custom_plan"
}

@_exported import TestSupport

/// Fixture paths for the printer tests.
enum FormatFixtures {
    static func path(_ relative: String) -> String { Repo.testdata(relative) }
}

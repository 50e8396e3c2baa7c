import ArgumentParser
struct SymversDiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "diff", abstract: "Which symbol versions changed between two builds, and why.")
    func run() throws {}
}

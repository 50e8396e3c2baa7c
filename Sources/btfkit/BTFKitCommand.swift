import ArgumentParser

struct BTFKitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "btfkit",
        abstract: "Read, check and print BPF Type Format (BTF).",
        version: "btfkit \(btfkitVersion)",
        subcommands: [DumpCommand.self, CheckCommand.self, InfoCommand.self, DWARFCommand.self, EncodeCommand.self, DedupCommand.self, DiffCommand.self, CoreCommand.self, MinimizeCommand.self, SymversCommand.self])
}

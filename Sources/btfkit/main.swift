import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif

removeTemporaryFilesOnSignals()
// Started as `pahole` (a symlink) or as `btfkit pahole …`: pahole's command line.
let arguments = CommandLine.arguments
let programName = arguments.first.map { String($0.split(separator: "/").last ?? "") } ?? ""
if programName == "pahole" {
    exit(PaholeFrontEnd.run(Array(arguments.dropFirst())))
}
if arguments.count > 1 && arguments[1] == "pahole" {
    exit(PaholeFrontEnd.run(Array(arguments.dropFirst(2))))
}
BTFKitCommand.main()

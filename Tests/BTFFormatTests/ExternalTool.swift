import Foundation
import XCTest

/// Finds and runs the real tools the tests compare against (bpftool, clang ...).
enum ExternalTool {
    static func find(_ name: String) -> String? {
        let dirs = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
            + ["/usr/sbin", "/sbin", "/usr/local/sbin", "/usr/bin"]
        for d in dirs where FileManager.default.isExecutableFile(atPath: d + "/" + name) { return d + "/" + name }
        return nil
    }

    /// Returns the tool's path or skips the test, saying why.
    static func require(_ name: String, package: String) throws -> String {
        guard let p = find(name) else {
            throw XCTSkip("\(name) not installed (apt-get install \(package)); comparison against \(name) skipped")
        }
        return p
    }

    /// Runs a command and returns its standard output; fails the test on a non-zero exit.
    static func run(_ path: String, _ args: [String], file: StaticString = #filePath, line: UInt = #line) throws -> Data {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = args
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, "\(path) \(args.joined(separator: " ")) failed", file: file, line: line)
        return data
    }
}

enum FormatFixtures {
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()
    static func path(_ relative: String) -> String { root + "/testdata/" + relative }
}

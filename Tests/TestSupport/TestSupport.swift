import Foundation
import XCTest

/// Where the repository and its fixtures are, for every test target.
public enum Repo {
    public static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// A path under testdata/.
    public static func testdata(_ relative: String) -> String { root + "/testdata/" + relative }
}

/// Finds and runs the real tools the tests compare against (bpftool, clang, llvm-dwarfdump ...).
public enum ExternalTool {
    public static func find(_ name: String) -> String? {
        let dirs = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
            + ["/usr/sbin", "/sbin", "/usr/local/sbin", "/usr/bin"]
        for d in dirs where FileManager.default.isExecutableFile(atPath: d + "/" + name) { return d + "/" + name }
        return nil
    }

    /// Returns the tool's path or skips the test, saying why.
    public static func require(_ name: String, package: String) throws -> String {
        guard let p = find(name) else {
            throw XCTSkip("\(name) not installed (apt-get install \(package)); comparison against \(name) skipped")
        }
        return p
    }

    public struct Result { public var status: Int32; public var out: Data; public var err: Data }

    /// Runs a command and returns its status and output.
    public static func capture(_ path: String, _ args: [String]) throws -> Result {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = args
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        // Read stderr on another thread so that neither pipe can fill up and block the child.
        final class Box: @unchecked Sendable { var data = Data() }
        let errBox = Box()
        let done = DispatchSemaphore(value: 0)
        let errHandle = err.fileHandleForReading
        Thread.detachNewThread {
            errBox.data = errHandle.readDataToEndOfFile()
            done.signal()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        done.wait()
        return Result(status: p.terminationStatus, out: outData, err: errBox.data)
    }

    /// Runs a command and returns its standard output; fails the test on a non-zero exit.
    public static func run(_ path: String, _ args: [String], file: StaticString = #filePath, line: UInt = #line) throws -> Data {
        let r = try capture(path, args)
        XCTAssertEqual(r.status, 0, "\(path) \(args.joined(separator: " ")) failed: \(String(decoding: r.err, as: UTF8.self))", file: file, line: line)
        return r.out
    }
}

/// How users compile a printed C header: clang for `-target bpf` and for the host, and gcc.
public enum CHeaderCompilers {
    public static let all: [(name: String, compiler: String, args: [String])] = [
        ("clang -target bpf", "clang", ["-target", "bpf"]), ("clang (host)", "clang", []), ("gcc (host)", "gcc", []),
    ]

    /// Compiles `file` (syntax only) with each compiler that is installed. Returns the failures
    /// as (compiler, stderr) and how many compilers ran; a missing compiler is reported as skipped.
    public static func check(_ file: String, extra: [String] = []) throws -> (failures: [(String, String)], ran: Int) {
        var failures: [(String, String)] = [], ran = 0
        for c in all {
            guard let path = ExternalTool.find(c.compiler) else { print("\(c.compiler) not installed: \(c.name) check of \(file) skipped"); continue }
            let r = try ExternalTool.capture(path, c.args + ["-fsyntax-only"] + extra + [file])
            ran += 1
            if r.status != 0 { failures.append((c.name, String(String(decoding: r.err, as: UTF8.self).prefix(1500)))) }
        }
        return (failures, ran)
    }
}

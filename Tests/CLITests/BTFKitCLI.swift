import XCTest
import Foundation
import TestSupport

/// The built `btfkit` binary, run the way users run it.
struct BTFKitCLI {
    var binary: String {
        let dir = Bundle.main.bundleURL.path.hasSuffix(".xctest") ? Bundle.main.bundleURL.deletingLastPathComponent().path : Bundle.main.bundleURL.path
        for candidate in [dir + "/btfkit", dir + "/../btfkit", Repo.root + "/.build/debug/btfkit"]
        where FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        return Repo.root + "/.build/debug/btfkit"
    }

    struct Result { var status: Int32; var out: String; var err: String }

    func run(_ args: [String]) throws -> Result {
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: binary), "btfkit not built at \(binary)")
        let r = try ExternalTool.capture(binary, args)
        return Result(status: r.status, out: String(decoding: r.out, as: UTF8.self), err: String(decoding: r.err, as: UTF8.self))
    }
}

import XCTest
import BTF

final class ValidatorCorpusTests: XCTestCase {
    func testCorpusIsLargeAndCoversBothVerdicts() {
        let corpus = ValidatorCorpus.all
        XCTAssertGreaterThanOrEqual(corpus.count, 100)
        XCTAssertGreaterThan(corpus.filter { $0.expect == nil }.count, 30)
        XCTAssertGreaterThan(corpus.filter { $0.expect != nil }.count, 70)
        XCTAssertEqual(Set(corpus.map(\.name)).count, corpus.count, "case names must be unique")
    }

    /// Our offline verdict and message for every blob equal the recorded kernel verdict.
    func testOfflineVerdictsMatchExpectations() {
        for c in ValidatorCorpus.all {
            let failure = KernelValidator(bytes: c.bytes).validate()
            switch (c.expect, failure) {
            case (nil, nil): break
            case (nil, let f?): XCTFail("\(c.name): expected accept, got \(f)")
            case (let e?, nil): XCTFail("\(c.name): expected '\(e)', got accept")
            case (let e?, let f?):
                XCTAssertTrue(f.message.hasPrefix(e), "\(c.name): expected '\(e)', got '\(f.message)'")
                if f.phase != "header" && f.phase != "strings" && f.phase != "types" && f.phase != "type-tags" {
                    XCTAssertNotNil(f.typeID, "\(c.name): type-level failure must name a type id")
                }
                XCTAssertNotNil(f.offset, "\(c.name): failure must name a byte offset")
                if let off = f.offset { XCTAssertTrue(off >= 0 && off <= c.bytes.count, "\(c.name): offset \(off) outside blob") }
            }
        }
    }

    /// The real judge: the running kernel's BPF_BTF_LOAD. Verdicts must be equal for every blob,
    /// and for rejections the kernel's last log line must carry our message.
    func testCorpusAgreesWithRunningKernel() throws {
        guard KernelLoader.isAvailable else {
            throw XCTSkip("BPF_BTF_LOAD not available here (needs root and a kernel with BTF); kernel comparison skipped")
        }
        var disagreements: [String] = []
        for c in ValidatorCorpus.all {
            let ours = KernelValidator(bytes: c.bytes).validate()
            let kernel = KernelLoader.load(c.bytes)
            if kernel.accepted != (ours == nil) {
                disagreements.append("\(c.name): kernel \(kernel.accepted ? "accepts" : "rejects (\(kernel.logTail.last ?? "errno \(kernel.errno)"))"), we \(ours.map { "reject: \($0.message)" } ?? "accept")")
                continue
            }
            if let ours, !kernel.accepted {
                let last = kernel.logTail.last ?? ""
                if !last.contains(ours.message) {
                    disagreements.append("\(c.name): kernel says '\(last)', we say '\(ours.message)'")
                }
                if kernel.errno != ours.errno.rawValue {
                    disagreements.append("\(c.name): kernel errno \(kernel.errno), ours \(ours.errno.rawValue)")
                }
            }
        }
        XCTAssertTrue(disagreements.isEmpty, "disagreements with the kernel:\n" + disagreements.joined(separator: "\n"))
    }
}

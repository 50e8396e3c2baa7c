import XCTest
@testable import BTF

/// The dedup candidates table: each hash's IDs come back in insertion order, across growth, and
/// a lookup sees only its own hash's IDs however many IDs share another hash.
final class HashBucketsTests: XCTestCase {
    func testInsertionOrderPerHashAcrossGrowth() {
        var b = HashBuckets(capacity: 0)
        var expected: [UInt64: [UInt32]] = [:]
        var id: UInt32 = 1
        // 3,000 IDs under one hash (look-alike types) among 5,000 distinct hashes, interleaved.
        for k in 0..<5_000 {
            let h = UInt64(k) &* 0x9E37_79B9_7F4A_7C15
            b.insert(h, id); expected[h, default: []].append(id); id += 1
            if k % 5 < 3 {
                b.insert(42, id); expected[42, default: []].append(id); id += 1
            }
        }
        var out: [UInt32] = []
        for (h, ids) in expected {
            b.candidates(h, into: &out)
            XCTAssertEqual(out, ids, "hash \(h)")
        }
        XCTAssertEqual(b.first(42) { $0 % 7 == 0 }, expected[42]?.first { $0 % 7 == 0 })
        XCTAssertNil(b.first(43) { _ in true })
        b.candidates(43, into: &out)
        XCTAssertEqual(out, [])
    }
}

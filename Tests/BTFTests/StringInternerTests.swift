import XCTest
import BTF

/// `StringInterner(preloading:)`: a compiler's string section copied in at offset 1, each
/// distinct string found again by `intern` at its first occurrence.
final class StringInternerTests: XCTestCase {
    /// "ab" at 0, "cd" at 3, a second "ab" at 6, "" at 9, "skip" at 10, "xyz" at 15 without its NUL.
    static let section: [UInt8] = Array("ab\0cd\0ab\0\0skip\0xyz".utf8)

    func testPreloadedStringsKeepTheirSectionOffsetPlusOne() {
        var seen: [(Int, String)] = []
        var s = Self.section.withUnsafeBufferPointer { sec in
            StringInterner(baseOffset: 100, preloading: sec) { o, bytes in
                seen.append((o, String(decoding: bytes, as: UTF8.self)))
                return String(decoding: bytes, as: UTF8.self) != "skip"
            }
        }
        // Each distinct non-empty string is offered once, at its first occurrence.
        XCTAssertEqual(seen.map(\.0), [0, 3, 10, 15])
        XCTAssertEqual(seen.map(\.1), ["ab", "cd", "skip", "xyz"])
        XCTAssertEqual(s.bytes, [0] + Self.section + [0], "a leading \"\" and a NUL after the last string")
        XCTAssertEqual(s.intern("ab").rawValue, 100 + 1 + 0, "the first copy, not the one at 6")
        XCTAssertEqual(s.intern("cd").rawValue, 100 + 1 + 3)
        XCTAssertEqual(s.intern("xyz").rawValue, 100 + 1 + 15)
        XCTAssertEqual(s.intern("").rawValue, 0)
        // Left out of the index: a new copy is appended, and found again after that.
        let skip = s.intern("skip").rawValue
        XCTAssertEqual(skip, 100 + UInt32(Self.section.count + 2))
        XCTAssertEqual(s.intern("skip").rawValue, skip)
        XCTAssertEqual(s.string(at: StringOffset(skip)), "skip")
        XCTAssertEqual(s.string(at: StringOffset(100 + 1 + 3)), "cd")
        XCTAssertEqual(s.count, 4, "ab, cd, xyz and the appended skip")
    }

    /// Strings past the preloaded ones grow the table like any other; the preloaded stay found.
    func testManyInternedAfterAPreload() {
        let words = (0..<5000).map { "name\($0)" }
        let section = Array(words.joined(separator: "\0").utf8) + [0]
        var s = section.withUnsafeBufferPointer { StringInterner(preloading: $0) { _, _ in true } }
        var expected: [String: UInt32] = [:]
        var at = 0
        for w in words { expected[w] = UInt32(1 + at); at += w.utf8.count + 1 }
        for i in 0..<20000 { _ = s.intern("extra\(i)") }
        for w in words { XCTAssertEqual(s.intern(w).rawValue, expected[w], w) }
        XCTAssertEqual(s.count, 25000)
    }

    /// A name inside a longer string (a linker's tail merge) is indexed where it lies, unless an
    /// equal string is indexed already; offsets outside the preloaded part are refused.
    func testStringsInsideLongerOnesAreIndexedInPlace() {
        let section: [UInt8] = Array("max_len\0len2\0".utf8)       // "len" only as a tail
        var s = section.withUnsafeBufferPointer { StringInterner(preloading: $0) { _, _ in true } }
        XCTAssertEqual(s.intern(preloadedAt: 1 + 4)?.rawValue, 1 + 4, "\"len\" at its place inside \"max_len\"")
        XCTAssertEqual(s.intern("len").rawValue, 5, "found there from now on")
        XCTAssertEqual(s.intern(preloadedAt: 1 + 0)?.rawValue, 1, "a string start, indexed at preload")
        XCTAssertEqual(s.intern(preloadedAt: 1 + 1)?.rawValue, 2, "\"ax_len\", new: in place")
        XCTAssertEqual(s.intern("en2").rawValue, 14, "not indexed yet: appended after the preload")
        XCTAssertEqual(s.intern(preloadedAt: 1 + 9)?.rawValue, 14, "the tail \"en2\" finds that copy")
        XCTAssertEqual(s.intern(preloadedAt: 1 + 7)?.rawValue, 0, "the NUL: \"\"")
        XCTAssertNil(s.intern(preloadedAt: 0))
        XCTAssertNil(s.intern(preloadedAt: section.count + 1))
        let appended = s.intern("other").rawValue
        XCTAssertNil(s.intern(preloadedAt: Int(appended)), "appended strings are not preloaded")
    }
}

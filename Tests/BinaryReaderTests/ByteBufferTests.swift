import XCTest
import BinaryReader

final class ByteBufferTests: XCTestCase {
    func testReadsBothByteOrders() throws {
        let bytes: [UInt8] = [0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08]
        let le = ByteBuffer(bytes, endianness: .little)
        let be = ByteBuffer(bytes, endianness: .big)
        XCTAssertEqual(try le.u16(at: 0), 0x0201)
        XCTAssertEqual(try be.u16(at: 0), 0x0102)
        XCTAssertEqual(try le.u32(at: 1), 0x0504_0302)
        XCTAssertEqual(try be.u32(at: 1), 0x0203_0405)
        XCTAssertEqual(try le.u64(at: 0), 0x0807_0605_0403_0201)
        XCTAssertEqual(try be.u64(at: 0), 0x0102_0304_0506_0708)
    }

    func testOutOfBoundsReadsThrowWithOffset() {
        let b = ByteBuffer([1, 2, 3], section: ".test")
        for (off, len) in [(0, 4), (2, 2), (3, 1), (-1, 1), (Int.max - 1, 4)] {
            XCTAssertThrowsError(try b.slice(at: off, length: len)) { e in
                guard let e = e as? ParseError else { return XCTFail("untyped error") }
                XCTAssertEqual(e.offset, off)
                XCTAssertEqual(e.section, ".test")
                XCTAssertTrue(e.description.contains(".test"))
            }
        }
        XCTAssertThrowsError(try b.u32(at: 0))
        XCTAssertNil(b.u32IfPresent(at: 1))
    }

    func testLEB128() throws {
        var c = ByteBuffer([0xe5, 0x8e, 0x26, 0x7f, 0x80, 0x7f]).cursor()
        XCTAssertEqual(try c.uleb128(), 624_485)
        XCTAssertEqual(try c.sleb128(), -1)
        XCTAssertEqual(try c.sleb128(), -128)
        XCTAssertTrue(c.isAtEnd)
        var bad = ByteBuffer([0x80, 0x80]).cursor()
        XCTAssertThrowsError(try bad.uleb128()) { XCTAssertEqual(($0 as? ParseError)?.reason, .badLEB128) }
        XCTAssertEqual(bad.position, 0, "a failed read leaves the cursor where it was")
        // Nine continuation bytes then a sign bit at bit 63: the sign extension must not overflow.
        var wide = ByteBuffer(Array(repeating: 0x80, count: 9) + [0x40]).cursor()
        XCTAssertEqual(try wide.sleb128(), 0)
        var shift63 = ByteBuffer(Array(repeating: 0x80, count: 8) + [0x40]).cursor()
        XCTAssertEqual(try shift63.sleb128(), -4_611_686_018_427_387_904)
        var minimum = ByteBuffer(Array(repeating: 0x80, count: 9) + [0x7f]).cursor()
        XCTAssertEqual(try minimum.sleb128(), Int64.min)
        var tooBig = ByteBuffer(Array(repeating: 0xff, count: 10) + [0x7f]).cursor()
        XCTAssertThrowsError(try tooBig.uleb128())
    }

    func testCursorAndStrings() throws {
        var c = ByteBuffer([0x61, 0x62, 0, 0x63]).cursor()
        XCTAssertEqual(Array(try c.cString()), [0x61, 0x62])
        XCTAssertThrowsError(try c.cString()) { XCTAssertEqual(($0 as? ParseError)?.offset, 3) }
        XCTAssertThrowsError(try c.skip(5))
        XCTAssertEqual(try c.u8(), 0x63)
        XCTAssertThrowsError(try c.u8())
    }

    func testCheckedArithmetic() {
        XCTAssertNil(UInt32.max.adding(checked: 1))
        XCTAssertEqual(UInt32(3).multiplied(checked: 4), 12)
        XCTAssertNil(Int.max.multiplied(checked: 2))
        XCTAssertNil(Int(checked: UInt64.max))
        XCTAssertNil(UInt8(0).subtracting(checked: 1))
    }
}

import XCTest
@testable import BTF

/// `BTFTypeTable`'s bulk operations: appending another table (its type IDs shifted) through the
/// kind of each record or through known field positions gives the same words.
final class TypeTableTests: XCTestCase {
    /// A unit-like table with every kind that has type fields, and void references.
    func unit() -> BTFTypeTable {
        var t = BTFTypeTable()
        let int = t.append(name: StringOffset(1), kind: .int, sizeOrType: 4, tail: [0x0100_0020])
        let ptr = t.append(name: .empty, kind: .pointer, sizeOrType: int.rawValue)
        t.append(name: .empty, kind: .pointer, sizeOrType: 0)                                    // void *
        t.append(name: .empty, kind: .array, sizeOrType: 0, tail: [ptr.rawValue, int.rawValue, 4])
        t.append(name: StringOffset(3), kind: .structure, vlen: 2, sizeOrType: 16,
                 tail: [5, int.rawValue, 0, 7, ptr.rawValue, 64])
        let proto = t.append(name: .empty, kind: .functionProto, vlen: 2, sizeOrType: int.rawValue,
                             tail: [9, ptr.rawValue, 0, 0])
        t.append(name: StringOffset(11), kind: .function, sizeOrType: proto.rawValue)
        t.append(name: StringOffset(13), kind: .typedef, sizeOrType: int.rawValue)
        t.append(name: StringOffset(15), kind: .enumeration, vlen: 1, sizeOrType: 4, tail: [17, 1])
        return t
    }

    func testAppendThroughFieldPositionsEqualsAppendByKind() {
        let u = unit()
        var positions: [UInt32] = []
        u.typeFieldPositions(of: 0..<u.count, into: &positions)
        XCTAssertEqual(positions.count, 11, "ptr, ptr, array elem+index, 2 members, proto ret+2 params, func, typedef")
        for prefix in [0, 1, 5] {
            var byKind = BTFTypeTable(), byPositions = BTFTypeTable()
            for _ in 0..<prefix {
                byKind.append(name: .empty, kind: .int, sizeOrType: 1, tail: [8])
                byPositions.append(name: .empty, kind: .int, sizeOrType: 1, tail: [8])
            }
            byKind.append(u)
            byPositions.append(u, typeFieldPositions: positions + [UInt32(u.words.count), UInt32.max])   // past the end: ignored
            XCTAssertEqual(byPositions.words, byKind.words, "after \(prefix) types")
            XCTAssertEqual(Array(byPositions.starts), Array(byKind.starts))
        }
    }
}

import BTF
import DWARF

/// The attributes of one DIE, gathered in one pass (the fields the rules below read).
extension UnitEncoder {
    // MARK: attributes of one DIE, gathered in one pass

    struct Attrs {
        var name: AttributeValue?
        var type: UInt32 = 0                  // unit-relative DIE offset, 0 = void
        var typeOutside = false               // a reference outside the unit
        var typeAbsolute: UInt32 = 0          // its section offset (DW_FORM_ref_addr); 0: none
        var byteSize: UInt64?
        var bitSize: UInt64?
        var encoding: UInt64 = 0
        var memberLocation: AttributeValue?
        var dataBitOffset: UInt64?
        var bitOffset: UInt64?
        var declaration = false
        var count: UInt64?
        var upperBound: AttributeValue?
        var lowerBound: UInt64?
        var constValue: AttributeValue?
        var external = false
        var location: AttributeValue?
        var origin: AttributeValue?
        var inlined = false
        var linkageName: AttributeValue?
        var lowPC = false
    }

    func gather(_ list: AttributeList) -> Attrs {
        list.withContiguousStorageIfAvailable { gather($0) } ?? gather(UnsafeBufferPointer<Attribute>(start: nil, count: 0))
    }

    func gather(_ list: UnsafeBufferPointer<Attribute>) -> Attrs {
        var a = Attrs()
        UnitEncoder.gather(list, into: &a, unitOffset: unit.offset, unitEnd: unit.end)
        return a
    }

    /// Fills `a` (reset first) in place: the hot loop reuses one `Attrs` instead of copying a
    /// fresh one out of every call. Static, as the other per-DIE helpers: calling an instance
    /// method of this (large) struct from a mutating context copies it, with a retain of every
    /// array it holds, on each call.
    static func gather(_ list: UnsafeBufferPointer<Attribute>, into a: inout Attrs, unitOffset: Int, unitEnd: Int) {
        a = Attrs()
        for at in list {
            switch at.name.rawValue {
            case 0x03: a.name = at.value
            case 0x49:
                switch at.value {
                case .unitReference(let r):
                    if r < UInt64(unitEnd - unitOffset) { a.type = UInt32(r) } else { a.typeOutside = true }
                case .sectionReference(let r):
                    if r >= UInt64(unitOffset) && r < UInt64(unitEnd) { a.type = UInt32(r - UInt64(unitOffset)) }
                    else { a.typeOutside = true; a.typeAbsolute = r <= UInt64(UInt32.max) ? UInt32(r) : 0 }
                default: a.typeOutside = true
                }
            case 0x0b: a.byteSize = at.value.unsignedValue
            case 0x0d: a.bitSize = at.value.unsignedValue
            case 0x3e: a.encoding = at.value.unsignedValue ?? 0
            case 0x38: a.memberLocation = at.value
            case 0x6b: a.dataBitOffset = at.value.unsignedValue
            case 0x0c: a.bitOffset = at.value.unsignedValue
            case 0x3c: a.declaration = at.value != .flag(false)
            case 0x37: a.count = at.value.unsignedValue
            case 0x2f: a.upperBound = at.value
            case 0x22: a.lowerBound = at.value.unsignedValue
            case 0x1c: a.constValue = at.value
            case 0x3f: a.external = at.value != .flag(false)
            case 0x02: a.location = at.value
            case 0x31, 0x47: a.origin = at.value
            case 0x20: a.inlined = true
            case 0x6e, 0x2007: a.linkageName = at.value
            case 0x16: a.constValue = at.value        // DW_AT_discr_value: only on variants, which have no const_value
            case 0x11: a.lowPC = true
            default: break
            }
        }
    }

}

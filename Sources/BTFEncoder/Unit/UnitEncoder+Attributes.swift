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

    /// The attributes `gather` reads: the DIE walk decodes only these where it can
    /// (`DIECursor.attributeFilter`). Keep it in step with the switch below.
    static let attributesRead = AttributeFilter([
        DIEAttribute.name, DIEAttribute.type, DIEAttribute.byteSize, DIEAttribute.bitSize, DIEAttribute.encoding,
        DIEAttribute.dataMemberLocation, DIEAttribute.dataBitOffset, DIEAttribute.bitOffset, DIEAttribute.declaration,
        DIEAttribute.count, DIEAttribute.upperBound, DIEAttribute.lowerBound, DIEAttribute.constValue, DIEAttribute.external,
        DIEAttribute.location, DIEAttribute.abstractOrigin, DIEAttribute.specification, DIEAttribute.inline,
        DIEAttribute.linkageName, DIEAttribute.mipsLinkageName, DIEAttribute.discrValue, DIEAttribute.lowPC,
    ].map { DWARFAttribute($0) })

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
            case DIEAttribute.name: a.name = at.value
            case DIEAttribute.type:
                switch at.value {
                case .unitReference(let r):
                    if r < UInt64(unitEnd - unitOffset) { a.type = UInt32(r) } else { a.typeOutside = true }
                case .sectionReference(let r):
                    if r >= UInt64(unitOffset) && r < UInt64(unitEnd) { a.type = UInt32(r - UInt64(unitOffset)) }
                    else { a.typeOutside = true; a.typeAbsolute = r <= UInt64(UInt32.max) ? UInt32(r) : 0 }
                default: a.typeOutside = true
                }
            case DIEAttribute.byteSize: a.byteSize = at.value.unsignedValue
            case DIEAttribute.bitSize: a.bitSize = at.value.unsignedValue
            case DIEAttribute.encoding: a.encoding = at.value.unsignedValue ?? 0
            case DIEAttribute.dataMemberLocation: a.memberLocation = at.value
            case DIEAttribute.dataBitOffset: a.dataBitOffset = at.value.unsignedValue
            case DIEAttribute.bitOffset: a.bitOffset = at.value.unsignedValue
            case DIEAttribute.declaration: a.declaration = at.value != .flag(false)
            case DIEAttribute.count: a.count = at.value.unsignedValue
            case DIEAttribute.upperBound: a.upperBound = at.value
            case DIEAttribute.lowerBound: a.lowerBound = at.value.unsignedValue
            case DIEAttribute.constValue: a.constValue = at.value
            case DIEAttribute.external: a.external = at.value != .flag(false)
            case DIEAttribute.location: a.location = at.value
            case DIEAttribute.abstractOrigin, DIEAttribute.specification: a.origin = at.value
            case DIEAttribute.inline: a.inlined = true
            case DIEAttribute.linkageName, DIEAttribute.mipsLinkageName: a.linkageName = at.value
            case DIEAttribute.discrValue: a.constValue = at.value    // only on variants, which have no const_value
            case DIEAttribute.lowPC: a.lowPC = true
            default: break
            }
        }
    }

}

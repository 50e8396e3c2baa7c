/// The DWARF tags the encoder's DIE loop switches on (DWARF 5 §7.5.3, Table 7.3; LLVM and GNU
/// extensions), as constants of this module so that the switches compile to jump tables.
enum DIETag {
    static let arrayType: UInt64 = 0x01
    static let classType: UInt64 = 0x02
    static let enumerationType: UInt64 = 0x04
    static let formalParameter: UInt64 = 0x05
    static let member: UInt64 = 0x0d
    static let pointerType: UInt64 = 0x0f
    static let referenceType: UInt64 = 0x10
    static let structureType: UInt64 = 0x13
    static let subroutineType: UInt64 = 0x15
    static let typedef: UInt64 = 0x16
    static let unionType: UInt64 = 0x17
    static let unspecifiedParameters: UInt64 = 0x18
    static let variant: UInt64 = 0x19
    static let subrangeType: UInt64 = 0x21
    static let inheritance: UInt64 = 0x1c
    static let inlinedSubroutine: UInt64 = 0x1d
    static let ptrToMemberType: UInt64 = 0x1f
    static let baseType: UInt64 = 0x24
    static let constType: UInt64 = 0x26
    static let enumerator: UInt64 = 0x28
    static let subprogram: UInt64 = 0x2e
    static let variantPart: UInt64 = 0x33
    static let variable: UInt64 = 0x34
    static let volatileType: UInt64 = 0x35
    static let restrictType: UInt64 = 0x37
    static let namespace: UInt64 = 0x39
    static let unspecifiedType: UInt64 = 0x3b
    static let rvalueReferenceType: UInt64 = 0x42
    static let sharedType: UInt64 = 0x43
    static let atomicType: UInt64 = 0x47
    static let callSite: UInt64 = 0x48
    static let immutableType: UInt64 = 0x4b
    static let gnuCallSite: UInt64 = 0x4109
    static let llvmAnnotation: UInt64 = 0x6000
    static let gnuAnnotation: UInt64 = 0x6001
}

/// Where a section's first byte is taken to be in the address space the file's addresses live in
/// (ELF spec "Sections", sh_addr; "Relocation", S).
///
/// A linked file (ET_EXEC, ET_DYN) says it: sh_addr. In a relocatable object (ET_REL) every
/// section's sh_addr is 0, so an address alone cannot tell `.data`'s first variable from `.bss`'s.
/// There the allocated (SHF_ALLOC) sections are laid out one after another in section-header
/// order, each at its own alignment (alignments that are not a power of two, or above 1 MiB, count
/// as 1), the way a linker would place them; sections that are not allocated (debug sections)
/// stay at 0, so DWARF's offsets into `.debug_str`, `.debug_line` … are unchanged. Every address
/// then names one byte of one section, and subtracting the section's placed address gives the
/// offset inside it.
public enum SectionPlacement {
    public static let SHF_ALLOC: UInt64 = 0x2
    public static let ET_REL: UInt16 = 1
    static let maximumAlignment: UInt64 = 1 << 20

    /// The placed address of each section, indexed like `sections`.
    public static func addresses(of sections: [ELFSection], fileType: UInt16) -> [UInt64] {
        guard fileType == ET_REL else { return sections.map(\.address) }
        var next: UInt64 = 0
        var placed: [UInt64] = []
        placed.reserveCapacity(sections.count)
        for s in sections {
            guard s.flags & SHF_ALLOC != 0 else { placed.append(0); continue }
            let a = s.alignment
            if a > 1, a <= maximumAlignment, a & (a - 1) == 0 { next = (next &+ a &- 1) & ~(a &- 1) }
            placed.append(next)
            // A malformed size must not wrap the layout around onto earlier sections.
            let (end, overflow) = next.addingReportingOverflow(max(s.size, 1))
            next = overflow ? next : end
        }
        return placed
    }
}

extension ELFFile {
    /// This file with its sections placed by `SectionPlacement`: in an ET_REL file, relocated
    /// DWARF addresses and symbol keys then name one section's byte each (what the encoder
    /// needs, and what pahole gets from libdwfl). Without it, addresses are sh_addr-based as a
    /// linker-less reader such as llvm-dwarfdump shows them.
    public func withLaidOutSections() -> ELFFile {
        var copy = self
        copy.placedAddresses = SectionPlacement.addresses(of: sections, fileType: type)
        return copy
    }

    /// The placed address of section `index` (see `SectionPlacement`); 0 for an index out of range.
    public func placedAddress(ofSection index: Int) -> UInt64 {
        index >= 0 && index < placedAddresses.count ? placedAddresses[index] : 0
    }
}

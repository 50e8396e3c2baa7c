/// Overflow-checked arithmetic for values derived from input.
/// Each returns nil instead of trapping.
extension FixedWidthInteger {
    @inline(__always)
    public func adding(checked other: Self) -> Self? {
        let (r, o) = addingReportingOverflow(other)
        return o ? nil : r
    }

    @inline(__always)
    public func multiplied(checked other: Self) -> Self? {
        let (r, o) = multipliedReportingOverflow(by: other)
        return o ? nil : r
    }

    @inline(__always)
    public func subtracting(checked other: Self) -> Self? {
        let (r, o) = subtractingReportingOverflow(other)
        return o ? nil : r
    }
}

extension Int {
    /// Converts an input-derived unsigned value to Int, or nil when it does not fit.
    @inline(__always)
    public init?(checked value: UInt64) {
        guard value <= UInt64(Int.max) else { return nil }
        self = Int(value)
    }
}

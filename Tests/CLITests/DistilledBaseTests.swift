import XCTest
import Foundation
import BTF
import BTFFormat
import TestSupport

/// distilled_base (`DistilledBase`): the front end's `.BTF.base` and `.BTF` for Debian's
/// virtio_net 6.1 module over its vmlinux BTF equal what pahole 1.31 (libbpf's
/// btf__distill_base) wrote (testdata/reference, with the command in their first lines).
final class DistilledBaseTests: XCTestCase {
    func reference(_ name: String) throws -> String {
        try String(contentsOfFile: Repo.testdata("reference/" + name), encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("#") }.joined(separator: "\n")
    }

    func dump(_ blob: [UInt8], base: BTFFile? = nil) throws -> String {
        var out = TextOutput()
        RawDumper(try BTFFile(bytes: blob, base: base)).dump(into: &out)
        return out.string
    }

    func testModuleEqualsPahole131() throws {
        let dir = NSTemporaryDirectory() + "btfkit-distill-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let ko = dir + "/virtio_net.ko", base = dir + "/vmlinux.btf", pahole = dir + "/pahole"
        try Data(try BTFInput.readMaybeCompressed(Repo.testdata("kernel/virtio_net-6.1.ko.gz"))).write(to: URL(fileURLWithPath: ko))
        try Data(try BTFInput.readMaybeCompressed(Repo.testdata("kernel/vmlinux-6.1.btf.gz"))).write(to: URL(fileURLWithPath: base))
        try FileManager.default.createSymbolicLink(atPath: pahole, withDestinationPath: BTFKitCLI().binary)
        let r = try ExternalTool.capture(pahole, ["-J", "--btf_features=default,distilled_base", "--btf_base", base, ko])
        XCTAssertEqual(r.status, 0, String(decoding: r.err, as: UTF8.self))
        let baseBlob = try BTFInput.section(".BTF.base", of: try BTFInput.readFile(ko), path: ko)
        let splitBlob = try BTFInput.section(".BTF", of: try BTFInput.readFile(ko), path: ko)
        XCTAssertEqual(try dump(baseBlob), try reference("virtio_net-6.1.distilled-base.pahole-1.31.txt"))
        let distilled = try BTFFile(bytes: baseBlob)
        XCTAssertEqual(try dump(splitBlob, base: distilled), try reference("virtio_net-6.1.distilled-split.pahole-1.31.txt"))
        XCTAssertNil(KernelValidator(bytes: splitBlob, base: distilled).validate())
        // Detached output ignores distilled_base, as pahole does.
        let raw = dir + "/raw.btf"
        XCTAssertEqual(try ExternalTool.capture(pahole, ["-J", "--btf_features=default,distilled_base", "--btf_base", base,
                                                         "--btf_encode_detached=" + raw, ko]).status, 0)
        XCTAssertTrue(try dump(try BTFInput.readFile(raw), base: try BTFFile(bytes: try BTFInput.readFile(base))).hasPrefix("[94976] "))
    }

    /// A split BTF that points at a base FUNC cannot be distilled: an error naming the type.
    func testBaseKindsADistilledBaseCannotHold() throws {
        var b = BTFBuilder()
        let int = b.add(.int(BTFInt(name: b.string("int"), size: 4, encoding: .signed, bits: 32)))
        let proto = b.add(.functionProto(BTFFunctionProto(returnType: int, parameters: [])))
        b.add(.function(BTFFunction(name: b.string("f"), proto: proto, linkage: .global)))
        let base = try BTFFile(bytes: b.build())
        var s = BTFBuilder(base: base)
        s.add(.declTag(BTFDeclTag(value: s.string("tag"), target: TypeID(3), componentIndex: -1)))
        let split = try BTFFile(bytes: s.build(), base: base)
        XCTAssertThrowsError(try DistilledBase.distill(split)) { e in
            XCTAssertEqual((e as? BTFError)?.typeID, TypeID(3), "\(e)")
        }
    }
}

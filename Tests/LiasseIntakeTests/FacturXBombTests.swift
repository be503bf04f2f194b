import Foundation
import Testing
@testable import LiasseIntake

/// The 300 MB inflating attachment: built at test time by the project's fixture script
/// (never committed), refused under the cap.
@Suite("Factur-X decompression bomb")
struct FacturXBombTests {
    static func makeBomb() throws -> (bytes: [UInt8], folder: URL) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("liasse-bomb-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let output = folder.appendingPathComponent("bomb.pdf")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", FacturXFixtures.checkout.appendingPathComponent("scripts/fixtures/make_facturx.py").path,
                             "--bomb", output.path]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return ([UInt8](try Data(contentsOf: output)), folder)
    }

    @Test("a small PDF carrying 300 MB of XML is refused at the cap")
    func bombRefused() throws {
        let (bytes, folder) = try Self.makeBomb()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(bytes.count < 1024 * 1024, "the bomb PDF should be small, it is \(bytes.count) bytes")
        let clock = ContinuousClock()
        var reading: FacturXReading?
        let elapsed = clock.measure { reading = FacturXReader.read(bytes, limits: .default) }
        guard case .refused(let findings) = reading else {
            Issue.record("the bomb was not refused")
            return
        }
        #expect(findings.map(\.rule) == ["LIASSE-FX-05"])
        #expect(findings[0].code == .fileSize)
        #expect(elapsed < .seconds(10))
    }

    @Test("the inflater stops at its cap, and says so")
    func inflaterStops() throws {
        let (bytes, folder) = try Self.makeBomb()
        defer { try? FileManager.default.removeItem(at: folder) }
        // The raw stream sits between "stream\n" and "\nendstream" of the one big object.
        let text = bytes
        guard let start = text.firstRange(of: Array("stream\n\u{78}".utf8)) else {
            Issue.record("no zlib stream found in the bomb")
            return
        }
        let raw = Array(text[(start.lowerBound + 7)...])
        let result = CappedInflater.inflate(raw, limit: 1024 * 1024)
        #expect(result == .failure(.tooLarge(limit: 1024 * 1024)))
    }

    @Test("corrupt deflate data is reported, not crashed on")
    func corruptData() {
        let result = CappedInflater.inflate([0x78, 0x9c, 0xff, 0xff, 0xff, 0xff, 0x00, 0x12], limit: 1000)
        guard case .failure(.corrupt) = result else {
            Issue.record("expected a corrupt-data failure, got \(result)")
            return
        }
    }
}

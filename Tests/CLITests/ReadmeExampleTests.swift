import XCTest
import Foundation
import ArgumentParser
@testable import btfkit
import TestSupport

/// Every `btfkit …` example in the README parses with today's command line: option names, values
/// (such as `--btf-features -float,global_var`) and subcommands. The files they name need not
/// exist: parsing is what an example's syntax promises.
final class ReadmeExampleTests: XCTestCase {
    /// The example command lines: lines in ```sh blocks that run btfkit (also behind `$ ` or
    /// `sudo `), without trailing `# comments`, split as a shell would (quotes, no expansion).
    static func examples() throws -> [[String]] {
        let text = try String(contentsOfFile: Repo.root + "/README.md", encoding: .utf8)
        var inShell = false
        var result: [[String]] = []
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("```") { inShell = line == "```sh" && !inShell; continue }
            guard inShell else { continue }
            var words = shellWords(line)
            while let first = words.first, first == "$" || first == "sudo" { words.removeFirst() }
            guard words.first == "btfkit" else { continue }
            result.append(Array(words.dropFirst()))
        }
        return result
    }

    /// Splits like sh: whitespace separates words, '…' and "…" quote, # starts a comment.
    static func shellWords(_ line: String) -> [String] {
        var words: [String] = [], current = "", quote: Character? = nil, inWord = false
        for c in line {
            if let q = quote {
                if c == q { quote = nil } else { current.append(c) }
            } else if c == "'" || c == "\"" {
                quote = c; inWord = true
            } else if c == " " || c == "\t" {
                if inWord { words.append(current); current = ""; inWord = false }
            } else if c == "#" && !inWord {
                break
            } else if c == "|" || c == ">" || c == ";" || c == "&" {
                break                                         // the rest belongs to the shell
            } else {
                current.append(c); inWord = true
            }
        }
        if inWord { words.append(current) }
        return words
    }

    func testEveryReadmeExampleParses() throws {
        let examples = try ReadmeExampleTests.examples()
        XCTAssertGreaterThan(examples.count, 30, "the README's examples were not found")
        for args in examples {
            do {
                _ = try BTFKitCommand.parseAsRoot(args)
            } catch {
                // --help / --version end parsing with a clean exit: that's success.
                let code = BTFKitCommand.exitCode(for: error)
                XCTAssertEqual(code, .success, "btfkit \(args.joined(separator: " ")): \(BTFKitCommand.message(for: error))")
            }
        }
    }

    /// The value syntax the README teaches for feature lists, both spellings.
    func testFeatureListsStartingWithMinusParse() throws {
        for args in [["encode", "x.o", "--btf-features", "-float,global_var"], ["encode", "x.o", "--btf-features=-float"],
                     ["encode", "x.o", "--btf-features", "-float"]] {
            let parsed = try BTFKitCommand.parseAsRoot(args)
            guard let encode = parsed as? EncodeCommand else { return XCTFail("\(args) parsed as \(type(of: parsed))") }
            let options = try encode.encoderOptions()
            XCTAssertFalse(options.floats, "\(args)")
        }
    }
}

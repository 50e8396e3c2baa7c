import BTFEncoder

/// pahole's command line, as kernels 5.15 to 6.12+ use it (scripts/Makefile.btf,
/// scripts/link-vmlinux.sh, scripts/Makefile.modfinal) for `-J`, parsed the way pahole's argp does
/// (docs/pahole-front-end.md): short options may be grouped (`-Jj2`), `-j` takes an optional
/// attached count, long options take `--opt=VALUE` or `--opt VALUE` (optional arguments only
/// attached), `--` ends options. Anything else pahole knows but btfkit does not do, or pahole does
/// not know, is a usage error naming it.
struct PaholeCommandLine: Equatable {
    /// One option that changes features, kept in command-line order: pahole applies its old
    /// switches and its `--btf_features` lists in that order.
    enum FeatureStep: Equatable {
        case list(String, strict: Bool)
        case switchOn(BTFFeature)
        case switchOff(BTFFeature)
        case genAll
    }

    var encode = false
    var jobs: Int? = nil                 // -j without a count: every core
    var jobsGiven = false
    var steps: [FeatureStep] = []
    var supportedFeatures = false
    var version = false
    var verbose = false
    var detached: String?
    var base: String?
    var languageExclude: [String] = []
    var files: [String] = []

    struct UsageError: Error, Equatable, CustomStringConvertible {
        var description: String
    }

    /// The switches of pahole ≤ 1.25 and their features (pahole 1.31's table).
    static let oldSwitches: [String: FeatureStep] = [
        "btf_gen_floats": .switchOn(.float),
        "skip_encoding_btf_vars": .switchOff(.variables),
        "skip_encoding_btf_decl_tag": .switchOff(.declTag),
        "skip_encoding_btf_type_tag": .switchOff(.typeTag),
        "skip_encoding_btf_enum64": .switchOff(.enum64),
        "skip_encoding_btf_inconsistent_proto": .switchOn(.consistentFunc),
        "btf_gen_optimized": .switchOn(.optimizedFunc),
        "btf_encode_force": .switchOn(.encodeForce),
        "btf_gen_all": .genAll,
    ]

    static func parse(_ args: [String]) throws(UsageError) -> PaholeCommandLine {
        var c = PaholeCommandLine()
        var i = 0
        var onlyFiles = false
        func value(_ name: String, attached: String?) throws(UsageError) -> String {
            if let attached { return attached }
            guard i + 1 < args.count else { throw UsageError(description: "option '--\(name)' requires an argument") }
            i += 1
            return args[i]
        }
        while i < args.count {
            let a = args[i]
            defer { i += 1 }
            if onlyFiles || a == "-" || !a.hasPrefix("-") { c.files.append(a); continue }
            if a == "--" { onlyFiles = true; continue }
            if a.hasPrefix("--") {
                let body = a.dropFirst(2)
                let name = String(body.prefix { $0 != "=" })
                let attached = body.contains("=") ? String(body.drop { $0 != "=" }.dropFirst()) : nil
                if let step = oldSwitches[name] {
                    guard attached == nil else { throw UsageError(description: "option '--\(name)' doesn't allow an argument") }
                    c.steps.append(step)
                    continue
                }
                switch name {
                case "btf_encode": c.encode = true
                case "jobs":
                    c.jobsGiven = true
                    if let attached { c.jobs = try count(attached, "--jobs") }
                case "btf_features": c.steps.append(.list(try value(name, attached: attached), strict: false))
                case "btf_features_strict": c.steps.append(.list(try value(name, attached: attached), strict: true))
                case "supported_btf_features": c.supportedFeatures = true
                case "btf_encode_detached": c.detached = try value(name, attached: attached); c.encode = true
                case "btf_base": c.base = try value(name, attached: attached)
                case "lang_exclude": c.languageExclude += try value(name, attached: attached).split(separator: ",").map(String.init)
                case "version": c.version = true
                case "verbose": c.verbose = true
                default: throw UsageError(description: "option '--\(name)' is not supported by btfkit's pahole (it encodes BTF: -J)")
                }
                continue
            }
            // Short options, possibly grouped: -J, -V, -j[N].
            var rest = Substring(a.dropFirst())
            while let ch = rest.first {
                rest = rest.dropFirst()
                switch ch {
                case "J": c.encode = true
                case "V": c.verbose = true
                case "j":
                    c.jobsGiven = true
                    if !rest.isEmpty { c.jobs = try count(String(rest), "-j"); rest = "" }
                default: throw UsageError(description: "option '-\(ch)' is not supported by btfkit's pahole (it encodes BTF: -J)")
                }
            }
        }
        return c
    }

    static func count(_ s: String, _ option: String) throws(UsageError) -> Int {
        guard let n = Int(s), n > 0 else { throw UsageError(description: "\(option): '\(s)' is not a number of jobs") }
        return n
    }

    /// The features, as pahole 1.31 decides them: its defaults without any list (var, decl_tag,
    /// type_tag, enum64; clones always find their function), then each step in order. The first
    /// `--btf_features*` list starts from nothing; later lists add (`BTFFeatureSet.parsePahole`).
    func features() throws(UnknownBTFFeature) -> (set: BTFFeatureSet, ignored: [UnknownBTFFeature]) {
        var set = BTFFeatureSet([.variables, .declTag, .typeTag, .enum64, .optimizedFunc])
        var ignored: [UnknownBTFFeature] = []
        var sawList = false
        for step in steps {
            switch step {
            case .list(let list, let strict):
                let parsed = try BTFFeatureSet.parsePahole([list], strict: strict)
                if !sawList { set = BTFFeatureSet([.optimizedFunc]) }
                sawList = true
                set.features.formUnion(parsed.set.features)
                ignored += parsed.ignored
            case .switchOn(let f): set.features.insert(f)
            case .switchOff(let f): set.features.remove(f)
            case .genAll:
                // pahole ≥ 1.27 parses "all", which names nothing: every feature is reset.
                set = BTFFeatureSet([.optimizedFunc])
                sawList = true
            }
        }
        return (set, ignored)
    }
}

/// pahole's `--lang_exclude` names (dwarves `lang__str2int`: DW_LANG_* without the prefix,
/// lower case) → DW_AT_language values (DWARF 5 Table 7.17).
enum DWARFLanguageNames {
    static let codes: [String: UInt64] = [
        "c89": 0x01, "c": 0x02, "ada83": 0x03, "c_plus_plus": 0x04, "cobol74": 0x05, "cobol85": 0x06,
        "fortran77": 0x07, "fortran90": 0x08, "pascal83": 0x09, "modula2": 0x0a, "java": 0x0b, "c99": 0x0c,
        "ada95": 0x0d, "fortran95": 0x0e, "pli": 0x0f, "objc": 0x10, "objc_plus_plus": 0x11, "upc": 0x12,
        "d": 0x13, "python": 0x14, "opencl": 0x15, "go": 0x16, "modula3": 0x17, "haskell": 0x18,
        "c_plus_plus_03": 0x19, "c_plus_plus_11": 0x1a, "ocaml": 0x1b, "rust": 0x1c, "c11": 0x1d,
        "swift": 0x1e, "julia": 0x1f, "dylan": 0x20, "c_plus_plus_14": 0x21, "fortran03": 0x22,
        "fortran08": 0x23, "renderscript": 0x24, "bliss": 0x25, "mips_assembler": 0x8001,
    ]
}

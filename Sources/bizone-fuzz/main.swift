import BizOneFuzzing
import CFuzzDriver
import Foundation

/// stderr without touching the C global (which strict concurrency refuses).
func report(_ text: String) {
    let bytes = Array((text + "\n").utf8)
    _ = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
}

// `BIZONE_FUZZ_TARGET=json|webhook|yaml|csv bizone-fuzz [libFuzzer options] [corpus dirs]`.
// Built by `make fuzz` with `FUZZ=1`, which links libFuzzer; any finding traps so libFuzzer
// keeps the input as a crash artifact.

let name = ProcessInfo.processInfo.environment["BIZONE_FUZZ_TARGET"] ?? ""
guard let target = FuzzTarget(rawValue: name) else {
    report("set BIZONE_FUZZ_TARGET to one of: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", "))")
    exit(2)
}
let selected = target

var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv) { bytes, size in
    let data = bytes.map { Data(bytes: $0, count: size) } ?? Data()
    if let finding = selected.run(data) {
        report("finding: \(finding)")
        abort()
    }
    return 0
})

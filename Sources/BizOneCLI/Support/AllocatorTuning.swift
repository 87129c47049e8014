/// glibc's allocator settings for a long-running server.
///
/// Measured under webhook load (perf, `make bench`): with glibc's defaults the per-thread arenas
/// of the Swift concurrency pool grew and were trimmed back over and over, and the `madvise`
/// calls, the page faults of touching the returned memory again and the TLB shootdowns between
/// the two cores took about a fifth of `bizone serve`'s CPU. Keeping freed memory (up to the
/// trim threshold) and a fixed mmap threshold (glibc otherwise moves it, which re-enables
/// trimming) stops that churn; the resident size stays bounded by the peak the load needed.
enum AllocatorTuning {
    static let trimThreshold: Int32 = 256 << 20
    static let mmapThreshold: Int32 = 32 << 20

    static func forServer() {
        #if os(Linux)
        // <malloc.h>'s M_TRIM_THRESHOLD and M_MMAP_THRESHOLD (Swift's Glibc module does not
        // export mallopt).
        _ = glibcMallopt(-1, trimThreshold)
        _ = glibcMallopt(-3, mmapThreshold)
        #endif
    }
}

#if os(Linux)
@_silgen_name("mallopt")
private func glibcMallopt(_ parameter: Int32, _ value: Int32) -> Int32
#endif

#ifndef BIZONE_CFUZZDRIVER_H
#define BIZONE_CFUZZDRIVER_H

#include <stddef.h>
#include <stdint.h>

/// libFuzzer's entry point for programs that keep their own main (the Swift executable does).
/// With `-sanitize=fuzzer` libFuzzer's definition is linked; without it, the weak fallback in
/// driver.c replays the files named on the command line once each.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif

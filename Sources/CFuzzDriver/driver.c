#include "CFuzzDriver.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/// Replays each file argument (options starting with '-' are skipped): what a normal build of
/// `bizone-fuzz` does, so it links and can reproduce a kept input without libFuzzer.
__attribute__((weak)) int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *, size_t)) {
    int replayed = 0;
    for (int index = 1; index < *argc; index++) {
        const char *path = (*argv)[index];
        if (path[0] == '-') continue;
        FILE *file = fopen(path, "rb");
        if (!file) { fprintf(stderr, "cannot open %s\n", path); return 1; }
        size_t capacity = 1 << 16, size = 0;
        uint8_t *buffer = malloc(capacity);
        size_t count;
        while (buffer && (count = fread(buffer + size, 1, capacity - size, file)) > 0) {
            size += count;
            if (size == capacity) {
                capacity *= 2;
                uint8_t *grown = realloc(buffer, capacity);
                if (!grown) { free(buffer); buffer = NULL; }
                else buffer = grown;
            }
        }
        fclose(file);
        if (!buffer) { fprintf(stderr, "out of memory reading %s\n", path); return 1; }
        callback(buffer, size);
        free(buffer);
        replayed++;
    }
    fprintf(stderr, "replayed %d input(s) without libFuzzer (build with FUZZ=1 to fuzz)\n", replayed);
    return 0;
}

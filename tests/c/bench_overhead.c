/* Per-call cost of scanning the ~2 KB benchmark prompt through the C ABI with the default scanner:
 * rg_scanner_scan plus rg_findings_free, as a C caller pays it. Prints `c  <median> µs/call`
 * (median of 7 runs); `make bench` subtracts the same scan measured in Rust.
 *
 * Usage: bench_overhead <bench-prompt.txt> [calls per run] */
#define _POSIX_C_SOURCE 200809L
#include <routeguard.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define RUNS 7

static double now_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int compare(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s <bench-prompt.txt> [calls per run]\n", argv[0]);
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    if (!f) {
        fprintf(stderr, "bench_overhead: cannot open %s\n", argv[1]);
        return 2;
    }
    static char prompt[1 << 16];
    size_t len = fread(prompt, 1, sizeof prompt, f);
    fclose(f);
    long calls = argc > 2 ? atol(argv[2]) : 2000;

    rg_scanner *scanner = NULL;
    if (rg_scanner_new(NULL, 0, RG_CONFIG_DEFAULT, &scanner, NULL) != RG_OK) return 1;
    size_t found = 0;
    for (int i = 0; i < 200; i++) { /* warm up: lazy tables, regex caches */
        rg_findings *findings = NULL;
        if (rg_scanner_scan(scanner, (const uint8_t *)prompt, len, &findings, NULL) != RG_OK) return 1;
        found = rg_findings_len(findings);
        rg_findings_free(findings);
    }
    double per_call[RUNS];
    for (int run = 0; run < RUNS; run++) {
        double start = now_us();
        for (long i = 0; i < calls; i++) {
            rg_findings *findings = NULL;
            rg_scanner_scan(scanner, (const uint8_t *)prompt, len, &findings, NULL);
            rg_findings_free(findings);
        }
        per_call[run] = (now_us() - start) / (double)calls;
    }
    rg_scanner_free(scanner);
    qsort(per_call, RUNS, sizeof *per_call, compare);
    fprintf(stderr, "bench_overhead: %zu bytes, %zu findings, %ld calls x %d runs\n", len, found, calls, RUNS);
    printf("c  %.2f µs/call\n", per_call[RUNS / 2]);
    return 0;
}

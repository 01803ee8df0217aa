/* Assertions shared by the C tests: each failed check prints where and why, and the test exits 1
 * at the end (so one run reports every failure). */
#ifndef RG_TEST_CHECK_H
#define RG_TEST_CHECK_H

#include <routeguard.h>
#include <stdio.h>
#include <string.h>

static int check_failures = 0;
static const char *check_context = "";

#define CHECK(cond)                                                                        \
    do {                                                                                   \
        if (!(cond)) {                                                                     \
            fprintf(stderr, "%s:%d: [%s] check failed: %s\n", __FILE__, __LINE__,          \
                    check_context, #cond);                                                 \
            check_failures++;                                                              \
        }                                                                                  \
    } while (0)

#define CHECK_EQ_SIZE(actual, expected)                                                    \
    do {                                                                                   \
        size_t a_ = (size_t)(actual), e_ = (size_t)(expected);                             \
        if (a_ != e_) {                                                                    \
            fprintf(stderr, "%s:%d: [%s] %s == %zu, expected %zu\n", __FILE__, __LINE__,   \
                    check_context, #actual, a_, e_);                                       \
            check_failures++;                                                              \
        }                                                                                  \
    } while (0)

/* An rg_str equals a C string (compared with its length, so NULs inside count). */
static int str_is(rg_str s, const char *expected) {
    return s.data != NULL && s.len == strlen(expected) && memcmp(s.data, expected, s.len) == 0;
}

/* An rg_str equals (ptr, len). */
static int str_eq(rg_str s, const char *expected, size_t len) {
    return s.data != NULL && s.len == len && memcmp(s.data, expected, len) == 0;
}

#define CHECK_STR(actual, expected)                                                        \
    do {                                                                                   \
        rg_str s_ = (actual);                                                              \
        const char *e_ = (expected);                                                       \
        if (!str_is(s_, e_)) {                                                             \
            fprintf(stderr, "%s:%d: [%s] %s == \"%.*s\", expected \"%s\"\n", __FILE__,     \
                    __LINE__, check_context, #actual, (int)s_.len, s_.data, e_);          \
            check_failures++;                                                              \
        }                                                                                  \
    } while (0)

/* Checks that a fallible call succeeded; otherwise reports its error (and frees it). Returns 1 on
 * success. Use as `if (!ok(rg_x(..., &err), err, "what")) ...` with `rg_error *err = NULL`. */
#define ok(result, err, what) ok_at(__FILE__, __LINE__, (result), &(err), (what))
static int ok_at(const char *file, int line, rg_result result, rg_error **errp, const char *what) {
    if (result == RG_OK) return 1;
    rg_error *err = *errp; /* read after the call: arguments are all evaluated first */
    *errp = NULL;
    rg_str name = rg_error_code(err), message = rg_error_message(err);
    fprintf(stderr, "%s:%d: [%s] %s failed: %u %.*s: %.*s\n", file, line, check_context, what,
            (unsigned)result, (int)name.len, name.data, (int)message.len, message.data);
    rg_error_free(err);
    check_failures++;
    return 0;
}

static int check_summary(const char *name) {
    if (check_failures) {
        fprintf(stderr, "%s: %d check(s) failed\n", name, check_failures);
        return 1;
    }
    printf("%s: ok\n", name);
    return 0;
}

#endif

/* Runs every case of every file of the conformance corpus (tests/conformance) through the C API.
 * Files are found by listing the directories, so files added later run too; an unknown directory
 * or file, or a case whose `op` does not match its file, fails the run. C offsets are bytes, so
 * each expected `byte_start`/`byte_end` is compared with both `rg_finding_start`/`_end` and
 * `rg_finding_byte_start`/`_end`. Policy cases (policy/) run over policy/catalog.json, and check
 * the accessors and the JSON forms of decisions and verifications against each other. Budget
 * cases (budget/) run the ledger steps on memory:, a fresh SQLite file and, when
 * ROUTEGUARD_TEST_POSTGRES names a database, a fresh PostgreSQL schema (made with psql), and the
 * guard's reservations on memory:. Audit cases (audit/) write golden records byte for byte
 * (memory and callback sinks), verify mutated logs (every one-byte change of one of them too),
 * write records through the guard, and canonicalise JSON (RFC 8785). Governed calls (governed/)
 * run against the local OpenRouter stand-in (tests/mock-openrouter/server.py, started with popen
 * next to the corpus on first use and stopped at the end), through rg_client (chat, stream) and
 * rg_governor with this runner's own HTTP (libcurl) for `complete` mode.
 *
 * Usage: conformance <tests/conformance dir> */
#define _POSIX_C_SOURCE 200809L
#include <curl/curl.h>
#include <dirent.h>
#include <signal.h>
#include <stdint.h>
#include <sys/types.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "json.h"

static char context[512];
static int cases_run = 0;

static void set_context(const char *file, const jv *c) {
    const char *name = json_str(c, "name");
    snprintf(context, sizeof context, "%s: %s", file, name ? name : "(unnamed)");
    check_context = context;
    cases_run++;
}

static size_t number(const jv *object, const char *key) {
    const jv *v = json_get(object, key);
    if (!v || v->type != J_NUMBER) {
        fprintf(stderr, "[%s] expectation has no number `%s`\n", check_context, key);
        check_failures++;
        return (size_t)-1;
    }
    return (size_t)v->number;
}

static int boolean(const jv *object, const char *key) {
    const jv *v = json_get(object, key);
    if (!v || v->type != J_BOOL) {
        fprintf(stderr, "[%s] expectation has no boolean `%s`\n", check_context, key);
        check_failures++;
        return -1;
    }
    return v->boolean;
}

/* The string at `key` as (ptr, len); "" when missing (and the check then fails on its own). */
static const jv *string_value(const jv *object, const char *key) {
    const jv *v = json_get(object, key);
    if (!v || v->type != J_STRING) {
        fprintf(stderr, "[%s] case has no string `%s`\n", check_context, key);
        check_failures++;
        return NULL;
    }
    return v;
}

/* A scanner from a case's `config`: null is the default profile, an object is sent as JSON. */
static rg_scanner *scanner_for(const jv *c) {
    const jv *config = json_get(c, "config");
    rg_scanner *scanner = NULL;
    rg_error *err = NULL;
    if (!config || config->type == J_NULL) {
        if (!ok(rg_scanner_new(NULL, 0, RG_CONFIG_DEFAULT, &scanner, &err), err, "default scanner")) {
            return NULL;
        }
        return scanner;
    }
    size_t len;
    char *json = json_write(config, &len);
    rg_result r = rg_scanner_new((const uint8_t *)json, len, RG_CONFIG_JSON, &scanner, &err);
    free(json);
    return ok(r, err, "rg_scanner_new") ? scanner : NULL;
}

/* Options from a case's `options` ({action?, hash_key?}), `action` overriding it when not NULL. */
static rg_options *options_for(const jv *c, const char *action, rg_vault *vault) {
    const jv *options = json_get(c, "options");
    rg_options *out = NULL;
    rg_error *err = NULL;
    if (!ok(rg_options_new(&out, &err), err, "rg_options_new")) return NULL;
    const char *name = action ? action : json_str(options, "action");
    if (name && !ok(rg_options_set_action(out, (const uint8_t *)name, strlen(name), &err), err,
                    "rg_options_set_action")) {
        rg_options_free(out);
        return NULL;
    }
    const jv *key = json_get(options, "hash_key");
    if (key && key->type == J_STRING &&
        !ok(rg_options_set_hash_key(out, (const uint8_t *)key->text, key->text_len, &err), err,
            "rg_options_set_hash_key")) {
        rg_options_free(out);
        return NULL;
    }
    if (vault && !ok(rg_options_set_vault(out, vault, &err), err, "rg_options_set_vault")) {
        rg_options_free(out);
        return NULL;
    }
    return out;
}

static rg_redaction *redact(const rg_scanner *scanner, const jv *text, const rg_options *options) {
    rg_redaction *out = NULL;
    rg_error *err = NULL;
    if (!ok(rg_scanner_redact(scanner, (const uint8_t *)text->text, text->text_len, options, &out, &err),
            err, "rg_scanner_redact")) {
        return NULL;
    }
    return out;
}

/* Compares findings with expectations, in order: detector, category (when given), byte offsets
 * as C's start/end and as byte_start/byte_end, and path (when given). */
static void compare_findings(const rg_findings *found, const jv *expected) {
    if (!expected || expected->type != J_ARRAY) {
        fprintf(stderr, "[%s] expectation has no findings array\n", check_context);
        check_failures++;
        return;
    }
    CHECK_EQ_SIZE(rg_findings_len(found), expected->len);
    for (size_t i = 0; i < expected->len && i < rg_findings_len(found); i++) {
        const jv *e = expected->items[i];
        const rg_finding *f = rg_findings_get(found, i);
        CHECK_STR(rg_finding_detector(f), json_str(e, "detector"));
        if (json_get(e, "category")) CHECK_STR(rg_finding_category(f), json_str(e, "category"));
        if (json_get(e, "path")) CHECK_STR(rg_finding_path(f), json_str(e, "path"));
        CHECK_EQ_SIZE(rg_finding_start(f), number(e, "byte_start"));
        CHECK_EQ_SIZE(rg_finding_end(f), number(e, "byte_end"));
        CHECK_EQ_SIZE(rg_finding_byte_start(f), number(e, "byte_start"));
        CHECK_EQ_SIZE(rg_finding_byte_end(f), number(e, "byte_end"));
    }
}

static void check_text(rg_str actual, const jv *expected) {
    if (!expected) return;
    if (!str_eq(actual, expected->text, expected->text_len)) {
        fprintf(stderr, "[%s] text \"%.*s\", expected \"%s\"\n", check_context, (int)actual.len,
                actual.data, expected->text);
        check_failures++;
    }
}

/* cases.json: scan -> exactly `findings`; redact with action "redact" -> `redacted`. */
static void run_cases(const char *file, const jv *c) {
    set_context(file, c);
    const jv *text = string_value(c, "text");
    rg_scanner *scanner = scanner_for(c);
    if (!text || !scanner) goto done;
    rg_findings *found = NULL;
    rg_error *err = NULL;
    if (ok(rg_scanner_scan(scanner, (const uint8_t *)text->text, text->text_len, &found, &err), err,
           "rg_scanner_scan")) {
        compare_findings(found, json_get(c, "findings"));
        for (size_t i = 0; i < rg_findings_len(found); i++) {
            CHECK(rg_finding_end(rg_findings_get(found, i)) <= text->text_len);
        }
        rg_findings_free(found);
    }
    rg_options *options = options_for(c, "redact", NULL);
    rg_redaction *redaction = redact(scanner, text, options);
    if (redaction) check_text(rg_redaction_text(redaction), string_value(c, "redacted"));
    rg_redaction_free(redaction);
    rg_options_free(options);
done:
    rg_scanner_free(scanner);
}

/* actions.json: redact(text, options) -> expect {text, blocked, applied:[{detector, action}]}. */
static void run_actions(const char *file, const jv *c) {
    set_context(file, c);
    const jv *text = string_value(c, "text"), *expect = json_get(c, "expect");
    rg_scanner *scanner = scanner_for(c);
    rg_options *options = options_for(c, NULL, NULL);
    rg_redaction *redaction = text && scanner && options ? redact(scanner, text, options) : NULL;
    if (redaction) {
        check_text(rg_redaction_text(redaction), string_value(expect, "text"));
        CHECK(rg_redaction_blocked(redaction) == boolean(expect, "blocked"));
        const jv *applied = json_get(expect, "applied");
        CHECK(applied && applied->type == J_ARRAY);
        if (applied && applied->type == J_ARRAY) {
            CHECK_EQ_SIZE(rg_redaction_applied_len(redaction), applied->len);
            for (size_t i = 0; i < applied->len && i < rg_redaction_applied_len(redaction); i++) {
                const rg_applied *a = rg_redaction_applied_get(redaction, i);
                CHECK_STR(rg_applied_detector(a), json_str(applied->items[i], "detector"));
                CHECK_STR(rg_applied_action(a), json_str(applied->items[i], "action"));
            }
        }
    }
    rg_redaction_free(redaction);
    rg_options_free(options);
    rg_scanner_free(scanner);
}

/* pseudonymize.json: one vault; each text pseudonymized in order; restore; vault length. */
static void run_pseudonymize(const char *file, const jv *c) {
    set_context(file, c);
    const jv *texts = json_get(c, "texts"), *expect = json_get(c, "expect");
    const jv *expected = json_get(expect, "texts"), *restore = json_get(c, "restore");
    rg_scanner *scanner = scanner_for(c);
    rg_vault *vault = NULL;
    rg_error *err = NULL;
    rg_options *options = NULL;
    if (!ok(rg_vault_new(&vault, &err), err, "rg_vault_new")) goto done;
    options = options_for(c, "pseudonymize", vault);
    if (!scanner || !options || !texts || !expected || texts->type != J_ARRAY ||
        expected->type != J_ARRAY || texts->len != expected->len) {
        CHECK(!"a usable case (scanner, options, texts and expect.texts of equal length)");
        goto done;
    }
    for (size_t i = 0; i < texts->len; i++) {
        rg_redaction *redaction = redact(scanner, texts->items[i], options);
        if (redaction) check_text(rg_redaction_text(redaction), expected->items[i]);
        rg_redaction_free(redaction);
    }
    const jv *input = string_value(restore, "input");
    rg_text *restored = NULL;
    if (input && ok(rg_vault_restore(vault, (const uint8_t *)input->text, input->text_len, &restored, &err),
                    err, "rg_vault_restore")) {
        check_text(rg_text_str(restored), string_value(restore, "output"));
        rg_text_free(restored);
    }
    CHECK_EQ_SIZE(rg_vault_len(vault), number(expect, "vault_len"));
done:
    rg_options_free(options);
    rg_vault_free(vault);
    rg_scanner_free(scanner);
}

/* requests.json: scan_request(request) -> expect {blocked, request, findings, inline_data} or
 * {error}. */
static void run_requests(const char *file, const jv *c) {
    set_context(file, c);
    const jv *expect = json_get(c, "expect");
    const jv *request = json_get(c, "request"), *request_text = json_get(c, "request_text");
    char *owned = NULL;
    const char *body = NULL;
    size_t body_len = 0;
    if (request_text && request_text->type == J_STRING) {
        body = request_text->text;
        body_len = request_text->text_len;
    } else if (request) {
        body = owned = json_write(request, &body_len);
    } else {
        CHECK(!"a case with `request` or `request_text`");
        return;
    }
    rg_scanner *scanner = scanner_for(c);
    rg_options *options = options_for(c, NULL, NULL);
    rg_request_scan *scan = NULL;
    rg_error *err = NULL;
    rg_result r = scanner && options
                      ? rg_scanner_scan_request(scanner, (const uint8_t *)body, body_len, options, &scan, &err)
                      : RG_INTERNAL;
    const char *error = json_str(expect, "error");
    if (error) {
        CHECK(r != RG_OK);
        CHECK(scan == NULL); /* out parameters are written only on success */
        CHECK_STR(rg_result_name(r), error);
        CHECK_STR(rg_error_code(err), error);
        CHECK(rg_error_number(err) == r);
        rg_error_free(err);
    } else if (ok(r, err, "rg_scanner_scan_request")) {
        CHECK(rg_request_scan_blocked(scan) == boolean(expect, "blocked"));
        rg_str rewritten = rg_request_scan_request(scan);
        char message[200];
        jv *actual = json_parse(rewritten.data, rewritten.len, message);
        CHECK(actual != NULL);
        if (!json_equal(actual, json_get(expect, "request"))) {
            fprintf(stderr, "[%s] request %.*s differs from the expected one\n", check_context,
                    (int)rewritten.len, rewritten.data);
            check_failures++;
        }
        json_free(actual);
        compare_findings(rg_request_scan_findings(scan), json_get(expect, "findings"));
        const jv *inline_data = json_get(expect, "inline_data");
        CHECK(inline_data && inline_data->type == J_ARRAY);
        if (inline_data && inline_data->type == J_ARRAY) {
            CHECK_EQ_SIZE(rg_request_scan_inline_data_len(scan), inline_data->len);
            for (size_t i = 0; i < inline_data->len && i < rg_request_scan_inline_data_len(scan); i++) {
                const rg_inline_data *d = rg_request_scan_inline_data_get(scan, i);
                CHECK_STR(rg_inline_data_path(d), json_str(inline_data->items[i], "path"));
                CHECK_STR(rg_inline_data_media_type(d), json_str(inline_data->items[i], "media_type"));
                CHECK_EQ_SIZE(rg_inline_data_bytes(d), number(inline_data->items[i], "bytes"));
            }
        }
        /* The JSON form embeds the same request and parses. */
        rg_str whole = rg_request_scan_json(scan);
        jv *parsed = json_parse(whole.data, whole.len, message);
        CHECK(parsed && json_equal(json_get(parsed, "request"), json_get(expect, "request")));
        json_free(parsed);
        rg_request_scan_free(scan);
    }
    rg_options_free(options);
    rg_scanner_free(scanner);
    free(owned);
}

/* streams.json: push every chunk, then finish; the released texts concatenate to `text` and the
 * released findings (offsets from the stream start) equal `findings`. */
static void run_streams(const char *file, const jv *c) {
    set_context(file, c);
    const jv *chunks = json_get(c, "chunks"), *expect = json_get(c, "expect");
    rg_scanner *scanner = scanner_for(c);
    rg_options *options = options_for(c, NULL, NULL);
    rg_stream *stream = NULL;
    rg_error *err = NULL;
    jv *found = calloc(1, sizeof *found); /* an array of {detector, byte_start, byte_end} */
    found->type = J_ARRAY;
    char *text = calloc(1, 1);
    size_t text_len = 0;
    int blocked = 0;
    if (!scanner || !options || !chunks || chunks->type != J_ARRAY ||
        !ok(rg_scanner_stream(scanner, options, &stream, &err), err, "rg_scanner_stream")) {
        CHECK(!"a usable stream case");
        goto done;
    }
    for (size_t i = 0; i <= chunks->len; i++) {
        rg_released *released = NULL;
        rg_result r = i < chunks->len
                          ? rg_stream_push(stream, (const uint8_t *)chunks->items[i]->text,
                                           chunks->items[i]->text_len, &released, &err)
                          : rg_stream_finish(stream, &released, &err);
        if (!ok(r, err, i < chunks->len ? "rg_stream_push" : "rg_stream_finish")) goto done;
        rg_str part = rg_released_text(released);
        text = realloc(text, text_len + part.len + 1);
        memcpy(text + text_len, part.data, part.len + 1);
        text_len += part.len;
        blocked |= rg_released_blocked(released);
        const rg_findings *fs = rg_released_findings(released);
        for (size_t j = 0; j < rg_findings_len(fs); j++) {
            const rg_finding *f = rg_findings_get(fs, j);
            /* Re-express each finding as JSON text so the expectation comparison is uniform. */
            char item[512];
            rg_str detector = rg_finding_detector(f);
            snprintf(item, sizeof item,
                     "{\"detector\":\"%.*s\",\"start\":%zu,\"end\":%zu,\"byte_start\":%zu,\"byte_end\":%zu}",
                     (int)detector.len, detector.data, rg_finding_start(f), rg_finding_end(f),
                     rg_finding_byte_start(f), rg_finding_byte_end(f));
            jv *parsed = json_parse(item, strlen(item), NULL);
            found->items = realloc(found->items, (found->len + 1) * sizeof(jv *));
            found->items[found->len++] = parsed;
        }
        rg_released_free(released);
    }
    check_text((rg_str){text, text_len}, string_value(expect, "text"));
    CHECK(blocked == boolean(expect, "blocked"));
    const jv *expected = json_get(expect, "findings");
    CHECK(expected && expected->type == J_ARRAY);
    if (expected && expected->type == J_ARRAY) {
        CHECK_EQ_SIZE(found->len, expected->len);
        for (size_t i = 0; i < found->len && i < expected->len; i++) {
            const jv *a = found->items[i], *e = expected->items[i];
            CHECK(strcmp(json_str(a, "detector"), json_str(e, "detector") ? json_str(e, "detector") : "") == 0);
            CHECK_EQ_SIZE(number(a, "start"), number(e, "byte_start"));
            CHECK_EQ_SIZE(number(a, "end"), number(e, "byte_end"));
            CHECK_EQ_SIZE(number(a, "byte_start"), number(e, "byte_start"));
            CHECK_EQ_SIZE(number(a, "byte_end"), number(e, "byte_end"));
        }
    }
done:
    json_free(found);
    free(text);
    rg_stream_free(stream);
    rg_options_free(options);
    rg_scanner_free(scanner);
}

/* config_errors.json: building a scanner from `json` or `yaml` text fails with expect.error. */
static void run_config_errors(const char *file, const jv *c) {
    set_context(file, c);
    const jv *json = json_get(c, "json"), *yaml = json_get(c, "yaml");
    const jv *source = json ? json : yaml;
    const char *error = json_str(json_get(c, "expect"), "error");
    if (!source || source->type != J_STRING || !error) {
        CHECK(!"a case with `json` or `yaml` text and expect.error");
        return;
    }
    rg_scanner *sentinel = (rg_scanner *)&cases_run, *scanner = sentinel;
    rg_error *err = NULL;
    rg_result r = rg_scanner_new((const uint8_t *)source->text, source->text_len,
                                 json ? RG_CONFIG_JSON : RG_CONFIG_YAML, &scanner, &err);
    CHECK(scanner == sentinel); /* untouched on failure */
    CHECK_STR(rg_result_name(r), error);
    CHECK_STR(rg_error_code(err), error);
    CHECK(rg_error_number(err) == r);
    CHECK(rg_error_message(err).len > 0);
    rg_error_free(err);
    if (r == RG_OK && scanner != sentinel) rg_scanner_free(scanner);
}

/* errors.json: the library's table equals {codes:[{name, number, meaning}]} exactly, in order. */
static void run_errors(const char *file, const jv *doc) {
    snprintf(context, sizeof context, "%s", file);
    check_context = context;
    const jv *codes = json_get(doc, "codes");
    if (!codes || codes->type != J_ARRAY) {
        CHECK(!"errors.json has a `codes` array");
        return;
    }
    cases_run++;
    CHECK_EQ_SIZE(rg_result_count(), codes->len);
    for (size_t i = 0; i < codes->len && i < rg_result_count(); i++) {
        const jv *code = codes->items[i];
        uint32_t n = rg_result_at(i);
        CHECK_EQ_SIZE(n, number(code, "number"));
        CHECK_STR(rg_result_name(n), json_str(code, "name"));
        CHECK_STR(rg_result_meaning(n), json_str(code, "meaning"));
    }
}

/* ---- policy/: guards, prepare, verify and policy errors over policy/catalog.json ---- */

/* The file being run (policy cases name a policy of its `policies` object) and the catalogue. */
static const jv *current_doc = NULL;
static char *catalog_text = NULL;
static size_t catalog_len = 0;

/* Reads policy/catalog.json as raw text: the guard parses the snapshot itself. */
static void load_catalog(const char *dir) {
    char path[4096];
    snprintf(path, sizeof path, "%s/catalog.json", dir);
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "conformance: cannot open %s\n", path);
        check_failures++;
        return;
    }
    free(catalog_text);
    catalog_text = NULL;
    catalog_len = 0;
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        catalog_text = realloc(catalog_text, catalog_len + n + 1);
        memcpy(catalog_text + catalog_len, chunk, n);
        catalog_len += n;
        catalog_text[catalog_len] = 0;
    }
    fclose(f);
}

/* A guard from the case's named policy (sent as JSON text) over the corpus catalogue. */
static rg_guard *guard_for(const jv *c) {
    const char *name = json_str(c, "policy");
    const jv *policy = name ? json_get(json_get(current_doc, "policies"), name) : NULL;
    if (!policy || !catalog_text) {
        CHECK(!"a case naming a policy of the file, and policy/catalog.json");
        return NULL;
    }
    size_t len;
    char *json = json_write(policy, &len);
    rg_guard *guard = NULL;
    rg_error *err = NULL;
    rg_result r = rg_guard_new((const uint8_t *)json, len, RG_POLICY_JSON, (const uint8_t *)catalog_text,
                               catalog_len, RG_CATALOG_SNAPSHOT_JSON, &guard, &err);
    free(json);
    if (!ok(r, err, "rg_guard_new")) return NULL;
    CHECK(rg_guard_policy_hash(guard).len > 0);
    return guard;
}

/* The case's request as text: `request_text` verbatim, or `request` written as JSON (malloc'd). */
static char *request_for(const jv *c, size_t *len) {
    const jv *raw = json_get(c, "request_text");
    if (raw && raw->type == J_STRING) {
        char *copy = malloc(raw->text_len + 1);
        memcpy(copy, raw->text, raw->text_len + 1);
        *len = raw->text_len;
        return copy;
    }
    const jv *request = json_get(c, "request");
    if (!request) {
        CHECK(!"a case with `request` or `request_text`");
        return NULL;
    }
    return json_write(request, len);
}

/* Parses an rg_str as JSON; NULL (and a failed check) when it does not parse. */
static jv *parse_str(rg_str s, const char *what) {
    char message[200];
    jv *parsed = json_parse(s.data, s.len, message);
    if (!parsed) {
        fprintf(stderr, "[%s] %s is not JSON: %s\n", check_context, what, message);
        check_failures++;
    }
    return parsed;
}

/* Each expected entry compared on the keys it names only, in order (as the Rust runner does). */
static void check_subset(const char *what, const jv *got, const jv *expected) {
    if (!got || got->type != J_ARRAY || !expected || expected->type != J_ARRAY) {
        fprintf(stderr, "[%s] %s: expected and actual lists\n", check_context, what);
        check_failures++;
        return;
    }
    if (got->len != expected->len) {
        char *text = json_write(got, NULL);
        fprintf(stderr, "[%s] %s: %zu entries, expected %zu: %s\n", check_context, what, got->len,
                expected->len, text);
        free(text);
        check_failures++;
        return;
    }
    for (size_t i = 0; i < expected->len; i++) {
        const jv *e = expected->items[i];
        for (size_t k = 0; e->type == J_OBJECT && k < e->len; k++) {
            const char *key = e->keys[k]->text;
            if (!json_equal(json_get(got->items[i], key), e->items[k])) {
                char *text = json_write(got->items[i], NULL);
                fprintf(stderr, "[%s] %s[%zu].%s differs: %s\n", check_context, what, i, key, text);
                free(text);
                check_failures++;
            }
        }
    }
}

/* A string field of a parsed JSON object equals an rg_str (the accessor agrees with the JSON form). */
static void check_field(const jv *object, const char *key, rg_str actual) {
    const jv *v = json_get(object, key);
    if (!v || v->type != J_STRING || !str_eq(actual, v->text, v->text_len)) {
        fprintf(stderr, "[%s] accessor of `%s` (\"%.*s\") disagrees with the JSON form\n", check_context,
                key, (int)actual.len, actual.data);
        check_failures++;
    }
}

/* The reasons as parsed from rg_reasons_json, after checking that every accessor agrees with it. */
static jv *reasons_checked(const rg_reasons *reasons) {
    jv *parsed = parse_str(rg_reasons_json(reasons), "rg_reasons_json");
    if (!parsed || parsed->type != J_ARRAY) return parsed;
    CHECK_EQ_SIZE(rg_reasons_len(reasons), parsed->len);
    for (size_t i = 0; i < parsed->len && i < rg_reasons_len(reasons); i++) {
        const rg_reason *r = rg_reasons_get(reasons, i);
        const jv *e = parsed->items[i];
        check_field(e, "code", rg_reason_code(r));
        check_field(e, "rule", rg_reason_rule(r));
        check_field(e, "message", rg_reason_message(r));
        CHECK(json_get(e, "shadow") && rg_reason_shadow(r) == json_get(e, "shadow")->boolean);
        CHECK(rg_reason_code(r).len > 0);
    }
    CHECK(rg_reasons_get(reasons, parsed->len) == NULL);
    return parsed;
}

/* A list of strings from (len, get) accessors equals a JSON array of strings exactly. */
static void check_strings(const char *what, size_t len, rg_str (*get)(const rg_prepared *, size_t),
                          const rg_prepared *p, const jv *expected) {
    if (!expected || expected->type != J_ARRAY) {
        fprintf(stderr, "[%s] %s: expected a list\n", check_context, what);
        check_failures++;
        return;
    }
    if (len != expected->len) {
        fprintf(stderr, "[%s] %s: %zu entries, expected %zu\n", check_context, what, len, expected->len);
        check_failures++;
        return;
    }
    for (size_t i = 0; i < len; i++) {
        const jv *e = expected->items[i];
        rg_str got = get(p, i);
        if (e->type != J_STRING || !str_eq(got, e->text, e->text_len)) {
            fprintf(stderr, "[%s] %s[%zu] == \"%.*s\"\n", check_context, what, i, (int)got.len, got.data);
            check_failures++;
        }
    }
    CHECK(get(p, len).len == 0);
}

/* Compares a prepared request with expect {models?, providers?, findings?, sent?, sent_has_no?}. */
static void check_prepared(const rg_prepared *p, const jv *expect) {
    jv *whole = parse_str(rg_prepared_json(p), "rg_prepared_json");
    jv *sent = parse_str(rg_prepared_request(p), "rg_prepared_request");
    CHECK(whole && sent && json_equal(json_get(whole, "request"), sent));
    const jv *models = json_get(expect, "models"), *providers = json_get(expect, "providers");
    if (models) {
        check_strings("models", rg_prepared_models_len(p), rg_prepared_model, p, models);
        CHECK(json_equal(json_get(whole, "models"), models));
    }
    if (providers) {
        check_strings("providers", rg_prepared_providers_len(p), rg_prepared_provider, p, providers);
        CHECK(json_equal(json_get(whole, "providers"), providers));
    }
    const jv *found = json_get(whole, "findings");
    if (found && found->type == J_ARRAY) {
        CHECK_EQ_SIZE(rg_prepared_findings_len(p), found->len);
        for (size_t i = 0; i < found->len && i < rg_prepared_findings_len(p); i++) {
            const rg_prepared_finding *f = rg_prepared_findings_get(p, i);
            check_field(found->items[i], "path", rg_prepared_finding_path(f));
            check_field(found->items[i], "detector", rg_prepared_finding_detector(f));
            check_field(found->items[i], "category", rg_prepared_finding_category(f));
            check_field(found->items[i], "action", rg_prepared_finding_action(f));
        }
        CHECK(rg_prepared_findings_get(p, found->len) == NULL);
    } else {
        CHECK(!"rg_prepared_json has a findings array");
    }
    if (json_get(expect, "findings")) check_subset("findings", found, json_get(expect, "findings"));
    const jv *keys = json_get(expect, "sent");
    for (size_t k = 0; keys && keys->type == J_OBJECT && k < keys->len; k++) {
        if (!json_equal(json_get(sent, keys->keys[k]->text), keys->items[k])) {
            fprintf(stderr, "[%s] sent.%s differs: %.*s\n", check_context, keys->keys[k]->text,
                    (int)rg_prepared_request(p).len, rg_prepared_request(p).data);
            check_failures++;
        }
    }
    const jv *absent = json_get(expect, "sent_has_no");
    for (size_t k = 0; absent && absent->type == J_ARRAY && k < absent->len; k++) {
        if (json_get(sent, absent->items[k]->text)) {
            fprintf(stderr, "[%s] sent has `%s`\n", check_context, absent->items[k]->text);
            check_failures++;
        }
    }
    json_free(whole);
    json_free(sent);
}

/* prepare.json: prepare(principal, request) with the named policy -> expect {allowed, reasons,
 * notices?, models?, providers?, findings?, sent?, sent_has_no?} or {error}. */
static void run_prepare(const char *file, const jv *c) {
    set_context(file, c);
    const jv *expect = json_get(c, "expect");
    rg_guard *guard = guard_for(c);
    size_t request_len = 0, principal_len = 0;
    char *request = request_for(c, &request_len);
    char *principal = json_get(c, "principal") ? json_write(json_get(c, "principal"), &principal_len) : NULL;
    if (!guard || !request || !principal) {
        CHECK(!"a usable case (guard, request, principal)");
        goto done;
    }
    rg_decision *sentinel = (rg_decision *)&cases_run, *decision = sentinel;
    rg_error *err = NULL;
    rg_result r = rg_guard_prepare(guard, (const uint8_t *)principal, principal_len, (const uint8_t *)request,
                                   request_len, NULL, 0, NULL, &decision, &err);
    const char *error = json_str(expect, "error");
    if (error) {
        CHECK(decision == sentinel); /* out parameters are written only on success */
        CHECK_STR(rg_result_name(r), error);
        CHECK_STR(rg_error_code(err), error);
        CHECK(rg_error_number(err) == r);
        rg_error_free(err);
        goto done;
    }
    if (!ok(r, err, "rg_guard_prepare")) goto done;
    int allowed = boolean(expect, "allowed");
    CHECK(rg_decision_allowed(decision) == allowed);
    const rg_prepared *prepared = rg_decision_prepared(decision);
    CHECK((prepared != NULL) == rg_decision_allowed(decision));
    CHECK(str_eq(rg_decision_policy_hash(decision), rg_guard_policy_hash(guard).data,
                 rg_guard_policy_hash(guard).len));

    jv *reasons = reasons_checked(rg_decision_reasons(decision));
    jv *none = json_parse("[]", 2, NULL);
    const jv *expected_reasons = json_get(expect, "reasons");
    check_subset("reasons", reasons, expected_reasons ? expected_reasons : none);
    jv *notices = reasons_checked(rg_decision_notices(decision));
    if (json_get(expect, "notices")) check_subset("notices", notices, json_get(expect, "notices"));

    /* The JSON form of the whole decision holds the same. */
    jv *whole = parse_str(rg_decision_json(decision), "rg_decision_json");
    if (whole) {
        CHECK(json_get(whole, "allowed") && json_get(whole, "allowed")->boolean == allowed);
        CHECK(json_equal(json_get(whole, "reasons"), reasons));
        CHECK(json_equal(json_get(whole, "notices"), notices));
        check_field(whole, "policy_hash", rg_decision_policy_hash(decision));
        const jv *p = json_get(whole, "prepared");
        CHECK(p && (prepared ? p->type == J_OBJECT : p->type == J_NULL));
        if (prepared && p) {
            jv *alone = parse_str(rg_prepared_json(prepared), "rg_prepared_json");
            CHECK(json_equal(p, alone));
            json_free(alone);
        }
    }
    if (prepared) check_prepared(prepared, expect);
    json_free(whole);
    json_free(none);
    json_free(reasons);
    json_free(notices);
    rg_decision_free(decision);
done:
    free(request);
    free(principal);
    rg_guard_free(guard);
}

/* verify.json: prepare (allowed), then verify(prepared, response) -> expect {allowed, provider,
 * reasons, withheld}; a withheld response has no choices, any other is passed through unchanged. */
static void run_verify(const char *file, const jv *c) {
    set_context(file, c);
    const jv *expect = json_get(c, "expect"), *response = json_get(c, "response");
    rg_guard *guard = guard_for(c);
    size_t request_len = 0, principal_len = 0, response_len = 0;
    char *request = request_for(c, &request_len);
    char *principal = json_get(c, "principal") ? json_write(json_get(c, "principal"), &principal_len) : NULL;
    char *response_text = response ? json_write(response, &response_len) : NULL;
    rg_decision *decision = NULL;
    rg_verification *v = NULL;
    rg_error *err = NULL;
    if (!guard || !request || !principal || !response_text) {
        CHECK(!"a usable case (guard, request, principal, response)");
        goto done;
    }
    if (!ok(rg_guard_prepare(guard, (const uint8_t *)principal, principal_len, (const uint8_t *)request,
                             request_len, NULL, 0, NULL, &decision, &err),
            err, "rg_guard_prepare")) {
        goto done;
    }
    const rg_prepared *prepared = rg_decision_prepared(decision);
    if (!prepared) {
        CHECK(!"the case's request is allowed");
        goto done;
    }
    if (!ok(rg_guard_verify(guard, prepared, (const uint8_t *)response_text, response_len, &v, &err), err,
            "rg_guard_verify")) {
        goto done;
    }
    CHECK(rg_verification_allowed(v) == boolean(expect, "allowed"));
    CHECK(rg_verification_withheld(v) == boolean(expect, "withheld"));
    const jv *provider = json_get(expect, "provider");
    rg_str served = rg_verification_provider(v);
    if (!provider || provider->type == J_NULL) {
        CHECK_EQ_SIZE(served.len, 0);
    } else if (provider->type != J_STRING || !str_eq(served, provider->text, provider->text_len)) {
        fprintf(stderr, "[%s] provider \"%.*s\"\n", check_context, (int)served.len, served.data);
        check_failures++;
    }
    jv *reasons = reasons_checked(rg_verification_reasons(v));
    check_subset("reasons", reasons, json_get(expect, "reasons"));
    jv *returned = parse_str(rg_verification_response(v), "rg_verification_response");
    const jv *choices = json_get(returned, "choices");
    size_t content = choices && choices->type == J_ARRAY ? choices->len : 0;
    if (rg_verification_withheld(v)) {
        CHECK_EQ_SIZE(content, 0);
    } else if (!json_equal(returned, response)) {
        fprintf(stderr, "[%s] the response was not passed through unchanged\n", check_context);
        check_failures++;
    }
    /* The JSON form holds the same, provider and model null when unknown. */
    jv *whole = parse_str(rg_verification_json(v), "rg_verification_json");
    if (whole) {
        CHECK(json_get(whole, "allowed") && json_get(whole, "allowed")->boolean == rg_verification_allowed(v));
        CHECK(json_get(whole, "withheld") && json_get(whole, "withheld")->boolean == rg_verification_withheld(v));
        CHECK(json_equal(json_get(whole, "reasons"), reasons));
        CHECK(json_equal(json_get(whole, "response"), returned));
        if (served.len) check_field(whole, "provider", served);
        else CHECK(json_get(whole, "provider") && json_get(whole, "provider")->type == J_NULL);
        rg_str model = rg_verification_model(v);
        if (model.len) check_field(whole, "model", model);
        else CHECK(json_get(whole, "model") && json_get(whole, "model")->type == J_NULL);
    }
    json_free(whole);
    json_free(returned);
    json_free(reasons);
done:
    rg_verification_free(v);
    rg_decision_free(decision);
    free(request);
    free(principal);
    free(response_text);
    rg_guard_free(guard);
}

/* policy_errors.json: building a guard from `json` or `yaml` policy text over the corpus catalogue
 * fails with expect.error. */
static void run_policy_errors(const char *file, const jv *c) {
    set_context(file, c);
    const jv *json = json_get(c, "json"), *yaml = json_get(c, "yaml");
    const jv *source = json ? json : yaml;
    const char *error = json_str(json_get(c, "expect"), "error");
    if (!source || source->type != J_STRING || (json && yaml) || !error || !catalog_text) {
        CHECK(!"a case with one of `json` or `yaml` text, and expect.error");
        return;
    }
    rg_guard *sentinel = (rg_guard *)&cases_run, *guard = sentinel;
    rg_error *err = NULL;
    rg_result r = rg_guard_new((const uint8_t *)source->text, source->text_len, json ? RG_POLICY_JSON : RG_POLICY_YAML,
                               (const uint8_t *)catalog_text, catalog_len, RG_CATALOG_SNAPSHOT_JSON, &guard, &err);
    CHECK(guard == sentinel); /* untouched on failure */
    CHECK_STR(rg_result_name(r), error);
    CHECK_STR(rg_error_code(err), error);
    CHECK(rg_error_number(err) == r);
    CHECK(rg_error_message(err).len > 0);
    rg_error_free(err);
    if (r == RG_OK && guard != sentinel) rg_guard_free(guard);
}

/* ---- budget/: ledger steps on memory, SQLite (and PostgreSQL), reservations through the guard ---- */

/* A key of `object`, or else of its `cap` or `estimate` (denials are checked on their cap's
 * fields, guard reservations on their estimate's, lifted as the Rust runner does). */
static const jv *lifted(const jv *object, const char *key) {
    const jv *v = json_get(object, key);
    if (!v) v = json_get(json_get(object, "cap"), key);
    if (!v) v = json_get(json_get(object, "estimate"), key);
    return v;
}

/* `got` has every key of `expected` with the same value; lists match in length and order, each
 * entry on the keys it gives. */
static void check_budget(const char *where, const jv *got, const jv *expected) {
    char path[512];
    if (expected->type == J_OBJECT) {
        for (size_t k = 0; k < expected->len; k++) {
            snprintf(path, sizeof path, "%s.%s", where, expected->keys[k]->text);
            const jv *value = got && got->type == J_OBJECT ? lifted(got, expected->keys[k]->text) : NULL;
            if (!value) {
                fprintf(stderr, "[%s] %s is missing\n", check_context, path);
                check_failures++;
            } else {
                check_budget(path, value, expected->items[k]);
            }
        }
    } else if (expected->type == J_ARRAY) {
        if (!got || got->type != J_ARRAY || got->len != expected->len) {
            char *text = got ? json_write(got, NULL) : NULL;
            fprintf(stderr, "[%s] %s: expected %zu entries, got %s\n", check_context, where, expected->len,
                    text ? text : "nothing");
            free(text);
            check_failures++;
            return;
        }
        for (size_t i = 0; i < expected->len; i++) {
            snprintf(path, sizeof path, "%s[%zu]", where, i);
            check_budget(path, got->items[i], expected->items[i]);
        }
    } else if (!json_equal(got, expected)) {
        char *g = json_write(got, NULL), *e = json_write(expected, NULL);
        fprintf(stderr, "[%s] %s == %s, expected %s\n", check_context, where, g, e);
        free(g);
        free(e);
        check_failures++;
    }
}

/* A case field as JSON text (malloc'd; "" when absent) and as numbers (defaults when absent). */
static char *field_json(const jv *object, const char *key, size_t *len) {
    const jv *v = json_get(object, key);
    if (v) return json_write(v, len);
    *len = 0;
    return calloc(1, 1);
}

static int64_t time_field(const jv *object, const char *key) {
    const jv *v = json_get(object, key);
    return v && v->type == J_NUMBER ? (int64_t)v->number : RG_TIME_NONE;
}

static uint64_t u64_field(const jv *object, const char *key) {
    const jv *v = json_get(object, key);
    return v && v->type == J_NUMBER ? (uint64_t)v->number : 0;
}

/* Takes an rg_text holding JSON: parsed (NULL when it does not parse), and frees the text. */
static jv *take_json(rg_text *text, const char *what) {
    jv *parsed = parse_str(rg_text_str(text), what);
    rg_text_free(text);
    return parsed;
}

/* The reservation names (`as`) of a case and their ids. */
#define MAX_IDS 16
static struct {
    char name[64];
    char id[128];
} ids[MAX_IDS];
static size_t ids_len = 0;

static const char *id_for(const char *name) {
    for (size_t i = 0; name && i < ids_len; i++) {
        if (strcmp(ids[i].name, name) == 0) return ids[i].id;
    }
    return name;
}

static void remember_id(const char *name, const jv *outcome) {
    const jv *id = json_get(outcome, "id");
    if (!name || !id || id->type != J_STRING || ids_len == MAX_IDS) return;
    snprintf(ids[ids_len].name, sizeof ids[ids_len].name, "%s", name);
    snprintf(ids[ids_len].id, sizeof ids[ids_len].id, "%s", id->text);
    ids_len++;
}

/* Runs one ledger step; its result (NULL for renew or on error) in `*out`. */
static rg_result ledger_step(rg_ledger *ledger, const jv *step, jv **out, rg_error **err) {
    const char *op = json_str(step, "op");
    int64_t now = time_field(step, "now_ms");
    size_t a_len = 0, b_len = 0;
    char *a = NULL, *b = NULL;
    rg_text *text = NULL;
    rg_result r = RG_INVALID_ARGUMENT;
    *out = NULL;
    if (op && strcmp(op, "reserve") == 0) {
        a = field_json(step, "caps", &a_len);
        b = field_json(step, "meta", &b_len);
        r = rg_ledger_reserve(ledger, (const uint8_t *)a, a_len, u64_field(step, "amount_micros"),
                              (const uint8_t *)b, b_len, u64_field(step, "lease_ms"), now, &text, err);
    } else if (op && strcmp(op, "settle") == 0) {
        const char *id = id_for(json_str(step, "id"));
        b = field_json(step, "settlement", &b_len);
        r = rg_ledger_settle(ledger, (const uint8_t *)id, id ? strlen(id) : 0, (const uint8_t *)b, b_len, now,
                             &text, err);
    } else if (op && strcmp(op, "renew") == 0) {
        const char *id = id_for(json_str(step, "id"));
        return rg_ledger_renew(ledger, (const uint8_t *)id, id ? strlen(id) : 0, u64_field(step, "lease_ms"),
                               now, err);
    } else if (op && strcmp(op, "status") == 0) {
        a = field_json(step, "caps", &a_len);
        r = rg_ledger_status(ledger, (const uint8_t *)a, a_len, now, &text, err);
    } else if (op && strcmp(op, "report") == 0) {
        const char *by = json_str(step, "by"), *window = json_str(step, "window");
        r = rg_ledger_report(ledger, (const uint8_t *)by, by ? strlen(by) : 0, (const uint8_t *)window,
                             window ? strlen(window) : 0, RG_REPORT_JSON, now, &text, err);
    } else {
        fprintf(stderr, "[%s] unknown ledger op `%s` (teach tests/c/conformance.c)\n", check_context,
                op ? op : "");
        check_failures++;
        return RG_OK;
    }
    free(a);
    free(b);
    if (r == RG_OK) *out = take_json(text, op);
    return r;
}

/* A fresh PostgreSQL schema for a case (psql), as the URL that selects it; NULL on failure. */
static char *fresh_postgres(const char *url, const char *name) {
    char schema[128], command[8192];
    size_t n = 0;
    n += (size_t)snprintf(schema, sizeof schema, "conf_c_");
    for (const char *p = name; *p && n + 1 < sizeof schema; p++, n++) {
        schema[n] = (char)(((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9')) ? *p : '_');
    }
    schema[n] = 0;
    snprintf(command, sizeof command,
             "psql -q -v ON_ERROR_STOP=1 '%s' -c 'DROP SCHEMA IF EXISTS %s CASCADE; CREATE SCHEMA %s;'", url,
             schema, schema);
    if (strchr(url, '\'') || system(command) != 0) {
        CHECK(!"psql creates the case's schema");
        return NULL;
    }
    size_t len = strlen(url) + strlen(schema) + 40;
    char *out = malloc(len);
    snprintf(out, len, "%s%coptions=-csearch_path%%3D%s", url, strchr(url, '?') ? '&' : '?', schema);
    return out;
}

static char scratch_dir[256];

/* ledger.json: each case's steps on a fresh memory: ledger, a fresh SQLite file and, when
 * ROUTEGUARD_TEST_POSTGRES names a database, a fresh PostgreSQL schema. */
static void run_ledger(const char *file, const jv *c) {
    set_context(file, c);
    const char *name = json_str(c, "name");
    const jv *steps = json_get(c, "steps");
    const char *postgres = getenv("ROUTEGUARD_TEST_POSTGRES");
    const char *backends[] = {"memory", "sqlite", "postgres"};
    size_t count = postgres && *postgres ? 3 : 2;
    for (size_t b = 0; b < count && name && steps; b++) {
        char *url = NULL;
        if (b == 0) {
            url = strdup("memory:");
        } else if (b == 1) {
            size_t len = strlen(scratch_dir) + strlen(name) + 16;
            url = malloc(len);
            snprintf(url, len, "sqlite:%s/%s.db", scratch_dir, name);
        } else {
            url = fresh_postgres(postgres, name);
        }
        rg_ledger *ledger = NULL;
        rg_error *err = NULL;
        if (!url || !ok(rg_ledger_open((const uint8_t *)url, strlen(url), &ledger, &err), err, url)) {
            free(url);
            continue;
        }
        free(url);
        CHECK_STR(rg_ledger_backend(ledger), backends[b]);
        ids_len = 0;
        for (size_t i = 0; i < steps->len; i++) {
            const jv *step = steps->items[i], *expect = json_get(step, "expect");
            char where[64];
            snprintf(where, sizeof where, "%s step %zu", backends[b], i);
            jv *got = NULL;
            rg_result r = ledger_step(ledger, step, &got, &err);
            const char *error = json_str(expect, "error");
            if (error) {
                if (r == RG_OK) fprintf(stderr, "[%s] %s: expected %s\n", check_context, where, error);
                CHECK_STR(rg_result_name(r), error);
                CHECK_STR(rg_error_code(err), error);
                rg_error_free(err);
                err = NULL;
            } else if (ok(r, err, where)) {
                if (strcmp(json_str(step, "op"), "reserve") == 0) remember_id(json_str(step, "as"), got);
                if (expect && expect->type != J_NULL) check_budget(where, got, expect);
            }
            json_free(got);
        }
        rg_ledger_free(ledger);
    }
}

/* guard.json: prepare (allowed), reserve on a fresh memory: ledger -> expect_reserve (estimate
 * fields lifted); with `outcome`, settle with `response` (absent: none) -> expect_settle. */
static void run_budget_guard(const char *file, const jv *c) {
    set_context(file, c);
    size_t policy_len = 0, principal_len = 0, request_len = 0, response_len = 0;
    char *policy = field_json(current_doc, "policy", &policy_len);
    char *principal = field_json(c, "principal", &principal_len);
    char *request = field_json(c, "request", &request_len);
    const jv *response = json_get(c, "response");
    char *response_text = response ? json_write(response, &response_len) : NULL;
    const char *outcome = json_str(c, "outcome");
    int64_t now = time_field(c, "now_ms");
    rg_guard *guard = NULL;
    rg_ledger *ledger = NULL;
    rg_decision *decision = NULL;
    rg_text *text = NULL;
    rg_error *err = NULL;
    jv *reserved = NULL, *record = NULL;
    if (!ok(rg_guard_new((const uint8_t *)policy, policy_len, RG_POLICY_JSON, (const uint8_t *)catalog_text,
                         catalog_len, RG_CATALOG_SNAPSHOT_JSON, &guard, &err),
            err, "rg_guard_new") ||
        !ok(rg_ledger_open((const uint8_t *)"memory:", 7, &ledger, &err), err, "rg_ledger_open") ||
        !ok(rg_guard_prepare(guard, (const uint8_t *)principal, principal_len, (const uint8_t *)request,
                             request_len, NULL, 0, NULL, &decision, &err),
            err, "rg_guard_prepare")) {
        goto done;
    }
    const rg_prepared *prepared = rg_decision_prepared(decision);
    CHECK(prepared != NULL);
    if (!ok(rg_guard_reserve(guard, ledger, (const uint8_t *)principal, principal_len, prepared, 0, now, &text,
                             &err),
            err, "rg_guard_reserve")) {
        goto done;
    }
    reserved = take_json(text, "rg_guard_reserve");
    check_budget("reserve", reserved, json_get(c, "expect_reserve"));
    const jv *id = json_get(reserved, "id");
    if (outcome && id && id->type == J_STRING) {
        if (!ok(rg_guard_settle(guard, ledger, (const uint8_t *)id->text, id->text_len,
                                (const uint8_t *)response_text, response_len, (const uint8_t *)outcome,
                                strlen(outcome), now, &text, &err),
                err, "rg_guard_settle")) {
            goto done;
        }
        record = take_json(text, "rg_guard_settle");
        check_budget("settle", record, json_get(c, "expect_settle"));
    }
done:
    json_free(reserved);
    json_free(record);
    rg_decision_free(decision);
    rg_ledger_free(ledger);
    rg_guard_free(guard);
    free(policy);
    free(principal);
    free(request);
    free(response_text);
}

/* ---- audit/: golden records, verify over mutated logs, records through the guard, RFC 8785 ---- */

/* The directory of the file being run (audit/verify.json and audit/guard.json read records.json
 * next to them). */
static const char *current_dir = NULL;

/* audit/records.json, parsed once per file that needs it (freed by run_file). */
static jv *records_doc = NULL;

static const jv *audit_records(void) {
    if (!records_doc && current_dir) {
        char path[4096], message[200];
        snprintf(path, sizeof path, "%s/records.json", current_dir);
        records_doc = json_parse_file(path, message);
        if (!records_doc) {
            fprintf(stderr, "[%s] %s: %s\n", check_context, path, message);
            check_failures++;
        }
    }
    return records_doc;
}

/* The public key of records.json's signing seed (hex), as the Rust runner verifies with it. */
static const char *VERIFY_PUBLIC_KEY = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";

/* A growable list of lines (ptr, len), each malloc'd with a NUL. */
typedef struct {
    char **items;
    size_t *lens;
    size_t len;
} lines;

static void lines_push(lines *l, const char *text, size_t len) {
    l->items = realloc(l->items, (l->len + 1) * sizeof *l->items);
    l->lens = realloc(l->lens, (l->len + 1) * sizeof *l->lens);
    if (!l->items || !l->lens) abort();
    l->items[l->len] = malloc(len + 1);
    if (!l->items[l->len]) abort();
    memcpy(l->items[l->len], text, len);
    l->items[l->len][len] = 0;
    l->lens[l->len++] = len;
}

static void lines_free(lines *l) {
    for (size_t i = 0; i < l->len; i++) free(l->items[i]);
    free(l->items);
    free(l->lens);
    memset(l, 0, sizeof *l);
}

/* The lines joined, each followed by a newline (malloc'd). */
static char *lines_text(const lines *l, size_t *len) {
    size_t n = 0;
    for (size_t i = 0; i < l->len; i++) n += l->lens[i] + 1;
    char *text = malloc(n + 1), *p = text;
    if (!text) abort();
    for (size_t i = 0; i < l->len; i++) {
        memcpy(p, l->items[i], l->lens[i]);
        p += l->lens[i];
        *p++ = '\n';
    }
    *p = 0;
    *len = n;
    return text;
}

/* A callback sink that fails (returns 1) on the listed 1-based calls and keeps what it accepted. */
typedef struct {
    const jv *fails;
    size_t calls;
    lines accepted;
} sink_state;

static int conformance_sink(void *user_data, const char *line, size_t len) {
    sink_state *state = user_data;
    state->calls++;
    for (size_t i = 0; state->fails && i < state->fails->len; i++) {
        if ((size_t)state->fails->items[i]->number == state->calls) return 1;
    }
    if (line[len] != 0) CHECK(!"a callback line is followed by a NUL");
    lines_push(&state->accepted, line, len);
    return 0;
}

/* Bytes of `text` contain `needle` (memmem is not C99). */
static int contains(const char *text, size_t len, const char *needle, size_t needle_len) {
    if (needle_len == 0) return 1;
    for (size_t i = 0; i + needle_len <= len; i++) {
        if (memcmp(text + i, needle, needle_len) == 0) return 1;
    }
    return 0;
}

/* A JSON value of a case as a string (ptr, len); NULL when it is not one. */
static const jv *str_at(const jv *object, const char *key) {
    const jv *v = json_get(object, key);
    return v && v->type == J_STRING ? v : NULL;
}

/* Verifies a log given as bytes; the report parsed (NULL on error, with a failed check). */
static jv *verify_log(const char *log, size_t len, const jv *chain_key, const jv *public_key) {
    rg_text *text = NULL;
    rg_error *err = NULL;
    rg_result r = rg_audit_verify_text((const uint8_t *)log, len, (const uint8_t *)chain_key->text, chain_key->text_len,
                                       public_key ? (const uint8_t *)public_key->text : NULL,
                                       public_key ? public_key->text_len : 0, &text, &err);
    if (!ok(r, err, "rg_audit_verify_text")) return NULL;
    return take_json(text, "rg_audit_verify_text");
}

static int status_is(const jv *report, const char *status) {
    const char *got = json_str(report, "status");
    return got && strcmp(got, status) == 0;
}

/* records.json: steps on a memory trail (or a callback trail failing on the listed calls); the
 * lines must equal expect_lines byte for byte and verify intact. */
static void run_audit_records(const char *file, const jv *c) {
    set_context(file, c);
    const jv *chain_key = str_at(current_doc, "chain_key"), *signing_key = str_at(current_doc, "signing_key");
    const jv *steps = json_get(c, "steps"), *fails = json_get(c, "callback_fails");
    if (!chain_key || !signing_key || !steps || steps->type != J_ARRAY) {
        CHECK(!"a records case with keys and steps");
        return;
    }
    int callback = fails && fails->type == J_ARRAY;
    sink_state state = {callback ? fails : NULL, 0, {0}};
    size_t config_len = 0;
    char *config = field_json(c, "config", &config_len);
    rg_audit_trail *trail = NULL;
    rg_error *err = NULL;
    rg_result r = rg_audit_trail_open((const uint8_t *)config, config_len, (const uint8_t *)chain_key->text,
                                      chain_key->text_len, (const uint8_t *)signing_key->text, signing_key->text_len,
                                      callback ? conformance_sink : NULL, &state, &trail, &err);
    free(config);
    if (!ok(r, err, "rg_audit_trail_open")) return;
    CHECK(rg_audit_trail_writer(trail).len > 0);
    CHECK_STR(rg_audit_trail_public_key(trail), VERIFY_PUBLIC_KEY);
    for (size_t i = 0; i < steps->len; i++) {
        const jv *step = steps->items[i];
        int64_t now = time_field(step, "now_ms");
        rg_text *receipt = NULL;
        char where[64];
        snprintf(where, sizeof where, "step %zu", i);
        if (json_get(step, "write")) {
            size_t event_len = 0;
            char *event = field_json(step, "write", &event_len);
            r = rg_audit_trail_write(trail, (const uint8_t *)event, event_len, now, &receipt, &err);
            free(event);
        } else if (json_get(step, "checkpoint")) {
            r = rg_audit_trail_checkpoint(trail, now, &receipt, &err);
        } else {
            r = rg_audit_trail_close(trail, now, &receipt, &err);
        }
        const char *error = json_str(step, "expect_error");
        if (error) {
            if (r == RG_OK) fprintf(stderr, "[%s] %s: expected %s\n", check_context, where, error);
            CHECK_STR(rg_result_name(r), error);
            CHECK_STR(rg_error_code(err), error);
            rg_error_free(err);
            rg_text_free(receipt);
            err = NULL;
        } else if (ok(r, err, where)) {
            jv *got = take_json(receipt, where);
            const char *want = json_str(step, "expect_status");
            const char *status = json_str(got, "status");
            if (!status || strcmp(status, want ? want : "written") != 0) {
                fprintf(stderr, "[%s] %s: status %s, expected %s\n", check_context, where, status ? status : "(none)",
                        want ? want : "written");
                check_failures++;
            }
            json_free(got);
        }
    }
    /* The lines: those the callback accepted (before free closes the trail), or the memory's. */
    lines got = {0};
    if (callback) {
        for (size_t i = 0; i < state.accepted.len; i++) lines_push(&got, state.accepted.items[i], state.accepted.lens[i]);
    } else {
        rg_text *text = NULL;
        if (ok(rg_audit_trail_lines(trail, &text, &err), err, "rg_audit_trail_lines")) {
            jv *list = take_json(text, "rg_audit_trail_lines");
            for (size_t i = 0; list && list->type == J_ARRAY && i < list->len; i++) {
                lines_push(&got, list->items[i]->text, list->items[i]->text_len);
            }
            json_free(list);
        }
    }
    rg_audit_trail_free(trail);
    lines_free(&state.accepted);
    size_t text_len = 0;
    char *text = lines_text(&got, &text_len);
    const jv *absent = json_get(c, "expect_absent");
    for (size_t i = 0; absent && absent->type == J_ARRAY && i < absent->len; i++) {
        if (contains(text, text_len, absent->items[i]->text, absent->items[i]->text_len)) {
            fprintf(stderr, "[%s] the log holds %s\n", check_context, absent->items[i]->text);
            check_failures++;
        }
    }
    jv public_key = {0};
    public_key.type = J_STRING;
    public_key.text = (char *)VERIFY_PUBLIC_KEY;
    public_key.text_len = strlen(VERIFY_PUBLIC_KEY);
    jv *report = verify_log(text, text_len, chain_key, &public_key);
    if (!status_is(report, "intact")) {
        char *shown = report ? json_write(report, NULL) : NULL;
        fprintf(stderr, "[%s] the lines do not verify intact: %s\n", check_context, shown ? shown : "(no report)");
        free(shown);
        check_failures++;
    }
    json_free(report);
    const jv *want = json_get(c, "expect_lines");
    if (!want || want->type != J_ARRAY) {
        CHECK(!"a records case with expect_lines");
    } else if (want->len != got.len) {
        fprintf(stderr, "[%s] %zu lines, expected %zu\n", check_context, got.len, want->len);
        check_failures++;
    } else {
        for (size_t i = 0; i < got.len; i++) {
            const jv *line = want->items[i];
            if (line->type != J_STRING || line->text_len != got.lens[i] ||
                memcmp(line->text, got.items[i], got.lens[i]) != 0) {
                fprintf(stderr, "[%s] line %zu differs:\n  got      %s\n  expected %s\n", check_context, i, got.items[i],
                        line->type == J_STRING ? line->text : "(not a string)");
                check_failures++;
            }
        }
    }
    free(text);
    lines_free(&got);
}

/* The log of a records.json case after the case's mutation (malloc'd; the Rust runner's
 * `mutated_log`). */
static char *mutated_log(const jv *c, size_t *len) {
    const jv *records = audit_records(), *cases = json_get(records, "cases"), *source = NULL;
    const char *name = json_str(c, "log");
    for (size_t i = 0; name && cases && i < cases->len; i++) {
        const char *n = json_str(cases->items[i], "name");
        if (n && strcmp(n, name) == 0) source = cases->items[i];
    }
    const jv *expect_lines = json_get(source, "expect_lines");
    if (!expect_lines || expect_lines->type != J_ARRAY) {
        fprintf(stderr, "[%s] no records case %s\n", check_context, name ? name : "(none)");
        check_failures++;
        return NULL;
    }
    lines l = {0};
    for (size_t i = 0; i < expect_lines->len; i++) {
        lines_push(&l, expect_lines->items[i]->text, expect_lines->items[i]->text_len);
    }
    const jv *m = json_get(c, "mutate"), *v;
    if ((v = json_get(m, "delete")) && (size_t)v->number < l.len) {
        size_t at = (size_t)v->number;
        free(l.items[at]);
        memmove(l.items + at, l.items + at + 1, (l.len - at - 1) * sizeof *l.items);
        memmove(l.lens + at, l.lens + at + 1, (l.len - at - 1) * sizeof *l.lens);
        l.len--;
    }
    if ((v = json_get(m, "duplicate")) && (size_t)v->number < l.len) {
        size_t at = (size_t)v->number;
        lines_push(&l, l.items[at], l.lens[at]); /* a copy at the end, moved to just after `at` */
        char *copy = l.items[l.len - 1];
        size_t n = l.lens[l.len - 1];
        memmove(l.items + at + 2, l.items + at + 1, (l.len - at - 2) * sizeof *l.items);
        memmove(l.lens + at + 2, l.lens + at + 1, (l.len - at - 2) * sizeof *l.lens);
        l.items[at + 1] = copy;
        l.lens[at + 1] = n;
    }
    if ((v = json_get(m, "swap")) && v->type == J_ARRAY && v->len == 2) {
        size_t a = (size_t)v->items[0]->number, b = (size_t)v->items[1]->number;
        char *item = l.items[a];
        size_t n = l.lens[a];
        l.items[a] = l.items[b];
        l.lens[a] = l.lens[b];
        l.items[b] = item;
        l.lens[b] = n;
    }
    if ((v = json_get(m, "keep_lines"))) {
        while (l.len > (size_t)v->number) free(l.items[--l.len]);
    }
    if ((v = json_get(m, "replace"))) {
        size_t at = (size_t)json_get(v, "line")->number;
        const jv *from = str_at(v, "from"), *to = str_at(v, "to");
        for (size_t i = 0; from && to && i + from->text_len <= l.lens[at]; i++) {
            if (memcmp(l.items[at] + i, from->text, from->text_len) == 0) {
                size_t n = l.lens[at] - from->text_len + to->text_len;
                char *line = malloc(n + 1);
                if (!line) abort();
                memcpy(line, l.items[at], i);
                memcpy(line + i, to->text, to->text_len);
                memcpy(line + i + to->text_len, l.items[at] + i + from->text_len, l.lens[at] - i - from->text_len + 1);
                free(l.items[at]);
                l.items[at] = line;
                l.lens[at] = n;
                break;
            }
        }
    }
    char *text = lines_text(&l, len);
    lines_free(&l);
    if ((v = json_get(m, "cut_bytes"))) *len -= (size_t)v->number;
    return text;
}

/* verify.json: the mutated log verifies with the expected status and first problem; with
 * flip_every_byte, no one-byte change verifies intact. */
static void run_audit_verify(const char *file, const jv *c) {
    set_context(file, c);
    const jv *chain_key = str_at(c, "chain_key"), *public_key = str_at(c, "public_key");
    if (!chain_key) chain_key = str_at(audit_records(), "chain_key");
    if (!public_key) public_key = str_at(current_doc, "public_key");
    size_t len = 0;
    char *log = mutated_log(c, &len);
    if (!log || !chain_key) {
        free(log);
        return;
    }
    const jv *flip = json_get(c, "flip_every_byte");
    if (flip && flip->type == J_BOOL && flip->boolean) {
        size_t last_line_start = 0;
        for (size_t i = 0; i + 1 < len; i++) {
            if (log[i] == '\n') last_line_start = i + 1;
        }
        for (size_t i = 0; i < len; i++) {
            log[i] ^= 1;
            jv *report = verify_log(log, len, chain_key, public_key);
            log[i] ^= 1;
            if (!report || status_is(report, "intact") || (i < last_line_start && !status_is(report, "tampered"))) {
                fprintf(stderr, "[%s] byte %zu flipped: status %s\n", check_context, i,
                        report ? json_str(report, "status") : "(no report)");
                check_failures++;
            }
            json_free(report);
        }
        free(log);
        return;
    }
    jv *report = verify_log(log, len, chain_key, public_key);
    free(log);
    if (!report) return;
    const jv *expect = json_get(c, "expect");
    const jv *first = json_get(report, "first_bad");
    char *shown = json_write(report, NULL);
    const char *status = json_str(expect, "status"), *kind = json_str(expect, "first_kind");
    const jv *line = json_get(expect, "first_line");
    if ((status && !status_is(report, status)) || (kind && (!json_str(first, "kind") || strcmp(json_str(first, "kind"), kind))) ||
        (line && !json_equal(json_get(first, "line"), line))) {
        fprintf(stderr, "[%s] expected status %s, first %s at line %s; got %s\n", check_context, status ? status : "-",
                kind ? kind : "-", line ? line->text : "-", shown);
        check_failures++;
    }
    for (size_t k = 0; k < 2; k++) {
        const char *key = k ? "checkpoints" : "records";
        const jv *n = json_get(expect, key);
        if (n && !json_equal(json_get(report, key), n)) {
            fprintf(stderr, "[%s] %s: expected %s, got %s\n", check_context, key, n->text, shown);
            check_failures++;
        }
    }
    /* exit_code follows the status, as `routeguard audit verify` exits. */
    double exit_code = status_is(report, "intact") ? 0 : status_is(report, "incomplete") ? 4 : 1;
    CHECK(json_get(report, "exit_code") && json_get(report, "exit_code")->number == exit_code);
    free(shown);
    json_free(report);
}

/* `got` holds every key of `expected` (objects on the keys given, lists element by element). */
static void check_keys(const char *where, const jv *got, const jv *expected) {
    char path[512];
    if (expected->type == J_OBJECT) {
        for (size_t k = 0; k < expected->len; k++) {
            snprintf(path, sizeof path, "%s.%s", where, expected->keys[k]->text);
            const jv *value = got && got->type == J_OBJECT ? json_get(got, expected->keys[k]->text) : NULL;
            check_keys(path, value, expected->items[k]);
        }
    } else if (expected->type == J_ARRAY) {
        if (!got || got->type != J_ARRAY || got->len != expected->len) {
            char *text = got ? json_write(got, NULL) : NULL;
            fprintf(stderr, "[%s] %s: expected %zu entries, got %s\n", check_context, where, expected->len,
                    text ? text : "nothing");
            free(text);
            check_failures++;
            return;
        }
        for (size_t i = 0; i < expected->len; i++) {
            snprintf(path, sizeof path, "%s[%zu]", where, i);
            check_keys(path, got->items[i], expected->items[i]);
        }
    } else if (!json_equal(got, expected)) {
        char *g = got ? json_write(got, NULL) : NULL, *e = json_write(expected, NULL);
        fprintf(stderr, "[%s] %s == %s, expected %s\n", check_context, where, g ? g : "(missing)", e);
        free(g);
        free(e);
        check_failures++;
    }
}

/* guard.json: prepare, then write the interaction through the guard to a memory trail; the
 * record holds `expect`. */
static void run_audit_guard(const char *file, const jv *c) {
    set_context(file, c);
    static const char *config = "{\"sink\":{\"type\":\"memory\"},\"writer\":\"guard.1\",\"prompt\":\"full\","
                                "\"response\":\"full\",\"checkpoint_every\":0,\"checkpoint_interval_ms\":0}";
    const jv *chain_key = str_at(audit_records(), "chain_key");
    size_t policy_len = 0, principal_len = 0, request_len = 0, details_len = 0;
    char *policy = field_json(current_doc, "policy", &policy_len);
    char *principal = field_json(c, "principal", &principal_len);
    char *request = field_json(c, "request", &request_len);
    char *details = field_json(c, "details", &details_len);
    rg_guard *guard = NULL;
    rg_decision *decision = NULL;
    rg_audit_trail *trail = NULL;
    rg_text *receipt = NULL;
    rg_error *err = NULL;
    jv *got = NULL, *record = NULL;
    if (!chain_key ||
        !ok(rg_guard_new((const uint8_t *)policy, policy_len, RG_POLICY_JSON, (const uint8_t *)catalog_text,
                         catalog_len, RG_CATALOG_SNAPSHOT_JSON, &guard, &err),
            err, "rg_guard_new") ||
        !ok(rg_guard_prepare(guard, (const uint8_t *)principal, principal_len, (const uint8_t *)request, request_len,
                             NULL, 0, NULL, &decision, &err),
            err, "rg_guard_prepare") ||
        !ok(rg_audit_trail_open((const uint8_t *)config, strlen(config), (const uint8_t *)chain_key->text,
                                chain_key->text_len, NULL, 0, NULL, NULL, &trail, &err),
            err, "rg_audit_trail_open") ||
        !ok(rg_guard_audit(guard, trail, (const uint8_t *)principal, principal_len, (const uint8_t *)request,
                           request_len, decision, (const uint8_t *)details, details_len, time_field(c, "now_ms"),
                           &receipt, &err),
            err, "rg_guard_audit")) {
        goto done;
    }
    got = take_json(receipt, "rg_guard_audit");
    const jv *line = str_at(got, "line");
    if (!line) {
        CHECK(!"the receipt holds the line");
        goto done;
    }
    if (getenv("ROUTEGUARD_SHOW")) fprintf(stderr, "%s: %s\n", json_str(c, "name"), line->text);
    record = json_parse(line->text, line->text_len, NULL);
    CHECK(record != NULL);
    const jv *expect = json_get(c, "expect");
    if (record && expect) check_keys("record", record, expect);
    const jv *absent = json_get(c, "expect_absent");
    for (size_t i = 0; absent && absent->type == J_ARRAY && i < absent->len; i++) {
        if (contains(line->text, line->text_len, absent->items[i]->text, absent->items[i]->text_len)) {
            fprintf(stderr, "[%s] the record holds %s\n", check_context, absent->items[i]->text);
            check_failures++;
        }
    }
done:
    json_free(got);
    json_free(record);
    rg_audit_trail_free(trail);
    rg_decision_free(decision);
    rg_guard_free(guard);
    free(policy);
    free(principal);
    free(request);
    free(details);
}

/* canonical.json: the canonical form of `input`, byte for byte, or the error code. */
static void run_audit_canonical(const char *file, const jv *c) {
    set_context(file, c);
    const jv *input = str_at(c, "input"), *canonical = str_at(c, "canonical");
    const char *error = json_str(c, "error");
    if (!input || (!canonical && !error)) {
        CHECK(!"a canonical case with input and canonical or error");
        return;
    }
    rg_text *text = NULL;
    rg_error *err = NULL;
    rg_result r = rg_canonical_json((const uint8_t *)input->text, input->text_len, &text, &err);
    if (canonical) {
        if (!ok(r, err, "rg_canonical_json")) return;
        rg_str got = rg_text_str(text);
        if (!str_eq(got, canonical->text, canonical->text_len)) {
            fprintf(stderr, "[%s] got\n  %.*s\nexpected\n  %s\n", check_context, (int)got.len, got.data, canonical->text);
            check_failures++;
        }
        rg_text_free(text);
    } else {
        CHECK_STR(rg_result_name(r), error);
        CHECK_STR(rg_error_code(err), error);
        rg_error_free(err);
    }
}

/* ---- governed/: governed calls against the local OpenRouter stand-in ---- */

/* The stand-in: its process (the shell popen runs `exec`s it, so the pid is the server's), its
 * root URL (`http://127.0.0.1:PORT`) and the key file the clients read. */
static FILE *mock_pipe = NULL;
static pid_t mock_pid = 0;
static char mock_root[256];
static char key_file[512];
static jv *governed_records = NULL;

static int mock_start(void) {
    if (mock_pipe) return 1;
    if (!current_dir) return 0;
    char command[4096];
    snprintf(command, sizeof command,
             "echo $$; exec python3 '%s/../../mock-openrouter/server.py' --port 0 --idle-exit 120",
             current_dir);
    mock_pipe = popen(command, "r");
    char line[256];
    long pid = 0;
    if (!mock_pipe || !fgets(line, sizeof line, mock_pipe) || sscanf(line, "%ld", &pid) != 1 ||
        !fgets(line, sizeof line, mock_pipe) || strncmp(line, "listening http://", 17) != 0) {
        fprintf(stderr, "conformance: the OpenRouter stand-in did not start\n");
        check_failures++;
        if (mock_pipe) pclose(mock_pipe);
        mock_pipe = NULL;
        return 0;
    }
    mock_pid = (pid_t)pid;
    line[strcspn(line, "\r\n")] = 0;
    snprintf(mock_root, sizeof mock_root, "%s", line + strlen("listening "));
    snprintf(key_file, sizeof key_file, "%s/openrouter-key", scratch_dir);
    FILE *key = fopen(key_file, "w");
    if (!key || fputs("sk-or-v1-conformance\n", key) < 0 || fclose(key) != 0) {
        CHECK(!"the key file is written");
    }
    curl_global_init(CURL_GLOBAL_DEFAULT);
    return 1;
}

static void mock_stop(void) {
    json_free(governed_records);
    governed_records = NULL;
    if (!mock_pipe) return;
    kill(mock_pid, SIGTERM);
    pclose(mock_pipe);
    mock_pipe = NULL;
    curl_global_cleanup();
}

/* A growing buffer for HTTP bodies (NUL-terminated). */
typedef struct {
    char *data;
    size_t len;
} http_body;

static size_t http_collect(char *ptr, size_t size, size_t n, void *user_data) {
    http_body *body = user_data;
    char *grown = realloc(body->data, body->len + size * n + 1);
    if (!grown) return 0;
    body->data = grown;
    memcpy(body->data + body->len, ptr, size * n);
    body->len += size * n;
    body->data[body->len] = 0;
    return size * n;
}

/* One HTTP request with libcurl: POST `payload` when it is not NULL, else GET. Returns the status
 * (-1 when the request failed) and the body in `*out` (malloc'd; free it). */
static long http(const char *url, const char *payload, size_t payload_len, const char *bearer, http_body *out) {
    out->data = calloc(1, 1);
    out->len = 0;
    CURL *curl = curl_easy_init();
    if (!curl) return -1;
    struct curl_slist *headers = curl_slist_append(NULL, "Content-Type: application/json");
    char authorization[256];
    if (bearer) {
        snprintf(authorization, sizeof authorization, "Authorization: Bearer %s", bearer);
        headers = curl_slist_append(headers, authorization);
    }
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, http_collect);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, out);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, 30L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    if (payload) {
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, payload);
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, (long)payload_len);
    }
    long status = -1;
    if (curl_easy_perform(curl) == CURLE_OK) curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    return status;
}

/* POSTs `value` (JSON) to the stand-in's control API (`/_mock/<what>`). */
static void mock_control(const char *what, const jv *value) {
    char url[512];
    snprintf(url, sizeof url, "%s/_mock/%s", mock_root, what);
    size_t len = 2;
    char *payload = value ? json_write(value, &len) : NULL;
    http_body body;
    long status = http(url, payload ? payload : "{}", len, NULL, &body);
    if (status != 200) {
        fprintf(stderr, "[%s] POST /_mock/%s answered %ld\n", check_context, what, status);
        check_failures++;
    }
    free(payload);
    free(body.data);
}

/* The content of choices[0].message.content of a response (or "" when it has none). */
static const jv *message_content(const jv *response) {
    const jv *choices = json_get(response, "choices");
    if (!choices || choices->type != J_ARRAY || choices->len == 0) return NULL;
    const jv *content = json_get(json_get(choices->items[0], "message"), "content");
    return content && content->type == J_STRING ? content : NULL;
}

/* Collects the streamed chunks: their count and the content of their deltas. */
typedef struct {
    size_t chunks;
    lines text;
} stream_state;

static int governed_chunk(void *user_data, const char *chunk, size_t len) {
    stream_state *state = user_data;
    state->chunks++;
    if (chunk[len] != 0) CHECK(!"a chunk is followed by a NUL");
    jv *parsed = json_parse(chunk, len, NULL);
    if (!parsed) {
        CHECK(!"a chunk is JSON");
        return 0;
    }
    const jv *choices = json_get(parsed, "choices");
    if (choices && choices->type == J_ARRAY && choices->len > 0) {
        const jv *content = json_get(json_get(choices->items[0], "delta"), "content");
        if (content && content->type == J_STRING) lines_push(&state->text, content->text, content->text_len);
    }
    json_free(parsed);
    return 0;
}

/* One governed case: a guard over the built-in catalogue, a memory ledger and trail, the call by
 * `mode`, then the answer, the text, the request the stand-in received, the one record and the
 * settlements. */
static void run_governed(const char *file, const jv *c) {
    set_context(file, c);
    static jv *records = NULL; /* audit/records.json, for its chain key; freed by mock_stop */
    if (!records && current_dir) {
        char path[4096];
        snprintf(path, sizeof path, "%s/../audit/records.json", current_dir);
        records = json_parse_file(path, NULL);
        governed_records = records;
    }
    const jv *chain_key = str_at(records, "chain_key");
    const jv *policy = json_get(json_get(current_doc, "policies"), json_str(c, "policy") ? json_str(c, "policy") : "");
    const char *mode = json_str(c, "mode");
    if (!chain_key || !policy || !mode || !mock_start()) {
        CHECK(!"a governed case with a policy, a mode, records.json and the stand-in");
        return;
    }
    mock_control("reset", NULL);
    if (json_get(c, "script")) mock_control("script", json_get(c, "script"));

    rg_guard *guard = NULL;
    rg_ledger *ledger = NULL;
    rg_audit_trail *trail = NULL;
    rg_error *err = NULL;
    size_t policy_len, principal_len, request_len;
    char *policy_text = json_write(policy, &policy_len);
    char *principal = field_json(c, "principal", &principal_len);
    char *request = field_json(c, "request", &request_len);
    const char *trail_config = "{\"sink\": {\"type\": \"memory\"}, \"writer\": \"governed.1\", \"prompt\": \"full\", \"response\": \"hash\"}";
    char options[2048];
    snprintf(options, sizeof options, "{\"base_url\": \"%s/api/v1\", \"backoff_ms\": 5, \"api_key_file\": \"%s\"}",
             mock_root, key_file);
    jv *answer = NULL;
    rg_text *answer_text = NULL;
    const jv *text = NULL;
    stream_state streamed = {0, {0}};
    char *joined = NULL;
    size_t joined_len = 0;
    if (!ok(rg_guard_new((const uint8_t *)policy_text, policy_len, RG_POLICY_JSON, NULL, 0, RG_CATALOG_DEFAULT,
                         &guard, &err), err, "rg_guard_new") ||
        !ok(rg_ledger_open((const uint8_t *)"memory:", 7, &ledger, &err), err, "rg_ledger_open") ||
        !ok(rg_audit_trail_open((const uint8_t *)trail_config, strlen(trail_config), (const uint8_t *)chain_key->text,
                                chain_key->text_len, NULL, 0, NULL, NULL, &trail, &err), err, "rg_audit_trail_open")) {
        goto done;
    }
    if (strcmp(mode, "chat") == 0 || strcmp(mode, "stream") == 0) {
        rg_client *client = NULL;
        if (!ok(rg_client_new(guard, ledger, trail, (const uint8_t *)options, strlen(options), &client, &err), err,
                "rg_client_new")) {
            goto done;
        }
        CHECK(rg_client_base_url(client).len > 0);
        rg_result r = strcmp(mode, "chat") == 0
                          ? rg_client_chat(client, (const uint8_t *)principal, principal_len, (const uint8_t *)request,
                                           request_len, &answer_text, &err)
                          : rg_client_stream(client, (const uint8_t *)principal, principal_len,
                                             (const uint8_t *)request, request_len, governed_chunk, &streamed,
                                             &answer_text, &err);
        rg_client_free(client);
        if (!ok(r, err, mode)) goto done;
    } else if (strcmp(mode, "complete") == 0) {
        rg_governor *governor = NULL;
        rg_call *call = (rg_call *)&governor; /* sentinels: begin sets both */
        answer_text = (rg_text *)&governor;
        if (!ok(rg_governor_new(guard, ledger, trail, NULL, 0, &governor, &err), err, "rg_governor_new")) goto done;
        rg_result r = rg_governor_begin(governor, (const uint8_t *)principal, principal_len, (const uint8_t *)request,
                                        request_len, &call, &answer_text, &err);
        rg_governor_free(governor);
        if (!ok(r, err, "rg_governor_begin")) {
            answer_text = NULL;
            goto done;
        }
        CHECK((call == NULL) != (answer_text == NULL));
        if (call) {
            rg_str sent = rg_call_request(call);
            char url[512];
            snprintf(url, sizeof url, "%s/api/v1/chat/completions", mock_root);
            http_body body;
            long status = http(url, sent.data, sent.len, "sk-or-v1-conformance", &body);
            CHECK(status > 0);
            r = rg_call_complete(call, (uint16_t)status, (const uint8_t *)body.data, body.len, &answer_text, &err);
            free(body.data);
            rg_call_free(call);
            if (!ok(r, err, "rg_call_complete")) goto done;
        }
    } else {
        CHECK(!"a known mode");
        goto done;
    }
    rg_str answer_str = rg_text_str(answer_text);
    answer = parse_str(answer_str, "the answer");
    if (!answer) goto done;
    check_budget("answer", answer, json_get(c, "expect"));
    if (strcmp(mode, "stream") == 0) {
        joined = lines_text(&streamed.text, &joined_len);
        /* lines_text ends each piece with a newline: join without them. */
        size_t w = 0;
        for (size_t i = 0; i < streamed.text.len; i++) {
            memcpy(joined + w, streamed.text.items[i], streamed.text.lens[i]);
            w += streamed.text.lens[i];
        }
        joined[w] = 0;
        joined_len = w;
    } else {
        text = message_content(json_get(answer, "response"));
        joined_len = text ? text->text_len : 0;
        joined = malloc(joined_len + 1);
        memcpy(joined, text ? text->text : "", joined_len);
        joined[joined_len] = 0;
    }
    const jv *expect_text = str_at(c, "expect_text");
    if (expect_text && (joined_len != expect_text->text_len || memcmp(joined, expect_text->text, joined_len) != 0)) {
        fprintf(stderr, "[%s] text \"%s\", expected \"%s\"\n", check_context, joined, expect_text->text);
        check_failures++;
    }
    const jv *chunks_min = json_get(c, "expect_chunks_min");
    if (chunks_min && streamed.chunks < (size_t)chunks_min->number) {
        fprintf(stderr, "[%s] %zu chunks, expected at least %.0f\n", check_context, streamed.chunks,
                chunks_min->number);
        check_failures++;
    }
    const jv *expect_sent = json_get(c, "expect_sent");
    if (expect_sent) {
        char url[512];
        snprintf(url, sizeof url, "%s/_mock/requests", mock_root);
        http_body body;
        CHECK(http(url, NULL, 0, NULL, &body) == 200);
        jv *requests = json_parse(body.data, body.len, NULL);
        free(body.data);
        const jv *last = NULL;
        for (size_t i = 0; requests && requests->type == J_ARRAY && i < requests->len; i++) {
            const char *path = json_str(requests->items[i], "path");
            size_t n = path ? strlen(path) : 0;
            if (n >= 17 && strcmp(path + n - 17, "/chat/completions") == 0) last = json_get(requests->items[i], "body");
        }
        if (expect_sent->type == J_NULL) {
            if (last) CHECK(!"no chat request reached the stand-in");
        } else if (!last) {
            CHECK(!"a chat request reached the stand-in");
        } else {
            check_budget("sent", last, expect_sent);
        }
        json_free(requests);
    }
    rg_text *lines_json = NULL;
    if (ok(rg_audit_trail_lines(trail, &lines_json, &err), err, "rg_audit_trail_lines")) {
        jv *all = take_json(lines_json, "the trail's lines");
        size_t interactions = 0;
        for (size_t i = 0; all && all->type == J_ARRAY && i < all->len; i++) {
            const jv *line = all->items[i];
            jv *record = json_parse(line->text, line->text_len, NULL);
            const char *kind = json_str(record, "kind");
            if (kind && strcmp(kind, "interaction") == 0) {
                interactions++;
                if (json_get(c, "expect_record")) check_budget("record", record, json_get(c, "expect_record"));
                const jv *absent = json_get(c, "expect_absent");
                for (size_t a = 0; absent && absent->type == J_ARRAY && a < absent->len; a++) {
                    const jv *needle = absent->items[a];
                    if (contains(line->text, line->text_len, needle->text, needle->text_len) ||
                        contains(answer_str.data, answer_str.len, needle->text, needle->text_len)) {
                        fprintf(stderr, "[%s] the record or the answer holds \"%s\"\n", check_context, needle->text);
                        check_failures++;
                    }
                }
            }
            json_free(record);
        }
        CHECK_EQ_SIZE(interactions, 1);
        json_free(all);
    }
    const jv *spend = json_get(c, "expect_spend_records");
    rg_text *spend_json = NULL;
    if (spend && ok(rg_ledger_records(ledger, RG_TIME_NONE, RG_TIME_NONE, &spend_json, &err), err, "rg_ledger_records")) {
        jv *settled = take_json(spend_json, "the ledger's records");
        CHECK_EQ_SIZE(settled && settled->type == J_ARRAY ? settled->len : (size_t)-1, (size_t)spend->number);
        json_free(settled);
    }
done:
    json_free(answer);
    rg_text_free(answer_text);
    free(joined);
    lines_free(&streamed.text);
    rg_audit_trail_free(trail);
    rg_ledger_free(ledger);
    rg_guard_free(guard);
    free(policy_text);
    free(principal);
    free(request);
}

typedef void (*case_runner)(const char *file, const jv *c);

static const struct {
    const char *dir;
    const char *file;
    const char *op;
    case_runner run;
} RUNNERS[] = {
    {"dlp", "cases.json", "cases", run_cases},
    {"dlp", "actions.json", "actions", run_actions},
    {"dlp", "pseudonymize.json", "pseudonymize", run_pseudonymize},
    {"dlp", "requests.json", "requests", run_requests},
    {"dlp", "streams.json", "streams", run_streams},
    {"dlp", "config_errors.json", "config_errors", run_config_errors},
    {"policy", "prepare.json", "prepare", run_prepare},
    {"policy", "verify.json", "verify", run_verify},
    {"policy", "policy_errors.json", "policy_errors", run_policy_errors},
    {"budget", "ledger.json", "ledger", run_ledger},
    {"budget", "guard.json", "guard", run_budget_guard},
    {"audit", "records.json", "records", run_audit_records},
    {"audit", "verify.json", "verify", run_audit_verify},
    {"audit", "guard.json", "guard", run_audit_guard},
    {"audit", "canonical.json", "canonical", run_audit_canonical},
    {"governed", "calls.json", "calls", run_governed},
};

/* Files that sit next to the cases and are not cases themselves (policy/catalog.json is the
 * catalogue the policy cases run over; audit/gen-canonical.mjs wrote audit/canonical.json). */
static const struct {
    const char *dir;
    const char *file;
} COMPANIONS[] = {
    {"dlp", "sample.jsonl"},
    {"dlp", "bench-prompt.txt"},
    {"policy", "catalog.json"},
    {"audit", "gen-canonical.mjs"},
};

static int is_companion(const char *dir, const char *name) {
    for (size_t i = 0; i < sizeof COMPANIONS / sizeof *COMPANIONS; i++) {
        if (strcmp(dir, COMPANIONS[i].dir) == 0 && strcmp(name, COMPANIONS[i].file) == 0) return 1;
    }
    return strcmp(name, "README.md") == 0;
}

static int is_area(const char *name) {
    for (size_t i = 0; i < sizeof RUNNERS / sizeof *RUNNERS; i++) {
        if (strcmp(name, RUNNERS[i].dir) == 0) return 1;
    }
    return 0;
}

static int files_run = 0;

static void run_file(const char *dir, const char *area, const char *name) {
    char path[4096];
    if (snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path) {
        fprintf(stderr, "conformance: path too long: %s/%s\n", dir, name);
        check_failures++;
        return;
    }
    size_t r = 0;
    while (r < sizeof RUNNERS / sizeof *RUNNERS &&
           (strcmp(RUNNERS[r].dir, area) != 0 || strcmp(RUNNERS[r].file, name) != 0)) {
        r++;
    }
    if (r == sizeof RUNNERS / sizeof *RUNNERS) {
        if (is_companion(area, name)) return;
        fprintf(stderr, "conformance: unknown file %s (teach tests/c/conformance.c about it)\n", path);
        check_failures++;
        return;
    }
    char message[200];
    jv *doc = json_parse_file(path, message);
    const jv *cases = json_get(doc, "cases");
    if (!doc || !cases || cases->type != J_ARRAY) {
        fprintf(stderr, "conformance: %s: %s\n", path, doc ? "no `cases` array" : message);
        check_failures++;
        json_free(doc);
        return;
    }
    files_run++;
    current_doc = doc;
    current_dir = dir;
    for (size_t i = 0; i < cases->len; i++) {
        const char *op = json_str(cases->items[i], "op");
        if (op && strcmp(op, RUNNERS[r].op) != 0) {
            fprintf(stderr, "conformance: %s case %zu: unknown op `%s`\n", path, i, op);
            check_failures++;
            continue;
        }
        RUNNERS[r].run(name, cases->items[i]);
    }
    current_doc = NULL;
    current_dir = NULL;
    json_free(doc);
    json_free(records_doc);
    records_doc = NULL;
}

static int list(const char *dir, struct dirent ***entries) {
    int n = scandir(dir, entries, NULL, alphasort);
    if (n < 0) {
        fprintf(stderr, "conformance: cannot list %s\n", dir);
        check_failures++;
    }
    return n;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s <tests/conformance dir>\n", argv[0]);
        return 2;
    }
    const char *root = argv[1];
    /* The policy and budget cases run over the policy catalogue; SQLite ledgers live in a scratch
     * directory. */
    char policy_dir[2048];
    if (snprintf(policy_dir, sizeof policy_dir, "%s/policy", root) >= (int)sizeof policy_dir) return 2;
    load_catalog(policy_dir);
    snprintf(scratch_dir, sizeof scratch_dir, "/tmp/rg-c-conformance-XXXXXX");
    if (!mkdtemp(scratch_dir)) {
        fprintf(stderr, "conformance: cannot make a scratch directory\n");
        return 1;
    }
    struct dirent **top;
    int n = list(root, &top);
    for (int i = 0; i < n; i++) {
        const char *name = top[i]->d_name;
        char path[4096];
        if (snprintf(path, sizeof path, "%s/%s", root, name) >= (int)sizeof path) {
            fprintf(stderr, "conformance: path too long: %s/%s\n", root, name);
            return 1;
        }
        if (name[0] == '.' || strcmp(name, "README.md") == 0) {
            /* skip */
        } else if (strcmp(name, "errors.json") == 0) {
            char message[200];
            jv *doc = json_parse_file(path, message);
            if (!doc) {
                fprintf(stderr, "conformance: %s: %s\n", path, message);
                check_failures++;
            }
            files_run++;
            run_errors(name, doc);
            json_free(doc);
        } else if (is_area(name)) {
            struct dirent **files;
            int m = list(path, &files);
            for (int j = 0; j < m; j++) {
                if (files[j]->d_name[0] != '.') run_file(path, name, files[j]->d_name);
                free(files[j]);
            }
            if (m >= 0) free(files);
        } else {
            fprintf(stderr, "conformance: unknown entry %s (teach tests/c/conformance.c about it)\n", path);
            check_failures++;
        }
        free(top[i]);
    }
    if (n >= 0) free(top);
    free(catalog_text);
    mock_stop();
    char cleanup[512];
    snprintf(cleanup, sizeof cleanup, "rm -rf '%s'", scratch_dir);
    if (system(cleanup) != 0) fprintf(stderr, "conformance: could not remove %s\n", scratch_dir);
    printf("conformance: %d cases in %d files\n", cases_run, files_run);
    check_context = "";
    if (files_run == 0) CHECK(!"at least one conformance file");
    return check_summary("conformance");
}

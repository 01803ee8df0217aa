/* The C API's own contract, beyond the shared corpus: ownership, NULL handling, out parameters
 * written only on success, invalid UTF-8, the error object, every format of configuration,
 * options, vaults, streams with characters split across chunks, JSON forms, and concurrent use.
 *
 * Guards: every policy and catalogue source, the EU example (provider.only of EU endpoints, a
 * US-served response withheld, a model without EU endpoints denied, a fallback removed), DLP with
 * a hash key and a vault, arguments, and a guard shared by threads.
 *
 * Budgets: ledgers on memory: and SQLite (denials naming their cap, settlement, renewal, records,
 * reports in every format, errors, out parameters, threads racing for one cap) and reservations
 * through the guard.
 *
 * Audit trails: a JSON Lines trail written, closed, verified (then a byte changed: tampered at
 * the right line), searched by user and provider, exported as CSV and OCSF; callback sinks that
 * fail closed and open (and the closing checkpoint written by free); NULLs, UTF-8, bad keys and
 * events whose secrets stay out of error messages; canonical JSON; records through the guard
 * (its policy's trail, keyed by a file); threads sharing a trail.
 *
 * Usage: api_test <scratch dir> [<tests/conformance dir>]   (configuration, policy and catalogue
 * files are written to the scratch dir; the corpus provides policy/catalog.json) */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <sys/stat.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "json.h"

#define U8(s) ((const uint8_t *)(s))

static const char *SECRET = "sk-or-v1-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

static rg_scanner *default_scanner(void) {
    rg_scanner *scanner = NULL;
    rg_error *err = NULL;
    if (!ok(rg_scanner_new(NULL, 0, RG_CONFIG_DEFAULT, &scanner, &err), err, "default scanner")) exit(1);
    return scanner;
}

static void test_version_and_table(void) {
    check_context = "version and error table";
    CHECK(rg_version().len > 0);
    CHECK(rg_version().data[rg_version().len] == 0);
    CHECK(rg_result_count() >= 16);
    CHECK_STR(rg_result_name(RG_INVALID_UTF8), "invalid_utf8");
    CHECK_STR(rg_result_name(RG_INTERNAL), "internal");
    CHECK_STR(rg_result_name(RG_OK), "");
    CHECK_STR(rg_result_name(4242), "");
    CHECK(rg_result_meaning(RG_BLOCKED).len > 0);
    CHECK_EQ_SIZE(rg_result_at(0), RG_INVALID_UTF8);
    CHECK_EQ_SIZE(rg_result_at(rg_result_count()), 0);
    /* The header's constants carry the table's numbers and names. */
    static const struct {
        uint32_t number;
        const char *name;
    } HEADER[] = {
        {RG_INVALID_UTF8, "invalid_utf8"},
        {RG_INVALID_JSON, "invalid_json"},
        {RG_INVALID_REQUEST, "invalid_request"},
        {RG_INPUT_TOO_LARGE, "input_too_large"},
        {RG_INVALID_ARGUMENT, "invalid_argument"},
        {RG_UNKNOWN_PSEUDONYM, "unknown_pseudonym"},
        {RG_INVALID_CONFIG, "invalid_config"},
        {RG_INVALID_PATTERN, "invalid_pattern"},
        {RG_PATTERN_TOO_LARGE, "pattern_too_large"},
        {RG_UNKNOWN_DETECTOR, "unknown_detector"},
        {RG_UNKNOWN_VALIDATOR, "unknown_validator"},
        {RG_DUPLICATE_DETECTOR, "duplicate_detector"},
        {RG_CONFIG_FILE_UNREADABLE, "config_file_unreadable"},
        {RG_MISSING_KEY, "missing_key"},
        {RG_INVALID_POLICY, "invalid_policy"},
        {RG_INVALID_GLOB, "invalid_glob"},
        {RG_UNSUPPORTED_POLICY_VERSION, "unsupported_policy_version"},
        {RG_INVALID_CATALOG, "invalid_catalog"},
        {RG_UNKNOWN_PROVIDER, "unknown_provider"},
        {RG_BLOCKED, "blocked"},
        {RG_PRICE_UNKNOWN, "price_unknown"},
        {RG_UNKNOWN_RESERVATION, "unknown_reservation"},
        {RG_ALREADY_SETTLED, "already_settled"},
        {RG_LEDGER_UNAVAILABLE, "ledger_unavailable"},
        {RG_INVALID_LEDGER_URL, "invalid_ledger_url"},
        {RG_AUDIT_UNAVAILABLE, "audit_unavailable"},
        {RG_INVALID_AUDIT_RECORD, "invalid_audit_record"},
        {RG_AUDIT_KEY_INVALID, "audit_key_invalid"},
        {RG_AUDIT_TRAIL_CLOSED, "audit_trail_closed"},
        {RG_AUDIT_UNREADABLE, "audit_unreadable"},
        {RG_MISSING_API_KEY, "missing_api_key"},
        {RG_TRANSPORT_FAILED, "transport_failed"},
        {RG_UPSTREAM_ERROR, "upstream_error"},
        {RG_INTERNAL, "internal"},
    };
    CHECK_EQ_SIZE(sizeof HEADER / sizeof *HEADER, rg_result_count());
    for (size_t i = 0; i < sizeof HEADER / sizeof *HEADER; i++) {
        CHECK_EQ_SIZE(rg_result_at(i), HEADER[i].number);
        CHECK_STR(rg_result_name(HEADER[i].number), HEADER[i].name);
    }
}

static void test_scan_offsets_are_bytes(rg_scanner *scanner) {
    check_context = "scan: byte offsets";
    /* "é" is 2 bytes, "🙂" 4: the card starts at byte 16, not at code point 12. */
    const char *text = "café 🙂 card 4111 1111 1111 1111 ok";
    rg_findings *found = NULL;
    rg_error *err = NULL;
    if (!ok(rg_scanner_scan(scanner, U8(text), strlen(text), &found, &err), err, "scan")) return;
    CHECK_EQ_SIZE(rg_findings_len(found), 1);
    const rg_finding *f = rg_findings_get(found, 0);
    CHECK_STR(rg_finding_detector(f), "credit_card");
    CHECK_STR(rg_finding_category(f), "CREDIT_CARD");
    CHECK_STR(rg_finding_kind(f), "pii");
    CHECK(rg_finding_action(f).len > 0);
    CHECK(rg_finding_confidence(f) > 0.0 && rg_finding_confidence(f) <= 1.0);
    CHECK_EQ_SIZE(rg_finding_start(f), 16);
    CHECK_EQ_SIZE(rg_finding_end(f), 35);
    CHECK_EQ_SIZE(rg_finding_byte_start(f), rg_finding_start(f));
    CHECK(memcmp(text + rg_finding_start(f), "4111 1111 1111 1111", 19) == 0);
    CHECK_STR(rg_finding_path(f), "");
    CHECK(rg_findings_get(found, 1) == NULL);
    /* The JSON form says the same. */
    rg_str json = rg_findings_json(found);
    jv *parsed = json_parse(json.data, json.len, NULL);
    CHECK(parsed && parsed->type == J_ARRAY && parsed->len == 1);
    if (parsed && parsed->len == 1) {
        CHECK(strcmp(json_str(parsed->items[0], "detector"), "credit_card") == 0);
        CHECK(json_get(parsed->items[0], "byte_start")->number == 16);
        CHECK(json_get(parsed->items[0], "path") == NULL);
    }
    json_free(parsed);
    CHECK(rg_findings_json(found).data == json.data); /* cached, stable */
    rg_findings_free(found);
}

static void test_invalid_utf8_and_null_arguments(rg_scanner *scanner) {
    check_context = "invalid UTF-8 and NULL arguments";
    const char bad[] = "card 4111 1111 1111 1111 \xff\xfe tail";
    rg_findings *sentinel = (rg_findings *)&check_failures, *found = sentinel;
    rg_error *err = NULL;
    rg_result r = rg_scanner_scan(scanner, U8(bad), sizeof bad - 1, &found, &err);
    CHECK(r == RG_INVALID_UTF8);
    CHECK(r == 1000);
    CHECK(found == sentinel); /* out parameter untouched on failure */
    CHECK(err != NULL);
    CHECK(rg_error_number(err) == RG_INVALID_UTF8);
    CHECK_STR(rg_error_code(err), "invalid_utf8");
    rg_str message = rg_error_message(err);
    CHECK(message.len > 0 && message.data[message.len] == 0);
    CHECK(strstr(message.data, "4111") == NULL); /* no scanned text in messages */
    rg_error_free(err);

    /* NULL err is allowed: the code alone comes back. */
    CHECK(rg_scanner_scan(scanner, U8(bad), sizeof bad - 1, &found, NULL) == RG_INVALID_UTF8);
    /* NULL scanner, NULL out, NULL text with a length: invalid_argument. */
    CHECK(rg_scanner_scan(NULL, U8("x"), 1, &found, NULL) == RG_INVALID_ARGUMENT);
    CHECK(rg_scanner_scan(scanner, U8("x"), 1, NULL, NULL) == RG_INVALID_ARGUMENT);
    CHECK(rg_scanner_scan(scanner, NULL, 5, &found, &err) == RG_INVALID_ARGUMENT);
    CHECK_STR(rg_error_code(err), "invalid_argument");
    rg_error_free(err);
    CHECK(found == sentinel);
    /* NULL text with length 0 is the empty text. */
    if (ok(rg_scanner_scan(scanner, NULL, 0, &found, &err), err, "empty scan")) {
        CHECK(found != sentinel);
        CHECK_EQ_SIZE(rg_findings_len(found), 0);
        CHECK_STR(rg_findings_json(found), "[]");
        rg_findings_free(found);
    }
    /* Embedded NUL bytes are text like any other. */
    const char nul[] = "a\0b 4111 1111 1111 1111";
    if (ok(rg_scanner_scan(scanner, U8(nul), sizeof nul - 1, &found, &err), err, "scan with NUL")) {
        CHECK_EQ_SIZE(rg_findings_len(found), 1);
        CHECK_EQ_SIZE(rg_finding_start(rg_findings_get(found, 0)), 4);
        rg_findings_free(found);
    }
    /* Accessors and frees accept NULL. */
    CHECK_EQ_SIZE(rg_findings_len(NULL), 0);
    CHECK(rg_findings_get(NULL, 0) == NULL);
    CHECK_STR(rg_finding_detector(NULL), "");
    CHECK_EQ_SIZE(rg_finding_start(NULL), 0);
    CHECK(rg_finding_confidence(NULL) == 0.0);
    CHECK_STR(rg_redaction_text(NULL), "");
    CHECK(!rg_redaction_blocked(NULL));
    CHECK(rg_redaction_findings(NULL) == NULL);
    CHECK_STR(rg_error_code(NULL), "");
    CHECK(rg_error_number(NULL) == RG_OK);
    CHECK_STR(rg_text_str(NULL), "");
    CHECK_EQ_SIZE(rg_vault_len(NULL), 0);
    CHECK_EQ_SIZE(rg_stream_pending(NULL), 0);
    CHECK_EQ_SIZE(rg_scanner_stream_holdback(NULL), 0);
    rg_scanner_free(NULL);
    rg_findings_free(NULL);
    rg_redaction_free(NULL);
    rg_request_scan_free(NULL);
    rg_released_free(NULL);
    rg_stream_free(NULL);
    rg_options_free(NULL);
    rg_vault_free(NULL);
    rg_text_free(NULL);
    rg_error_free(NULL);
}

static void test_configurations(const char *scratch) {
    check_context = "configurations";
    const char *json = "{\"custom\":[{\"id\":\"employee_id\",\"category\":\"EMPLOYEE_ID\","
                       "\"pattern\":\"EMP-[0-9]{6}\",\"confidence\":0.9}],\"builtin\":{\"enable\":[]}}";
    const char *yaml = "custom:\n  - id: employee_id\n    category: EMPLOYEE_ID\n"
                       "    pattern: 'EMP-[0-9]{6}'\n    confidence: 0.9\nbuiltin:\n  enable: []\n";
    char path[4096];
    snprintf(path, sizeof path, "%s/scanner.yaml", scratch);
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (f) {
        fputs(yaml, f);
        fclose(f);
    }
    const struct {
        rg_config_format format;
        const char *config;
    } sources[] = {{RG_CONFIG_JSON, json}, {RG_CONFIG_YAML, yaml}, {RG_CONFIG_FILE, path}};
    const char *text = "badge EMP-123456 and card 4111 1111 1111 1111";
    for (size_t i = 0; i < 3; i++) {
        rg_scanner *scanner = NULL;
        rg_findings *found = NULL;
        rg_error *err = NULL;
        if (!ok(rg_scanner_new(U8(sources[i].config), strlen(sources[i].config), sources[i].format,
                               &scanner, &err),
                err, "rg_scanner_new")) {
            continue;
        }
        if (ok(rg_scanner_scan(scanner, U8(text), strlen(text), &found, &err), err, "scan")) {
            CHECK_EQ_SIZE(rg_findings_len(found), 1); /* only the custom detector is on */
            CHECK_STR(rg_finding_detector(rg_findings_get(found, 0)), "employee_id");
            CHECK_EQ_SIZE(rg_finding_start(rg_findings_get(found, 0)), 6);
            rg_findings_free(found);
        }
        rg_text *detectors = NULL;
        if (ok(rg_scanner_detectors_json(scanner, &detectors, &err), err, "detectors")) {
            rg_str s = rg_text_str(detectors);
            jv *parsed = json_parse(s.data, s.len, NULL);
            CHECK(parsed && parsed->type == J_ARRAY && parsed->len == 1);
            if (parsed && parsed->len == 1) CHECK(strcmp(json_str(parsed->items[0], "id"), "employee_id") == 0);
            json_free(parsed);
            rg_text_free(detectors);
        }
        rg_scanner_free(scanner);
    }

    /* Failures: each leaves *out alone and names its code. */
    const struct {
        rg_config_format format;
        const char *config;
        rg_result expected;
    } failures[] = {
        {RG_CONFIG_JSON, "{\"nope\": 1}", RG_INVALID_CONFIG},
        {RG_CONFIG_JSON, "{\"custom\":[{\"id\":\"x\",\"category\":\"X\",\"pattern\":\"(\"}]}", RG_INVALID_PATTERN},
        {RG_CONFIG_JSON, "{\"a\xff\": 1}", RG_INVALID_UTF8},
        {RG_CONFIG_YAML, "builtin: [1", RG_INVALID_CONFIG},
        {RG_CONFIG_FILE, "/nonexistent/routeguard.yaml", RG_CONFIG_FILE_UNREADABLE},
        {RG_CONFIG_DEFAULT, "{}", RG_INVALID_ARGUMENT},
        {99, "{}", RG_INVALID_ARGUMENT},
    };
    for (size_t i = 0; i < sizeof failures / sizeof *failures; i++) {
        rg_scanner *sentinel = (rg_scanner *)&check_failures, *scanner = sentinel;
        rg_error *err = NULL;
        rg_result r = rg_scanner_new(U8(failures[i].config), strlen(failures[i].config), failures[i].format, &scanner, &err);
        if (r != failures[i].expected) {
            fprintf(stderr, "[%s] case %zu: got %u (%s), expected %u\n", check_context, i, (unsigned)r,
                    rg_error_message(err).data, (unsigned)failures[i].expected);
            check_failures++;
        }
        CHECK(scanner == sentinel);
        CHECK(rg_error_number(err) == r);
        rg_error_free(err);
    }
}

static void test_redact_and_options(rg_scanner *scanner) {
    check_context = "redact and options";
    char text[256];
    snprintf(text, sizeof text, "key %s and card 4111 1111 1111 1111", SECRET);
    rg_redaction *redaction = NULL;
    rg_error *err = NULL;
    /* Default profile: the secret blocks; its span is redacted in the text anyway. */
    if (ok(rg_scanner_redact(scanner, U8(text), strlen(text), NULL, &redaction, &err), err, "redact")) {
        CHECK(rg_redaction_blocked(redaction));
        CHECK(strstr(rg_redaction_text(redaction).data, SECRET) == NULL);
        CHECK(strstr(rg_redaction_text(redaction).data, "4111 1111") == NULL);
        const rg_findings *found = rg_redaction_findings(redaction);
        CHECK_EQ_SIZE(rg_findings_len(found), 2);
        CHECK_STR(rg_finding_kind(rg_findings_get(found, 0)), "secret");
        CHECK_EQ_SIZE(rg_redaction_applied_len(redaction), 2);
        const rg_applied *a = rg_redaction_applied_get(redaction, 1);
        CHECK_STR(rg_applied_detector(a), "credit_card");
        CHECK_EQ_SIZE(rg_applied_start(a), strlen(text) - 19);
        CHECK_EQ_SIZE(rg_applied_end(a), strlen(text));
        rg_str out = rg_redaction_text(redaction);
        CHECK_EQ_SIZE(rg_applied_output_end(a), out.len);
        CHECK(rg_applied_output_start(a) < rg_applied_output_end(a));
        CHECK(rg_redaction_applied_get(redaction, 2) == NULL);
        rg_str json = rg_redaction_json(redaction);
        jv *parsed = json_parse(json.data, json.len, NULL);
        CHECK(parsed && json_get(parsed, "blocked")->boolean == 1);
        CHECK(parsed && json_get(json_get(parsed, "applied"), "") == NULL);
        CHECK(parsed && json_get(parsed, "applied")->len == 2);
        json_free(parsed);
        rg_redaction_free(redaction);
    }

    rg_options *options = NULL;
    if (!ok(rg_options_new(&options, &err), err, "rg_options_new")) return;
    /* An unknown action is invalid_argument and leaves the options as they were. */
    CHECK(rg_options_set_action(options, U8("shred"), 5, &err) == RG_INVALID_ARGUMENT);
    CHECK(strstr(rg_error_message(err).data, "shred") != NULL); /* names the argument, not content */
    rg_error_free(err);
    CHECK(rg_options_set_action(NULL, U8("mask"), 4, NULL) == RG_INVALID_ARGUMENT);
    CHECK(rg_options_set_action(options, U8("redact"), 6, &err) == RG_OK);
    const char *card = "card 4111 1111 1111 1111";
    if (ok(rg_scanner_redact(scanner, U8(card), strlen(card), options, &redaction, &err), err, "redact")) {
        CHECK_STR(rg_redaction_text(redaction), "card [CREDIT_CARD]");
        CHECK_STR(rg_applied_action(rg_redaction_applied_get(redaction, 0)), "redact");
        rg_redaction_free(redaction);
    }
    /* hash needs a key: missing_key without one, a stable token with one. */
    CHECK(rg_options_set_action(options, U8("hash"), 4, NULL) == RG_OK);
    rg_redaction *sentinel = (rg_redaction *)&check_failures;
    redaction = sentinel;
    CHECK(rg_scanner_redact(scanner, U8(card), strlen(card), options, &redaction, &err) == RG_MISSING_KEY);
    CHECK(redaction == sentinel);
    rg_error_free(err);
    CHECK(rg_options_set_hash_key(options, U8("k\0y"), 3, NULL) == RG_OK);
    rg_redaction *again = NULL;
    if (ok(rg_scanner_redact(scanner, U8(card), strlen(card), options, &redaction, &err), err, "hash") &&
        ok(rg_scanner_redact(scanner, U8(card), strlen(card), options, &again, &err), err, "hash")) {
        CHECK(strstr(rg_redaction_text(redaction).data, "4111") == NULL);
        CHECK(str_eq(rg_redaction_text(redaction), rg_redaction_text(again).data, rg_redaction_text(again).len));
    }
    rg_redaction_free(redaction);
    rg_redaction_free(again);
    /* An empty action clears the override. */
    CHECK(rg_options_set_action(options, NULL, 0, NULL) == RG_OK);
    rg_options_free(options);
}

static void test_vault(rg_scanner *scanner) {
    check_context = "vault";
    rg_vault *vault = NULL;
    rg_options *options = NULL;
    rg_error *err = NULL;
    if (!ok(rg_vault_new(&vault, &err), err, "rg_vault_new") ||
        !ok(rg_options_new(&options, &err), err, "rg_options_new")) {
        return;
    }
    CHECK(rg_options_set_action(options, U8("pseudonymize"), 12, NULL) == RG_OK);
    CHECK(rg_options_set_vault(options, vault, NULL) == RG_OK);
    /* The options keep their own share: the vault handle may go first. */
    rg_vault *keep = vault;
    (void)keep;
    const char *text = "mail jane@example.com, card 4111 1111 1111 1111";
    rg_redaction *redaction = NULL;
    if (ok(rg_scanner_redact(scanner, U8(text), strlen(text), options, &redaction, &err), err, "pseudonymize")) {
        rg_str masked = rg_redaction_text(redaction);
        CHECK(strstr(masked.data, "jane@example.com") == NULL);
        CHECK_EQ_SIZE(rg_vault_len(vault), 2);
        rg_text *restored = NULL;
        if (ok(rg_vault_restore(vault, U8(masked.data), masked.len, &restored, &err), err, "restore")) {
            CHECK_STR(rg_text_str(restored), text);
            rg_text_free(restored);
        }
        rg_redaction_free(redaction);
    }
    rg_text *sentinel = (rg_text *)&check_failures, *restored = sentinel;
    CHECK(rg_vault_restore(NULL, U8("x"), 1, &restored, NULL) == RG_INVALID_ARGUMENT);
    CHECK(rg_vault_restore(vault, U8("\xc3"), 1, &restored, NULL) == RG_INVALID_UTF8);
    CHECK(restored == sentinel);
    rg_vault_free(vault);
    /* Still usable through the options after the handle is freed. */
    if (ok(rg_scanner_redact(scanner, U8(text), strlen(text), options, &redaction, &err), err, "after free")) {
        CHECK(strstr(rg_redaction_text(redaction).data, "4111") == NULL);
        rg_redaction_free(redaction);
    }
    rg_options_free(options);
}

static void test_request(rg_scanner *scanner) {
    check_context = "scan_request";
    const char *request = "{\"model\":\"openai/gpt-4o\",\"messages\":[{\"role\":\"user\","
                          "\"content\":\"my card is 4111 1111 1111 1111\"}]}";
    rg_request_scan *scan = NULL;
    rg_error *err = NULL;
    if (ok(rg_scanner_scan_request(scanner, U8(request), strlen(request), NULL, &scan, &err), err, "scan_request")) {
        CHECK(!rg_request_scan_blocked(scan));
        const rg_findings *found = rg_request_scan_findings(scan);
        CHECK_EQ_SIZE(rg_findings_len(found), 1);
        CHECK_STR(rg_finding_path(rg_findings_get(found, 0)), "/messages/0/content");
        CHECK_EQ_SIZE(rg_finding_start(rg_findings_get(found, 0)), 11);
        rg_str rewritten = rg_request_scan_request(scan);
        jv *parsed = json_parse(rewritten.data, rewritten.len, NULL);
        CHECK(parsed != NULL);
        CHECK(strstr(rewritten.data, "4111 1111") == NULL);
        json_free(parsed);
        rg_str whole = rg_request_scan_json(scan);
        parsed = json_parse(whole.data, whole.len, NULL);
        CHECK(parsed && json_get(parsed, "request")->type == J_OBJECT);
        CHECK(parsed && json_get(parsed, "findings")->len == 1);
        CHECK(parsed && strcmp(json_str(json_get(parsed, "findings")->items[0], "path"), "/messages/0/content") == 0);
        json_free(parsed);
        CHECK_EQ_SIZE(rg_request_scan_inline_data_len(scan), 0);
        CHECK(rg_request_scan_inline_data_get(scan, 0) == NULL);
        rg_request_scan_free(scan);
    }
    rg_request_scan *sentinel = (rg_request_scan *)&check_failures;
    scan = sentinel;
    CHECK(rg_scanner_scan_request(scanner, U8("{\"model\":"), 9, NULL, &scan, NULL) == RG_INVALID_JSON);
    CHECK(rg_scanner_scan_request(scanner, U8("[1]"), 3, NULL, &scan, NULL) == RG_INVALID_REQUEST);
    CHECK(scan == sentinel);
}

/* Pushes `text` in chunks of `step` bytes (cutting UTF-8 characters) and returns what came out. */
static char *stream_in_steps(rg_scanner *scanner, const char *text, size_t step, size_t *findings) {
    rg_stream *stream = NULL;
    rg_error *err = NULL;
    rg_options *options = NULL;
    if (!ok(rg_options_new(&options, &err), err, "options") ||
        !ok(rg_options_set_action(options, U8("redact"), 6, &err), err, "set_action") ||
        !ok(rg_scanner_stream(scanner, options, &stream, &err), err, "rg_scanner_stream")) {
        rg_options_free(options);
        return NULL;
    }
    rg_options_free(options); /* the stream keeps a copy */
    size_t len = strlen(text), out_len = 0;
    char *out = calloc(1, 1);
    *findings = 0;
    for (size_t at = 0;; at += step) {
        rg_released *released = NULL;
        size_t n = len - at < step ? len - at : step;
        rg_result r = at < len ? rg_stream_push(stream, U8(text + at), n, &released, &err)
                               : rg_stream_finish(stream, &released, &err);
        if (!ok(r, err, "stream step")) break;
        rg_str part = rg_released_text(released);
        out = realloc(out, out_len + part.len + 1);
        memcpy(out + out_len, part.data, part.len + 1);
        out_len += part.len;
        *findings += rg_findings_len(rg_released_findings(released));
        rg_released_free(released);
        if (at >= len) break;
    }
    rg_stream_free(stream);
    return out;
}

static void test_streams(rg_scanner *scanner) {
    check_context = "streams";
    const char *text = "日本語のテキスト card 4111 1111 1111 1111 and mail jane@example.com 🙂 end";
    size_t whole_findings = 0;
    char *whole = stream_in_steps(scanner, text, strlen(text), &whole_findings);
    CHECK(whole && strstr(whole, "[CREDIT_CARD]") != NULL);
    CHECK_EQ_SIZE(whole_findings, 2);
    for (size_t step = 1; step <= 7; step++) {
        size_t n = 0;
        char *out = stream_in_steps(scanner, text, step, &n);
        CHECK(out && whole && strcmp(out, whole) == 0);
        CHECK_EQ_SIZE(n, whole_findings);
        free(out);
    }
    free(whole);

    rg_stream *stream = NULL;
    rg_released *released = NULL;
    rg_error *err = NULL;
    if (!ok(rg_scanner_stream(scanner, NULL, &stream, &err), err, "stream")) return;
    /* Half of "é", then bytes that can never be UTF-8: an error, and the stream is unchanged. */
    CHECK(rg_stream_push(stream, U8("ab\xc3"), 3, &released, NULL) == RG_OK);
    rg_released_free(released);
    CHECK_EQ_SIZE(rg_stream_pending(stream), 3);
    rg_released *sentinel = (rg_released *)&check_failures;
    released = sentinel;
    CHECK(rg_stream_push(stream, U8("\xff"), 1, &released, &err) == RG_INVALID_UTF8);
    CHECK(released == sentinel);
    rg_error_free(err);
    CHECK(rg_stream_push(stream, U8("\xa9!"), 2, &released, NULL) == RG_OK); /* completes "é" */
    rg_released_free(released);
    CHECK(rg_stream_finish(stream, &released, NULL) == RG_OK);
    rg_released_free(released);
    released = sentinel;
    CHECK(rg_stream_push(stream, U8("more"), 4, &released, NULL) == RG_INVALID_ARGUMENT);
    CHECK(released == sentinel);
    rg_stream_free(stream);

    /* Ending inside a character is invalid_utf8. */
    if (ok(rg_scanner_stream(scanner, NULL, &stream, &err), err, "stream")) {
        CHECK(rg_stream_push(stream, U8("x\xf0\x9f"), 3, &released, NULL) == RG_OK);
        rg_released_free(released);
        released = sentinel;
        CHECK(rg_stream_finish(stream, &released, NULL) == RG_INVALID_UTF8);
        CHECK(released == sentinel);
        rg_stream_free(stream);
    }
}

static void test_stream_outlives_scanner(void) {
    check_context = "stream outlives its scanner";
    const char *json = "{\"builtin\":{\"enable\":[\"email_address\"]}}";
    rg_scanner *scanner = NULL;
    rg_stream *stream = NULL;
    rg_released *released = NULL;
    rg_error *err = NULL;
    if (!ok(rg_scanner_new(U8(json), strlen(json), RG_CONFIG_JSON, &scanner, &err), err, "scanner") ||
        !ok(rg_scanner_stream(scanner, NULL, &stream, &err), err, "stream")) {
        rg_scanner_free(scanner);
        return;
    }
    rg_scanner_free(scanner);
    CHECK(rg_stream_push(stream, U8("write to jane@exa"), 17, &released, NULL) == RG_OK);
    rg_released_free(released);
    if (ok(rg_stream_finish(stream, &released, &err), err, "finish")) {
        const rg_findings *found = rg_released_findings(released);
        CHECK_EQ_SIZE(rg_findings_len(found), 0); /* "jane@exa" alone is no address */
        rg_released_free(released);
    }
    rg_stream_free(stream);
}

typedef struct {
    const rg_scanner *scanner;
    rg_vault *vault;
    int failures;
} worker_args;

static void *worker(void *p) {
    worker_args *args = p;
    rg_options *options = NULL;
    if (rg_options_new(&options, NULL) != RG_OK) {
        args->failures++;
        return NULL;
    }
    rg_options_set_action(options, U8("pseudonymize"), 12, NULL);
    rg_options_set_vault(options, args->vault, NULL);
    const char *text = "card 4111 1111 1111 1111, mail jane@example.com";
    for (int i = 0; i < 200; i++) {
        rg_findings *found = NULL;
        rg_redaction *redaction = NULL;
        if (rg_scanner_scan(args->scanner, U8(text), strlen(text), &found, NULL) != RG_OK ||
            rg_findings_len(found) != 2) {
            args->failures++;
        }
        rg_findings_free(found);
        if (rg_scanner_redact(args->scanner, U8(text), strlen(text), options, &redaction, NULL) != RG_OK ||
            strstr(rg_redaction_text(redaction).data, "4111") != NULL) {
            args->failures++;
        }
        rg_redaction_free(redaction);
    }
    rg_options_free(options);
    return NULL;
}

static void test_threads(rg_scanner *scanner) {
    check_context = "threads share a scanner and a vault";
    rg_vault *vault = NULL;
    if (rg_vault_new(&vault, NULL) != RG_OK) {
        CHECK(!"vault");
        return;
    }
    pthread_t threads[4];
    worker_args args[4];
    for (int i = 0; i < 4; i++) {
        args[i] = (worker_args){scanner, vault, 0};
        CHECK(pthread_create(&threads[i], NULL, worker, &args[i]) == 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(threads[i], NULL);
        CHECK_EQ_SIZE(args[i].failures, 0);
    }
    CHECK_EQ_SIZE(rg_vault_len(vault), 2); /* one token per value, across all threads */
    rg_vault_free(vault);
}

/* ---- guards: policies, catalogues, prepare, verify ---- */

static const char *EU_POLICY_YAML = "version: 1\n"
                                    "defaults:\n"
                                    "  models:\n"
                                    "    allow: [\"anthropic/*\", \"deepseek/*\"]\n"
                                    "  providers:\n"
                                    "    processing: [EU]\n"
                                    "workspaces:\n"
                                    "  eu: {}\n"
                                    "users:\n"
                                    "  alice: {}\n";
static const char *EU_POLICY_JSON = "{\"version\": 1, \"defaults\": {\"models\": {\"allow\": [\"anthropic/*\", "
                                    "\"deepseek/*\"]}, \"providers\": {\"processing\": [\"EU\"]}}, "
                                    "\"workspaces\": {\"eu\": {}}, \"users\": {\"alice\": {}}}";
static const char *ALICE = "{\"user\": \"alice\", \"workspace\": \"eu\"}";

static char *read_all(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    char *data = NULL, chunk[65536];
    size_t n;
    *len = 0;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        data = realloc(data, *len + n + 1);
        memcpy(data + *len, chunk, n);
        *len += n;
        data[*len] = 0;
    }
    fclose(f);
    return data;
}

static int write_all(const char *path, const char *data, size_t len) {
    FILE *f = fopen(path, "wb");
    if (!f) return 0;
    int written = fwrite(data, 1, len, f) == len;
    return fclose(f) == 0 && written;
}

static rg_guard *eu_guard(void) {
    rg_guard *guard = NULL;
    rg_error *err = NULL;
    if (!ok(rg_guard_new(U8(EU_POLICY_YAML), strlen(EU_POLICY_YAML), RG_POLICY_YAML, NULL, 0, RG_CATALOG_DEFAULT,
                         &guard, &err),
            err, "rg_guard_new")) {
        return NULL;
    }
    return guard;
}

static rg_decision *prepare(const rg_guard *guard, const char *principal, const char *request) {
    rg_decision *decision = NULL;
    rg_error *err = NULL;
    if (!ok(rg_guard_prepare(guard, U8(principal), strlen(principal), U8(request), strlen(request), NULL, 0, NULL,
                             &decision, &err),
            err, "rg_guard_prepare")) {
        return NULL;
    }
    return decision;
}

/* Writes the corpus catalogue (one snapshot document) as a directory of API bodies, the layout
 * RG_CATALOG_DIR reads: providers.json, models.json, zdr.json, data_policies.json,
 * endpoint_regions.json, meta.json and endpoints/<author>/<slug>.json. */
static int write_catalog_dir(const jv *snapshot, const char *dir) {
    char path[8192]; /* room for `dir` (at most 4096 bytes) and a file name */
    mkdir(dir, 0700);
    snprintf(path, sizeof path, "%s/endpoints", dir);
    mkdir(path, 0700);
    static const char *PARTS[] = {"providers", "models", "zdr", "data_policies", "endpoint_regions"};
    for (size_t i = 0; i < sizeof PARTS / sizeof *PARTS; i++) {
        size_t len;
        char *text = json_write(json_get(snapshot, PARTS[i]), &len);
        snprintf(path, sizeof path, "%s/%s.json", dir, PARTS[i]);
        int written = write_all(path, text, len);
        free(text);
        if (!written) return 0;
    }
    char meta[512];
    snprintf(meta, sizeof meta, "{\"snapshot_date\": \"%s\"}", json_str(snapshot, "snapshot_date"));
    snprintf(path, sizeof path, "%s/meta.json", dir);
    if (!write_all(path, meta, strlen(meta))) return 0;
    const jv *endpoints = json_get(snapshot, "endpoints");
    for (size_t i = 0; endpoints && i < endpoints->len; i++) {
        const char *id = endpoints->keys[i]->text; /* author/slug */
        const char *slash = strchr(id, '/');
        if (!slash) return 0;
        snprintf(path, sizeof path, "%s/endpoints/%.*s", dir, (int)(slash - id), id);
        mkdir(path, 0700);
        snprintf(path, sizeof path, "%s/endpoints/%s.json", dir, id);
        size_t len;
        char *text = json_write(endpoints->items[i], &len);
        int written = write_all(path, text, len);
        free(text);
        if (!written) return 0;
    }
    return 1;
}

static void test_guard_sources(const char *scratch, const char *corpus) {
    check_context = "guard: policy and catalogue sources";
    /* One policy as JSON, YAML and a file: the same hash. */
    char path[4096];
    snprintf(path, sizeof path, "%s/policy.yaml", scratch);
    CHECK(write_all(path, EU_POLICY_YAML, strlen(EU_POLICY_YAML)));
    const struct {
        rg_policy_format format;
        const char *policy;
    } sources[] = {{RG_POLICY_JSON, EU_POLICY_JSON}, {RG_POLICY_YAML, EU_POLICY_YAML}, {RG_POLICY_FILE, path}};
    char hash[128] = "";
    for (size_t i = 0; i < 3; i++) {
        rg_guard *guard = NULL;
        rg_error *err = NULL;
        if (!ok(rg_guard_new(U8(sources[i].policy), strlen(sources[i].policy), sources[i].format, NULL, 0,
                             RG_CATALOG_DEFAULT, &guard, &err),
                err, "rg_guard_new")) {
            continue;
        }
        rg_str h = rg_guard_policy_hash(guard);
        CHECK(h.len > 7 && strncmp(h.data, "sha256:", 7) == 0 && h.data[h.len] == 0);
        if (i == 0) snprintf(hash, sizeof hash, "%s", h.data);
        CHECK_STR(h, hash);
        rg_decision *decision = prepare(guard, ALICE, "{\"model\":\"anthropic/claude-sonnet-4\",\"messages\":[]}");
        CHECK(decision && rg_decision_allowed(decision));
        CHECK_STR(rg_decision_policy_hash(decision), hash);
        rg_decision_free(decision);
        rg_guard_free(guard);
    }

    /* The corpus catalogue as a snapshot document and as a directory: the same decision. */
    char catalog_path[4096];
    snprintf(catalog_path, sizeof catalog_path, "%s/policy/catalog.json", corpus);
    size_t catalog_len = 0;
    char *catalog = read_all(catalog_path, &catalog_len);
    jv *snapshot = catalog ? json_parse(catalog, catalog_len, NULL) : NULL;
    snprintf(path, sizeof path, "%s/catalog", scratch);
    CHECK(snapshot && write_catalog_dir(snapshot, path));
    const struct {
        rg_catalog_format format;
        const char *bytes;
        size_t len;
    } catalogs[] = {{RG_CATALOG_SNAPSHOT_JSON, catalog, catalog_len}, {RG_CATALOG_DIR, path, strlen(path)}};
    const char *request = "{\"model\":\"anthropic/claude-sonnet-4\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    for (size_t i = 0; catalog && i < 2; i++) {
        rg_guard *guard = NULL;
        rg_error *err = NULL;
        if (!ok(rg_guard_new(U8(EU_POLICY_JSON), strlen(EU_POLICY_JSON), RG_POLICY_JSON, U8(catalogs[i].bytes),
                             catalogs[i].len, catalogs[i].format, &guard, &err),
                err, i ? "rg_guard_new (dir)" : "rg_guard_new (snapshot)")) {
            continue;
        }
        rg_decision *decision = prepare(guard, ALICE, request);
        const rg_prepared *p = rg_decision_prepared(decision);
        CHECK_EQ_SIZE(rg_prepared_providers_len(p), 2);
        CHECK_STR(rg_prepared_provider(p, 0), "amazon-bedrock/eu-central-1");
        CHECK_STR(rg_prepared_provider(p, 1), "google-vertex/europe-west1");
        rg_decision_free(decision);
        rg_guard_free(guard);
    }
    json_free(snapshot);

    /* Failures: each leaves *out alone and names its code. */
    const char *nul_len = "{\"version\": 1}";
    const struct {
        const char *policy;
        size_t policy_len;
        rg_policy_format format;
        const char *catalog;
        size_t catalog_len;
        rg_catalog_format catalog_format;
        rg_result expected;
    } failures[] = {
        {"{\"version\": 1, \"nope\": 1}", 0, RG_POLICY_JSON, NULL, 0, RG_CATALOG_DEFAULT, RG_INVALID_POLICY},
        {"version: 2\n", 0, RG_POLICY_YAML, NULL, 0, RG_CATALOG_DEFAULT, RG_UNSUPPORTED_POLICY_VERSION},
        {"version: 1\ndefaults: {models: {allow: ['a/[b]']}}\n", 0, RG_POLICY_YAML, NULL, 0, RG_CATALOG_DEFAULT,
         RG_INVALID_GLOB},
        {"{\"version\": 1, \"defaults\": {\"providers\": {\"allow\": [\"no-such-cloud\"]}}}", 0, RG_POLICY_JSON, NULL, 0,
         RG_CATALOG_DEFAULT, RG_UNKNOWN_PROVIDER},
        {"{\"version\": 1, \"x\xff\": 1}", 0, RG_POLICY_JSON, NULL, 0, RG_CATALOG_DEFAULT, RG_INVALID_UTF8},
        {"version: 1\n# \xc3\n", 0, RG_POLICY_YAML, NULL, 0, RG_CATALOG_DEFAULT, RG_INVALID_UTF8},
        {"/nonexistent/policy.yaml", 0, RG_POLICY_FILE, NULL, 0, RG_CATALOG_DEFAULT, RG_CONFIG_FILE_UNREADABLE},
        {nul_len, 0, 0, NULL, 0, RG_CATALOG_DEFAULT, RG_INVALID_ARGUMENT},
        {nul_len, 0, 99, NULL, 0, RG_CATALOG_DEFAULT, RG_INVALID_ARGUMENT},
        {nul_len, 0, RG_POLICY_JSON, "{}", 2, RG_CATALOG_DEFAULT, RG_INVALID_ARGUMENT},
        {nul_len, 0, RG_POLICY_JSON, "{}", 2, 7, RG_INVALID_ARGUMENT},
        {nul_len, 0, RG_POLICY_JSON, "{}", 2, RG_CATALOG_SNAPSHOT_JSON, RG_INVALID_CATALOG},
        {nul_len, 0, RG_POLICY_JSON, "{\"a\xfe\"}", 6, RG_CATALOG_SNAPSHOT_JSON, RG_INVALID_UTF8},
        {nul_len, 0, RG_POLICY_JSON, "/nonexistent/catalog", 20, RG_CATALOG_DIR, RG_CONFIG_FILE_UNREADABLE},
        {NULL, 5, RG_POLICY_JSON, NULL, 0, RG_CATALOG_DEFAULT, RG_INVALID_ARGUMENT},
        {nul_len, 0, RG_POLICY_JSON, NULL, 3, RG_CATALOG_SNAPSHOT_JSON, RG_INVALID_ARGUMENT},
    };
    for (size_t i = 0; i < sizeof failures / sizeof *failures; i++) {
        rg_guard *sentinel = (rg_guard *)&check_failures, *guard = sentinel;
        rg_error *err = NULL;
        size_t len = failures[i].policy && !failures[i].policy_len ? strlen(failures[i].policy) : failures[i].policy_len;
        rg_result r = rg_guard_new(U8(failures[i].policy), len, failures[i].format, U8(failures[i].catalog),
                                   failures[i].catalog_len, failures[i].catalog_format, &guard, &err);
        if (r != failures[i].expected) {
            fprintf(stderr, "[%s] case %zu: got %u (%s), expected %u\n", check_context, i, (unsigned)r,
                    rg_error_message(err).data, (unsigned)failures[i].expected);
            check_failures++;
        }
        CHECK(guard == sentinel);
        CHECK(rg_error_number(err) == r);
        CHECK(rg_error_message(err).len > 0);
        rg_error_free(err);
    }
    CHECK(rg_guard_new(U8(EU_POLICY_JSON), strlen(EU_POLICY_JSON), RG_POLICY_JSON, NULL, 0, RG_CATALOG_DEFAULT, NULL,
                       NULL) == RG_INVALID_ARGUMENT);
    free(catalog);
}

static void test_guard_eu_example(void) {
    check_context = "guard: the EU example";
    rg_guard *guard = eu_guard();
    if (!guard) return;
    /* A model with EU and US endpoints: provider.only holds EU endpoints only. */
    const char *request = "{\"model\":\"anthropic/claude-sonnet-4\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    rg_decision *decision = prepare(guard, ALICE, request);
    const rg_prepared *prepared = rg_decision_prepared(decision);
    CHECK(rg_decision_allowed(decision));
    CHECK(prepared != NULL);
    CHECK_EQ_SIZE(rg_reasons_len(rg_decision_reasons(decision)), 0);
    CHECK_STR(rg_reasons_json(rg_decision_reasons(decision)), "[]");
    CHECK_EQ_SIZE(rg_prepared_models_len(prepared), 1);
    CHECK_STR(rg_prepared_model(prepared, 0), "anthropic/claude-sonnet-4");
    CHECK(rg_prepared_providers_len(prepared) > 0);
    rg_str sent = rg_prepared_request(prepared);
    jv *parsed = json_parse(sent.data, sent.len, NULL);
    const jv *only = json_get(json_get(parsed, "provider"), "only");
    CHECK(only && only->type == J_ARRAY && only->len == rg_prepared_providers_len(prepared));
    for (size_t i = 0; only && i < only->len && i < rg_prepared_providers_len(prepared); i++) {
        rg_str tag = rg_prepared_provider(prepared, i);
        CHECK_STR(tag, only->items[i]->text);
        CHECK(strstr(tag.data, "/eu") != NULL); /* google-vertex/europe-west1, amazon-bedrock/eu-... */
    }
    CHECK(strcmp(json_str(parsed, "model"), "anthropic/claude-sonnet-4") == 0);
    json_free(parsed);

    /* A response served by a US provider is a violation: its content is withheld. */
    const char *us = "{\"id\":\"gen-1\",\"model\":\"anthropic/claude-sonnet-4\",\"provider\":\"Anthropic\","
                     "\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":\"secret answer\"}}]}";
    rg_verification *v = NULL;
    rg_error *err = NULL;
    if (ok(rg_guard_verify(guard, prepared, U8(us), strlen(us), &v, &err), err, "verify (US)")) {
        CHECK(!rg_verification_allowed(v));
        CHECK(rg_verification_withheld(v));
        CHECK_STR(rg_verification_provider(v), "anthropic");
        CHECK_STR(rg_verification_model(v), "anthropic/claude-sonnet-4");
        const rg_reasons *reasons = rg_verification_reasons(v);
        CHECK_EQ_SIZE(rg_reasons_len(reasons), 1);
        CHECK_STR(rg_reason_code(rg_reasons_get(reasons, 0)), "provider_violation");
        CHECK(!rg_reason_shadow(rg_reasons_get(reasons, 0)));
        CHECK(strstr(rg_verification_response(v).data, "secret answer") == NULL);
        rg_str json = rg_verification_json(v);
        jv *whole = json_parse(json.data, json.len, NULL);
        CHECK(whole && json_get(whole, "withheld")->boolean == 1);
        CHECK(whole && json_get(json_get(whole, "response"), "choices")->len == 0);
        CHECK(rg_verification_json(v).data == json.data); /* cached, stable */
        json_free(whole);
        rg_verification_free(v);
    }
    /* One served from the EU endpoint passes through unchanged. */
    const char *eu = "{\"id\":\"gen-2\",\"model\":\"anthropic/claude-sonnet-4\",\"provider\":\"Google\","
                     "\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":\"hello\"}}]}";
    if (ok(rg_guard_verify(guard, prepared, U8(eu), strlen(eu), &v, &err), err, "verify (EU)")) {
        CHECK(rg_verification_allowed(v));
        CHECK(!rg_verification_withheld(v));
        CHECK_STR(rg_verification_provider(v), "google-vertex");
        CHECK_EQ_SIZE(rg_reasons_len(rg_verification_reasons(v)), 0);
        jv *a = json_parse(eu, strlen(eu), NULL);
        jv *b = json_parse(rg_verification_response(v).data, rg_verification_response(v).len, NULL);
        CHECK(json_equal(a, b));
        json_free(a);
        json_free(b);
        rg_verification_free(v);
    }
    rg_decision_free(decision);

    /* A model with no EU endpoint is denied before anything is sent, naming the rule. */
    decision = prepare(guard, ALICE, "{\"model\":\"deepseek/deepseek-chat\",\"messages\":[]}");
    CHECK(decision && !rg_decision_allowed(decision));
    CHECK(rg_decision_prepared(decision) == NULL);
    const rg_reasons *reasons = rg_decision_reasons(decision);
    CHECK_EQ_SIZE(rg_reasons_len(reasons), 1);
    CHECK_STR(rg_reason_code(rg_reasons_get(reasons, 0)), "no_compliant_endpoint");
    CHECK_STR(rg_reason_rule(rg_reasons_get(reasons, 0)), "defaults.providers.processing");
    CHECK(strstr(rg_reason_message(rg_reasons_get(reasons, 0)).data, "deepseek") != NULL);
    rg_str json = rg_decision_json(decision);
    parsed = json_parse(json.data, json.len, NULL);
    CHECK(parsed && json_get(parsed, "prepared") && json_get(parsed, "prepared")->type == J_NULL);
    CHECK(parsed && json_get(parsed, "allowed")->boolean == 0);
    json_free(parsed);
    /* verify has nothing to check for a denial. */
    rg_verification *sentinel = (rg_verification *)&check_failures;
    v = sentinel;
    CHECK(rg_guard_verify(guard, rg_decision_prepared(decision), U8(eu), strlen(eu), &v, &err) == RG_INVALID_ARGUMENT);
    CHECK(v == sentinel);
    rg_error_free(err);
    rg_decision_free(decision);

    /* A `models` fallback to a model with no EU endpoint is removed, with a notice. */
    decision = prepare(guard, ALICE,
                       "{\"model\":\"anthropic/claude-sonnet-4\",\"models\":[\"anthropic/claude-sonnet-4\","
                       "\"deepseek/deepseek-chat\"],\"messages\":[]}");
    CHECK(decision && rg_decision_allowed(decision));
    const rg_reasons *notices = rg_decision_notices(decision);
    CHECK_EQ_SIZE(rg_reasons_len(notices), 1);
    CHECK_STR(rg_reason_code(rg_reasons_get(notices, 0)), "fallback_removed");
    prepared = rg_decision_prepared(decision);
    CHECK_EQ_SIZE(rg_prepared_models_len(prepared), 1);
    CHECK(strstr(rg_prepared_request(prepared).data, "deepseek") == NULL);
    rg_decision_free(decision);
    rg_guard_free(guard);
}

static void test_guard_arguments(void) {
    check_context = "guard: arguments, UTF-8, NULL handles";
    rg_guard *guard = eu_guard();
    if (!guard) return;
    const char *request = "{\"model\":\"anthropic/claude-sonnet-4\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    const struct {
        const rg_guard *guard;
        const char *principal;
        size_t principal_len;
        const char *request;
        size_t request_len;
        rg_result expected;
    } cases[] = {
        {NULL, ALICE, 0, request, 0, RG_INVALID_ARGUMENT},
        {guard, "{\"user\": \"al\xffice\", \"workspace\": \"eu\"}", 0, request, 0, RG_INVALID_UTF8},
        {guard, ALICE, 0, "{\"model\": \"x\xc3\"}", 0, RG_INVALID_UTF8},
        {guard, "{\"name\": \"alice\"}", 0, request, 0, RG_INVALID_ARGUMENT},
        {guard, ALICE, 0, "{\"model\":", 0, RG_INVALID_JSON},
        {guard, ALICE, 0, "{\"messages\":[]}", 0, RG_INVALID_REQUEST},
        {guard, NULL, 4, request, 0, RG_INVALID_ARGUMENT},
        {guard, ALICE, 0, NULL, 4, RG_INVALID_ARGUMENT},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        rg_decision *sentinel = (rg_decision *)&check_failures, *decision = sentinel;
        rg_error *err = NULL;
        size_t pl = cases[i].principal ? strlen(cases[i].principal) : cases[i].principal_len;
        size_t rl = cases[i].request ? strlen(cases[i].request) : cases[i].request_len;
        rg_result r = rg_guard_prepare(cases[i].guard, U8(cases[i].principal), pl, U8(cases[i].request), rl, NULL, 0,
                                       NULL, &decision, &err);
        if (r != cases[i].expected) {
            fprintf(stderr, "[%s] prepare case %zu: got %u (%s), expected %u\n", check_context, i, (unsigned)r,
                    rg_error_message(err).data, (unsigned)cases[i].expected);
            check_failures++;
        }
        CHECK(decision == sentinel);
        CHECK(rg_error_number(err) == r);
        CHECK(strstr(rg_error_message(err).data, "hi\"") == NULL); /* no request content */
        rg_error_free(err);
    }
    CHECK(rg_guard_prepare(guard, U8(ALICE), strlen(ALICE), U8(request), strlen(request), NULL, 0, NULL, NULL, NULL) ==
          RG_INVALID_ARGUMENT);
    /* A denial is a decision, not an error. */
    rg_decision *decision = prepare(guard, "{\"user\": \"mallory\", \"workspace\": \"eu\"}", request);
    CHECK(decision && !rg_decision_allowed(decision));
    CHECK_STR(rg_reason_code(rg_reasons_get(rg_decision_reasons(decision), 0)), "unknown_user");
    rg_decision_free(decision);

    /* verify: NULL guard, NULL prepared, bad UTF-8, bad JSON; *out untouched. */
    decision = prepare(guard, ALICE, request);
    const rg_prepared *prepared = rg_decision_prepared(decision);
    const char *response = "{\"model\":\"anthropic/claude-sonnet-4\",\"provider\":\"Google\",\"choices\":[]}";
    rg_verification *sentinel = (rg_verification *)&check_failures, *v = sentinel;
    CHECK(rg_guard_verify(NULL, prepared, U8(response), strlen(response), &v, NULL) == RG_INVALID_ARGUMENT);
    CHECK(rg_guard_verify(guard, NULL, U8(response), strlen(response), &v, NULL) == RG_INVALID_ARGUMENT);
    CHECK(rg_guard_verify(guard, prepared, U8("{\"a\xff\":1}"), 8, &v, NULL) == RG_INVALID_UTF8);
    CHECK(rg_guard_verify(guard, prepared, U8("{\"model\""), 8, &v, NULL) == RG_INVALID_JSON);
    CHECK(rg_guard_verify(guard, prepared, U8(response), strlen(response), NULL, NULL) == RG_INVALID_ARGUMENT);
    CHECK(v == sentinel);
    rg_decision_free(decision);

    /* Accessors and frees accept NULL. */
    CHECK_STR(rg_guard_policy_hash(NULL), "");
    CHECK(!rg_decision_allowed(NULL));
    CHECK(rg_decision_reasons(NULL) == NULL);
    CHECK(rg_decision_notices(NULL) == NULL);
    CHECK(rg_decision_prepared(NULL) == NULL);
    CHECK_STR(rg_decision_policy_hash(NULL), "");
    CHECK_STR(rg_decision_json(NULL), "");
    CHECK_EQ_SIZE(rg_reasons_len(NULL), 0);
    CHECK(rg_reasons_get(NULL, 0) == NULL);
    CHECK_STR(rg_reasons_json(NULL), "");
    CHECK_STR(rg_reason_code(NULL), "");
    CHECK_STR(rg_reason_rule(NULL), "");
    CHECK_STR(rg_reason_message(NULL), "");
    CHECK(!rg_reason_shadow(NULL));
    CHECK_STR(rg_prepared_request(NULL), "");
    CHECK_EQ_SIZE(rg_prepared_models_len(NULL), 0);
    CHECK_STR(rg_prepared_model(NULL, 0), "");
    CHECK_EQ_SIZE(rg_prepared_providers_len(NULL), 0);
    CHECK_STR(rg_prepared_provider(NULL, 0), "");
    CHECK_EQ_SIZE(rg_prepared_findings_len(NULL), 0);
    CHECK(rg_prepared_findings_get(NULL, 0) == NULL);
    CHECK_STR(rg_prepared_json(NULL), "");
    CHECK_STR(rg_prepared_finding_path(NULL), "");
    CHECK_STR(rg_prepared_finding_detector(NULL), "");
    CHECK_STR(rg_prepared_finding_category(NULL), "");
    CHECK_STR(rg_prepared_finding_action(NULL), "");
    CHECK(!rg_verification_allowed(NULL));
    CHECK(!rg_verification_withheld(NULL));
    CHECK_STR(rg_verification_provider(NULL), "");
    CHECK_STR(rg_verification_model(NULL), "");
    CHECK(rg_verification_reasons(NULL) == NULL);
    CHECK_STR(rg_verification_response(NULL), "");
    CHECK_STR(rg_verification_json(NULL), "");
    rg_guard_free(NULL);
    rg_decision_free(NULL);
    rg_verification_free(NULL);
    rg_guard_free(guard);
}

/* The policy's DLP with a hash key and a vault: pseudonyms restore, hash tokens are stable. */
static void test_guard_dlp(void) {
    check_context = "guard: DLP with hash key and vault";
    const char *policy = "version: 1\n"
                         "defaults:\n"
                         "  models: {allow: [\"anthropic/*\"]}\n"
                         "  dlp:\n"
                         "    scanner:\n"
                         "      builtin: {enable: [email_address, credit_card]}\n"
                         "      actions: {EMAIL_ADDRESS: pseudonymize, CREDIT_CARD: hash}\n"
                         "workspaces: {w: {}}\n"
                         "users: {alice: {}}\n";
    const char *who = "{\"user\": \"alice\", \"workspace\": \"w\"}";
    const char *request = "{\"model\":\"anthropic/claude-sonnet-4\",\"messages\":[{\"role\":\"user\","
                          "\"content\":\"mail jane@example.com card 4111 1111 1111 1111\"}]}";
    rg_guard *guard = NULL;
    rg_vault *vault = NULL;
    rg_error *err = NULL;
    if (!ok(rg_guard_new(U8(policy), strlen(policy), RG_POLICY_YAML, NULL, 0, RG_CATALOG_DEFAULT, &guard, &err), err,
            "rg_guard_new") ||
        !ok(rg_vault_new(&vault, &err), err, "rg_vault_new")) {
        rg_guard_free(guard);
        return;
    }
    /* hash needs a key. */
    rg_decision *sentinel = (rg_decision *)&check_failures, *decision = sentinel;
    CHECK(rg_guard_prepare(guard, U8(who), strlen(who), U8(request), strlen(request), NULL, 0, vault, &decision,
                           NULL) == RG_MISSING_KEY);
    CHECK(decision == sentinel);
    rg_decision *again = NULL;
    if (ok(rg_guard_prepare(guard, U8(who), strlen(who), U8(request), strlen(request), U8("k\0y"), 3, vault,
                            &decision, &err),
           err, "prepare") &&
        ok(rg_guard_prepare(guard, U8(who), strlen(who), U8(request), strlen(request), U8("k\0y"), 3, vault, &again,
                            &err),
           err, "prepare again")) {
        const rg_prepared *p = rg_decision_prepared(decision);
        CHECK(rg_decision_allowed(decision));
        rg_str sent = rg_prepared_request(p);
        CHECK(strstr(sent.data, "jane@example.com") == NULL);
        CHECK(strstr(sent.data, "4111") == NULL);
        CHECK_STR(sent, rg_prepared_request(rg_decision_prepared(again)).data); /* same token, same hash */
        CHECK_EQ_SIZE(rg_prepared_findings_len(p), 2);
        const rg_prepared_finding *f = rg_prepared_findings_get(p, 0);
        CHECK_STR(rg_prepared_finding_path(f), "/messages/0/content");
        CHECK_STR(rg_prepared_finding_detector(f), "email_address");
        CHECK_STR(rg_prepared_finding_category(f), "EMAIL_ADDRESS");
        CHECK_STR(rg_prepared_finding_action(f), "pseudonymize");
        CHECK_STR(rg_prepared_finding_action(rg_prepared_findings_get(p, 1)), "hash");
        CHECK(rg_prepared_findings_get(p, 2) == NULL);
        CHECK_EQ_SIZE(rg_vault_len(vault), 1);
        rg_text *restored = NULL;
        if (ok(rg_vault_restore(vault, U8(sent.data), sent.len, &restored, &err), err, "restore")) {
            CHECK(strstr(rg_text_str(restored).data, "jane@example.com") != NULL);
            rg_text_free(restored);
        }
        /* The JSON forms never need the values: findings name paths and detectors only. */
        rg_str json = rg_prepared_json(p);
        CHECK(strstr(json.data, "jane@example.com") == NULL);
        CHECK(rg_prepared_json(p).data == json.data);
    }
    rg_decision_free(decision);
    rg_decision_free(again);
    rg_vault_free(vault);
    rg_guard_free(guard);
}

typedef struct {
    const rg_guard *guard;
    const rg_decision *shared;
    int failures;
} guard_worker_args;

/* Many threads share one guard (prepare, verify) and read one decision. */
static void *guard_worker(void *p) {
    guard_worker_args *args = p;
    const char *request = "{\"model\":\"anthropic/claude-sonnet-4\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    const char *us = "{\"model\":\"anthropic/claude-sonnet-4\",\"provider\":\"Anthropic\",\"choices\":[]}";
    for (int i = 0; i < 100; i++) {
        rg_decision *decision = NULL;
        rg_verification *v = NULL;
        if (rg_guard_prepare(args->guard, U8(ALICE), strlen(ALICE), U8(request), strlen(request), NULL, 0, NULL,
                             &decision, NULL) != RG_OK ||
            !rg_decision_allowed(decision) ||
            rg_guard_verify(args->guard, rg_decision_prepared(decision), U8(us), strlen(us), &v, NULL) != RG_OK ||
            !rg_verification_withheld(v)) {
            args->failures++;
        }
        rg_str a = rg_decision_json(decision), b = rg_decision_json(args->shared);
        if (a.len != b.len || memcmp(a.data, b.data, a.len) != 0) args->failures++;
        rg_verification_free(v);
        rg_decision_free(decision);
    }
    return NULL;
}

static void test_guard_threads(void) {
    check_context = "guard: threads share a guard and a decision";
    rg_guard *guard = eu_guard();
    if (!guard) return;
    rg_decision *shared = prepare(guard, ALICE,
                                  "{\"model\":\"anthropic/claude-sonnet-4\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    pthread_t threads[4];
    guard_worker_args args[4];
    for (int i = 0; i < 4; i++) {
        args[i] = (guard_worker_args){guard, shared, 0};
        CHECK(pthread_create(&threads[i], NULL, guard_worker, &args[i]) == 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(threads[i], NULL);
        CHECK_EQ_SIZE(args[i].failures, 0);
    }
    rg_decision_free(shared);
    rg_guard_free(guard);
}

/* ---- budgets ---- */

#define T0 INT64_C(1795521600000) /* 2026-11-24T12:00:00Z */
static const char *ONE_CAP =
    "[{\"rule\":\"groups.small.budgets[0]\",\"subject\":\"group:small\",\"window\":\"monthly\",\"limit_micros\":1000}]";
static const char *TWO_CAPS =
    "[{\"rule\":\"users.alice.budgets[0]\",\"subject\":\"user:alice\",\"window\":\"monthly\",\"limit_micros\":1000000},"
    "{\"rule\":\"workspaces.eu.budgets[0]\",\"subject\":\"workspace:eu\",\"window\":\"monthly\",\"limit_micros\":500000}]";

/* The JSON an rg_text call returned, parsed; the text is freed. NULL (and a failure) otherwise.
 * `textp` and `errp` are read here, after the call (arguments are evaluated in any order). */
static jv *json_result(rg_result r, rg_text **textp, rg_error **errp, const char *what) {
    if (!ok_at(__FILE__, __LINE__, r, errp, what)) return NULL;
    rg_text *text = *textp;
    rg_str s = rg_text_str(text);
    CHECK(s.data[s.len] == 0);
    jv *parsed = json_parse(s.data, s.len, NULL);
    CHECK(parsed != NULL);
    rg_text_free(text);
    return parsed;
}

static jv *reserve(rg_ledger *ledger, const char *caps, uint64_t amount, uint64_t lease_ms, int64_t now) {
    rg_text *text = NULL;
    rg_error *err = NULL;
    rg_result r = rg_ledger_reserve(ledger, U8(caps), strlen(caps), amount, U8(ALICE), strlen(ALICE), lease_ms, now,
                                    &text, &err);
    return json_result(r, &text, &err, "rg_ledger_reserve");
}

static int is_true(const jv *v) {
    return v && v->type == J_BOOL && v->boolean;
}

static double num(const jv *object, const char *key) {
    const jv *v = json_get(object, key);
    return v && v->type == J_NUMBER ? v->number : -1;
}

/* A failing call's error is `code`, and the out parameter kept the caller's value. `errp` is read
 * here, after the call. */
static void check_fails(rg_result r, rg_error **errp, rg_result code, int out_untouched) {
    rg_error *err = *errp;
    *errp = NULL;
    CHECK_EQ_SIZE(r, code);
    CHECK_EQ_SIZE(rg_error_number(err), code);
    CHECK(out_untouched);
    rg_error_free(err);
}

static rg_ledger *open_ledger(const char *url) {
    rg_ledger *ledger = NULL;
    rg_error *err = NULL;
    return ok(rg_ledger_open(U8(url), strlen(url), &ledger, &err), err, url) ? ledger : NULL;
}

static void test_ledger(const char *url, const char *backend) {
    rg_ledger *ledger = open_ledger(url);
    if (!ledger) return;
    CHECK_STR(rg_ledger_backend(ledger), backend);
    CHECK(rg_ledger_backend(ledger).data[strlen(backend)] == 0);

    /* All caps or none; the denial names the cap. */
    jv *first = reserve(ledger, TWO_CAPS, 400000, 0, T0);
    jv *denied = reserve(ledger, TWO_CAPS, 200000, 0, T0);
    CHECK(is_true(json_get(first, "reserved")) && json_str(first, "id") != NULL);
    CHECK(num(first, "expires_at_ms") == (double)(T0 + RG_DEFAULT_LEASE_MS));
    CHECK(denied && !is_true(json_get(denied, "reserved")) && json_get(denied, "id")->type == J_NULL);
    const jv *denials = json_get(denied, "denials");
    CHECK(denials && denials->type == J_ARRAY && denials->len == 1);
    if (denials && denials->len == 1) {
        const jv *denial = denials->items[0];
        CHECK(strcmp(json_str(json_get(denial, "cap"), "rule"), "workspaces.eu.budgets[0]") == 0);
        CHECK(strstr(json_str(denial, "message"), "workspaces.eu.budgets[0]") != NULL);
        CHECK(num(json_get(denial, "cap"), "reserved_micros") == 400000);
    }

    /* Settle: the actual cost charged, the hold released; once only. */
    const char *id = first && json_str(first, "id") ? json_str(first, "id") : "";
    const char *settlement = "{\"outcome\":\"completed\",\"actual_micros\":120000,\"provider\":\"anthropic\"}";
    rg_text *text = NULL;
    rg_error *err = NULL;
    jv *record = json_result(rg_ledger_settle(ledger, U8(id), strlen(id), U8(settlement), strlen(settlement),
                                              T0 + 1000, &text, &err),
                             &text, &err, "rg_ledger_settle");
    CHECK(num(record, "charged_micros") == 120000 && num(record, "reserved_micros") == 400000);
    CHECK(record && strcmp(json_str(record, "provider"), "anthropic") == 0);
    rg_text *sentinel = (rg_text *)&check_failures;
    text = sentinel;
    check_fails(rg_ledger_settle(ledger, U8(id), strlen(id), U8(settlement), strlen(settlement), T0, &text, &err),
                &err, RG_ALREADY_SETTLED, text == sentinel);
    check_fails(rg_ledger_settle(ledger, U8("nope"), 4, U8(settlement), strlen(settlement), T0, &text, &err), &err,
                RG_UNKNOWN_RESERVATION, text == sentinel);
    check_fails(rg_ledger_renew(ledger, U8("nope"), 4, 1000, T0, &err), &err, RG_UNKNOWN_RESERVATION, 1);
    jv *status = json_result(rg_ledger_status(ledger, U8(TWO_CAPS), strlen(TWO_CAPS), T0 + 1000, &text, &err), &text,
                             &err, "rg_ledger_status");
    CHECK(status && status->type == J_ARRAY && status->len == 2);
    if (status && status->len == 2) {
        CHECK(num(status->items[0], "spent_micros") == 120000 && num(status->items[0], "reserved_micros") == 0);
    }

    /* Records: every one, or a window. */
    jv *records = json_result(rg_ledger_records(ledger, RG_TIME_NONE, RG_TIME_NONE, &text, &err), &text, &err,
                              "rg_ledger_records");
    CHECK(records && records->type == J_ARRAY && records->len == 1 && json_equal(records->items[0], record));
    jv *later = json_result(rg_ledger_records(ledger, T0 + 1001, RG_TIME_NONE, &text, &err), &text, &err,
                            "rg_ledger_records");
    CHECK(later && later->type == J_ARRAY && later->len == 0);

    /* Renew keeps a hold past its lease; without it the lease lapses. */
    jv *held = reserve(ledger, ONE_CAP, 800, 1000, T0);
    const char *held_id = held && json_str(held, "id") ? json_str(held, "id") : "";
    CHECK(ok(rg_ledger_renew(ledger, U8(held_id), strlen(held_id), 60000, T0 + 500, &err), err, "rg_ledger_renew"));
    jv *blocked = reserve(ledger, ONE_CAP, 800, 0, T0 + 5000);
    CHECK(blocked && !is_true(json_get(blocked, "reserved")));

    /* Reports in every format. */
    static const struct {
        rg_report_format format;
        const char *starts;
    } FORMATS[] = {{RG_REPORT_JSON, "{"}, {RG_REPORT_CSV, "provider,requests,"}, {RG_REPORT_TABLE, "spend, monthly window (2026-11)\nprovider "}};
    for (size_t i = 0; i < 3; i++) {
        text = NULL;
        if (!ok(rg_ledger_report(ledger, U8("provider"), 8, U8("month"), 5, FORMATS[i].format, T0 + 1000, &text, &err),
                err, "rg_ledger_report")) {
            continue;
        }
        rg_str out = rg_text_str(text);
        CHECK(out.len > 0 && strncmp(out.data, FORMATS[i].starts, strlen(FORMATS[i].starts)) == 0);
        CHECK(strstr(out.data, "anthropic") != NULL);
        if (FORMATS[i].format == RG_REPORT_CSV) CHECK(strstr(out.data, "\nanthropic,1,") != NULL);
        rg_text_free(text);
    }
    text = sentinel;
    check_fails(rg_ledger_report(ledger, U8("provider"), 8, U8("month"), 5, 7, RG_TIME_NONE, &text, &err), &err,
                RG_INVALID_ARGUMENT, text == sentinel);
    check_fails(rg_ledger_report(ledger, U8("colour"), 6, U8("month"), 5, RG_REPORT_JSON, RG_TIME_NONE, &text, &err),
                &err, RG_INVALID_ARGUMENT, text == sentinel);

    /* Arguments: bad JSON, invalid UTF-8, NULL out, NULL ledger. */
    check_fails(rg_ledger_reserve(ledger, U8("[{\"rule\":1}]"), 12, 1, U8(ALICE), strlen(ALICE), 0, T0, &text, &err),
                &err, RG_INVALID_ARGUMENT, text == sentinel);
    check_fails(rg_ledger_reserve(ledger, U8("[\"\xff\"]"), 5, 1, U8(ALICE), strlen(ALICE), 0, T0, &text, &err), &err,
                RG_INVALID_UTF8, text == sentinel);
    check_fails(rg_ledger_reserve(ledger, U8(ONE_CAP), strlen(ONE_CAP), 1, U8(ALICE), strlen(ALICE), 0, T0, NULL,
                                  &err),
                &err, RG_INVALID_ARGUMENT, 1);
    check_fails(rg_ledger_status(NULL, U8(ONE_CAP), strlen(ONE_CAP), T0, &text, &err), &err, RG_INVALID_ARGUMENT,
                text == sentinel);
    check_fails(rg_ledger_records(ledger, 0, 0, NULL, &err), &err, RG_INVALID_ARGUMENT, 1);
    CHECK(rg_ledger_renew(ledger, NULL, 0, 0, T0, NULL) == RG_UNKNOWN_RESERVATION); /* err may be NULL */
    CHECK_STR(rg_ledger_backend(NULL), "");

    json_free(first);
    json_free(denied);
    json_free(record);
    json_free(status);
    json_free(records);
    json_free(later);
    json_free(held);
    json_free(blocked);
    rg_ledger_free(ledger);
}

static void test_ledger_open(const char *scratch) {
    check_context = "ledger: opening";
    rg_ledger *sentinel = (rg_ledger *)&check_failures, *ledger = sentinel;
    rg_error *err = NULL;
    check_fails(rg_ledger_open(U8("redis://x"), 9, &ledger, &err), &err, RG_INVALID_LEDGER_URL, ledger == sentinel);
    check_fails(rg_ledger_open(U8("sqlite:\xff"), 8, &ledger, &err), &err, RG_INVALID_UTF8, ledger == sentinel);
    char url[4096];
    snprintf(url, sizeof url, "sqlite:%s/no-such-dir/x.db", scratch);
    check_fails(rg_ledger_open(U8(url), strlen(url), &ledger, &err), &err, RG_LEDGER_UNAVAILABLE, ledger == sentinel);
    check_fails(rg_ledger_open(U8("memory:"), 7, NULL, &err), &err, RG_INVALID_ARGUMENT, 1);
    rg_ledger_free(NULL);

    check_context = "ledger: memory";
    test_ledger("memory:", "memory");
    check_context = "ledger: sqlite";
    snprintf(url, sizeof url, "sqlite:%s/ledger.db", scratch);
    remove(url + 7);
    test_ledger(url, "sqlite");
}

typedef struct {
    rg_ledger *ledger;
    pthread_barrier_t *start;
    int reserved;
    int failures;
} race_args;

static void *race_worker(void *p) {
    race_args *args = p;
    pthread_barrier_wait(args->start);
    rg_text *text = NULL;
    if (rg_ledger_reserve(args->ledger, U8(ONE_CAP), strlen(ONE_CAP), 600, U8(ALICE), strlen(ALICE), 0, T0, &text,
                          NULL) != RG_OK) {
        args->failures++;
        return NULL;
    }
    args->reserved = strstr(rg_text_str(text).data, "\"reserved\":true") != NULL;
    rg_text_free(text);
    return NULL;
}

/* Threads racing for the last of one cap: exactly one reserves, on memory: and SQLite. */
static void test_ledger_race(const char *scratch) {
    check_context = "ledger: threads race for one cap";
    char url[4096];
    snprintf(url, sizeof url, "sqlite:%s/race.db", scratch);
    remove(url + 7);
    const char *urls[] = {"memory:", url};
    for (size_t u = 0; u < 2; u++) {
        rg_ledger *ledger = open_ledger(urls[u]);
        if (!ledger) continue;
        enum { N = 6 };
        pthread_t threads[N];
        race_args args[N];
        pthread_barrier_t start;
        pthread_barrier_init(&start, NULL, N);
        for (int i = 0; i < N; i++) {
            args[i] = (race_args){ledger, &start, 0, 0};
            CHECK(pthread_create(&threads[i], NULL, race_worker, &args[i]) == 0);
        }
        int reserved = 0;
        for (int i = 0; i < N; i++) {
            pthread_join(threads[i], NULL);
            CHECK_EQ_SIZE(args[i].failures, 0);
            reserved += args[i].reserved;
        }
        pthread_barrier_destroy(&start);
        CHECK_EQ_SIZE(reserved, 1);
        rg_ledger_free(ledger);
    }
}

/* Reservations through the guard, over the budget corpus' policy and the policy catalogue. */
static void test_guard_budget(const char *corpus) {
    check_context = "guard: reserve and settle";
    char path[4096];
    snprintf(path, sizeof path, "%s/budget/guard.json", corpus);
    jv *doc = json_parse_file(path, NULL);
    snprintf(path, sizeof path, "%s/policy/catalog.json", corpus);
    size_t catalog_len = 0, policy_len = 0;
    char *catalog = read_all(path, &catalog_len);
    char *policy = doc ? json_write(json_get(doc, "policy"), &policy_len) : NULL;
    rg_guard *guard = NULL;
    rg_error *err = NULL;
    rg_ledger *ledger = open_ledger("memory:");
    if (!policy || !catalog || !ledger ||
        !ok(rg_guard_new(U8(policy), policy_len, RG_POLICY_JSON, U8(catalog), catalog_len, RG_CATALOG_SNAPSHOT_JSON,
                         &guard, &err),
            err, "rg_guard_new")) {
        CHECK(!"the budget corpus, the catalogue, a ledger and a guard");
        goto done;
    }
    const char *request =
        "{\"model\":\"anthropic/claude-sonnet-4\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}],\"max_tokens\":100}";
    rg_decision *decision = prepare(guard, ALICE, request);
    const rg_prepared *prepared = decision ? rg_decision_prepared(decision) : NULL;
    CHECK(prepared != NULL);
    rg_text *text = NULL;
    jv *r = json_result(rg_guard_reserve(guard, ledger, U8(ALICE), strlen(ALICE), prepared, 0, T0, &text, &err), &text,
                        &err, "rg_guard_reserve");
    CHECK(is_true(json_get(r, "reserved")));
    CHECK(num(json_get(r, "estimate"), "reserve_micros") == num(r, "amount_micros"));
    const char *id = r && json_str(r, "id") ? json_str(r, "id") : "";
    /* No response: the reservation is charged and the actual cost is not known. */
    jv *record = json_result(rg_guard_settle(guard, ledger, U8(id), strlen(id), NULL, 0, NULL, 0, RG_TIME_NONE, &text,
                                             &err),
                             &text, &err, "rg_guard_settle");
    CHECK(num(record, "charged_micros") == num(r, "amount_micros"));
    CHECK(record && json_get(record, "actual_known") && !json_get(record, "actual_known")->boolean);
    CHECK(record && strcmp(json_str(record, "outcome"), "completed") == 0);

    rg_text *sentinel = (rg_text *)&check_failures;
    text = sentinel;
    check_fails(rg_guard_reserve(guard, ledger, U8(ALICE), strlen(ALICE), NULL, 0, T0, &text, &err), &err,
                RG_INVALID_ARGUMENT, text == sentinel);
    check_fails(rg_guard_reserve(guard, NULL, U8(ALICE), strlen(ALICE), prepared, 0, T0, &text, &err), &err,
                RG_INVALID_ARGUMENT, text == sentinel);
    check_fails(rg_guard_settle(guard, ledger, U8(id), strlen(id), NULL, 0, U8("completed"), 9, T0, &text, &err), &err,
                RG_ALREADY_SETTLED, text == sentinel);
    check_fails(rg_guard_settle(guard, ledger, U8("x"), 1, U8("{"), 1, U8("completed"), 9, T0, &text, &err), &err,
                RG_INVALID_JSON, text == sentinel);
    check_fails(rg_guard_settle(guard, ledger, U8("x"), 1, NULL, 0, U8("exploded"), 8, T0, &text, &err), &err,
                RG_INVALID_ARGUMENT, text == sentinel);
    check_fails(rg_guard_settle(guard, ledger, U8("x"), 1, U8("{}"), 2, U8("\xff"), 1, T0, &text, &err), &err,
                RG_INVALID_UTF8, text == sentinel);
    json_free(r);
    json_free(record);
    rg_decision_free(decision);
done:
    rg_guard_free(guard);
    rg_ledger_free(ledger);
    free(policy);
    free(catalog);
    json_free(doc);
}

/* ---- audit trails: JSON Lines files, callbacks, verify, search, export, the guard ---- */

/* records.json's keys: the chain key and signing seed (hex), and the seed's public key. */
static const char *CHAIN_KEY = "6b6579206f6620746865207472616e732d6c616e67756167652074657374732121";
static const char *SIGNING_SEED = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
static const char *PUBLIC_KEY = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
#define TA INT64_C(1795608900000) /* 2026-11-25T12:15:00Z, as in the audit corpus */

/* An interaction event (malloc'd JSON). */
static char *audit_event(const char *id, const char *user, const char *provider, const char *content) {
    const char *format = "{\"id\":\"%s\",\"outcome\":\"allowed\",\"principal\":{\"user\":\"%s\",\"workspace\":\"eu\"},"
                         "\"model\":{\"requested\":\"anthropic/claude-sonnet-4\",\"served\":\"anthropic/claude-sonnet-4\"},"
                         "\"routing\":{\"served_provider\":\"%s\"},"
                         "\"prompt\":[{\"role\":\"user\",\"content\":\"%s\"}]}";
    size_t len = strlen(format) + strlen(id) + strlen(user) + strlen(provider) + strlen(content) + 1;
    char *event = malloc(len);
    if (!event) abort();
    snprintf(event, len, format, id, user, provider, content);
    return event;
}

/* An rg_text holding JSON, parsed; the text is freed. */
static jv *take_text_json(rg_text *text) {
    rg_str s = rg_text_str(text);
    jv *parsed = json_parse(s.data, s.len, NULL);
    CHECK(parsed != NULL);
    rg_text_free(text);
    return parsed;
}

/* Writes an event; the receipt parsed (NULL on failure). */
static jv *audit_write(rg_audit_trail *trail, const char *event, int64_t now) {
    rg_text *text = NULL;
    rg_error *err = NULL;
    rg_result r = rg_audit_trail_write(trail, U8(event), strlen(event), now, &text, &err);
    return json_result(r, &text, &err, "rg_audit_trail_write");
}

static int str_field_is(const jv *object, const char *key, const char *expected) {
    const char *got = json_str(object, key);
    return got && strcmp(got, expected) == 0;
}

/* An rg_error's message does not contain `needle`. */
static int message_lacks(const rg_error *err, const char *needle) {
    rg_str message = rg_error_message(err);
    size_t n = strlen(needle);
    for (size_t i = 0; i + n <= message.len; i++) {
        if (memcmp(message.data + i, needle, n) == 0) return 0;
    }
    return 1;
}

static jv *audit_verify_at(const char *location, const char *public_key) {
    rg_text *text = NULL;
    rg_error *err = NULL;
    rg_result r = rg_audit_verify(U8(location), strlen(location), U8(CHAIN_KEY), strlen(CHAIN_KEY), U8(public_key),
                                  public_key ? strlen(public_key) : 0, &text, &err);
    return json_result(r, &text, &err, "rg_audit_verify");
}

static size_t search_count(const char *location, const char *filter) {
    rg_text *text = NULL;
    rg_error *err = NULL;
    rg_result r = rg_audit_search(U8(location), strlen(location), U8(filter), filter ? strlen(filter) : 0, &text, &err);
    jv *records = json_result(r, &text, &err, "rg_audit_search");
    size_t n = records && records->type == J_ARRAY ? records->len : (size_t)-1;
    json_free(records);
    return n;
}

static void test_audit_jsonl(const char *scratch) {
    check_context = "audit: a JSON Lines trail written, verified, searched, exported, tampered with";
    char dir[4200], file[4300], config[8600];
    snprintf(dir, sizeof dir, "%s/audit-jsonl-XXXXXX", scratch); /* fresh on every run */
    if (!mkdtemp(dir)) {
        CHECK(!"mkdtemp");
        return;
    }
    snprintf(file, sizeof file, "%s/c-api.1.00000.jsonl", dir);
    snprintf(config, sizeof config,
             "{\"sink\":{\"type\":\"jsonl\",\"path\":\"%s\"},\"writer\":\"c-api.1\",\"prompt\":\"full\","
             "\"checkpoint_every\":0,\"checkpoint_interval_ms\":0}",
             dir);
    rg_audit_trail *trail = NULL;
    rg_error *err = NULL;
    if (!ok(rg_audit_trail_open(U8(config), strlen(config), U8(CHAIN_KEY), strlen(CHAIN_KEY), U8(SIGNING_SEED),
                                strlen(SIGNING_SEED), NULL, NULL, &trail, &err),
            err, "rg_audit_trail_open")) {
        return;
    }
    CHECK_STR(rg_audit_trail_writer(trail), "c-api.1");
    CHECK(rg_audit_trail_writer(trail).data[7] == 0);
    CHECK_STR(rg_audit_trail_public_key(trail), PUBLIC_KEY);

    /* Three interactions; the first prompt holds an emoji and a character of two bytes. */
    const char *emoji = "Gr\xc3\xbc\xc3\x9f" "e \xf0\x9f\x99\x82";
    char *events[3] = {audit_event("e1", "alice", "google-vertex", emoji), audit_event("e2", "bob", "anthropic", "hi"),
                       audit_event("e3", "alice", "anthropic", "hello")};
    for (int i = 0; i < 3; i++) {
        jv *receipt = audit_write(trail, events[i], TA + i);
        CHECK(str_field_is(receipt, "status", "written"));
        CHECK(str_field_is(receipt, "writer", "c-api.1"));
        CHECK(json_get(receipt, "seq") && json_get(receipt, "seq")->number == i);
        CHECK(json_str(receipt, "mac") && strlen(json_str(receipt, "mac")) == 64);
        const jv *line = json_get(receipt, "line");
        CHECK(line && line->type == J_STRING);
        if (i == 0 && line) CHECK(strstr(line->text, emoji) != NULL); /* raw UTF-8, not escaped */
        json_free(receipt);
        free(events[i]);
    }
    rg_text *text = NULL, *sentinel = (rg_text *)&check_failures;
    /* Only a memory trail keeps its lines. */
    text = sentinel;
    check_fails(rg_audit_trail_lines(trail, &text, &err), &err, RG_INVALID_ARGUMENT, text == sentinel);
    CHECK(ok(rg_audit_trail_flush(trail, TA + 3, &err), err, "rg_audit_trail_flush"));
    jv *closing = json_result(rg_audit_trail_close(trail, TA + 4, &text, &err), &text, &err, "rg_audit_trail_close");
    CHECK(str_field_is(closing, "status", "written"));
    json_free(closing);
    /* Closed: nothing more is written. */
    text = sentinel;
    check_fails(rg_audit_trail_write(trail, U8("{\"outcome\":\"allowed\"}"), 21, TA + 5, &text, &err), &err,
                RG_AUDIT_TRAIL_CLOSED, text == sentinel);
    check_fails(rg_audit_trail_checkpoint(trail, TA + 5, &text, &err), &err, RG_AUDIT_TRAIL_CLOSED, text == sentinel);
    rg_audit_trail_free(trail);

    /* Intact, through the directory and through the file; the signatures checked. */
    jv *report = audit_verify_at(dir, PUBLIC_KEY);
    CHECK(str_field_is(report, "status", "intact"));
    CHECK(num(report, "records") == 3);
    CHECK(num(report, "checkpoints") == 1);
    CHECK(num(report, "exit_code") == 0);
    CHECK(is_true(json_get(report, "signatures_checked")));
    CHECK(json_get(report, "first_bad") && json_get(report, "first_bad")->type == J_NULL);
    json_free(report);
    report = audit_verify_at(file, NULL);
    CHECK(str_field_is(report, "status", "intact"));
    CHECK(report && !is_true(json_get(report, "signatures_checked")));
    json_free(report);
    /* Another key's public key: the checkpoint's signature does not verify. */
    report = audit_verify_at(dir, "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c");
    CHECK(str_field_is(report, "status", "tampered"));
    CHECK(str_field_is(json_get(report, "first_bad"), "kind", "bad_signature"));
    json_free(report);

    /* Search by user and by served provider; NULL filter: every interaction. */
    CHECK_EQ_SIZE(search_count(dir, NULL), 3);
    CHECK_EQ_SIZE(search_count(dir, "{\"user\":\"alice\"}"), 2);
    CHECK_EQ_SIZE(search_count(dir, "{\"provider\":\"anthropic\"}"), 2);
    CHECK_EQ_SIZE(search_count(dir, "{\"user\":\"alice\",\"provider\":\"anthropic\"}"), 1);
    CHECK_EQ_SIZE(search_count(dir, "{\"user\":\"carol\"}"), 0);
    CHECK_EQ_SIZE(search_count(dir, "{\"all_kinds\":true}"), 4);
    text = sentinel;
    check_fails(rg_audit_search(U8(dir), strlen(dir), U8("{\"user\":"), 8, &text, &err), &err, RG_INVALID_ARGUMENT,
                text == sentinel);

    /* CSV: a header and a row per interaction; OCSF: a JSON line per interaction. */
    if (ok(rg_audit_export(U8(dir), strlen(dir), RG_AUDIT_EXPORT_CSV, &text, &err), err, "rg_audit_export csv")) {
        rg_str csv = rg_text_str(text);
        size_t rows = 0;
        for (size_t i = 0; i < csv.len; i++) rows += csv.data[i] == '\n';
        CHECK_EQ_SIZE(rows, 4);
        CHECK(strncmp(csv.data, "time,id,", 8) == 0);
        CHECK(strstr(csv.data, "\ne1,") != NULL || strstr(csv.data, ",e1,") != NULL);
        rg_text_free(text);
    }
    if (ok(rg_audit_export(U8(dir), strlen(dir), RG_AUDIT_EXPORT_OCSF, &text, &err), err, "rg_audit_export ocsf")) {
        rg_str ocsf = rg_text_str(text);
        size_t lines = 0;
        for (const char *p = ocsf.data, *end; (end = strchr(p, '\n')) != NULL; p = end + 1, lines++) {
            jv *event = json_parse(p, (size_t)(end - p), NULL);
            CHECK(event != NULL && event->type == J_OBJECT);
            json_free(event);
        }
        CHECK_EQ_SIZE(lines, 3);
        rg_text_free(text);
    }
    text = sentinel;
    check_fails(rg_audit_export(U8(dir), strlen(dir), 7, &text, &err), &err, RG_INVALID_ARGUMENT, text == sentinel);

    /* One byte of the second line changed: tampered, at line 2. */
    size_t len = 0;
    char *log = read_all(file, &len);
    char *second = log ? strchr(log, '\n') : NULL;
    char *bob = second ? strstr(second, "\"bob\"") : NULL;
    CHECK(bob != NULL);
    if (bob) {
        bob[3] = 'd';
        CHECK(write_all(file, log, len));
        report = audit_verify_at(dir, PUBLIC_KEY);
        CHECK(str_field_is(report, "status", "tampered"));
        CHECK(num(json_get(report, "first_bad"), "line") == 2);
        CHECK(num(report, "exit_code") == 1);
        json_free(report);
        /* The same bytes given as text: the same verdict. */
        if (ok(rg_audit_verify_text(U8(log), len, U8(CHAIN_KEY), strlen(CHAIN_KEY), NULL, 0, &text, &err), err,
               "rg_audit_verify_text")) {
            report = take_text_json(text);
            CHECK(str_field_is(report, "status", "tampered"));
            CHECK(num(json_get(report, "first_bad"), "line") == 2);
            CHECK(str_field_is(json_get(report, "first_bad"), "source", "input"));
            json_free(report);
        }
    }
    /* A torn last line (a crash mid-write) is incomplete, not tampered; bytes that are not UTF-8
     * are a problem of the log, not an error of the call. */
    if (log && ok(rg_audit_verify_text(U8(log), len - 5, U8(CHAIN_KEY), strlen(CHAIN_KEY), NULL, 0, &text, &err), err,
                  "rg_audit_verify_text torn")) {
        report = take_text_json(text);
        CHECK(!str_field_is(report, "status", "intact"));
        json_free(report);
    }
    if (ok(rg_audit_verify_text(U8("\xff\xfe\n"), 3, U8(CHAIN_KEY), strlen(CHAIN_KEY), NULL, 0, &text, &err), err,
           "rg_audit_verify_text not UTF-8")) {
        report = take_text_json(text);
        CHECK(str_field_is(report, "status", "tampered"));
        json_free(report);
    }
    free(log);

    /* A log that is not there cannot be read. */
    char missing[4300];
    snprintf(missing, sizeof missing, "%s/no-such-log.jsonl", scratch);
    text = sentinel;
    check_fails(rg_audit_verify(U8(missing), strlen(missing), U8(CHAIN_KEY), strlen(CHAIN_KEY), NULL, 0, &text, &err),
                &err, RG_AUDIT_UNREADABLE, text == sentinel);
    check_fails(rg_audit_search(U8(missing), strlen(missing), NULL, 0, &text, &err), &err, RG_AUDIT_UNREADABLE,
                text == sentinel);
}

/* A callback sink: keeps the lines, fails (returning `code`) on the calls listed in `fail`. */
typedef struct {
    int fail[4];
    int code;
    int calls;
    char *log;
    size_t log_len;
} audit_sink;

static int audit_sink_line(void *user_data, const char *line, size_t len) {
    audit_sink *sink = user_data;
    sink->calls++;
    for (int i = 0; i < 4; i++) {
        if (sink->fail[i] == sink->calls) return sink->code;
    }
    if (line[len] != 0 || memchr(line, '\n', len) != NULL) return 99;
    sink->log = realloc(sink->log, sink->log_len + len + 2);
    if (!sink->log) abort();
    memcpy(sink->log + sink->log_len, line, len);
    sink->log_len += len;
    sink->log[sink->log_len++] = '\n';
    sink->log[sink->log_len] = 0;
    return 0;
}

static rg_audit_trail *callback_trail(audit_sink *sink, const char *on_sink_error) {
    char config[512];
    snprintf(config, sizeof config,
             "{\"sink\":{\"type\":\"callback\"},\"writer\":\"c-cb.1\",\"on_sink_error\":\"%s\","
             "\"checkpoint_every\":0,\"checkpoint_interval_ms\":0}",
             on_sink_error);
    rg_audit_trail *trail = NULL;
    rg_error *err = NULL;
    ok(rg_audit_trail_open(U8(config), strlen(config), U8(CHAIN_KEY), strlen(CHAIN_KEY), NULL, 0, audit_sink_line, sink,
                           &trail, &err),
       err, "rg_audit_trail_open callback");
    return trail;
}

static const char *verified_status(const audit_sink *sink) {
    static char status[32];
    rg_text *text = NULL;
    rg_error *err = NULL;
    status[0] = 0;
    if (ok(rg_audit_verify_text(U8(sink->log), sink->log_len, U8(CHAIN_KEY), strlen(CHAIN_KEY), NULL, 0, &text, &err),
           err, "rg_audit_verify_text")) {
        jv *report = take_text_json(text);
        snprintf(status, sizeof status, "%s", json_str(report, "status") ? json_str(report, "status") : "");
        json_free(report);
    }
    return status;
}

static void test_audit_callback(void) {
    check_context = "audit: a callback sink fails closed, or open when allowed";
    char *event = audit_event("c1", "alice", "anthropic", "hi");
    rg_error *err = NULL;
    rg_text *text = NULL, *sentinel = (rg_text *)&check_failures;

    audit_sink closed = {{2, 0, 0, 0}, 3, 0, NULL, 0};
    rg_audit_trail *trail = callback_trail(&closed, "deny");
    if (trail) {
        jv *receipt = audit_write(trail, event, TA);
        CHECK(str_field_is(receipt, "status", "written"));
        json_free(receipt);
        /* The second line is refused: the write fails closed with the callback's code. */
        text = sentinel;
        rg_result r = rg_audit_trail_write(trail, U8(event), strlen(event), TA + 1, &text, &err);
        CHECK_EQ_SIZE(r, RG_AUDIT_UNAVAILABLE);
        CHECK(text == sentinel);
        CHECK(strstr(rg_error_message(err).data, "callback returned 3") != NULL);
        rg_error_free(err);
        err = NULL;
        /* The next write takes the failed one's place: the chain has no gap. */
        receipt = audit_write(trail, event, TA + 2);
        CHECK(str_field_is(receipt, "status", "written"));
        CHECK(num(receipt, "seq") == 1);
        json_free(receipt);
        /* Free without close: the closing checkpoint still goes through the callback. */
        int calls = closed.calls;
        rg_audit_trail_free(trail);
        CHECK_EQ_SIZE(closed.calls, calls + 1);
        CHECK(strcmp(verified_status(&closed), "intact") == 0);
    }
    free(closed.log);

    /* Fail open: the refused lines wait and are written once the callback takes lines again. */
    audit_sink open = {{2, 3, 0, 0}, -1, 0, NULL, 0};
    trail = callback_trail(&open, "allow");
    if (trail) {
        const char *want[] = {"written", "delayed", "delayed", "written"};
        for (int i = 0; i < 4; i++) {
            jv *receipt = audit_write(trail, event, TA + i);
            CHECK(str_field_is(receipt, "status", want[i]));
            json_free(receipt);
        }
        CHECK(ok(rg_audit_trail_flush(trail, TA + 5, &err), err, "flush"));
        jv *receipt = json_result(rg_audit_trail_close(trail, TA + 6, &text, &err), &text, &err, "close");
        CHECK(str_field_is(receipt, "status", "written"));
        json_free(receipt);
        rg_audit_trail_free(trail);
        CHECK(strcmp(verified_status(&open), "intact") == 0);
    }
    free(open.log);

    /* A callback sink needs a callback, and only a callback sink takes one. */
    const char *callback_config = "{\"sink\":{\"type\":\"callback\"}}", *memory_config = "{\"sink\":{\"type\":\"memory\"}}";
    rg_audit_trail *untouched = (rg_audit_trail *)&check_failures;
    trail = untouched;
    check_fails(rg_audit_trail_open(U8(callback_config), strlen(callback_config), U8(CHAIN_KEY), strlen(CHAIN_KEY),
                                    NULL, 0, NULL, NULL, &trail, &err),
                &err, RG_INVALID_ARGUMENT, trail == untouched);
    check_fails(rg_audit_trail_open(U8(memory_config), strlen(memory_config), U8(CHAIN_KEY), strlen(CHAIN_KEY), NULL,
                                    0, audit_sink_line, NULL, &trail, &err),
                &err, RG_INVALID_ARGUMENT, trail == untouched);
    free(event);
}

static rg_audit_trail *memory_trail(const char *writer) {
    char config[256];
    snprintf(config, sizeof config,
             "{\"sink\":{\"type\":\"memory\"},\"writer\":\"%s\",\"checkpoint_every\":0,\"checkpoint_interval_ms\":0}",
             writer);
    rg_audit_trail *trail = NULL;
    rg_error *err = NULL;
    ok(rg_audit_trail_open(U8(config), strlen(config), U8(CHAIN_KEY), strlen(CHAIN_KEY), NULL, 0, NULL, NULL, &trail,
                           &err),
       err, "rg_audit_trail_open memory");
    return trail;
}

static void test_audit_arguments(void) {
    check_context = "audit: arguments, NULLs, UTF-8, keys, secrets out of messages";
    rg_error *err = NULL;
    rg_text *text = NULL, *sentinel = (rg_text *)&check_failures;
    rg_audit_trail *untouched = (rg_audit_trail *)&check_failures, *trail = untouched;
    const char *memory_config = "{\"sink\":{\"type\":\"memory\"}}";
    const char *event = "{\"outcome\":\"allowed\"}";

    /* NULL trails, NULL out parameters, NULL with a length. */
    CHECK_EQ_SIZE(rg_audit_trail_writer(NULL).len, 0);
    CHECK_EQ_SIZE(rg_audit_trail_public_key(NULL).len, 0);
    text = sentinel;
    check_fails(rg_audit_trail_write(NULL, U8(event), strlen(event), TA, &text, &err), &err, RG_INVALID_ARGUMENT,
                text == sentinel);
    check_fails(rg_audit_trail_checkpoint(NULL, TA, &text, &err), &err, RG_INVALID_ARGUMENT, text == sentinel);
    check_fails(rg_audit_trail_close(NULL, TA, &text, &err), &err, RG_INVALID_ARGUMENT, text == sentinel);
    check_fails(rg_audit_trail_flush(NULL, TA, &err), &err, RG_INVALID_ARGUMENT, 1);
    check_fails(rg_audit_trail_lines(NULL, &text, &err), &err, RG_INVALID_ARGUMENT, text == sentinel);
    check_fails(rg_audit_trail_open(U8(memory_config), strlen(memory_config), U8(CHAIN_KEY), strlen(CHAIN_KEY), NULL, 0,
                                    NULL, NULL, NULL, &err),
                &err, RG_INVALID_ARGUMENT, 1);
    check_fails(rg_audit_trail_open(NULL, 3, U8(CHAIN_KEY), strlen(CHAIN_KEY), NULL, 0, NULL, NULL, &trail, &err), &err,
                RG_INVALID_ARGUMENT, trail == untouched);
    check_fails(rg_canonical_json(U8("{}"), 2, NULL, &err), &err, RG_INVALID_ARGUMENT, 1);
    check_fails(rg_audit_verify(NULL, 0, U8(CHAIN_KEY), strlen(CHAIN_KEY), NULL, 0, NULL, &err), &err,
                RG_INVALID_ARGUMENT, 1);
    CHECK_EQ_SIZE(rg_audit_trail_write(NULL, NULL, 0, TA, &text, NULL), RG_INVALID_ARGUMENT); /* err may be NULL */
    rg_audit_trail_free(NULL);

    /* Text that is not UTF-8. */
    check_fails(rg_audit_trail_open(U8("{\"sink\xff"), 7, U8(CHAIN_KEY), strlen(CHAIN_KEY), NULL, 0, NULL, NULL, &trail,
                                    &err),
                &err, RG_INVALID_UTF8, trail == untouched);
    check_fails(rg_canonical_json(U8("\"\xc3\""), 3, &text, &err), &err, RG_INVALID_UTF8, text == sentinel);
    check_fails(rg_audit_search(U8("/tmp/\xff"), 6, NULL, 0, &text, &err), &err, RG_INVALID_UTF8, text == sentinel);

    /* Configurations and keys. */
    const char *tape = "{\"sink\":{\"type\":\"tape\"}}";
    check_fails(rg_audit_trail_open(U8(tape), strlen(tape), U8(CHAIN_KEY), strlen(CHAIN_KEY), NULL, 0, NULL, NULL,
                                    &trail, &err),
                &err, RG_INVALID_ARGUMENT, trail == untouched);
    const char *short_key = "sk-live-short";
    rg_result r = rg_audit_trail_open(U8(memory_config), strlen(memory_config), U8(short_key), strlen(short_key), NULL,
                                      0, NULL, NULL, &trail, &err);
    CHECK(message_lacks(err, short_key));
    check_fails(r, &err, RG_AUDIT_KEY_INVALID, trail == untouched);
    r = rg_audit_trail_open(U8(memory_config), strlen(memory_config), U8(CHAIN_KEY), strlen(CHAIN_KEY), U8(SECRET),
                            strlen(SECRET), NULL, NULL, &trail, &err);
    CHECK(message_lacks(err, SECRET));
    check_fails(r, &err, RG_AUDIT_KEY_INVALID, trail == untouched);
    r = rg_audit_verify_text(U8("\n"), 1, U8(CHAIN_KEY), strlen(CHAIN_KEY), U8(SECRET), strlen(SECRET), &text, &err);
    CHECK(message_lacks(err, SECRET));
    check_fails(r, &err, RG_AUDIT_KEY_INVALID, text == sentinel);

    /* Events: a secret in a bad event never reaches the message; a trail keeps its lines. */
    trail = memory_trail("c-args.1");
    if (!trail) return;
    CHECK_EQ_SIZE(rg_audit_trail_public_key(trail).len, 0); /* unsigned */
    CHECK(rg_audit_trail_public_key(trail).data != NULL);
    char bad[512];
    snprintf(bad, sizeof bad, "{\"outcome\":\"allowed\",\"api_key\":\"%s\"}", SECRET);
    text = sentinel;
    r = rg_audit_trail_write(trail, U8(bad), strlen(bad), TA, &text, &err);
    CHECK(message_lacks(err, SECRET));
    check_fails(r, &err, RG_INVALID_AUDIT_RECORD, text == sentinel);
    snprintf(bad, sizeof bad, "{\"outcome\":\"allowed\",\"id\":\"%s", SECRET);
    r = rg_audit_trail_write(trail, U8(bad), strlen(bad), TA, &text, &err);
    CHECK(message_lacks(err, SECRET));
    CHECK(r != RG_OK);
    rg_error_free(err);
    err = NULL;
    check_fails(rg_audit_trail_write(trail, U8("{\"outcome\":\"\xff\"}"), 15, TA, &text, &err), &err, RG_INVALID_UTF8,
                text == sentinel);
    /* RG_TIME_NONE: the clock. */
    jv *receipt = audit_write(trail, event, RG_TIME_NONE);
    CHECK(str_field_is(receipt, "status", "written"));
    CHECK(num(receipt, "seq") == 0);
    json_free(receipt);
    jv *checkpoint = json_result(rg_audit_trail_checkpoint(trail, RG_TIME_NONE, &text, &err), &text, &err, "checkpoint");
    CHECK(num(checkpoint, "seq") == 1);
    json_free(checkpoint);
    jv *lines = json_result(rg_audit_trail_lines(trail, &text, &err), &text, &err, "rg_audit_trail_lines");
    CHECK(lines && lines->type == J_ARRAY && lines->len == 2);
    json_free(lines);
    rg_audit_trail_free(trail);

    /* RFC 8785. */
    const char *json = "{\"b\": [1.0, 1e3, \"\\u00e9\"], \"a\": {\"\xf0\x9f\x99\x82\": null, \"z\": true}}";
    if (ok(rg_canonical_json(U8(json), strlen(json), &text, &err), err, "rg_canonical_json")) {
        CHECK_STR(rg_text_str(text), "{\"a\":{\"z\":true,\"\xf0\x9f\x99\x82\":null},\"b\":[1,1000,\"\xc3\xa9\"]}");
        rg_text_free(text);
    }
    text = sentinel;
    check_fails(rg_canonical_json(U8("{\"a\":"), 5, &text, &err), &err, RG_INVALID_JSON, text == sentinel);
}

/* A policy whose defaults.audit sends records to a callback, keyed by a file. */
static void test_audit_guard(const char *scratch) {
    check_context = "audit: records through the guard";
    char key_path[4200], policy[8600];
    snprintf(key_path, sizeof key_path, "%s/audit-chain.key", scratch);
    CHECK(write_all(key_path, CHAIN_KEY, strlen(CHAIN_KEY)));
    snprintf(policy, sizeof policy,
             "{\"version\": 1, \"defaults\": {\"models\": {\"allow\": [\"anthropic/*\"]}, \"providers\": "
             "{\"processing\": [\"EU\"]}, \"audit\": {\"prompt\": \"redacted\", \"response\": \"none\", \"sink\": "
             "{\"type\": \"callback\"}, \"chain_key\": {\"file\": \"%s\"}}}, \"workspaces\": {\"eu\": {}}, "
             "\"users\": {\"alice\": {}}}",
             key_path);
    rg_guard *guard = NULL, *plain = eu_guard();
    rg_error *err = NULL;
    rg_text *text = NULL, *sentinel = (rg_text *)&check_failures;
    if (!ok(rg_guard_new(U8(policy), strlen(policy), RG_POLICY_JSON, NULL, 0, RG_CATALOG_DEFAULT, &guard, &err), err,
            "rg_guard_new with audit")) {
        rg_guard_free(plain);
        return;
    }
    audit_sink sink = {{0, 0, 0, 0}, 0, 0, NULL, 0};
    rg_audit_trail *trail = NULL, *untouched = (rg_audit_trail *)&check_failures, *other = untouched;
    if (!ok(rg_guard_open_audit_trail(guard, audit_sink_line, &sink, &trail, &err), err, "rg_guard_open_audit_trail")) {
        rg_guard_free(guard);
        rg_guard_free(plain);
        return;
    }
    const char *allowed = "{\"model\":\"anthropic/claude-sonnet-4\",\"messages\":[{\"role\":\"user\",\"content\":"
                          "\"Mail jane@example.com \xf0\x9f\x99\x82\"}]}";
    const char *denied = "{\"model\":\"openai/gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    const char *details = "{\"id\":\"i-1\",\"latency_ms\":12,\"estimate_micros\":500}";
    rg_decision *yes = prepare(guard, ALICE, allowed), *no = prepare(guard, ALICE, denied);
    CHECK(yes && rg_decision_allowed(yes));
    CHECK(no && !rg_decision_allowed(no));
    if (yes && no) {
        jv *receipt = json_result(rg_guard_audit(guard, trail, U8(ALICE), strlen(ALICE), U8(allowed), strlen(allowed),
                                                 yes, U8(details), strlen(details), TA, &text, &err),
                                  &text, &err, "rg_guard_audit allowed");
        const jv *line = json_get(receipt, "line");
        jv *record = line && line->type == J_STRING ? json_parse(line->text, line->text_len, NULL) : NULL;
        CHECK(str_field_is(record, "outcome", "allowed"));
        CHECK(str_field_is(record, "id", "i-1"));
        CHECK(str_field_is(json_get(record, "principal"), "user", "alice"));
        CHECK(str_field_is(json_get(record, "sdk"), "language", "c"));
        CHECK(str_field_is(json_get(record, "policy"), "hash", rg_guard_policy_hash(guard).data));
        CHECK(str_field_is(json_get(record, "model"), "requested", "anthropic/claude-sonnet-4"));
        if (getenv("ROUTEGUARD_SHOW")) fprintf(stderr, "%s\n", line ? line->text : "");
        /* prompt: redacted keeps the prompt without the personal data the scanner found */
        CHECK(record && line && strstr(line->text, "jane@example.com") == NULL);
        CHECK(str_field_is(json_get(record, "prompt"), "mode", "redacted"));
        const jv *dlp = json_get(record, "dlp");
        CHECK(dlp && dlp->type == J_ARRAY && dlp->len == 1 && str_field_is(dlp->items[0], "detector", "email_address"));
        CHECK(record && line && strstr(line->text, "\xf0\x9f\x99\x82") != NULL);
        CHECK(sink.log && line && strncmp(sink.log, line->text, line->text_len) == 0);
        json_free(record);
        json_free(receipt);
        /* A denial is recorded with its reasons; details may be NULL. */
        receipt = json_result(rg_guard_audit(guard, trail, U8(ALICE), strlen(ALICE), U8(denied), strlen(denied), no,
                                             NULL, 0, TA + 1, &text, &err),
                              &text, &err, "rg_guard_audit denied");
        line = json_get(receipt, "line");
        record = line && line->type == J_STRING ? json_parse(line->text, line->text_len, NULL) : NULL;
        CHECK(str_field_is(record, "outcome", "denied"));
        const jv *reasons = json_get(json_get(record, "decision"), "reasons");
        CHECK(reasons && reasons->type == J_ARRAY && reasons->len >= 1 &&
              str_field_is(reasons->items[0], "code", "model_not_allowed"));
        json_free(record);
        json_free(receipt);
        /* The guard writes to any trail, not only its own. */
        rg_audit_trail *memory = memory_trail("c-guard.2");
        receipt = json_result(rg_guard_audit(guard, memory, U8(ALICE), strlen(ALICE), U8(denied), strlen(denied), no,
                                             NULL, 0, TA + 2, &text, &err),
                              &text, &err, "rg_guard_audit to a memory trail");
        CHECK(str_field_is(receipt, "writer", "c-guard.2"));
        json_free(receipt);
        rg_audit_trail_free(memory);
        /* Arguments. */
        text = sentinel;
        check_fails(rg_guard_audit(guard, trail, U8(ALICE), strlen(ALICE), U8(denied), strlen(denied), NULL, NULL, 0,
                                   TA, &text, &err),
                    &err, RG_INVALID_ARGUMENT, text == sentinel);
        check_fails(rg_guard_audit(guard, NULL, U8(ALICE), strlen(ALICE), U8(denied), strlen(denied), no, NULL, 0, TA,
                                   &text, &err),
                    &err, RG_INVALID_ARGUMENT, text == sentinel);
        check_fails(rg_guard_audit(NULL, trail, U8(ALICE), strlen(ALICE), U8(denied), strlen(denied), no, NULL, 0, TA,
                                   &text, &err),
                    &err, RG_INVALID_ARGUMENT, text == sentinel);
        check_fails(rg_guard_audit(guard, trail, U8(ALICE), strlen(ALICE), U8(denied), strlen(denied), no, U8("{\"x\":1}"),
                                   7, TA, &text, &err),
                    &err, RG_INVALID_ARGUMENT, text == sentinel);
        check_fails(rg_guard_audit(guard, trail, U8(ALICE), strlen(ALICE), U8("{\xff}"), 3, no, NULL, 0, TA, &text,
                                   &err),
                    &err, RG_INVALID_UTF8, text == sentinel);
    }
    jv *closing = json_result(rg_audit_trail_close(trail, TA + 3, &text, &err), &text, &err, "close");
    CHECK(str_field_is(closing, "status", "written"));
    json_free(closing);
    rg_audit_trail_free(trail);
    CHECK(strcmp(verified_status(&sink), "intact") == 0);
    free(sink.log);
    /* A policy without defaults.audit opens no trail; a callback sink needs a callback. */
    check_fails(rg_guard_open_audit_trail(plain, NULL, NULL, &other, &err), &err, RG_INVALID_ARGUMENT,
                other == untouched);
    check_fails(rg_guard_open_audit_trail(guard, NULL, NULL, &other, &err), &err, RG_INVALID_ARGUMENT,
                other == untouched);
    check_fails(rg_guard_open_audit_trail(NULL, NULL, NULL, &other, &err), &err, RG_INVALID_ARGUMENT, other == untouched);
    rg_decision_free(yes);
    rg_decision_free(no);
    rg_guard_free(guard);
    rg_guard_free(plain);
}

typedef struct {
    rg_audit_trail *trail;
    int index;
    int failures;
} audit_worker_args;

static void *audit_worker(void *p) {
    audit_worker_args *args = p;
    char id[32];
    for (int i = 0; i < 25; i++) {
        snprintf(id, sizeof id, "t%d-%d", args->index, i);
        char *event = audit_event(id, "alice", "anthropic", "hi");
        rg_text *text = NULL;
        if (rg_audit_trail_write(args->trail, U8(event), strlen(event), RG_TIME_NONE, &text, NULL) != RG_OK) {
            args->failures++;
        }
        rg_text_free(text);
        free(event);
    }
    return NULL;
}

static void test_audit_threads(void) {
    check_context = "audit: threads share a trail";
    audit_sink sink = {{0, 0, 0, 0}, 0, 0, NULL, 0};
    rg_audit_trail *trail = callback_trail(&sink, "deny");
    if (!trail) return;
    pthread_t threads[4];
    audit_worker_args args[4];
    for (int i = 0; i < 4; i++) {
        args[i] = (audit_worker_args){trail, i, 0};
        CHECK(pthread_create(&threads[i], NULL, audit_worker, &args[i]) == 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(threads[i], NULL);
        CHECK_EQ_SIZE(args[i].failures, 0);
    }
    rg_audit_trail_free(trail);
    CHECK_EQ_SIZE(sink.calls, 101); /* 100 records and the closing checkpoint */
    CHECK(strcmp(verified_status(&sink), "intact") == 0);
    free(sink.log);
}

/* ---- the governed call: clients, governors and calls (no network: refusals, an unreachable
 * OpenRouter, and completions with bodies made here; the stand-in runs in conformance) ---- */

static const char *SONNET = "{\"model\": \"anthropic/claude-sonnet-4\", \"messages\": [{\"role\": \"user\", "
                            "\"content\": \"Hi\"}], \"max_tokens\": 50}";
static const char *GPT = "{\"model\": \"openai/gpt-4o\", \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}";

static int never_called(void *user_data, const char *chunk, size_t len) {
    (void)chunk;
    (void)len;
    (*(int *)user_data)++;
    return 0;
}

/* The interaction records of a memory trail, as one text (malloc'd); their count in `*count`. */
static char *interactions(const rg_audit_trail *trail, size_t *count) {
    rg_text *text = NULL;
    rg_error *err = NULL;
    *count = 0;
    if (!ok(rg_audit_trail_lines(trail, &text, &err), err, "rg_audit_trail_lines")) return calloc(1, 1);
    rg_str s = rg_text_str(text);
    jv *all = json_parse(s.data, s.len, NULL);
    char *joined = calloc(1, 1);
    size_t joined_len = 0;
    for (size_t i = 0; all && i < all->len; i++) {
        const jv *line = all->items[i];
        if (!strstr(line->text, "\"kind\":\"interaction\"")) continue;
        (*count)++;
        joined = realloc(joined, joined_len + line->text_len + 2);
        memcpy(joined + joined_len, line->text, line->text_len);
        joined_len += line->text_len;
        joined[joined_len++] = '\n';
        joined[joined_len] = 0;
    }
    json_free(all);
    rg_text_free(text);
    return joined;
}

static void test_governed_client(void) {
    check_context = "governed: clients (arguments, keys, refusals, an unreachable OpenRouter)";
    rg_error *err = NULL;
    rg_text *text = NULL, *sentinel = (rg_text *)&check_failures;
    rg_client *untouched = (rg_client *)&check_failures, *client = untouched;
    rg_guard *guard = eu_guard();
    rg_audit_trail *trail = memory_trail("c-governed.1");
    if (!guard || !trail) return;
    const char *unreachable = "{\"base_url\": \"http://127.0.0.1:9/api/v1\", \"api_key_env\": \"RG_C_TEST_KEY\", "
                              "\"max_retries\": 0, \"connect_timeout_ms\": 2000}";

    /* NULLs, UTF-8, options, a missing key: *out keeps the caller's value. */
    check_fails(rg_client_new(NULL, NULL, NULL, NULL, 0, &client, &err), &err, RG_INVALID_ARGUMENT, client == untouched);
    check_fails(rg_client_new(guard, NULL, NULL, U8(unreachable), strlen(unreachable), NULL, &err), &err,
                RG_INVALID_ARGUMENT, 1);
    check_fails(rg_client_new(guard, NULL, NULL, NULL, 3, &client, &err), &err, RG_INVALID_ARGUMENT, client == untouched);
    check_fails(rg_client_new(guard, NULL, NULL, U8("{\"title\": \"\xff\"}"), 14, &client, &err), &err, RG_INVALID_UTF8,
                client == untouched);
    check_fails(rg_client_new(guard, NULL, NULL, U8("{\"nope\": 1}"), 11, &client, &err), &err, RG_INVALID_ARGUMENT,
                client == untouched);
    unsetenv("RG_C_TEST_KEY");
    check_fails(rg_client_new(guard, NULL, trail, U8(unreachable), strlen(unreachable), &client, &err), &err,
                RG_MISSING_API_KEY, client == untouched);
    CHECK_EQ_SIZE(rg_client_base_url(NULL).len, 0);
    text = sentinel;
    check_fails(rg_client_chat(NULL, U8(ALICE), strlen(ALICE), U8(SONNET), strlen(SONNET), &text, &err), &err,
                RG_INVALID_ARGUMENT, text == sentinel);
    check_fails(rg_client_stream(NULL, U8(ALICE), strlen(ALICE), U8(SONNET), strlen(SONNET), NULL, NULL, &text, &err),
                &err, RG_INVALID_ARGUMENT, text == sentinel);
    rg_client_free(NULL);

    setenv("RG_C_TEST_KEY", SECRET, 1);
    if (!ok(rg_client_new(guard, NULL, trail, U8(unreachable), strlen(unreachable), &client, &err), err,
            "rg_client_new")) {
        goto done;
    }
    CHECK_STR(rg_client_base_url(client), "http://127.0.0.1:9/api/v1");
    check_fails(rg_client_chat(client, U8(ALICE), strlen(ALICE), U8(SONNET), strlen(SONNET), NULL, &err), &err,
                RG_INVALID_ARGUMENT, 1);
    check_fails(rg_client_chat(client, U8("{\"user\": \"\xc3\"}"), 12, U8(SONNET), strlen(SONNET), &text, &err), &err,
                RG_INVALID_UTF8, text == sentinel);
    check_fails(rg_client_stream(client, U8(ALICE), strlen(ALICE), U8("\xff"), 1, NULL, NULL, &text, &err), &err,
                RG_INVALID_UTF8, text == sentinel);
    check_fails(rg_client_chat(client, U8(ALICE), strlen(ALICE), U8("{\"model\""), 8, &text, &err), &err,
                RG_INVALID_JSON, text == sentinel);

    /* A denial is an answer, not an error, and never leaves: the stream answers at once. */
    if (ok(rg_client_chat(client, U8(ALICE), strlen(ALICE), U8(GPT), strlen(GPT), &text, &err), err, "chat denied")) {
        jv *answer = take_text_json(text);
        CHECK(json_get(answer, "allowed") && json_get(answer, "allowed")->type == J_BOOL &&
              !json_get(answer, "allowed")->boolean);
        CHECK(json_get(answer, "response") && json_get(answer, "response")->type == J_NULL);
        json_free(answer);
    }
    int chunks = 0;
    text = sentinel;
    if (ok(rg_client_stream(client, U8(ALICE), strlen(ALICE), U8(GPT), strlen(GPT), never_called, &chunks, &text, &err),
           err, "stream denied")) {
        CHECK(text != sentinel && strstr(rg_text_str(text).data, "\"model_not_allowed\"") != NULL);
        rg_text_free(text);
    }
    CHECK_EQ_SIZE(chunks, 0);

    /* OpenRouter unreachable: RG_TRANSPORT_FAILED, settled and recorded, the key never in the message. */
    text = sentinel;
    rg_result r = rg_client_chat(client, U8(ALICE), strlen(ALICE), U8(SONNET), strlen(SONNET), &text, &err);
    CHECK(message_lacks(err, SECRET));
    CHECK(message_lacks(err, "Hi"));
    check_fails(r, &err, RG_TRANSPORT_FAILED, text == sentinel);
    size_t count;
    char *records = interactions(trail, &count);
    CHECK_EQ_SIZE(count, 3);
    CHECK(strstr(records, SECRET) == NULL);
    free(records);
done:
    unsetenv("RG_C_TEST_KEY");
    rg_client_free(client == untouched ? NULL : client);
    rg_audit_trail_free(trail);
    rg_guard_free(guard);
}

static void test_governed_calls(void) {
    check_context = "governed: governors and calls (begin, request, complete twice, fail, free unfinished)";
    rg_error *err = NULL;
    rg_text *text = NULL, *sentinel = (rg_text *)&check_failures;
    rg_governor *governor = NULL, *untouched_governor = (rg_governor *)&check_failures;
    rg_call *call = NULL, *untouched = (rg_call *)&check_failures;
    rg_guard *guard = eu_guard();
    rg_ledger *ledger = open_ledger("memory:");
    rg_audit_trail *trail = memory_trail("c-governed.2");
    if (!guard || !ledger || !trail) return;

    governor = untouched_governor;
    check_fails(rg_governor_new(NULL, ledger, trail, NULL, 0, &governor, &err), &err, RG_INVALID_ARGUMENT,
                governor == untouched_governor);
    check_fails(rg_governor_new(guard, ledger, trail, NULL, 0, NULL, &err), &err, RG_INVALID_ARGUMENT, 1);
    check_fails(rg_governor_new(guard, ledger, trail, U8("\xff"), 1, &governor, &err), &err, RG_INVALID_UTF8,
                governor == untouched_governor);
    check_fails(rg_governor_new(guard, ledger, trail, U8("{\"hash_key_hex\": \"zz\"}"), 22, &governor, &err), &err,
                RG_INVALID_ARGUMENT, governor == untouched_governor);
    rg_governor_free(NULL);
    if (!ok(rg_governor_new(guard, ledger, trail, NULL, 0, &governor, &err), err, "rg_governor_new")) return;

    /* begin: NULLs and bad text write neither output. */
    call = untouched;
    text = sentinel;
    check_fails(rg_governor_begin(NULL, U8(ALICE), strlen(ALICE), U8(SONNET), strlen(SONNET), &call, &text, &err), &err,
                RG_INVALID_ARGUMENT, call == untouched && text == sentinel);
    check_fails(rg_governor_begin(governor, U8(ALICE), strlen(ALICE), U8(SONNET), strlen(SONNET), NULL, &text, &err),
                &err, RG_INVALID_ARGUMENT, text == sentinel);
    check_fails(rg_governor_begin(governor, U8(ALICE), strlen(ALICE), U8(SONNET), strlen(SONNET), &call, NULL, &err),
                &err, RG_INVALID_ARGUMENT, call == untouched);
    check_fails(rg_governor_begin(governor, U8("\xff"), 1, U8(SONNET), strlen(SONNET), &call, &text, &err), &err,
                RG_INVALID_UTF8, call == untouched && text == sentinel);
    check_fails(rg_governor_begin(governor, U8(ALICE), strlen(ALICE), NULL, 5, &call, &text, &err), &err,
                RG_INVALID_ARGUMENT, call == untouched && text == sentinel);

    /* A refusal: no call, the answer. */
    if (ok(rg_governor_begin(governor, U8(ALICE), strlen(ALICE), U8(GPT), strlen(GPT), &call, &text, &err), err,
           "begin denied")) {
        CHECK(call == NULL);
        CHECK(text != NULL && text != sentinel && strstr(rg_text_str(text).data, "\"allowed\":false") != NULL);
        rg_text_free(text == sentinel ? NULL : text);
    }

    /* A call to send: its request, one completion, then a second completion and a fail refused. */
    call = untouched;
    text = sentinel;
    if (ok(rg_governor_begin(governor, U8(ALICE), strlen(ALICE), U8(SONNET), strlen(SONNET), &call, &text, &err), err,
           "begin allowed")) {
        CHECK(text == NULL);
        CHECK(call != NULL && call != untouched);
        rg_governor_free(governor); /* the call outlives its governor */
        governor = NULL;
        rg_str request = rg_call_request(call);
        CHECK(request.data[request.len] == 0);
        CHECK(strstr(request.data, "\"anthropic/claude-sonnet-4\"") != NULL);
        CHECK(strstr(request.data, "\"provider\"") != NULL);
        CHECK_EQ_SIZE(rg_call_request(NULL).len, 0);
        const char *body = "{\"id\": \"gen-1\", \"model\": \"anthropic/claude-sonnet-4\", \"provider\": \"Google\", "
                           "\"choices\": [{\"index\": 0, \"finish_reason\": \"stop\", \"message\": {\"role\": "
                           "\"assistant\", \"content\": \"Hallo\"}}], \"usage\": {\"prompt_tokens\": 5, "
                           "\"completion_tokens\": 2, \"total_tokens\": 7}}";
        text = sentinel;
        check_fails(rg_call_complete(NULL, 200, U8(body), strlen(body), &text, &err), &err, RG_INVALID_ARGUMENT,
                    text == sentinel);
        check_fails(rg_call_complete(call, 200, U8(body), strlen(body), NULL, &err), &err, RG_INVALID_ARGUMENT, 1);
        check_fails(rg_call_complete(call, 200, U8("{\"\xff\"}"), 5, &text, &err), &err, RG_INVALID_UTF8,
                    text == sentinel);
        /* The checks above left the call open: it still completes once. */
        if (ok(rg_call_complete(call, 200, U8(body), strlen(body), &text, &err), err, "rg_call_complete")) {
            jv *answer = take_text_json(text);
            CHECK(json_get(answer, "allowed") != NULL);
            CHECK(json_get(answer, "status") && json_get(answer, "status")->number == 200);
            json_free(answer);
        }
        text = sentinel;
        check_fails(rg_call_complete(call, 200, U8(body), strlen(body), &text, &err), &err, RG_INVALID_ARGUMENT,
                    text == sentinel);
        check_fails(rg_call_fail(call, U8("late"), 4, &err), &err, RG_INVALID_ARGUMENT, 1);
        rg_call_free(call);
    }
    rg_call_free(NULL);
    check_fails(rg_call_fail(NULL, NULL, 0, &err), &err, RG_INVALID_ARGUMENT, 1);

    /* A failed call, and a call freed unfinished: each settled and recorded. */
    if (!governor && !ok(rg_governor_new(guard, ledger, trail, NULL, 0, &governor, &err), err, "rg_governor_new")) {
        goto done;
    }
    for (int freed = 0; freed < 2; freed++) {
        call = NULL;
        text = NULL;
        if (!ok(rg_governor_begin(governor, U8(ALICE), strlen(ALICE), U8(SONNET), strlen(SONNET), &call, &text, &err),
                err, "begin")) {
            continue;
        }
        CHECK(call != NULL && text == NULL);
        if (!freed) {
            check_fails(rg_call_fail(call, U8("\xff"), 1, &err), &err, RG_INVALID_UTF8, 1);
            CHECK(ok(rg_call_fail(call, U8("connection reset"), 16, &err), err, "rg_call_fail"));
        }
        rg_call_free(call);
    }
    size_t count;
    char *records = interactions(trail, &count);
    CHECK_EQ_SIZE(count, 4); /* denied, completed, failed, cancelled */
    CHECK(strstr(records, "connection reset") != NULL);
    CHECK(strstr(records, "\"cancelled\"") != NULL);
    free(records);
    rg_text *settled = NULL;
    if (ok(rg_ledger_records(ledger, RG_TIME_NONE, RG_TIME_NONE, &settled, &err), err, "rg_ledger_records")) {
        jv *list = take_text_json(settled);
        CHECK_EQ_SIZE(list ? list->len : 0, 3);
        json_free(list);
    }
done:
    rg_governor_free(governor);
    rg_audit_trail_free(trail);
    rg_ledger_free(ledger);
    rg_guard_free(guard);
}

int main(int argc, char **argv) {
    const char *scratch = argc > 1 ? argv[1] : "/tmp";
    const char *corpus = argc > 2 ? argv[2] : "tests/conformance";
    rg_scanner *scanner = default_scanner();
    test_version_and_table();
    test_scan_offsets_are_bytes(scanner);
    test_invalid_utf8_and_null_arguments(scanner);
    test_configurations(scratch);
    test_redact_and_options(scanner);
    test_vault(scanner);
    test_request(scanner);
    test_streams(scanner);
    test_stream_outlives_scanner();
    test_threads(scanner);
    test_guard_sources(scratch, corpus);
    test_guard_eu_example();
    test_guard_arguments();
    test_guard_dlp();
    test_guard_threads();
    test_ledger_open(scratch);
    test_ledger_race(scratch);
    test_guard_budget(corpus);
    test_audit_jsonl(scratch);
    test_audit_callback();
    test_audit_arguments();
    test_audit_guard(scratch);
    test_audit_threads();
    test_governed_client();
    test_governed_calls();
    rg_scanner_free(scanner);
    return check_summary("api_test");
}

/* A minimal JSON reader and writer for the C tests (no third-party code): parses RFC 8259 text
 * into a tree, looks keys up, compares trees and writes them back as compact JSON. Strings keep
 * their length, so text with NUL bytes survives. Not for production use: no depth limit beyond
 * the stack, numbers compared as doubles. */
#ifndef RG_TEST_JSON_H
#define RG_TEST_JSON_H

#include <stddef.h>

typedef enum { J_NULL, J_BOOL, J_NUMBER, J_STRING, J_ARRAY, J_OBJECT } jtype;

typedef struct jv {
    jtype type;
    int boolean;          /* J_BOOL */
    double number;        /* J_NUMBER */
    char *text;           /* J_NUMBER: the literal; J_STRING: UTF-8, NUL-terminated */
    size_t text_len;      /* J_STRING: length in bytes */
    struct jv **items;    /* J_ARRAY / J_OBJECT values */
    struct jv **keys;     /* J_OBJECT keys (J_STRING) */
    size_t len;           /* J_ARRAY / J_OBJECT item count */
} jv;

/* Parses `len` bytes; NULL on error (with a message in `error`, if given, of at most 200 bytes). */
jv *json_parse(const char *text, size_t len, char *error);
/* Reads and parses a file; NULL on error. */
jv *json_parse_file(const char *path, char *error);
void json_free(jv *value);

/* The value under `key` in an object, or NULL (also when `object` is not an object). */
const jv *json_get(const jv *object, const char *key);
/* `object[key]` as a string (NULL when missing or not a string). */
const char *json_str(const jv *object, const char *key);
/* Deep equality; object keys in any order; numbers by value. */
int json_equal(const jv *a, const jv *b);
/* Compact JSON text (malloc'd, NUL-terminated); `len` receives its length when not NULL. */
char *json_write(const jv *value, size_t *len);

#endif

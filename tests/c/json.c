/* See json.h. A recursive-descent parser over a byte buffer and a growable-buffer writer. */
#include "json.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *p;
    const char *end;
    char *error;
} parser;

static void fail(parser *ps, const char *what) {
    if (ps->error && !ps->error[0]) {
        snprintf(ps->error, 200, "%s at byte %ld", what, (long)(ps->end - ps->p));
    }
}

static void *xcalloc(size_t n, size_t size) {
    void *p = calloc(n ? n : 1, size);
    if (!p) {
        fprintf(stderr, "json: out of memory\n");
        abort();
    }
    return p;
}

static void skip_ws(parser *ps) {
    while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r')) {
        ps->p++;
    }
}

static jv *parse_value(parser *ps);

typedef struct {
    char *data;
    size_t len, cap;
} buf;

static void buf_put(buf *b, const char *s, size_t n) {
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (b->len + n + 1 > cap) cap *= 2;
        char *grown = realloc(b->data, cap);
        if (!grown) abort();
        b->data = grown;
        b->cap = cap;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = 0;
}

static void buf_utf8(buf *b, uint32_t cp) {
    char out[4];
    size_t n;
    if (cp < 0x80) {
        out[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        out[0] = (char)(0xF0 | (cp >> 18));
        out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    buf_put(b, out, n);
}

static int hex4(parser *ps, uint32_t *out) {
    if (ps->end - ps->p < 4) return 0;
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) {
        char c = ps->p[i];
        v <<= 4;
        if (c >= '0' && c <= '9') v |= (uint32_t)(c - '0');
        else if (c >= 'a' && c <= 'f') v |= (uint32_t)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F') v |= (uint32_t)(c - 'A' + 10);
        else return 0;
    }
    ps->p += 4;
    *out = v;
    return 1;
}

static jv *parse_string(parser *ps) {
    ps->p++; /* opening quote */
    buf b = {0};
    buf_put(&b, "", 0);
    while (ps->p < ps->end && *ps->p != '"') {
        unsigned char c = (unsigned char)*ps->p;
        if (c < 0x20) {
            fail(ps, "control character in string");
            free(b.data);
            return NULL;
        }
        if (c != '\\') {
            buf_put(&b, ps->p, 1);
            ps->p++;
            continue;
        }
        ps->p++;
        if (ps->p >= ps->end) break;
        char e = *ps->p++;
        uint32_t cp, low;
        switch (e) {
        case '"': buf_put(&b, "\"", 1); break;
        case '\\': buf_put(&b, "\\", 1); break;
        case '/': buf_put(&b, "/", 1); break;
        case 'b': buf_put(&b, "\b", 1); break;
        case 'f': buf_put(&b, "\f", 1); break;
        case 'n': buf_put(&b, "\n", 1); break;
        case 'r': buf_put(&b, "\r", 1); break;
        case 't': buf_put(&b, "\t", 1); break;
        case 'u':
            if (!hex4(ps, &cp)) goto bad;
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                if (ps->end - ps->p < 6 || ps->p[0] != '\\' || ps->p[1] != 'u') goto bad;
                ps->p += 2;
                if (!hex4(ps, &low) || low < 0xDC00 || low > 0xDFFF) goto bad;
                cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                goto bad;
            }
            buf_utf8(&b, cp);
            break;
        default:
            goto bad;
        }
    }
    if (ps->p >= ps->end) {
        fail(ps, "unterminated string");
        free(b.data);
        return NULL;
    }
    ps->p++; /* closing quote */
    jv *v = xcalloc(1, sizeof *v);
    v->type = J_STRING;
    v->text = b.data;
    v->text_len = b.len;
    return v;
bad:
    fail(ps, "bad escape");
    free(b.data);
    return NULL;
}

static jv *parse_number(parser *ps) {
    const char *start = ps->p;
    if (ps->p < ps->end && *ps->p == '-') ps->p++;
    while (ps->p < ps->end && *ps->p && strchr("0123456789.eE+-", *ps->p)) ps->p++;
    size_t n = (size_t)(ps->p - start);
    if (n == 0) {
        fail(ps, "unexpected character");
        return NULL;
    }
    jv *v = xcalloc(1, sizeof *v);
    v->type = J_NUMBER;
    v->text = xcalloc(n + 1, 1);
    memcpy(v->text, start, n);
    char *end;
    v->number = strtod(v->text, &end);
    if (*end) {
        fail(ps, "bad number");
        json_free(v);
        return NULL;
    }
    return v;
}

static int literal(parser *ps, const char *word) {
    size_t n = strlen(word);
    if ((size_t)(ps->end - ps->p) >= n && memcmp(ps->p, word, n) == 0) {
        ps->p += n;
        return 1;
    }
    return 0;
}

static void push(jv *container, jv *key, jv *item) {
    container->items = realloc(container->items, (container->len + 1) * sizeof(jv *));
    if (!container->items) abort();
    container->items[container->len] = item;
    if (container->type == J_OBJECT) {
        container->keys = realloc(container->keys, (container->len + 1) * sizeof(jv *));
        if (!container->keys) abort();
        container->keys[container->len] = key;
    }
    container->len++;
}

static jv *parse_container(parser *ps, jtype type) {
    char close = type == J_ARRAY ? ']' : '}';
    jv *v = xcalloc(1, sizeof *v);
    v->type = type;
    ps->p++;
    skip_ws(ps);
    if (ps->p < ps->end && *ps->p == close) {
        ps->p++;
        return v;
    }
    for (;;) {
        jv *key = NULL;
        skip_ws(ps);
        if (type == J_OBJECT) {
            if (ps->p >= ps->end || *ps->p != '"' || !(key = parse_string(ps))) {
                fail(ps, "expected a key");
                goto bad;
            }
            skip_ws(ps);
            if (ps->p >= ps->end || *ps->p != ':') {
                fail(ps, "expected ':'");
                json_free(key);
                goto bad;
            }
            ps->p++;
        }
        jv *item = parse_value(ps);
        if (!item) {
            json_free(key);
            goto bad;
        }
        push(v, key, item);
        skip_ws(ps);
        if (ps->p < ps->end && *ps->p == ',') {
            ps->p++;
            continue;
        }
        if (ps->p < ps->end && *ps->p == close) {
            ps->p++;
            return v;
        }
        fail(ps, "expected ',' or a closing bracket");
        goto bad;
    }
bad:
    json_free(v);
    return NULL;
}

static jv *parse_value(parser *ps) {
    skip_ws(ps);
    if (ps->p >= ps->end) {
        fail(ps, "unexpected end");
        return NULL;
    }
    switch (*ps->p) {
    case '{': return parse_container(ps, J_OBJECT);
    case '[': return parse_container(ps, J_ARRAY);
    case '"': return parse_string(ps);
    default: break;
    }
    jv *v;
    if (literal(ps, "null")) {
        v = xcalloc(1, sizeof *v);
        v->type = J_NULL;
        return v;
    }
    if (literal(ps, "true") || literal(ps, "false")) {
        v = xcalloc(1, sizeof *v);
        v->type = J_BOOL;
        v->boolean = ps->p[-1] == 'e' && ps->p[-2] == 'u';
        return v;
    }
    return parse_number(ps);
}

jv *json_parse(const char *text, size_t len, char *error) {
    if (error) error[0] = 0;
    parser ps = {text, text + len, error};
    jv *v = parse_value(&ps);
    if (!v) return NULL;
    skip_ws(&ps);
    if (ps.p != ps.end) {
        fail(&ps, "trailing characters");
        json_free(v);
        return NULL;
    }
    return v;
}

jv *json_parse_file(const char *path, char *error) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        if (error) snprintf(error, 200, "cannot open %s", path);
        return NULL;
    }
    buf b = {0};
    char chunk[65536];
    size_t n;
    buf_put(&b, "", 0);
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) buf_put(&b, chunk, n);
    fclose(f);
    jv *v = json_parse(b.data, b.len, error);
    free(b.data);
    return v;
}

void json_free(jv *v) {
    if (!v) return;
    for (size_t i = 0; i < v->len; i++) {
        json_free(v->items[i]);
        if (v->keys) json_free(v->keys[i]);
    }
    free(v->items);
    free(v->keys);
    free(v->text);
    free(v);
}

const jv *json_get(const jv *object, const char *key) {
    if (!object || object->type != J_OBJECT) return NULL;
    size_t n = strlen(key);
    for (size_t i = 0; i < object->len; i++) {
        if (object->keys[i]->text_len == n && memcmp(object->keys[i]->text, key, n) == 0) {
            return object->items[i];
        }
    }
    return NULL;
}

const char *json_str(const jv *object, const char *key) {
    const jv *v = json_get(object, key);
    return v && v->type == J_STRING ? v->text : NULL;
}

static int string_equal(const jv *a, const jv *b) {
    return a->text_len == b->text_len && memcmp(a->text, b->text, a->text_len) == 0;
}

int json_equal(const jv *a, const jv *b) {
    if (!a || !b) return a == b;
    if (a->type != b->type) return 0;
    switch (a->type) {
    case J_NULL: return 1;
    case J_BOOL: return a->boolean == b->boolean;
    case J_NUMBER: return a->number == b->number;
    case J_STRING: return string_equal(a, b);
    case J_ARRAY:
        if (a->len != b->len) return 0;
        for (size_t i = 0; i < a->len; i++) {
            if (!json_equal(a->items[i], b->items[i])) return 0;
        }
        return 1;
    case J_OBJECT:
        if (a->len != b->len) return 0;
        for (size_t i = 0; i < a->len; i++) {
            const jv *other = NULL;
            for (size_t j = 0; j < b->len; j++) {
                if (string_equal(a->keys[i], b->keys[j])) other = b->items[j];
            }
            if (!other || !json_equal(a->items[i], other)) return 0;
        }
        return 1;
    }
    return 0;
}

static void write_string(buf *b, const char *s, size_t n) {
    buf_put(b, "\"", 1);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        char esc[8];
        if (c == '"' || c == '\\') {
            esc[0] = '\\';
            esc[1] = (char)c;
            buf_put(b, esc, 2);
        } else if (c < 0x20) {
            snprintf(esc, sizeof esc, "\\u%04x", c);
            buf_put(b, esc, 6);
        } else {
            buf_put(b, (const char *)&s[i], 1);
        }
    }
    buf_put(b, "\"", 1);
}

static void write_value(buf *b, const jv *v) {
    switch (v->type) {
    case J_NULL: buf_put(b, "null", 4); break;
    case J_BOOL: v->boolean ? buf_put(b, "true", 4) : buf_put(b, "false", 5); break;
    case J_NUMBER: buf_put(b, v->text, strlen(v->text)); break;
    case J_STRING: write_string(b, v->text, v->text_len); break;
    case J_ARRAY:
    case J_OBJECT:
        buf_put(b, v->type == J_ARRAY ? "[" : "{", 1);
        for (size_t i = 0; i < v->len; i++) {
            if (i) buf_put(b, ",", 1);
            if (v->type == J_OBJECT) {
                write_string(b, v->keys[i]->text, v->keys[i]->text_len);
                buf_put(b, ":", 1);
            }
            write_value(b, v->items[i]);
        }
        buf_put(b, v->type == J_ARRAY ? "]" : "}", 1);
        break;
    }
}

char *json_write(const jv *value, size_t *len) {
    buf b = {0};
    buf_put(&b, "", 0);
    write_value(&b, value);
    if (len) *len = b.len;
    return b.data;
}

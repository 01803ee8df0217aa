/* The governed call from C, three ways (bindings/c/README.md, "The governed call"):
 *   1. with the program's own HTTP (libcurl): rg_governor_begin, POST rg_call_request,
 *      rg_call_complete;
 *   2. a blocking call through rg_client (routeguard's own HTTP);
 *   3. a streamed call through rg_client, chunks passed to a callback as they arrive, then the
 *      same stream stopped after its first chunk (the callback returns non-zero).
 * Each prints one line. The key is read from OPENROUTER_API_KEY (by rg_client, and by this
 * program for its own HTTP).
 *
 * Build: gcc governed_curl.c $(pkg-config --cflags --libs routeguard) -lcurl
 * Run:   OPENROUTER_API_KEY=sk-or-... ./governed_curl [base URL, default https://openrouter.ai/api/v1] */
#include <curl/curl.h>
#include <routeguard.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define U8(s) ((const uint8_t *)(s))

static const char *POLICY = "version: 1\n"
                            "defaults:\n"
                            "  models: {allow: [\"anthropic/*\"]}\n"
                            "  providers: {processing: [EU]}\n"
                            "workspaces: {eu: {}}\n"
                            "users: {alice: {}}\n";
static const char *ALICE = "{\"user\": \"alice\", \"workspace\": \"eu\"}";
static const char *REQUEST = "{\"model\": \"anthropic/claude-sonnet-4\", \"max_tokens\": 100, "
                             "\"messages\": [{\"role\": \"user\", \"content\": \"Hello\"}]}";

static int fail(const char *what, rg_error *err) {
    rg_str message = rg_error_message(err);
    fprintf(stderr, "%s: %.*s\n", what, (int)message.len, message.data);
    rg_error_free(err);
    return 1;
}

/* Prints `label: allowed=<true|false> <what the answer carries>` for an answer (JSON). A real
 * program would parse it with its JSON library; here a plain search is enough. */
static void print_answer(const char *label, rg_text *answer) {
    const char *json = rg_text_str(answer).data;
    printf("%s: allowed=%s", label, strstr(json, "\"allowed\":true") ? "true" : "false");
    const char *content = strstr(json, "\"content\":\"");
    if (content) {
        content += strlen("\"content\":\"");
        printf(" content=\"%.*s\"", (int)strcspn(content, "\""), content);
    }
    printf("\n");
}

typedef struct {
    char *data;
    size_t len;
} body;

static size_t collect(char *ptr, size_t size, size_t n, void *user_data) {
    body *b = user_data;
    char *grown = realloc(b->data, b->len + size * n + 1);
    if (!grown) return 0;
    b->data = grown;
    memcpy(b->data + b->len, ptr, size * n);
    b->len += size * n;
    b->data[b->len] = 0;
    return size * n;
}

/* 1. The program's own HTTP. */
static int own_http(const rg_guard *guard, const rg_ledger *ledger, const char *base_url) {
    rg_governor *governor = NULL;
    rg_call *call = NULL;
    rg_text *answer = NULL;
    rg_error *err = NULL;
    if (rg_governor_new(guard, ledger, NULL, NULL, 0, &governor, &err) != RG_OK) return fail("governor", err);
    rg_result r = rg_governor_begin(governor, U8(ALICE), strlen(ALICE), U8(REQUEST), strlen(REQUEST), &call, &answer,
                                    &err);
    rg_governor_free(governor);
    if (r != RG_OK) return fail("begin", err);
    if (call == NULL) { /* refused: the answer says why, and nothing may be sent */
        print_answer("own HTTP (refused)", answer);
        rg_text_free(answer);
        return 0;
    }
    char url[1024], authorization[1024];
    snprintf(url, sizeof url, "%s/chat/completions", base_url);
    const char *key = getenv("OPENROUTER_API_KEY");
    snprintf(authorization, sizeof authorization, "Authorization: Bearer %s", key ? key : "");
    struct curl_slist *headers = curl_slist_append(NULL, "Content-Type: application/json");
    headers = curl_slist_append(headers, authorization);
    rg_str request = rg_call_request(call); /* what the policy lets leave, as JSON */
    body response = {NULL, 0};
    CURL *curl = curl_easy_init();
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.data);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, (long)request.len);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response);
    CURLcode sent = curl_easy_perform(curl);
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(curl);
    curl_slist_free_all(headers);
    if (sent != CURLE_OK) { /* settled and recorded as failed */
        r = rg_call_fail(call, U8(curl_easy_strerror(sent)), strlen(curl_easy_strerror(sent)), &err);
        rg_call_free(call);
        free(response.data);
        fprintf(stderr, "own HTTP: %s\n", curl_easy_strerror(sent));
        if (r != RG_OK) rg_error_free(err);
        return 1;
    }
    r = rg_call_complete(call, (uint16_t)status, U8(response.data), response.len, &answer, &err);
    rg_call_free(call);
    free(response.data);
    if (r != RG_OK) return fail("complete", err);
    print_answer("own HTTP", answer);
    rg_text_free(answer);
    return 0;
}

/* 3. Chunks as they arrive; `stop_after` > 0 cancels the stream after that many chunks. */
typedef struct {
    int chunks;
    int stop_after;
} progress;

static int on_chunk(void *user_data, const char *chunk, size_t len) {
    progress *p = user_data;
    (void)chunk; /* the chunk's JSON (OpenRouter's chunk shape, filtered), NUL-terminated */
    (void)len;
    p->chunks++;
    return p->stop_after > 0 && p->chunks >= p->stop_after; /* non-zero: cancel */
}

int main(int argc, char **argv) {
    const char *base_url = argc > 1 ? argv[1] : "https://openrouter.ai/api/v1";
    rg_guard *guard = NULL;
    rg_ledger *ledger = NULL;
    rg_client *client = NULL;
    rg_text *answer = NULL;
    rg_error *err = NULL;
    int status = 1;
    if (rg_guard_new(U8(POLICY), strlen(POLICY), RG_POLICY_YAML, NULL, 0, RG_CATALOG_DEFAULT, &guard, &err) != RG_OK)
        return fail("guard", err);
    if (rg_ledger_open(U8("memory:"), 7, &ledger, &err) != RG_OK) {
        rg_guard_free(guard);
        return fail("ledger", err);
    }
    curl_global_init(CURL_GLOBAL_DEFAULT);
    if (own_http(guard, ledger, base_url) != 0) goto done;

    /* 2. and 3. through rg_client: the key comes from OPENROUTER_API_KEY, never from the program. */
    char options[1200];
    snprintf(options, sizeof options, "{\"base_url\": \"%s\"}", base_url);
    if (rg_client_new(guard, ledger, NULL, U8(options), strlen(options), &client, &err) != RG_OK) {
        fail("client", err);
        goto done;
    }
    if (rg_client_chat(client, U8(ALICE), strlen(ALICE), U8(REQUEST), strlen(REQUEST), &answer, &err) != RG_OK) {
        fail("chat", err);
        goto done;
    }
    print_answer("chat", answer);
    rg_text_free(answer);

    progress whole = {0, 0}, first = {0, 1};
    if (rg_client_stream(client, U8(ALICE), strlen(ALICE), U8(REQUEST), strlen(REQUEST), on_chunk, &whole, &answer,
                         &err) != RG_OK) {
        fail("stream", err);
        goto done;
    }
    printf("stream: %s chunks, ", whole.chunks > 1 ? "several" : "too few");
    print_answer("answer", answer);
    rg_text_free(answer);
    if (rg_client_stream(client, U8(ALICE), strlen(ALICE), U8(REQUEST), strlen(REQUEST), on_chunk, &first, &answer,
                         &err) != RG_OK) {
        fail("stream", err);
        goto done;
    }
    printf("stopped stream: %d chunk, answer %s\n", first.chunks,
           strstr(rg_text_str(answer).data, "\"cancelled\"") ? "cancelled" : "not cancelled");
    rg_text_free(answer);
    status = 0;
done:
    rg_client_free(client);
    rg_ledger_free(ledger);
    rg_guard_free(guard);
    curl_global_cleanup();
    return status;
}

#include <routeguard.h>
#include <stdio.h>
#include <string.h>
#define TEXT(s) (const uint8_t *)(s), strlen(s)

int main(void) {
    const char *who = "{\"user\": \"alice\", \"workspace\": \"eu-health\"}";
    const char *request = "{\"model\": \"anthropic/claude-sonnet-4\", \"messages\": "
                          "[{\"role\": \"user\", \"content\": \"Mail jane@example.com\"}]}";
    rg_guard *guard; rg_decision *decision; rg_error *err = NULL;
    if (rg_guard_new(TEXT("examples/policy.yaml"), RG_POLICY_FILE, NULL, 0, RG_CATALOG_DEFAULT, &guard, &err) ||
        rg_guard_prepare(guard, TEXT(who), TEXT(request), NULL, 0, NULL, &decision, &err))
        return printf("%s: %s\n", rg_error_code(err).data, rg_error_message(err).data), rg_error_free(err), 1;
    printf("allowed: %d, send: %s\n", rg_decision_allowed(decision),
           rg_prepared_request(rg_decision_prepared(decision)).data);
    rg_decision_free(decision); rg_guard_free(guard);
    return 0;
}

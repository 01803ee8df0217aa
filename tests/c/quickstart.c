#include <routeguard.h>
#include <stdio.h>
#include <string.h>

int main(void) {
    const char *prompt = "Card 4111 1111 1111 1111, mail jane@example.com";
    rg_scanner *scanner; rg_redaction *out; rg_error *err = NULL;
    rg_scanner_new(NULL, 0, RG_CONFIG_DEFAULT, &scanner, &err);
    if (rg_scanner_redact(scanner, (const uint8_t *)prompt, strlen(prompt), NULL, &out, &err)) {
        printf("%s: %s\n", rg_error_code(err).data, rg_error_message(err).data);
        return rg_error_free(err), 1;
    }
    printf("%s (blocked: %d)\n", rg_redaction_text(out).data, rg_redaction_blocked(out));
    rg_redaction_free(out); rg_scanner_free(scanner);
    return 0;
}

// A Go program that uses librouteguard through cgo: proof that any language with a C FFI gets the
// same governance. It scans and redacts a prompt, checks byte offsets against Go's own string
// indexing, and checks that invalid UTF-8 comes back as RG_INVALID_UTF8 with an error object. It
// also governs a request with a policy (the EU example): prepare keeps provider.only inside the
// EU, a model without EU endpoints is denied, and verify withholds a response served from the US.
//
// Build flags come from the environment (see tests/c/ci.sh):
//
//	CGO_CFLAGS=-I<repo>/c-include CGO_LDFLAGS="<release>/librouteguard.a -lpthread -ldl -lm"
package main

/*
#include <stdlib.h>
#include <routeguard.h>
*/
import "C"

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"unsafe"
)

// goString copies an rg_str (borrowed from its owner) into Go memory.
func goString(s C.rg_str) string {
	return C.GoStringN(s.data, C.int(s.len))
}

// Error is a routeguard error as Go sees it: the stable name, number and message.
type Error struct {
	Code    string
	Number  uint32
	Message string
}

func (e *Error) Error() string { return fmt.Sprintf("%s (%d): %s", e.Code, e.Number, e.Message) }

// check turns an rg_result and its error object into a Go error, freeing the object.
func check(result C.rg_result, err *C.rg_error) error {
	if result == C.RG_OK {
		return nil
	}
	defer C.rg_error_free(err)
	return &Error{
		Code:    goString(C.rg_error_code(err)),
		Number:  uint32(C.rg_error_number(err)),
		Message: goString(C.rg_error_message(err)),
	}
}

// bytesOf passes a Go string as (ptr, len); C copies nothing and keeps no pointer after the call.
func bytesOf(s string) (*C.uint8_t, C.size_t) {
	if len(s) == 0 {
		return nil, 0
	}
	return (*C.uint8_t)(unsafe.Pointer(unsafe.StringData(s))), C.size_t(len(s))
}

// Finding is one finding; Start and End are byte offsets, so text[Start:End] is the match in Go.
type Finding struct {
	Detector string
	Start    int
	End      int
}

func scan(scanner *C.rg_scanner, text string) ([]Finding, error) {
	var found *C.rg_findings
	var err *C.rg_error
	ptr, n := bytesOf(text)
	if e := check(C.rg_scanner_scan(scanner, ptr, n, &found, &err), err); e != nil {
		return nil, e
	}
	defer C.rg_findings_free(found)
	out := []Finding{}
	for i := C.size_t(0); i < C.rg_findings_len(found); i++ {
		f := C.rg_findings_get(found, i)
		out = append(out, Finding{
			Detector: goString(C.rg_finding_detector(f)),
			Start:    int(C.rg_finding_start(f)),
			End:      int(C.rg_finding_end(f)),
		})
	}
	return out, nil
}

func redact(scanner *C.rg_scanner, text string, action string) (string, bool, error) {
	var options *C.rg_options
	var err *C.rg_error
	if e := check(C.rg_options_new(&options, &err), err); e != nil {
		return "", false, e
	}
	defer C.rg_options_free(options)
	ap, an := bytesOf(action)
	if e := check(C.rg_options_set_action(options, ap, an, &err), err); e != nil {
		return "", false, e
	}
	var redaction *C.rg_redaction
	ptr, n := bytesOf(text)
	if e := check(C.rg_scanner_redact(scanner, ptr, n, options, &redaction, &err), err); e != nil {
		return "", false, e
	}
	defer C.rg_redaction_free(redaction)
	return goString(C.rg_redaction_text(redaction)), bool(C.rg_redaction_blocked(redaction)), nil
}

// euPolicy allows Anthropic and DeepSeek models, served only from EU datacenters.
const euPolicy = `version: 1
defaults:
  models:
    allow: ["anthropic/*", "deepseek/*"]
  providers:
    processing: [EU]
workspaces:
  eu: {}
users:
  alice: {}
`

func newGuard(policyYAML string) (*C.rg_guard, error) {
	var guard *C.rg_guard
	var err *C.rg_error
	ptr, n := bytesOf(policyYAML)
	if e := check(C.rg_guard_new(ptr, n, C.RG_POLICY_YAML, nil, 0, C.RG_CATALOG_DEFAULT, &guard, &err), err); e != nil {
		return nil, e
	}
	return guard, nil
}

// Reason is why a request is denied or a response withheld (the JSON form of rg_reason).
type Reason struct {
	Code    string `json:"code"`
	Rule    string `json:"rule"`
	Message string `json:"message"`
	Shadow  bool   `json:"shadow"`
}

// Decision is the JSON form of an rg_decision (rg_decision_json), decoded by Go.
type Decision struct {
	Allowed    bool     `json:"allowed"`
	Reasons    []Reason `json:"reasons"`
	Notices    []Reason `json:"notices"`
	PolicyHash string   `json:"policy_hash"`
	Prepared   *struct {
		Request struct {
			Model    string `json:"model"`
			Provider struct {
				Only []string `json:"only"`
			} `json:"provider"`
		} `json:"request"`
		Models    []string `json:"models"`
		Providers []string `json:"providers"`
	} `json:"prepared"`
}

// prepare decides about a request; the caller frees the returned decision (which owns the
// prepared request that verify takes back) with rg_decision_free.
func prepare(guard *C.rg_guard, principal, request string) (*C.rg_decision, *Decision, error) {
	var decision *C.rg_decision
	var err *C.rg_error
	pp, pn := bytesOf(principal)
	rp, rn := bytesOf(request)
	if e := check(C.rg_guard_prepare(guard, pp, pn, rp, rn, nil, 0, nil, &decision, &err), err); e != nil {
		return nil, nil, e
	}
	var decoded Decision
	if e := json.Unmarshal([]byte(goString(C.rg_decision_json(decision))), &decoded); e != nil {
		C.rg_decision_free(decision)
		return nil, nil, e
	}
	return decision, &decoded, nil
}

// verify checks a response to a prepared request: allowed, withheld and the served provider.
func verify(guard *C.rg_guard, decision *C.rg_decision, response string) (bool, bool, string, error) {
	var v *C.rg_verification
	var err *C.rg_error
	ptr, n := bytesOf(response)
	if e := check(C.rg_guard_verify(guard, C.rg_decision_prepared(decision), ptr, n, &v, &err), err); e != nil {
		return false, false, "", e
	}
	defer C.rg_verification_free(v)
	return bool(C.rg_verification_allowed(v)), bool(C.rg_verification_withheld(v)),
		goString(C.rg_verification_provider(v)), nil
}

func main() {
	failures := 0
	expect := func(ok bool, what string, args ...any) {
		if !ok {
			failures++
			fmt.Fprintf(os.Stderr, "go: FAIL "+what+"\n", args...)
		}
	}

	var scanner *C.rg_scanner
	var err *C.rg_error
	if e := check(C.rg_scanner_new(nil, 0, C.RG_CONFIG_DEFAULT, &scanner, &err), err); e != nil {
		fmt.Fprintln(os.Stderr, "go: scanner:", e)
		os.Exit(1)
	}
	defer C.rg_scanner_free(scanner)

	text := "Grüße 🙂 card 4111 1111 1111 1111, mail jane@example.com"
	found, e := scan(scanner, text)
	expect(e == nil, "scan: %v", e)
	expect(len(found) == 2, "scan: %d findings, want 2", len(found))
	if len(found) == 2 {
		expect(found[0].Detector == "credit_card", "first finding %q", found[0].Detector)
		expect(text[found[0].Start:found[0].End] == "4111 1111 1111 1111", "card span %q", text[found[0].Start:found[0].End])
		expect(found[1].Detector == "email_address", "second finding %q", found[1].Detector)
		expect(text[found[1].Start:found[1].End] == "jane@example.com", "email span %q", text[found[1].Start:found[1].End])
	}

	redacted, blocked, e := redact(scanner, text, "redact")
	expect(e == nil, "redact: %v", e)
	expect(!blocked, "redact: blocked")
	expect(redacted == "Grüße 🙂 card [CREDIT_CARD], mail [EMAIL_ADDRESS]", "redact: %q", redacted)

	_, _, e = redact(scanner, text, "shred")
	rgErr, isRg := e.(*Error)
	expect(isRg && rgErr.Code == "invalid_argument" && rgErr.Number == 1004, "unknown action: %v", e)

	_, e = scan(scanner, "hunter2 \xff tail")
	rgErr, isRg = e.(*Error)
	expect(isRg && rgErr.Code == "invalid_utf8" && rgErr.Number == 1000, "invalid UTF-8: %v", e)
	expect(isRg && !strings.Contains(rgErr.Message, "hunter2"), "message quotes the text: %q", rgErr.Message)

	guard, e := newGuard(euPolicy)
	expect(e == nil, "guard: %v", e)
	if guard != nil {
		defer C.rg_guard_free(guard)
		alice := `{"user": "alice", "workspace": "eu"}`
		handle, decision, e := prepare(guard, alice, `{"model": "anthropic/claude-sonnet-4", "messages": [{"role": "user", "content": "hi"}]}`)
		expect(e == nil, "prepare: %v", e)
		if e == nil {
			expect(decision.Allowed && decision.Prepared != nil, "prepare: denied: %+v", decision.Reasons)
			expect(decision.PolicyHash == goString(C.rg_guard_policy_hash(guard)), "policy hash %q", decision.PolicyHash)
			if decision.Prepared != nil {
				only := decision.Prepared.Request.Provider.Only
				expect(len(only) > 0 && strings.Join(only, ",") == strings.Join(decision.Prepared.Providers, ","),
					"provider.only %v, providers %v", only, decision.Prepared.Providers)
				for _, tag := range only {
					expect(strings.Contains(tag, "/eu"), "provider.only holds %q, not an EU endpoint", tag)
				}
			}
			allowed, withheld, provider, e := verify(guard, handle,
				`{"model": "anthropic/claude-sonnet-4", "provider": "Anthropic", "choices": [{"message": {"role": "assistant", "content": "hello"}}]}`)
			expect(e == nil && !allowed && withheld && provider == "anthropic",
				"verify (US): allowed %v withheld %v provider %q err %v", allowed, withheld, provider, e)
			C.rg_decision_free(handle)
		}
		handle, decision, e = prepare(guard, alice, `{"model": "deepseek/deepseek-chat", "messages": []}`)
		expect(e == nil && !decision.Allowed && decision.Prepared == nil && len(decision.Reasons) == 1 &&
			decision.Reasons[0].Code == "no_compliant_endpoint", "no EU endpoint: %+v %v", decision, e)
		expect(e != nil || C.rg_decision_prepared(handle) == nil, "a denial has a prepared request")
		C.rg_decision_free(handle)
		_, _, e = prepare(guard, "{\"user\": \"al\xffice\"}", `{"model": "x"}`)
		rgErr, isRg = e.(*Error)
		expect(isRg && rgErr.Code == "invalid_utf8", "principal with invalid UTF-8: %v", e)
	}

	if failures > 0 {
		fmt.Fprintf(os.Stderr, "go: %d check(s) failed\n", failures)
		os.Exit(1)
	}
	fmt.Printf("go: ok (%s; EU guard; librouteguard %s)\n", redacted, goString(C.rg_version()))
}

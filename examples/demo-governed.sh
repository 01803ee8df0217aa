#!/usr/bin/env bash
# The governed calls of `make demo`: examples/policy.yaml applied to real calls, through
# `routeguard chat`. Uses OpenRouter when OPENROUTER_API_KEY is set; otherwise starts the local
# stand-in (tests/mock-openrouter) and scripts it, so the fallback is shown on a fresh machine.
set -euo pipefail
BIN=${BIN:?the routeguard binary}
DEMO=${DEMO:-target/demo-governed}

rm -rf "$DEMO"
mkdir -p "$DEMO"
cp examples/policy.yaml "$DEMO/policy.yaml"      # its audit/ and keys/ paths resolve next to it
"$BIN" audit keygen "$DEMO/keys" > /dev/null
cp "$DEMO/keys/signing.key" "$DEMO/keys/audit.ed25519"
export ROUTEGUARD_AUDIT_KEY
ROUTEGUARD_AUDIT_KEY=$(cat "$DEMO/keys/chain.key")
LEDGER="sqlite:$DEMO/spend.db"

MOCK_PID=
stop_mock() { [ -n "$MOCK_PID" ] && kill "$MOCK_PID" 2>/dev/null || true; }
trap stop_mock EXIT
if [ -n "${OPENROUTER_API_KEY:-}" ]; then
    echo "OPENROUTER_API_KEY is set: calling OpenRouter (${OPENROUTER_BASE_URL:-https://openrouter.ai/api/v1})"
    MOCK=
else
    python3 tests/mock-openrouter/server.py --port 0 --idle-exit 120 > "$DEMO/mock.out" &
    MOCK_PID=$!
    for _ in $(seq 100); do grep -q listening "$DEMO/mock.out" 2>/dev/null && break; sleep 0.05; done
    MOCK=$(sed -n 's/^listening //p' "$DEMO/mock.out")
    [ -n "$MOCK" ] || { echo "the stand-in did not start" >&2; exit 1; }
    export OPENROUTER_API_KEY=sk-or-v1-demo-stand-in OPENROUTER_BASE_URL="$MOCK/api/v1"
    echo "No OPENROUTER_API_KEY: using the local OpenRouter stand-in at $MOCK (answers are scripted)"
fi

# Scripts the stand-in's next answer (ignored when calling OpenRouter).
script() {
    [ -z "$MOCK" ] && return 0
    python3 -c 'import sys, urllib.request
urllib.request.urlopen(urllib.request.Request(sys.argv[1] + "/_mock/script", data=sys.argv[2].encode(), method="POST")).read()' "$MOCK" "$1"
}
chat() { "$BIN" chat --policy "$DEMO/policy.yaml" --ledger "$LEDGER" "$@" || true; }
ALICE=(--user alice --workspace eu-health)
SONNET=(--model anthropic/claude-sonnet-4)

echo
echo "== 1. Personal data: the e-mail is pseudonymised, the phone masked; the answer gets the e-mail back =="
script '{"content": "I will write to <EMAIL_ADDRESS_1> today and call you back."}'
chat "${ALICE[@]}" "${SONNET[@]}" --max-tokens 200 "Please email ada.lovelace@example.org about my order; my phone is +49 30 901820."

echo
echo "== 2. A secret in the prompt: blocked before anything leaves =="
chat "${ALICE[@]}" "${SONNET[@]}" "Deploy with AWS key AKIAZ7QXM4N2PLRT6KWE and its secret"

echo
echo "== 3. EU-only routing: eu-health may only use endpoints processing in the EU =="
script '{"content": "Served from an EU datacenter."}'
chat "${ALICE[@]}" "${SONNET[@]}" --max-tokens 200 "Summarise GDPR article 44 in one line."

echo
echo "== 4. A fallback that stays in the EU: the primary's endpoint fails, the fallback model serves inside the EU =="
script '{"serve": {"provider": "google-vertex/europe", "model": "anthropic/claude-sonnet-4.5"}, "failed_attempts": [{"provider": "google-vertex/europe-west1", "status": 429}], "content": "Answered by the fallback model, still in the EU."}'
chat "${ALICE[@]}" "${SONNET[@]}" --model anthropic/claude-sonnet-4.5 --max-tokens 200 "Which model answered?"

echo
echo "== 5. A budget denial: erin's daily \$0.02 cannot cover this request's worst case =="
chat --user erin --workspace eu-health "${SONNET[@]}" --max-tokens 4000 "Write a long report."

echo
echo "== 6. A streamed answer, filtered as it streams =="
script '{"content": "Streaming, chunk by chunk, through routeguard: the card 4111 1111 1111 1111 never reaches you.", "chunk_size": 6}'
chat "${ALICE[@]}" "${SONNET[@]}" --max-tokens 200 --stream "Stream me something."

echo
echo "== The audit trail: one record per call, chained, signed, verified =="
"$BIN" audit verify "$DEMO/audit" --public-key "$DEMO/keys/signing.pub"
"$BIN" audit export "$DEMO/audit" --format csv | cut -d, -f1-8 | column -s, -t 2>/dev/null || "$BIN" audit export "$DEMO/audit" --format csv

echo
echo "== Spend by provider and model =="
"$BIN" spend report --ledger "$LEDGER" --by provider,model

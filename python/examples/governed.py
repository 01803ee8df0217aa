import httpx, openai, routeguard
from routeguard.httpx import GovernedTransport

policy = {"version": 1, "users": {"alice": {}}, "workspaces": {"eu": {}}, "defaults": {
    "models": {"allow": ["anthropic/*"]}, "providers": {"processing": ["EU"]}}}
audit = routeguard.AuditTrail.open({"sink": {"type": "memory"}}, "00" * 32)  # or jsonl, postgres
# The OpenRouter key comes from $OPENROUTER_API_KEY (or api_key_file=...); never from the app.
client = routeguard.Client(routeguard.Guard(policy), trail=audit, ledger=routeguard.Ledger("memory:"))
alice = {"user": "alice", "workspace": "eu"}
answer = client.chat(alice, {"model": "anthropic/claude-sonnet-4", "messages": [{"role": "user", "content": "Hi"}]})
print(answer["allowed"], answer["audit"]["status"])  # True written: sent EU-only, settled, recorded
# Any SDK that takes an httpx client is governed the same way: openai, openrouter...
http = httpx.Client(transport=GovernedTransport(client, alice))
sdk = openai.OpenAI(base_url="http://routeguard.invalid/api/v1", api_key="unused", http_client=http)
try:
    sdk.chat.completions.create(model="openai/gpt-4o", messages=[{"role": "user", "content": "Hi"}])
except openai.PermissionDeniedError as e:
    print(e.status_code, e.body["metadata"]["routeguard"]["reasons"][0]["code"])  # 403 model_not_allowed

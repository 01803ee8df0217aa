import routeguard

policy = {"version": 1, "users": {"alice": {}}, "workspaces": {"eu": {}}, "defaults": {
    "models": {"allow": ["anthropic/*", "deepseek/*"]}, "providers": {"processing": ["EU"]}}}
guard = routeguard.Guard(policy)  # built-in provider catalogue; or Guard.from_file("policy.yaml")
alice = {"user": "alice", "workspace": "eu"}
chat = lambda model: {"model": model, "messages": [{"role": "user", "content": "Hi"}]}
decision = guard.prepare(alice, chat("anthropic/claude-sonnet-4"))
# True {'only': ['google-vertex/europe-west1']}: OpenRouter's fallbacks stay in the EU
print(decision.allowed, decision.prepared.request["provider"])
print(guard.prepare(alice, chat("deepseek/deepseek-chat")).reasons[0].code)  # no_compliant_endpoint
served = {"provider": "Anthropic", "choices": [{"message": {"role": "assistant", "content": "Hi"}}]}
check = guard.verify(decision.prepared, served)  # answered from the US: content withheld
print(check.allowed, check.provider, check.withheld)  # False anthropic True

use routeguard::host::{CatalogSource, HostGuard, HostLedger, PolicySource};

fn main() -> routeguard::Result<()> {
    let guard = HostGuard::new(
        PolicySource::File("examples/policy.yaml".as_ref()),
        CatalogSource::Builtin,
    )?;
    let ledger = HostLedger::open("memory:")?; // or "sqlite:spend.db", "postgres://app@db/routeguard"
    let alice = r#"{"user": "alice", "workspace": "eu-health"}"#;
    let request = r#"{"model": "anthropic/claude-sonnet-4", "max_tokens": 500, "messages": [{"role": "user", "content": "Hi"}]}"#;
    let prepared = guard
        .prepare(alice, request, None, None)?
        .prepared
        .expect("allowed");
    let held = guard.reserve(&ledger, alice, &prepared, None, None)?; // worst case, on every cap
    println!(
        "reserved {} micro-USD on {} caps",
        held.outcome.amount_micros,
        held.outcome.caps.len()
    );
    // ... send prepared.request to OpenRouter; settle with its response (usage.cost is the truth):
    let response = r#"{"provider": "Google", "model": "anthropic/claude-sonnet-4", "usage": {"prompt_tokens": 12, "completion_tokens": 40, "cost": 0.000636}}"#;
    let id = held.outcome.id.expect("within budget");
    let record = guard.settle(&ledger, &id, Some(response), "completed", None)?;
    println!(
        "charged {} micro-USD to {}",
        record.charged_micros, record.provider
    );
    print!(
        "{}",
        ledger.report("provider,model", "month", None)?.to_table()
    );
    Ok(())
}

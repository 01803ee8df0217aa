use routeguard::host::{audit_verify, CatalogSource, HostAuditTrail, HostGuard, PolicySource};

fn main() -> routeguard::Result<()> {
    let guard = HostGuard::new(
        PolicySource::File("examples/policy.yaml".as_ref()),
        CatalogSource::Builtin,
    )?;
    // Keys come from `routeguard audit keygen DIR` or your secret store; hex text or raw bytes.
    let chain_key = std::env::var("ROUTEGUARD_AUDIT_KEY")
        .unwrap_or_else(|_| "00112233445566778899aabbccddeeff".repeat(2));
    let signing_key = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
    // `cargo run --example audit -- DIR` keeps the log in DIR (and the public key in DIR.pub).
    let kept = std::env::args().nth(1).map(std::path::PathBuf::from);
    let dir = kept.clone().unwrap_or_else(|| {
        std::env::temp_dir().join(format!("routeguard-audit-{}", std::process::id()))
    });
    let config = format!(
        r#"{{"sink": {{"type": "jsonl", "path": {:?}, "fsync": "every"}}, "prompt": "redacted"}}"#,
        dir.display().to_string()
    );
    let trail = HostAuditTrail::open(
        &config,
        chain_key.as_bytes(),
        Some(signing_key.as_bytes()),
        None,
        "rust",
        None,
    )?;

    let alice = r#"{"user": "alice", "workspace": "eu-health"}"#;
    let request = r#"{"model": "anthropic/claude-sonnet-4", "messages": [{"role": "user", "content": "Mail jane@example.com the results"}]}"#;
    let decision = guard.prepare(alice, request, None, None)?;
    // ... send decision.prepared.request to OpenRouter; then one record for the interaction:
    let details = r#"{"response": {"id": "gen-1", "provider": "Google", "model": "anthropic/claude-sonnet-4",
        "choices": [{"message": {"role": "assistant", "content": "Sent."}}],
        "usage": {"prompt_tokens": 12, "completion_tokens": 40, "cost": 0.000636}}, "latency_ms": 840}"#;
    let receipt = guard.audit(&trail, alice, request, &decision, details, None)?;
    println!(
        "record {} of writer {}: {}",
        receipt.seq.unwrap_or(0),
        receipt.writer,
        receipt.status
    );

    let denied = r#"{"model": "openai/gpt-4o", "messages": [{"role": "user", "content": "Hi"}]}"#;
    let decision = guard.prepare(alice, denied, None, None)?;
    guard.audit(&trail, alice, denied, &decision, "", None)?;

    trail.close(None)?; // the signed closing checkpoint: a cut tail is detectable
    let public_key = trail.public_key().unwrap_or_default();
    let report = audit_verify(
        &dir.display().to_string(),
        chain_key.as_bytes(),
        Some(public_key.as_bytes()),
    )?;
    println!(
        "verify: {} ({} records, {} checkpoints)",
        report.status, report.records, report.checkpoints
    );
    match kept {
        Some(dir) => {
            std::fs::write(dir.with_extension("pub"), public_key).expect("write the public key")
        }
        None => std::fs::remove_dir_all(&dir).expect("remove the example's log"),
    }
    Ok(())
}

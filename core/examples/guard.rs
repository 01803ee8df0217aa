use routeguard::guard::{Decision, Guard, PrepareOptions};
use routeguard::policy::{Policy, Principal};

fn main() -> routeguard::Result<()> {
    let guard = Guard::new(Policy::from_file("examples/policy.yaml".as_ref())?)?; // built-in catalogue
    let alice = Principal::new("alice", "eu-health");
    let request = r#"{"model": "anthropic/claude-sonnet-4", "messages": [{"role": "user", "content": "Hi"}]}"#;
    match guard.prepare(&alice, request, PrepareOptions::default())? {
        Decision::Allow(prepared) => println!("send to {:?}", prepared.providers), // EU endpoints only
        Decision::Deny { reasons, .. } => println!("denied: {}", reasons[0].code),
    }
    Ok(())
}

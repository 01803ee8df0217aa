//! The audit trail's I/O edge: JSON Lines rotation and verification across files, crashes and
//! failing sinks, concurrent writers, dropping without close, and the PostgreSQL sink (when
//! `ROUTEGUARD_TEST_POSTGRES` names a database).

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use routeguard::audit::config::TrailConfig;
use routeguard::audit::sink::{AuditSink, MemorySink};
use routeguard::audit::trail::MAX_BACKLOG;
use routeguard::audit::{AuditTrail, ChainKey, SigningKey, TrailOptions};
use routeguard::host::{audit_verify, audit_verify_text};
use routeguard::policy::Permission;
use routeguard::{ErrorCode, Result};

const KEY: &[u8] = b"an audit chain key of 32 bytes!!";
const DAY: i64 = 86_400_000;
const T0: i64 = 1_795_500_000_000;

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("rg-trail-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn signer() -> SigningKey {
    SigningKey::from_seed(&[9; 32]).unwrap()
}

fn jsonl(dir: &std::path::Path, writer: &str, extra: &str) -> AuditTrail {
    let config = format!(
        r#"{{"sink": {{"type": "jsonl", "path": {:?}{extra}}}, "writer": "{writer}", "checkpoint_interval_ms": 0}}"#,
        dir.display().to_string()
    );
    TrailConfig::parse(&config)
        .unwrap()
        .open(ChainKey::new(KEY).unwrap(), Some(signer()), None, T0)
        .unwrap()
        .trail
}

fn event(n: usize) -> String {
    format!(
        r#"{{"outcome": "allowed", "id": "e{n}", "principal": {{"user": "u{n}", "workspace": "w"}}}}"#
    )
}

fn verify(location: &str) -> routeguard::audit::VerifyReport {
    let public = signer().public_key().hex();
    audit_verify(location, KEY, Some(public.as_bytes())).unwrap()
}

#[test]
fn size_rotation_seals_each_file_and_the_directory_verifies_as_one_chain() {
    let dir = temp_dir("rotate");
    let trail = jsonl(&dir, "w1", r#", "rotate": {"max_mb": 1}"#);
    // Records of ~600 bytes: 1 MiB holds about 1,700, so 4,000 records span three files.
    let padding = "x".repeat(400);
    for n in 0..4000 {
        let e = format!(r#"{{"outcome": "allowed", "id": "e{n}", "generation_id": "{padding}"}}"#);
        trail.write_json(&e, T0 + n as i64).unwrap();
    }
    trail.close(T0 + 5000).unwrap();
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(files.len() >= 3, "{files:?}");
    for file in &files {
        assert!(std::fs::metadata(file).unwrap().len() <= 1024 * 1024 + 1024);
    }
    let report = verify(&dir.display().to_string());
    assert_eq!(report.status, "intact", "{:?}", report.problems);
    assert_eq!(report.records, 4000);
    // A middle file alone starts at its `continue` checkpoint and ends at its `rotate` one.
    let middle = verify(&files[1].display().to_string());
    assert_eq!(middle.problems.len(), 1, "{:?}", middle.problems);
    assert_eq!(middle.problems[0].kind, "open_chain");
    // Deleting a whole middle file is a gap in the chain.
    std::fs::remove_file(&files[1]).unwrap();
    let cut = verify(&dir.display().to_string());
    assert_eq!(cut.status, "tampered");
    assert_eq!(cut.first_bad().unwrap().kind, "missing_records");
}

#[test]
fn daily_rotation_starts_a_file_at_utc_midnight() {
    let dir = temp_dir("daily");
    let trail = jsonl(
        &dir,
        "w2",
        r#", "rotate": {"daily": true}, "fsync": "never""#,
    );
    let midnight = (T0 / DAY + 1) * DAY;
    trail.write_json(&event(1), midnight - 1).unwrap();
    trail.write_json(&event(2), midnight - 1).unwrap();
    trail.write_json(&event(3), midnight).unwrap();
    trail.close(midnight + 1).unwrap();
    let count = std::fs::read_dir(&dir).unwrap().count();
    assert_eq!(count, 2);
    assert_eq!(verify(&dir.display().to_string()).status, "intact");
}

#[test]
fn interval_fsync_and_several_writers_in_one_directory() {
    let dir = temp_dir("writers");
    let trails: Vec<AuditTrail> = (0..3)
        .map(|i| {
            jsonl(
                &dir,
                &format!("proc{i}"),
                r#", "fsync": {"interval_ms": 50}"#,
            )
        })
        .collect();
    for n in 0..30 {
        trails[n % 3]
            .write_json(&event(n), T0 + n as i64 * 10)
            .unwrap();
    }
    for t in &trails {
        t.close(T0 + 1000).unwrap();
    }
    let report = verify(&dir.display().to_string());
    assert_eq!(report.status, "intact", "{:?}", report.problems);
    assert_eq!(report.writers.len(), 3);
    assert!(report.writers.iter().all(|w| w.records == 10 && w.closed));
}

#[test]
fn threads_sharing_one_trail_keep_one_unbroken_chain() {
    let memory = MemorySink::new();
    let trail = Arc::new(
        AuditTrail::new(
            Box::new(memory.clone()),
            ChainKey::new(KEY).unwrap(),
            None,
            TrailOptions::new("threads"),
        )
        .unwrap(),
    );
    let handles: Vec<_> = (0..8)
        .map(|t| {
            let trail = Arc::clone(&trail);
            std::thread::spawn(move || {
                for n in 0..250 {
                    trail.write_json(&event(t * 1000 + n), T0).unwrap();
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    trail.close(T0 + 1).unwrap();
    let text: String = memory.lines().iter().map(|l| format!("{l}\n")).collect();
    let report = audit_verify_text(text.as_bytes(), KEY, None).unwrap();
    assert_eq!(report.status, "intact", "{:?}", report.problems);
    assert_eq!(report.records, 2000);
    // 2,000 records with a checkpoint every 1,000 (the default), plus the closing one.
    assert_eq!(report.checkpoints, 3);
}

#[test]
fn dropping_a_trail_writes_its_closing_checkpoint() {
    let memory = MemorySink::new();
    {
        let trail = AuditTrail::new(
            Box::new(memory.clone()),
            ChainKey::new(KEY).unwrap(),
            None,
            TrailOptions::new("dropped"),
        )
        .unwrap();
        trail.write_json(&event(1), T0).unwrap();
    }
    let lines = memory.lines();
    assert_eq!(lines.len(), 2);
    assert!(lines[1].contains(r#""reason":"close""#), "{}", lines[1]);
}

/// A sink that fails while `down` says so, counting its calls.
struct Flaky {
    inner: MemorySink,
    down: Arc<AtomicUsize>,
}

impl AuditSink for Flaky {
    fn append(&mut self, line: &str, now_ms: i64) -> Result<()> {
        if self.down.load(Ordering::SeqCst) > 0 {
            return Err(routeguard::Error::new(
                ErrorCode::AuditUnavailable,
                "disk full",
            ));
        }
        self.inner.append(line, now_ms)
    }
    fn describe(&self) -> String {
        "flaky".into()
    }
}

#[test]
fn a_long_outage_fails_open_up_to_the_backlog_then_counts_what_went_unrecorded() {
    let memory = MemorySink::new();
    let down = Arc::new(AtomicUsize::new(1));
    let mut options = TrailOptions::new("outage");
    options.on_sink_error = Permission::Allow;
    options.checkpoint_every = 0;
    let trail = AuditTrail::new(
        Box::new(Flaky {
            inner: memory.clone(),
            down: Arc::clone(&down),
        }),
        ChainKey::new(KEY).unwrap(),
        None,
        options,
    )
    .unwrap();
    for n in 0..MAX_BACKLOG + 5 {
        let receipt = trail.write_json(&event(n), T0).unwrap();
        let want = if n < MAX_BACKLOG {
            "delayed"
        } else {
            "unrecorded"
        };
        assert_eq!(receipt.status, want, "record {n}");
    }
    assert_eq!(trail.backlog(), MAX_BACKLOG);
    down.store(0, Ordering::SeqCst);
    trail.write_json(&event(99_999), T0 + 60_000).unwrap();
    trail.close(T0 + 60_001).unwrap();
    let lines = memory.lines();
    let notice = lines
        .iter()
        .find(|l| l.contains("sink_failed_open"))
        .unwrap();
    assert!(
        notice.contains(r#""delayed":10000"#) && notice.contains(r#""unrecorded":5"#),
        "{notice}"
    );
    let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
    let report = audit_verify_text(text.as_bytes(), KEY, None).unwrap();
    assert_eq!(report.status, "intact", "{:?}", report.problems.first());
    assert_eq!(report.records as usize, MAX_BACKLOG + 2);
}

#[test]
fn a_failing_jsonl_directory_fails_closed() {
    let dir = temp_dir("readonly");
    std::fs::write(&dir, "a file where the directory should be").unwrap();
    let trail = jsonl(&dir, "w3", "");
    let err = trail.write_json(&event(1), T0).unwrap_err();
    assert_eq!(err.code(), ErrorCode::AuditUnavailable);
    assert!(!err.message().contains("u1"));
    std::fs::remove_file(&dir).unwrap();
}

#[test]
fn postgres_sink_verifies_from_the_table() {
    let Ok(url) = std::env::var("ROUTEGUARD_TEST_POSTGRES") else {
        assert_ne!(
            std::env::var("ROUTEGUARD_REQUIRE_POSTGRES").as_deref(),
            Ok("1")
        );
        return;
    };
    if !cfg!(feature = "postgres") {
        panic!("ROUTEGUARD_TEST_POSTGRES is set but this build has no postgres feature");
    }
    #[cfg(feature = "postgres")]
    {
        let schema = "audit_sink_test";
        let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
        client
            .batch_execute(&format!(
                "DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema};"
            ))
            .unwrap();
        let sep = if url.contains('?') { '&' } else { '?' };
        let url = format!("{url}{sep}options=-csearch_path%3D{schema}");
        let config =
            format!(r#"{{"sink": {{"type": "postgres", "url": "{url}"}}, "writer": "pg.1"}}"#);
        let trails: Vec<AuditTrail> = (0..2)
            .map(|i| {
                let config = config.replace("pg.1", &format!("pg.{i}"));
                TrailConfig::parse(&config)
                    .unwrap()
                    .open(ChainKey::new(KEY).unwrap(), Some(signer()), None, T0)
                    .unwrap()
                    .trail
            })
            .collect();
        for n in 0..20 {
            trails[n % 2].write_json(&event(n), T0).unwrap();
        }
        for t in &trails {
            t.close(T0 + 1).unwrap();
        }
        let report = verify(&url);
        assert_eq!(report.status, "intact", "{:?}", report.problems);
        assert_eq!(report.records, 20);
        client
            .execute(&format!("UPDATE {schema}.rg_audit SET line = replace(line, '\"u3\"', '\"u4\"') WHERE seq = 1 AND writer = 'pg.1'"), &[])
            .unwrap();
        let tampered = verify(&url);
        assert_eq!(tampered.status, "tampered");
        assert_eq!(tampered.first_bad().unwrap().kind, "bad_mac");
    }
}

#[test]
fn the_policy_names_the_keys_by_environment_variable_and_file() {
    use routeguard::host::{CatalogSource, HostGuard, PolicySource};
    let dir = temp_dir("policy");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("signing.key"), format!("{}\n", "07".repeat(32))).unwrap();
    let policy = format!(
        "version: 1\ndefaults:\n  models: {{allow: [\"anthropic/*\"]}}\n  audit:\n    prompt: none\n    sink: {{type: jsonl, path: log}}\n    chain_key: {{env: RG_TEST_AUDIT_KEY_{pid}}}\n    signing_key: {{file: signing.key}}\nworkspaces: {{w: {{}}}}\nusers: {{u: {{}}}}\n",
        pid = std::process::id()
    );
    let file = dir.join("policy.yaml");
    std::fs::write(&file, policy).unwrap();
    let guard = HostGuard::new(PolicySource::File(&file), CatalogSource::Builtin).unwrap();
    let missing = guard.open_audit_trail(None, "rust", Some(T0)).unwrap_err();
    assert_eq!(missing.code(), ErrorCode::AuditKeyInvalid);
    assert!(
        missing.message().contains("RG_TEST_AUDIT_KEY_"),
        "{}",
        missing.message()
    );
    std::env::set_var(
        format!("RG_TEST_AUDIT_KEY_{}", std::process::id()),
        routeguard::audit::chain::hex(KEY).to_uppercase(),
    );
    let trail = guard.open_audit_trail(None, "rust", Some(T0)).unwrap();
    let request = r#"{"model": "anthropic/claude-sonnet-4", "messages": [{"role": "user", "content": "secret plans"}]}"#;
    let principal = r#"{"user": "u", "workspace": "w"}"#;
    let decision = guard.prepare(principal, request, None, None).unwrap();
    let receipt = guard
        .audit(&trail, principal, request, &decision, "", Some(T0))
        .unwrap();
    let line = receipt.line.unwrap();
    assert!(
        line.contains(r#""prompt":{"mode":"none"}"#) && !line.contains("secret plans"),
        "{line}"
    );
    assert!(line.contains(r#""language":"rust""#), "{line}");
    trail.close(Some(T0 + 1)).unwrap();
    let public = SigningKey::from_seed(&[7; 32]).unwrap().public_key().hex();
    let report = audit_verify(
        &dir.join("log").display().to_string(),
        KEY,
        Some(public.as_bytes()),
    )
    .unwrap();
    assert_eq!(report.status, "intact", "{:?}", report.problems);
}

/// A writer killed with SIGKILL leaves an open chain: `incomplete`, never `tampered`.
#[test]
fn a_killed_writer_leaves_an_incomplete_log_not_a_tampered_one() {
    if let Ok(dir) = std::env::var("RG_AUDIT_CHILD_DIR") {
        let trail = jsonl(std::path::Path::new(&dir), "child", r#", "fsync": "never""#);
        for n in 0..200_000 {
            trail.write_json(&event(n), T0 + n as i64).unwrap();
        }
        std::process::exit(0);
    }
    let dir = temp_dir("killed");
    let mut child = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "a_killed_writer_leaves_an_incomplete_log_not_a_tampered_one",
            "--nocapture",
        ])
        .env("RG_AUDIT_CHILD_DIR", &dir)
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let file = dir.join("child.00000.jsonl");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while std::fs::metadata(&file).map_or(0, |m| m.len()) < 200_000 {
        assert!(
            std::time::Instant::now() < deadline,
            "the child wrote nothing"
        );
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let report = verify(&dir.display().to_string());
    assert_eq!(report.status, "incomplete", "{:?}", report.problems.first());
    assert!(report.problems.iter().all(|p| !p.tamper));
    assert!(report.records > 100);
}

#[test]
fn an_oversized_event_is_refused_and_the_chain_goes_on() {
    let memory = MemorySink::new();
    let trail = AuditTrail::new(
        Box::new(memory.clone()),
        ChainKey::new(KEY).unwrap(),
        None,
        TrailOptions::new("big"),
    )
    .unwrap();
    let huge = format!(
        r#"{{"outcome": "allowed", "prompt": "{}"}}"#,
        "a".repeat(routeguard::audit::trail::MAX_EVENT_BYTES)
    );
    assert_eq!(
        trail.write_json(&huge, T0).unwrap_err().code(),
        ErrorCode::InputTooLarge
    );
    assert_eq!(trail.write_json(&event(1), T0).unwrap().seq, Some(0));
}

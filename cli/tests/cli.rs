//! End-to-end tests of the `routeguard` binary: listings, scans, JSONL, errors and exit codes.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn routeguard(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_routeguard"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // A command that fails before reading stdin closes it early; that is not a test failure.
    let _ = child.stdin.take().unwrap().write_all(stdin);
    child.wait_with_output().unwrap()
}

fn conformance() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/conformance/dlp/cases.json"
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn detectors_json_lists_the_catalogue_with_its_columns() {
    let out = routeguard(&["detectors", "--format", "json"], b"");
    assert!(out.status.success());
    let list: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    let card = list.iter().find(|d| d["id"] == "credit_card").unwrap();
    assert_eq!(card["category"], "CREDIT_CARD");
    assert_eq!(card["validation"], "luhn");
    assert_eq!(card["default_action"], "mask");
    assert!(list.iter().any(|d| d["kind"] == "secret"));
}

#[test]
fn jsonl_scan_matches_the_conformance_corpus() {
    let doc = conformance();
    let dir = std::env::temp_dir().join(format!("routeguard-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let config = dir.join("config.json");
    let input = dir.join("in.jsonl");
    let cases = doc["cases"].as_array().unwrap();
    // Every case but the allow-list one shares one configuration.
    let shared: Vec<&Value> = cases
        .iter()
        .filter(|c| c["name"] != "allow_list_value")
        .collect();
    std::fs::write(&config, shared[0]["config"].to_string()).unwrap();
    let mut lines = String::new();
    for case in &shared {
        lines.push_str(&serde_json::json!({"id": case["name"], "text": case["text"]}).to_string());
        lines.push('\n');
    }
    std::fs::write(&input, lines).unwrap();
    let out = routeguard(
        &[
            "scan",
            "--config",
            config.to_str().unwrap(),
            "--jsonl",
            input.to_str().unwrap(),
        ],
        b"",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let results: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(results.len(), shared.len());
    for (result, case) in results.iter().zip(&shared) {
        assert_eq!(result["id"], case["name"]);
        let expected: Vec<Value> = case["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                let mut f = f.clone();
                let o = f.as_object_mut().unwrap();
                o.remove("utf16_start");
                o.remove("utf16_end");
                f
            })
            .collect();
        let got: Vec<Value> = result["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                let mut f = f.clone();
                f.as_object_mut().unwrap().remove("confidence");
                f
            })
            .collect();
        assert_eq!(got, expected, "case {}", case["name"]);
    }
}

#[test]
fn jsonl_reports_bad_lines_and_keeps_going() {
    let dir = std::env::temp_dir().join(format!("routeguard-cli-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let input = dir.join("in.jsonl");
    let mut bytes =
        b"{\"id\": 1, \"text\": \"card 4111 1111 1111 1111\"}\nnot json\n{\"id\": 3}\n".to_vec();
    bytes.extend_from_slice(b"\xff\xfe\n{\"id\": 5, \"text\": \"fine\"}\n");
    std::fs::write(&input, bytes).unwrap();
    let out = routeguard(&["scan", "--jsonl", input.to_str().unwrap()], b"");
    assert_eq!(out.status.code(), Some(2));
    let lines: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 5);
    assert_eq!(lines[0]["findings"][0]["detector"], "credit_card");
    assert_eq!(lines[1]["error"]["code"], "invalid_json");
    assert_eq!(lines[2]["error"]["code"], "invalid_argument");
    assert_eq!(lines[3]["error"]["code"], "invalid_utf8");
    assert_eq!(lines[4]["id"], 5);
}

#[test]
fn text_scan_masks_and_blocked_scans_exit_3() {
    let out = routeguard(
        &["scan", "--action", "mask", "-"],
        "pay 4111 1111 1111 1111 🙂".as_bytes(),
    );
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("pay **** **** **** **** 🙂"), "{stdout}");

    let key = "key 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";
    let out = routeguard(&["scan", "--format", "json"], key.as_bytes());
    assert_eq!(out.status.code(), Some(3));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["blocked"], true);
    assert_eq!(doc["output"], Value::Null);
    assert!(
        !String::from_utf8_lossy(&out.stdout).contains("7f3a9c2e5b8d"),
        "the secret must not be echoed"
    );

    let out = routeguard(&["scan", "--format", "json", "--reveal"], key.as_bytes());
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        doc["findings"][0]["value"],
        &key[4..],
        "--reveal asks for the value explicitly"
    );
}

#[test]
fn invalid_input_and_config_give_codes_without_content() {
    let out = routeguard(&["scan"], b"abc \xff\xfe 4111");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("invalid_utf8 (1000)"));

    let dir = std::env::temp_dir().join(format!("routeguard-cli-cfg-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let config = dir.join("bad.yaml");
    std::fs::write(&config, "custom:\n  - id: x\n    patern: 'a+'\n").unwrap();
    let out = routeguard(&["scan", "--config", config.to_str().unwrap()], b"text");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("invalid_config (2000)")
            && stderr.contains("custom[0]")
            && stderr.contains("line 3"),
        "{stderr}"
    );

    std::fs::write(
        &config,
        "custom:\n  - id: big\n    pattern: '(?:\\w{50}){50}'\n",
    )
    .unwrap();
    let out = routeguard(&["scan", "--config", config.to_str().unwrap()], b"text");
    assert!(String::from_utf8_lossy(&out.stderr).contains("pattern_too_large (2002)"));

    let out = routeguard(&["scan", "--action", "hash"], b"4111 1111 1111 1111");
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing_key"));
}

#[test]
fn errors_lists_the_table() {
    let out = routeguard(&["errors", "--format", "json"], b"");
    let list: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert!(list
        .iter()
        .any(|e| e["name"] == "invalid_config" && e["number"] == 2000));
}

fn example(name: &str) -> String {
    format!("{}/../examples/{name}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn policy_check_accepts_the_example_and_locates_errors() {
    let out = routeguard(&["policy", "check", &example("policy.yaml")], b"");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("valid (version 1, sha256:"), "{text}");
    assert!(text.contains("workspaces.eu-health"), "{text}");

    let dir = std::env::temp_dir().join(format!("routeguard-cli-policy-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.yaml");
    std::fs::write(&bad, "version: 1\ndefaults:\n  models:\n    alow: ['*']\n").unwrap();
    let out = routeguard(&["policy", "check", bad.to_str().unwrap()], b"");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("invalid_policy (2100)"), "{err}");
    assert!(
        err.contains("defaults.models") && err.contains("line 4"),
        "{err}"
    );

    let unknown = dir.join("unknown.json");
    std::fs::write(
        &unknown,
        r#"{"version": 1, "defaults": {"providers": {"allow": ["no-such-cloud"]}}}"#,
    )
    .unwrap();
    let out = routeguard(&["policy", "check", unknown.to_str().unwrap()], b"");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown_provider (2104)"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn policy_explain_shows_eu_routing_rule_by_rule() {
    let args = [
        "policy",
        "explain",
        &example("policy.yaml"),
        "--user",
        "alice",
        "--workspace",
        "eu-health",
        "--model",
        "anthropic/claude-sonnet-4",
    ];
    let out = routeguard(&args, b"");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("decision: ALLOW"), "{text}");
    assert!(text.contains("+ google-vertex/europe-west1"), "{text}");
    assert!(
        text.contains("- anthropic") && text.contains("workspaces.eu-health.providers.processing"),
        "{text}"
    );
    assert!(
        text.contains(r#""only":["google-vertex/europe-west1"]"#),
        "{text}"
    );

    let mut json_args = args.to_vec();
    json_args.extend(["--format", "json"]);
    let out = routeguard(&json_args, b"");
    let decision: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(decision["decision"], "allow");
    assert_eq!(
        decision["providers"],
        serde_json::json!(["google-vertex/europe-west1"])
    );

    let out = routeguard(
        &[
            "policy",
            "explain",
            &example("policy.yaml"),
            "--user",
            "mallory",
            "--workspace",
            "eu-health",
            "--model",
            "anthropic/claude-sonnet-4",
        ],
        b"",
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("decision: DENY") && text.contains("unknown_user"),
        "{text}"
    );
}

#[test]
fn catalog_show_lists_providers_and_a_models_endpoints() {
    let out = routeguard(&["catalog", "show"], b"");
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("mistral") && text.contains("FR"), "{text}");
    assert!(text.contains("snapshot 2026-11-01"), "{text}");
    let out = routeguard(
        &[
            "catalog",
            "show",
            "--model",
            "anthropic/claude-sonnet-4",
            "--format",
            "json",
        ],
        b"",
    );
    let endpoints: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    let eu = endpoints
        .iter()
        .find(|e| e["tag"] == "google-vertex/europe-west1")
        .unwrap();
    assert_eq!(eu["processing"], "BE");
    let out = routeguard(&["catalog", "show", "--model", "no/such-model"], b"");
    assert_eq!(out.status.code(), Some(2));
}

/// A SQLite ledger with three settled requests (now), for the spend report.
fn ledger_with_spend() -> String {
    use routeguard::host::{now_ms, HostLedger};
    let path = std::env::temp_dir().join(format!("rg-cli-spend-{}.db", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let url = format!("sqlite:{}", path.display());
    let ledger = HostLedger::open(&url).unwrap();
    let caps = r#"[{"rule":"defaults.budgets[0]","subject":"workspace:eu","window":"monthly","limit_micros":10000000}]"#;
    for (user, provider, model, cost) in [
        ("alice", "anthropic", "anthropic/claude-sonnet-4", 600_000),
        ("bob", "google-vertex", "anthropic/claude-sonnet-4", 300_000),
        ("bob", "anthropic", "mistralai/mistral-large", 100_000),
    ] {
        let meta = format!(r#"{{"user":"{user}","workspace":"eu","tags":{{"team":"=cmd"}}}}"#);
        let out = ledger
            .reserve(caps, cost, &meta, None, Some(now_ms()))
            .unwrap();
        let settlement = format!(
            r#"{{"outcome":"completed","actual_micros":{cost},"provider":"{provider}","model":"{model}"}}"#
        );
        ledger
            .settle(out.id.as_deref().unwrap(), &settlement, Some(now_ms()))
            .unwrap();
    }
    url
}

#[test]
fn spend_report_prints_a_table_csv_and_json() {
    let url = ledger_with_spend();
    let table = routeguard(
        &["spend", "report", "--ledger", &url, "--by", "provider"],
        b"",
    );
    assert!(table.status.success());
    let text = String::from_utf8(table.stdout).unwrap();
    assert!(
        text.contains("anthropic") && text.contains("$0.700000") && text.contains("70.00%"),
        "{text}"
    );
    assert!(text.contains("HHI 5800"), "{text}");

    let csv = routeguard(
        &[
            "spend",
            "report",
            "--ledger",
            &url,
            "--by",
            "user,model",
            "--format",
            "csv",
        ],
        b"",
    );
    let lines: Vec<String> = String::from_utf8(csv.stdout)
        .unwrap()
        .lines()
        .map(String::from)
        .collect();
    assert!(
        lines[0].starts_with("user,model,requests,estimate_usd,reserved_usd,charged_usd,"),
        "{lines:?}"
    );
    assert!(
        lines[1].starts_with("alice,anthropic/claude-sonnet-4,1,0.600000,0.600000,0.600000,"),
        "{lines:?}"
    );
    assert!(lines.last().unwrap().starts_with("total,,3,"), "{lines:?}");

    // A tag value that a spreadsheet would run as a formula is defused.
    let csv = routeguard(
        &[
            "spend", "report", "--ledger", &url, "--by", "tag", "--format", "csv",
        ],
        b"",
    );
    let text = String::from_utf8(csv.stdout).unwrap();
    assert!(text.contains("\nteam==cmd,3,"), "{text}");

    let json = routeguard(
        &[
            "spend", "report", "--ledger", &url, "--by", "provider", "--window", "total",
            "--format", "json",
        ],
        b"",
    );
    let report: Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(report["total"]["charged_micros"], 1_000_000);
    assert_eq!(report["providers"][0]["provider"], "anthropic");
    assert_eq!(report["hhi"], 5800);

    let bad = routeguard(
        &[
            "spend",
            "report",
            "--ledger",
            "mysql://x",
            "--by",
            "provider",
        ],
        b"",
    );
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("invalid_ledger_url"));
    let bad = routeguard(
        &["spend", "report", "--ledger", &url, "--by", "planet"],
        b"",
    );
    assert!(String::from_utf8_lossy(&bad.stderr).contains("invalid_argument"));
}

const AUDIT_KEY: &str = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0";
const AUDIT_SEED: &str = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";

/// A closed JSONL trail with three interactions in a fresh directory, and the public key file.
fn audit_log(name: &str) -> (std::path::PathBuf, std::path::PathBuf) {
    use routeguard::host::HostAuditTrail;
    let dir = std::env::temp_dir().join(format!("rg-cli-audit-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let config = format!(
        r#"{{"sink": {{"type": "jsonl", "path": {:?}}}, "writer": "cli.test", "checkpoint_interval_ms": 0}}"#,
        dir.join("log").display().to_string()
    );
    let trail = HostAuditTrail::open(
        &config,
        AUDIT_KEY.as_bytes(),
        Some(AUDIT_SEED.as_bytes()),
        None,
        "rust",
        None,
    )
    .unwrap();
    let events = [
        r#"{"outcome": "allowed", "time": "2026-11-20T09:00:00.000Z", "principal": {"user": "alice", "workspace": "eu"}, "model": {"requested": "anthropic/claude-sonnet-4", "served": "anthropic/claude-sonnet-4"}, "routing": {"served_provider": "google-vertex"}, "cost": {"billed_micros": 636}}"#,
        r#"{"outcome": "denied", "time": "2026-11-21T09:00:00.000Z", "principal": {"user": "bob", "workspace": "eu"}, "model": {"requested": "openai/gpt-4o"}, "decision": {"reasons": [{"code": "model_not_allowed"}]}}"#,
        r#"{"outcome": "fallback", "time": "2026-11-22T09:00:00.000Z", "principal": {"user": "alice", "workspace": "us"}, "model": {"requested": "anthropic/claude-sonnet-4", "served": "mistralai/mistral-large"}, "routing": {"served_provider": "mistral"}}"#,
    ];
    for event in events {
        trail.write(event, Some(1_795_400_000_000)).unwrap();
    }
    trail.close(Some(1_795_400_000_001)).unwrap();
    let public = dir.join("signing.pub");
    std::fs::write(&public, trail.public_key().unwrap()).unwrap();
    (dir.join("log"), public)
}

fn routeguard_env(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_routeguard"))
        .args(args)
        .env("ROUTEGUARD_AUDIT_KEY", AUDIT_KEY)
        .output()
        .unwrap()
}

#[test]
fn audit_verify_names_intact_tampered_and_crashed_logs() {
    let (log, public) = audit_log("verify");
    let (log_s, pub_s) = (log.display().to_string(), public.display().to_string());
    let ok = routeguard_env(&["audit", "verify", &log_s, "--public-key", &pub_s]);
    let text = String::from_utf8_lossy(&ok.stdout);
    assert_eq!(ok.status.code(), Some(0), "{text}");
    assert!(
        text.contains("intact (3 records, 1 checkpoints, 1 writers; signatures checked)"),
        "{text}"
    );

    let file = log.join("cli.test.00000.jsonl");
    let original = std::fs::read(&file).unwrap();
    let second_line = original.iter().position(|b| *b == b'\n').unwrap() + 1;
    let mut edited = original.clone();
    let at = second_line
        + original[second_line..]
            .windows(6)
            .position(|w| w == b"denied")
            .unwrap();
    edited[at..at + 6].copy_from_slice(b"DENIED");
    std::fs::write(&file, &edited).unwrap();
    let bad = routeguard_env(&["audit", "verify", &log_s, "--format", "json"]);
    assert_eq!(bad.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&bad.stdout).unwrap();
    assert_eq!(report["status"], "tampered");
    assert_eq!(report["problems"][0]["line"], 2);

    // A crash mid-write: the last line cut short. Incomplete, not tampered.
    std::fs::write(&file, &original[..original.len() - 30]).unwrap();
    let torn = routeguard_env(&["audit", "verify", &log_s]);
    let text = String::from_utf8_lossy(&torn.stdout);
    assert_eq!(torn.status.code(), Some(4), "{text}");
    assert!(
        text.contains("incomplete") && text.contains("torn_tail"),
        "{text}"
    );

    let no_key = routeguard(
        &["audit", "verify", &log_s, "--key-env", "RG_NO_SUCH_KEY"],
        b"",
    );
    assert_eq!(no_key.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&no_key.stderr).contains("audit_key_invalid"));
}

#[test]
fn audit_export_tail_and_search() {
    let (log, _) = audit_log("read");
    let log_s = log.display().to_string();
    let csv = routeguard(&["audit", "export", &log_s, "--format", "csv"], b"");
    assert!(csv.status.success());
    let text = String::from_utf8(csv.stdout).unwrap();
    let rows: Vec<&str> = text.lines().collect();
    assert!(
        rows[0].starts_with("time,id,kind,outcome,user,workspace,"),
        "{text}"
    );
    assert_eq!(rows.len(), 4, "{text}");
    assert!(
        rows[1].contains(",allowed,alice,eu,anthropic/claude-sonnet-4,")
            && rows[1].contains(",636,"),
        "{text}"
    );

    let ocsf = routeguard(&["audit", "export", &log_s, "--format", "ocsf"], b"");
    let events: Vec<Value> = String::from_utf8(ocsf.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(events.len(), 3);
    assert_eq!(events[0]["class_uid"], 6003);
    assert_eq!(events[0]["type_uid"], 600399);
    assert_eq!(events[1]["status_id"], 2);
    assert_eq!(events[1]["actor"]["user"]["uid"], "bob");

    let search = routeguard(
        &[
            "audit",
            "search",
            &log_s,
            "--user",
            "alice",
            "--since",
            "2026-11-21",
            "--format",
            "json",
        ],
        b"",
    );
    let found: Vec<Value> = String::from_utf8(search.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["outcome"], "fallback");
    let by_provider = routeguard(
        &["audit", "search", &log_s, "--provider", "google-vertex"],
        b"",
    );
    let text = String::from_utf8(by_provider.stdout).unwrap();
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(
        text.contains("alice@eu")
            && text.contains("via google-vertex")
            && text.contains("$0.000636"),
        "{text}"
    );
    let bad_time = routeguard(&["audit", "search", &log_s, "--since", "yesterday"], b"");
    assert_eq!(bad_time.status.code(), Some(2));

    let tail = routeguard(&["audit", "tail", &log_s, "-n", "2"], b"");
    let text = String::from_utf8(tail.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(
        lines[1].contains("checkpoint (close) after 3 records"),
        "{text}"
    );
}

#[test]
fn audit_keygen_writes_private_keys_once() {
    use std::os::unix::fs::PermissionsExt;
    let dir = std::env::temp_dir().join(format!("rg-cli-keys-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let dir_s = dir.display().to_string();
    let out = routeguard(&["audit", "keygen", &dir_s], b"");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mode = std::fs::metadata(dir.join("signing.key"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
    let key = std::fs::read_to_string(dir.join("chain.key")).unwrap();
    assert_eq!(key.trim().len(), 64);
    let again = routeguard(&["audit", "keygen", &dir_s], b"");
    assert_eq!(
        again.status.code(),
        Some(2),
        "keygen must not overwrite keys"
    );
}

/// The local OpenRouter stand-in on a free loopback port, stopped on drop.
struct Mock(std::process::Child, String);

impl Drop for Mock {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn mock_openrouter() -> Mock {
    use std::io::BufRead;
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/mock-openrouter/server.py"
    );
    let mut child = Command::new("python3")
        .args([script, "--port", "0", "--idle-exit", "120"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line.trim().trim_start_matches("listening ").to_string();
    Mock(child, url)
}

#[test]
fn catalog_refresh_fetches_the_api_into_a_directory_that_loads() {
    let mock = mock_openrouter();
    let out = std::env::temp_dir().join(format!("rg-cli-catalog-{}", std::process::id()));
    let out_s = out.display().to_string();
    let base = format!("{}/api/v1", mock.1);
    let refreshed = Command::new(env!("CARGO_BIN_EXE_routeguard"))
        .args(["catalog", "refresh", "--out", &out_s, "--base-url", &base])
        .env("OPENROUTER_API_KEY", "sk-or-v1-cli-test")
        .output()
        .unwrap();
    assert!(
        refreshed.status.success(),
        "{}",
        String::from_utf8_lossy(&refreshed.stderr)
    );
    // The stand-in serves the built-in snapshot, so the refreshed catalogue has its counts.
    let text = String::from_utf8_lossy(&refreshed.stdout);
    let builtin = format!("{:?}", routeguard::routing::catalog::Catalog::builtin());
    let counts = |s: &str| s[s.find("providers:").unwrap()..].to_string();
    assert_eq!(counts(&text).trim(), counts(&builtin).trim(), "{text}");
    assert!(out
        .join("endpoints/anthropic/claude-sonnet-4.json")
        .is_file());
    let show = routeguard(
        &[
            "catalog",
            "show",
            "--dir",
            &out_s,
            "--model",
            "anthropic/claude-sonnet-4",
        ],
        b"",
    );
    assert!(String::from_utf8_lossy(&show.stdout).contains("google-vertex"));

    let no_key = Command::new(env!("CARGO_BIN_EXE_routeguard"))
        .args([
            "catalog",
            "refresh",
            "--out",
            &out_s,
            "--base-url",
            &base,
            "--key-env",
            "RG_NO_KEY_HERE",
        ])
        .output()
        .unwrap();
    assert_eq!(no_key.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&no_key.stderr).contains("missing_api_key"));
    assert!(
        out.join("models.json").is_file(),
        "a failed refresh keeps the old catalogue"
    );
}

#[test]
fn chat_makes_governed_calls_whole_and_streamed_with_exit_codes_and_one_record_each() {
    let mock = mock_openrouter();
    let dir = std::env::temp_dir().join(format!("rg-cli-chat-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let policy = dir.join("policy.json");
    std::fs::write(
        &policy,
        r#"{"version": 1,
  "defaults": {"models": {"allow": ["anthropic/*"]},
    "dlp": {"scanner": {"actions": {"EMAIL_ADDRESS": "pseudonymize"}},
            "response": {"scan": true, "restore_pseudonyms": true}},
    "audit": {"sink": {"type": "jsonl", "path": "audit/"}, "chain_key": {"env": "RG_CLI_CHAT_KEY"}}},
  "workspaces": {"eu": {"providers": {"processing": ["EU"], "jurisdictions": ["EEA", "US"]}}},
  "users": {"alice": {}}}"#,
    )
    .unwrap();
    let ledger = format!("sqlite:{}", dir.join("spend.db").display());
    let chat = |extra: &[&str], prompt: &str| {
        let mut args = vec![
            "chat",
            "--policy",
            policy.to_str().unwrap(),
            "--user",
            "alice",
            "--workspace",
            "eu",
            "--ledger",
            &ledger,
            "--base-url",
        ];
        let base = format!("{}/api/v1", mock.1);
        args.push(&base);
        args.extend_from_slice(extra);
        args.push(prompt);
        Command::new(env!("CARGO_BIN_EXE_routeguard"))
            .args(&args)
            .env("OPENROUTER_API_KEY", "sk-or-v1-cli-test")
            .env("RG_CLI_CHAT_KEY", "00112233445566778899aabbccddeeff")
            .output()
            .unwrap()
    };
    let script = |entries: &str| {
        let status = Command::new("python3")
            .args([
                "-c",
                "import sys, urllib.request; urllib.request.urlopen(urllib.request.Request(sys.argv[1], data=sys.argv[2].encode(), method='POST')).read()",
                &format!("{}/_mock/script", mock.1),
                entries,
            ])
            .status()
            .unwrap();
        assert!(status.success());
    };
    script(r#"[{"content": "Mailing <EMAIL_ADDRESS_1> now."}]"#);
    let sonnet = [
        "--model",
        "anthropic/claude-sonnet-4",
        "--max-tokens",
        "100",
    ];
    let allowed = chat(&sonnet, "Mail ada@example.org");
    let text = String::from_utf8_lossy(&allowed.stdout);
    assert!(
        allowed.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&allowed.stderr)
    );
    assert!(
        text.contains("dlp: pseudonymize EMAIL_ADDRESS at /messages/0/content"),
        "{text}"
    );
    assert!(
        text.contains("answer: Mailing ada@example.org now."),
        "{text}"
    );
    assert!(text.contains("served by google-vertex"), "{text}");

    let denied = chat(&["--model", "openai/gpt-4o"], "Hi");
    assert_eq!(denied.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&denied.stdout).contains("refused: model_not_allowed"));

    script(r#"[{"content": "one two three four", "chunk_size": 3}]"#);
    let mut streamed_args = sonnet.to_vec();
    streamed_args.extend(["--stream", "--json"]);
    let streamed = chat(&streamed_args, "Count");
    assert!(streamed.status.success());
    let answer: Value = serde_json::from_slice(&streamed.stdout).unwrap();
    assert_eq!(answer["stream"], true);
    assert_eq!(
        answer["response"]["choices"][0]["message"]["content"],
        "one two three four"
    );

    let no_key = Command::new(env!("CARGO_BIN_EXE_routeguard"))
        .args([
            "chat",
            "--policy",
            policy.to_str().unwrap(),
            "--user",
            "alice",
            "--workspace",
            "eu",
            "--model",
            "anthropic/claude-sonnet-4",
            "--key-env",
            "RG_NO_KEY_HERE",
            "Hi",
        ])
        .env("RG_CLI_CHAT_KEY", "00112233445566778899aabbccddeeff")
        .output()
        .unwrap();
    assert_eq!(no_key.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&no_key.stderr).contains("missing_api_key"));

    let verify = Command::new(env!("CARGO_BIN_EXE_routeguard"))
        .args(["audit", "verify", dir.join("audit").to_str().unwrap()])
        .env("ROUTEGUARD_AUDIT_KEY", "00112233445566778899aabbccddeeff")
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&verify.stdout);
    assert!(
        verify.status.success(),
        "{report}{}",
        String::from_utf8_lossy(&verify.stderr)
    );
    assert!(report.contains("intact (3 records"), "{report}");
    let _ = std::fs::remove_dir_all(&dir);
}

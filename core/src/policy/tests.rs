//! Tests of the policy document: parsing, errors, narrowing, shadow rules, schema and hash.

use std::path::PathBuf;

use super::*;
use crate::dlp::Action;
use crate::routing::regions;

fn repo_file(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(rel)
}

fn example() -> Policy {
    Policy::from_file(&repo_file("examples/policy.yaml")).expect("the example policy parses")
}

fn err(yaml: &str) -> Error {
    Policy::from_yaml(yaml).expect_err("the policy is invalid")
}

fn who(user: &str, workspace: &str) -> Principal {
    Principal::new(user, workspace)
}

fn codes(reasons: &[Reason]) -> Vec<(&'static str, &str, bool)> {
    reasons
        .iter()
        .map(|r| (r.code, r.rule.as_str(), r.shadow))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// The example

#[test]
fn the_example_parses_without_warnings_and_uses_every_section() {
    let policy = example();
    assert_eq!(policy.version(), 1);
    assert!(!policy.on_error_allows());
    assert!(policy.hash().starts_with("sha256:") && policy.hash().len() == 7 + 64);
    assert_eq!(policy.warnings(), &[] as &[Warning], "{}", policy.summary());
    let doc = policy.document();
    assert_eq!(doc.workspaces.len(), 2);
    assert_eq!(doc.users.len(), 3);
    assert_eq!(doc.workspaces["eu-health"].users.len(), 3);
    let response = doc.defaults.dlp.as_ref().and_then(|d| d.response.as_ref());
    assert_eq!(
        response.map(|r| (r.scan, r.restore_pseudonyms)),
        Some((Some(true), Some(true)))
    );
    let audit = policy.audit().expect("the example configures audit");
    assert_eq!(audit.prompt, Storage::Redacted);
    assert_eq!(audit.response, Storage::Hash);
    assert_eq!(audit.sink.kind, SinkKind::Jsonl);
    assert_eq!(audit.sink.fsync, Some(Fsync::IntervalMs(200)));
    assert_eq!(
        audit.sink.rotate,
        Some(Rotate {
            max_mb: Some(100),
            daily: true
        })
    );
    assert_eq!(
        audit
            .chain_key
            .as_ref()
            .unwrap()
            .env
            .as_ref()
            .unwrap()
            .as_str(),
        "ROUTEGUARD_AUDIT_KEY"
    );
    assert_eq!(audit.on_sink_error, Permission::Deny);
    // Relative paths resolve against the policy file's directory.
    let examples = repo_file("examples");
    assert_eq!(
        audit.sink.path.as_deref(),
        Some(examples.join("audit/").as_path())
    );
    assert_eq!(
        audit.signing_key.as_ref().unwrap().file.as_deref(),
        Some(examples.join("keys/audit.ed25519").as_path())
    );
    assert_eq!(policy.base_dir(), Some(examples.as_path()));

    let summary = policy.summary();
    for expected in [
        "policy version 1 (sha256:",
        "on_error: deny (fail closed)",
        "2 workspace(s), 3 org-wide user(s), 3 user-in-workspace level(s); 5 distinct user id(s)",
        "  defaults: models: 5 allow, 2 deny; providers: 6 allow, 1 deny, jurisdictions [EEA,UK,US], processing [EEA,UK,CH,US], data_collection deny, context_compression deny; dlp: 4 action(s), 1 custom detector(s), answers scanned, pseudonyms restored; 4 budget(s); audit",
        "  workspaces.research: models: 2 allow, 1 deny; providers: 2 allow (shadow); dlp: 1 action(s), 0 custom detector(s) (shadow)",
        "  workspaces.eu-health.users.carol: inherits everything",
        "  users.dave: models: 1 allow, 1 deny (shadow)",
        "warnings: none",
    ] {
        assert!(summary.contains(expected), "missing {expected:?} in\n{summary}");
    }
}

#[test]
fn the_example_resolves_for_its_principals() {
    let policy = example();
    let alice = policy.resolve(&who("alice", "eu-health")).unwrap();
    assert_eq!(
        alice.levels,
        [
            "defaults",
            "workspaces.eu-health",
            "users.alice",
            "workspaces.eu-health.users.alice"
        ]
    );
    assert!(alice.models.allows("anthropic/claude-sonnet-4.5"));
    assert!(!alice.models.allows("mistralai/mistral-large"));
    assert!(!alice.models.allows("openai/gpt-4o"));
    let p = &alice.providers;
    assert_eq!(
        p.processing.as_ref().unwrap(),
        &regions::expand("EU").unwrap()
    );
    assert!(p.zdr && p.plugins_deny && p.data_collection_deny && p.context_compression_deny);
    assert_eq!(
        p.rules.zdr.as_deref(),
        Some("workspaces.eu-health.providers.zdr")
    );
    assert!(alice.providers_shadow.is_none() && alice.dlp_shadow.is_none());
    assert!(alice.audit.is_some());

    let carol = policy.resolve(&who("carol", "eu-health")).unwrap();
    assert!(carol.models.allows("mistralai/mistral-large"));
    // carol is known only inside eu-health.
    let denied = policy.resolve(&who("carol", "research")).unwrap_err();
    assert_eq!(codes(&denied), [("unknown_user", "users", false)]);

    let bob = policy.resolve(&who("bob", "research")).unwrap();
    assert!(bob.models.allows("anthropic/claude-opus-4"));
    assert!(bob.models.allows("openrouter/auto"));
    assert!(!bob.models.allows("openai/gpt-4o"));
    assert!(bob.providers_shadow.as_ref().unwrap().shadow);
    assert!(bob.dlp_shadow.is_some());
}

// ---------------------------------------------------------------------------------------------
// Errors: code, path, and for YAML line and column

#[test]
fn unknown_keys_and_wrong_types_name_path_line_and_column() {
    let e = err("version: 1\ndefaults:\n  models:\n    alow: [x]\n");
    assert_eq!(e.code(), ErrorCode::InvalidPolicy);
    assert_eq!(
        e.message(),
        "at `defaults.models.alow` (line 4, column 5): unknown field `alow`, expected one of `allow`, `deny`, `max_tokens`, `mode`"
    );
    let e = err("version: 1\ndefaults:\n  providers:\n    zdr: \"yes\"\n");
    assert_eq!(e.code(), ErrorCode::InvalidPolicy);
    assert_eq!(
        e.message(),
        "at `defaults.providers.zdr` (line 4, column 10): invalid type: a string, expected a boolean"
    );
    let e = err("version: 1\nworkspaces:\n  w:\n    audit: {}\n");
    assert!(
        e.message()
            .starts_with("at `workspaces.w.audit` (line 4, column 5): unknown field `audit`")
            && e.message()
                .ends_with("(audit is configured at `defaults` only)"),
        "{}",
        e.message()
    );
    let e = Policy::from_json(
        "{\"version\": 1,\n \"defaults\": {\"models\": {\"allow\": [\"a\"], \"x\": 1}}}",
    )
    .unwrap_err();
    assert_eq!(e.code(), ErrorCode::InvalidPolicy);
    assert!(
        e.message()
            .starts_with("at `defaults.models.x` (line 2, column 44): unknown field `x`"),
        "{}",
        e.message()
    );
    let e = Policy::from_json("{\"version\": 1, ").unwrap_err();
    assert_eq!(e.code(), ErrorCode::InvalidPolicy);
    assert!(
        e.message().starts_with("at `.` (line 1, column 15)"),
        "{}",
        e.message()
    );
}

#[test]
fn bad_globs_are_invalid_glob_errors_with_their_position() {
    let e = err("version: 1\ndefaults:\n  models:\n    allow: [\"a/*\", \"Bad/*\"]\n");
    assert_eq!(e.code(), ErrorCode::InvalidGlob);
    assert_eq!(
        e.message(),
        "at `defaults.models.allow[1]` (line 4, column 20): a glob must be lower case (model ids are)"
    );
    let e = err(
        "version: 1\nusers:\n  bob:\n    models:\n      deny:\n        - \"openai/gpt-[34]o\"\n",
    );
    assert_eq!(e.code(), ErrorCode::InvalidGlob);
    assert!(
        e.message().starts_with(
            "at `users.bob.models.deny[0]` (line 6, column 11): `[` is not glob syntax"
        ),
        "{}",
        e.message()
    );
    let e = err("version: 1\ndefaults:\n  models:\n    allow: [\"\"]\n");
    assert_eq!(e.code(), ErrorCode::InvalidGlob);
    assert!(e.message().contains("must not be empty"));
    let e =
        Policy::from_json("{\"version\": 1,\n \"defaults\": {\"models\": {\"allow\": [\"A\"]}}}")
            .unwrap_err();
    assert_eq!(e.code(), ErrorCode::InvalidGlob);
    assert!(e
        .message()
        .starts_with("at `defaults.models.allow[0]` (line 2, column 38)"));
}

#[test]
fn unknown_countries_and_groups_are_unknown_provider_errors() {
    let e = err("version: 1\ndefaults:\n  providers:\n    processing: [EU, Atlantis]\n");
    assert_eq!(e.code(), ErrorCode::UnknownProvider);
    assert!(
        e.message().starts_with(
            "at `defaults.providers.processing[1]` (line 4, column 22): unknown country or group `Atlantis`"
        ),
        "{}",
        e.message()
    );
    // Lower case is not a group: the groups and codes are written as ISO writes them.
    let e = err("version: 1\nworkspaces:\n  w:\n    providers: {jurisdictions: [eu]}\n");
    assert_eq!(e.code(), ErrorCode::UnknownProvider);
    assert!(e
        .message()
        .starts_with("at `workspaces.w.providers.jurisdictions[0]` (line 4"));
}

#[test]
fn the_version_is_checked_before_the_keys() {
    let e = err("version: 2\nsomething_new: true\n");
    assert_eq!(e.code(), ErrorCode::UnsupportedPolicyVersion);
    assert_eq!(
        e.message(),
        "at `version`: policy version 2 is not supported; this release reads version 1"
    );
    let e = Policy::from_json("{\"version\": 0}").unwrap_err();
    assert_eq!(e.code(), ErrorCode::UnsupportedPolicyVersion);
    assert!(e.message().contains("version 0"));
    let e = err("defaults: {}\n");
    assert_eq!(e.code(), ErrorCode::InvalidPolicy);
    assert_eq!(
        e.message(),
        "at `.` (line 1, column 1): missing field `version`"
    );
    let e = err("version: \"1\"\n");
    assert_eq!(e.code(), ErrorCode::InvalidPolicy);
    assert!(e.message().starts_with("at `version`"), "{}", e.message());
    for text in ["- a\n", "", "42"] {
        let e = err(text);
        assert_eq!(e.code(), ErrorCode::InvalidPolicy);
        assert!(e.message().contains("must be an object"), "{}", e.message());
    }
    assert_eq!(
        Policy::from_json("[1]").unwrap_err().code(),
        ErrorCode::InvalidPolicy
    );
}

#[test]
fn values_with_a_syntax_are_checked_where_they_are_written() {
    let e = err("version: 1\ndefaults:\n  providers:\n    allow: [Amazon Bedrock]\n");
    assert_eq!(e.code(), ErrorCode::InvalidPolicy);
    assert!(e
        .message()
        .starts_with("at `defaults.providers.allow[0]` (line 4, column 13): not a provider slug"));
    for bad in ["Anthropic", "google-vertex/", "/x", "a/b/c", "a b", "-a"] {
        assert!(Slug::parse(bad).is_err(), "{bad}");
    }
    for good in [
        "anthropic",
        "google-vertex/europe-west1",
        "deepinfra/turbo",
        "z-ai",
        "openai/priority",
    ] {
        assert!(Slug::parse(good).is_ok(), "{good}");
    }

    let e = err("version: 1\ndefaults:\n  budgets:\n    - {scope: user, window: daily, limit_usd: 0.0000001}\n");
    assert_eq!(e.code(), ErrorCode::InvalidPolicy);
    assert!(e.message().starts_with("at `defaults.budgets[0].limit_usd` (line 4, column 47): limit_usd must be a positive amount"));
    assert_eq!(
        err(
            "version: 1\ndefaults:\n  budgets:\n    - {scope: user, window: daily, limit_usd: 0}\n"
        )
        .code(),
        ErrorCode::InvalidPolicy
    );
    assert_eq!(
        err("version: 1\ndefaults:\n  budgets:\n    - {scope: user, window: hourly, limit_usd: 1}\n").code(),
        ErrorCode::InvalidPolicy
    );

    let e = err("version: 1\nusers:\n  alice: {}\n  alice: {}\n");
    assert!(e.message().starts_with("at `users`"), "{}", e.message());
    assert!(e.message().ends_with("`alice` is listed twice"));
    let e = Policy::from_json("{\"version\": 1, \"users\": {\"a\": {}, \"a\": {}}}").unwrap_err();
    assert_eq!(e.code(), ErrorCode::InvalidPolicy);
    assert!(e.message().ends_with("`a` is listed twice"));
    let e = err("version: 1\nworkspaces:\n  \"bad id\": {}\n");
    assert!(e.message().contains("must not contain whitespace"));

    let e = err(
        "version: 1\ndefaults:\n  audit:\n    sink: {type: jsonl, path: a, fsync: sometimes}\n",
    );
    assert!(e
        .message()
        .starts_with("at `defaults.audit.sink.fsync` (line 4"));
    let e = err("version: 1\ndefaults:\n  audit:\n    sink: {type: postgres, url_env: postgres://u:p@h/db}\n");
    assert!(e.message().starts_with("at `defaults.audit.sink.url_env`"));
    assert!(!e.message().contains("u:p@h"), "{}", e.message());
}

#[test]
fn an_inline_key_is_refused_without_repeating_it() {
    let e = err("version: 1\ndefaults:\n  audit:\n    sink: {type: callback}\n    chain_key: \"s3cr3t-key-value\"\n");
    assert_eq!(e.code(), ErrorCode::InvalidPolicy);
    assert_eq!(
        e.message(),
        "at `defaults.audit.chain_key` (line 5, column 16): a key must not be written in the policy: give `{env: VARIABLE}` or `{file: path}`"
    );
    for text in [
        "version: 1\ndefaults:\n  audit:\n    sink: {type: callback}\n    signing_key: {value: s3cr3t-key-value}\n",
        "version: 1\ndefaults:\n  audit:\n    sink: {type: callback}\n    signing_key: {env: A, file: b}\n",
    ] {
        let e = err(text);
        assert!(e.message().starts_with("at `defaults.audit.signing_key"), "{}", e.message());
        assert!(!e.message().contains("s3cr3t"));
    }
}

#[test]
fn fields_that_go_together_are_checked_with_their_path() {
    let e = err(
        "version: 1\ndefaults:\n  budgets:\n    - {scope: group, window: daily, limit_usd: 5}\n",
    );
    assert_eq!(
        e.message(),
        "at `defaults.budgets[0]`: `scope: group` needs `group: <name>`"
    );
    let e = err("version: 1\nusers:\n  u:\n    budgets:\n      - {scope: user, group: g, window: daily, limit_usd: 5}\n");
    assert_eq!(
        e.message(),
        "at `users.u.budgets[0].group`: `group` goes only with `scope: group`, not `user`"
    );
    let e = err("version: 1\ndefaults:\n  audit:\n    sink: {type: callback, path: x}\n");
    assert_eq!(
        e.message(),
        "at `defaults.audit.sink.path`: a `callback` sink does not take `path`"
    );
    let e = err("version: 1\ndefaults:\n  audit:\n    sink: {type: jsonl}\n");
    assert_eq!(
        e.message(),
        "at `defaults.audit.sink`: a `jsonl` sink needs `path`"
    );
    let e = err("version: 1\ndefaults:\n  audit:\n    sink: {type: postgres, url_env: PG_URL, fsync: every}\n");
    assert_eq!(
        e.message(),
        "at `defaults.audit.sink.fsync`: a `postgres` sink does not take `fsync`"
    );
    assert!(Policy::from_yaml(
        "version: 1\ndefaults:\n  audit:\n    sink: {type: postgres, url_env: PG_URL}\n"
    )
    .is_ok());
}

#[test]
fn dlp_sections_are_checked_with_the_scanner_codes() {
    let e = err("version: 1\ndefaults:\n  dlp:\n    scanner:\n      actions: {NOPE_NOPE: block}\n");
    assert_eq!(e.code(), ErrorCode::UnknownDetector);
    assert_eq!(
        e.message(),
        "at `defaults.dlp.scanner.actions`: `NOPE_NOPE` names no detector, category or kind"
    );
    let e = err("version: 1\nworkspaces:\n  w:\n    dlp:\n      scanner:\n        builtin: {disable: [NOT_A_CATEGORY]}\n");
    assert_eq!(e.code(), ErrorCode::UnknownDetector);
    assert!(
        e.message()
            .starts_with("at `workspaces.w.dlp.scanner`: builtin:"),
        "{}",
        e.message()
    );
    let e = err("version: 1\ndefaults:\n  dlp:\n    scanner:\n      custom: [{id: a, pattern: 'x'}]\nusers:\n  bob:\n    dlp:\n      scanner:\n        custom: [{id: a, pattern: 'y'}]\n");
    assert_eq!(e.code(), ErrorCode::DuplicateDetector);
    assert_eq!(
        e.message(),
        "at `users.bob.dlp.scanner.custom[0]`: custom detector `a` is already defined at `defaults.dlp.scanner.custom[0]`"
    );
    let e = err("version: 1\ndefaults:\n  dlp:\n    scanner:\n      custom: [{id: credit_card, pattern: 'x'}]\n");
    assert_eq!(e.code(), ErrorCode::DuplicateDetector);
    let e = err("version: 1\ndefaults:\n  dlp:\n    scanner:\n      custom: [{id: a, pattern: '(unclosed'}]\n");
    assert_eq!(e.code(), ErrorCode::InvalidPattern);
    assert!(e
        .message()
        .starts_with("at `defaults.dlp.scanner`: custom detector `a`"));
    let e = err("version: 1\ndefaults:\n  dlp:\n    scanner:\n      min_confidence: 2\n");
    assert_eq!(e.code(), ErrorCode::InvalidConfig);
    let e = err("version: 1\ndefaults:\n  dlp:\n    mode: shadow\n    scanner:\n      bogus: 1\n");
    assert_eq!(e.code(), ErrorCode::InvalidPolicy);
    assert!(
        e.message()
            .starts_with("at `defaults.dlp.scanner.bogus` (line 6, column 7)"),
        "{}",
        e.message()
    );
    // An action may name a custom detector defined at another level.
    assert!(Policy::from_yaml(
        "version: 1\ndefaults:\n  dlp:\n    scanner:\n      actions: {badge: block}\nusers:\n  u:\n    dlp:\n      scanner:\n        custom: [{id: badge, pattern: 'B-[0-9]{4}'}]\n"
    )
    .is_ok());
}

#[test]
fn a_file_error_names_the_file_and_terms_files_resolve_next_to_it() {
    let dir = std::env::temp_dir().join(format!("routeguard-policy-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("terms.txt"), "Project Falcon\n# comment\n").unwrap();
    let yaml = "version: 1\ndefaults:\n  dlp:\n    scanner:\n      custom: [{id: codenames, terms_file: terms.txt}]\n";
    std::fs::write(dir.join("p.yaml"), yaml).unwrap();
    let policy = Policy::from_file(&dir.join("p.yaml")).unwrap();
    let custom = &policy
        .document()
        .defaults
        .dlp
        .as_ref()
        .unwrap()
        .scanner
        .custom[0];
    assert_eq!(custom.terms().unwrap().unwrap(), ["Project Falcon"]);
    // The same text with no file to resolve against looks in the working directory.
    assert_eq!(
        Policy::from_yaml(yaml).unwrap_err().code(),
        ErrorCode::ConfigFileUnreadable
    );
    std::fs::write(dir.join("bad.json"), "{\"version\": 1, \"x\": 1}").unwrap();
    let e = Policy::from_file(&dir.join("bad.json")).unwrap_err();
    assert!(
        e.message()
            .starts_with(&format!("{}: at `x`", dir.join("bad.json").display())),
        "{}",
        e.message()
    );
    let e = Policy::from_file(&dir.join("missing.yaml")).unwrap_err();
    assert_eq!(e.code(), ErrorCode::ConfigFileUnreadable);
    std::fs::remove_dir_all(&dir).unwrap();
}

// ---------------------------------------------------------------------------------------------
// Narrowing

const FOUR_LEVELS: &str = r#"
version: 1
defaults:
  models:
    allow: ["anthropic/*", "openai/*", "mistralai/*"]
    deny: ["openai/o1*"]
  providers:
    allow: [anthropic, openai, google-vertex, mistral]
    deny: [together]
    jurisdictions: [EEA, US]
    processing: [EEA, US, CH]
workspaces:
  eu:
    models:
      allow: ["anthropic/*", "mistralai/*"]
    providers:
      allow: [anthropic, google-vertex/europe-west1, mistral]
      processing: [EU, CH]
      data_collection: deny
    users:
      alice:
        models:
          deny: ["anthropic/claude-opus*"]
        providers:
          processing: [DE, FR, CH]
          allow: [google-vertex, mistral]
          plugins: deny
  open: {}
users:
  alice:
    models:
      allow: ["anthropic/*", "mistralai/mistral-large*"]
    providers:
      deny: [mistral]
      jurisdictions: [EU]
      zdr: true
  bob: {}
"#;

#[test]
fn models_must_pass_every_level_on_the_path() {
    let policy = Policy::from_yaml(FOUR_LEVELS).unwrap();
    let alice = policy.resolve(&who("alice", "eu")).unwrap();
    assert_eq!(alice.levels.len(), 4);
    assert!(alice.models.allows("anthropic/claude-sonnet-4"));
    assert!(alice.models.allows("mistralai/mistral-large-2411"));
    // Allowed by defaults and the workspace, not by alice's org-wide level.
    assert_eq!(
        codes(&alice.models.check("mistralai/mistral-small")),
        [("model_not_allowed", "users.alice.models.allow", false)]
    );
    // Denied by the lowest level only.
    assert_eq!(
        codes(&alice.models.check("anthropic/claude-opus-4")),
        [(
            "model_denied",
            "workspaces.eu.users.alice.models.deny",
            false
        )]
    );
    // Allowed by defaults, not by the workspace nor alice.
    assert_eq!(
        codes(&alice.models.check("openai/gpt-4o")),
        [
            ("model_not_allowed", "workspaces.eu.models.allow", false),
            ("model_not_allowed", "users.alice.models.allow", false)
        ]
    );
    // Denied at the top, whatever lower levels say.
    let reasons = alice.models.check("openai/o1-preview");
    assert_eq!(reasons[0].code, "model_denied");
    assert_eq!(reasons[0].rule, "defaults.models.deny");
    assert_eq!(
        reasons[0].message,
        "`openai/o1-preview` matches the denied glob `openai/o1*`"
    );
    // Ids compare in lower case, so case cannot slip past a deny glob.
    assert_eq!(
        alice.models.check("OpenAI/O1-preview")[0].code,
        "model_denied"
    );

    // A level without model rules inherits: bob in `open` has exactly the defaults.
    let bob = policy.resolve(&who("bob", "open")).unwrap();
    assert!(bob.models.allows("openai/gpt-4o"));
    assert!(!bob.models.allows("openai/o1"));
    assert!(!bob.models.allows("google/gemini-2.5-pro"));
    assert!(!bob.models.allows(""));
}

#[test]
fn provider_constraints_narrow_across_the_four_levels() {
    let policy = Policy::from_yaml(FOUR_LEVELS).unwrap();
    let alice = policy.resolve(&who("alice", "eu")).unwrap();
    let p = &alice.providers;
    // defaults ∩ workspace ∩ workspace user; a base slug and one of its endpoints meet at the
    // endpoint.
    assert_eq!(
        p.allow.as_deref(),
        Some(
            &[
                "google-vertex/europe-west1".to_string(),
                "mistral".to_string()
            ][..]
        )
    );
    assert_eq!(p.deny, ["together", "mistral"]);
    assert_eq!(
        p.jurisdictions.as_ref().unwrap(),
        &regions::expand("EU").unwrap()
    );
    assert_eq!(
        p.processing
            .as_ref()
            .unwrap()
            .iter()
            .copied()
            .collect::<Vec<_>>(),
        ["CH", "DE", "FR"]
    );
    assert!(p.data_collection_deny && p.zdr && p.plugins_deny && !p.context_compression_deny);
    assert!(!p.shadow);
    assert_eq!(
        p.rules.allow,
        [
            "defaults.providers.allow",
            "workspaces.eu.providers.allow",
            "workspaces.eu.users.alice.providers.allow"
        ]
    );
    assert_eq!(
        p.rules.deny,
        ["defaults.providers.deny", "users.alice.providers.deny"]
    );
    assert_eq!(
        p.rules.processing,
        [
            "defaults.providers.processing",
            "workspaces.eu.providers.processing",
            "workspaces.eu.users.alice.providers.processing"
        ]
    );
    assert_eq!(
        p.rules.data_collection.as_deref(),
        Some("workspaces.eu.providers.data_collection")
    );
    assert_eq!(p.rules.zdr.as_deref(), Some("users.alice.providers.zdr"));
    assert_eq!(
        p.rules.plugins.as_deref(),
        Some("workspaces.eu.users.alice.providers.plugins")
    );
    assert_eq!(p.rules.context_compression, None);

    assert!(p.constrains());
    assert_eq!(
        p.rule_path("processing"),
        "workspaces.eu.users.alice.providers.processing"
    );
    assert_eq!(p.rule_path("zdr"), "users.alice.providers.zdr");
    assert_eq!(p.rule_path("context_compression"), "providers");
    assert!(p.permits_slug("google-vertex/europe-west1"));
    assert!(!p.permits_slug("google-vertex/us-east5"));
    assert!(!p.permits_slug("mistral"), "denied by users.alice");
    assert!(
        !p.permits_slug("anthropic"),
        "not in alice's workspace-level allow list"
    );

    // The reasons name the exact rule an endpoint fails; unknown facts fail.
    let dcs = vec!["DE".to_string()];
    let ok = EndpointFacts {
        tag: "google-vertex/europe-west1",
        headquarters: Some("IE"),
        datacenters: Some(&dcs),
        zdr: Some(true),
        no_data_collection: Some(true),
    };
    assert_eq!(p.check_endpoint(&ok), []);
    let us = vec!["US".to_string(), "DE".to_string()];
    let reasons = p.check_endpoint(&EndpointFacts {
        tag: "google-vertex/us-east5",
        headquarters: Some("US"),
        datacenters: Some(&us),
        zdr: None,
        no_data_collection: None,
    });
    assert_eq!(
        codes(&reasons),
        [
            (
                "provider_not_allowed",
                "workspaces.eu.providers.allow",
                false
            ),
            (
                "jurisdiction_not_allowed",
                "users.alice.providers.jurisdictions",
                false
            ),
            (
                "processing_not_allowed",
                "workspaces.eu.providers.processing",
                false
            ),
            (
                "processing_not_allowed",
                "workspaces.eu.users.alice.providers.processing",
                false
            ),
            (
                "data_collection_not_allowed",
                "workspaces.eu.providers.data_collection",
                false
            ),
            ("zdr_required", "users.alice.providers.zdr", false),
        ]
    );
    assert_eq!(
        reasons[2].message,
        "`google-vertex/us-east5` has datacenters in US"
    );
    let unknown = p.check_endpoint(&EndpointFacts {
        tag: "mistral",
        ..Default::default()
    });
    assert!(unknown
        .iter()
        .any(|r| r.code == "provider_denied" && r.rule == "users.alice.providers.deny"));
    assert!(unknown
        .iter()
        .any(|r| r.message == "`mistral` has no known headquarters"));
    assert!(unknown
        .iter()
        .any(|r| r.message == "`mistral` has no known datacenters"));

    // Without provider rules below the defaults, the defaults apply as written.
    let bob = policy.resolve(&who("bob", "open")).unwrap();
    assert_eq!(bob.providers.allow.as_ref().unwrap().len(), 4);
    assert!(!bob.providers.zdr && !bob.providers.data_collection_deny);
    assert!(bob.providers.constrains());
    let policy = Policy::from_yaml("version: 1\nworkspaces: {w: {}}\nusers: {u: {}}\n").unwrap();
    let free = policy.resolve(&who("u", "w")).unwrap();
    assert!(!free.providers.constrains() && free.dlp.is_none() && free.dlp_rules.is_empty());
    assert_eq!(free.dlp_rule_path(), "dlp");
    assert!(bob.providers.processing.as_ref().unwrap().contains("US"));
}

#[test]
fn unknown_workspaces_and_users_are_denied_with_reasons() {
    let policy = Policy::from_yaml(FOUR_LEVELS).unwrap();
    let denied = policy.resolve(&who("mallory", "eu")).unwrap_err();
    assert_eq!(codes(&denied), [("unknown_user", "users", false)]);
    assert_eq!(
        denied[0].message,
        "user `mallory` is in neither `users` nor `workspaces.eu.users`"
    );
    let denied = policy.resolve(&who("alice", "marketing")).unwrap_err();
    assert_eq!(codes(&denied), [("unknown_workspace", "workspaces", false)]);
    assert_eq!(
        denied[0].message,
        "workspace `marketing` is not in the policy"
    );
    let denied = policy.resolve(&who("mallory", "marketing")).unwrap_err();
    assert_eq!(denied.len(), 2);
    // Ids are exact: no case folding, no trimming.
    assert!(policy.resolve(&who("Alice", "eu")).is_err());
    assert!(policy.resolve(&who("alice", "eu ")).is_err());
    // A principal parses strictly from JSON, groups and tags optional.
    let p: Principal = serde_json::from_str(
        r#"{"user": "alice", "workspace": "eu", "groups": ["finance"], "tags": {"team": "x"}}"#,
    )
    .unwrap();
    assert_eq!(p.groups, ["finance"]);
    assert!(
        serde_json::from_str::<Principal>(r#"{"user": "a", "workspace": "b", "role": "x"}"#)
            .is_err()
    );
}

#[test]
fn routers_and_variants_are_matched_explicitly() {
    let policy = Policy::from_yaml(
        r#"
version: 1
defaults:
  models:
    allow: ["*", "anthropic/*:thinking", "openrouter/auto"]
    deny: ["*:free", "openai/*"]
workspaces:
  w: {}
  routers:
    models:
      allow: ["openrouter/*", "*"]
users:
  u: {}
"#,
    )
    .unwrap();
    let u = policy.resolve(&who("u", "w")).unwrap();
    assert!(u.models.allows("mistralai/mistral-large"));
    assert!(u.models.allows("openrouter/auto"));
    // `*` does not allow a router: the glob must name it.
    let reasons = u.models.check("openrouter/free");
    assert_eq!(
        codes(&reasons),
        [("router_not_allowed", "defaults.models.allow", false)]
    );
    assert!(reasons[0].message.contains("is a router"));
    // Variants must be written out.
    let reasons = u.models.check("mistralai/mistral-large:online");
    assert_eq!(
        codes(&reasons),
        [("variant_not_allowed", "defaults.models.allow", false)]
    );
    assert_eq!(
        reasons[0].message,
        "`mistralai/mistral-large` is allowed but its variant `:online` is not: allow it explicitly, e.g. `mistralai/mistral-large:online`"
    );
    assert!(u.models.allows("anthropic/claude-sonnet-4:thinking"));
    assert!(!u.models.allows("anthropic/claude-sonnet-4:nitro"));
    // A deny glob catches the variants of what it names, and `*:free` every free variant.
    assert_eq!(
        u.models.check("openai/gpt-4o:nitro")[0].code,
        "model_denied"
    );
    assert_eq!(
        u.models.check("meta-llama/llama-3.3-70b-instruct:free")[0].code,
        "model_denied"
    );
    // A router's variant needs both.
    assert!(!u.models.allows("openrouter/auto:online"));

    // Lower levels narrow what routers the defaults allow, they never add one.
    let r = policy.resolve(&who("u", "routers")).unwrap();
    assert!(r.models.allows("openrouter/auto"));
    assert_eq!(
        codes(&r.models.check("openrouter/free")),
        [("router_not_allowed", "defaults.models.allow", false)]
    );
}

#[test]
fn a_missing_or_empty_allow_list_allows_nothing() {
    for text in [
        "version: 1\nworkspaces: {w: {}}\nusers: {u: {}}\n",
        "version: 1\ndefaults: {models: {deny: [\"x/*\"]}}\nworkspaces: {w: {}}\nusers: {u: {}}\n",
        "version: 1\ndefaults: {models: {allow: []}}\nworkspaces: {w: {}}\nusers: {u: {}}\n",
    ] {
        let policy = Policy::from_yaml(text).unwrap();
        let r = policy.resolve(&who("u", "w")).unwrap();
        let reasons = r.models.check("anthropic/claude-sonnet-4");
        assert_eq!(reasons.len(), 1, "{text}");
        assert_eq!(reasons[0].code, "model_not_allowed");
        assert!(
            reasons[0].rule.starts_with("defaults.models"),
            "{}",
            reasons[0].rule
        );
        assert!(policy
            .warnings()
            .iter()
            .any(|w| w.rule == "defaults.models.allow"));
    }
    // A lower level's empty list allows nothing either; a missing one inherits.
    let policy = Policy::from_yaml(
        "version: 1\ndefaults: {models: {allow: [\"*\"]}}\nworkspaces: {w: {models: {allow: []}}, v: {models: {deny: [\"a/*\"]}}}\nusers: {u: {}}\n",
    )
    .unwrap();
    assert!(!policy.resolve(&who("u", "w")).unwrap().models.allows("b/c"));
    assert!(policy.resolve(&who("u", "v")).unwrap().models.allows("b/c"));
    assert!(!policy.resolve(&who("u", "v")).unwrap().models.allows("a/c"));
}

// ---------------------------------------------------------------------------------------------
// Shadow rules

const SHADOW: &str = r#"
version: 1
defaults:
  models: {allow: ["*"]}
  providers:
    processing: [EEA, US]
  dlp:
    scanner:
      actions: {pii: mask}
workspaces:
  trial:
    models:
      deny: ["openai/*"]
      mode: shadow
    providers:
      processing: [EU]
      zdr: true
      mode: shadow
    dlp:
      mode: shadow
      scanner:
        actions: {pii: block}
    budgets:
      - {scope: workspace, window: daily, limit_usd: 1, mode: shadow}
users:
  u: {}
"#;

#[test]
fn shadow_rules_give_shadow_reasons_and_do_not_deny() {
    let policy = Policy::from_yaml(SHADOW).unwrap();
    let r = policy.resolve(&who("u", "trial")).unwrap();
    let reasons = r.models.check("openai/gpt-4o");
    assert_eq!(
        codes(&reasons),
        [("model_denied", "workspaces.trial.models.deny", true)]
    );
    assert!(r.models.allows("openai/gpt-4o"));

    // The enforced providers leave the shadow set out; the shadow variant includes it.
    assert!(r.providers.processing.as_ref().unwrap().contains("US"));
    assert!(!r.providers.zdr);
    let shadow = r.providers_shadow.as_ref().unwrap();
    assert!(shadow.shadow && shadow.zdr);
    assert!(!shadow.processing.as_ref().unwrap().contains("US"));
    let us = vec!["US".to_string()];
    let facts = EndpointFacts {
        tag: "openai",
        headquarters: Some("US"),
        datacenters: Some(&us),
        zdr: Some(true),
        no_data_collection: Some(true),
    };
    assert_eq!(r.providers.check_endpoint(&facts), []);
    assert_eq!(
        codes(&shadow.check_endpoint(&facts)),
        [(
            "processing_not_allowed",
            "workspaces.trial.providers.processing",
            true
        )]
    );

    // DLP: the enforced configuration masks, the shadow one would block.
    let dlp = r.dlp.as_ref().unwrap();
    assert_eq!(dlp.actions.get("pii"), Some(&Action::Mask));
    assert_eq!(r.dlp_rules, ["defaults.dlp", "workspaces.trial.dlp"]);
    assert_eq!(r.dlp_rule_path(), "workspaces.trial.dlp");
    let shadow_dlp = r.dlp_shadow.as_ref().unwrap();
    assert_eq!(
        shadow_dlp.actions.get("email_address"),
        Some(&Action::Block)
    );
    assert_eq!(r.budgets.len(), 1);
    assert!(r.budgets[0].shadow);

    let policy = Policy::from_yaml(
        &SHADOW.replace("  trial:", "  trial:\n    users: {}\n  plain: {}\n  x:"),
    )
    .unwrap();
    let plain = policy.resolve(&who("u", "plain")).unwrap();
    assert!(plain.providers_shadow.is_none() && plain.dlp_shadow.is_none());
}

// ---------------------------------------------------------------------------------------------
// DLP merging, budgets, warnings

#[test]
fn dlp_sections_merge_to_the_stricter_setting() {
    let policy = Policy::from_yaml(
        r##"
version: 1
defaults:
  dlp:
    scanner:
      builtin: {disable: [PERSON, LOCATION]}
      min_confidence: 0.6
      actions: {pii: mask, EMAIL_ADDRESS: hash, secret: block}
      mask: {char: "#", keep_last: 4}
      custom: [{id: staff_id, pattern: 'S-[0-9]{5}', action: mask}]
      allow: {values: [a@example.com, b@example.com], patterns: ['x+']}
workspaces:
  w:
    dlp:
      scanner:
        builtin: {enable: [PERSON], disable: [credit_card]}
        min_confidence: 0.7
        actions: {EMAIL_ADDRESS: log, PERSON: redact, staff_id: block, secret: log}
        allow: {values: [b@example.com, c@example.com]}
  quiet:
    dlp:
      scanner:
        actions: {credit_card: block}
users:
  u: {}
"##,
    )
    .unwrap();
    let r = policy.resolve(&who("u", "w")).unwrap();
    let dlp = r.dlp.as_ref().unwrap();
    let enabled = &dlp.builtin.enable;
    // PERSON joins; LOCATION stays off; credit_card cannot be switched off below.
    assert!(enabled.contains(&"credit_card".to_string()));
    assert!(dlp.builtin.disable.is_empty());
    let infos = super::validate::builtin_infos();
    let person = infos.iter().find(|i| &*i.category == "PERSON").unwrap();
    let location = infos.iter().find(|i| &*i.category == "LOCATION").unwrap();
    assert!(enabled.contains(&person.id.to_string()));
    assert!(!enabled.contains(&location.id.to_string()));
    // Per detector the stricter action: hash (defaults) beats log; redact (w) beats mask.
    assert_eq!(dlp.actions.get("email_address"), Some(&Action::Hash));
    assert_eq!(
        dlp.actions
            .get(&*person.id)
            .copied()
            .unwrap_or(person.default_action),
        Action::Redact
    );
    let secret = infos
        .iter()
        .find(|i| i.kind == crate::dlp::Kind::Secret)
        .unwrap();
    assert_eq!(
        dlp.actions
            .get(&*secret.id)
            .copied()
            .unwrap_or(secret.default_action),
        Action::Block
    );
    assert_eq!(dlp.custom[0].action, Some(Action::Block));
    assert_eq!(dlp.min_confidence, Some(0.6));
    assert_eq!(dlp.mask.char, '#');
    assert_eq!(dlp.mask.keep_last, 4, "w does not write `mask`");
    assert_eq!(dlp.allow.values, ["b@example.com"]);
    assert!(
        dlp.allow.patterns.is_empty(),
        "w's allow-list has no patterns"
    );
    // The merged configuration compiles.
    crate::dlp::Scanner::from_config(dlp).unwrap();

    // A lower level that writes no `builtin` keeps the parent's selection and adds no detector.
    let q = policy.resolve(&who("u", "quiet")).unwrap();
    let dlp = q.dlp.as_ref().unwrap();
    assert!(!dlp.builtin.enable.contains(&person.id.to_string()));
    assert_eq!(dlp.actions.get("credit_card"), Some(&Action::Block));
    assert_eq!(dlp.allow.values.len(), 2);

    // One section alone is shared, not copied.
    let policy = example();
    let a = policy.resolve(&who("bob", "research")).unwrap();
    let b = policy.resolve(&who("dave", "research")).unwrap();
    assert!(std::sync::Arc::ptr_eq(
        a.dlp.as_ref().unwrap(),
        b.dlp.as_ref().unwrap()
    ));

    // Warnings name what a lower level cannot do.
    let policy = Policy::from_yaml(
        "version: 1\ndefaults:\n  dlp:\n    scanner:\n      min_confidence: 0.5\n      allow: {values: [a]}\nworkspaces:\n  w:\n    dlp:\n      scanner:\n        min_confidence: 0.9\n        builtin: {disable: [credit_card]}\n        allow: {values: [a, z]}\nusers: {u: {}}\n",
    )
    .unwrap();
    let rules: Vec<&str> = policy.warnings().iter().map(|w| w.rule.as_str()).collect();
    assert!(
        rules.contains(&"workspaces.w.dlp.scanner.min_confidence"),
        "{rules:?}"
    );
    assert!(
        rules.contains(&"workspaces.w.dlp.scanner.builtin.disable"),
        "{rules:?}"
    );
    assert!(
        rules.contains(&"workspaces.w.dlp.scanner.allow"),
        "{rules:?}"
    );
}

#[test]
fn every_cap_that_applies_is_listed_with_its_subject() {
    let policy = example();
    let mut p = who("alice", "eu-health");
    let r = policy.resolve(&p).unwrap();
    let got: Vec<(&str, &str, u64, bool)> = r
        .budgets
        .iter()
        .map(|b| {
            (
                b.rule.as_str(),
                b.subject.as_str(),
                b.limit_micros,
                b.shadow,
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("defaults.budgets[0]", "user:alice", 50_000_000, false),
            (
                "defaults.budgets[1]",
                "workspace:eu-health",
                2_000_000_000,
                false
            ),
            (
                "defaults.budgets[3]",
                "user_in_workspace:eu-health/alice",
                12_500_000,
                true
            ),
            (
                "workspaces.eu-health.budgets[0]",
                "workspace:eu-health",
                500_000_000,
                false
            ),
            (
                "workspaces.eu-health.users.alice.budgets[0]",
                "user_in_workspace:eu-health/alice",
                10_000_000,
                false
            ),
        ]
    );
    // A group cap applies to members only.
    p.groups.push("contractors".into());
    let r = policy.resolve(&p).unwrap();
    let group = r
        .budgets
        .iter()
        .find(|b| b.scope == BudgetScope::Group)
        .unwrap();
    assert_eq!(
        (
            group.subject.as_str(),
            group.window,
            group.limit().to_string().as_str()
        ),
        ("group:contractors", Window::Daily, "5")
    );
    let bob = policy.resolve(&who("bob", "research")).unwrap();
    assert!(bob
        .budgets
        .iter()
        .any(|b| b.rule == "users.bob.budgets[0]" && b.window == Window::Total));
}

#[test]
fn amounts_are_exact_micro_dollars() {
    assert_eq!(Usd::parse("50").unwrap().micros(), 50_000_000);
    assert_eq!(Usd::parse("0.000001").unwrap().micros(), 1);
    assert_eq!(Usd::parse("12.5").unwrap().to_string(), "12.5");
    for bad in [
        "0",
        "0.0",
        "-1",
        "1.",
        ".5",
        "1.0000001",
        "1e3",
        "",
        "99999999999999999999",
    ] {
        assert!(Usd::parse(bad).is_err(), "{bad}");
    }
    // 0.1 written as a YAML or JSON number is 0.1, not 0.1000000000000000055.
    let policy = Policy::from_yaml(
        "version: 1\ndefaults:\n  budgets: [{scope: user, window: daily, limit_usd: 0.1}]\nworkspaces: {w: {}}\nusers: {u: {}}\n",
    )
    .unwrap();
    assert_eq!(
        policy.resolve(&who("u", "w")).unwrap().budgets[0].limit_micros,
        100_000
    );
}

#[test]
fn warnings_name_entries_that_have_no_effect() {
    let policy = Policy::from_yaml(
        r#"
version: 1
defaults:
  models: {allow: ["anthropic/*", "openrouter/auto"]}
  providers:
    allow: [anthropic, google-vertex]
    processing: [EEA]
    zdr: true
    plugins: deny
workspaces:
  w:
    models: {allow: ["openai/*", "anthropic/claude*", "*:online", "openrouter/*"]}
    providers:
      allow: [openai, google-vertex/europe-west1]
      processing: [US]
      zdr: false
      plugins: allow
    users:
      u:
        models: {allow: []}
users:
  v:
    providers: {processing: [FR, US]}
"#,
    )
    .unwrap();
    let got: Vec<(&str, &str)> = policy
        .warnings()
        .iter()
        .map(|w| (w.rule.as_str(), w.message.as_str()))
        .collect();
    let expected = [
        (
            "workspaces.w.models.allow",
            "`openai/*` matches no model `defaults.models.allow` allows: it has no effect",
        ),
        (
            "workspaces.w.models.allow",
            "`*:online` matches no model `defaults.models.allow` allows: it has no effect",
        ),
        (
            "workspaces.w.providers.allow",
            "`openai` is not in `defaults.providers.allow`: it has no effect",
        ),
        (
            "workspaces.w.providers.processing",
            "`US` is outside `defaults.providers.processing`: it has no effect",
        ),
        (
            "workspaces.w.providers.processing",
            "no country is left after narrowing: no provider can serve",
        ),
        (
            "workspaces.w.providers.zdr",
            "`defaults.providers.zdr` is stricter: this value has no effect",
        ),
        (
            "workspaces.w.providers.plugins",
            "`defaults.providers.plugins` is stricter: this value has no effect",
        ),
        (
            "workspaces.w.users.u.models.allow",
            "empty: no model is allowed here",
        ),
        (
            "users.v.providers.processing",
            "`US` is outside `defaults.providers.processing`: it has no effect",
        ),
    ];
    assert_eq!(got, expected);
    let summary = policy.summary();
    assert!(
        summary.contains("warnings: 9\n  workspaces.w.models.allow: `openai/*`"),
        "{summary}"
    );
}

// ---------------------------------------------------------------------------------------------
// Schema and hash

#[test]
fn the_committed_schema_matches_the_types() {
    let path = repo_file("schemas/policy.schema.json");
    let generated = Policy::json_schema();
    if std::env::var_os("ROUTEGUARD_UPDATE_SCHEMAS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "{} differs from the policy types; regenerate it with\n  ROUTEGUARD_UPDATE_SCHEMAS=1 cargo test -p routeguard --lib policy",
        path.display()
    );
    // The schema describes the strict document.
    let schema: serde_json::Value = serde_json::from_str(&generated).unwrap();
    assert_eq!(schema["additionalProperties"], false);
    assert_eq!(schema["required"], serde_json::json!(["version"]));
    assert!(schema["$defs"]["ScannerConfig"].is_object());
    assert!(schema["$defs"]["Glob"]["pattern"].is_string());
}

#[test]
fn the_hash_is_the_same_for_the_yaml_and_json_forms_and_changes_with_the_content() {
    let text = std::fs::read_to_string(repo_file("examples/policy.yaml")).unwrap();
    let yaml = Policy::from_yaml(&text).unwrap();
    let value: serde_json::Value = serde_yaml::from_str(&text).unwrap();
    let json = Policy::from_json(&serde_json::to_string_pretty(&value).unwrap()).unwrap();
    assert_eq!(yaml.hash(), json.hash());
    assert_eq!(yaml.document(), json.document());
    // Where the file lives does not change the hash (paths are hashed as written).
    assert_eq!(example().hash(), yaml.hash());
    // Comments, key order, quoting and spelled-out defaults do not matter either.
    let a = Policy::from_yaml("version: 1\n# a comment\nworkspaces: {w: {}}\nusers: {u: {}}\n")
        .unwrap();
    let b = Policy::from_json(
        r#"{"users": {"u": {}}, "workspaces": {"w": {}}, "version": 1, "on_error": "deny"}"#,
    )
    .unwrap();
    assert_eq!(a.hash(), b.hash());
    // A changed document hashes differently.
    let c = Policy::from_yaml(&text.replace("limit_usd: 50}", "limit_usd: 51}")).unwrap();
    assert_ne!(c.hash(), yaml.hash());
    let d = Policy::from_yaml("version: 1\nworkspaces: {w: {}}\nusers: {u: {}, v: {}}\n").unwrap();
    assert_ne!(a.hash(), d.hash());
    // Pinned: the canonical form of a small policy, checked by hand with sha256sum.
    let canonical =
        r#"{"defaults":{},"on_error":"deny","users":{"u":{}},"version":1,"workspaces":{"w":{}}}"#;
    assert_eq!(canonical_json(a.document()), canonical);
    assert_eq!(
        a.hash(),
        "sha256:5e9f17bde0b1aa1e55642f7f08e76efc6a44bd40a969746a653523085c722efc"
    );
}

//! `routeguard audit`: verify a trail, export it for spreadsheets and SIEMs, read its tail, search
//! it, and make keys.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use routeguard::audit::chain::{generate_keys, hex};
use routeguard::audit::export::parse_rfc3339;
use routeguard::audit::AuditRecord;
use routeguard::host::{audit_export, audit_search, audit_verify, now_ms};
use routeguard::{Error, ErrorCode};

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum ExportFormat {
    Csv,
    Ocsf,
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum ReadFormat {
    Text,
    Json,
}

/// Where the chain key comes from: a file, else the environment variable.
pub struct KeySource<'a> {
    pub env: &'a str,
    pub file: Option<&'a Path>,
}

fn key_error(message: String) -> Error {
    Error::new(ErrorCode::AuditKeyInvalid, message)
}

impl KeySource<'_> {
    fn read(&self) -> Result<Vec<u8>, Error> {
        if let Some(file) = self.file {
            return std::fs::read(file)
                .map_err(|e| key_error(format!("cannot read {}: {}", file.display(), e.kind())));
        }
        std::env::var_os(self.env)
            .map(|v| v.into_encoded_bytes())
            .ok_or_else(|| {
                key_error(format!(
                    "the chain key is not set: export {} (hex) or pass --key-file",
                    self.env
                ))
            })
    }
}

pub fn verify(
    location: &str,
    key: &KeySource<'_>,
    public_key: Option<&Path>,
    format: ReadFormat,
) -> Result<ExitCode, Error> {
    let chain_key = key.read()?;
    let public_key = public_key
        .map(|p| {
            std::fs::read(p)
                .map_err(|e| key_error(format!("cannot read {}: {}", p.display(), e.kind())))
        })
        .transpose()?;
    let report = audit_verify(location, &chain_key, public_key.as_deref())?;
    match format {
        ReadFormat::Json => println!(
            "{}",
            serde_json::to_string_pretty(&report).unwrap_or_default()
        ),
        ReadFormat::Text => {
            println!(
                "{location}: {} ({} records, {} checkpoints, {} writers; signatures {})",
                report.status,
                report.records,
                report.checkpoints,
                report.writers.len(),
                if report.signatures_checked {
                    "checked"
                } else {
                    "not checked: no --public-key"
                }
            );
            for w in &report.writers {
                println!(
                    "  writer {}: seq {}..{}, {} records, {} checkpoints, {}",
                    w.writer,
                    w.first_seq,
                    w.last_seq,
                    w.records,
                    w.checkpoints,
                    if w.closed {
                        "closed".to_string()
                    } else {
                        format!("open ({} unsealed)", w.unsealed)
                    }
                );
            }
            if let Some(first) = report.first_bad() {
                println!(
                    "first bad record: {}:{}: {} — {}",
                    first.source, first.line, first.kind, first.message
                );
            }
            for p in report.problems.iter().skip(1).take(20) {
                println!("  also {}:{}: {} — {}", p.source, p.line, p.kind, p.message);
            }
            if report.problems.len() > 21 {
                println!("  ... {} more problems", report.problems.len() - 21);
            }
        }
    }
    Ok(ExitCode::from(report.exit_code()))
}

pub fn export(
    location: &str,
    format: ExportFormat,
    output: Option<&Path>,
) -> Result<ExitCode, Error> {
    let text = audit_export(
        location,
        match format {
            ExportFormat::Csv => "csv",
            ExportFormat::Ocsf => "ocsf",
        },
    )?;
    match output {
        Some(path) => std::fs::write(path, text).map_err(|e| {
            Error::new(
                ErrorCode::AuditUnavailable,
                format!("cannot write {}: {}", path.display(), e.kind()),
            )
        })?,
        None => print!("{text}"),
    }
    Ok(ExitCode::SUCCESS)
}

/// The filter of `search`, as flags.
pub struct Search<'a> {
    pub user: Option<&'a str>,
    pub workspace: Option<&'a str>,
    pub provider: Option<&'a str>,
    pub model: Option<&'a str>,
    pub outcome: Option<&'a str>,
    pub since: Option<&'a str>,
    pub until: Option<&'a str>,
}

/// An instant: RFC 3339, a date, or an age back from now (`90m`, `24h`, `7d`).
fn instant(text: &str, now: i64) -> Result<i64, Error> {
    let age = |unit: i64| {
        text[..text.len() - 1]
            .parse::<i64>()
            .ok()
            .map(|n| now - n * unit)
    };
    let parsed = match text.chars().last() {
        Some('m') => age(60_000),
        Some('h') => age(3_600_000),
        Some('d') => age(86_400_000),
        _ => parse_rfc3339(text),
    };
    parsed.ok_or_else(|| {
        Error::new(
            ErrorCode::InvalidArgument,
            format!(
                "`{text}` is not a time: write 2026-11-24, 2026-11-24T10:00:00Z, 90m, 24h or 7d"
            ),
        )
    })
}

pub fn search(
    location: &str,
    query: &Search<'_>,
    limit: Option<usize>,
    format: ReadFormat,
) -> Result<ExitCode, Error> {
    let now = now_ms();
    let mut filter = serde_json::Map::new();
    for (key, value) in [
        ("user", query.user),
        ("workspace", query.workspace),
        ("provider", query.provider),
        ("model", query.model),
        ("outcome", query.outcome),
    ] {
        if let Some(v) = value {
            filter.insert(key.into(), v.into());
        }
    }
    if let Some(since) = query.since {
        filter.insert("since_ms".into(), instant(since, now)?.into());
    }
    if let Some(until) = query.until {
        filter.insert("until_ms".into(), instant(until, now)?.into());
    }
    let records = audit_search(location, &serde_json::Value::Object(filter).to_string())?;
    let skip = limit.map_or(0, |n| records.len().saturating_sub(n));
    print_records(&records[skip..], format);
    Ok(ExitCode::SUCCESS)
}

/// The last `n` records of every kind.
pub fn tail(location: &str, n: usize, format: ReadFormat) -> Result<ExitCode, Error> {
    let records = audit_search(location, r#"{"all_kinds": true}"#)?;
    print_records(&records[records.len().saturating_sub(n)..], format);
    Ok(ExitCode::SUCCESS)
}

fn print_records(records: &[AuditRecord], format: ReadFormat) {
    for r in records {
        match format {
            ReadFormat::Json => println!("{}", serde_json::to_string(r).unwrap_or_default()),
            ReadFormat::Text => println!("{}", summary(r)),
        }
    }
}

/// One line a person can scan: when, what, who, which model and provider, cost, why.
fn summary(r: &AuditRecord) -> String {
    let time = r.time.as_deref().unwrap_or("-");
    if let Some(c) = &r.checkpoint {
        return format!(
            "{time}  checkpoint ({}) after {} records  [{}#{}]",
            c.reason,
            c.records,
            r.writer.as_deref().unwrap_or("-"),
            r.seq.unwrap_or(0)
        );
    }
    if let Some(n) = &r.notice {
        return format!("{time}  notice {}: {}", n.code, n.message);
    }
    let who = r
        .principal
        .as_ref()
        .map_or("-".to_string(), |p| format!("{}@{}", p.user, p.workspace));
    let model = r.model.as_ref();
    let requested = model.and_then(|m| m.requested.as_deref()).unwrap_or("-");
    let served = model.and_then(|m| m.served.as_deref());
    let provider = r
        .routing
        .as_ref()
        .and_then(|x| x.served_provider.as_deref())
        .unwrap_or("-");
    let cost = r
        .cost
        .as_ref()
        .and_then(|c| c.billed_micros.or(c.reserved_micros))
        .map_or("-".to_string(), |m| format!("${:.6}", m as f64 / 1e6));
    let mut why: Vec<&str> = r
        .decision
        .iter()
        .flat_map(|d| d.reasons.iter().map(|x| x.code.as_str()))
        .collect();
    why.extend(r.error.iter().map(|e| e.code.as_str()));
    why.dedup();
    let dlp: u64 = r.dlp.iter().map(|d| d.count).sum();
    format!(
        "{time}  {:<9} {who}  {requested}{}  via {provider}  {cost}  dlp {dlp}{}",
        r.outcome.map_or("-", |o| o.name()),
        served
            .filter(|s| *s != requested)
            .map_or(String::new(), |s| format!(" -> {s}")),
        if why.is_empty() {
            String::new()
        } else {
            format!("  [{}]", why.join(", "))
        }
    )
}

/// Writes `chain.key`, `signing.key` (owner-only) and `signing.pub` into `dir`; never overwrites.
pub fn keygen(dir: &Path) -> Result<ExitCode, Error> {
    let fail = |path: &PathBuf, e: std::io::Error| {
        Error::new(
            ErrorCode::AuditKeyInvalid,
            format!("cannot write {}: {}", path.display(), e.kind()),
        )
    };
    std::fs::create_dir_all(dir).map_err(|e| fail(&dir.to_path_buf(), e))?;
    let (chain, signer) = generate_keys()?;
    let files = [
        ("chain.key", hex(&chain), true),
        ("signing.key", signer.seed_hex(), true),
        ("signing.pub", signer.public_key().hex(), false),
    ];
    for (name, text, secret) in files {
        let path = dir.join(name);
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        if secret {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let _ = secret;
        let mut file = options.open(&path).map_err(|e| fail(&path, e))?;
        std::io::Write::write_all(&mut file, format!("{text}\n").as_bytes())
            .map_err(|e| fail(&path, e))?;
        println!("wrote {}", path.display());
    }
    println!(
        "policy: chain_key: {{file: {}}}, signing_key: {{file: {}}}; verify with --key-file {} --public-key {}",
        dir.join("chain.key").display(),
        dir.join("signing.key").display(),
        dir.join("chain.key").display(),
        dir.join("signing.pub").display()
    );
    Ok(ExitCode::SUCCESS)
}

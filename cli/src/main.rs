//! The `routeguard` command: list detectors and error codes, scan text, files and JSONL, check and
//! explain policies, show the provider catalogue.

mod audit;
mod catalog;
mod chat;
mod policy;
mod spend;

use std::io::{self, BufRead, BufWriter, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use routeguard::dlp::text::byte_to_char_offsets;
use routeguard::dlp::{Action, Finding, Rewriter, Scanner, ScannerConfig, Vault};
use routeguard::{Error, ErrorCode};
use serde_json::{json, Value};

/// Exit status when a scan found something whose action is `block`.
const EXIT_BLOCKED: u8 = 3;
/// Exit status for errors from the error table.
const EXIT_ERROR: u8 = 2;

#[derive(Parser)]
#[command(
    name = "routeguard",
    version,
    about = "Governance for OpenRouter calls: DLP scanning and more"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// List the detector catalogue.
    Detectors {
        #[arg(long, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
        /// A configuration whose custom detectors and actions are listed too.
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// List every error code (name, number, meaning).
    Errors {
        #[arg(long, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
    },
    /// Scan text from a file or stdin and show what was found and what would leave.
    Scan {
        /// File to scan; `-` or nothing reads stdin.
        file: Option<PathBuf>,
        /// Read JSON Lines `{"id": ..., "text": ...}` and write one result line per input.
        #[arg(long, conflicts_with = "file")]
        jsonl: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = ScanFormat::Text)]
        format: ScanFormat,
        /// Apply this action to every finding instead of each detector's own.
        #[arg(long, value_parser = parse_action)]
        action: Option<Action>,
        /// A YAML or JSON scanner configuration (custom detectors, actions, allow-lists).
        #[arg(long)]
        config: Option<PathBuf>,
        /// Include each matched value in the output (off by default: findings carry no content).
        #[arg(long)]
        reveal: bool,
        /// Environment variable holding the key for the `hash` action.
        #[arg(long, default_value = "ROUTEGUARD_HASH_KEY")]
        hash_key_env: String,
    },
    /// Validate a policy, or explain its decision for one principal and model.
    #[command(subcommand)]
    Policy(PolicyCommand),
    /// The provider catalogue: providers, endpoints, where they are established and run.
    #[command(subcommand)]
    Catalog(CatalogCommand),
    /// Spend recorded in a budget ledger.
    #[command(subcommand)]
    Spend(SpendCommand),
    /// The audit trail: verify, export, tail, search, keygen.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// One governed call: the policy, DLP, routing, budget and audit applied, then OpenRouter
    /// (or the base URL given). Exit 0 when answered, 1 when refused, withheld or failed upstream.
    Chat {
        /// The policy file (YAML or JSON); its audit section, when present, records the call.
        #[arg(long)]
        policy: PathBuf,
        #[arg(long)]
        user: String,
        #[arg(long)]
        workspace: String,
        /// The principal's groups (repeatable).
        #[arg(long = "group")]
        groups: Vec<String>,
        /// The model, then fallbacks (repeatable: sent as `models`).
        #[arg(long = "model", required = true)]
        models: Vec<String>,
        #[arg(long)]
        max_tokens: Option<u64>,
        /// Stream the answer as it comes.
        #[arg(long)]
        stream: bool,
        /// Reserve and settle on this ledger (`sqlite:PATH`, `postgres://...`, `memory:`).
        #[arg(long)]
        ledger: Option<String>,
        /// The API base URL (default: $OPENROUTER_BASE_URL, else OpenRouter).
        #[arg(long)]
        base_url: Option<String>,
        /// Environment variable holding the OpenRouter API key.
        #[arg(long, default_value = "OPENROUTER_API_KEY")]
        key_env: String,
        /// Print the whole answer as JSON.
        #[arg(long)]
        json: bool,
        /// The user message.
        prompt: String,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Check every writer's chain and checkpoint; name the first bad record and why.
    /// Exit status: 0 intact, 1 tampered, 4 incomplete (a crash or a live writer), 2 error.
    Verify {
        /// A JSON Lines file, a directory of them, or a postgres:// URL.
        path: String,
        /// Environment variable holding the chain key (hex).
        #[arg(long, default_value = "ROUTEGUARD_AUDIT_KEY")]
        key_env: String,
        /// A file holding the chain key instead (hex or raw bytes).
        #[arg(long)]
        key_file: Option<PathBuf>,
        /// The Ed25519 public key (hex file) that checks checkpoint signatures.
        #[arg(long)]
        public_key: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = audit::ReadFormat::Text)]
        format: audit::ReadFormat,
    },
    /// Every interaction as CSV (spreadsheets) or OCSF API Activity events (SIEMs, JSON Lines).
    Export {
        path: String,
        #[arg(long, value_enum)]
        format: audit::ExportFormat,
        /// Write here instead of standard output.
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// The last records of every kind, checkpoints and notices included.
    Tail {
        path: String,
        #[arg(short = 'n', long, default_value_t = 10)]
        lines: usize,
        #[arg(long, value_enum, default_value_t = audit::ReadFormat::Text)]
        format: audit::ReadFormat,
    },
    /// Interactions matching every filter given, oldest first.
    Search {
        path: String,
        #[arg(long)]
        user: Option<String>,
        #[arg(long)]
        workspace: Option<String>,
        /// The provider that served (slug).
        #[arg(long)]
        provider: Option<String>,
        /// Requested or served model.
        #[arg(long)]
        model: Option<String>,
        /// allowed, denied, violation, error or fallback.
        #[arg(long)]
        outcome: Option<String>,
        /// From this time: 2026-11-24, 2026-11-24T10:00:00Z, or an age such as 24h or 7d.
        #[arg(long)]
        since: Option<String>,
        /// Before this time (same forms).
        #[arg(long)]
        until: Option<String>,
        /// Only the last N matches.
        #[arg(long)]
        limit: Option<usize>,
        #[arg(long, value_enum, default_value_t = audit::ReadFormat::Text)]
        format: audit::ReadFormat,
    },
    /// Make a chain key and an Ed25519 signing key pair in DIR (never overwrites).
    Keygen { dir: PathBuf },
}

#[derive(Subcommand)]
enum SpendCommand {
    /// Spend grouped by any of provider, model, user, workspace, group, tag and period, with the
    /// run-rate forecast to the end of the window and provider concentration (HHI).
    Report {
        /// The ledger: `sqlite:PATH` or `postgres://user@host:port/db`.
        #[arg(long)]
        ledger: String,
        /// Comma-separated dimensions (provider, model, user, workspace, group, tag, period).
        #[arg(long, default_value = "provider")]
        by: String,
        /// The window whose current period is reported: day, week, month or total.
        #[arg(long, default_value = "month")]
        window: String,
        #[arg(long, value_enum, default_value_t = spend::ReportFormat::Table)]
        format: spend::ReportFormat,
    },
}

#[derive(Subcommand)]
enum PolicyCommand {
    /// Validate a policy file (exit 1 with the located error) and print a summary.
    Check {
        file: PathBuf,
        /// A catalogue directory (API responses as files) instead of the built-in snapshot.
        #[arg(long)]
        catalog: Option<PathBuf>,
    },
    /// Print the decision for a principal and a model (or a whole request), rule by rule.
    Explain {
        file: PathBuf,
        #[arg(long)]
        user: String,
        #[arg(long)]
        workspace: String,
        /// The principal's groups (repeatable).
        #[arg(long = "group")]
        groups: Vec<String>,
        #[arg(long, required_unless_present = "request")]
        model: Option<String>,
        /// A chat request (JSON file) instead of --model.
        #[arg(long)]
        request: Option<PathBuf>,
        #[arg(long)]
        catalog: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
    },
}

#[derive(Subcommand)]
enum CatalogCommand {
    /// List providers, or the endpoints of one model.
    Show {
        #[arg(long)]
        model: Option<String>,
        /// A catalogue directory instead of the built-in snapshot.
        #[arg(long)]
        dir: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
    },
    /// Fetch providers, models, their endpoints and ZDR endpoints from the API into DIR (written
    /// whole or not at all), for `--dir` and the bindings' catalogue directories.
    Refresh {
        /// The directory to write (replaced once the new catalogue loads).
        #[arg(long)]
        out: PathBuf,
        /// The API base URL: a regional host or the local stand-in also work.
        #[arg(long, default_value = "https://openrouter.ai/api/v1")]
        base_url: String,
        /// Environment variable holding the OpenRouter API key.
        #[arg(long, default_value = "OPENROUTER_API_KEY")]
        key_env: String,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum ListFormat {
    Table,
    Json,
}

#[derive(Clone, Copy, ValueEnum, PartialEq)]
enum ScanFormat {
    Text,
    Json,
}

fn parse_action(text: &str) -> Result<Action, String> {
    Action::parse(text).ok_or_else(|| {
        let names: Vec<&str> = Action::ALL.iter().map(|a| a.as_str()).collect();
        format!("unknown action `{text}`; one of {}", names.join(", "))
    })
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Detectors { format, config } => detectors(format, config.as_deref()),
        Command::Errors { format } => errors(format),
        Command::Scan {
            file,
            jsonl,
            format,
            action,
            config,
            reveal,
            hash_key_env,
        } => {
            let options = ScanOptions {
                format,
                action,
                reveal,
                hash_key: std::env::var(&hash_key_env).ok(),
                hash_key_env,
            };
            match load_scanner(config.as_deref()) {
                Ok(scanner) => match jsonl {
                    Some(path) => scan_jsonl(&scanner, &path),
                    None => scan_text(&scanner, file.as_deref(), &options),
                },
                Err(e) => Err(e),
            }
        }
        Command::Policy(PolicyCommand::Check { file, catalog }) => {
            policy::check(&file, catalog.as_deref())
        }
        Command::Policy(PolicyCommand::Explain {
            file,
            user,
            workspace,
            groups,
            model,
            request,
            catalog,
            format,
        }) => policy::explain(policy::Question {
            file: &file,
            catalog: catalog.as_deref(),
            principal: routeguard::policy::Principal {
                user,
                workspace,
                groups,
                tags: Default::default(),
            },
            model,
            request: request.as_deref(),
            format,
        }),
        Command::Catalog(CatalogCommand::Show { model, dir, format }) => {
            policy::catalog_show(model.as_deref(), dir.as_deref(), format)
        }
        Command::Catalog(CatalogCommand::Refresh {
            out,
            base_url,
            key_env,
        }) => catalog::refresh(&out, &base_url, &key_env, &today()),
        Command::Spend(SpendCommand::Report {
            ledger,
            by,
            window,
            format,
        }) => spend::report(&ledger, &by, &window, format),
        Command::Audit(command) => run_audit(command),
        Command::Chat {
            policy,
            user,
            workspace,
            groups,
            models,
            max_tokens,
            stream,
            ledger,
            base_url,
            key_env,
            json,
            prompt,
        } => chat::chat(&chat::ChatArgs {
            policy: &policy,
            user: &user,
            workspace: &workspace,
            groups: &groups,
            models: &models,
            prompt: &prompt,
            max_tokens,
            stream,
            ledger: ledger.as_deref(),
            base_url: base_url.as_deref(),
            key_env: &key_env,
            json,
        }),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("routeguard: error: {e}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}

/// Today's UTC date, for a refreshed catalogue's `snapshot_date`.
fn today() -> String {
    routeguard::budget::window::rfc3339(routeguard::host::now_ms())[..10].to_string()
}

fn run_audit(command: AuditCommand) -> Result<ExitCode, Error> {
    match command {
        AuditCommand::Verify {
            path,
            key_env,
            key_file,
            public_key,
            format,
        } => audit::verify(
            &path,
            &audit::KeySource {
                env: &key_env,
                file: key_file.as_deref(),
            },
            public_key.as_deref(),
            format,
        ),
        AuditCommand::Export {
            path,
            format,
            output,
        } => audit::export(&path, format, output.as_deref()),
        AuditCommand::Tail {
            path,
            lines,
            format,
        } => audit::tail(&path, lines, format),
        AuditCommand::Search {
            path,
            user,
            workspace,
            provider,
            model,
            outcome,
            since,
            until,
            limit,
            format,
        } => audit::search(
            &path,
            &audit::Search {
                user: user.as_deref(),
                workspace: workspace.as_deref(),
                provider: provider.as_deref(),
                model: model.as_deref(),
                outcome: outcome.as_deref(),
                since: since.as_deref(),
                until: until.as_deref(),
            },
            limit,
            format,
        ),
        AuditCommand::Keygen { dir } => audit::keygen(&dir),
    }
}

fn load_scanner(config: Option<&Path>) -> Result<Scanner, Error> {
    let config = match config {
        Some(path) => ScannerConfig::from_file(path)?,
        None => ScannerConfig::default(),
    };
    Scanner::from_config(&config)
}

fn io_error(what: &str, e: io::Error) -> Error {
    Error::new(ErrorCode::InvalidArgument, format!("{what}: {}", e.kind()))
}

fn detectors(format: ListFormat, config: Option<&Path>) -> Result<ExitCode, Error> {
    let scanner = load_scanner(config)?;
    let mut out = BufWriter::new(io::stdout().lock());
    match format {
        ListFormat::Json => {
            let list: Vec<Value> = scanner
                .detectors()
                .map(|d| {
                    json!({
                        "id": &*d.id, "category": &*d.category, "kind": d.kind.as_str(),
                        "country": d.country.as_deref(), "validation": &*d.validation,
                        "default_action": d.default_action.as_str(), "action": d.action.as_str(),
                        "context_required": d.context_required, "builtin": d.builtin,
                    })
                })
                .collect();
            print_json(&mut out, &Value::Array(list))?;
        }
        ListFormat::Table => {
            let rows: Vec<[String; 6]> = scanner
                .detectors()
                .map(|d| {
                    [
                        d.id.to_string(),
                        d.category.to_string(),
                        d.kind.as_str().to_string(),
                        d.country.as_deref().unwrap_or("-").to_string(),
                        format!(
                            "{}{}",
                            d.validation,
                            if d.context_required { "+context" } else { "" }
                        ),
                        d.action.as_str().to_string(),
                    ]
                })
                .collect();
            print_table(
                &mut out,
                &["ID", "CATEGORY", "KIND", "COUNTRY", "VALIDATION", "ACTION"],
                &rows,
            )
            .map_err(|e| io_error("stdout", e))?;
            let pii: std::collections::BTreeSet<&str> = scanner
                .detectors()
                .filter(|d| d.kind == routeguard::dlp::Kind::Pii)
                .map(|d| &*d.category)
                .collect();
            let countries: std::collections::BTreeSet<&str> = scanner
                .detectors()
                .filter_map(|d| d.country.as_deref())
                .collect();
            let secrets = scanner
                .detectors()
                .filter(|d| d.kind == routeguard::dlp::Kind::Secret)
                .count();
            writeln!(
                out,
                "\n{} detectors: {} PII categories across {} countries, {} secret types; \
                 streaming holds back {} bytes",
                rows.len(),
                pii.len(),
                countries.len(),
                secrets,
                scanner.stream_holdback()
            )
            .map_err(|e| io_error("stdout", e))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn errors(format: ListFormat) -> Result<ExitCode, Error> {
    let mut out = BufWriter::new(io::stdout().lock());
    match format {
        ListFormat::Json => {
            let list: Vec<Value> = ErrorCode::ALL
                .iter()
                .map(|c| json!({"name": c.name(), "number": c.number(), "meaning": c.meaning()}))
                .collect();
            print_json(&mut out, &Value::Array(list))?;
        }
        ListFormat::Table => {
            let rows: Vec<[String; 3]> = ErrorCode::ALL
                .iter()
                .map(|c| {
                    [
                        c.number().to_string(),
                        c.name().to_string(),
                        c.meaning().to_string(),
                    ]
                })
                .collect();
            print_table(&mut out, &["NUMBER", "NAME", "MEANING"], &rows)
                .map_err(|e| io_error("stdout", e))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn print_json(out: &mut impl Write, value: &Value) -> Result<(), Error> {
    let text = serde_json::to_string_pretty(value).unwrap_or_default();
    writeln!(out, "{text}").map_err(|e| io_error("stdout", e))
}

fn print_table<const N: usize>(
    out: &mut impl Write,
    header: &[&str; N],
    rows: &[[String; N]],
) -> io::Result<()> {
    let mut widths = header.map(|h| h.chars().count());
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |out: &mut dyn Write, cells: Vec<&str>| -> io::Result<()> {
        let mut text = String::new();
        for (i, cell) in cells.iter().enumerate() {
            if i + 1 == N {
                text.push_str(cell);
            } else {
                text.push_str(&format!("{:<width$}  ", cell, width = widths[i]));
            }
        }
        writeln!(out, "{}", text.trim_end())
    };
    line(out, header.to_vec())?;
    for row in rows {
        line(out, row.iter().map(String::as_str).collect())?;
    }
    Ok(())
}

struct ScanOptions {
    format: ScanFormat,
    action: Option<Action>,
    reveal: bool,
    hash_key: Option<String>,
    hash_key_env: String,
}

fn read_input(file: Option<&Path>) -> Result<String, Error> {
    let bytes = match file {
        None => {
            let mut buf = Vec::new();
            io::stdin()
                .read_to_end(&mut buf)
                .map_err(|e| io_error("stdin", e))?;
            buf
        }
        Some(p) if p == Path::new("-") => {
            let mut buf = Vec::new();
            io::stdin()
                .read_to_end(&mut buf)
                .map_err(|e| io_error("stdin", e))?;
            buf
        }
        Some(path) => std::fs::read(path).map_err(|e| io_error(&path.display().to_string(), e))?,
    };
    String::from_utf8(bytes).map_err(|e| {
        Error::new(
            ErrorCode::InvalidUtf8,
            format!(
                "input is not UTF-8 (first bad byte at offset {})",
                e.utf8_error().valid_up_to()
            ),
        )
    })
}

fn scan_text(
    scanner: &Scanner,
    file: Option<&Path>,
    options: &ScanOptions,
) -> Result<ExitCode, Error> {
    let text = read_input(file)?;
    let findings = scanner.scan(&text);
    let mut vault = Vault::new();
    let mut rewriter = Rewriter::new(scanner.mask_config().clone()).with_vault(&mut vault);
    if let Some(key) = &options.hash_key {
        rewriter = rewriter.with_hash_key(key.as_bytes().to_vec());
    }
    if let Some(action) = options.action {
        rewriter = rewriter.with_action(action);
    }
    let rewritten = rewriter.rewrite(&text, &findings).map_err(|e| {
        if e.code() == ErrorCode::MissingKey {
            Error::new(
                ErrorCode::MissingKey,
                format!(
                    "set {} to the key for the hash action",
                    options.hash_key_env
                ),
            )
        } else {
            e
        }
    })?;
    let chars = char_spans(&text, &findings);
    let mut out = BufWriter::new(io::stdout().lock());
    let result: io::Result<()> = (|| {
        if options.format == ScanFormat::Json {
            let list: Vec<Value> = findings
                .iter()
                .zip(&chars)
                .zip(&rewritten.applied)
                .map(|((f, c), a)| {
                    let mut v = finding_json(f, *c);
                    v["action"] = json!(a.action.as_str());
                    if options.reveal {
                        v["value"] = json!(&text[f.start..f.end]);
                    }
                    v
                })
                .collect();
            let doc = json!({
                "findings": list,
                "blocked": rewritten.blocked,
                "output": if rewritten.blocked { Value::Null } else { Value::String(rewritten.text.clone()) },
            });
            writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(&doc).unwrap_or_default()
            )
        } else {
            writeln!(out, "Found {} item(s):", findings.len())?;
            let rows: Vec<[String; 6]> = findings
                .iter()
                .zip(&chars)
                .zip(&rewritten.applied)
                .map(|((f, c), a)| {
                    [
                        f.detector.to_string(),
                        f.category.to_string(),
                        format!("{}..{}", c.0, c.1),
                        format!("{:.2}", f.confidence),
                        a.action.as_str().to_string(),
                        if options.reveal {
                            text[f.start..f.end].replace('\n', " ")
                        } else {
                            String::new()
                        },
                    ]
                })
                .collect();
            let value_header = if options.reveal { "VALUE" } else { "" };
            print_table(
                &mut out,
                &[
                    "DETECTOR",
                    "CATEGORY",
                    "CHARS",
                    "CONFIDENCE",
                    "ACTION",
                    value_header,
                ],
                &rows,
            )?;
            if rewritten.blocked {
                writeln!(
                    out,
                    "\nBlocked: nothing would leave (a finding's action is block)."
                )
            } else {
                writeln!(out, "\nWhat would leave:\n{}", rewritten.text)
            }
        }
    })();
    result.map_err(|e| io_error("stdout", e))?;
    Ok(if rewritten.blocked {
        ExitCode::from(EXIT_BLOCKED)
    } else {
        ExitCode::SUCCESS
    })
}

fn char_spans(text: &str, findings: &[Finding]) -> Vec<(usize, usize)> {
    let bytes: Vec<usize> = findings.iter().flat_map(|f| [f.start, f.end]).collect();
    let chars = byte_to_char_offsets(text, &bytes);
    chars.chunks(2).map(|c| (c[0], c[1])).collect()
}

fn finding_json(f: &Finding, chars: (usize, usize)) -> Value {
    json!({
        "detector": &*f.detector, "category": &*f.category, "start": chars.0, "end": chars.1,
        "byte_start": f.start, "byte_end": f.end, "confidence": f.confidence,
    })
}

/// Scans JSON Lines: one `{"id", "text"}` per line in, one `{"id", "findings"}` per line out.
/// A bad line yields `{"id", "error": {"code", "number", "message"}}` and the run goes on.
fn scan_jsonl(scanner: &Scanner, path: &Path) -> Result<ExitCode, Error> {
    let file = std::fs::File::open(path).map_err(|e| io_error(&path.display().to_string(), e))?;
    let total = file.metadata().map(|m| m.len()).unwrap_or(0);
    let progress = if io::stderr().is_terminal() && total > 1 << 20 {
        let bar = indicatif::ProgressBar::new(total);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{bar:40} {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        Some(bar)
    } else {
        None
    };
    let mut reader = io::BufReader::new(file);
    let mut out = BufWriter::new(io::stdout().lock());
    let mut line = Vec::new();
    let mut number = 0usize;
    let mut errors = 0usize;
    loop {
        line.clear();
        let read = reader
            .read_until(b'\n', &mut line)
            .map_err(|e| io_error(&path.display().to_string(), e))?;
        if read == 0 {
            break;
        }
        number += 1;
        if let Some(bar) = &progress {
            bar.inc(read as u64);
        }
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let result = match std::str::from_utf8(&line) {
            Err(e) => Err((
                Value::Null,
                Error::new(
                    ErrorCode::InvalidUtf8,
                    format!("line {number}: invalid UTF-8 at byte {}", e.valid_up_to()),
                ),
            )),
            Ok(text) => scan_jsonl_line(scanner, text, number),
        };
        let doc = match result {
            Ok(doc) => doc,
            Err((id, e)) => {
                errors += 1;
                json!({"id": id, "error": {"code": e.code().name(), "number": e.code().number(), "message": e.message()}})
            }
        };
        writeln!(out, "{doc}").map_err(|e| io_error("stdout", e))?;
    }
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }
    out.flush().map_err(|e| io_error("stdout", e))?;
    if errors > 0 {
        eprintln!("routeguard: {errors} of {number} line(s) could not be scanned (see their `error` fields)");
        return Ok(ExitCode::from(EXIT_ERROR));
    }
    Ok(ExitCode::SUCCESS)
}

fn scan_jsonl_line(scanner: &Scanner, line: &str, number: usize) -> Result<Value, (Value, Error)> {
    let value: Value = serde_json::from_str(line).map_err(|e| {
        (
            Value::Null,
            Error::new(
                ErrorCode::InvalidJson,
                format!("line {number}: not JSON (column {})", e.column()),
            ),
        )
    })?;
    let id = value.get("id").cloned().unwrap_or(Value::Null);
    let Some(text) = value.get("text").and_then(Value::as_str) else {
        return Err((
            id,
            Error::new(
                ErrorCode::InvalidArgument,
                format!("line {number}: needs a string `text`"),
            ),
        ));
    };
    let findings = scanner.scan(text);
    let chars = char_spans(text, &findings);
    let list: Vec<Value> = findings
        .iter()
        .zip(chars)
        .map(|(f, c)| finding_json(f, c))
        .collect();
    Ok(json!({"id": id, "findings": list}))
}

//! `routeguard chat`: one governed call from the command line (policy, DLP, routing, budget,
//! audit), whole or streamed, printing what was decided, sent, served and charged.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use routeguard::host::{CatalogSource, HostClient, HostGuard, HostLedger, PolicySource};
use routeguard::Error;
use serde_json::{json, Value};

/// Exit status of a call that was refused, withheld or failed upstream.
const EXIT_NOT_ALLOWED: u8 = 1;

pub struct ChatArgs<'a> {
    pub policy: &'a Path,
    pub user: &'a str,
    pub workspace: &'a str,
    pub groups: &'a [String],
    pub models: &'a [String],
    pub prompt: &'a str,
    pub max_tokens: Option<u64>,
    pub stream: bool,
    pub ledger: Option<&'a str>,
    pub base_url: Option<&'a str>,
    pub key_env: &'a str,
    pub json: bool,
}

pub fn chat(args: &ChatArgs<'_>) -> Result<ExitCode, Error> {
    let guard = HostGuard::new(PolicySource::File(args.policy), CatalogSource::Builtin)?;
    let ledger = args.ledger.map(HostLedger::open).transpose()?;
    // A policy with an audit section is recorded or not called at all (fail closed).
    let trail = if guard.audits() {
        Some(guard.open_audit_trail(None, "cli", None)?)
    } else {
        None
    };
    let options = json!({"base_url": args.base_url, "api_key_env": args.key_env}).to_string();
    let client = HostClient::new(&guard, ledger.as_ref(), trail.as_ref(), &options)?;
    let principal =
        json!({"user": args.user, "workspace": args.workspace, "groups": args.groups}).to_string();
    let mut request = json!({
        "model": args.models[0],
        "messages": [{"role": "user", "content": args.prompt}],
    });
    if args.models.len() > 1 {
        request["models"] = json!(args.models);
    }
    if let Some(n) = args.max_tokens {
        request["max_tokens"] = json!(n);
    }
    let request = request.to_string();
    let answer: Value = if args.stream {
        let stream = client.stream(&principal, &request)?;
        let mut out = std::io::stdout().lock();
        let mut printed = false;
        while let Some(chunk) = stream.next()? {
            let chunk: Value = serde_json::from_str(&chunk).unwrap_or_default();
            if let Some(text) = chunk["choices"][0]["delta"]["content"].as_str() {
                if !printed && !args.json {
                    let _ = write!(out, "answer (streamed): ");
                    printed = true;
                }
                if !args.json {
                    let _ = write!(out, "{text}");
                    let _ = out.flush();
                }
            }
        }
        if printed {
            let _ = writeln!(out);
        }
        serde_json::from_str(&stream.answer().unwrap_or_default()).unwrap_or_default()
    } else {
        serde_json::from_str(&client.chat(&principal, &request)?).unwrap_or_default()
    };
    if let Some(trail) = &trail {
        trail.close(None)?;
    }
    if args.json {
        println!("{answer}");
    } else {
        print_answer(&answer, args.stream);
    }
    Ok(if answer["allowed"] == true {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_NOT_ALLOWED)
    })
}

fn print_answer(answer: &Value, streamed: bool) {
    let list = |v: &Value| v.as_array().cloned().unwrap_or_default();
    for f in list(&answer["findings"]) {
        println!(
            "dlp: {} {} at {} [{}..{}]",
            f["action"].as_str().unwrap_or(""),
            f["category"].as_str().unwrap_or(""),
            f["path"].as_str().unwrap_or(""),
            f["start"],
            f["end"]
        );
    }
    for n in list(&answer["notices"]) {
        println!(
            "notice: {} ({})",
            n["message"].as_str().unwrap_or(""),
            n["code"].as_str().unwrap_or("")
        );
    }
    if answer["allowed"] == true {
        let response = &answer["response"];
        if !streamed {
            println!(
                "answer: {}",
                response["choices"][0]["message"]["content"]
                    .as_str()
                    .unwrap_or("")
            );
        }
        println!(
            "served by {} ({})",
            answer["spend"]["provider"]
                .as_str()
                .or(response["provider"].as_str())
                .unwrap_or("?"),
            response["model"].as_str().unwrap_or("?")
        );
    } else {
        for r in list(&answer["reasons"]) {
            println!(
                "refused: {} [{}] {}",
                r["code"].as_str().unwrap_or(""),
                r["rule"].as_str().unwrap_or(""),
                r["message"].as_str().unwrap_or("")
            );
        }
    }
    if let Some(spend) = answer["spend"].as_object() {
        println!(
            "charged {} micro-USD (reserved {}, actual known: {})",
            spend["charged_micros"], spend["reserved_micros"], spend["actual_known"]
        );
    }
    if let Some(audit) = answer["audit"].as_object() {
        println!(
            "audit: record {} of {} ({})",
            audit["seq"],
            audit["writer"].as_str().unwrap_or(""),
            audit["status"].as_str().unwrap_or("")
        );
    }
}

//! `routeguard policy check|explain` and `routeguard catalog show`: the policy document and the
//! provider catalogue from the command line.

use std::io::{self, BufWriter, Write};
use std::path::Path;
use std::process::ExitCode;

use routeguard::guard::{requested_models, CatalogRef, Decision, Guard, PrepareOptions};
use routeguard::policy::{Policy, Principal};
use routeguard::routing::catalog::Catalog;
use routeguard::routing::constraints::{compliant_endpoints, processing_countries};
use routeguard::Error;
use serde_json::{json, Value};

use crate::{io_error, print_json, print_table, ListFormat};

/// Exit status of `policy check` for a policy that does not load.
const EXIT_INVALID: u8 = 1;

fn load_catalog(dir: Option<&Path>) -> Result<CatalogRef, Error> {
    Ok(match dir {
        Some(dir) => CatalogRef::Loaded(std::sync::Arc::new(Catalog::from_dir(dir)?)),
        None => CatalogRef::Builtin,
    })
}

fn load_guard(file: &Path, catalog: Option<&Path>) -> Result<Guard, Error> {
    Guard::with_catalog(Policy::from_file(file)?, load_catalog(catalog)?)
}

/// Validates a policy against the catalogue; prints a summary (exit 0) or the located error (1).
pub fn check(file: &Path, catalog: Option<&Path>) -> Result<ExitCode, Error> {
    let guard = match load_guard(file, catalog) {
        Ok(guard) => guard,
        Err(e) => {
            eprintln!("{}: {e}", file.display());
            return Ok(ExitCode::from(EXIT_INVALID));
        }
    };
    let mut out = BufWriter::new(io::stdout().lock());
    let policy = guard.policy();
    writeln!(
        out,
        "{}: valid (version {}, {})",
        file.display(),
        policy.version(),
        policy.hash()
    )
    .map_err(|e| io_error("stdout", e))?;
    write!(out, "{}", policy.summary()).map_err(|e| io_error("stdout", e))?;
    for warning in policy.warnings() {
        writeln!(out, "warning: {}: {}", warning.rule, warning.message)
            .map_err(|e| io_error("stdout", e))?;
    }
    writeln!(
        out,
        "catalogue: {} providers, {} models (snapshot {})",
        guard.catalog().providers().len(),
        guard.catalog().models().len(),
        guard.catalog().snapshot_date()
    )
    .map_err(|e| io_error("stdout", e))?;
    Ok(ExitCode::SUCCESS)
}

/// What `policy explain` is asked about.
pub struct Question<'a> {
    pub file: &'a Path,
    pub catalog: Option<&'a Path>,
    pub principal: Principal,
    pub model: Option<String>,
    pub request: Option<&'a Path>,
    pub format: ListFormat,
}

/// Prints the decision for one principal and request, and the routing rule by rule.
pub fn explain(question: Question<'_>) -> Result<ExitCode, Error> {
    let guard = load_guard(question.file, question.catalog)?;
    let request = match (question.request, &question.model) {
        (Some(path), _) => crate::read_input(Some(path))?,
        (None, Some(model)) => json!({
            "model": model,
            "messages": [{"role": "user", "content": "(routeguard policy explain)"}],
        })
        .to_string(),
        (None, None) => {
            return Err(Error::new(
                routeguard::ErrorCode::InvalidArgument,
                "give --model or --request",
            ))
        }
    };
    let decision = guard.prepare(&question.principal, &request, PrepareOptions::default())?;
    let mut out = BufWriter::new(io::stdout().lock());
    if let ListFormat::Json = question.format {
        let value = serde_json::to_value(&decision).unwrap_or(Value::Null);
        print_json(&mut out, &value)?;
        return Ok(ExitCode::SUCCESS);
    }
    let p = &question.principal;
    let w = |out: &mut BufWriter<_>, line: String| -> Result<(), Error> {
        writeln!(out, "{line}").map_err(|e| io_error("stdout", e))
    };
    w(
        &mut out,
        format!("principal: user {} in workspace {}", p.user, p.workspace),
    )?;
    w(
        &mut out,
        format!(
            "policy: {} ({})",
            question.file.display(),
            guard.policy().hash()
        ),
    )?;
    if let Ok(resolved) = guard.policy().resolve(p) {
        // `prepare` accepted the request above, so it is an object that names its models.
        let sent: Value = serde_json::from_str(&request).unwrap_or(Value::Null);
        let models = match sent.as_object().map(requested_models) {
            Some(Ok((models, _))) => models,
            _ => Vec::new(),
        };
        for model in &models {
            let reasons = resolved.models.check(model);
            let verdict = if reasons.iter().all(|r| r.shadow) {
                "allowed"
            } else {
                "denied"
            };
            w(&mut out, format!("\nmodel {model}: {verdict}"))?;
            for r in &reasons {
                w(
                    &mut out,
                    format!("  {} {}: {}", shadow_mark(r.shadow), r.rule, r.message),
                )?;
            }
            let (admitted, excluded) =
                compliant_endpoints(guard.catalog(), model, &resolved.providers);
            for e in admitted {
                w(&mut out, format!("  + {:<32} allowed", e.tag))?;
            }
            for e in excluded {
                w(
                    &mut out,
                    format!(
                        "  - {:<32} excluded by {} ({}: {})",
                        e.tag, e.reason.rule, e.reason.code, e.reason.message
                    ),
                )?;
            }
        }
    }
    match decision {
        Decision::Deny {
            reasons, shadow, ..
        } => {
            w(&mut out, "\ndecision: DENY".to_string())?;
            for r in reasons.iter().chain(&shadow) {
                w(
                    &mut out,
                    format!(
                        "  {} {} at {}: {}",
                        shadow_mark(r.shadow),
                        r.code,
                        r.rule,
                        r.message
                    ),
                )?;
            }
        }
        Decision::Allow(prepared) => {
            w(&mut out, "\ndecision: ALLOW".to_string())?;
            for r in &prepared.notices {
                w(
                    &mut out,
                    format!(
                        "  {} {} at {}: {}",
                        shadow_mark(r.shadow),
                        r.code,
                        r.rule,
                        r.message
                    ),
                )?;
            }
            let sent: Value = serde_json::from_str(&prepared.request).unwrap_or(Value::Null);
            w(
                &mut out,
                format!("models sent: {}", prepared.models.join(", ")),
            )?;
            w(
                &mut out,
                format!(
                    "provider sent: {}",
                    sent.get("provider")
                        .map(Value::to_string)
                        .unwrap_or_else(|| "(none: providers unconstrained)".into())
                ),
            )?;
            if let Some(plugins) = sent.get("plugins") {
                w(&mut out, format!("plugins sent: {plugins}"))?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn shadow_mark(shadow: bool) -> &'static str {
    if shadow {
        "[shadow]"
    } else {
        "*"
    }
}

/// Lists providers (or one model's endpoints) with where they are established and run.
pub fn catalog_show(
    model: Option<&str>,
    dir: Option<&Path>,
    format: ListFormat,
) -> Result<ExitCode, Error> {
    let catalog_ref = load_catalog(dir)?;
    let catalog = catalog_ref.get();
    let mut out = BufWriter::new(io::stdout().lock());
    let countries = |list: Option<&Vec<String>>| match list {
        Some(list) if !list.is_empty() => list.join(" "),
        _ => "unknown".to_string(),
    };
    match model {
        None => {
            if let ListFormat::Json = format {
                let list: Vec<Value> = catalog
                    .providers()
                    .iter()
                    .map(|p| json!({"slug": p.slug, "name": p.name, "headquarters": p.headquarters, "datacenters": p.datacenters}))
                    .collect();
                print_json(&mut out, &Value::Array(list))?;
                return Ok(ExitCode::SUCCESS);
            }
            let rows: Vec<[String; 5]> = catalog
                .providers()
                .iter()
                .map(|p| {
                    let policy = match &p.data_policy {
                        Some(d) => format!(
                            "training {}, retains prompts {}",
                            yes_no(d.training),
                            yes_no(d.retains_prompts)
                        ),
                        None => "unknown".to_string(),
                    };
                    [
                        p.slug.clone(),
                        p.name.clone(),
                        p.headquarters.clone().unwrap_or_else(|| "unknown".into()),
                        countries(p.datacenters.as_ref()),
                        policy,
                    ]
                })
                .collect();
            print_table(
                &mut out,
                &["SLUG", "NAME", "HQ", "DATACENTERS", "DATA POLICY"],
                &rows,
            )
            .map_err(|e| io_error("stdout", e))?;
            writeln!(
                out,
                "\n{} providers, {} models; snapshot {}",
                rows.len(),
                catalog.models().len(),
                catalog.snapshot_date()
            )
            .map_err(|e| io_error("stdout", e))?;
        }
        Some(id) => {
            let Some(found) = catalog.model(id) else {
                return Err(Error::new(
                    routeguard::ErrorCode::InvalidArgument,
                    format!(
                        "`{id}` is not a model of the catalogue (snapshot {})",
                        catalog.snapshot_date()
                    ),
                ));
            };
            let rows: Vec<[String; 6]> = catalog
                .endpoints(&found.id)
                .iter()
                .map(|e| {
                    let provider = catalog.provider(&e.provider_slug);
                    let processing = provider
                        .and_then(|_| processing_countries(catalog, e))
                        .map(|set| set.into_iter().collect::<Vec<_>>().join(" "))
                        .unwrap_or_else(|| "unknown".into());
                    [
                        e.tag.clone(),
                        e.provider_name.clone(),
                        provider
                            .and_then(|p| p.headquarters.clone())
                            .unwrap_or_else(|| "unknown".into()),
                        processing,
                        if e.zdr { "yes" } else { "no" }.to_string(),
                        format!(
                            "{} / {}",
                            per_million(e.pricing.prompt),
                            per_million(e.pricing.completion)
                        ),
                    ]
                })
                .collect();
            if let ListFormat::Json = format {
                let list: Vec<Value> = rows
                    .iter()
                    .map(|r| json!({"tag": r[0], "provider": r[1], "headquarters": r[2], "processing": r[3], "zdr": r[4] == "yes"}))
                    .collect();
                print_json(&mut out, &Value::Array(list))?;
                return Ok(ExitCode::SUCCESS);
            }
            writeln!(out, "{} ({})", found.id, found.name).map_err(|e| io_error("stdout", e))?;
            print_table(
                &mut out,
                &[
                    "ENDPOINT",
                    "PROVIDER",
                    "HQ",
                    "PROCESSING",
                    "ZDR",
                    "USD/M IN / OUT",
                ],
                &rows,
            )
            .map_err(|e| io_error("stdout", e))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn yes_no(fact: Option<bool>) -> &'static str {
    match fact {
        Some(true) => "yes",
        Some(false) => "no",
        None => "unknown",
    }
}

/// Nano-dollars per token as US dollars per million tokens.
fn per_million(price: Option<u64>) -> String {
    match price {
        Some(nanos) => format!("{:.2}", nanos as f64 / 1000.0),
        None => "?".to_string(),
    }
}

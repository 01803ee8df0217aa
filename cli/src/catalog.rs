//! `routeguard catalog refresh`: the provider catalogue fetched from the live API (or the local
//! stand-in) into a directory that `--dir` options and `CatalogSource::Dir` read.

use std::path::Path;
use std::process::ExitCode;

use routeguard::openrouter::transport::{ApiKey, Transport, TransportConfig};
use routeguard::routing::catalog::{curated_sections, Catalog};
use routeguard::{Error, ErrorCode};
use serde_json::Value;

fn write(dir: &Path, name: &str, value: &Value) -> Result<(), Error> {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| io(parent, e))?;
    }
    let text = serde_json::to_string_pretty(value).unwrap_or_default();
    std::fs::write(&path, text + "\n").map_err(|e| io(&path, e))
}

fn io(path: &Path, e: std::io::Error) -> Error {
    Error::new(
        ErrorCode::ConfigFileUnreadable,
        format!("cannot write {}: {}", path.display(), e.kind()),
    )
}

pub fn refresh(out: &Path, base_url: &str, key_env: &str, today: &str) -> Result<ExitCode, Error> {
    let key = ApiKey::from_env(key_env)?;
    let transport = Transport::new(
        key,
        TransportConfig {
            base_url: base_url.to_string(),
            routing_metadata: false,
            ..TransportConfig::default()
        },
    )?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::new(ErrorCode::Internal, format!("no async runtime: {e}")))?;
    let staging = out.with_extension("partial");
    let _ = std::fs::remove_dir_all(&staging);
    runtime.block_on(async {
        let providers = transport.get_json("providers").await?;
        write(&staging, "providers.json", &providers)?;
        let models = transport.get_json("models").await?;
        write(&staging, "models.json", &models)?;
        write(
            &staging,
            "zdr.json",
            &transport.get_json("endpoints/zdr").await?,
        )?;
        let ids: Vec<String> = models["data"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|m| m["id"].as_str().map(String::from))
            .filter(|id| id.split('/').count() == 2)
            .collect();
        let progress = indicatif::ProgressBar::new(ids.len() as u64);
        progress.set_style(
            indicatif::ProgressStyle::with_template("endpoints {pos}/{len} {wide_bar} {msg}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        for id in &ids {
            progress.set_message(id.clone());
            let body = transport
                .get_json(&format!("models/{id}/endpoints"))
                .await?;
            write(&staging, &format!("endpoints/{id}.json"), &body)?;
            progress.inc(1);
        }
        progress.finish_and_clear();
        Ok::<_, Error>(ids.len())
    })?;
    let (policies, regions) = curated_sections();
    write(&staging, "data_policies.json", &policies)?;
    write(&staging, "endpoint_regions.json", &regions)?;
    write(
        &staging,
        "meta.json",
        &serde_json::json!({"snapshot_date": today, "notes": format!("fetched from {base_url}; data_policies and endpoint_regions from the built-in snapshot")}),
    )?;
    // Only a catalogue that loads replaces the old one.
    let catalog = Catalog::from_dir(&staging)?;
    let _ = std::fs::remove_dir_all(out);
    std::fs::rename(&staging, out).map_err(|e| io(out, e))?;
    println!("{}: {catalog:?}", out.display());
    Ok(ExitCode::SUCCESS)
}

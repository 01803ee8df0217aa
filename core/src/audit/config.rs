//! Opening a trail: from the policy's `defaults.audit` (keys by reference: environment or file)
//! or from a JSON configuration that bindings and the CLI pass, with keys given as bytes.

use serde::Deserialize;

use super::chain::{decode_key_text, ChainKey, SigningKey};
use super::record::Sdk;
use super::sink::{AuditSink, CallbackSink, JsonlSink, LineCallback, MemorySink, Rotation};
use super::trail::{default_writer, AuditTrail, TrailOptions};
use crate::error::{Error, ErrorCode, Result};
use crate::policy::{AuditSettings, Fsync, KeyRef, Permission, Rotate, SinkKind, Storage};

/// A trail's configuration in JSON. Keys are not part of it: they are passed as bytes, or read
/// from where the policy names them.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrailConfig {
    pub sink: SinkConfig,
    /// Unique per process run; default `host.pid.start-ms`.
    #[serde(default)]
    pub writer: Option<String>,
    #[serde(default = "hash")]
    pub prompt: Storage,
    #[serde(default = "hash")]
    pub response: Storage,
    #[serde(default = "deny")]
    pub on_sink_error: Permission,
    #[serde(default)]
    pub checkpoint_every: Option<u64>,
    #[serde(default)]
    pub checkpoint_interval_ms: Option<i64>,
    #[serde(default)]
    pub sdk: Option<Sdk>,
}

fn hash() -> Storage {
    Storage::Hash
}

fn deny() -> Permission {
    Permission::Deny
}

#[derive(Clone, Debug, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum SinkConfig {
    /// JSON Lines files in the directory `path`.
    Jsonl {
        path: std::path::PathBuf,
        #[serde(default)]
        rotate: Option<Rotate>,
        #[serde(default)]
        fsync: Option<Fsync>,
    },
    /// A PostgreSQL table (`rg_audit`).
    Postgres { url: String },
    /// Lines kept in memory (tests, short scripts).
    Memory,
    /// A function of the host language.
    Callback,
}

/// An opened trail and, for a memory sink, the handle to its lines.
pub struct Opened {
    pub trail: AuditTrail,
    pub memory: Option<MemorySink>,
}

impl TrailConfig {
    pub fn parse(json: &str) -> Result<TrailConfig> {
        serde_json::from_str(json).map_err(|e| {
            Error::new(
                ErrorCode::InvalidArgument,
                format!(
                    "audit trail configuration: {e} (expected {{sink: {{type: jsonl|postgres|memory|callback, ...}}, writer?, prompt?, response?, on_sink_error?, checkpoint_every?, checkpoint_interval_ms?, sdk?}})"
                ),
            )
        })
    }

    /// The policy's audit section: sink, storage modes and keys read from the environment or
    /// files. The PostgreSQL URL comes from the variable `url_env` names.
    pub fn from_policy(
        settings: &AuditSettings,
    ) -> Result<(TrailConfig, ChainKey, Option<SigningKey>)> {
        let sink = match settings.sink.kind {
            SinkKind::Jsonl => SinkConfig::Jsonl {
                path: settings.sink.path.clone().unwrap_or_else(|| "audit".into()),
                rotate: settings.sink.rotate.clone(),
                fsync: settings.sink.fsync,
            },
            SinkKind::Postgres => {
                let var = settings
                    .sink
                    .url_env
                    .as_ref()
                    .map(|v| v.as_str().to_string())
                    .unwrap_or_default();
                let url = std::env::var(&var).map_err(|_| {
                    Error::new(
                        ErrorCode::AuditUnavailable,
                        format!("defaults.audit.sink.url_env: the environment variable {var} is not set"),
                    )
                })?;
                SinkConfig::Postgres { url }
            }
            SinkKind::Callback => SinkConfig::Callback,
        };
        let chain = settings.chain_key.as_ref().ok_or_else(|| {
            Error::new(
                ErrorCode::AuditKeyInvalid,
                "defaults.audit has no chain_key: name one with {env: VAR} or {file: PATH}",
            )
        })?;
        let chain = ChainKey::new(&read_key(chain, "defaults.audit.chain_key")?)?;
        let signer = settings
            .signing_key
            .as_ref()
            .map(|k| SigningKey::from_seed(&read_key(k, "defaults.audit.signing_key")?))
            .transpose()?;
        let config = TrailConfig {
            sink,
            writer: None,
            prompt: settings.prompt,
            response: settings.response,
            on_sink_error: settings.on_sink_error,
            checkpoint_every: None,
            checkpoint_interval_ms: None,
            sdk: None,
        };
        Ok((config, chain, signer))
    }

    /// Opens the trail. `callback` is required for a callback sink and refused otherwise.
    pub fn open(
        self,
        key: ChainKey,
        signer: Option<SigningKey>,
        callback: Option<LineCallback>,
        now_ms: i64,
    ) -> Result<Opened> {
        let writer = self
            .writer
            .clone()
            .unwrap_or_else(|| default_writer(now_ms));
        super::trail::check_writer(&writer)?;
        let mut memory = None;
        let sink: Box<dyn AuditSink> = match (&self.sink, callback) {
            (SinkConfig::Callback, Some(callback)) => Box::new(CallbackSink(callback)),
            (SinkConfig::Callback, None) => {
                return Err(Error::new(
                    ErrorCode::InvalidArgument,
                    "a callback sink needs a callback function",
                ))
            }
            (_, Some(_)) => {
                return Err(Error::new(
                    ErrorCode::InvalidArgument,
                    "a callback was given but the sink is not of type callback",
                ))
            }
            (
                SinkConfig::Jsonl {
                    path,
                    rotate,
                    fsync,
                },
                None,
            ) => Box::new(JsonlSink::new(
                path,
                &writer,
                Rotation {
                    max_bytes: rotate
                        .as_ref()
                        .and_then(|r| r.max_mb)
                        .map(|mb| mb * 1024 * 1024),
                    daily: rotate.as_ref().is_some_and(|r| r.daily),
                },
                fsync.unwrap_or(Fsync::Every),
            )),
            (SinkConfig::Memory, None) => {
                let sink = MemorySink::new();
                memory = Some(sink.clone());
                Box::new(sink)
            }
            (SinkConfig::Postgres { url }, None) => postgres_sink(url)?,
        };
        let defaults = TrailOptions::new(writer.clone());
        let options = TrailOptions {
            writer,
            prompt: self.prompt,
            response: self.response,
            on_sink_error: self.on_sink_error,
            checkpoint_every: self.checkpoint_every.unwrap_or(defaults.checkpoint_every),
            checkpoint_interval_ms: self
                .checkpoint_interval_ms
                .unwrap_or(defaults.checkpoint_interval_ms),
            sdk: self.sdk,
        };
        Ok(Opened {
            trail: AuditTrail::new(sink, key, signer, options)?,
            memory,
        })
    }
}

#[cfg(feature = "postgres")]
fn postgres_sink(url: &str) -> Result<Box<dyn AuditSink>> {
    Ok(Box::new(super::sink_pg::PostgresSink::connect(url)?))
}

#[cfg(not(feature = "postgres"))]
fn postgres_sink(_url: &str) -> Result<Box<dyn AuditSink>> {
    Err(Error::new(
        ErrorCode::AuditUnavailable,
        "this build has no PostgreSQL support (cargo feature `postgres`)",
    ))
}

/// A key named by the policy: the variable's value or the file's content, hex or raw bytes.
pub fn read_key(key: &KeyRef, path: &str) -> Result<Vec<u8>> {
    let bytes = if let Some(var) = &key.env {
        std::env::var_os(var.as_str())
            .ok_or_else(|| {
                Error::new(
                    ErrorCode::AuditKeyInvalid,
                    format!(
                        "{path}: the environment variable {} is not set",
                        var.as_str()
                    ),
                )
            })?
            .into_encoded_bytes()
    } else if let Some(file) = &key.file {
        std::fs::read(file).map_err(|e| {
            Error::new(
                ErrorCode::AuditKeyInvalid,
                format!("{path}: cannot read {}: {}", file.display(), e.kind()),
            )
        })?
    } else {
        return Err(Error::new(
            ErrorCode::AuditKeyInvalid,
            format!("{path}: names neither env nor file"),
        ));
    };
    Ok(decode_key_text(&bytes))
}

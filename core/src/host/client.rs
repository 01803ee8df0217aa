//! The governed call as every binding exposes it: a client over a guard (with its ledger and
//! trail) and, with the `transport` feature, routeguard's own connection to OpenRouter. Calls
//! block on the client's runtime, so a binding's async form only has to run them off its event
//! loop; answers and chunks cross as JSON text, the same in every language.

use std::sync::Mutex;

use serde::Deserialize;

use crate::error::{Error, ErrorCode, Result};
use crate::governed::{Begun, Call, GovernedAnswer, Governor};
use crate::host::{HostAuditTrail, HostGuard, HostLedger};

/// How a client reaches OpenRouter (JSON from the bindings; every field optional).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientOptions {
    /// Default `https://openrouter.ai/api/v1`; `OPENROUTER_BASE_URL` overrides the default.
    pub base_url: Option<String>,
    /// The environment variable holding the key (default `OPENROUTER_API_KEY`).
    pub api_key_env: Option<String>,
    /// A file holding the key (first line); wins over the environment.
    pub api_key_file: Option<String>,
    pub referer: Option<String>,
    pub title: Option<String>,
    pub timeout_ms: Option<u64>,
    pub connect_timeout_ms: Option<u64>,
    pub max_retries: Option<u32>,
    pub backoff_ms: Option<u64>,
    /// The key of the policy's `hash` action, as hex.
    pub hash_key_hex: Option<String>,
}

impl ClientOptions {
    pub fn parse(json: &str) -> Result<ClientOptions> {
        if json.trim().is_empty() {
            return Ok(ClientOptions::default());
        }
        serde_json::from_str(json).map_err(|e| {
            Error::new(
                ErrorCode::InvalidArgument,
                format!("client options: {e} (expected {{base_url?, api_key_env?, api_key_file?, referer?, title?, timeout_ms?, connect_timeout_ms?, max_retries?, backoff_ms?, hash_key_hex?}})"),
            )
        })
    }

    /// The governor these options describe over the given guard and stores.
    fn governor(
        &self,
        guard: &HostGuard,
        ledger: Option<&HostLedger>,
        trail: Option<&HostAuditTrail>,
    ) -> Result<Governor> {
        Ok(Governor {
            guard: guard.clone(),
            ledger: ledger.cloned(),
            trail: trail.cloned(),
            hash_key: self.hash_key()?,
        })
    }

    fn hash_key(&self) -> Result<Option<Vec<u8>>> {
        self.hash_key_hex
            .as_deref()
            .map(|hex| {
                crate::audit::chain::unhex(hex).ok_or_else(|| {
                    Error::new(ErrorCode::InvalidArgument, "hash_key_hex is not hex")
                })
            })
            .transpose()
    }
}

fn answer_json(answer: &GovernedAnswer) -> String {
    serde_json::to_string(answer).expect("answers serialise")
}

/// A call begun by [`HostGovernor::begin`] for a caller that sends the request itself.
pub struct HostCall {
    call: Mutex<Option<Box<Call>>>,
    request: String,
}

impl HostCall {
    /// The request to send to OpenRouter's `/chat/completions`, as compact JSON.
    pub fn request(&self) -> &str {
        &self.request
    }

    /// Completes the call with OpenRouter's HTTP status and body: verify, response DLP,
    /// settle, record. Returns the answer as JSON. A second completion is `invalid_argument`.
    pub fn complete(&self, status: u16, body: &str) -> Result<String> {
        let call = self.take()?;
        let body = crate::openrouter::body_or_error(status, body.as_bytes());
        call.complete(status, body).map(|a| answer_json(&a))
    }

    /// Ends the call without an answer (the caller's HTTP failed); `message` is recorded.
    pub fn fail(&self, message: &str) -> Result<()> {
        let call = self.take()?;
        call.fail(Error::new(ErrorCode::TransportFailed, message.to_string()))?;
        Ok(())
    }

    fn take(&self) -> Result<Box<Call>> {
        self.call
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take()
            .ok_or_else(|| Error::new(ErrorCode::InvalidArgument, "this call is already complete"))
    }
}

/// What `begin` gives a binding: a refusal (answer JSON) or a call to send.
pub enum HostBegun {
    Refused(String),
    Send(HostCall),
}

/// The guard with its stores, for callers that do their own HTTP.
#[derive(Clone, Debug)]
pub struct HostGovernor {
    governor: Governor,
}

impl HostGovernor {
    pub fn new(
        guard: &HostGuard,
        ledger: Option<&HostLedger>,
        trail: Option<&HostAuditTrail>,
        options_json: &str,
    ) -> Result<HostGovernor> {
        Ok(HostGovernor {
            governor: ClientOptions::parse(options_json)?.governor(guard, ledger, trail)?,
        })
    }

    /// Decides and reserves; see [`Governor::begin`].
    pub fn begin(&self, principal_json: &str, request_json: &str) -> Result<HostBegun> {
        Ok(match self.governor.begin(principal_json, request_json)? {
            Begun::Refused(answer) => HostBegun::Refused(answer_json(&answer)),
            Begun::Send(call) => HostBegun::Send(HostCall {
                request: call.request().to_string(),
                call: Mutex::new(Some(call)),
            }),
        })
    }
}

#[cfg(feature = "transport")]
pub use self::transport::{HostChatStream, HostClient};

#[cfg(feature = "transport")]
mod transport {
    use super::*;
    use crate::governed::client::{GovernedClient, GovernedStream};
    use crate::openrouter::transport::{ApiKey, Transport, TransportConfig};
    use std::sync::Arc;

    /// A governed client with its own connection to OpenRouter. Cheap to clone. Its calls
    /// block on its own runtime, so they must not be made from inside an async runtime (Rust
    /// async code uses [`GovernedClient`] directly).
    #[derive(Clone, Debug)]
    pub struct HostClient {
        client: GovernedClient,
        runtime: Arc<tokio::runtime::Runtime>,
    }

    impl HostClient {
        /// The key comes from `api_key_file`, else the environment variable (never from the
        /// application's code), so the application never holds it.
        pub fn new(
            guard: &HostGuard,
            ledger: Option<&HostLedger>,
            trail: Option<&HostAuditTrail>,
            options_json: &str,
        ) -> Result<HostClient> {
            let options = ClientOptions::parse(options_json)?;
            let key = match &options.api_key_file {
                Some(path) => ApiKey::from_file(std::path::Path::new(path))?,
                None => ApiKey::from_env(
                    options
                        .api_key_env
                        .as_deref()
                        .unwrap_or("OPENROUTER_API_KEY"),
                )?,
            };
            let defaults = TransportConfig::default();
            let base_url = options
                .base_url
                .clone()
                .or_else(|| std::env::var("OPENROUTER_BASE_URL").ok())
                .unwrap_or(defaults.base_url.clone());
            let config = TransportConfig {
                base_url,
                referer: options.referer.clone(),
                title: options.title.clone(),
                timeout_ms: options.timeout_ms.unwrap_or(defaults.timeout_ms),
                connect_timeout_ms: options
                    .connect_timeout_ms
                    .unwrap_or(defaults.connect_timeout_ms),
                max_retries: options.max_retries.unwrap_or(defaults.max_retries),
                backoff_ms: options.backoff_ms.unwrap_or(defaults.backoff_ms),
                ..defaults
            };
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .thread_name("routeguard-io")
                .enable_all()
                .build()
                .map_err(|e| {
                    Error::new(
                        ErrorCode::Internal,
                        format!("starting the I/O runtime: {e}"),
                    )
                })?;
            // reqwest's client must be built inside the runtime that drives its connections.
            let transport = {
                let _entered = runtime.enter();
                Transport::new(key, config)?
            };
            Ok(HostClient {
                client: GovernedClient {
                    governor: options.governor(guard, ledger, trail)?,
                    transport,
                },
                runtime: Arc::new(runtime),
            })
        }

        /// The base URL calls go to.
        pub fn base_url(&self) -> &str {
            &self.client.transport.config().base_url
        }

        /// One governed chat completion, blocking; the answer as JSON.
        pub fn chat(&self, principal_json: &str, request_json: &str) -> Result<String> {
            let answer = self
                .runtime
                .block_on(self.client.chat(principal_json, request_json))?;
            Ok(answer_json(&answer))
        }

        /// A governed stream, blocking until the first byte (or the refusal).
        pub fn stream(&self, principal_json: &str, request_json: &str) -> Result<HostChatStream> {
            let stream = self
                .runtime
                .block_on(self.client.stream(principal_json, request_json))?;
            Ok(HostChatStream {
                stream: Mutex::new(stream),
                runtime: self.runtime.clone(),
            })
        }
    }

    /// A governed stream for a binding: chunks as JSON text, then the answer.
    pub struct HostChatStream {
        stream: Mutex<GovernedStream>,
        runtime: Arc<tokio::runtime::Runtime>,
    }

    impl HostChatStream {
        fn lock(&self) -> std::sync::MutexGuard<'_, GovernedStream> {
            self.stream.lock().unwrap_or_else(|p| p.into_inner())
        }

        /// The next chunk (JSON), or `None` once the stream is over; blocks until it arrives.
        pub fn next(&self) -> Result<Option<String>> {
            let mut stream = self.lock();
            let chunk = self.runtime.block_on(stream.next())?;
            Ok(chunk.map(|c| c.to_string()))
        }

        /// Stops reading; the call is settled and recorded as cancelled.
        pub fn cancel(&self) -> Result<()> {
            let mut stream = self.lock();
            self.runtime.block_on(stream.cancel())
        }

        /// The answer (JSON) once the stream is over, at once for a refusal.
        pub fn answer(&self) -> Option<String> {
            self.lock().answer().map(answer_json)
        }
    }

    impl Drop for HostChatStream {
        /// The stream's connection belongs to the client's runtime: close it there, so that a
        /// stream dropped mid-way settles and records itself like one that was cancelled.
        fn drop(&mut self) {
            let stream = self.stream.get_mut().unwrap_or_else(|p| p.into_inner());
            if stream.answer().is_none() {
                let _ = self.runtime.block_on(stream.cancel());
            }
        }
    }
}

//! The HTTP transport to OpenRouter (feature `transport`): the key held so that it never prints,
//! app attribution and routing-metadata headers, timeouts, retries with backoff and `Retry-After`
//! before any token streamed, raw JSON bodies (nothing dropped: `provider`, `usage.cost`,
//! `native_finish_reason`), streams read through [`SseParser`] and [`StreamAssembler`], and the
//! generation record fetched while it is not there yet.
//!
//! An HTTP error from OpenRouter is a response like any other (its body is what the audit record
//! and the caller need); only failing to get a response at all is an error here.

use std::path::Path;
use std::time::Duration;

use serde_json::Value;

use super::sse::{SseEvent, SseParser};
use super::stream::{Delta, StreamAssembler};
use crate::error::{Error, ErrorCode, Result};

/// The OpenRouter API key. Debug shows nothing of it; there is no Display and no Serialize.
#[derive(Clone)]
pub struct ApiKey(String);

impl std::fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ApiKey(***)")
    }
}

impl ApiKey {
    pub fn new(key: impl Into<String>) -> Result<ApiKey> {
        let key = key.into().trim().to_string();
        if key.is_empty() || key.bytes().any(|b| b.is_ascii_control() || b == b' ') {
            return Err(Error::new(
                ErrorCode::MissingApiKey,
                "the OpenRouter API key is empty or has spaces or control characters",
            ));
        }
        Ok(ApiKey(key))
    }

    /// The key in the environment variable `var` (usually `OPENROUTER_API_KEY`).
    pub fn from_env(var: &str) -> Result<ApiKey> {
        let value = std::env::var(var).map_err(|_| {
            Error::new(
                ErrorCode::MissingApiKey,
                format!("the environment variable {var} is not set"),
            )
        })?;
        ApiKey::new(value)
    }

    /// The key in a file (its first line).
    pub fn from_file(path: &Path) -> Result<ApiKey> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            Error::new(
                ErrorCode::MissingApiKey,
                format!(
                    "cannot read the API key file {}: {}",
                    path.display(),
                    e.kind()
                ),
            )
        })?;
        ApiKey::new(text.lines().next().unwrap_or(""))
    }

    fn bearer(&self) -> String {
        format!("Bearer {}", self.0)
    }
}

/// Where and how to reach OpenRouter.
#[derive(Clone, Debug)]
pub struct TransportConfig {
    /// `https://openrouter.ai/api/v1`, a regional host (`https://eu.openrouter.ai/api/v1`) or the
    /// local stand-in.
    pub base_url: String,
    /// App attribution: `HTTP-Referer` and `X-OpenRouter-Title`.
    pub referer: Option<String>,
    pub title: Option<String>,
    /// Sends `X-OpenRouter-Metadata: enabled`, so responses carry the routing attempts.
    pub routing_metadata: bool,
    pub connect_timeout_ms: u64,
    /// A whole non-streaming request; for streams, the longest silence between bytes.
    pub timeout_ms: u64,
    /// Attempts after the first, for 408, 429 and 5xx statuses and failed connections.
    pub max_retries: u32,
    pub backoff_ms: u64,
    /// A `Retry-After` longer than this is not waited for: the error is returned.
    pub max_retry_after_ms: u64,
}

impl Default for TransportConfig {
    fn default() -> TransportConfig {
        TransportConfig {
            base_url: "https://openrouter.ai/api/v1".into(),
            referer: None,
            title: None,
            routing_metadata: true,
            connect_timeout_ms: 10_000,
            timeout_ms: 120_000,
            max_retries: 2,
            backoff_ms: 500,
            max_retry_after_ms: 30_000,
        }
    }
}

/// An answer from OpenRouter: any status, its body as raw JSON.
#[derive(Clone, Debug, PartialEq)]
pub struct HttpAnswer {
    pub status: u16,
    pub body: Value,
    /// `X-Generation-Id`, when sent.
    pub generation_id: Option<String>,
    /// Attempts made (1 when the first answered for good).
    pub attempts: u32,
}

impl HttpAnswer {
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// A client for one key and configuration; cheap to clone and share between tasks.
#[derive(Clone, Debug)]
pub struct Transport {
    client: reqwest::Client,
    key: ApiKey,
    config: TransportConfig,
}

fn failed(what: &str, e: impl std::fmt::Display) -> Error {
    Error::new(ErrorCode::TransportFailed, format!("{what}: {e}"))
}

/// Statuses worth another attempt: the request may well succeed later.
fn retryable(status: u16) -> bool {
    matches!(status, 408 | 429 | 500 | 502 | 503 | 504 | 524 | 529)
}

impl Transport {
    pub fn new(key: ApiKey, config: TransportConfig) -> Result<Transport> {
        let client = reqwest::Client::builder()
            .connect_timeout(Duration::from_millis(config.connect_timeout_ms))
            .read_timeout(Duration::from_millis(config.timeout_ms))
            .build()
            .map_err(|e| failed("building the HTTP client", e))?;
        Ok(Transport {
            client,
            key,
            config: TransportConfig {
                base_url: config.base_url.trim_end_matches('/').to_string(),
                ..config
            },
        })
    }

    pub fn config(&self) -> &TransportConfig {
        &self.config
    }

    fn url(&self, path: &str) -> String {
        format!("{}/{}", self.config.base_url, path.trim_start_matches('/'))
    }

    fn post(&self, path: &str, body: &str) -> reqwest::RequestBuilder {
        let mut request = self
            .client
            .post(self.url(path))
            .header("authorization", self.key.bearer())
            .header("content-type", "application/json")
            .body(body.to_string());
        if let Some(referer) = &self.config.referer {
            request = request.header("http-referer", referer);
        }
        if let Some(title) = &self.config.title {
            request = request.header("x-openrouter-title", title);
        }
        if self.config.routing_metadata {
            request = request.header("x-openrouter-metadata", "enabled");
        }
        request
    }

    /// How long to wait before attempt `attempt` (1-based retries): `Retry-After` when the answer
    /// gave one, else exponential backoff. `None`: do not retry.
    fn wait_before(&self, attempt: u32, retry_after: Option<&str>) -> Option<Duration> {
        if attempt > self.config.max_retries {
            return None;
        }
        let backoff = self
            .config
            .backoff_ms
            .saturating_mul(1 << (attempt - 1).min(16));
        let ms = match retry_after.and_then(|v| v.trim().parse::<u64>().ok()) {
            Some(seconds) if seconds * 1000 > self.config.max_retry_after_ms => return None,
            Some(seconds) => seconds * 1000,
            None => backoff,
        };
        Some(Duration::from_millis(ms))
    }

    /// Sends `make()` until it answers for good: retries failed connections and retryable
    /// statuses. Returns the last response (any status).
    async fn send_with_retries(
        &self,
        make: impl Fn() -> reqwest::RequestBuilder,
        timeout: Option<Duration>,
    ) -> Result<(reqwest::Response, u32)> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            let mut request = make();
            if let Some(t) = timeout {
                request = request.timeout(t);
            }
            match request.send().await {
                Ok(response) if retryable(response.status().as_u16()) => {
                    let retry_after = response
                        .headers()
                        .get("retry-after")
                        .and_then(|v| v.to_str().ok())
                        .map(String::from);
                    match self.wait_before(attempt, retry_after.as_deref()) {
                        Some(wait) => tokio::time::sleep(wait).await,
                        None => return Ok((response, attempt)),
                    }
                }
                Ok(response) => return Ok((response, attempt)),
                Err(e) => match self.wait_before(attempt, None) {
                    Some(wait) if e.is_connect() || e.is_timeout() => {
                        tokio::time::sleep(wait).await
                    }
                    _ => return Err(failed("OpenRouter request", describe(&e))),
                },
            }
        }
    }

    /// A non-streaming chat completion (`request_json` as prepared; `stream` must be false).
    pub async fn chat(&self, request_json: &str) -> Result<HttpAnswer> {
        let timeout = Duration::from_millis(self.config.timeout_ms);
        let (response, attempts) = self
            .send_with_retries(
                || self.post("chat/completions", request_json),
                Some(timeout),
            )
            .await?;
        answer(response, attempts).await
    }

    /// A streamed chat completion. Retries happen only before the stream starts; an error status
    /// comes back as [`StreamStart::Failed`] with its body.
    pub async fn chat_stream(&self, request_json: &str) -> Result<StreamStart> {
        let (response, attempts) = self
            .send_with_retries(|| self.post("chat/completions", request_json), None)
            .await?;
        if !response.status().is_success() {
            return Ok(StreamStart::Failed(answer(response, attempts).await?));
        }
        Ok(StreamStart::Stream(Box::new(ChatStream {
            generation_id: header(&response, "x-generation-id"),
            response,
            parser: SseParser::new(),
            assembler: StreamAssembler::new(),
            pending: std::collections::VecDeque::new(),
            ended: false,
            attempts,
        })))
    }

    /// The generation record (`GET /generation?id=`), asked up to `tries` times while it is not
    /// there yet (OpenRouter needs from half a second to several seconds to write it).
    pub async fn generation(&self, id: &str, tries: u32) -> Result<Option<Value>> {
        let mut wait = Duration::from_millis(self.config.backoff_ms);
        for attempt in 1..=tries.max(1) {
            let response = self
                .client
                .get(format!(
                    "{}?id={}",
                    self.url("generation"),
                    query_escape(id)
                ))
                .header("authorization", self.key.bearer())
                .timeout(Duration::from_millis(self.config.timeout_ms))
                .send()
                .await
                .map_err(|e| failed("OpenRouter generation lookup", describe(&e)))?;
            let got = answer(response, 1).await?;
            if got.is_success() {
                return Ok(Some(got.body.get("data").cloned().unwrap_or(got.body)));
            }
            if got.status != 404 || attempt == tries.max(1) {
                return match got.status {
                    404 => Ok(None),
                    status => Err(Error::new(
                        ErrorCode::UpstreamError,
                        format!("OpenRouter answered {status} to a generation lookup"),
                    )),
                };
            }
            tokio::time::sleep(wait).await;
            wait = (wait * 2).min(Duration::from_secs(8));
        }
        Ok(None)
    }

    /// `GET path` (under the base URL) as JSON: the catalogue endpoints.
    pub async fn get_json(&self, path: &str) -> Result<Value> {
        let timeout = Duration::from_millis(self.config.timeout_ms);
        let url = self.url(path);
        let (response, attempts) = self
            .send_with_retries(
                || {
                    self.client
                        .get(&url)
                        .header("authorization", self.key.bearer())
                },
                Some(timeout),
            )
            .await?;
        let got = answer(response, attempts).await?;
        if !got.is_success() {
            return Err(Error::new(
                ErrorCode::UpstreamError,
                format!("OpenRouter answered {} to GET {path}", got.status),
            ));
        }
        Ok(got.body)
    }
}

/// A connection error said without the URL's query or any header.
fn describe(e: &reqwest::Error) -> String {
    let kind = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "could not connect"
    } else if e.is_body() || e.is_decode() {
        "the body could not be read"
    } else {
        "failed"
    };
    match e.url() {
        Some(url) => format!(
            "{kind} ({}{})",
            url.origin().ascii_serialization(),
            url.path()
        ),
        None => kind.to_string(),
    }
}

/// Percent-encodes everything but RFC 3986's unreserved characters.
fn query_escape(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn header(response: &reqwest::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(String::from)
}

/// Reads a whole body as JSON. A body that is not JSON becomes an error object, so callers see
/// one shape.
async fn answer(response: reqwest::Response, attempts: u32) -> Result<HttpAnswer> {
    let status = response.status().as_u16();
    let generation_id = header(&response, "x-generation-id");
    let bytes = response
        .bytes()
        .await
        .map_err(|e| failed("reading OpenRouter's answer", describe(&e)))?;
    let body = super::body_or_error(status, &bytes);
    Ok(HttpAnswer {
        status,
        body,
        generation_id,
        attempts,
    })
}

/// The start of a streamed call.
#[derive(Debug)]
pub enum StreamStart {
    Stream(Box<ChatStream>),
    /// OpenRouter answered an error status before streaming (after retries).
    Failed(HttpAnswer),
}

/// A stream being read: deltas as they come, the whole answer when it ends.
#[derive(Debug)]
pub struct ChatStream {
    response: reqwest::Response,
    parser: SseParser,
    assembler: StreamAssembler,
    pending: std::collections::VecDeque<SseEvent>,
    ended: bool,
    pub generation_id: Option<String>,
    pub attempts: u32,
}

impl ChatStream {
    /// The next chunk's delta, or `None` once the stream is over (`[DONE]` or the connection
    /// closed). A read error ends the stream with `transport_failed`; what arrived before it
    /// stays in [`assembler`](Self::assembler).
    pub async fn next(&mut self) -> Result<Option<Delta>> {
        match self.next_event().await? {
            Some(SseEvent::Data(text)) => {
                let chunk = self.assembler.parse(&text)?;
                Ok(Some(self.assembler.push_chunk(&chunk)?))
            }
            Some(done) => {
                self.assembler.push(&done)?;
                Ok(None)
            }
            None => Ok(None),
        }
    }

    /// The next event as it came (keep-alive comments skipped; `[DONE]` ends the reading), or
    /// `None` once the connection closed. For callers that put the chunks together themselves
    /// (the governed call): what is read this way does not reach
    /// [`assembler`](Self::assembler).
    pub async fn next_event(&mut self) -> Result<Option<SseEvent>> {
        loop {
            if let Some(event) = self.pending.pop_front() {
                if event == SseEvent::Done {
                    self.ended = true;
                }
                return Ok(Some(event));
            }
            if self.ended {
                return Ok(None);
            }
            match self.response.chunk().await {
                Ok(Some(bytes)) => self.pending.extend(self.parser.push(&bytes)?),
                Ok(None) => {
                    self.ended = true;
                    if let Some(last) = self.parser.finish()? {
                        self.pending.push_back(last);
                        self.ended = false;
                        continue;
                    }
                    return Ok(None);
                }
                Err(e) => {
                    self.ended = true;
                    return Err(failed("reading the stream", describe(&e)));
                }
            }
        }
    }

    pub fn assembler(&self) -> &StreamAssembler {
        &self.assembler
    }

    /// Keep-alive comments skipped so far.
    pub fn keep_alives(&self) -> u64 {
        self.parser.comments()
    }
}

//! Talking to OpenRouter: the stream format (`sse.rs`) and putting a streamed answer back together
//! (`stream.rs`), both pure, and the HTTP transport that feeds them (`transport.rs`, feature
//! `transport`).

pub mod sse;
pub mod stream;
#[cfg(feature = "transport")]
pub mod transport;

pub use sse::{SseEvent, SseParser};
pub use stream::{Delta, StreamAssembler, StreamEnd};

/// An answer's body as JSON; a body that is not JSON becomes an OpenRouter-shaped error naming
/// only its size (it may echo the prompt), so a caller always has an `error` to record.
pub fn body_or_error(status: u16, body: &[u8]) -> serde_json::Value {
    serde_json::from_slice(body).unwrap_or_else(|_| {
        serde_json::json!({"error": {"code": status,
            "message": format!("a {}-byte body that is not JSON", body.len())}})
    })
}

//! Talking to OpenRouter: the stream format (`sse.rs`) and putting a streamed answer back together
//! (`stream.rs`). Both are pure; the HTTP transport that feeds them arrives with the governed call.

pub mod sse;
pub mod stream;

pub use sse::{SseEvent, SseParser};
pub use stream::{Delta, StreamAssembler, StreamEnd};

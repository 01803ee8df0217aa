//! Talking to OpenRouter: the stream format (`sse.rs`) and putting a streamed answer back together
//! (`stream.rs`), both pure, and the HTTP transport that feeds them (`transport.rs`, feature
//! `transport`).

pub mod sse;
pub mod stream;
#[cfg(feature = "transport")]
pub mod transport;

pub use sse::{SseEvent, SseParser};
pub use stream::{Delta, StreamAssembler, StreamEnd};

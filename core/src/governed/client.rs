//! The governed call over routeguard's own transport (feature `transport`): `chat` for a whole
//! answer, `stream` for chunks as they come. The OpenRouter key lives in the transport; the
//! application only ever holds this client.

use std::collections::VecDeque;

use serde_json::Value;

use super::{Begun, Call, ChunkStep, GovernedAnswer, Governor, StreamStop};
use crate::error::{Error, ErrorCode, Result};
use crate::openrouter::sse::SseEvent;
use crate::openrouter::transport::{StreamStart, Transport};

/// How often a stream that ended without usage asks for its generation record.
pub const GENERATION_TRIES: u32 = 5;

/// A governor and a transport: one governed call each.
#[derive(Clone, Debug)]
pub struct GovernedClient {
    pub governor: Governor,
    pub transport: Transport,
}

/// The request with `stream` set as the call needs it (and usage asked for in streams, which
/// the documentation says is sent anyway and one integration says is not).
fn with_stream_flag(request_json: &str, stream: bool) -> Result<String> {
    let mut request = crate::guard::parse_request(request_json)?;
    let Some(object) = request.as_object_mut() else {
        return Err(Error::new(
            ErrorCode::InvalidRequest,
            "at `/`: the request must be a JSON object",
        ));
    };
    if stream {
        object.insert("stream".into(), Value::Bool(true));
        object
            .entry("usage")
            .or_insert_with(|| serde_json::json!({"include": true}));
    } else {
        object.remove("stream");
        object.remove("stream_options");
    }
    Ok(crate::json::to_string(&request))
}

impl GovernedClient {
    /// One chat completion under the policy. Denials and violations are answers
    /// (`allowed: false`); errors are bad input, an unreachable OpenRouter, a store that fails
    /// while the policy fails closed, and an audit sink that fails.
    pub async fn chat(&self, principal_json: &str, request_json: &str) -> Result<GovernedAnswer> {
        let request = with_stream_flag(request_json, false)?;
        let mut call = match self.governor.begin(principal_json, &request)? {
            Begun::Refused(answer) => return Ok(*answer),
            Begun::Send(call) => call,
        };
        match self.transport.chat(call.request()).await {
            Ok(answer) => {
                call.set_attempts(answer.attempts);
                call.complete(answer.status, answer.body)
            }
            Err(e) => Err(call.fail(e)?),
        }
    }

    /// A streamed chat completion under the policy. A refusal, or an error status before the
    /// first token, gives a stream with no chunks whose [`answer`](GovernedStream::answer) is
    /// already there.
    pub async fn stream(&self, principal_json: &str, request_json: &str) -> Result<GovernedStream> {
        let request = with_stream_flag(request_json, true)?;
        let mut call = match self.governor.begin(principal_json, &request)? {
            Begun::Refused(answer) => return Ok(GovernedStream::answered(self, *answer)),
            Begun::Send(call) => call,
        };
        match self.transport.chat_stream(call.request()).await {
            Ok(StreamStart::Stream(stream)) => {
                call.set_attempts(stream.attempts);
                Ok(GovernedStream {
                    transport: self.transport.clone(),
                    call: Some(call),
                    body: Some(stream),
                    ready: VecDeque::new(),
                    answer: None,
                })
            }
            Ok(StreamStart::Failed(answer)) => {
                call.set_attempts(answer.attempts);
                let answer = call.complete(answer.status, answer.body)?;
                Ok(GovernedStream::answered(self, answer))
            }
            Err(e) => Err(call.fail(e)?),
        }
    }
}

/// A governed stream: filtered chunks in OpenRouter's shape, then the answer. Dropping it
/// unfinished settles and records the call as cancelled.
#[derive(Debug)]
pub struct GovernedStream {
    transport: Transport,
    call: Option<Box<Call>>,
    body: Option<Box<crate::openrouter::transport::ChatStream>>,
    ready: VecDeque<Value>,
    answer: Option<GovernedAnswer>,
}

impl GovernedStream {
    fn answered(client: &GovernedClient, answer: GovernedAnswer) -> GovernedStream {
        GovernedStream {
            transport: client.transport.clone(),
            call: None,
            body: None,
            ready: VecDeque::new(),
            answer: Some(answer),
        }
    }

    /// The call's answer once the stream is over (at once for a refusal).
    pub fn answer(&self) -> Option<&GovernedAnswer> {
        self.answer.as_ref()
    }

    /// The next chunk to pass on, or `None` when the stream is over. A read error ends the
    /// call (settled, recorded) and is returned once.
    pub async fn next(&mut self) -> Result<Option<Value>> {
        loop {
            if let Some(chunk) = self.ready.pop_front() {
                return Ok(Some(chunk));
            }
            let (Some(call), Some(body)) = (self.call.as_mut(), self.body.as_mut()) else {
                return Ok(None);
            };
            match body.next_event().await {
                Ok(Some(SseEvent::Data(text))) => match call.on_data(&text)? {
                    ChunkStep::Pass(chunk) => return Ok(Some(chunk)),
                    ChunkStep::Stop => {
                        self.end(StreamStop::Cancelled).await?;
                    }
                },
                Ok(Some(SseEvent::Done)) => {
                    call.on_done()?;
                    self.end(StreamStop::Ended).await?;
                }
                Ok(None) => self.end(StreamStop::Ended).await?,
                Err(e) => {
                    let code = e.code();
                    let message = e.message().to_string();
                    self.end(StreamStop::Failed(e)).await?;
                    return Err(Error::new(code, message));
                }
            }
        }
    }

    /// Stops reading: the connection is closed, the cost is looked up and the call recorded.
    pub async fn cancel(&mut self) -> Result<()> {
        if self.call.is_some() {
            self.end(StreamStop::Cancelled).await?;
        }
        Ok(())
    }

    async fn end(&mut self, stop: StreamStop) -> Result<()> {
        let (Some(mut call), Some(body)) = (self.call.take(), self.body.take()) else {
            return Ok(());
        };
        if let Some(chunk) = call.drain()? {
            self.ready.push_back(chunk);
        }
        let usage_known = call.usage_known();
        let generation_id = body.generation_id.clone().or_else(|| call.generation_id());
        // Closing the connection is what stops generation (and billing, where the provider
        // supports it) before the record is looked up.
        drop(body);
        let generation = match (usage_known, generation_id) {
            (false, Some(id)) => self
                .transport
                .generation(&id, GENERATION_TRIES)
                .await
                .ok()
                .flatten(),
            _ => None,
        };
        self.answer = Some(call.end_stream(stop, generation.as_ref())?);
        Ok(())
    }
}

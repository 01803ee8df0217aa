//! The transport against the local OpenRouter stand-in (tests/mock-openrouter): headers sent,
//! retries and `Retry-After`, errors inside HTTP 200, streams with keep-alives, usage after the
//! finish chunk, in-band errors and cut connections, and the generation record's delay.
#![cfg(feature = "transport")]

#[path = "support/mock_openrouter.rs"]
mod mock_openrouter;

use mock_openrouter::{runtime, start as mock, Mock};
use routeguard::openrouter::transport::{ApiKey, StreamStart, Transport, TransportConfig};
use routeguard::openrouter::StreamEnd;
use routeguard::ErrorCode;
use serde_json::json;

impl Mock {
    fn transport(&self, config: TransportConfig) -> Transport {
        Transport::new(
            ApiKey::new("sk-or-v1-test-key-never-printed").unwrap(),
            TransportConfig {
                base_url: self.base_url(),
                backoff_ms: 10,
                ..config
            },
        )
        .unwrap()
    }
}

const REQUEST: &str = r#"{"model": "anthropic/claude-sonnet-4", "messages": [{"role": "user", "content": "Hi"}], "max_tokens": 50}"#;

fn streaming() -> String {
    REQUEST.replace(r#""max_tokens": 50"#, r#""max_tokens": 50, "stream": true"#)
}

#[test]
fn a_chat_sends_attribution_and_metadata_headers_and_keeps_the_raw_body() {
    let mock = mock();
    runtime().block_on(async {
        let transport = mock.transport(TransportConfig {
            referer: Some("https://app.example".into()),
            title: Some("routeguard tests".into()),
            ..TransportConfig::default()
        });
        let answer = transport.chat(REQUEST).await.unwrap();
        assert_eq!(answer.status, 200);
        assert_eq!(answer.attempts, 1);
        assert!(answer.body["provider"].is_string(), "{}", answer.body);
        assert!(answer.body["usage"]["cost"].is_number(), "{}", answer.body);
        assert!(
            answer.body["choices"][0]["native_finish_reason"].is_string()
                || answer.body["choices"][0]["native_finish_reason"].is_null()
        );
        let requests = mock.requests().await;
        let sent = requests.as_array().unwrap().last().unwrap();
        let headers = &sent["headers"];
        assert_eq!(headers["x-openrouter-metadata"], "enabled");
        assert_eq!(headers["http-referer"], "https://app.example");
        assert_eq!(headers["x-openrouter-title"], "routeguard tests");
        assert!(headers["authorization"]
            .as_str()
            .unwrap()
            .starts_with("Bearer"));
    });
}

#[test]
fn retryable_statuses_are_retried_and_a_long_retry_after_is_not_waited_for() {
    let mock = mock();
    runtime().block_on(async {
        let transport = mock.transport(TransportConfig::default());
        mock.control(
            "script",
            json!([{"status": 429, "retry_after": 0}, {"status": 503}]),
        )
        .await;
        let answer = transport.chat(REQUEST).await.unwrap();
        assert_eq!((answer.status, answer.attempts), (200, 3));

        mock.control("script", json!([{"status": 429, "retry_after": 120}]))
            .await;
        let answer = transport.chat(REQUEST).await.unwrap();
        assert_eq!((answer.status, answer.attempts), (429, 1));
        assert_eq!(answer.body["error"]["code"], 429);

        // Client errors are final at once.
        mock.control("script", json!([{"status": 402}])).await;
        let answer = transport.chat(REQUEST).await.unwrap();
        assert_eq!((answer.status, answer.attempts), (402, 1));
    });
}

#[test]
fn an_error_inside_http_200_comes_back_as_the_body() {
    let mock = mock();
    runtime().block_on(async {
        let transport = mock.transport(TransportConfig::default());
        mock.control(
            "script",
            json!([{"error_in_200": {"code": 502, "message": "flagged"}}]),
        )
        .await;
        let answer = transport.chat(REQUEST).await.unwrap();
        assert_eq!(answer.status, 200);
        assert!(answer.body.get("choices").is_none());
        assert_eq!(answer.body["error"]["code"], 502);
    });
}

#[test]
fn a_stream_skips_keep_alives_and_keeps_the_usage_after_the_finish_chunk() {
    let mock = mock();
    runtime().block_on(async {
        let transport = mock.transport(TransportConfig::default());
        mock.control(
            "script",
            json!([{"content": "Hello from the stand-in", "chunk_size": 4}]),
        )
        .await;
        let StreamStart::Stream(mut stream) = transport.chat_stream(&streaming()).await.unwrap()
        else {
            panic!("the stream did not start");
        };
        let mut text = String::new();
        let mut finished_before_usage = false;
        while let Some(delta) = stream.next().await.unwrap() {
            text.push_str(&delta.content);
            if delta.finish_reason.is_some() {
                finished_before_usage = stream.assembler().usage().is_none();
            }
        }
        assert_eq!(text, "Hello from the stand-in");
        assert!(
            finished_before_usage,
            "usage must come after the finish chunk"
        );
        assert_eq!(stream.assembler().end(), StreamEnd::Completed);
        assert!(stream.keep_alives() > 0);
        let response = stream.assembler().response();
        assert!(response["usage"]["cost"].is_number(), "{response}");
        assert!(response["provider"].is_string());
    });
}

#[test]
fn mid_stream_errors_and_cut_connections_are_told_apart() {
    let mock = mock();
    runtime().block_on(async {
        let transport = mock.transport(TransportConfig::default());
        mock.control(
            "script",
            json!([{"content": "abcdefghijkl", "chunk_size": 2, "stream_error_after": 2}]),
        )
        .await;
        let StreamStart::Stream(mut stream) = transport.chat_stream(&streaming()).await.unwrap()
        else {
            panic!("the stream did not start");
        };
        while stream.next().await.unwrap().is_some() {}
        assert_eq!(stream.assembler().end(), StreamEnd::Errored);

        mock.control(
            "script",
            json!([{"content": "abcdefghijkl", "chunk_size": 2, "stream_cut_after": 2}]),
        )
        .await;
        let StreamStart::Stream(mut stream) = transport.chat_stream(&streaming()).await.unwrap()
        else {
            panic!("the stream did not start");
        };
        loop {
            match stream.next().await {
                Ok(Some(_)) => {}
                Ok(None) => break,
                Err(e) => {
                    assert_eq!(e.code(), ErrorCode::TransportFailed);
                    break;
                }
            }
        }
        assert_eq!(stream.assembler().end(), StreamEnd::Truncated);
        assert!(stream.assembler().usage().is_none());

        // An error before the first token is an ordinary answer, after the retries.
        mock.control("script", json!([{"status": 404}])).await;
        match transport.chat_stream(&streaming()).await.unwrap() {
            StreamStart::Failed(answer) => assert_eq!(answer.status, 404),
            StreamStart::Stream(_) => panic!("a 404 must not stream"),
        }
    });
}

#[test]
fn the_generation_record_is_asked_for_until_it_exists() {
    let mock = mock();
    runtime().block_on(async {
        let transport = mock.transport(TransportConfig::default());
        let answer = transport.chat(REQUEST).await.unwrap();
        let id = answer.body["id"].as_str().unwrap().to_string();
        mock.control("generation-delay", json!({"lookups": 2}))
            .await;
        let record = transport
            .generation(&id, 5)
            .await
            .unwrap()
            .expect("found after retries");
        assert!(
            record["total_cost"].is_number() || record["usage"].is_number(),
            "{record}"
        );
        assert_eq!(
            transport.generation("gen-does-not-exist", 2).await.unwrap(),
            None
        );
    });
}

#[test]
fn keys_never_print_and_connection_failures_are_transport_failed() {
    let key = ApiKey::new("sk-or-v1-secret-value").unwrap();
    assert_eq!(format!("{key:?}"), "ApiKey(***)");
    assert_eq!(
        ApiKey::new("  ").unwrap_err().code(),
        ErrorCode::MissingApiKey
    );
    assert_eq!(
        ApiKey::from_env("RG_NO_SUCH_KEY_VAR").unwrap_err().code(),
        ErrorCode::MissingApiKey
    );
    runtime().block_on(async {
        let transport = Transport::new(
            key,
            TransportConfig {
                base_url: "http://127.0.0.1:9/api/v1".into(),
                max_retries: 1,
                backoff_ms: 1,
                connect_timeout_ms: 500,
                ..TransportConfig::default()
            },
        )
        .unwrap();
        let err = transport.chat(REQUEST).await.unwrap_err();
        assert_eq!(err.code(), ErrorCode::TransportFailed);
        assert!(!err.message().contains("secret"), "{}", err.message());
    });
}

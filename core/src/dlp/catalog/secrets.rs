//! Secrets and credentials: cloud keys, VCS and CI tokens, payment and chat keys, LLM provider keys,
//! private keys, JWTs, connection strings and passwords in assignments.

use crate::dlp::detector::{Matcher, Spec};

pub(super) static SPECS: &[Spec] = &[Spec {
    validation: "format",
    confidence: 0.99,
    ..Spec::secret(
        "openrouter_api_key",
        "API_KEY",
        Matcher::Triggered {
            triggers: &["sk-or-v1-"],
            before: 0,
            pattern: r"sk-or-v1-[0-9a-f]{64}",
            max_len: 73,
            validate: None,
        },
    )
}];

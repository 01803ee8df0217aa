//! Rewriting text by its findings: block, mask, redact, keyed hash and reversible pseudonyms.

use std::collections::HashMap;
use std::fmt;

use hmac::{Hmac, Mac};
use serde::Serialize;
use sha2::Sha256;

use super::config::MaskConfig;
use super::detector::Action;
use super::scanner::Finding;
use crate::error::{Error, ErrorCode, Result};

/// Holds pseudonyms for one conversation: the same value always gets the same token, and tokens
/// found in a response can be turned back into the values. Lives in memory only; its Debug output
/// shows a count, never a value.
#[derive(Default, Clone)]
pub struct Vault {
    token_of: HashMap<(String, String), String>,
    value_of: HashMap<String, String>,
    issued: HashMap<String, u32>,
}

impl fmt::Debug for Vault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Vault")
            .field("entries", &self.value_of.len())
            .finish()
    }
}

impl Vault {
    pub fn new() -> Vault {
        Vault::default()
    }

    /// Number of distinct values held.
    pub fn len(&self) -> usize {
        self.value_of.len()
    }

    pub fn is_empty(&self) -> bool {
        self.value_of.is_empty()
    }

    /// The token for `value`, issuing `<CATEGORY_n>` the first time it is seen.
    pub fn pseudonym(&mut self, category: &str, value: &str) -> String {
        let key = (category.to_string(), value.to_string());
        if let Some(token) = self.token_of.get(&key) {
            return token.clone();
        }
        let n = self.issued.entry(category.to_string()).or_insert(0);
        *n += 1;
        let token = format!("<{category}_{n}>");
        self.token_of.insert(key, token.clone());
        self.value_of.insert(token.clone(), value.to_string());
        token
    }

    /// Replaces every token this vault issued with its original value; other text is unchanged.
    pub fn restore(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(open) = rest.find('<') {
            out.push_str(&rest[..open]);
            let tail = &rest[open..];
            let token_len = tail
                .bytes()
                .skip(1)
                .position(|b| !(b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_'))
                .filter(|&i| tail.as_bytes().get(i + 1) == Some(&b'>'))
                .map(|i| i + 2);
            match token_len.and_then(|len| self.value_of.get(&tail[..len]).map(|v| (len, v))) {
                Some((len, value)) => {
                    out.push_str(value);
                    rest = &tail[len..];
                }
                None => {
                    out.push('<');
                    rest = &tail[1..];
                }
            }
        }
        out.push_str(rest);
        out
    }
}

/// One applied action, with where it sits in the input and in the output.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Applied {
    pub detector: String,
    pub category: String,
    pub action: Action,
    pub start: usize,
    pub end: usize,
    pub output_start: usize,
    pub output_end: usize,
}

/// The outcome of rewriting a text.
#[derive(Clone, Debug, PartialEq)]
pub struct Rewritten {
    /// The text that may leave. When `blocked` is true it must not be sent; blocked spans are
    /// redacted in it so that even a careless caller does not leak them.
    pub text: String,
    pub blocked: bool,
    pub applied: Vec<Applied>,
}

/// Applies findings' actions to text.
pub struct Rewriter<'v> {
    mask: MaskConfig,
    hash_key: Option<Vec<u8>>,
    vault: Option<&'v mut Vault>,
    every_finding: Option<Action>,
}

impl fmt::Debug for Rewriter<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Rewriter")
            .field("mask", &self.mask)
            .field("hash_key", &self.hash_key.as_ref().map(|_| "<set>"))
            .field("vault", &self.vault)
            .finish()
    }
}

impl<'v> Rewriter<'v> {
    pub fn new(mask: MaskConfig) -> Rewriter<'v> {
        Rewriter {
            mask,
            hash_key: None,
            vault: None,
            every_finding: None,
        }
    }

    /// The key for `hash`: the same value and key always give the same token.
    pub fn with_hash_key(mut self, key: impl Into<Vec<u8>>) -> Self {
        self.hash_key = Some(key.into());
        self
    }

    /// The vault that `pseudonymize` writes to.
    pub fn with_vault(mut self, vault: &'v mut Vault) -> Self {
        self.vault = Some(vault);
        self
    }

    /// Applies this action to every finding instead of each finding's own.
    pub fn with_action(mut self, action: Action) -> Self {
        self.every_finding = Some(action);
        self
    }

    /// Rewrites `text`. Findings must be sorted and non-overlapping, as `Scanner::scan` returns them.
    pub fn rewrite(&mut self, text: &str, findings: &[Finding]) -> Result<Rewritten> {
        let mut out = String::with_capacity(text.len());
        let mut applied = Vec::with_capacity(findings.len());
        let mut blocked = false;
        let mut cursor = 0;
        for f in findings {
            if f.start < cursor
                || f.end > text.len()
                || !text.is_char_boundary(f.start)
                || !text.is_char_boundary(f.end)
            {
                return Err(Error::new(
                    ErrorCode::InvalidArgument,
                    "findings overlap, are unsorted or do not fall on character boundaries of this text",
                ));
            }
            out.push_str(&text[cursor..f.start]);
            let value = &text[f.start..f.end];
            let action = self.every_finding.unwrap_or(f.action);
            let output_start = out.len();
            match action {
                Action::Block => {
                    blocked = true;
                    push_redaction(&mut out, &f.category);
                }
                Action::Redact => push_redaction(&mut out, &f.category),
                Action::Mask => self.push_mask(&mut out, value),
                Action::Hash => {
                    let key = self.hash_key.as_deref().ok_or_else(|| {
                        Error::new(
                            ErrorCode::MissingKey,
                            "the hash action needs a key (with_hash_key)",
                        )
                    })?;
                    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key)
                        .map_err(|_| Error::new(ErrorCode::Internal, "HMAC rejected the key"))?;
                    mac.update(f.category.as_bytes());
                    mac.update(b"\0");
                    mac.update(value.as_bytes());
                    let digest = mac.finalize().into_bytes();
                    out.push('<');
                    out.push_str(&f.category);
                    out.push(':');
                    for b in &digest[..6] {
                        out.push_str(&format!("{b:02x}"));
                    }
                    out.push('>');
                }
                Action::Pseudonymize => {
                    let vault = self.vault.as_deref_mut().ok_or_else(|| {
                        Error::new(
                            ErrorCode::MissingKey,
                            "the pseudonymize action needs a vault (with_vault)",
                        )
                    })?;
                    out.push_str(&vault.pseudonym(&f.category, value));
                }
                Action::Log => out.push_str(value),
            }
            applied.push(Applied {
                detector: f.detector.to_string(),
                category: f.category.to_string(),
                action,
                start: f.start,
                end: f.end,
                output_start,
                output_end: out.len(),
            });
            cursor = f.end;
        }
        out.push_str(&text[cursor..]);
        Ok(Rewritten {
            text: out,
            blocked,
            applied,
        })
    }

    fn push_mask(&self, out: &mut String, value: &str) {
        let count = value.chars().count();
        let keep_from = count.saturating_sub(self.mask.keep_last);
        for (i, c) in value.chars().enumerate() {
            // Separators stay so the shape survives (a masked card still reads as a card).
            if i >= keep_from || matches!(c, ' ' | '-' | '.' | '/' | '@' | ':') {
                out.push(c);
            } else {
                out.push(self.mask.char);
            }
        }
    }
}

fn push_redaction(out: &mut String, category: &str) {
    out.push('[');
    out.push_str(category);
    out.push(']');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dlp::{Kind, Scanner};

    fn finding(start: usize, end: usize, action: Action) -> Finding {
        Finding {
            detector: "email_address".into(),
            category: "EMAIL_ADDRESS".into(),
            kind: Kind::Pii,
            start,
            end,
            confidence: 0.9,
            action,
        }
    }

    #[test]
    fn mask_keeps_separators_and_last_n() {
        let text = "card 4111 1111 1111 1111 ok";
        let f = Scanner::builtin().scan(text);
        let mut r = Rewriter::new(MaskConfig {
            char: '#',
            keep_last: 4,
        });
        let out = r.rewrite(text, &f).unwrap();
        assert_eq!(out.text, "card #### #### #### 1111 ok");
        assert!(!out.blocked);
    }

    #[test]
    fn block_sets_the_flag_and_still_hides_the_value() {
        let text = "a@b.io";
        let out = Rewriter::new(MaskConfig::default())
            .rewrite(text, &[finding(0, 6, Action::Block)])
            .unwrap();
        assert!(out.blocked);
        assert_eq!(out.text, "[EMAIL_ADDRESS]");
    }

    #[test]
    fn hash_is_stable_per_key_and_differs_across_keys() {
        let text = "x a@b.io y a@b.io";
        let fs = [finding(2, 8, Action::Hash), finding(11, 17, Action::Hash)];
        let one = Rewriter::new(MaskConfig::default())
            .with_hash_key(*b"k1")
            .rewrite(text, &fs)
            .unwrap();
        let two = Rewriter::new(MaskConfig::default())
            .with_hash_key(*b"k2")
            .rewrite(text, &fs)
            .unwrap();
        let tokens: Vec<&str> = one.text.split(' ').collect();
        assert_eq!(tokens[1], tokens[3]);
        assert!(
            tokens[1].starts_with("<EMAIL_ADDRESS:")
                && tokens[1].len() == "<EMAIL_ADDRESS:>".len() + 12
        );
        assert_ne!(one.text, two.text);
        let err = Rewriter::new(MaskConfig::default())
            .rewrite(text, &fs)
            .unwrap_err();
        assert_eq!(err.code(), ErrorCode::MissingKey);
    }

    #[test]
    fn pseudonyms_are_consistent_and_restore() {
        let mut vault = Vault::new();
        let text = "a@b.io and c@d.io and a@b.io";
        let fs = [
            finding(0, 6, Action::Pseudonymize),
            finding(11, 17, Action::Pseudonymize),
            finding(22, 28, Action::Pseudonymize),
        ];
        let out = Rewriter::new(MaskConfig::default())
            .with_vault(&mut vault)
            .rewrite(text, &fs)
            .unwrap();
        assert_eq!(
            out.text,
            "<EMAIL_ADDRESS_1> and <EMAIL_ADDRESS_2> and <EMAIL_ADDRESS_1>"
        );
        assert_eq!(
            vault.restore("Reply to <EMAIL_ADDRESS_2>, cc <EMAIL_ADDRESS_1> <X_9> <"),
            "Reply to c@d.io, cc a@b.io <X_9> <"
        );
        assert_eq!(format!("{vault:?}"), "Vault { entries: 2 }");
    }

    #[test]
    fn overlapping_findings_are_an_error_not_a_panic() {
        let fs = [finding(0, 4, Action::Mask), finding(2, 6, Action::Mask)];
        let err = Rewriter::new(MaskConfig::default())
            .rewrite("abcdefgh", &fs)
            .unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidArgument);
    }
}

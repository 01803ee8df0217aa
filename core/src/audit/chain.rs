//! Tamper evidence: each writer's records are chained by HMAC-SHA-256 (each record carries its
//! predecessor's MAC and its own) and sealed by Ed25519-signed checkpoints. Pure: no clock, no I/O.

use ed25519_dalek::{Signer, Verifier};
use hmac::{Hmac, Mac};
use serde_json::{Map, Value};
use sha2::Sha256;

use super::canonical::to_canonical;
use crate::error::{Error, ErrorCode, Result};

type HmacSha256 = Hmac<Sha256>;

/// Shortest chain key accepted: 128 bits.
pub const MIN_CHAIN_KEY_BYTES: usize = 16;

/// The chain's HMAC key. Prints nothing: keys never reach logs or Debug output.
#[derive(Clone)]
pub struct ChainKey {
    key: Vec<u8>,
    /// Hashes of stored prompts use their own key, so a content hash is never a valid MAC.
    content_key: [u8; 32],
}

impl std::fmt::Debug for ChainKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ChainKey(..)")
    }
}

impl ChainKey {
    pub fn new(bytes: &[u8]) -> Result<ChainKey> {
        if bytes.len() < MIN_CHAIN_KEY_BYTES {
            return Err(Error::new(
                ErrorCode::AuditKeyInvalid,
                format!(
                    "the chain key has {} bytes; at least {MIN_CHAIN_KEY_BYTES} are needed",
                    bytes.len()
                ),
            ));
        }
        let content_key = hmac(bytes, b"routeguard.audit.content-key");
        Ok(ChainKey {
            key: bytes.to_vec(),
            content_key,
        })
    }

    pub fn mac_hex(&self, data: &[u8]) -> String {
        hex(&hmac(&self.key, data))
    }

    /// The `prev` of a writer's first record: nobody without the key can start a chain.
    pub fn genesis(&self, writer: &str) -> String {
        let mut data = b"routeguard.audit.genesis\0".to_vec();
        data.extend_from_slice(writer.as_bytes());
        self.mac_hex(&data)
    }

    /// The stored hash of prompt or response content (its canonical JSON).
    pub fn content_hash(&self, content: &Value) -> Result<String> {
        Ok(hex(&hmac(
            &self.content_key,
            to_canonical(content)?.as_bytes(),
        )))
    }
}

fn hmac(key: &[u8], data: &[u8]) -> [u8; 32] {
    let mut mac = HmacSha256::new_from_slice(key).expect("HMAC takes keys of any length");
    mac.update(data);
    mac.finalize().into_bytes().into()
}

/// The Ed25519 key that signs checkpoints (a 32-byte seed). Prints nothing.
#[derive(Clone)]
pub struct SigningKey(ed25519_dalek::SigningKey);

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SigningKey(public {})", self.public_key().hex())
    }
}

impl SigningKey {
    pub fn from_seed(seed: &[u8]) -> Result<SigningKey> {
        let seed: [u8; 32] = seed.try_into().map_err(|_| {
            Error::new(
                ErrorCode::AuditKeyInvalid,
                format!(
                    "an Ed25519 signing key is a 32-byte seed, not {} bytes",
                    seed.len()
                ),
            )
        })?;
        Ok(SigningKey(ed25519_dalek::SigningKey::from_bytes(&seed)))
    }

    pub fn public_key(&self) -> PublicKey {
        PublicKey(self.0.verifying_key())
    }

    /// The seed as hex, for writing a key file.
    pub fn seed_hex(&self) -> String {
        hex(self.0.as_bytes())
    }

    fn sign_hex(&self, data: &[u8]) -> String {
        hex(&self.0.sign(data).to_bytes())
    }
}

/// The Ed25519 public key that checks checkpoint signatures.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicKey(ed25519_dalek::VerifyingKey);

impl PublicKey {
    pub fn from_bytes(bytes: &[u8]) -> Result<PublicKey> {
        let bytes: [u8; 32] = bytes.try_into().map_err(|_| {
            Error::new(
                ErrorCode::AuditKeyInvalid,
                format!("an Ed25519 public key has 32 bytes, not {}", bytes.len()),
            )
        })?;
        ed25519_dalek::VerifyingKey::from_bytes(&bytes)
            .map(PublicKey)
            .map_err(|_| Error::new(ErrorCode::AuditKeyInvalid, "not an Ed25519 public key"))
    }

    pub fn hex(&self) -> String {
        hex(self.0.as_bytes())
    }

    pub fn verify_hex(&self, data: &[u8], signature_hex: &str) -> bool {
        let Some(bytes) = unhex(signature_hex) else {
            return false;
        };
        let Ok(bytes) = <[u8; 64]>::try_from(bytes.as_slice()) else {
            return false;
        };
        self.0
            .verify(data, &ed25519_dalek::Signature::from_bytes(&bytes))
            .is_ok()
    }
}

/// Fresh keys from the operating system's generator: a 32-byte chain key and an Ed25519 seed.
pub fn generate_keys() -> Result<(Vec<u8>, SigningKey)> {
    let mut chain = vec![0u8; 32];
    let mut seed = [0u8; 32];
    let fail = |e: getrandom::Error| Error::new(ErrorCode::Internal, format!("no randomness: {e}"));
    getrandom::getrandom(&mut chain).map_err(fail)?;
    getrandom::getrandom(&mut seed).map_err(fail)?;
    Ok((chain, SigningKey::from_seed(&seed)?))
}

/// Key material given as text (an environment variable or a file): hex, else the raw bytes.
pub fn decode_key_text(bytes: &[u8]) -> Vec<u8> {
    let trimmed = bytes.trim_ascii();
    std::str::from_utf8(trimmed)
        .ok()
        .and_then(unhex)
        .unwrap_or_else(|| trimmed.to_vec())
}

/// Where a writer's chain stands: the next sequence number and the last MAC.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChainState {
    pub writer: String,
    pub next_seq: u64,
    pub prev: String,
    /// Interaction and notice records so far (checkpoints excluded).
    pub records: u64,
}

/// A record sealed into the chain but not yet committed: the trail commits it once the sink
/// has it, so a failed write leaves no gap.
#[derive(Clone, Debug)]
pub struct Sealed {
    pub line: String,
    pub seq: u64,
    pub mac: String,
    pub is_checkpoint: bool,
}

impl ChainState {
    pub fn new(writer: &str, key: &ChainKey) -> ChainState {
        ChainState {
            writer: writer.to_string(),
            next_seq: 0,
            prev: key.genesis(writer),
            records: 0,
        }
    }

    /// Adds `writer`, `seq` and `prev` to `body`, signs it when it is a checkpoint and a
    /// signing key is given, and MACs it. The chain does not move until [`commit`](Self::commit).
    pub fn seal(
        &self,
        mut body: Map<String, Value>,
        key: &ChainKey,
        signer: Option<&SigningKey>,
    ) -> Result<Sealed> {
        body.insert("writer".into(), Value::String(self.writer.clone()));
        body.insert("seq".into(), Value::from(self.next_seq));
        body.insert("prev".into(), Value::String(self.prev.clone()));
        body.remove("mac");
        body.remove("sig");
        let is_checkpoint = body.get("kind").and_then(Value::as_str) == Some("checkpoint");
        let mut value = Value::Object(body);
        if let (true, Some(signer)) = (is_checkpoint, signer) {
            let sig = signer.sign_hex(to_canonical(&value)?.as_bytes());
            value
                .as_object_mut()
                .expect("built as an object")
                .insert("sig".into(), Value::String(sig));
        }
        let mac = key.mac_hex(to_canonical(&value)?.as_bytes());
        value
            .as_object_mut()
            .expect("built as an object")
            .insert("mac".into(), Value::String(mac.clone()));
        Ok(Sealed {
            line: to_canonical(&value)?,
            seq: self.next_seq,
            mac,
            is_checkpoint,
        })
    }

    pub fn commit(&mut self, sealed: &Sealed) {
        self.next_seq = sealed.seq + 1;
        self.prev = sealed.mac.clone();
        if !sealed.is_checkpoint {
            self.records += 1;
        }
    }
}

pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(DIGITS[usize::from(b >> 4)] as char);
        out.push(DIGITS[usize::from(b & 15)] as char);
    }
    out
}

pub fn unhex(text: &str) -> Option<Vec<u8>> {
    if text.is_empty() || text.len() % 2 != 0 {
        return None;
    }
    let digit = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    text.as_bytes()
        .chunks(2)
        .map(|pair| Some(digit(pair[0])? << 4 | digit(pair[1])?))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> ChainKey {
        ChainKey::new(b"0123456789abcdef0123456789abcdef").unwrap()
    }

    #[test]
    fn short_keys_are_refused_and_keys_never_print() {
        assert_eq!(
            ChainKey::new(b"short").unwrap_err().code(),
            ErrorCode::AuditKeyInvalid
        );
        assert_eq!(format!("{:?}", key()), "ChainKey(..)");
        let signer = SigningKey::from_seed(&[7; 32]).unwrap();
        assert!(!format!("{signer:?}").contains(&hex(&[7; 32])));
    }

    #[test]
    fn sealing_chains_records_and_signs_checkpoints() {
        let key = key();
        let signer = SigningKey::from_seed(&[7; 32]).unwrap();
        let mut state = ChainState::new("w1", &key);
        let mut body = Map::new();
        body.insert("kind".into(), "interaction".into());
        let first = state.seal(body.clone(), &key, Some(&signer)).unwrap();
        assert!(!first.line.contains("\"sig\""));
        assert!(first
            .line
            .contains(&format!("\"prev\":\"{}\"", key.genesis("w1"))));
        // Nothing moves until the sink has the record.
        assert_eq!(state.next_seq, 0);
        state.commit(&first);
        body.insert("kind".into(), "checkpoint".into());
        let second = state.seal(body, &key, Some(&signer)).unwrap();
        assert!(second.line.contains(&format!("\"prev\":\"{}\"", first.mac)));
        let mut value: Value = serde_json::from_str(&second.line).unwrap();
        let map = value.as_object_mut().unwrap();
        let mac = map.remove("mac").unwrap();
        assert_eq!(
            key.mac_hex(
                to_canonical(&Value::Object(map.clone()))
                    .unwrap()
                    .as_bytes()
            ),
            mac
        );
        let sig = map.remove("sig").unwrap();
        let signed = to_canonical(&Value::Object(map.clone())).unwrap();
        assert!(signer
            .public_key()
            .verify_hex(signed.as_bytes(), sig.as_str().unwrap()));
        assert!(!signer
            .public_key()
            .verify_hex(signed.replace("w1", "w2").as_bytes(), sig.as_str().unwrap()));
    }

    #[test]
    fn key_text_is_hex_or_raw() {
        assert_eq!(decode_key_text(b" 00ff\n"), vec![0, 255]);
        assert_eq!(
            decode_key_text(b"not hex at all!"),
            b"not hex at all!".to_vec()
        );
        assert_eq!(unhex("0g"), None);
    }
}

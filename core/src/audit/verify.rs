//! `audit verify`: reads record lines (files, a directory of them, or PostgreSQL) and checks every
//! writer's chain, naming the first bad record and why. Pure over the lines; reading is `read.rs`.
//!
//! What each check catches: a changed byte (not canonical, bad JSON or bad MAC), a deleted record
//! (sequence gap or a chain that does not start at 0 or a checkpoint), a duplicate, reordering,
//! a forged checkpoint (bad signature) and a cut tail (no closing checkpoint). A last line without
//! its newline is a crash during a write, reported as `incomplete`, not as tampering.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use super::canonical::to_canonical;
use super::chain::{ChainKey, PublicKey};
use super::record::{AuditRecord, Kind, RECORD_VERSION};

/// One line of a log, as read.
#[derive(Clone, Debug)]
pub struct Line {
    /// The file (or `postgres`) it came from.
    pub source: String,
    /// 1-based line (or row) number.
    pub number: u64,
    pub bytes: Vec<u8>,
    /// False for a last line with no newline: a write cut short.
    pub terminated: bool,
}

/// Something wrong with the log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// `bad_json`, `not_canonical`, `bad_record`, `bad_mac`, `bad_signature`,
    /// `unsigned_checkpoint`, `bad_genesis`, `broken_link`, `missing_records`, `duplicate`,
    /// `out_of_order`, `missing_head` (tampering); `torn_tail`, `open_chain` (incomplete).
    pub kind: &'static str,
    /// True when only tampering (or corruption) explains it.
    pub tamper: bool,
    pub source: String,
    pub line: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub writer: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seq: Option<u64>,
    pub message: String,
}

/// One writer's chain as found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct WriterSummary {
    pub writer: String,
    pub first_seq: u64,
    pub last_seq: u64,
    /// Interaction and notice records.
    pub records: u64,
    pub checkpoints: u64,
    /// Ends with a `close` checkpoint.
    pub closed: bool,
    /// Records after the last checkpoint (not protected against a cut tail).
    pub unsealed: u64,
}

/// Serialised with two derived fields every reader wants: `first_bad` and `exit_code`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifyReport {
    /// `intact`, `incomplete` (a crash or a live writer: torn last line or open chain) or
    /// `tampered`.
    pub status: &'static str,
    pub records: u64,
    pub checkpoints: u64,
    /// Checkpoint signatures checked (a public key was given).
    pub signatures_checked: bool,
    pub writers: Vec<WriterSummary>,
    pub problems: Vec<Problem>,
}

impl Serialize for VerifyReport {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut out = serializer.serialize_struct("VerifyReport", 8)?;
        out.serialize_field("status", self.status)?;
        out.serialize_field("records", &self.records)?;
        out.serialize_field("checkpoints", &self.checkpoints)?;
        out.serialize_field("signatures_checked", &self.signatures_checked)?;
        out.serialize_field("writers", &self.writers)?;
        out.serialize_field("problems", &self.problems)?;
        out.serialize_field("first_bad", &self.first_bad())?;
        out.serialize_field("exit_code", &self.exit_code())?;
        out.end()
    }
}

impl VerifyReport {
    /// The first tampering problem, else the first problem.
    pub fn first_bad(&self) -> Option<&Problem> {
        self.problems
            .iter()
            .find(|p| p.tamper)
            .or(self.problems.first())
    }

    /// 0 intact, 1 tampered, 4 incomplete: the exit code of `routeguard audit verify` (2 is
    /// the CLI's usage and I/O error, 3 its "blocked").
    pub fn exit_code(&self) -> u8 {
        match self.status {
            "intact" => 0,
            "incomplete" => 4,
            _ => 1,
        }
    }
}

struct Chain {
    summary: WriterSummary,
    expected_seq: u64,
    prev: String,
    last_source: String,
    last_line: u64,
}

/// Checks `lines` with the chain key, and checkpoint signatures when `public_key` is given.
pub fn verify_lines(
    lines: impl IntoIterator<Item = Line>,
    key: &ChainKey,
    public_key: Option<&PublicKey>,
) -> VerifyReport {
    let mut problems = Vec::new();
    let mut chains: BTreeMap<String, Chain> = BTreeMap::new();
    let mut records = 0;
    let mut checkpoints = 0;
    let mut torn = false;
    for line in lines {
        let problem =
            |kind: &'static str, writer: Option<&str>, seq: Option<u64>, message: String| Problem {
                kind,
                tamper: !matches!(kind, "torn_tail" | "open_chain"),
                source: line.source.clone(),
                line: line.number,
                writer: writer.map(String::from),
                seq,
                message,
            };
        if !line.terminated {
            torn = true;
            problems.push(problem(
                "torn_tail",
                None,
                None,
                format!(
                    "the last line ({} bytes) has no newline: a write was cut short (crash)",
                    line.bytes.len()
                ),
            ));
            continue;
        }
        let Ok(text) = std::str::from_utf8(&line.bytes) else {
            problems.push(problem(
                "bad_json",
                None,
                None,
                "the line is not valid UTF-8".into(),
            ));
            continue;
        };
        let value: Value = match serde_json::from_str(text) {
            Ok(v @ Value::Object(_)) => v,
            Ok(_) => {
                problems.push(problem(
                    "bad_json",
                    None,
                    None,
                    "the line is not a JSON object".into(),
                ));
                continue;
            }
            Err(e) => {
                problems.push(problem("bad_json", None, None, format!("not JSON: {e}")));
                continue;
            }
        };
        if to_canonical(&value).ok().as_deref() != Some(text) {
            problems.push(problem(
                "not_canonical",
                None,
                None,
                "the line is not in canonical form (RFC 8785): it was edited".into(),
            ));
            continue;
        }
        let record: AuditRecord = match serde_json::from_value(value.clone()) {
            Ok(r) => r,
            Err(e) => {
                problems.push(problem(
                    "bad_record",
                    None,
                    None,
                    format!("not an audit record: {e}"),
                ));
                continue;
            }
        };
        let (Some(writer), Some(seq), Some(prev), Some(mac), Some(kind)) = (
            record.writer.as_deref(),
            record.seq,
            record.prev.as_deref(),
            record.mac.as_deref(),
            record.kind,
        ) else {
            problems.push(problem(
                "bad_record",
                record.writer.as_deref(),
                record.seq,
                "a chain field (writer, seq, prev, mac, kind) is missing".into(),
            ));
            continue;
        };
        if record.v != RECORD_VERSION {
            problems.push(problem(
                "bad_record",
                Some(writer),
                Some(seq),
                format!("record version {} is not {RECORD_VERSION}", record.v),
            ));
            continue;
        }
        let mut body = value.as_object().cloned().unwrap_or_default();
        body.remove("mac");
        let mac_ok = to_canonical(&Value::Object(body.clone()))
            .is_ok_and(|c| key.mac_hex(c.as_bytes()) == mac);
        if !mac_ok {
            problems.push(problem(
                "bad_mac",
                Some(writer),
                Some(seq),
                "the record's MAC does not match its content (edited, forged or another key)"
                    .into(),
            ));
            continue;
        }
        if kind == Kind::Checkpoint {
            if let Some(public_key) = public_key {
                body.remove("sig");
                let signed = to_canonical(&Value::Object(body)).unwrap_or_default();
                match record.sig.as_deref() {
                    None => problems.push(problem(
                        "unsigned_checkpoint",
                        Some(writer),
                        Some(seq),
                        "the checkpoint carries no signature".into(),
                    )),
                    Some(sig) if !public_key.verify_hex(signed.as_bytes(), sig) => {
                        problems.push(problem(
                            "bad_signature",
                            Some(writer),
                            Some(seq),
                            "the checkpoint's signature does not verify with the public key".into(),
                        ))
                    }
                    Some(_) => {}
                }
            }
        }
        let is_checkpoint = kind == Kind::Checkpoint;
        let closes = is_checkpoint
            && record
                .checkpoint
                .as_ref()
                .is_some_and(|c| c.reason == "close");
        match chains.get_mut(writer) {
            None => {
                if seq == 0 {
                    if prev != key.genesis(writer) {
                        problems.push(problem(
                            "bad_genesis",
                            Some(writer),
                            Some(seq),
                            "the first record's `prev` is not this writer's genesis value".into(),
                        ));
                    }
                } else if !is_checkpoint {
                    problems.push(problem(
                        "missing_head",
                        Some(writer),
                        Some(seq),
                        format!(
                            "the chain starts at seq {seq}, not at 0 or a checkpoint: earlier records are missing"
                        ),
                    ));
                }
                chains.insert(
                    writer.to_string(),
                    Chain {
                        summary: WriterSummary {
                            writer: writer.to_string(),
                            first_seq: seq,
                            last_seq: seq,
                            records: 0,
                            checkpoints: 0,
                            closed: false,
                            unsealed: 0,
                        },
                        expected_seq: seq,
                        prev: prev.to_string(),
                        last_source: String::new(),
                        last_line: 0,
                    },
                );
            }
            Some(chain) => {
                let expected = chain.expected_seq;
                if seq == expected {
                    if prev != chain.prev {
                        problems.push(problem(
                            "broken_link",
                            Some(writer),
                            Some(seq),
                            format!("`prev` does not match the MAC of seq {}: a record was replaced or inserted", seq.saturating_sub(1)),
                        ));
                    }
                } else if seq + 1 == expected && mac == chain.prev {
                    problems.push(problem(
                        "duplicate",
                        Some(writer),
                        Some(seq),
                        format!("seq {seq} appears twice"),
                    ));
                    continue;
                } else if seq < expected {
                    problems.push(problem(
                        "out_of_order",
                        Some(writer),
                        Some(seq),
                        format!("seq {seq} comes after seq {}", expected - 1),
                    ));
                } else {
                    problems.push(problem(
                        "missing_records",
                        Some(writer),
                        Some(seq),
                        format!("records {expected} to {} are missing", seq - 1),
                    ));
                }
            }
        }
        let chain = chains.get_mut(writer).expect("inserted above");
        chain.expected_seq = seq + 1;
        chain.prev = mac.to_string();
        chain.summary.last_seq = seq;
        chain.summary.closed = closes;
        chain.last_source = line.source.clone();
        chain.last_line = line.number;
        if is_checkpoint {
            chain.summary.checkpoints += 1;
            chain.summary.unsealed = 0;
            checkpoints += 1;
        } else {
            chain.summary.records += 1;
            chain.summary.unsealed += 1;
            records += 1;
        }
    }
    for chain in chains.values() {
        if !chain.summary.closed {
            let s = &chain.summary;
            problems.push(Problem {
                kind: "open_chain",
                tamper: false,
                source: chain.last_source.clone(),
                line: chain.last_line,
                writer: Some(s.writer.clone()),
                seq: Some(s.last_seq),
                message: if torn {
                    format!(
                        "the chain ends at seq {} without a closing checkpoint after a write cut short: \
                         the writer crashed; {} records after the last checkpoint are unsealed",
                        s.last_seq, s.unsealed
                    )
                } else {
                    format!(
                        "the chain ends at seq {} without a closing checkpoint: the writer is still \
                         running or crashed, or the tail was cut; {} records after the last checkpoint are unsealed",
                        s.last_seq, s.unsealed
                    )
                },
            });
        }
    }
    let status = if problems.iter().any(|p| p.tamper) {
        "tampered"
    } else if problems.is_empty() {
        "intact"
    } else {
        "incomplete"
    };
    VerifyReport {
        status,
        records,
        checkpoints,
        signatures_checked: public_key.is_some(),
        writers: chains.into_values().map(|c| c.summary).collect(),
        problems,
    }
}

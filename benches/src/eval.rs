//! Scores a scanner against the labelled corpus.
//!
//! Matching rule: a label is found (true positive) when some finding whose category is accepted
//! for the label's category overlaps the label by at least half of the label's length. A finding
//! is correct when it found a label that way; a finding lying wholly inside a found label (a
//! redundant sub-match) is neutral, and so is a finding of the label's category lying wholly inside
//! a label it does not cover by half (a partial detection: the label still counts as missed);
//! every other finding is a false positive. Precision counts
//! findings, recall counts labels. Findings on benign documents are all false positives and are
//! reported per 100 KB of benign text. Labels of a category no detector reports are listed as
//! uncovered and left out of the micro and macro totals (their recall is 0 by construction).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use routeguard::dlp::Scanner;
use serde::Serialize;

use crate::corpus::{Corpus, Doc, Label};

/// Label categories and the scanner categories accepted for them, for names the catalogue spells
/// differently from the corpus. The label's own name is always accepted.
pub const ALIASES: &[(&str, &[&str])] = &[
    ("PERSON", &["PERSON_NAME"]),
    ("LOCATION", &["CITY", "GPE"]),
    ("STREET_ADDRESS", &["ADDRESS", "POSTAL_ADDRESS"]),
    ("IP_ADDRESS", &["IPV4_ADDRESS", "IPV6_ADDRESS"]),
];

/// (container, part): a finding of the part's category lying wholly inside a label of the
/// container's category is neutral even when the container is not found (a postcode inside a
/// street address is a correct, partial detection).
pub const PARTS: &[(&str, &str)] = &[
    ("STREET_ADDRESS", "LOCATION"),
    ("STREET_ADDRESS", "UK_POSTCODE"),
    ("STREET_ADDRESS", "PERSON"),
    ("STREET_ADDRESS", "POSTAL_CODE"),
    ("STREET_ADDRESS", "ZIP_CODE"),
    ("CONNECTION_STRING", "PASSWORD"),
    ("CONNECTION_STRING", "URL"),
    ("CONNECTION_STRING", "BASIC_AUTH_URL"),
    ("URL", "PERSON"),
    ("EMAIL_ADDRESS", "PERSON"),
];

/// Credentials whose exact category (API key, access token, cloud credential...) is immaterial:
/// all are blocked, so a token reported under a sibling category still counts as found.
pub const TOKEN_FAMILY: &[&str] = &[
    "API_KEY",
    "ACCESS_TOKEN",
    "CLOUD_CREDENTIAL",
    "WEBHOOK_URL",
    "OAUTH_CLIENT_SECRET",
    "GENERIC_SECRET",
];

/// Categories accepted for a label category.
pub fn accepted(label: &str) -> Vec<&str> {
    if TOKEN_FAMILY.contains(&label) {
        let mut v = vec![label];
        v.extend(TOKEN_FAMILY.iter().filter(|c| **c != label));
        return v;
    }
    let mut v = vec![label];
    if let Some((_, more)) = ALIASES.iter().find(|(l, _)| *l == label) {
        v.extend_from_slice(more);
    }
    v
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct Stats {
    pub labels: usize,
    pub found: usize,
    pub predictions: usize,
    pub correct: usize,
    pub false_positives: usize,
    pub benign_false_positives: usize,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub secret: bool,
    pub covered: bool,
}

impl Stats {
    fn finish(&mut self) {
        self.precision = ratio(self.correct, self.correct + self.false_positives);
        self.recall = ratio(self.found, self.labels);
        self.f1 = f1(self.precision, self.recall);
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        1.0
    } else {
        a as f64 / b as f64
    }
}

fn f1(p: f64, r: f64) -> f64 {
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Example {
    pub doc: String,
    pub locale: String,
    pub category: String,
    /// The detector that fired (false positives) or the nearest finding (misses), if any.
    pub detector: Option<String>,
    /// The value with digits as 9, upper-case letters as A, lower-case as a.
    pub shape: String,
    /// Up to 32 bytes of text before the value, as written.
    pub before: String,
    pub note: String,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct Totals {
    pub labels: usize,
    pub found: usize,
    pub correct: usize,
    pub false_positives: usize,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

#[derive(Clone, Debug, Serialize)]
pub struct Report {
    pub seed: u64,
    pub prompts: usize,
    pub prompt_bytes: usize,
    pub benign_docs: usize,
    pub benign_bytes: usize,
    pub categories: BTreeMap<String, Stats>,
    pub micro: Totals,
    pub macro_f1: f64,
    pub macro_precision: f64,
    pub macro_recall: f64,
    pub secret_labels: usize,
    pub secret_found: usize,
    pub secret_recall: f64,
    pub benign_false_positives: usize,
    pub false_positives_per_100kb: f64,
    /// Label categories no detector reports (left out of the totals).
    pub uncovered: Vec<String>,
    /// Recall per locale over covered categories.
    pub locale_recall: BTreeMap<String, (usize, usize)>,
    /// False positives per detector id, prompts and benign text together.
    pub detector_false_positives: BTreeMap<String, usize>,
    pub missed: Vec<Example>,
    pub false_positive_examples: Vec<Example>,
    /// Documents on which the scanner panicked (scored as if it found nothing).
    pub panicked: Vec<String>,
}

pub fn shape(s: &str) -> String {
    let mut out: String = s
        .chars()
        .take(48)
        .map(|c| {
            if c.is_ascii_digit() {
                '9'
            } else if c.is_uppercase() {
                'A'
            } else if c.is_lowercase() {
                'a'
            } else if c.is_alphabetic() {
                'x'
            } else if c == '\n' {
                '⏎'
            } else {
                c
            }
        })
        .collect();
    if s.chars().count() > 48 {
        out.push('…');
    }
    out
}

fn before(text: &str, start: usize) -> String {
    let mut lo = start.saturating_sub(32);
    while !text.is_char_boundary(lo) {
        lo += 1;
    }
    text[lo..start].replace('\n', "⏎")
}

struct Pred {
    start: usize,
    end: usize,
    category: String,
    detector: String,
}

/// Maps a scanner category to the label category it is scored under.
fn canonical(pred: &str, label_categories: &BTreeSet<&'static str>) -> String {
    if label_categories.contains(pred) {
        return pred.to_string();
    }
    for l in label_categories {
        if accepted(l).contains(&pred) {
            return l.to_string();
        }
    }
    pred.to_string()
}

pub fn evaluate(
    scanner: &Scanner,
    corpus: &Corpus,
    seed: u64,
    examples_per_category: usize,
) -> Report {
    let scanner_categories: BTreeSet<String> = scanner
        .detectors()
        .map(|d| d.category.to_string())
        .collect();
    let label_categories: BTreeSet<&'static str> = corpus
        .prompts
        .iter()
        .flat_map(|d| d.labels.iter().map(|l| l.category))
        .collect();
    let covered = |l: &str| accepted(l).iter().any(|c| scanner_categories.contains(*c));

    let mut cats: BTreeMap<String, Stats> = BTreeMap::new();
    let mut missed: Vec<Example> = Vec::new();
    let mut fps: Vec<Example> = Vec::new();
    let mut per_cat_examples: BTreeMap<(String, u8), usize> = BTreeMap::new();
    let mut locale_recall: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut detector_fp: BTreeMap<String, usize> = BTreeMap::new();
    let mut keep = |key: (String, u8)| {
        let n = per_cat_examples.entry(key).or_insert(0);
        *n += 1;
        *n <= examples_per_category
    };

    // A scanner panic is a finding of its own: count it, keep evaluating the rest.
    let mut panicked: Vec<String> = Vec::new();
    let mut scan = |d: &Doc| -> Vec<Pred> {
        let found =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| scanner.scan(&d.text)));
        match found {
            Ok(found) => found
                .into_iter()
                .map(|f| Pred {
                    start: f.start,
                    end: f.end,
                    category: f.category.to_string(),
                    detector: f.detector.to_string(),
                })
                .collect(),
            Err(_) => {
                panicked.push(d.id.clone());
                Vec::new()
            }
        }
    };
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));

    for doc in &corpus.prompts {
        let preds = scan(doc);
        let mut pred_ok = vec![false; preds.len()];
        let mut label_found = vec![false; doc.labels.len()];
        for (li, l) in doc.labels.iter().enumerate() {
            let acc = accepted(l.category);
            let need = (l.end - l.start).div_ceil(2);
            for (pi, p) in preds.iter().enumerate() {
                let overlap = p.end.min(l.end).saturating_sub(p.start.max(l.start));
                if overlap >= need && acc.contains(&p.category.as_str()) {
                    label_found[li] = true;
                    pred_ok[pi] = true;
                }
            }
        }
        for (li, l) in doc.labels.iter().enumerate() {
            let st = cats.entry(l.category.to_string()).or_default();
            st.labels += 1;
            st.secret = l.kind == "secret";
            if label_found[li] {
                st.found += 1;
            }
            if covered(l.category) {
                let e = locale_recall.entry(doc.locale.to_string()).or_default();
                e.1 += 1;
                if label_found[li] {
                    e.0 += 1;
                }
            }
            if !label_found[li] && covered(l.category) && keep((l.category.to_string(), 0)) {
                let nearest = preds.iter().find(|p| p.start < l.end && p.end > l.start);
                missed.push(Example {
                    doc: doc.id.clone(),
                    locale: doc.locale.to_string(),
                    category: l.category.to_string(),
                    detector: nearest.map(|p| p.detector.clone()),
                    shape: shape(&doc.text[l.start..l.end]),
                    before: before(&doc.text, l.start),
                    note: match nearest {
                        Some(p) => format!(
                            "overlapped by {} finding {:?}",
                            p.category,
                            shape(&doc.text[p.start..p.end])
                        ),
                        None => "no finding".into(),
                    },
                });
            }
        }
        for (pi, p) in preds.iter().enumerate() {
            let inside_found = doc.labels.iter().zip(&label_found).any(|(l, &found)| {
                let part = PARTS
                    .iter()
                    .any(|&(c, x)| c == l.category && x == p.category);
                (found || part) && p.start >= l.start && p.end <= l.end
            });
            // A same-category finding wholly inside a label is a correct but partial detection:
            // the label is still missed (recall), the finding is not a false positive.
            let partial = doc.labels.iter().any(|l| {
                p.start >= l.start
                    && p.end <= l.end
                    && accepted(l.category).contains(&p.category.as_str())
            });
            if !pred_ok[pi] && (inside_found || partial) {
                continue;
            }
            let key = canonical(&p.category, &label_categories);
            let st = cats.entry(key.clone()).or_default();
            st.predictions += 1;
            if pred_ok[pi] {
                st.correct += 1;
            } else {
                st.false_positives += 1;
                *detector_fp.entry(p.detector.clone()).or_default() += 1;
                if keep((key.clone(), 1)) {
                    let over: Option<&Label> = doc
                        .labels
                        .iter()
                        .find(|l| l.start < p.end && l.end > p.start);
                    fps.push(Example {
                        doc: doc.id.clone(),
                        locale: doc.locale.to_string(),
                        category: key,
                        detector: Some(p.detector.clone()),
                        shape: shape(&doc.text[p.start..p.end]),
                        before: before(&doc.text, p.start),
                        note: match over {
                            Some(l) => format!(
                                "overlaps a {} label {:?}",
                                l.category,
                                shape(&doc.text[l.start..l.end])
                            ),
                            None => "no label there".into(),
                        },
                    });
                }
            }
        }
    }

    let mut benign_fp = 0;
    for doc in &corpus.benign {
        for p in scan(doc) {
            benign_fp += 1;
            let key = canonical(&p.category, &label_categories);
            cats.entry(key.clone()).or_default().benign_false_positives += 1;
            *detector_fp.entry(p.detector.clone()).or_default() += 1;
            if keep((key.clone(), 2)) {
                fps.push(Example {
                    doc: doc.id.clone(),
                    locale: "benign".into(),
                    category: key,
                    detector: Some(p.detector.clone()),
                    shape: shape(&doc.text[p.start..p.end]),
                    before: before(&doc.text, p.start),
                    note: format!("benign {}", doc.scenario),
                });
            }
        }
    }

    std::panic::set_hook(hook);

    let mut micro = Totals::default();
    let (mut mp, mut mr, mut mf, mut mn) = (0.0, 0.0, 0.0, 0usize);
    let (mut sl, mut sf) = (0, 0);
    let mut uncovered = Vec::new();
    for (name, st) in cats.iter_mut() {
        st.covered = st.labels == 0 || covered(name);
        st.finish();
        if st.labels > 0 && !st.covered {
            uncovered.push(name.clone());
            continue;
        }
        micro.labels += st.labels;
        micro.found += st.found;
        micro.correct += st.correct;
        micro.false_positives += st.false_positives;
        if st.labels > 0 {
            mp += st.precision;
            mr += st.recall;
            mf += st.f1;
            mn += 1;
        }
        if st.secret {
            sl += st.labels;
            sf += st.found;
        }
    }
    micro.precision = ratio(micro.correct, micro.correct + micro.false_positives);
    micro.recall = ratio(micro.found, micro.labels);
    micro.f1 = f1(micro.precision, micro.recall);
    let benign_bytes: usize = corpus.benign.iter().map(|d| d.text.len()).sum();
    let n = mn.max(1) as f64;
    Report {
        seed,
        prompts: corpus.prompts.len(),
        prompt_bytes: corpus.prompts.iter().map(|d| d.text.len()).sum(),
        benign_docs: corpus.benign.len(),
        benign_bytes,
        categories: cats,
        micro,
        macro_f1: mf / n,
        macro_precision: mp / n,
        macro_recall: mr / n,
        secret_labels: sl,
        secret_found: sf,
        secret_recall: ratio(sf, sl),
        benign_false_positives: benign_fp,
        false_positives_per_100kb: if benign_bytes == 0 {
            0.0
        } else {
            benign_fp as f64 * 102_400.0 / benign_bytes as f64
        },
        uncovered,
        locale_recall,
        detector_false_positives: detector_fp,
        missed,
        false_positive_examples: fps,
        panicked,
    }
}

/// The report as a plain aligned table.
pub fn render(r: &Report) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "corpus: seed {}, {} prompts ({:.1} KB), {} benign documents ({:.1} KB)\n",
        r.seed,
        r.prompts,
        r.prompt_bytes as f64 / 1024.0,
        r.benign_docs,
        r.benign_bytes as f64 / 1024.0
    );
    let _ = writeln!(
        s,
        "{:<28} {:>6} {:>6} {:>6} {:>6} {:>7} {:>7} {:>7} {:>7}",
        "category", "labels", "found", "FP", "benFP", "prec", "recall", "F1", "kind"
    );
    let _ = writeln!(s, "{}", "-".repeat(90));
    for (name, st) in &r.categories {
        let kind = if !st.covered {
            "NO DET"
        } else if st.secret {
            "secret"
        } else if st.labels == 0 {
            "unlab."
        } else {
            "pii"
        };
        let _ = writeln!(
            s,
            "{:<28} {:>6} {:>6} {:>6} {:>6} {:>7} {:>7} {:>7} {:>7}",
            name,
            st.labels,
            st.found,
            st.false_positives,
            st.benign_false_positives,
            if st.predictions == 0 {
                "-".to_string()
            } else {
                format!("{:.3}", st.precision)
            },
            if st.labels == 0 {
                "-".to_string()
            } else {
                format!("{:.3}", st.recall)
            },
            if st.labels == 0 {
                "-".to_string()
            } else {
                format!("{:.3}", st.f1)
            },
            kind
        );
    }
    let _ = writeln!(s, "{}", "-".repeat(90));
    let m = &r.micro;
    let _ = writeln!(
        s,
        "{:<28} {:>6} {:>6} {:>6} {:>6} {:>7.3} {:>7.3} {:>7.3}",
        "micro (covered)",
        m.labels,
        m.found,
        m.false_positives,
        r.benign_false_positives,
        m.precision,
        m.recall,
        m.f1
    );
    let _ = writeln!(
        s,
        "{:<28} {:>6} {:>6} {:>6} {:>6} {:>7.3} {:>7.3} {:>7.3}",
        "macro (covered)", "", "", "", "", r.macro_precision, r.macro_recall, r.macro_f1
    );
    let _ = writeln!(s);
    let _ = writeln!(
        s,
        "secret recall:               {:.4} ({}/{})",
        r.secret_recall, r.secret_found, r.secret_labels
    );
    let _ = writeln!(
        s,
        "benign false positives:      {} in {:.1} KB = {:.2} per 100 KB",
        r.benign_false_positives,
        r.benign_bytes as f64 / 1024.0,
        r.false_positives_per_100kb
    );
    if !r.panicked.is_empty() {
        let _ = writeln!(
            s,
            "SCANNER PANICKED on {} documents (scored as finding nothing), e.g. {}",
            r.panicked.len(),
            r.panicked
                .iter()
                .take(8)
                .cloned()
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    if !r.uncovered.is_empty() {
        let _ = writeln!(
            s,
            "categories with no detector:  {}",
            r.uncovered.join(", ")
        );
    }
    let _ = writeln!(s, "\nrecall by locale:");
    let mut line = String::new();
    for (i, (loc, (f, n))) in r.locale_recall.iter().enumerate() {
        let _ = write!(line, "  {:<6} {:.3}", loc, ratio(*f, *n));
        if i % 6 == 5 {
            let _ = writeln!(s, "{line}");
            line.clear();
        }
    }
    if !line.is_empty() {
        let _ = writeln!(s, "{line}");
    }
    if !r.detector_false_positives.is_empty() {
        let mut v: Vec<_> = r.detector_false_positives.iter().collect();
        v.sort_by(|a, b| b.1.cmp(a.1));
        let _ = writeln!(s, "\nfalse positives by detector (prompts + benign):");
        for (d, n) in v.iter().take(15) {
            let _ = writeln!(s, "  {:<32} {}", d, n);
        }
    }
    s
}

/// Misses and false positives, one line each.
pub fn render_examples(r: &Report) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "missed (category | doc | locale | before | shape | note):"
    );
    for e in &r.missed {
        let _ = writeln!(
            s,
            "  {:<24} {:<6} {:<6} {:>34} | {} | {}",
            e.category, e.doc, e.locale, e.before, e.shape, e.note
        );
    }
    let _ = writeln!(
        s,
        "\nfalse positives (category | doc | detector | before | shape | note):"
    );
    for e in &r.false_positive_examples {
        let _ = writeln!(
            s,
            "  {:<24} {:<6} {:<24} {:>34} | {} | {}",
            e.category,
            e.doc,
            e.detector.as_deref().unwrap_or("-"),
            e.before,
            e.shape,
            e.note
        );
    }
    s
}

/// One document with its labels and the scanner's findings, for debugging a miss.
pub fn explain(scanner: &Scanner, d: &Doc) -> String {
    let mut s = format!(
        "===== {} ({}, {})\n{}\n",
        d.id, d.locale, d.scenario, d.text
    );
    for l in &d.labels {
        let _ = writeln!(
            s,
            "  label   {:<24} {:?}",
            l.category,
            &d.text[l.start..l.end]
        );
    }
    for f in scanner.scan(&d.text) {
        let _ = writeln!(
            s,
            "  finding {:<24} {:?} ({}, {:.2})",
            f.category,
            &d.text[f.start..f.end],
            f.detector,
            f.confidence
        );
    }
    s
}

/// The corpus as JSON lines: id, text, labels (byte offsets and character offsets).
pub fn to_jsonl(docs: impl Iterator<Item = Doc>) -> String {
    let mut out = String::new();
    for d in docs {
        let labels: Vec<serde_json::Value> = d
            .labels
            .iter()
            .map(|l| {
                serde_json::json!({
                    "start": l.start,
                    "end": l.end,
                    "char_start": d.text[..l.start].chars().count(),
                    "char_end": d.text[..l.end].chars().count(),
                    "category": l.category,
                    "kind": l.kind,
                })
            })
            .collect();
        let v = serde_json::json!({
            "id": d.id,
            "locale": d.locale,
            "scenario": d.scenario,
            "benign": d.benign,
            "text": d.text,
            "labels": labels,
        });
        out.push_str(&v.to_string());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shape_hides_the_value() {
        assert_eq!(shape("DE89 3704"), "AA99 9999");
        assert_eq!(shape("Jürgen"), "Aaaaaa");
    }

    #[test]
    fn aliases_always_accept_the_label_itself() {
        assert!(accepted("PERSON").contains(&"PERSON"));
        assert!(accepted("NOT_A_CATEGORY") == vec!["NOT_A_CATEGORY"]);
    }
}

//! Spend reports: records grouped by any of provider, model, user, workspace, group, tag and
//! period, with a run-rate forecast to the end of the window and provider concentration (shares
//! and HHI); CSV and JSON export. Pure: the records and the time come in.

use std::collections::BTreeMap;

use serde::Serialize;

use super::ledger::{usd, SpendRecord};
use super::window::{period, window_name, Period};
use crate::error::{Error, ErrorCode, Result};
use crate::policy::Window;

/// A dimension spend is grouped by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    Provider,
    Model,
    User,
    Workspace,
    /// Each of the record's groups (a record in two groups counts in both).
    Group,
    /// Each of the record's tags as `key=value`.
    Tag,
    /// The period of the report's window the record falls in (`2026-11`).
    Period,
}

impl Dimension {
    pub const ALL: [Dimension; 7] = [
        Dimension::Provider,
        Dimension::Model,
        Dimension::User,
        Dimension::Workspace,
        Dimension::Group,
        Dimension::Tag,
        Dimension::Period,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Dimension::Provider => "provider",
            Dimension::Model => "model",
            Dimension::User => "user",
            Dimension::Workspace => "workspace",
            Dimension::Group => "group",
            Dimension::Tag => "tag",
            Dimension::Period => "period",
        }
    }

    /// Reads a comma-separated list (`provider,model`); `window` is taken for `period`.
    pub fn parse_list(list: &str) -> Result<Vec<Dimension>> {
        let mut out = Vec::new();
        for name in list.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            let name = if name == "window" { "period" } else { name };
            let dim = Dimension::ALL
                .into_iter()
                .find(|d| d.name() == name)
                .ok_or_else(|| {
                    Error::new(
                        ErrorCode::InvalidArgument,
                        format!(
                            "`{name}` is not a report dimension (provider, model, user, workspace, group, tag, period)"
                        ),
                    )
                })?;
            if !out.contains(&dim) {
                out.push(dim);
            }
        }
        Ok(out)
    }
}

/// What to report on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportQuery {
    pub by: Vec<Dimension>,
    /// Restricts the report to the window's current period and forecasts to its end; `total`
    /// (the default) covers every record.
    pub window: Window,
    pub now_ms: i64,
}

/// One group's sums.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ReportRow {
    /// The group's value per dimension, in the query's order.
    pub key: Vec<String>,
    pub requests: u64,
    pub estimate_micros: u64,
    pub reserved_micros: u64,
    pub charged_micros: u64,
    /// Requests settled at their reservation because the actual cost was not known.
    pub unreconciled: u64,
    pub prompt_tokens: u64,
    pub completion_tokens: u64,
    /// Share of the report's charged total, in basis points (1/100 of a percent).
    pub share_bp: u64,
    /// Run-rate projection of `charged_micros` to the end of the period (`None` for `total`).
    pub forecast_micros: Option<u64>,
}

/// A provider's share of spend.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ProviderShare {
    pub provider: String,
    pub charged_micros: u64,
    pub share_bp: u64,
}

/// The whole report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Report {
    pub by: Vec<&'static str>,
    pub window: &'static str,
    /// The period covered (`2026-11`, or `total`).
    pub period: String,
    pub rows: Vec<ReportRow>,
    pub total: ReportRow,
    /// Providers by share of charged spend, largest first.
    pub providers: Vec<ProviderShare>,
    /// Herfindahl-Hirschman index of provider shares in percent squared: 10,000 is one provider.
    pub hhi: u64,
}

/// Groups `records` as the query asks. Rows are sorted by charged spend, largest first, then key.
pub fn build(records: &[SpendRecord], query: &ReportQuery) -> Report {
    let current = period(query.window, query.now_ms);
    let in_period: Vec<&SpendRecord> = records
        .iter()
        .filter(|r| query.window == Window::Total || in_period(r.at_ms, &current))
        .collect();
    let mut groups: BTreeMap<Vec<String>, ReportRow> = BTreeMap::new();
    let mut total = empty_row(Vec::new());
    let mut providers: BTreeMap<String, u64> = BTreeMap::new();
    for r in &in_period {
        add(&mut total, r);
        *providers.entry(r.provider.clone()).or_insert(0) += r.charged_micros;
        for key in keys(r, &query.by, query.window) {
            add(
                groups.entry(key.clone()).or_insert_with(|| empty_row(key)),
                r,
            );
        }
    }
    let fraction = elapsed_fraction(&current, query.now_ms);
    let all = total.charged_micros;
    let finish = |row: &mut ReportRow| {
        row.share_bp = basis_points(row.charged_micros, all);
        row.forecast_micros = fraction.map(|(elapsed, length)| {
            u64::try_from(row.charged_micros as u128 * length as u128 / elapsed.max(1) as u128)
                .unwrap_or(u64::MAX)
        });
    };
    let mut rows: Vec<ReportRow> = groups.into_values().collect();
    for row in &mut rows {
        finish(row);
    }
    rows.sort_by(|a, b| {
        b.charged_micros
            .cmp(&a.charged_micros)
            .then(a.key.cmp(&b.key))
    });
    finish(&mut total);
    let mut shares: Vec<ProviderShare> = providers
        .into_iter()
        .map(|(provider, charged_micros)| ProviderShare {
            share_bp: basis_points(charged_micros, total.charged_micros),
            provider,
            charged_micros,
        })
        .collect();
    shares.sort_by(|a, b| {
        b.charged_micros
            .cmp(&a.charged_micros)
            .then(a.provider.cmp(&b.provider))
    });
    let hhi = hhi(&shares, total.charged_micros);
    Report {
        by: query.by.iter().map(|d| d.name()).collect(),
        window: window_name(query.window),
        period: current.key,
        rows,
        total,
        providers: shares,
        hhi,
    }
}

fn in_period(at_ms: i64, p: &Period) -> bool {
    at_ms >= p.start_ms && p.end_ms.is_none_or(|end| at_ms < end)
}

/// (elapsed, length) of the period in ms, for the run rate; `None` for `total`.
fn elapsed_fraction(p: &Period, now_ms: i64) -> Option<(i64, i64)> {
    let end = p.end_ms?;
    Some((now_ms.clamp(p.start_ms, end) - p.start_ms, end - p.start_ms))
}

fn keys(r: &SpendRecord, by: &[Dimension], window: Window) -> Vec<Vec<String>> {
    let mut out: Vec<Vec<String>> = vec![Vec::new()];
    for dim in by {
        let values: Vec<String> = match dim {
            Dimension::Provider => vec![r.provider.clone()],
            Dimension::Model => vec![r.model.clone()],
            Dimension::User => vec![r.user.clone()],
            Dimension::Workspace => vec![r.workspace.clone()],
            Dimension::Group if r.groups.is_empty() => vec!["(none)".to_string()],
            Dimension::Group => r.groups.clone(),
            Dimension::Tag if r.tags.is_empty() => vec!["(none)".to_string()],
            Dimension::Tag => r.tags.iter().map(|(k, v)| format!("{k}={v}")).collect(),
            Dimension::Period => vec![
                period(
                    if window == Window::Total {
                        Window::Monthly
                    } else {
                        window
                    },
                    r.at_ms,
                )
                .key,
            ],
        };
        out = out
            .into_iter()
            .flat_map(|prefix| {
                values.iter().map(move |v| {
                    let mut k = prefix.clone();
                    k.push(v.clone());
                    k
                })
            })
            .collect();
    }
    out
}

fn empty_row(key: Vec<String>) -> ReportRow {
    ReportRow {
        key,
        requests: 0,
        estimate_micros: 0,
        reserved_micros: 0,
        charged_micros: 0,
        unreconciled: 0,
        prompt_tokens: 0,
        completion_tokens: 0,
        share_bp: 0,
        forecast_micros: None,
    }
}

fn add(row: &mut ReportRow, r: &SpendRecord) {
    row.requests += 1;
    row.estimate_micros = row.estimate_micros.saturating_add(r.estimate_micros);
    row.reserved_micros = row.reserved_micros.saturating_add(r.reserved_micros);
    row.charged_micros = row.charged_micros.saturating_add(r.charged_micros);
    row.unreconciled += u64::from(!r.actual_known);
    row.prompt_tokens = row.prompt_tokens.saturating_add(r.prompt_tokens);
    row.completion_tokens = row.completion_tokens.saturating_add(r.completion_tokens);
}

fn basis_points(part: u64, whole: u64) -> u64 {
    if whole == 0 {
        return 0;
    }
    ((part as u128 * 10_000 + whole as u128 / 2) / whole as u128) as u64
}

/// Sum of squared percentage shares, computed exactly from the amounts and rounded.
fn hhi(shares: &[ProviderShare], total: u64) -> u64 {
    if total == 0 {
        return 0;
    }
    let t = total as u128;
    let sum: u128 = shares
        .iter()
        .map(|s| s.charged_micros as u128 * s.charged_micros as u128)
        .sum();
    ((sum * 10_000 + t * t / 2) / (t * t)) as u64
}

impl Report {
    /// One header line, then a line per row and a `total` line; money in dollars with six
    /// decimals so that a spreadsheet sums it exactly.
    pub fn to_csv(&self) -> String {
        let mut out = String::new();
        for d in &self.by {
            out.push_str(d);
            out.push(',');
        }
        out.push_str("requests,estimate_usd,reserved_usd,charged_usd,unreconciled,prompt_tokens,completion_tokens,share_pct,forecast_usd\n");
        let line = |out: &mut String, key: &[String], row: &ReportRow| {
            for k in key {
                out.push_str(&csv_field(k));
                out.push(',');
            }
            out.push_str(&format!(
                "{},{},{},{},{},{},{},{},{}\n",
                row.requests,
                dollars(row.estimate_micros),
                dollars(row.reserved_micros),
                dollars(row.charged_micros),
                row.unreconciled,
                row.prompt_tokens,
                row.completion_tokens,
                percent(row.share_bp),
                row.forecast_micros.map(dollars).unwrap_or_default()
            ));
        };
        for row in &self.rows {
            line(&mut out, &row.key, row);
        }
        let mut total_key = vec!["total".to_string()];
        total_key.resize(self.by.len(), String::new());
        line(&mut out, &total_key[..self.by.len()], &self.total);
        out
    }

    /// The report as JSON (amounts in micro-dollars).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a report serialises")
    }

    /// A table for terminals.
    pub fn to_table(&self) -> String {
        let mut header: Vec<String> = self.by.iter().map(|d| d.to_string()).collect();
        header.extend(
            [
                "requests", "charged", "reserved", "estimate", "share", "forecast",
            ]
            .iter()
            .map(|s| s.to_string()),
        );
        let mut lines = vec![header];
        let cells = |key: &[String], row: &ReportRow| {
            let mut cells: Vec<String> = key.to_vec();
            cells.extend([
                row.requests.to_string(),
                usd(row.charged_micros),
                usd(row.reserved_micros),
                usd(row.estimate_micros),
                format!("{}%", percent(row.share_bp)),
                row.forecast_micros
                    .map(usd)
                    .unwrap_or_else(|| "-".to_string()),
            ]);
            cells
        };
        for row in &self.rows {
            lines.push(cells(&row.key, row));
        }
        let mut total_key = vec![String::new(); self.by.len()];
        if let Some(first) = total_key.first_mut() {
            *first = "total".to_string();
        }
        lines.push(cells(&total_key, &self.total));
        let columns = lines[0].len();
        let widths: Vec<usize> = (0..columns)
            .map(|c| {
                lines
                    .iter()
                    .map(|l| l[c].chars().count())
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let mut out = format!("spend, {} window ({})\n", self.window, self.period);
        for (i, l) in lines.iter().enumerate() {
            let text: Vec<String> = l
                .iter()
                .enumerate()
                .map(|(c, cell)| {
                    if c < self.by.len() {
                        format!("{cell:<w$}", w = widths[c])
                    } else {
                        format!("{cell:>w$}", w = widths[c])
                    }
                })
                .collect();
            out.push_str(text.join("  ").trim_end());
            out.push('\n');
            if i == 0 || i + 2 == lines.len() {
                out.push_str(&"-".repeat(widths.iter().sum::<usize>() + 2 * (columns - 1)));
                out.push('\n');
            }
        }
        out.push_str("providers:");
        for s in &self.providers {
            out.push_str(&format!(" {} {}%", s.provider, percent(s.share_bp)));
        }
        out.push_str(&format!("; HHI {}\n", self.hhi));
        out
    }
}

fn dollars(micros: u64) -> String {
    format!("{}.{:06}", micros / 1_000_000, micros % 1_000_000)
}

fn percent(bp: u64) -> String {
    format!("{}.{:02}", bp / 100, bp % 100)
}

/// A CSV field quoted when it holds a comma, quote or line break; a leading `=`, `+`, `-` or
/// `@` is prefixed with `'` so a spreadsheet does not run it as a formula.
fn csv_field(value: &str) -> String {
    let value = if value.starts_with(['=', '+', '-', '@']) {
        format!("'{value}")
    } else {
        value.to_string()
    };
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(provider: &str, charged: u64) -> SpendRecord {
        SpendRecord {
            id: provider.to_string(),
            at_ms: 0,
            user: "a,b".to_string(),
            workspace: "eu".to_string(),
            groups: vec![],
            tags: BTreeMap::new(),
            provider: provider.to_string(),
            model: "m".to_string(),
            outcome: crate::budget::Outcome::Completed,
            estimate_micros: charged,
            reserved_micros: charged,
            charged_micros: charged,
            actual_known: true,
            prompt_tokens: 0,
            completion_tokens: 0,
        }
    }

    #[test]
    fn hhi_is_ten_thousand_for_one_provider_and_falls_with_spread() {
        let q = ReportQuery {
            by: vec![Dimension::Provider],
            window: Window::Total,
            now_ms: 0,
        };
        assert_eq!(build(&[rec("a", 5)], &q).hhi, 10_000);
        let four: Vec<_> = ["a", "b", "c", "d"].iter().map(|p| rec(p, 25)).collect();
        assert_eq!(build(&four, &q).hhi, 2500);
        assert_eq!(build(&[], &q).hhi, 0);
    }

    #[test]
    fn csv_quotes_and_defuses_fields() {
        let q = ReportQuery {
            by: vec![Dimension::User],
            window: Window::Total,
            now_ms: 0,
        };
        let mut r = rec("a", 1_500_000);
        let csv = build(std::slice::from_ref(&r), &q).to_csv();
        assert!(
            csv.contains("\n\"a,b\",1,1.500000,1.500000,1.500000,0,0,0,100.00,\n"),
            "{csv}"
        );
        r.user = "@SUM(A1)".to_string();
        let csv = build(&[r], &q).to_csv();
        assert!(csv.contains("\n'@SUM(A1),1,"), "{csv}");
    }
}

//! `routeguard spend report`: spend from a ledger grouped, forecast and exported.

use std::process::ExitCode;

use routeguard::host::{now_ms, HostLedger};
use routeguard::Error;

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum ReportFormat {
    Table,
    Csv,
    Json,
}

pub fn report(
    ledger: &str,
    by: &str,
    window: &str,
    format: ReportFormat,
) -> Result<ExitCode, Error> {
    let ledger = HostLedger::open(ledger)?;
    let report = ledger.report(by, window, Some(now_ms()))?;
    print!(
        "{}",
        match format {
            ReportFormat::Table => report.to_table(),
            ReportFormat::Csv => report.to_csv(),
            ReportFormat::Json => report.to_json() + "\n",
        }
    );
    Ok(ExitCode::SUCCESS)
}

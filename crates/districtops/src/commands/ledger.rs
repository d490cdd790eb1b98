//! `districtops import projects FILE` and `districtops export projects --to FILE [--as-of D]`: the
//! operator at the server's console imports and exports the key-project ledger as `system`
//! (district-wide scope, audited as `system`).
//!
//! Exit codes of the import: 0 when no row was rejected; 1 when rows were rejected (with
//! `--dry-run` nothing is written; without it the accepted rows are applied in one
//! transaction and the rejected ones listed); 2 when the file is refused as a whole (not an
//! xlsx, too large, no header) or applying failed, in which case nothing was written.
//!
//! Progress is drawn on stderr (`indicatif`): a spinner while the file is read and checked,
//! then a bar of the rows written out of the rows accepted. It is hidden when stderr is not a
//! terminal, so scripts and logs see only the report.

use crate::cli::OutputFormat;
use crate::config::Config;
use anyhow::{Context, Result};
use chrono::NaiveDate;
use districtops_service::excel::projects_import::CellIssue;
use districtops_service::projects::ProjectQuery;
use districtops_service::projects::import::{ImportProgress, ImportReport};
use districtops_service::{Ctx, ServiceError, SystemClock};
use districtops_web::i18n::{Lang, Tr};
use indicatif::{ProgressBar, ProgressStyle};
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

/// Exit code of a file refused outright or an import that wrote nothing.
const REFUSED: u8 = 2;

pub async fn import(
    config: &Config,
    file: &Path,
    dry_run: bool,
    format: OutputFormat,
) -> Result<ExitCode> {
    let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    let services = crate::app::services(config, Arc::new(SystemClock)).await?;
    let ctx = Ctx::system();
    let bar = spinner(if dry_run {
        "正在校验 / checking…"
    } else {
        "正在读取 / reading…"
    });
    let result = if dry_run {
        services.preview_import(&ctx, &bytes).await
    } else {
        let progress = |step: ImportProgress| show_progress(&bar, step);
        services.apply_import_with(&ctx, &bytes, &progress).await
    };
    bar.finish_and_clear();
    services.store.close().await;
    let tr = Lang::ZhCn.tr();
    let report = match result {
        Ok(report) => report,
        Err(ServiceError::Invalid(fields)) => {
            for f in fields.0 {
                eprintln!("{}", tr.t(f.message));
            }
            return Ok(ExitCode::from(REFUSED));
        }
        Err(ServiceError::Conflict(key)) => {
            eprintln!("{}（未写入任何数据 / nothing was written）", tr.t(key));
            return Ok(ExitCode::from(REFUSED));
        }
        Err(other) => return Err(other.into()),
    };
    match format {
        OutputFormat::Json => print_json(&report, dry_run)?,
        OutputFormat::Text => print_text(&report, dry_run, tr),
    }
    Ok(if report.counts().rejected > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// A spinner on stderr, drawn only when stderr is a terminal.
fn spinner(message: &'static str) -> ProgressBar {
    // `new_spinner` draws on stderr, which indicatif hides when it is not a terminal.
    let bar = ProgressBar::new_spinner();
    bar.set_message(message);
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}

/// Moves the import's bar on: the rows read so far, and a bar of the rows written out of
/// those found to write so far (the file is written while it is read).
fn show_progress(bar: &ProgressBar, step: ImportProgress) {
    match step {
        ImportProgress::Read { rows } => {
            bar.set_message(format!(
                "已读取 {rows} 行，正在写入 / {rows} rows read, writing"
            ));
        }
        ImportProgress::Written { written, total } => {
            if bar.length().is_none() {
                let style = ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} 行 / rows")
                    .unwrap_or_else(|_| ProgressStyle::default_bar())
                    .progress_chars("=> ");
                bar.set_style(style);
            }
            bar.set_length(total as u64);
            bar.set_position(written as u64);
        }
    }
}

fn print_json(report: &ImportReport, dry_run: bool) -> Result<()> {
    let value = serde_json::json!({
        "dry_run": dry_run,
        "counts": report.counts(),
        "sheet": report.sheet,
        "unknown_columns": report.unknown_columns,
        "rows": report.rows,
    });
    println!("{}", serde_json::to_string_pretty(&value)?);
    Ok(())
}

fn print_text(report: &ImportReport, dry_run: bool, tr: Tr) {
    let c = report.counts();
    let mode = if dry_run {
        "预览（未写入） / dry run"
    } else {
        "已导入 / imported"
    };
    println!(
        "{mode}：新建 {} 个，更新 {} 个，未变 {} 个，拒绝 {} 行 / created {}, updated {}, unchanged {}, rejected {}",
        c.created,
        c.updated,
        c.unchanged,
        c.rejected,
        c.created,
        c.updated,
        c.unchanged,
        c.rejected
    );
    for (row, issues) in report.rejected() {
        for issue in issues {
            println!("第 {row} 行 {}", issue_text(tr, issue));
        }
    }
}

/// "D14：无法识别的日期（原值“2020.13.1”）", from the `import.issue` message.
fn issue_text(tr: Tr, issue: &CellIssue) -> String {
    tr.issue(issue)
}

/// Writes the whole ledger, or the ledger as it stood at the end of `as_of`, to `to`. A day
/// later than today is refused with exit code 2 and nothing written.
pub async fn export(config: &Config, to: &Path, as_of: Option<NaiveDate>) -> Result<ExitCode> {
    let services = crate::app::services(config, Arc::new(SystemClock)).await?;
    let (ctx, query) = (Ctx::system(), ProjectQuery::default());
    let result = match as_of {
        Some(day) => services.export_projects_as_of(&ctx, &query, day).await,
        None => services.export_projects(&ctx, &query).await,
    };
    services.store.close().await;
    let bytes = match result {
        Err(ServiceError::Invalid(fields)) => {
            let tr = Lang::ZhCn.tr();
            for field in &fields.0 {
                eprintln!("{}", tr.t(field.message));
            }
            return Ok(ExitCode::from(REFUSED));
        }
        other => other?,
    };
    std::fs::write(to, &bytes).with_context(|| format!("writing {}", to.display()))?;
    println!("已导出 / exported: {}", to.display());
    Ok(ExitCode::SUCCESS)
}

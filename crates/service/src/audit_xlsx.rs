//! The audit log as a workbook, laid out as an office keeps a log.

use crate::excel::{Formats, apply_widths, display_width, safe_text, write_heading};
use districtops_store::AuditRow;
use rust_xlsxwriter::{Workbook, XlsxError};

const HEADERS: [&str; 9] = [
    "序号",
    "时间 (UTC)",
    "用户",
    "IP 地址",
    "操作",
    "对象类型",
    "对象编号",
    "结果",
    "变更 (前 → 后)",
];

pub(crate) fn workbook(rows: &[AuditRow]) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet().set_name("审计日志")?;
    let formats = Formats::default();
    let mut widths = write_heading(sheet, &formats, "审计日志", &HEADERS)?;
    for (i, row) in rows.iter().enumerate() {
        let r = i as u32 + 2;
        let changes = row
            .changes()
            .iter()
            .map(|c| {
                format!(
                    "{}: {} → {}",
                    c.field,
                    c.before.as_deref().unwrap_or("∅"),
                    c.after.as_deref().unwrap_or("∅")
                )
            })
            .collect::<Vec<_>>()
            .join("; ");
        let outcome = if row.outcome == "success" {
            "成功"
        } else {
            "失败"
        };
        let cells = [
            row.seq.to_string(),
            row.at.format("%Y-%m-%d %H:%M:%S").to_string(),
            row.username.clone().unwrap_or_default(),
            row.ip.clone().unwrap_or_default(),
            row.action.clone(),
            row.object_type.clone().unwrap_or_default(),
            row.object_id.clone().unwrap_or_default(),
            outcome.to_owned(),
            changes,
        ];
        for (col, text) in cells.iter().enumerate() {
            if col == 0 {
                sheet.write_number_with_format(r, 0, row.seq as f64, &formats.cell)?;
            } else {
                sheet.write_string_with_format(r, col as u16, safe_text(text), &formats.cell)?;
            }
            widths[col] = widths[col].max(display_width(text) + 2.0);
        }
    }
    apply_widths(sheet, &widths)?;
    book.save_to_buffer()
}

//! Reading a project ledger while the file is still being read: the head (the sheet's
//! layout) once the rows the header may be in are read, then the rows a block at a time, each
//! block's cells let go once its rows are drafts. And turning a long run of rows into drafts
//! on every core.

use super::projects_import::{HEADER_SEARCH_ROWS, ImportError, ImportPreview, Layout, RowOutcome};
use super::read::{Sheet, read_sheet_into};
use super::safety::{UploadLimits, check_upload};
use std::ops::Range;

/// The first thing [`stream_projects`] hands over, then blocks of rows.
#[derive(Debug)]
pub enum Streamed {
    /// The sheet's layout: everything of its [`ImportPreview`] but the rows.
    Head(ImportPreview),
    /// The next rows, in order.
    Rows(Vec<RowOutcome>),
}

/// [`preview_projects`](super::projects_import::preview_projects) handed over as it is
/// read: the head, then the rows about `every` at a time, to `sink`, which returns `false` to
/// stop the reading. On large files the rows come while the rest of the sheet is still being
/// read. A sheet without a header stops being read once the rows it may be in are.
pub fn stream_projects(
    bytes: &[u8],
    limits: &UploadLimits,
    every: usize,
    sink: &mut dyn FnMut(Streamed) -> bool,
) -> Result<(), ImportError> {
    check_upload(bytes, limits)?;
    let mut layout: Option<Result<Layout, ImportError>> = None;
    // The first data row not yet handed over; 0 until the head is.
    let mut next = 0;
    let mut sheet = Sheet::default();
    read_sheet_into(
        bytes,
        None,
        &mut sheet,
        every,
        &mut |sheet, complete, finished| {
            // The header is looked for once the rows it may be in are read (or the sheet is).
            if complete < HEADER_SEARCH_ROWS + 2 && !finished {
                return true;
            }
            let Ok(layout) = layout.get_or_insert_with(|| Layout::find(sheet)) else {
                return false;
            };
            if next == 0 {
                next = layout.first_data;
                if !sink(Streamed::Head(layout.preview(sheet, Vec::new()))) {
                    return false;
                }
            }
            if next < complete {
                let rows = map_in_parallel(next..complete, |r| layout.row(sheet, r));
                sheet.forget_rows(next..complete);
                next = complete;
                return sink(Streamed::Rows(rows));
            }
            true
        },
    )?;
    match layout {
        Some(Err(e)) => Err(e),
        None => Err(ImportError::HeaderNotFound),
        Some(Ok(_)) => Ok(()),
    }
}

/// `f` of every index of `range`, in order: the rows of a long sheet are read on as many
/// threads as the machine has cores (each row on its own, so the work splits evenly).
pub(super) fn map_in_parallel<T: Send>(
    range: Range<usize>,
    f: impl Fn(usize) -> T + Sync,
) -> Vec<T> {
    /// Below this many rows a thread costs more than it saves.
    const MIN_ROWS_PER_THREAD: usize = 2_000;
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(range.len() / MIN_ROWS_PER_THREAD)
        .max(1);
    if threads == 1 {
        return range.map(f).collect();
    }
    let per_thread = range.len().div_ceil(threads);
    let (f, end) = (&f, range.end);
    std::thread::scope(|scope| {
        let parts: Vec<_> = range
            .step_by(per_thread)
            .map(|start| {
                let end = (start + per_thread).min(end);
                scope.spawn(move || (start..end).map(f).collect::<Vec<T>>())
            })
            .collect();
        parts
            .into_iter()
            .flat_map(|part| part.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::excel::projects_export::{ProjectExportRow, write_projects};
    use std::io::{Cursor, Read, Write};

    /// A ledger of `n` projects.
    fn ledger(n: usize) -> Vec<u8> {
        let rows: Vec<ProjectExportRow> = (1..=n)
            .map(|i| ProjectExportRow {
                name: format!("项目{i}"),
                ..ProjectExportRow::default()
            })
            .collect();
        write_projects("台账", &rows).unwrap()
    }

    /// `xlsx` with its sheet's XML cut off after `keep` bytes and closed wrongly.
    fn broken_after(xlsx: &[u8], keep: usize) -> Vec<u8> {
        let mut archive = zip::ZipArchive::new(Cursor::new(xlsx)).unwrap();
        let mut out = Cursor::new(Vec::new());
        let mut writer = zip::ZipWriter::new(&mut out);
        for i in 0..archive.len() {
            let mut entry = archive.by_index(i).unwrap();
            let name = entry.name().unwrap().into_owned();
            let mut data = Vec::new();
            entry.read_to_end(&mut data).unwrap();
            if name.ends_with("sheet1.xml") {
                data.truncate(keep);
                data.extend_from_slice(b"<c r=\"A9999\"></row></worksheet>");
            }
            let options = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Stored);
            writer.start_file(name, options).unwrap();
            writer.write_all(&data).unwrap();
        }
        writer.finish().unwrap();
        out.into_inner()
    }

    fn stream(bytes: &[u8], every: usize) -> (Vec<usize>, Result<(), ImportError>) {
        let mut blocks = Vec::new();
        let result = stream_projects(bytes, &UploadLimits::default(), every, &mut |s| {
            if let Streamed::Rows(rows) = s {
                blocks.push(rows.len());
            }
            true
        });
        (blocks, result)
    }

    #[test]
    fn rows_come_a_block_at_a_time_and_all_of_them() {
        let (blocks, result) = stream(&ledger(100), 20);
        assert_eq!(result, Ok(()));
        assert!(blocks.len() > 3, "{blocks:?}");
        // The data rows and the totals row under them.
        assert_eq!(blocks.iter().sum::<usize>(), 101, "{blocks:?}");
        let (whole, _) = stream(&ledger(100), usize::MAX);
        assert_eq!(whole, [101]);
    }

    #[test]
    fn the_sink_stops_the_reading_and_a_sheet_without_header_is_refused() {
        let mut blocks = 0;
        let result = stream_projects(&ledger(100), &UploadLimits::default(), 20, &mut |s| {
            if matches!(s, Streamed::Rows(_)) {
                blocks += 1;
            }
            blocks == 0
        });
        assert_eq!((result, blocks), (Ok(()), 1));

        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        for row in 0..100 {
            sheet.write_number(row, 0, f64::from(row)).unwrap();
        }
        let (blocks, result) = stream(&book.save_to_buffer().unwrap(), 20);
        assert_eq!(result, Err(ImportError::HeaderNotFound));
        assert!(blocks.is_empty());
    }

    #[test]
    fn a_sheet_broken_part_way_is_an_error_after_its_first_rows() {
        let good = ledger(200);
        let mut sheet = Vec::new();
        let mut archive = zip::ZipArchive::new(Cursor::new(good.as_slice())).unwrap();
        archive
            .by_name("xl/worksheets/sheet1.xml")
            .unwrap()
            .read_to_end(&mut sheet)
            .unwrap();
        let (blocks, result) = stream(&broken_after(&good, sheet.len() * 3 / 4), 20);
        assert!(!blocks.is_empty(), "rows were handed over before the break");
        assert_eq!(
            result,
            Err(ImportError::Read(super::super::read::ReadError::Unreadable))
        );
    }
}

//! Unsafe and broken uploads are refused with a key, never a panic.

use super::fixtures::fixture;
use districtops_service::excel::projects_import::{ImportError, preview_projects};
use districtops_service::excel::read::read_sheet;
use districtops_service::excel::safety::{UploadError, UploadLimits, check_upload};
use proptest::prelude::*;
use std::io::{Cursor, Write};
use zip::write::SimpleFileOptions;

fn preview_error(bytes: &[u8], limits: &UploadLimits) -> &'static str {
    preview_projects(bytes, None, limits)
        .map(|_| ())
        .unwrap_err()
        .message_key()
}

#[test]
fn the_libreoffice_fixtures_pass_the_checks() {
    for name in ["ledger.xlsx", "dates.xlsx", "units.xlsx"] {
        assert_eq!(
            check_upload(&fixture(name), &UploadLimits::default()),
            Ok(()),
            "{name}"
        );
    }
}

#[test]
fn not_an_xlsx() {
    let limits = UploadLimits::default();
    // The flat-ODS source of a fixture: XML, not a zip.
    assert_eq!(
        preview_error(&fixture("ledger.fods"), &limits),
        "import.file.not_xlsx"
    );
    // A zip that is no workbook (an .odt, a .docx, a zipped folder).
    let mut out = Cursor::new(Vec::new());
    let mut writer = zip::ZipWriter::new(&mut out);
    writer
        .start_file("mimetype", SimpleFileOptions::default())
        .unwrap();
    writer
        .write_all(b"application/vnd.oasis.opendocument.text")
        .unwrap();
    writer.finish().unwrap();
    assert_eq!(
        preview_error(&out.into_inner(), &limits),
        "import.file.not_xlsx"
    );
}

#[test]
fn too_large_and_too_many_entries() {
    let ledger = fixture("ledger.xlsx");
    let small = UploadLimits {
        max_bytes: 1024,
        ..UploadLimits::default()
    };
    assert_eq!(preview_error(&ledger, &small), "import.file.too_large");
    let few = UploadLimits {
        max_entries: 3,
        ..UploadLimits::default()
    };
    assert_eq!(preview_error(&ledger, &few), "import.file.too_many_entries");
}

#[test]
fn a_zip_bomb_is_refused_before_it_is_inflated() {
    // A real workbook with a sheet of 64 MiB of spaces beside it: a few dozen KiB on disk.
    let mut out = Cursor::new(Vec::new());
    let mut writer = zip::ZipWriter::new(&mut out);
    let deflated =
        SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    writer.start_file("xl/workbook.xml", deflated).unwrap();
    writer.write_all(b"<workbook/>").unwrap();
    writer
        .start_file("xl/worksheets/sheet1.xml", deflated)
        .unwrap();
    let block = vec![b' '; 1024 * 1024];
    for _ in 0..64 {
        writer.write_all(&block).unwrap();
    }
    writer.finish().unwrap();
    let bomb = out.into_inner();
    assert!(bomb.len() < 200_000, "{}", bomb.len());
    let limits = UploadLimits::default();
    assert_eq!(
        check_upload(&bomb, &limits),
        Err(UploadError::TooBigUncompressed)
    );
    assert_eq!(
        preview_error(&bomb, &limits),
        "import.file.too_big_uncompressed"
    );
}

#[test]
fn a_sheet_without_a_header_says_so() {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "随便写点什么").unwrap();
    sheet.write_number(1, 0, 42).unwrap();
    let bytes = book.save_to_buffer().unwrap();
    let error = preview_projects(&bytes, None, &UploadLimits::default()).unwrap_err();
    assert_eq!(error, ImportError::HeaderNotFound);
    assert_eq!(error.message_key(), "import.header.not_found");
    assert_eq!(
        preview_error(&bytes, &UploadLimits::default()),
        "import.header.not_found"
    );
    let named = preview_projects(&bytes, Some("没有这张表"), &UploadLimits::default());
    assert_eq!(named.unwrap_err().message_key(), "import.sheet.not_found");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Random bytes, and a real workbook with random bytes overwritten, go through the checks
    /// and the reader (and the whole preview) without a panic.
    #[test]
    fn random_and_corrupted_files_never_panic(
        noise in prop::collection::vec(any::<u8>(), 0..4096),
        flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..16),
    ) {
        let limits = UploadLimits::default();
        let _ = preview_projects(&noise, None, &limits);
        let _ = read_sheet(&noise, None);
        let mut ledger = fixture("ledger.xlsx");
        for (at, value) in flips {
            let i = at.index(ledger.len());
            ledger[i] = value;
        }
        if check_upload(&ledger, &limits).is_ok() {
            let _ = preview_projects(&ledger, None, &limits);
        }
    }
}

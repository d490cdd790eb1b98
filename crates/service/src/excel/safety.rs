//! Refusing an unsafe upload before any parser sees it.
//!
//! An xlsx is a zip of XML files. A hostile or broken upload can be huge, not a zip at all,
//! hold a million tiny entries, or expand from a few kilobytes into gigabytes (a zip bomb).
//! [`check_upload`] looks only at the size, the first bytes and the zip's central directory
//! (the sizes every entry declares), so it costs no decompression. The declared sizes are
//! binding: the `zip` reader under calamine (zip 9) stops an entry that inflates past its
//! declared size with an error, so a lying bomb fails in the reader instead of filling memory.

use std::io::Cursor;

/// The limits an upload must stay within.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UploadLimits {
    /// The most bytes the uploaded file may have.
    pub max_bytes: u64,
    /// The most entries (files) the zip may hold. A ledger workbook has a few dozen.
    pub max_entries: usize,
    /// The most bytes all entries may declare once uncompressed.
    pub max_uncompressed: u64,
    /// The highest ratio of uncompressed to compressed size one entry may declare, for entries
    /// above 1 MiB uncompressed. Sheet XML compresses about 10 to 30 times; bombs 1000 times.
    pub max_ratio: u64,
}

impl Default for UploadLimits {
    /// 20 MiB file, 1,000 entries, 200 MiB uncompressed, ratio 200.
    fn default() -> Self {
        Self {
            max_bytes: 20 * 1024 * 1024,
            max_entries: 1_000,
            max_uncompressed: 200 * 1024 * 1024,
            max_ratio: 200,
        }
    }
}

/// Why an upload was refused; [`UploadError::message_key`] is the catalog key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum UploadError {
    #[error("import.file.too_large")]
    TooLarge,
    #[error("import.file.not_xlsx")]
    NotXlsx,
    #[error("import.file.too_many_entries")]
    TooManyEntries,
    #[error("import.file.too_big_uncompressed")]
    TooBigUncompressed,
}

impl UploadError {
    /// The catalog key of the message.
    pub fn message_key(self) -> &'static str {
        match self {
            Self::TooLarge => "import.file.too_large",
            Self::NotXlsx => "import.file.not_xlsx",
            Self::TooManyEntries => "import.file.too_many_entries",
            Self::TooBigUncompressed => "import.file.too_big_uncompressed",
        }
    }
}

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const ONE_MIB: u64 = 1024 * 1024;

/// Checks an upload against `limits` without decompressing anything: the size, the zip
/// magic bytes `PK\x03\x04`, a readable central directory, the number of entries, the
/// uncompressed sizes the entries declare (in total and as a ratio per entry), and that the
/// zip holds `xl/workbook.xml` (an .xlsx, not a .docx, .ods or any other zip).
pub fn check_upload(bytes: &[u8], limits: &UploadLimits) -> Result<(), UploadError> {
    if bytes.len() as u64 > limits.max_bytes {
        return Err(UploadError::TooLarge);
    }
    if !bytes.starts_with(ZIP_MAGIC) {
        return Err(UploadError::NotXlsx);
    }
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| UploadError::NotXlsx)?;
    if zip.len() > limits.max_entries {
        return Err(UploadError::TooManyEntries);
    }
    let mut total: u64 = 0;
    let mut has_workbook = false;
    for index in 0..zip.len() {
        let entry = zip.by_index_raw(index).map_err(|_| UploadError::NotXlsx)?;
        let size = entry.size();
        total = total
            .checked_add(size)
            .ok_or(UploadError::TooBigUncompressed)?;
        if total > limits.max_uncompressed {
            return Err(UploadError::TooBigUncompressed);
        }
        if size > ONE_MIB && size / entry.compressed_size().max(1) > limits.max_ratio {
            return Err(UploadError::TooBigUncompressed);
        }
        // Excel writes "xl/workbook.xml"; some tools use other case for the folder.
        has_workbook |= entry.name_raw().eq_ignore_ascii_case(b"xl/workbook.xml");
    }
    if has_workbook {
        Ok(())
    } else {
        Err(UploadError::NotXlsx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::io::Write;
    use zip::write::SimpleFileOptions;

    /// A zip with the given entries, stored (not compressed) unless `deflate`.
    pub(crate) fn zip_of(entries: &[(&str, Vec<u8>)]) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        let mut writer = zip::ZipWriter::new(&mut out);
        for (name, data) in entries {
            let options =
                SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
            writer.start_file(*name, options).unwrap();
            writer.write_all(data).unwrap();
        }
        writer.finish().unwrap();
        out.into_inner()
    }

    fn workbook() -> Vec<u8> {
        rust_xlsxwriter::Workbook::new().save_to_buffer().unwrap()
    }

    #[test]
    fn a_real_workbook_passes() {
        assert_eq!(check_upload(&workbook(), &UploadLimits::default()), Ok(()));
    }

    #[test]
    fn too_large_is_refused_before_anything_else() {
        let limits = UploadLimits {
            max_bytes: 10,
            ..UploadLimits::default()
        };
        assert_eq!(check_upload(&[0; 11], &limits), Err(UploadError::TooLarge));
        assert_eq!(
            check_upload(&workbook(), &limits),
            Err(UploadError::TooLarge)
        );
    }

    #[test]
    fn what_is_not_an_xlsx_is_refused() {
        let limits = UploadLimits::default();
        for bytes in [
            b"".to_vec(),
            b"name,code\n".to_vec(),
            b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 old .xls".to_vec(),
            b"PK\x03\x04 but then nothing".to_vec(),
            zip_of(&[("word/document.xml", b"<w/>".to_vec())]),
        ] {
            assert_eq!(check_upload(&bytes, &limits), Err(UploadError::NotXlsx));
        }
        assert_eq!(UploadError::NotXlsx.message_key(), "import.file.not_xlsx");
    }

    #[test]
    fn too_many_entries_are_refused() {
        let names: Vec<String> = (0..30).map(|i| format!("xl/f{i}.xml")).collect();
        let mut entries: Vec<(&str, Vec<u8>)> =
            names.iter().map(|n| (n.as_str(), Vec::new())).collect();
        entries.push(("xl/workbook.xml", b"<workbook/>".to_vec()));
        let limits = UploadLimits {
            max_entries: 20,
            ..UploadLimits::default()
        };
        assert_eq!(
            check_upload(&zip_of(&entries), &limits),
            Err(UploadError::TooManyEntries)
        );
    }

    #[test]
    fn bombs_are_refused_from_their_declared_sizes() {
        // 4 MiB of zeros deflates to a few kilobytes: the ratio gives it away.
        let mut out = Cursor::new(Vec::new());
        let mut writer = zip::ZipWriter::new(&mut out);
        writer
            .start_file("xl/workbook.xml", SimpleFileOptions::default())
            .unwrap();
        writer.write_all(b"<workbook/>").unwrap();
        let deflated =
            SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        writer
            .start_file("xl/worksheets/sheet1.xml", deflated)
            .unwrap();
        writer.write_all(&vec![0u8; 4 * 1024 * 1024]).unwrap();
        writer.finish().unwrap();
        let bomb = out.into_inner();
        assert!(bomb.len() < 100_000);
        let limits = UploadLimits::default();
        assert_eq!(
            check_upload(&bomb, &limits),
            Err(UploadError::TooBigUncompressed)
        );
        // And the total, whatever the ratio.
        let stored = zip_of(&[
            ("xl/workbook.xml", b"<workbook/>".to_vec()),
            ("xl/big.xml", vec![b'x'; 2048]),
        ]);
        let small = UploadLimits {
            max_uncompressed: 1024,
            ..limits
        };
        assert_eq!(
            check_upload(&stored, &small),
            Err(UploadError::TooBigUncompressed)
        );
    }

    proptest! {
        #[test]
        fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
            let _ = check_upload(&bytes, &UploadLimits::default());
            let mut zipped = ZIP_MAGIC.to_vec();
            zipped.extend_from_slice(&bytes);
            let _ = check_upload(&zipped, &UploadLimits::default());
        }

        #[test]
        fn corrupted_workbooks_never_panic(flips in prop::collection::vec((any::<usize>(), any::<u8>()), 1..8)) {
            let mut bytes = workbook();
            for (at, value) in flips {
                let at = at % bytes.len();
                bytes[at] = value;
            }
            if check_upload(&bytes, &UploadLimits::default()).is_ok() {
                let _ = crate::excel::read::read_sheet(&bytes, None);
            }
        }
    }
}

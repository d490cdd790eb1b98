//! The merged regions of one sheet, found without a second XML pass over its cells.
//!
//! calamine reads merged regions by parsing the whole sheet again, element by element, to
//! reach `<mergeCells>` at its end: on a ledger of 100,000 rows that is a second full read.
//! [`scan`] inflates the sheet's XML and only looks for that element (a substring search),
//! on its own thread while calamine reads the cells. It follows the plain layout every
//! spreadsheet program writes (the sheet named in `xl/workbook.xml`, its part named in
//! `xl/_rels/workbook.xml.rels`); for anything else it answers `None` and the caller asks
//! calamine, so an unusual file costs the second pass, never a wrong answer.

use super::Merge;
use std::io::{Cursor, Read};

/// Bytes inflated per read.
const CHUNK: usize = 256 * 1024;
/// The most bytes read from `<mergeCells>` to the end of the sheet.
const MAX_SECTION: u64 = 64 * 1024 * 1024;

/// The merged regions of the sheet named `name`, or `None` when the file is laid out in a
/// way this scan does not follow.
pub(super) fn scan(bytes: &[u8], name: &str) -> Option<Vec<Merge>> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let workbook = read_small(&mut zip, "xl/workbook.xml")?;
    let id = tags(&workbook, "sheet")
        .find(|tag| attribute(tag, "name").as_deref() == Some(name))
        .and_then(|tag| attribute(tag, "r:id"))?;
    let rels = read_small(&mut zip, "xl/_rels/workbook.xml.rels")?;
    let target = tags(&rels, "Relationship")
        .find(|tag| attribute(tag, "Id").as_deref() == Some(id.as_str()))
        .and_then(|tag| attribute(tag, "Target"))?;
    if target.contains("..") || target.contains('\\') {
        return None;
    }
    let path = match target.strip_prefix('/') {
        Some(absolute) => absolute.to_owned(),
        None => format!("xl/{target}"),
    };
    let entry = zip.by_name(&path).ok()?;
    let section = merge_section(entry)?;
    tags(&section, "mergeCell")
        .map(|tag| attribute(tag, "ref").and_then(|r| region(&r)))
        .collect()
}

/// A small part (the workbook, its relationships) as text; `None` above 16 MiB.
fn read_small<R: Read + std::io::Seek>(zip: &mut zip::ZipArchive<R>, path: &str) -> Option<String> {
    let entry = zip.by_name(path).ok()?;
    let mut text = String::new();
    entry
        .take(16 * 1024 * 1024)
        .read_to_string(&mut text)
        .ok()?;
    Some(text)
}

/// The sheet's XML from its `<mergeCells>` element to the end (empty when it has none),
/// read chunk by chunk so the sheet is never held whole.
fn merge_section(mut entry: impl Read) -> Option<String> {
    const NEEDLE: &[u8] = b"mergeCells";
    let mut buffer = vec![0u8; CHUNK];
    // Unsearched bytes kept from the chunk before (a tag split between two reads).
    let mut carry: Vec<u8> = Vec::new();
    loop {
        let read = entry.read(&mut buffer).ok()?;
        if read == 0 {
            return Some(String::new());
        }
        carry.extend_from_slice(&buffer[..read]);
        if let Some(start) = find_tag_start(&carry, NEEDLE) {
            let mut rest = carry.split_off(start);
            // What follows the merged regions is small; a sheet that goes on and on after
            // them is left to calamine.
            let read = (&mut entry).take(MAX_SECTION).read_to_end(&mut rest).ok()?;
            if read as u64 == MAX_SECTION {
                return None;
            }
            return String::from_utf8(rest).ok();
        }
        // Keep enough of the end for a start tag with a namespace prefix cut in two.
        let keep = carry.len().min(NEEDLE.len() + 32);
        carry.drain(..carry.len() - keep);
    }
}

/// Where the first start tag `<name` or `<prefix:name` begins in `data` (followed by white
/// space, `>` or `/`). Text can not hold a tag: its `<` is written `&lt;`.
fn find_tag_start(data: &[u8], name: &[u8]) -> Option<usize> {
    let mut from = 0;
    while let Some(found) = find(&data[from..], name) {
        let at = from + found;
        let after = data.get(at + name.len());
        let ends = after.is_some_and(|b| b.is_ascii_whitespace() || *b == b'>' || *b == b'/');
        // The `<`, right before the name or before its prefix.
        let mut open = at;
        if open > 0 && data[open - 1] == b':' {
            open -= 1;
            while open > 0 && is_name_byte(data[open - 1]) {
                open -= 1;
            }
        }
        if ends && open > 0 && data[open - 1] == b'<' {
            return Some(open - 1);
        }
        from = at + 1;
    }
    None
}

fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.')
}

/// The first place `needle` occurs in `hay`: a scan for its first byte, then a compare.
fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    let first = *needle.first()?;
    let mut from = 0;
    while from + needle.len() <= hay.len() {
        let at = from
            + hay[from..=hay.len() - needle.len()]
                .iter()
                .position(|&b| b == first)?;
        if &hay[at..at + needle.len()] == needle {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// The start tags named `name` (with or without a namespace prefix) in `xml`, each as the
/// text between the name and the closing `>`.
fn tags<'a>(xml: &'a str, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    let mut rest = xml;
    std::iter::from_fn(move || {
        loop {
            let open = rest.find('<')?;
            let after = &rest[open + 1..];
            let end = after.find('>')?;
            let tag = &after[..end];
            rest = &after[end..];
            let tag_name = tag.split(|c: char| c.is_whitespace() || c == '/').next()?;
            let local = tag_name.rsplit(':').next().unwrap_or(tag_name);
            if local == name {
                return Some(&tag[tag_name.len()..]);
            }
        }
    })
}

/// The value of attribute `name` in a tag's attribute text, unescaped; `None` when absent
/// or written with an entity this reader does not know.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let mut rest = tag;
    loop {
        let eq = rest.find('=')?;
        let key = rest[..eq].trim();
        let value_start = rest[eq + 1..].trim_start();
        let quote = value_start.chars().next()?;
        if quote != '"' && quote != '\'' {
            return None;
        }
        let close = value_start[1..].find(quote)?;
        let value = &value_start[1..1 + close];
        if key == name {
            return unescape(value);
        }
        rest = &value_start[1 + close + 1..];
    }
}

fn unescape(text: &str) -> Option<String> {
    if !text.contains('&') {
        return Some(text.to_owned());
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let semi = rest[amp..].find(';')?;
        let entity = &rest[amp + 1..amp + semi];
        let c = match entity {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            _ => {
                let code = match entity.strip_prefix("#x") {
                    Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                    None => entity.strip_prefix('#')?.parse().ok()?,
                };
                char::from_u32(code)?
            }
        };
        out.push(c);
        rest = &rest[amp + semi + 1..];
    }
    out.push_str(rest);
    Some(out)
}

/// "B2:D3" (or "B2" alone) as a region, 0-based.
fn region(reference: &str) -> Option<Merge> {
    let (first, last) = match reference.split_once(':') {
        Some((a, b)) => (cell(a)?, cell(b)?),
        None => (cell(reference)?, cell(reference)?),
    };
    Some(Merge {
        first_row: first.0,
        last_row: last.0.max(first.0),
        first_col: first.1,
        last_col: last.1.max(first.1),
    })
}

/// "D14" as (13, 3); `$` signs are allowed.
fn cell(reference: &str) -> Option<(usize, usize)> {
    let text = reference.trim().replace('$', "");
    let split = text.find(|c: char| c.is_ascii_digit())?;
    let (letters, digits) = text.split_at(split);
    if letters.is_empty() || letters.len() > 3 || !letters.bytes().all(|b| b.is_ascii_uppercase()) {
        return None;
    }
    let col = letters
        .bytes()
        .fold(0usize, |n, b| n * 26 + usize::from(b - b'A' + 1));
    let row: usize = digits.parse().ok()?;
    Some((row.checked_sub(1)?, col - 1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_xlsxwriter::{Format, Workbook};

    #[test]
    fn references_and_attributes() {
        assert_eq!(cell("D14"), Some((13, 3)));
        assert_eq!(cell("$AA$1"), Some((0, 26)));
        assert_eq!(cell("A0"), None);
        assert_eq!(cell("d4"), None);
        let merge = region("B2:D3").unwrap();
        assert_eq!((merge.first_row, merge.last_row), (1, 2));
        assert_eq!((merge.first_col, merge.last_col), (1, 3));
        let tag = r#" name="R&amp;D &#x53F0;账" r:id='rId3'/"#;
        assert_eq!(attribute(tag, "name").as_deref(), Some("R&D 台账"));
        assert_eq!(attribute(tag, "r:id").as_deref(), Some("rId3"));
        assert_eq!(attribute(tag, "id"), None);
        assert_eq!(attribute(r#" name="&bogus;""#, "name"), None);
    }

    #[test]
    fn only_tags_count_not_text() {
        let xml = b"<c><is><t>mergeCells x</t></is></c><x:mergeCells count=\"1\">";
        assert_eq!(find_tag_start(xml, b"mergeCells"), Some(35));
        assert_eq!(find_tag_start(b"<mergeCellsX>", b"mergeCells"), None);
        let section =
            merge_section(&b"<sheetData/><mergeCells><mergeCell ref=\"A1:B1\"/></mergeCells>"[..])
                .unwrap();
        assert!(section.starts_with("<mergeCells>"));
        assert_eq!(merge_section(&b"<sheetData/>"[..]).as_deref(), Some(""));
    }

    /// The scan finds what calamine finds, in a sheet larger than one chunk, on the sheet
    /// asked for.
    #[test]
    fn the_scan_agrees_with_calamine() {
        let mut book = Workbook::new();
        book.add_worksheet().set_name("说明").unwrap();
        let sheet = book.add_worksheet().set_name("R&D <台账>").unwrap();
        let plain = Format::new();
        sheet.merge_range(0, 0, 0, 5, "标题", &plain).unwrap();
        sheet.merge_range(1, 2, 2, 3, "投资", &plain).unwrap();
        for row in 3..20_000 {
            sheet
                .write_string(row, 0, "mergeCells <mergeCell>")
                .unwrap();
            sheet.write_number(row, 1, f64::from(row)).unwrap();
        }
        sheet
            .merge_range(20_001, 0, 20_001, 2, "合计", &plain)
            .unwrap();
        let bytes = book.save_to_buffer().unwrap();
        let found = scan(&bytes, "R&D <台账>").unwrap();
        let mut calamine: calamine::Xlsx<_> =
            calamine::Reader::new(Cursor::new(bytes.as_slice())).unwrap();
        let expected: Vec<Merge> = calamine
            .merge_cells_by_sheet_name("R&D <台账>")
            .unwrap()
            .into_iter()
            .map(|d| Merge {
                first_row: d.start.0 as usize,
                last_row: d.end.0 as usize,
                first_col: d.start.1 as usize,
                last_col: d.end.1 as usize,
            })
            .collect();
        assert_eq!(found, expected);
        assert_eq!(found.len(), 3);
        assert_eq!(scan(&bytes, "说明"), Some(vec![]));
        assert_eq!(scan(&bytes, "Sheet9"), None);
        assert_eq!(scan(b"not a zip", "x"), None);
    }
}

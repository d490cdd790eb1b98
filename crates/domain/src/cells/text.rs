//! Normalising the text people type into cells with Chinese input methods.

/// Characters that take no room and arrive with text copied from web pages and chat tools:
/// zero-width space, non-joiner, joiner, word joiner, and the byte-order mark.
const INVISIBLE: [char; 5] = ['\u{200B}', '\u{200C}', '\u{200D}', '\u{2060}', '\u{FEFF}'];

/// Normalises cell text so that what looks the same compares the same:
///
/// - full-width ASCII (U+FF01–U+FF5E: "１２００", "（万元）", "，", "％") becomes half-width;
/// - every run of white space (the ideographic space U+3000, no-break space, tabs, line
///   breaks) becomes one ASCII space, and the ends are trimmed;
/// - zero-width characters and the byte-order mark are dropped.
///
/// Chinese punctuation without an ASCII twin (、。【】) is left alone. Applying it twice gives
/// the same text as applying it once.
pub fn normalize_text(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut pending_space = false;
    for c in raw.chars() {
        if INVISIBLE.contains(&c) {
            continue;
        }
        if c.is_whitespace() {
            pending_space = true;
            continue;
        }
        if pending_space && !out.is_empty() {
            out.push(' ');
        }
        pending_space = false;
        out.push(half_width(c));
    }
    out
}

/// The ASCII twin of a full-width character, or the character itself.
fn half_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn full_width_becomes_half_width() {
        assert_eq!(normalize_text("２０２０年４月２日"), "2020年4月2日");
        assert_eq!(normalize_text("１，２００．５"), "1,200.5");
        assert_eq!(normalize_text("总投资（万元）"), "总投资(万元)");
        assert_eq!(normalize_text("８５％"), "85%");
        assert_eq!(normalize_text("ＡＢＣｘｙｚ～！"), "ABCxyz~!");
    }

    #[test]
    fn white_space_is_trimmed_and_collapsed() {
        assert_eq!(normalize_text("  3 "), "3");
        assert_eq!(
            normalize_text("\u{3000}槐荫区\u{3000}\u{3000}人民政府\u{3000}"),
            "槐荫区 人民政府"
        );
        assert_eq!(normalize_text("a\u{00A0}\u{00A0}b"), "a b");
        assert_eq!(normalize_text("a\t\r\nb"), "a b");
        assert_eq!(normalize_text(" \u{3000}\t"), "");
        assert_eq!(normalize_text(""), "");
    }

    #[test]
    fn invisible_characters_are_dropped() {
        assert_eq!(normalize_text("\u{FEFF}45\u{200B}亿"), "45亿");
        assert_eq!(normalize_text("a \u{200B} b"), "a b");
    }

    #[test]
    fn chinese_punctuation_without_ascii_twin_stays() {
        assert_eq!(normalize_text("【重点】、。"), "【重点】、。");
        assert_eq!(normalize_text("－"), "-");
        assert_eq!(normalize_text("￥"), "￥");
    }

    proptest! {
        #[test]
        fn normalizing_is_idempotent(raw in any::<String>()) {
            let once = normalize_text(&raw);
            prop_assert_eq!(normalize_text(&once), once.clone());
            prop_assert_eq!(once.trim(), once.as_str());
            prop_assert!(!once.contains("  "));
            let full_width = |c: &char| ('\u{FF01}'..='\u{FF5E}').contains(c);
            prop_assert!(!once.chars().any(|c| full_width(&c)));
        }

        #[test]
        fn normalizing_is_idempotent_on_office_text(
            raw in "[ \u{3000}\u{00A0}\t０-９，．（）％a-z0-9年月日万亿元\u{200B}]{0,24}"
        ) {
            let once = normalize_text(&raw);
            prop_assert_eq!(normalize_text(&once), once);
        }
    }
}

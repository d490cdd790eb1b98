use super::*;
use chrono::Datelike;
use proptest::prelude::*;

fn text(raw: &str) -> Result<DatePrecision, CellErrorKind> {
    parse_date(&CellValue::Text(raw.to_owned())).map_err(|e| e.kind)
}

fn number(value: f64) -> Result<DatePrecision, CellErrorKind> {
    parse_date(&CellValue::Number(value)).map_err(|e| e.kind)
}

fn d(y: i32, m: u32, day: u32) -> DatePrecision {
    DatePrecision::Day(ymd(y, m, day))
}

fn m(year: i32, month: u32) -> DatePrecision {
    DatePrecision::Month { year, month }
}

#[test]
fn every_day_form_reads() {
    for raw in [
        "2020-04-02",
        "2020-4-2",
        "2020/4/2",
        "2020/04/02",
        "2020.4.2",
        "2020.04.02",
        "2020年4月2日",
        "2020年04月02日",
        "2020年4月2号",
        "2020年4月2",
        "20200402",
        "２０２０年４月２日",
        "２０２０－０４－０２",
        "  2020-04-02\u{3000}",
        "2020 年 4 月 2 日",
        "2020-04-02 00:00:00",
        "2020-04-02 10:30",
        "2020-04-02T10:30:15.250",
        "2020/4/2 9:05:00",
        "2020年4月2日 10:30",
    ] {
        assert_eq!(text(raw), Ok(d(2020, 4, 2)), "{raw:?}");
    }
}

#[test]
fn every_month_form_reads() {
    for raw in [
        "2020年4月",
        "2020年04月",
        "2020年4月份",
        "2020-04",
        "2020-4",
        "2020/4",
        "2020.4",
        "2020.04",
        "２０２０年４月",
    ] {
        assert_eq!(text(raw), Ok(m(2020, 4)), "{raw:?}");
    }
    assert_eq!(text("2020.10"), Ok(m(2020, 10)));
    assert_eq!(text("2020.1"), Ok(m(2020, 1)));
}

#[test]
fn impossible_dates_are_named() {
    for raw in [
        "2020.13.1",
        "2021-02-29",
        "2020年4月31日",
        "2020-00-10",
        "2020-04-00",
        "2020年13月",
        "2020.13",
        "20201301",
        "2100-02-29",
    ] {
        assert_eq!(text(raw), Err(CellErrorKind::DateImpossible), "{raw:?}");
    }
}

#[test]
fn two_digit_years_are_named() {
    for raw in [
        "20-04-02",
        "20.4.2",
        "20/4",
        "20年4月2日",
        "20年4月",
        "20年",
    ] {
        assert_eq!(text(raw), Err(CellErrorKind::DateTwoDigitYear), "{raw:?}");
    }
}

#[test]
fn other_text_is_invalid() {
    for raw in [
        "abc",
        "4/2/2020",
        "02/04/2020",
        "2020-04/02",
        "2020--04-02",
        "2020-04-02-",
        "2020.4.2.1",
        "202004",
        "43923",
        "020-04-02",
        "02020-04-02",
        "2020-004-02",
        "2020年4",
        "2020年4月2日后",
        "2020-04-02 25:00",
        "2020-04-02 10:60",
        "2020-04-02 上午",
        "2020-04 10:30",
        "2020 04 02",
        "二〇二〇年四月",
        "-",
        "/",
    ] {
        assert_eq!(text(raw), Err(CellErrorKind::DateInvalid), "{raw:?}");
    }
    assert_eq!(text("2020年"), Err(CellErrorKind::DateYearOnly));
    assert_eq!(text("   "), Err(CellErrorKind::Empty));
    assert_eq!(
        parse_date(&CellValue::Empty).unwrap_err().kind,
        CellErrorKind::Empty
    );
    assert_eq!(
        parse_date(&CellValue::Bool(true)).unwrap_err().kind,
        CellErrorKind::DateInvalid
    );
}

#[test]
fn errors_keep_the_text_as_typed() {
    let error = parse_date(&CellValue::Text(" 2020.13.1".into())).unwrap_err();
    assert_eq!(error.message_key(), "cell.date.impossible");
    assert_eq!(error.raw, " 2020.13.1");
    let error = parse_date(&CellValue::Number(2020.1)).unwrap_err();
    assert_eq!(error.message_key(), "cell.date.ambiguous_month");
    assert_eq!(error.raw, "2020.1");
}

#[test]
fn leap_years() {
    assert_eq!(text("2020-02-29"), Ok(d(2020, 2, 29)));
    assert_eq!(text("2000-02-29"), Ok(d(2000, 2, 29)));
    assert_eq!(text("2021-02-29"), Err(CellErrorKind::DateImpossible));
    assert_eq!(text("1900-02-29"), Err(CellErrorKind::DateImpossible));
    assert_eq!(text("2024年2月29日"), Ok(d(2024, 2, 29)));
}

#[test]
fn excel_serials_follow_the_1900_system_and_its_bug() {
    let serial = |s: f64| parse_date(&CellValue::DateTime(s)).map_err(|e| e.kind);
    assert_eq!(serial(1.0), Ok(d(1900, 1, 1)));
    assert_eq!(serial(59.0), Ok(d(1900, 2, 28)));
    assert_eq!(serial(60.0), Err(CellErrorKind::DateImpossible));
    assert_eq!(serial(61.0), Ok(d(1900, 3, 1)));
    assert_eq!(serial(36_526.0), Ok(d(2000, 1, 1)));
    assert_eq!(serial(36_585.0), Ok(d(2000, 2, 29)));
    assert_eq!(serial(43_923.0), Ok(d(2020, 4, 2)));
    assert_eq!(serial(43_923.75), Ok(d(2020, 4, 2)));
    assert_eq!(serial(43_922.999_999_999_99), Ok(d(2020, 4, 2)));
    assert_eq!(serial(2_958_465.0), Ok(d(9999, 12, 31)));
    for bad in [0.0, 0.5, -1.0, 2_958_466.0, f64::NAN, f64::INFINITY] {
        assert_eq!(serial(bad), Err(CellErrorKind::DateOutOfRange), "{bad}");
    }
    assert_eq!(date_to_serial(ymd(1900, 1, 1)), Some(1));
    assert_eq!(date_to_serial(ymd(1900, 2, 28)), Some(59));
    assert_eq!(date_to_serial(ymd(1900, 3, 1)), Some(61));
    assert_eq!(date_to_serial(ymd(1899, 12, 31)), None);
    assert_eq!(date_to_serial(ymd(10_000, 1, 1)), None);
}

#[test]
fn number_cells_read_what_excel_made_of_typed_dates() {
    assert_eq!(number(43_923.0), Ok(d(2020, 4, 2)));
    assert_eq!(number(20_200_402.0), Ok(d(2020, 4, 2)));
    assert_eq!(number(20_200_431.0), Err(CellErrorKind::DateImpossible));
    assert_eq!(number(2020.4), Ok(m(2020, 4)));
    assert_eq!(number(2020.04), Ok(m(2020, 4)));
    assert_eq!(number(2020.12), Ok(m(2020, 12)));
    assert_eq!(number(2020.01), Ok(m(2020, 1)));
    assert_eq!(number(2020.1), Err(CellErrorKind::DateAmbiguousMonth));
    assert_eq!(number(2020.13), Err(CellErrorKind::DateImpossible));
    assert_eq!(number(2020.123), Err(CellErrorKind::DateInvalid));
    assert_eq!(number(2020.0), Err(CellErrorKind::DateYearOnly));
    assert_eq!(number(2_200.0), Ok(d(1906, 1, 8)));
    assert_eq!(number(99_999.0), Ok(d(2173, 10, 13)));
    for typo in [
        4.2,
        20.4,
        60.0,
        1_899.0,
        100_000.0,
        200_402.0,
        2_020_402.0,
        -3.0,
        0.0,
    ] {
        assert_eq!(number(typo), Err(CellErrorKind::DateInvalid), "{typo}");
    }
    assert_eq!(number(f64::NAN), Err(CellErrorKind::DateInvalid));
}

#[test]
fn month_ends_and_display() {
    let last = |y, mo| m(y, mo).last_day().unwrap();
    assert_eq!(last(2020, 2), ymd(2020, 2, 29));
    assert_eq!(last(2021, 2), ymd(2021, 2, 28));
    assert_eq!(last(2020, 4), ymd(2020, 4, 30));
    assert_eq!(last(2020, 12), ymd(2020, 12, 31));
    assert_eq!(m(2020, 4).first_day(), Some(ymd(2020, 4, 1)));
    assert_eq!(m(2020, 13).first_day(), None);
    assert_eq!(d(2020, 4, 2).last_day(), Some(ymd(2020, 4, 2)));
    assert_eq!(d(2020, 4, 2).to_string(), "2020-04-02");
    assert_eq!(m(2020, 4).to_string(), "2020-04");
    for (raw, end) in [("2020-01-31", 31), ("2020-04-30", 30), ("2020-12-31", 31)] {
        assert!(matches!(text(raw), Ok(DatePrecision::Day(x)) if x.day() == end));
    }
    assert_eq!(text("2020-06-31"), Err(CellErrorKind::DateImpossible));
}

fn full_width(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '!'..='~' => char::from_u32(c as u32 + 0xFEE0).unwrap(),
            _ => c,
        })
        .collect()
}

fn any_date(from: NaiveDate) -> impl Strategy<Value = NaiveDate> {
    let span = (ymd(9999, 12, 31) - from).num_days() as u64;
    (0..=span).prop_map(move |n| from + Days::new(n))
}

proptest! {
    #[test]
    fn every_day_form_parses_back(date in any_date(ymd(1000, 1, 1))) {
        let (y, mo, day) = (date.year(), date.month(), date.day());
        let forms = [
            format!("{y}-{mo:02}-{day:02}"),
            format!("{y}-{mo}-{day}"),
            format!("{y}/{mo}/{day}"),
            format!("{y}.{mo}.{day}"),
            format!("{y}.{mo:02}.{day:02}"),
            format!("{y}年{mo}月{day}日"),
            format!("{y}年{mo}月{day}号"),
            format!("{y}{mo:02}{day:02}"),
            full_width(&format!("{y}年{mo}月{day}日")),
            format!(" \u{3000}{y}-{mo:02}-{day:02} "),
            format!("{y}-{mo:02}-{day:02} 23:59:59"),
        ];
        for form in forms {
            prop_assert_eq!(text(&form), Ok(DatePrecision::Day(date)), "{}", form);
        }
    }

    #[test]
    fn every_month_form_parses_back(year in 1000i32..=9999, month in 1u32..=12) {
        for form in [
            format!("{year}年{month}月"),
            format!("{year}年{month:02}月份"),
            format!("{year}-{month:02}"),
            format!("{year}/{month}"),
            format!("{year}.{month}"),
            full_width(&format!("{year}.{month:02}")),
        ] {
            prop_assert_eq!(text(&form), Ok(m(year, month)), "{}", form);
        }
    }

    #[test]
    fn serials_round_trip(date in any_date(ymd(1900, 3, 1)), time in 0.0f64..0.999) {
        let serial = date_to_serial(date).unwrap();
        prop_assert_eq!(serial_to_date(serial as f64), Ok(date));
        let cell = CellValue::DateTime(serial as f64 + time);
        prop_assert_eq!(parse_date(&cell), Ok(DatePrecision::Day(date)));
        if (2_200..100_000).contains(&serial) {
            prop_assert_eq!(number(serial as f64), Ok(DatePrecision::Day(date)));
        }
    }

    #[test]
    fn any_text_is_refused_or_a_real_date(raw in "[0-9年月日号份./ T:-]{0,14}") {
        if let Ok(DatePrecision::Month { month, .. }) = text(&raw) {
            prop_assert!((1..=12).contains(&month));
        }
    }

    #[test]
    fn never_panics(raw in any::<String>(), value in any::<f64>()) {
        let _ = text(&raw);
        let _ = number(value);
        let _ = parse_date(&CellValue::DateTime(value));
    }
}

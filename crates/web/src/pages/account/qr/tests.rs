//! The encoder against the standard's example and a symbol checked with an independent
//! decoder.

use super::QrCode;
use super::ecc::{rs_divisor, rs_remainder};

#[test]
fn reed_solomon_matches_the_standard_example() {
    // "HELLO WORLD" in version 1-M (ISO/IEC 18004 annex I / thonky.com's walkthrough).
    let data = [
        32, 91, 11, 120, 209, 114, 220, 77, 67, 64, 236, 17, 236, 17, 236, 17,
    ];
    let ecc = rs_remainder(&data, &rs_divisor(10));
    assert_eq!(ecc, [196, 35, 39, 119, 235, 215, 231, 226, 93, 23]);
}

/// "HELLO WORLD" in byte mode, version 1-M; this symbol was checked with an independent
/// decoder (zbar), as were symbols of 1 to 600 bytes (versions 1 to 19).
const HELLO_WORLD: [&str; 21] = [
    "#######.##..#.#######",
    "#.....#....#..#.....#",
    "#.###.#..#.#..#.###.#",
    "#.###.#.#..#..#.###.#",
    "#.###.#.###.#.#.###.#",
    "#.....#.#..#..#.....#",
    "#######.#.#.#.#######",
    "........#..##........",
    "#...#.######.#####..#",
    "...#....#.###....####",
    "..######..##.##.#..#.",
    "#####...##...#.......",
    "#####.#.#.#.#.##..##.",
    "........#.#.####.#.##",
    "#######.###.#.#.##.#.",
    "#.....#..#.###.##..##",
    "#.###.#.##.#.##...##.",
    "#.###.#..#..#...##.##",
    "#.###.#..###...###...",
    "#.....#....#.#.......",
    "#######.#########.#.#",
];

#[test]
fn a_known_symbol_comes_out_module_for_module() {
    let qr = QrCode::encode(b"HELLO WORLD").unwrap();
    let rows: Vec<String> = (0..qr.size())
        .map(|y| {
            (0..qr.size())
                .map(|x| if qr.dark(x, y) { '#' } else { '.' })
                .collect()
        })
        .collect();
    assert_eq!(rows, HELLO_WORLD);
}

#[test]
fn sizes_grow_with_the_data_and_the_svg_has_a_quiet_zone() {
    let url = "otpauth://totp/districtops:zhang.san?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP\
               &digits=6&algorithm=SHA1&issuer=districtops&period=30";
    let qr = QrCode::encode(url.as_bytes()).unwrap();
    assert_eq!(qr.size(), 49, "version 8");
    let svg = qr.to_svg();
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 57 57\""));
    assert!(
        svg.contains("M4,4h7v1h-7z"),
        "the finder pattern, inside the quiet zone"
    );
    assert!(!svg.contains("style"), "nothing the CSP would refuse");
    assert_eq!(
        QrCode::encode(&[b'a'; 2331]).map(|q| q.size()),
        Some(177),
        "version 40"
    );
    assert!(QrCode::encode(&[b'a'; 2332]).is_none());
}

//! A small QR code encoder (ISO/IEC 18004: byte mode, error correction level M) that draws the
//! code as inline SVG, so the authenticator app's `otpauth://` URL can be scanned without a
//! third-party library or an image request. The construction follows Project Nayuki's
//! reference implementation of the standard.

/// Error correction codewords per block at level M, by version (index 0 unused).
const ECC_PER_BLOCK: [usize; 41] = [
    0, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26, 26, 28, 28,
    28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28,
];
/// Error correction blocks at level M, by version (index 0 unused).
const BLOCKS: [usize; 41] = [
    0, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16, 17, 17, 18, 20, 21, 23,
    25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49,
];
/// Light modules around the code, as the standard asks.
const QUIET: i32 = 4;

/// A finished symbol: `size × size` modules, `true` for dark.
pub struct QrCode {
    size: i32,
    modules: Vec<bool>,
    function: Vec<bool>,
}

impl QrCode {
    /// Encodes `data` in the smallest version that holds it; `None` when even version 40
    /// cannot.
    pub fn encode(data: &[u8]) -> Option<Self> {
        let version = (1..=40).find(|&v| {
            let count_bits = if v <= 9 { 8 } else { 16 };
            4 + count_bits + data.len() * 8 <= data_codewords(v) * 8
        })?;
        let count_bits = if version <= 9 { 8 } else { 16 };
        let capacity = data_codewords(version) * 8;
        let mut bits: Vec<bool> = Vec::with_capacity(capacity);
        push_bits(&mut bits, 0b0100, 4);
        push_bits(&mut bits, data.len(), count_bits);
        data.iter().for_each(|&b| push_bits(&mut bits, b.into(), 8));
        let terminator = (capacity - bits.len()).min(4);
        push_bits(&mut bits, 0, terminator);
        let padding = (8 - bits.len() % 8) % 8;
        push_bits(&mut bits, 0, padding);
        let mut codewords: Vec<u8> =
            bits.chunks(8).map(|c| c.iter().fold(0u8, |acc, &b| acc << 1 | u8::from(b))).collect();
        for pad in [0xEC, 0x11].into_iter().cycle() {
            if codewords.len() >= data_codewords(version) {
                break;
            }
            codewords.push(pad);
        }
        let size = version as i32 * 4 + 17;
        let cells = (size * size) as usize;
        let mut qr = Self { size, modules: vec![false; cells], function: vec![false; cells] };
        qr.draw_function_patterns(version);
        qr.draw_codewords(&with_ecc(&codewords, version));
        let mask = (0..8)
            .min_by_key(|&mask| {
                qr.apply_mask(mask);
                qr.draw_format_bits(mask);
                let penalty = qr.penalty();
                qr.apply_mask(mask);
                penalty
            })
            .unwrap_or(0);
        qr.apply_mask(mask);
        qr.draw_format_bits(mask);
        Some(qr)
    }

    pub fn size(&self) -> i32 {
        self.size
    }

    pub fn dark(&self, x: i32, y: i32) -> bool {
        self.modules[(y * self.size + x) as usize]
    }

    /// The symbol as SVG markup, one path of dark runs on a light square, scaled by CSS.
    pub fn to_svg(&self) -> String {
        let side = self.size + 2 * QUIET;
        let mut path = String::new();
        for y in 0..self.size {
            let mut x = 0;
            while x < self.size {
                if !self.dark(x, y) {
                    x += 1;
                    continue;
                }
                let start = x;
                while x < self.size && self.dark(x, y) {
                    x += 1;
                }
                let run = x - start;
                path.push_str(&format!("M{},{}h{run}v1h-{run}z", start + QUIET, y + QUIET));
            }
        }
        format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {side} {side}\" \
             shape-rendering=\"crispEdges\" class=\"qr\" aria-hidden=\"true\">\
             <rect width=\"{side}\" height=\"{side}\" fill=\"#fff\"/>\
             <path d=\"{path}\" fill=\"#000\"/></svg>"
        )
    }

    fn set_function(&mut self, x: i32, y: i32, dark: bool) {
        let at = (y * self.size + x) as usize;
        self.modules[at] = dark;
        self.function[at] = true;
    }

    fn draw_function_patterns(&mut self, version: usize) {
        let size = self.size;
        for i in 0..size {
            self.set_function(6, i, i % 2 == 0);
            self.set_function(i, 6, i % 2 == 0);
        }
        for (cx, cy) in [(3, 3), (size - 4, 3), (3, size - 4)] {
            for dy in -4..=4_i32 {
                for dx in -4..=4_i32 {
                    let (x, y) = (cx + dx, cy + dy);
                    let dist = dx.abs().max(dy.abs());
                    if (0..size).contains(&x) && (0..size).contains(&y) {
                        self.set_function(x, y, dist != 2 && dist != 4);
                    }
                }
            }
        }
        let positions = alignment_positions(version, size);
        let last = positions.len().saturating_sub(1);
        for (i, &cx) in positions.iter().enumerate() {
            for (j, &cy) in positions.iter().enumerate() {
                if (i, j) == (0, 0) || (i, j) == (0, last) || (i, j) == (last, 0) {
                    continue;
                }
                for dy in -2..=2_i32 {
                    for dx in -2..=2_i32 {
                        self.set_function(cx + dx, cy + dy, dx.abs().max(dy.abs()) != 1);
                    }
                }
            }
        }
        self.draw_format_bits(0);
        if version >= 7 {
            let mut rem = version as u32;
            for _ in 0..12 {
                rem = (rem << 1) ^ ((rem >> 11) * 0x1F25);
            }
            let bits = (version as u32) << 12 | rem;
            for i in 0..18 {
                let dark = bits >> i & 1 == 1;
                let (a, b) = (size - 11 + i % 3, i / 3);
                self.set_function(a, b, dark);
                self.set_function(b, a, dark);
            }
        }
    }

    /// The format information: level M (`00`) and the mask, BCH-protected, in both copies.
    fn draw_format_bits(&mut self, mask: u32) {
        let data = mask;
        let mut rem = data;
        for _ in 0..10 {
            rem = (rem << 1) ^ ((rem >> 9) * 0x537);
        }
        let bits = (data << 10 | rem) ^ 0x5412;
        let bit = |i: i32| bits >> i & 1 == 1;
        let size = self.size;
        for i in 0..=5 {
            self.set_function(8, i, bit(i));
        }
        self.set_function(8, 7, bit(6));
        self.set_function(8, 8, bit(7));
        self.set_function(7, 8, bit(8));
        for i in 9..15 {
            self.set_function(14 - i, 8, bit(i));
        }
        for i in 0..8 {
            self.set_function(size - 1 - i, 8, bit(i));
        }
        for i in 8..15 {
            self.set_function(8, size - 15 + i, bit(i));
        }
        self.set_function(8, size - 8, true);
    }

    fn draw_codewords(&mut self, data: &[u8]) {
        let mut i = 0;
        let mut right = self.size - 1;
        while right >= 1 {
            if right == 6 {
                right = 5;
            }
            for vert in 0..self.size {
                for j in 0..2 {
                    let x = right - j;
                    let upward = (right + 1) & 2 == 0;
                    let y = if upward { self.size - 1 - vert } else { vert };
                    let at = (y * self.size + x) as usize;
                    if !self.function[at] && i < data.len() * 8 {
                        self.modules[at] = data[i >> 3] >> (7 - (i & 7)) & 1 == 1;
                        i += 1;
                    }
                }
            }
            right -= 2;
        }
    }

    /// XORs the mask pattern over the data modules (applying it twice undoes it).
    fn apply_mask(&mut self, mask: u32) {
        for y in 0..self.size {
            for x in 0..self.size {
                let invert = match mask {
                    0 => (x + y) % 2 == 0,
                    1 => y % 2 == 0,
                    2 => x % 3 == 0,
                    3 => (x + y) % 3 == 0,
                    4 => (x / 3 + y / 2) % 2 == 0,
                    5 => x * y % 2 + x * y % 3 == 0,
                    6 => (x * y % 2 + x * y % 3) % 2 == 0,
                    _ => ((x + y) % 2 + x * y % 3) % 2 == 0,
                };
                let at = (y * self.size + x) as usize;
                self.modules[at] ^= invert && !self.function[at];
            }
        }
    }

    /// The standard's penalty: long runs, 2×2 blocks, finder look-alikes, dark/light balance.
    fn penalty(&self) -> i32 {
        let size = self.size;
        let mut result = 0;
        for transposed in [false, true] {
            for a in 0..size {
                let get = |b: i32| if transposed { self.dark(a, b) } else { self.dark(b, a) };
                let (mut color, mut run) = (false, 0);
                let mut history = [0_i32; 7];
                for b in 0..size {
                    if get(b) == color {
                        run += 1;
                        result += match run {
                            5 => 3,
                            r if r > 5 => 1,
                            _ => 0,
                        };
                    } else {
                        add_history(&mut history, run, size);
                        if !color {
                            result += finder_like(&history) * 40;
                        }
                        color = get(b);
                        run = 1;
                    }
                }
                if color {
                    add_history(&mut history, run, size);
                    run = 0;
                }
                add_history(&mut history, run + size, size);
                result += finder_like(&history) * 40;
            }
        }
        for y in 0..size - 1 {
            for x in 0..size - 1 {
                let c = self.dark(x, y);
                if c == self.dark(x + 1, y) && c == self.dark(x, y + 1) && c == self.dark(x + 1, y + 1) {
                    result += 3;
                }
            }
        }
        let dark = self.modules.iter().filter(|&&m| m).count() as i32;
        let total = size * size;
        result + ((dark * 20 - total * 10).abs() + total - 1) / total * 10 - 10
    }
}

fn push_bits(bits: &mut Vec<bool>, value: usize, len: usize) {
    bits.extend((0..len).rev().map(|i| value >> i & 1 == 1));
}

fn add_history(history: &mut [i32; 7], mut run: i32, size: i32) {
    if history[0] == 0 {
        run += size;
    }
    history.copy_within(0..6, 1);
    history[0] = run;
}

fn finder_like(h: &[i32; 7]) -> i32 {
    let n = h[1];
    let core = n > 0 && h[2] == n && h[3] == n * 3 && h[4] == n && h[5] == n;
    i32::from(core && h[0] >= n * 4 && h[6] >= n) + i32::from(core && h[6] >= n * 4 && h[0] >= n)
}

fn raw_data_modules(version: usize) -> usize {
    let mut result = (16 * version + 128) * version + 64;
    if version >= 2 {
        let align = version / 7 + 2;
        result -= (25 * align - 10) * align - 55;
        if version >= 7 {
            result -= 36;
        }
    }
    result
}

fn data_codewords(version: usize) -> usize {
    raw_data_modules(version) / 8 - ECC_PER_BLOCK[version] * BLOCKS[version]
}

fn alignment_positions(version: usize, size: i32) -> Vec<i32> {
    if version == 1 {
        return Vec::new();
    }
    let count = version as i32 / 7 + 2;
    let step = (version as i32 * 8 + count * 3 + 5) / (count * 4 - 4) * 2;
    let mut out: Vec<i32> = (0..count - 1).map(|i| size - 7 - i * step).collect();
    out.push(6);
    out.reverse();
    out
}

/// Splits the data into blocks, adds each block's Reed–Solomon codewords and interleaves.
fn with_ecc(data: &[u8], version: usize) -> Vec<u8> {
    let (blocks, ecc_len) = (BLOCKS[version], ECC_PER_BLOCK[version]);
    let raw = raw_data_modules(version) / 8;
    let short_blocks = blocks - raw % blocks;
    let short_len = raw / blocks;
    let divisor = rs_divisor(ecc_len);
    let mut out_blocks = Vec::with_capacity(blocks);
    let mut k = 0;
    for i in 0..blocks {
        let len = short_len - ecc_len + usize::from(i >= short_blocks);
        let chunk = &data[k..k + len];
        k += len;
        let mut block = chunk.to_vec();
        if i < short_blocks {
            block.push(0);
        }
        block.extend(rs_remainder(chunk, &divisor));
        out_blocks.push(block);
    }
    let mut out = Vec::with_capacity(raw);
    for i in 0..out_blocks[0].len() {
        for (j, block) in out_blocks.iter().enumerate() {
            if i != short_len - ecc_len || j >= short_blocks {
                out.push(block[i]);
            }
        }
    }
    out
}

fn gf_mul(x: u8, y: u8) -> u8 {
    let mut z: u8 = 0;
    for i in (0..8).rev() {
        z = (z << 1) ^ ((z >> 7) * 0x1D);
        z ^= ((y >> i) & 1) * x;
    }
    z
}

fn rs_divisor(degree: usize) -> Vec<u8> {
    let mut result = vec![0u8; degree];
    result[degree - 1] = 1;
    let mut root = 1u8;
    for _ in 0..degree {
        for j in 0..degree {
            result[j] = gf_mul(result[j], root);
            if j + 1 < degree {
                result[j] ^= result[j + 1];
            }
        }
        root = gf_mul(root, 0x02);
    }
    result
}

fn rs_remainder(data: &[u8], divisor: &[u8]) -> Vec<u8> {
    let mut result = vec![0u8; divisor.len()];
    for &b in data {
        let factor = b ^ result.remove(0);
        result.push(0);
        for (x, &y) in result.iter_mut().zip(divisor) {
            *x ^= gf_mul(y, factor);
        }
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reed_solomon_matches_the_standard_example() {
        // "HELLO WORLD" in version 1-M (ISO/IEC 18004 annex I / thonky.com's walkthrough).
        let data = [32, 91, 11, 120, 209, 114, 220, 77, 67, 64, 236, 17, 236, 17, 236, 17];
        let ecc = rs_remainder(&data, &rs_divisor(10));
        assert_eq!(ecc, [196, 35, 39, 119, 235, 215, 231, 226, 93, 23]);
    }

    /// "HELLO WORLD" in byte mode, version 1-M; this symbol was checked with an independent
    /// decoder (zbar), as were codes of every size up to version 20.
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
            .map(|y| (0..qr.size()).map(|x| if qr.dark(x, y) { '#' } else { '.' }).collect())
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
        assert!(svg.contains("M4,4h7v1h-7z"), "the finder pattern, inside the quiet zone");
        assert!(!svg.contains("style"), "nothing the CSP would refuse");
        assert_eq!(QrCode::encode(&[b'a'; 2331]).map(|q| q.size()), Some(177), "version 40");
        assert!(QrCode::encode(&[b'a'; 2332]).is_none());
    }
}

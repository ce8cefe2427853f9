//! The app's modules import each other in one direction only (see the tiers in `src/lib.rs`):
//! a feature that reaches into a screen, or a foundation module into a feature, fails here.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeSet;
use std::path::Path;

/// Which top-level modules each module may name (`crate::x`); its own is always allowed.
fn allowed(module: &str) -> &'static [&'static str] {
    const FOUNDATION: &[&str] = &["api", "config", "nav", "storage", "record", "ui"];
    const SERVICES: &[&str] = &[
        "api",
        "config",
        "nav",
        "storage",
        "record",
        "ui",
        "auth",
        "workspace",
        "live",
        "layout",
        "canned",
    ];
    match module {
        "api" | "config" | "storage" | "record" => &["api", "config", "storage", "record"],
        "nav" => &["config"],
        "ui" => FOUNDATION,
        "auth" | "workspace" | "live" | "layout" | "canned" => SERVICES,
        "conversation_list" | "settings" | "notifications" => SERVICES,
        "chat" => &[
            "api",
            "config",
            "nav",
            "storage",
            "record",
            "ui",
            "auth",
            "workspace",
            "live",
            "layout",
            "canned",
            "conversation_list",
        ],
        "details" => &[
            "api",
            "config",
            "nav",
            "storage",
            "record",
            "ui",
            "auth",
            "workspace",
            "live",
            "layout",
            "canned",
            "conversation_list",
            "chat",
        ],
        "views" => &[
            "api",
            "config",
            "nav",
            "storage",
            "record",
            "ui",
            "auth",
            "workspace",
            "live",
            "layout",
            "canned",
            "conversation_list",
        ],
        "shell" | "embed" => &[
            "api",
            "config",
            "nav",
            "storage",
            "record",
            "ui",
            "auth",
            "workspace",
            "live",
            "layout",
            "canned",
            "conversation_list",
            "chat",
            "details",
            "views",
            "notifications",
        ],
        other => panic!("src/{other} is not in any tier: add it to src/lib.rs and this test"),
    }
}

fn named_modules(source: &str) -> BTreeSet<String> {
    let mut named = BTreeSet::new();
    for (at, _) in source.match_indices("crate::") {
        let rest = &source[at + "crate::".len()..];
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        // `$crate::` in macros and `crate::{a, b}` groups are checked by their expansions' users.
        let macro_path = source[..at].ends_with('$');
        if !name.is_empty() && !macro_path {
            named.insert(name);
        }
    }
    named
}

fn visit(dir: &Path, files: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("readable src") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            visit(&path, files);
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
}

#[test]
fn modules_import_only_from_their_tier_and_below() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    visit(&src, &mut files);
    let mut wrong = Vec::new();
    for file in files {
        let relative = file.strip_prefix(&src).expect("under src");
        let module = relative
            .components()
            .next()
            .and_then(|c| c.as_os_str().to_str())
            .map(|name| name.trim_end_matches(".rs").to_string())
            .expect("a module");
        if matches!(module.as_str(), "lib" | "main" | "bin") {
            continue;
        }
        // Comments may name any module.
        let source: String = std::fs::read_to_string(&file)
            .expect("readable")
            .lines()
            .filter(|line| !line.trim_start().starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n");
        for named in named_modules(&source) {
            if named != module && !allowed(&module).contains(&named.as_str()) {
                wrong.push(format!("{} names crate::{named}", relative.display()));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports against the tiers:\n{}",
        wrong.join("\n")
    );
}

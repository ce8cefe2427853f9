//! `cargo xtask setup`: install whatever is missing, idempotently, from the
//! package registries only (crates.io, npm, PyPI, Debian). Nothing from GitHub.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use crate::util::{
    Result, banner, cargo, cmd, e2e_dir, fnv1a64, is_root, lock_version, node_bin_dir, probe, root,
    run,
};

/// Trunk 0.22 needs Rust >= 1.96; stay on the 0.21 line.
pub const TRUNK_VERSION: &str = "0.21.14";
/// Debian's wasm-opt 108 produces a release wasm that breaks in the browser.
const BINARYEN_VERSION: &str = "132";
const WASM_TARGET: &str = "wasm32-unknown-unknown";
pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// Written into node_modules after `npm ci`: the FNV-1a hash of package-lock.json.
const NPM_STAMP: &str = ".convoroom-package-lock.fnv";

static DONE: AtomicBool = AtomicBool::new(false);

#[derive(Default)]
struct Report {
    did: Vec<String>,
    had: Vec<String>,
}

/// Run setup once per xtask process (run/dev/test/build all call it).
pub fn setup() -> Result {
    if DONE.swap(true, Ordering::SeqCst) {
        return Ok(());
    }
    banner("setup: checking the toolchain");
    let started = Instant::now();
    let mut report = Report::default();
    // Cheap checks first, slow cargo installs last.
    node_and_npm(&mut report)?;
    wasm_target(&mut report)?;
    rust_components(&mut report)?;
    browser(&mut report)?;
    npm_packages(&mut report)?;
    wasm_opt(&mut report)?;
    trunk(&mut report)?;
    wasm_bindgen(&mut report)?;
    schemathesis(&mut report)?;

    println!("setup: already there: {}", report.had.join("; "));
    if report.did.is_empty() {
        println!("setup: nothing to do");
    } else {
        println!("setup: did: {}", report.did.join("; "));
    }
    println!("setup: finished in {:.1}s", started.elapsed().as_secs_f64());
    Ok(())
}

fn node_and_npm(report: &mut Report) -> Result {
    let node = probe(cmd("node").arg("--version"))
        .ok_or("node is missing: install Node.js 20+ with npm (Debian: nodejs npm)")?;
    let npm = probe(cmd("npm").arg("--version")).ok_or("npm is missing: install npm")?;
    report.had.push(format!("node {node}, npm {npm}"));
    Ok(())
}

fn wasm_target(report: &mut Report) -> Result {
    let installed = probe(cmd("rustup").args(["target", "list", "--installed"]))
        .map(|out| out.lines().any(|l| l.trim() == WASM_TARGET));
    match installed {
        Some(true) => report.had.push(format!("rust target {WASM_TARGET}")),
        Some(false) => {
            run(cmd("rustup").args(["target", "add", WASM_TARGET]))?;
            report.did.push(format!("added rust target {WASM_TARGET}"));
        }
        None => {
            // No rustup: accept a toolchain that ships the target's std itself.
            let libdir =
                probe(cmd("rustc").args(["--print", "target-libdir", "--target", WASM_TARGET]))
                    .ok_or("neither rustup nor rustc answered")?;
            if !Path::new(&libdir).is_dir() {
                return Err(format!(
                    "the {WASM_TARGET} target is missing and rustup is not available to add it"
                ));
            }
            report
                .had
                .push(format!("rust target {WASM_TARGET} (no rustup)"));
        }
    }
    Ok(())
}

/// rustfmt and clippy for the lint steps (in rustup's default profile, but
/// a minimal toolchain lacks them).
fn rust_components(report: &mut Report) -> Result {
    let missing: Vec<&str> = [("fmt", "rustfmt"), ("clippy", "clippy")]
        .into_iter()
        .filter(|(sub, _)| probe(cargo().args([sub, "--version"])).is_none())
        .map(|(_, component)| component)
        .collect();
    if missing.is_empty() {
        report.had.push("rustfmt, clippy".into());
        return Ok(());
    }
    run(cmd("rustup").args(["component", "add"]).args(&missing))?;
    report
        .did
        .push(format!("rustup component add {}", missing.join(" ")));
    Ok(())
}

fn browser(report: &mut Report) -> Result {
    let missing: Vec<&str> = [(CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")]
        .into_iter()
        .filter(|(path, _)| !Path::new(path).exists())
        .map(|(_, package)| package)
        .collect();
    println!(
        "check {CHROMIUM}, {CHROMEDRIVER}  ->  {}",
        if missing.is_empty() {
            "present".to_string()
        } else {
            format!("missing: {}", missing.join(" "))
        }
    );
    if missing.is_empty() {
        report.had.push(format!(
            "{CHROMIUM} and {CHROMEDRIVER} (Debian chromium, chromium-driver)"
        ));
        return Ok(());
    }
    if !is_root() {
        return Err(format!(
            "missing Debian packages {0}: install them as root with\n    \
             apt-get update && apt-get install -y --no-install-recommends {0}",
            missing.join(" ")
        ));
    }
    run(cmd("apt-get")
        .arg("update")
        .env("DEBIAN_FRONTEND", "noninteractive"))?;
    run(cmd("apt-get")
        .args(["install", "-y", "--no-install-recommends"])
        .args(&missing)
        .env("DEBIAN_FRONTEND", "noninteractive"))?;
    report
        .did
        .push(format!("apt-get installed {}", missing.join(" ")));
    Ok(())
}

/// `npm ci` in e2e/ when node_modules is missing or package-lock.json changed.
fn npm_packages(report: &mut Report) -> Result {
    let lock_path = e2e_dir().join("package-lock.json");
    let lock = std::fs::read(&lock_path)
        .map_err(|e| format!("cannot read {}: {e}", lock_path.display()))?;
    let want = format!("{:016x}\n", fnv1a64(&lock));
    let stamp_path = e2e_dir().join("node_modules").join(NPM_STAMP);
    let have = std::fs::read_to_string(&stamp_path).unwrap_or_default();
    println!(
        "check e2e/node_modules/{NPM_STAMP} against package-lock.json  ->  {}",
        if have == want {
            "up to date"
        } else {
            "stale or missing"
        }
    );
    if have == want {
        report
            .had
            .push("e2e/node_modules matches package-lock.json".into());
        return Ok(());
    }
    let why = if have.is_empty() {
        "no e2e/node_modules (or no stamp)"
    } else {
        "package-lock.json changed"
    };
    println!("npm packages: {why}: running npm ci");
    run(cmd("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(e2e_dir()))?;
    std::fs::write(&stamp_path, want)
        .map_err(|e| format!("cannot write {}: {e}", stamp_path.display()))?;
    report.did.push(format!("npm ci in e2e/ ({why})"));
    Ok(())
}

fn wasm_opt(report: &mut Report) -> Result {
    let ours = node_bin_dir().join("wasm-opt");
    let version = probe(cmd(&ours).arg("--version")).unwrap_or_default();
    // binaryen prints e.g. "wasm-opt version 132 (version_132)".
    let ok = version
        .split(|c: char| !c.is_ascii_digit())
        .any(|n| n == BINARYEN_VERSION);
    if !ok {
        return Err(format!(
            "{} is not binaryen {BINARYEN_VERSION} (got {version:?}); e2e/package.json must pin \
             binaryen@{BINARYEN_VERSION}: Debian's wasm-opt 108 breaks release builds",
            ours.display()
        ));
    }
    report.had.push(format!(
        "wasm-opt {BINARYEN_VERSION} from e2e/node_modules/.bin (first on PATH)"
    ));
    Ok(())
}

fn trunk(report: &mut Report) -> Result {
    let want = format!("trunk {TRUNK_VERSION}");
    if probe(cmd("trunk").arg("--version")).as_deref() == Some(want.as_str()) {
        report.had.push(want);
        return Ok(());
    }
    // A debug build of trunk installs in ~4 min instead of ~20 (it only
    // orchestrates cargo/wasm-bindgen/wasm-opt, so its own speed hardly matters).
    cargo_install("trunk", TRUNK_VERSION, &["--debug"])?;
    report.did.push(format!("cargo installed {want} (--debug)"));
    Ok(())
}

fn wasm_bindgen(report: &mut Report) -> Result {
    let lock_path = root().join("Cargo.lock");
    let lock = std::fs::read_to_string(&lock_path)
        .map_err(|e| format!("cannot read {}: {e}", lock_path.display()))?;
    let version = lock_version(&lock, "wasm-bindgen")
        .ok_or("Cargo.lock has no wasm-bindgen package; run `cargo generate-lockfile`")?;
    let want = format!("wasm-bindgen {version}");
    let have = probe(cmd("wasm-bindgen").arg("--version"));
    let runner = probe(cmd("wasm-bindgen-test-runner").arg("--version"));
    let runner_ok = runner.as_deref().is_some_and(|r| r.contains(&version));
    if have.as_deref() == Some(want.as_str()) && runner_ok {
        report.had.push(format!(
            "{want} and wasm-bindgen-test-runner (matches Cargo.lock)"
        ));
        return Ok(());
    }
    // trunk and the test runner both need exactly the Cargo.lock version.
    cargo_install("wasm-bindgen-cli", &version, &[])?;
    report.did.push(format!(
        "cargo installed wasm-bindgen-cli {version} (Cargo.lock)"
    ));
    Ok(())
}

/// schemathesis (PyPI) in target/fuzz-venv, for `cargo xtask fuzz`.
fn schemathesis(report: &mut Report) -> Result {
    match crate::fuzz::ensure_schemathesis()? {
        Some(did) => report.did.push(did),
        None => report.had.push(format!(
            "schemathesis {} in target/fuzz-venv",
            crate::fuzz::SCHEMATHESIS_VERSION
        )),
    }
    Ok(())
}

/// `cargo install KRATE --version V --locked`, falling back to an unlocked
/// resolve when the crate's own lockfile names a version this registry lacks
/// (seen: wasm-bindgen-cli 0.2.130 locks webpki-roots 1.0.11, not on our mirror).
fn cargo_install(krate: &str, version: &str, extra: &[&str]) -> Result {
    let started = Instant::now();
    let install = |locked: bool| {
        let mut c = cargo();
        c.args(["install", krate, "--version", version]).args(extra);
        if locked {
            c.arg("--locked");
        }
        run(&mut c)
    };
    let result = install(true).or_else(|err| {
        println!(
            "{err}\n`--locked` failed; retrying with a fresh resolve of {krate}'s dependencies"
        );
        install(false)
    });
    println!(
        "cargo install {krate} {version}: {:.0}s",
        started.elapsed().as_secs_f64()
    );
    result
}

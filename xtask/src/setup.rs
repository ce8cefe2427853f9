//! `cargo xtask setup`: install whatever is missing, idempotently, from the
//! package registries only (crates.io, npm, PyPI, Debian). Nothing from GitHub.
//!
//! Two levels: what building and running the app needs (`run`, `build`, `dev`: the wasm32
//! target, trunk, wasm-bindgen-cli, wasm-opt), and everything (`setup`, `test`, `bench`: also
//! rustfmt/clippy, Debian's Chromium, the e2e and contract npm packages, schemathesis and
//! openapi-spec-validator).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU8, Ordering};
use std::time::Instant;

use crate::util::{
    Result, banner, cargo, cargo_bin_dir, cmd, e2e_dir, fnv1a64, is_root, lock_version, probe,
    root, run, wasm_opt_dir,
};

/// Trunk 0.22 needs Rust >= 1.96; stay on the 0.21 line.
pub const TRUNK_VERSION: &str = "0.21.14";
/// Debian's wasm-opt 108 produces a release wasm that breaks in the browser. The same version is
/// pinned in tools/wasm-opt/package.json and in Trunk.toml (`[tools] wasm_opt`).
const BINARYEN_VERSION: &str = "132";
const WASM_TARGET: &str = "wasm32-unknown-unknown";
pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// Written into node_modules after `npm ci`: the FNV-1a hash of package-lock.json.
const NPM_STAMP: &str = ".convoroom-package-lock.fnv";

/// What a command needs installed; a higher level includes the lower.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Needs {
    /// `run`, `build`, `dev`: build the app and serve it.
    Running = 1,
    /// `setup`, `test`, `bench`: also the linters, the browser and the test tools.
    Everything = 2,
}

/// The highest level set up so far in this process.
static DONE: AtomicU8 = AtomicU8::new(0);

#[derive(Default)]
struct Report {
    did: Vec<String>,
    had: Vec<String>,
    /// Not failures: things a person should know (e.g. a PATH that hides our wasm-opt).
    notes: Vec<String>,
}

/// Everything (`cargo xtask setup`, `test`, `bench`).
pub fn setup() -> Result {
    setup_for(Needs::Everything)
}

/// Only what building and running the app needs (`run`, `build`, `dev`).
pub fn setup_for_running() -> Result {
    setup_for(Needs::Running)
}

/// PostgreSQL alone (`run --postgres`, on top of what running needs).
pub fn setup_postgresql() -> Result {
    let mut report = Report::default();
    postgresql(&mut report)?;
    for line in report.did.iter().chain(&report.had) {
        println!("setup: {line}");
    }
    Ok(())
}

/// Run setup once per xtask process and level.
fn setup_for(needs: Needs) -> Result {
    if DONE.load(Ordering::SeqCst) >= needs as u8 {
        return Ok(());
    }
    banner(match needs {
        Needs::Running => "setup: checking what building and running the app needs",
        Needs::Everything => "setup: checking the toolchain (app and tests)",
    });
    let started = Instant::now();
    let mut report = Report::default();
    let everything = needs == Needs::Everything;
    // Cheap checks first, slow cargo installs last.
    node_and_npm(&mut report)?;
    wasm_target(&mut report)?;
    if everything {
        rust_components(&mut report)?;
        browser(&mut report)?;
        postgresql(&mut report)?;
        npm_packages(&mut report)?;
    }
    wasm_opt(&mut report)?;
    trunk(&mut report)?;
    wasm_bindgen(&mut report)?;
    if everything {
        schemathesis(&mut report)?;
    }
    plain_trunk_path(&mut report);

    println!("setup: already there: {}", report.had.join("; "));
    if report.did.is_empty() {
        println!("setup: nothing to do");
    } else {
        println!("setup: did: {}", report.did.join("; "));
    }
    for note in &report.notes {
        println!("setup: note: {note}");
    }
    if !everything {
        println!(
            "setup: the test tools (Chromium, Playwright, schemathesis, rustfmt/clippy) are \
             installed by `cargo xtask setup` or `cargo xtask test`"
        );
    }
    println!("setup: finished in {:.1}s", started.elapsed().as_secs_f64());
    DONE.fetch_max(needs as u8, Ordering::SeqCst);
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
    apt_install(&missing)?;
    report
        .did
        .push(format!("apt-get installed {}", missing.join(" ")));
    Ok(())
}

/// PostgreSQL 15+ for the server suites' second run and `cargo xtask run --postgres` (the
/// tests start throwaway clusters of their own; no system service is used).
fn postgresql(report: &mut Report) -> Result {
    if let Some(bin) = crate::postgres::bin_dir() {
        report.had.push(format!("PostgreSQL in {}", bin.display()));
        return Ok(());
    }
    println!("check /usr/lib/postgresql/*/bin (15 or later)  ->  missing: postgresql");
    apt_install(&["postgresql"])?;
    if crate::postgres::bin_dir().is_none() {
        return Err(
            "apt-get installed postgresql but no PostgreSQL 15+ is in /usr/lib/postgresql".into(),
        );
    }
    report.did.push("apt-get installed postgresql".into());
    Ok(())
}

/// Debian packages with apt-get when we are root; otherwise the command to run.
fn apt_install(packages: &[&str]) -> Result {
    if !is_root() {
        return Err(format!(
            "missing Debian packages {0}: install them as root with\n    \
             apt-get update && apt-get install -y --no-install-recommends {0}",
            packages.join(" ")
        ));
    }
    run(cmd("apt-get")
        .arg("update")
        .env("DEBIAN_FRONTEND", "noninteractive"))?;
    run(cmd("apt-get")
        .args(["install", "-y", "--no-install-recommends"])
        .args(packages)
        .env("DEBIAN_FRONTEND", "noninteractive"))
}

/// `npm ci` in e2e/ and contract/ when node_modules is missing or package-lock.json changed.
fn npm_packages(report: &mut Report) -> Result {
    if let Some(why) = npm_ci(&e2e_dir(), "e2e/")? {
        report.did.push(format!("npm ci in e2e/ ({why})"));
    } else {
        report
            .had
            .push("e2e/node_modules matches package-lock.json".into());
    }
    if let Some(why) = crate::contract::ensure_npm_packages()? {
        report.did.push(format!("npm ci in contract/ ({why})"));
    } else {
        report
            .had
            .push("contract/node_modules matches package-lock.json".into());
    }
    Ok(())
}

/// `npm ci` in `dir` unless its node_modules was installed from this very package-lock.json.
/// Returns why it ran, or `None` when nothing was needed.
pub fn npm_ci(dir: &Path, shown: &str) -> Result<Option<&'static str>> {
    let lock_path = dir.join("package-lock.json");
    let lock = std::fs::read(&lock_path)
        .map_err(|e| format!("cannot read {}: {e}", lock_path.display()))?;
    let want = format!("{:016x}\n", fnv1a64(&lock));
    let stamp_path = dir.join("node_modules").join(NPM_STAMP);
    let have = std::fs::read_to_string(&stamp_path).unwrap_or_default();
    println!(
        "check {shown}node_modules/{NPM_STAMP} against package-lock.json  ->  {}",
        if have == want {
            "up to date"
        } else {
            "stale or missing"
        }
    );
    if have == want {
        return Ok(None);
    }
    let why = if have.is_empty() {
        "no node_modules (or no stamp)"
    } else {
        "package-lock.json changed"
    };
    println!("npm packages in {shown}: {why}: running npm ci");
    run(cmd("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(dir))?;
    std::fs::write(&stamp_path, want)
        .map_err(|e| format!("cannot write {}: {e}", stamp_path.display()))?;
    Ok(Some(why))
}

/// binaryen 132's wasm-opt from npm (tools/wasm-opt), installed once per machine beside trunk:
/// `npm ci` into `$CARGO_HOME/convoroom-tools/wasm-opt`, and `$CARGO_HOME/bin/wasm-opt` linked to
/// it, so that a plain `trunk build --release` finds it on PATH like trunk itself.
fn wasm_opt(report: &mut Report) -> Result {
    let dir = wasm_opt_dir();
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let source = root().join("tools").join("wasm-opt");
    for file in ["package.json", "package-lock.json"] {
        let from = source.join(file);
        let bytes =
            std::fs::read(&from).map_err(|e| format!("cannot read {}: {e}", from.display()))?;
        let to = dir.join(file);
        if std::fs::read(&to).ok().as_deref() != Some(bytes.as_slice()) {
            std::fs::write(&to, &bytes)
                .map_err(|e| format!("cannot write {}: {e}", to.display()))?;
        }
    }
    let installed = npm_ci(&dir, &format!("{}/", dir.display()))?;
    let ours = dir.join("node_modules").join(".bin").join("wasm-opt");
    let version = probe(cmd(&ours).arg("--version")).unwrap_or_default();
    if !is_binaryen(&version) {
        return Err(format!(
            "{} is not binaryen {BINARYEN_VERSION} (got {version:?}); tools/wasm-opt/package.json \
             must pin binaryen {BINARYEN_VERSION}: Debian's wasm-opt 108 breaks release builds",
            ours.display()
        ));
    }
    match installed {
        Some(why) => report.did.push(format!(
            "npm ci binaryen {BINARYEN_VERSION} into {} ({why})",
            dir.display()
        )),
        None => report
            .had
            .push(format!("wasm-opt {BINARYEN_VERSION} in {}", dir.display())),
    }
    link_wasm_opt(&ours, &cargo_bin_dir().join("wasm-opt"), report)
}

/// `link` (`$CARGO_HOME/bin/wasm-opt`) -> `ours`, unless something that is not ours lives there.
fn link_wasm_opt(ours: &Path, link: &Path, report: &mut Report) -> Result {
    match std::fs::symlink_metadata(link) {
        Err(_) => {}
        Ok(meta) if meta.file_type().is_symlink() => {
            let target = std::fs::read_link(link).unwrap_or_default();
            if target == ours {
                report
                    .had
                    .push(format!("{} -> {}", link.display(), ours.display()));
                return Ok(());
            }
            if link.exists() && !is_ours(link) {
                // Someone's own link.
                return keep_theirs(link, report);
            }
            // Dangling, or one of ours from another install: replace it.
            std::fs::remove_file(link)
                .map_err(|e| format!("cannot replace {}: {e}", link.display()))?;
        }
        Ok(_) => return keep_theirs(link, report),
    }
    if let Some(bin) = link.parent() {
        std::fs::create_dir_all(bin)
            .map_err(|e| format!("cannot create {}: {e}", bin.display()))?;
    }
    std::os::unix::fs::symlink(ours, link)
        .map_err(|e| format!("cannot link {} -> {}: {e}", link.display(), ours.display()))?;
    report
        .did
        .push(format!("linked {} -> {}", link.display(), ours.display()));
    Ok(())
}

/// A link of ours: it points into a `convoroom-tools/wasm-opt` directory.
fn is_ours(link: &Path) -> bool {
    std::fs::read_link(link).is_ok_and(|t| {
        t.to_string_lossy()
            .contains("convoroom-tools/wasm-opt/node_modules")
    })
}

/// A wasm-opt that is not ours already sits in `$CARGO_HOME/bin`: leave it, say what it means.
fn keep_theirs(link: &Path, report: &mut Report) -> Result {
    let version = probe(cmd(link).arg("--version")).unwrap_or_default();
    if is_binaryen(&version) {
        report.had.push(format!(
            "{} (binaryen {BINARYEN_VERSION}, not installed by us; kept)",
            link.display()
        ));
    } else {
        report.notes.push(format!(
            "{} is not ours and answers {version:?}, not binaryen {BINARYEN_VERSION}; cargo xtask \
             uses {} anyway, but a plain `trunk build --release` would not find a matching \
             wasm-opt there: remove it and run `cargo xtask setup` again",
            link.display(),
            wasm_opt_dir().display()
        ));
    }
    Ok(())
}

/// binaryen prints e.g. "wasm-opt version 132 (version_132)".
fn is_binaryen(version: &str) -> bool {
    version
        .split(|c: char| !c.is_ascii_digit())
        .any(|n| n == BINARYEN_VERSION)
}

/// The first executable `name` on a PATH value, as a shell would find it.
fn which(name: &str, path: &std::ffi::OsStr) -> Option<PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    std::env::split_paths(path)
        .map(|dir| dir.join(name))
        .find(|file| {
            std::fs::metadata(file)
                .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        })
}

/// A plain `trunk build` in a shell uses the caller's PATH, not ours: say when that would not
/// find trunk, wasm-bindgen or our wasm-opt (README, "Deploying the static assets").
fn plain_trunk_path(report: &mut Report) {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let bin = cargo_bin_dir();
    let fix = format!(
        "put {} first on PATH: export PATH=\"{}:$PATH\"",
        bin.display(),
        bin.display()
    );
    for tool in ["trunk", "wasm-bindgen", "wasm-opt"] {
        let expected = bin.join(tool);
        match which(tool, &path) {
            Some(found) if found == expected => {}
            Some(found) if tool == "wasm-opt" => {
                let version = probe(cmd(&found).arg("--version")).unwrap_or_default();
                if !is_binaryen(&version) {
                    report.notes.push(format!(
                        "your PATH finds {} ({version:?}) before ours: a plain `trunk build \
                         --release` would then fail (Trunk.toml pins wasm-opt \
                         version_{BINARYEN_VERSION}); {fix}",
                        found.display()
                    ));
                }
            }
            Some(_) => {}
            None => report.notes.push(format!(
                "{tool} is not on your PATH, so a plain `trunk build` won't find it; {fix}"
            )),
        }
    }
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

/// schemathesis and openapi-spec-validator (PyPI) in target/fuzz-venv, for the API step.
fn schemathesis(report: &mut Report) -> Result {
    match crate::fuzz::ensure_schemathesis()? {
        Some(did) => report.did.push(did),
        None => report.had.push(format!(
            "schemathesis {} in target/fuzz-venv",
            crate::fuzz::SCHEMATHESIS_VERSION
        )),
    }
    match crate::contract::ensure_validator()? {
        Some(did) => report.did.push(did),
        None => report.had.push(format!(
            "openapi-spec-validator {} in target/fuzz-venv",
            crate::contract::VALIDATOR_VERSION
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::util::fresh_temp_dir;
    use std::os::unix::fs::PermissionsExt;

    fn script(path: &Path, says: &str) {
        std::fs::write(path, format!("#!/bin/sh\necho '{says}'\n")).unwrap();
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }

    #[test]
    fn binaryen_versions() {
        assert!(is_binaryen("wasm-opt version 132 (version_132)"));
        assert!(!is_binaryen("wasm-opt version 108"));
        assert!(!is_binaryen("wasm-opt version 1320"));
        assert!(!is_binaryen(""));
    }

    #[test]
    fn which_takes_the_first_executable_on_the_path() {
        let dir = fresh_temp_dir("xtask-which").unwrap();
        let (a, b) = (dir.join("a"), dir.join("b"));
        std::fs::create_dir_all(&a).unwrap();
        std::fs::create_dir_all(&b).unwrap();
        std::fs::write(a.join("wasm-opt"), "not executable").unwrap();
        script(&b.join("wasm-opt"), "wasm-opt version 132 (version_132)");
        let path = std::env::join_paths([&a, &b]).unwrap();
        assert_eq!(which("wasm-opt", &path), Some(b.join("wasm-opt")));
        assert_eq!(which("trunk", &path), None);
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn wasm_opt_is_linked_beside_trunk_but_a_foreign_one_is_left_alone() {
        let dir = fresh_temp_dir("xtask-link").unwrap();
        let ours = dir
            .join("convoroom-tools/wasm-opt/node_modules/.bin")
            .join("wasm-opt");
        std::fs::create_dir_all(ours.parent().unwrap()).unwrap();
        script(&ours, "wasm-opt version 132 (version_132)");
        let link = dir.join("bin").join("wasm-opt");

        // Missing: linked (the bin directory is made).
        let mut report = Report::default();
        link_wasm_opt(&ours, &link, &mut report).unwrap();
        assert_eq!(std::fs::read_link(&link).unwrap(), ours);
        assert_eq!(report.did.len(), 1);
        // Already ours: nothing to do.
        let mut report = Report::default();
        link_wasm_opt(&ours, &link, &mut report).unwrap();
        assert!(report.did.is_empty() && report.had.len() == 1);
        // Dangling: replaced.
        std::fs::remove_file(&link).unwrap();
        std::os::unix::fs::symlink(dir.join("gone"), &link).unwrap();
        let mut report = Report::default();
        link_wasm_opt(&ours, &link, &mut report).unwrap();
        assert_eq!(std::fs::read_link(&link).unwrap(), ours);
        // Someone else's wasm-opt of another version: kept, with a note saying what it means.
        std::fs::remove_file(&link).unwrap();
        script(&link, "wasm-opt version 108");
        let mut report = Report::default();
        link_wasm_opt(&ours, &link, &mut report).unwrap();
        assert!(!link.is_symlink());
        assert_eq!(report.notes.len(), 1, "{:?}", report.notes);
        assert!(
            report.notes[0].contains("version 108"),
            "{}",
            report.notes[0]
        );
        std::fs::remove_dir_all(dir).unwrap();
    }
}

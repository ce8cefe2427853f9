//! `cargo xtask test`: every layer in order, fail fast, and a summary table
//! (printed even when a step fails) closed by `N passed, N failed`.

use std::cell::RefCell;
use std::time::Instant;

use crate::build::{BuildOptions, build};
use crate::e2e::{SubpathBuild, playwright, readme_subpath_build};
use crate::fuzz::{FuzzOptions, fuzz};
use crate::postgres::{Cluster, Durability};
use crate::setup::{CHROMEDRIVER, CHROMIUM, setup};
use crate::util::{Result, banner, cargo, cmd, fresh_temp_dir, root, run};
use std::path::{Path, PathBuf};
use std::process::Stdio;

/// The layers `--only` can select (setup always runs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layer {
    Lint,
    Native,
    /// The whole API step: the contract checks, then schemathesis.
    Fuzz,
    /// Only the contract checks of the API step (validator, typed client, host program).
    Contract,
    Wasm,
    E2e,
}

impl Layer {
    pub fn parse(s: &str) -> Result<Layer> {
        match s {
            "lint" => Ok(Layer::Lint),
            "native" => Ok(Layer::Native),
            "fuzz" => Ok(Layer::Fuzz),
            "contract" => Ok(Layer::Contract),
            "wasm" => Ok(Layer::Wasm),
            "e2e" => Ok(Layer::E2e),
            other => Err(format!(
                "unknown layer {other:?}: use lint, native, fuzz, contract, wasm or e2e"
            )),
        }
    }
}

#[derive(Default, Debug, PartialEq)]
pub struct TestOptions {
    /// Empty = every layer.
    pub only: Vec<Layer>,
    /// Everything after `--`, handed to `playwright test` (e.g. `--grep foo`).
    pub playwright_args: Vec<String>,
}

type Action<'a> = Box<dyn FnOnce() -> Result + 'a>;

enum Outcome {
    Passed,
    Failed(String),
    NotRun,
}

pub fn test(opts: &TestOptions) -> Result {
    let wants = |layer| opts.only.is_empty() || opts.only.contains(&layer);
    let subpath: RefCell<Option<SubpathBuild>> = RefCell::new(None);
    let mut steps: Vec<(&str, Action)> = vec![("setup", Box::new(setup))];
    if wants(Layer::Lint) {
        steps.push(("fmt --check", Box::new(fmt)));
        steps.push(("clippy (native)", Box::new(clippy_native)));
        steps.push(("clippy (wasm32)", Box::new(clippy_wasm)));
    }
    if wants(Layer::Native) {
        steps.push(("native tests (SQLite)", Box::new(native_tests)));
        steps.push(("server tests (PostgreSQL)", Box::new(postgres_tests)));
    }
    if wants(Layer::Fuzz) || wants(Layer::Contract) {
        // The document and the typed client are checked once (they do not depend on the
        // database); the host program and schemathesis run against a server on each.
        let schemathesis = wants(Layer::Fuzz);
        let (on_sqlite, on_postgres) = if schemathesis {
            (
                "API: contract + fuzzing (SQLite)",
                "API: contract + fuzzing (PostgreSQL)",
            )
        } else {
            ("API: contract (SQLite)", "API: contract (PostgreSQL)")
        };
        let api = move |postgres: bool| FuzzOptions {
            postgres,
            check_document: !postgres,
            host_program: true,
            schemathesis,
            ..FuzzOptions::default()
        };
        steps.push((on_sqlite, Box::new(move || fuzz(&api(false)))));
        steps.push((on_postgres, Box::new(move || fuzz(&api(true)))));
    }
    if wants(Layer::Wasm) {
        steps.push(("wasm component tests", Box::new(wasm_tests)));
    }
    if wants(Layer::E2e) {
        // The README's own `trunk build … --public-url /support/app/`, as a person runs it; its
        // output is moved aside for the deployment test before dist/ is built for the root.
        steps.push((
            "README sub-path build",
            Box::new(|| {
                *subpath.borrow_mut() = Some(readme_subpath_build()?);
                Ok(())
            }),
        ));
        steps.push((
            "release build (dist/)",
            Box::new(|| build(&BuildOptions::default())),
        ));
        steps.push((
            "e2e (playwright)",
            Box::new(|| playwright(&opts.playwright_args, subpath.borrow().as_ref())),
        ));
    }

    let started = Instant::now();
    let mut results: Vec<(&str, Outcome, f64)> = Vec::new();
    let mut failed = false;
    for (name, action) in steps {
        if failed {
            results.push((name, Outcome::NotRun, 0.0));
            continue;
        }
        banner(&format!("test step: {name}"));
        let t = Instant::now();
        let outcome = match action() {
            Ok(()) => Outcome::Passed,
            Err(e) => {
                failed = true;
                println!("\nstep `{name}` failed: {e}");
                Outcome::Failed(e)
            }
        };
        results.push((name, outcome, t.elapsed().as_secs_f64()));
    }
    summary(&results, started.elapsed().as_secs_f64());
    if failed {
        Err("some test steps failed (see the table above)".into())
    } else {
        Ok(())
    }
}

fn summary(results: &[(&str, Outcome, f64)], total: f64) {
    println!("\n==> test summary");
    println!("{:<26} {:<8} {:>9}", "step", "result", "seconds");
    println!("{}", "-".repeat(45));
    let (mut passed, mut failed, mut skipped) = (0, 0, 0);
    for (name, outcome, secs) in results {
        let result = match outcome {
            Outcome::Passed => {
                passed += 1;
                "ok"
            }
            Outcome::Failed(_) => {
                failed += 1;
                "FAILED"
            }
            Outcome::NotRun => {
                skipped += 1;
                "not run"
            }
        };
        println!("{name:<26} {result:<8} {secs:>9.1}");
    }
    println!("{}", "-".repeat(45));
    println!("{:<26} {:<8} {total:>9.1}", "total", "");
    for (name, outcome, _) in results {
        if let Outcome::Failed(e) = outcome {
            println!("failed: {name}: {e}");
        }
    }
    if skipped > 0 {
        println!("{passed} passed, {failed} failed, {skipped} skipped");
    } else {
        println!("{passed} passed, {failed} failed");
    }
}

fn fmt() -> Result {
    run(cargo().args(["fmt", "--all", "--check"]))
}

fn clippy_native() -> Result {
    run(cargo().args([
        "clippy",
        "--workspace",
        "--all-targets",
        "--all-features",
        "--",
        "-D",
        "warnings",
    ]))
}

fn clippy_wasm() -> Result {
    run(cargo().args([
        "clippy",
        "-p",
        "convoroom",
        "--target",
        "wasm32-unknown-unknown",
        "--all-targets",
        "--all-features",
        "--",
        "-D",
        "warnings",
    ]))
}

/// `cargo test` as the native layer runs it (the PostgreSQL run reuses its binaries).
const CARGO_TEST: [&str; 3] = ["test", "--workspace", "--all-features"];

fn native_tests() -> Result {
    // All features: the embed bundle's pure parts (its stylesheet) are tested natively too.
    run(cargo().args(CARGO_TEST))
}

/// The server's integration suites again, on PostgreSQL: the test binaries the native layer
/// built (no rebuild), each test on a database of its own in one throwaway cluster.
fn postgres_tests() -> Result {
    let binaries = server_test_binaries()?;
    let cluster = Cluster::start(Durability::Throwaway)?;
    let mut tests = 0;
    for binary in &binaries {
        tests += test_count(binary)?;
        let mut c = cmd(binary);
        c.current_dir(root().join("server"))
            .env("CONVOROOM_TEST_DATABASE", cluster.server_url());
        run(&mut c)?;
    }
    println!(
        "server suites on PostgreSQL: {tests} tests in {} binaries passed (the same binaries and tests as on SQLite)",
        binaries.len()
    );
    Ok(())
}

/// The integration-test executables of `convoroom-server`, as `cargo test` built them.
fn server_test_binaries() -> Result<Vec<PathBuf>> {
    let out = cargo()
        .args(CARGO_TEST)
        .args(["--no-run", "--message-format=json"])
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run cargo test --no-run: {e}"))?;
    if !out.status.success() {
        return Err("cargo test --no-run failed".into());
    }
    let binaries = test_executables(&String::from_utf8_lossy(&out.stdout), "convoroom-server");
    if binaries.is_empty() {
        return Err("cargo listed no test binaries of convoroom-server".into());
    }
    Ok(binaries)
}

/// From cargo's JSON messages: the executables of `package`'s integration tests.
fn test_executables(messages: &str, package: &str) -> Vec<PathBuf> {
    let of_package = format!("#{package}@");
    messages
        .lines()
        .filter(|l| l.contains("\"reason\":\"compiler-artifact\""))
        .filter(|l| l.contains(&of_package) && l.contains("\"kind\":[\"test\"]"))
        .filter_map(|l| {
            let start = l.find("\"executable\":\"")? + "\"executable\":\"".len();
            let end = start + l[start..].find('"')?;
            Some(PathBuf::from(&l[start..end]))
        })
        .collect()
}

/// How many tests a test binary holds (`--list`).
fn test_count(binary: &Path) -> Result<usize> {
    let out = cmd(binary)
        .arg("--list")
        .output()
        .map_err(|e| format!("cannot list the tests of {}: {e}", binary.display()))?;
    Ok(String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| l.ends_with(": test"))
        .count())
}

/// Component tests in headless Debian Chromium via wasm-bindgen-test-runner
/// (the cargo runner for wasm32 in .cargo/config.toml). chromedriver finds
/// Chromium by itself; the capabilities file pins the binary anyway and adds
/// flags that keep Chromium off the (closed) network.
fn wasm_tests() -> Result {
    let dir = fresh_temp_dir("convoroom-webdriver")?;
    let caps = dir.join("webdriver.json");
    std::fs::write(&caps, webdriver_json())
        .map_err(|e| format!("cannot write {}: {e}", caps.display()))?;
    let mut c = cargo();
    c.args([
        "test",
        "-p",
        "convoroom",
        "--target",
        "wasm32-unknown-unknown",
    ])
    .env("CHROMEDRIVER", CHROMEDRIVER)
    .env("WASM_BINDGEN_TEST_WEBDRIVER_JSON", &caps);
    if std::env::var_os("WASM_BINDGEN_TEST_TIMEOUT").is_none() {
        // The default 20 s is tight for a whole suite on 2 busy cores.
        c.env("WASM_BINDGEN_TEST_TIMEOUT", "120");
    }
    let result = run(&mut c);
    let _ = std::fs::remove_dir_all(&dir);
    result
}

fn webdriver_json() -> String {
    let args = [
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ]
    .map(|a| format!("\"{a}\""))
    .join(", ");
    format!(
        "{{\n  \"goog:chromeOptions\": {{\n    \"binary\": \"{CHROMIUM}\",\n    \"args\": [{args}]\n  }}\n}}\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn webdriver_capabilities_name_debian_chromium() {
        let json = webdriver_json();
        assert!(json.contains("\"binary\": \"/usr/bin/chromium\""));
        assert!(json.contains("\"--disable-background-networking\""));
    }

    #[test]
    fn finds_the_server_test_executables_in_cargo_messages() {
        let messages = concat!(
            r#"{"reason":"compiler-artifact","package_id":"path+file:///r/server#convoroom-server@0.1.0","target":{"kind":["test"],"name":"basics"},"executable":"/r/target/debug/deps/basics-1a"}"#,
            "\n",
            r#"{"reason":"compiler-artifact","package_id":"path+file:///r/server#convoroom-server@0.1.0","target":{"kind":["lib"],"name":"convoroom_server"},"executable":"/r/target/debug/deps/convoroom_server-2b"}"#,
            "\n",
            r#"{"reason":"compiler-artifact","package_id":"path+file:///r/api#convoroom-api@0.1.0","target":{"kind":["test"],"name":"x"},"executable":"/r/target/debug/deps/x-3c"}"#,
            "\n",
            r#"{"reason":"build-finished","success":true}"#,
        );
        assert_eq!(
            test_executables(messages, "convoroom-server"),
            vec![PathBuf::from("/r/target/debug/deps/basics-1a")]
        );
    }

    #[test]
    fn layers_parse() {
        assert_eq!(Layer::parse("e2e"), Ok(Layer::E2e));
        assert_eq!(Layer::parse("fuzz"), Ok(Layer::Fuzz));
        assert_eq!(Layer::parse("contract"), Ok(Layer::Contract));
        assert!(Layer::parse("unit").is_err());
    }
}

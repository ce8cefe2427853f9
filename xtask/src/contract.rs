//! The contract as a host's client generator reads it (part of the API step of `cargo xtask
//! test`, before the fuzzing):
//!
//! 1. `openapi-spec-validator` (PyPI, pinned, in target/fuzz-venv) validates
//!    docs/openapi.json against the OpenAPI 3.1 specification;
//! 2. openapi-typescript (npm, pinned in contract/package-lock.json) generates a client into
//!    contract/generated/ (gitignored), and `tsc` type-checks contract/host.ts with it, strict;
//! 3. the compiled host program runs against the step's debug server: sign in, list with
//!    filters, read and patch with If-Match (409, 428), send twice with one client_id, add a
//!    label, read the event stream and resume with Last-Event-ID.
//!
//! A wrong contract fails step 1 or 2 (e.g. two operations with one operationId make the
//! generated `operations` map keep only one of them, and the host program stops compiling);
//! a server that does not do what the contract says fails step 3.

use std::path::PathBuf;
use std::time::Instant;

use crate::util::{Result, banner, cmd, probe, root, run, target_dir};

/// The pinned openapi-spec-validator release (PyPI), installed beside schemathesis.
pub const VALIDATOR_VERSION: &str = "0.9.0";

fn contract_dir() -> PathBuf {
    root().join("contract")
}

fn validator_bin() -> PathBuf {
    target_dir()
        .join("fuzz-venv")
        .join("bin")
        .join("openapi-spec-validator")
}

/// The validator's installed version, from the venv's pip (its CLI has no `--version`).
fn installed_validator() -> Option<String> {
    let pip = target_dir().join("fuzz-venv").join("bin").join("pip");
    let shown = probe(cmd(pip).args(["show", "openapi-spec-validator"]))?;
    shown
        .lines()
        .find_map(|line| line.strip_prefix("Version: "))
        .map(str::to_string)
}

/// Installs openapi-spec-validator into target/fuzz-venv (made by `ensure_schemathesis`,
/// which must run first) unless the pinned version is there.
pub fn ensure_validator() -> Result<Option<String>> {
    if installed_validator().as_deref() == Some(VALIDATOR_VERSION) {
        return Ok(None);
    }
    let pip = target_dir().join("fuzz-venv").join("bin").join("pip");
    run(cmd(pip)
        .args(["install", "--quiet", "--disable-pip-version-check"])
        .arg(format!("openapi-spec-validator=={VALIDATOR_VERSION}")))?;
    match installed_validator() {
        Some(v) if v == VALIDATOR_VERSION => Ok(Some(format!(
            "pip installed openapi-spec-validator {VALIDATOR_VERSION} into target/fuzz-venv"
        ))),
        other => Err(format!(
            "after pip install, openapi-spec-validator is {other:?}, not {VALIDATOR_VERSION}"
        )),
    }
}

/// `npm ci` in contract/ when its node_modules is not from contract/package-lock.json.
pub fn ensure_npm_packages() -> Result<Option<&'static str>> {
    crate::setup::npm_ci(&contract_dir(), "contract/")
}

/// Sub-steps 1 and 2: the document is valid OpenAPI 3.1, and a strict TypeScript program
/// compiles against the client generated from it. Each sub-step prints its time.
pub fn check_document() -> Result {
    let timed = |what: &str, action: &mut dyn FnMut() -> Result| -> Result {
        banner(&format!("contract: {what}"));
        let started = Instant::now();
        let result = action();
        let verdict = if result.is_ok() { "ok" } else { "FAILED" };
        println!(
            "contract: {what}: {verdict} in {:.1}s",
            started.elapsed().as_secs_f64()
        );
        result
    };
    timed("packages", &mut || {
        if let Some(did) = crate::fuzz::ensure_schemathesis()? {
            println!("contract: {did}");
        }
        if let Some(did) = ensure_validator()? {
            println!("contract: {did}");
        }
        if let Some(why) = ensure_npm_packages()? {
            println!("contract: npm ci in contract/ ({why})");
        }
        Ok(())
    })?;
    timed(
        &format!("openapi-spec-validator {VALIDATOR_VERSION} (OpenAPI 3.1)"),
        &mut || {
            run(cmd(validator_bin())
                .arg("--schema")
                .arg("3.1.0")
                .arg(root().join("docs").join("openapi.json")))
        },
    )?;
    let bin = contract_dir().join("node_modules").join(".bin");
    timed(
        "openapi-typescript: docs/openapi.json -> contract/generated/schema.d.ts",
        &mut || {
            run(cmd(bin.join("openapi-typescript"))
                .args(["../docs/openapi.json", "--output", "generated/schema.d.ts"])
                .current_dir(contract_dir()))
        },
    )?;
    timed("tsc -p contract (strict)", &mut || {
        // The old build goes first, so a failed compile cannot leave a stale program to run.
        let _ = std::fs::remove_dir_all(contract_dir().join("build"));
        run(cmd(bin.join("tsc"))
            .args(["-p", "."])
            .current_dir(contract_dir()))
    })
}

/// Sub-step 3: the compiled host program against the server at 127.0.0.1:`port`.
pub fn run_host_program(port: u16) -> Result {
    banner("contract: host program (contract/build/host.js) against the server");
    let started = Instant::now();
    let result = run(cmd("node")
        .arg(contract_dir().join("build").join("host.js"))
        .env("CONVOROOM_API", format!("http://127.0.0.1:{port}/api/v1"))
        .current_dir(contract_dir()));
    println!(
        "contract: host program: {} in {:.1}s",
        if result.is_ok() { "ok" } else { "FAILED" },
        started.elapsed().as_secs_f64()
    );
    result
}

//! The API step of `cargo xtask test`: the contract as a host's client generator reads it
//! (contract.rs: validator, generated TypeScript client, host program), then fuzzing.
//!
//! `cargo xtask fuzz`: schemathesis (from PyPI, in target/fuzz-venv) generates requests
//! from docs/openapi.json and sends them to a debug server on a free port with a fresh
//! demo database. Every response is checked (schemathesis `--checks all` but
//! `positive_data_acceptance`, see below): no 5xx, a documented status code, content type
//! and headers, a body that matches the documented schema, invalid input refused, 405 for
//! methods a path lacks, 401 without a token. It runs twice, as the demo admin and as a
//! non-admin agent. Reports go to target/fuzz/: a JUnit XML file and a HAR file (every
//! request and response, which is what we count) per pass, and the server's log.
//!
//! Each pass uses session tokens issued before any fuzzing, so the sign-in rate limit,
//! which the fuzzed sign-ins do trip (429, documented), cannot lock the run out. The
//! tokens reach schemathesis through the environment (xtask/schemathesis.toml reads
//! them), never through a printed command line.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::postgres::{Cluster, Durability};
use crate::supervise::spawn;
use crate::util::{
    Result, banner, build_debug_server, cmd, free_port, fresh_temp_dir, is_root, probe, root, run,
    target_dir,
};

/// The pinned schemathesis release (PyPI).
pub const SCHEMATHESIS_VERSION: &str = "4.32.5";
/// Test cases per API operation and phase: about 3 500 requests per pass, a minute for
/// both passes on 2 cores.
pub const MAX_EXAMPLES: u32 = 40;
/// Fixed, so a run can be repeated (`--seed` overrides it).
pub const SEED: u64 = 20261201;
/// A run must send at least this many requests to count.
const MIN_REQUESTS: usize = 1000;
/// The demo data's "now", pinned so every run fuzzes the same database.
const DEMO_ANCHOR: &str = "2026-01-01T00:00:00Z";
/// One pass per role: the admin sees everything and may manage tokens; an agent sees
/// only their teams' conversations (404 for the rest) and gets 403 on tokens.
const AGENTS: [(&str, &str); 2] = [
    ("admin", "maya@example.com"),
    ("agent", "jonas@example.com"),
];
const DEMO_PASSWORD: &str = "demo1234";

/// Checks left out of `--checks all`, each for a reason.
///
/// `positive_data_acceptance` expects every schema-valid request to succeed, but the
/// contract validates more than a JSON schema can say: ids must exist (`"agent_id": ""` is
/// a valid string, and 400 `agent_id is not a known id`), cursors must be ones the server
/// issued, attribute values must match their definitions. Those 400s are documented.
const EXCLUDED_CHECKS: &str = "positive_data_acceptance";

#[derive(Debug, PartialEq)]
pub struct FuzzOptions {
    pub max_examples: u32,
    pub seed: u64,
    /// Against a server on PostgreSQL (a throwaway cluster) instead of SQLite.
    pub postgres: bool,
    /// Validate docs/openapi.json and type-check the host program against the client
    /// generated from it (contract.rs), before the server starts.
    pub check_document: bool,
    /// Run the host program (contract.rs) against the fresh server, before any fuzzing.
    pub host_program: bool,
    /// schemathesis itself (off for `cargo xtask test --only contract`).
    pub schemathesis: bool,
}

impl Default for FuzzOptions {
    fn default() -> Self {
        FuzzOptions {
            max_examples: MAX_EXAMPLES,
            seed: SEED,
            postgres: false,
            check_document: false,
            host_program: false,
            schemathesis: true,
        }
    }
}

fn venv_dir() -> PathBuf {
    target_dir().join("fuzz-venv")
}

fn schemathesis_bin() -> PathBuf {
    venv_dir().join("bin").join("schemathesis")
}

fn report_dir() -> PathBuf {
    target_dir().join("fuzz")
}

/// Install schemathesis into target/fuzz-venv unless the pinned version is there.
/// Returns what was done, or None when nothing was needed.
pub fn ensure_schemathesis() -> Result<Option<String>> {
    let want = format!("schemathesis, version {SCHEMATHESIS_VERSION}");
    if probe(cmd(schemathesis_bin()).arg("--version")).as_deref() == Some(want.as_str()) {
        return Ok(None);
    }
    let venv = venv_dir();
    let pip = venv.join("bin").join("pip");
    let mut did = Vec::new();
    if !pip.is_file() {
        // A half-made venv (no pip: ensurepip was missing) is made again from scratch.
        let _ = std::fs::remove_dir_all(&venv);
        let make = || run(cmd("python3").arg("-m").arg("venv").arg(&venv));
        if let Err(first) = make() {
            // Debian's python3 needs python3-venv (ensurepip) for `python3 -m venv`.
            if !is_root() {
                return Err(format!(
                    "{first}\ncannot create a Python venv: install python3-venv as root with\n    \
                     apt-get update && apt-get install -y --no-install-recommends python3-venv"
                ));
            }
            let _ = std::fs::remove_dir_all(&venv);
            apt_install("python3-venv")?;
            did.push("apt-get installed python3-venv".to_string());
            make()?;
        }
    }
    run(cmd(&pip)
        .args(["install", "--quiet", "--disable-pip-version-check"])
        .arg(format!("schemathesis=={SCHEMATHESIS_VERSION}")))?;
    let got = probe(cmd(schemathesis_bin()).arg("--version"));
    if got.as_deref() != Some(want.as_str()) {
        return Err(format!(
            "after pip install, {} answers {got:?}, not {want:?}",
            schemathesis_bin().display()
        ));
    }
    did.push(format!(
        "pip installed schemathesis {SCHEMATHESIS_VERSION} into target/fuzz-venv"
    ));
    Ok(Some(did.join("; ")))
}

fn apt_install(package: &str) -> Result {
    run(cmd("apt-get")
        .arg("update")
        .env("DEBIAN_FRONTEND", "noninteractive"))?;
    run(cmd("apt-get")
        .args(["install", "-y", "--no-install-recommends", package])
        .env("DEBIAN_FRONTEND", "noninteractive"))
}

pub fn fuzz(opts: &FuzzOptions) -> Result {
    let started = Instant::now();
    if opts.check_document {
        crate::contract::check_document()?;
    }
    if opts.schemathesis {
        banner("fuzz: schemathesis");
        match ensure_schemathesis()? {
            Some(did) => println!("fuzz: {did}"),
            None => println!("fuzz: schemathesis {SCHEMATHESIS_VERSION} is installed"),
        }
    }

    let server_bin = build_debug_server("fuzz")?;

    let reports = report_dir();
    let _ = std::fs::remove_dir_all(&reports);
    std::fs::create_dir_all(&reports)
        .map_err(|e| format!("cannot create {}: {e}", reports.display()))?;
    let tmp = fresh_temp_dir("convoroom-fuzz")?;
    let port = free_port()?;
    let log_path = reports.join("server.log");
    let log = std::fs::File::create(&log_path)
        .map_err(|e| format!("cannot create {}: {e}", log_path.display()))?;
    let log_err = log.try_clone().map_err(|e| e.to_string())?;

    banner(&format!(
        "fuzz: server on 127.0.0.1:{port} (log: {})",
        shown(&log_path)
    ));
    // The cluster (if any) lives until the fuzzing is over.
    let cluster = if opts.postgres {
        Some(Cluster::start(Durability::Throwaway)?)
    } else {
        None
    };
    let database = match &cluster {
        Some(cluster) => cluster.url().into(),
        None => tmp.join("fuzz.db").into_os_string(),
    };
    let mut server_cmd = cmd(&server_bin);
    server_cmd
        .arg("--bind")
        .arg(format!("127.0.0.1:{port}"))
        .arg("--database")
        .arg(database)
        .arg("--assets")
        .arg(tmp.join("no-assets"))
        .args(["--demo-conversations", "60", "--demo-anchor", DEMO_ANCHOR])
        .stdout(Stdio::from(log))
        .stderr(Stdio::from(log_err));
    let mut server = spawn("server", &mut server_cmd)?;
    let result = wait_until_up(port, &mut server).and_then(|()| {
        // The host program first: it expects the demo data as seeded, not as fuzzed.
        if opts.host_program {
            crate::contract::run_host_program(port)?;
        }
        if opts.schemathesis {
            run_schemathesis(port, opts, &log_path)?;
        }
        Ok(())
    });
    server.stop();
    drop(cluster);
    match &result {
        Ok(()) => {
            let _ = std::fs::remove_dir_all(&tmp);
        }
        Err(_) => println!("fuzz: kept the database in {}", tmp.display()),
    }
    println!(
        "fuzz: finished in {:.0}s; reports in {}",
        started.elapsed().as_secs_f64(),
        shown(&reports)
    );
    result
}

fn wait_until_up(port: u16, server: &mut crate::supervise::Supervised) -> Result {
    let deadline = Instant::now() + Duration::from_secs(120);
    while Instant::now() < deadline {
        if let Some(status) = server.exited() {
            return Err(format!("the server exited ({status}) before it answered"));
        }
        if matches!(
            http(port, "GET", "/api/v1/health", None, None),
            Ok((200, _))
        ) {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    Err("the server did not answer /api/v1/health within 120 s".into())
}

fn sign_in(port: u16, email: &str) -> Result<String> {
    let body = format!(r#"{{"email":"{email}","password":"{DEMO_PASSWORD}"}}"#);
    let (status, answer) = http(port, "POST", "/api/v1/auth/sign-in", Some(&body), None)?;
    if status != 200 {
        return Err(format!("sign-in as {email} answered {status}: {answer}"));
    }
    json_string(&answer, "token").ok_or_else(|| format!("no token in the sign-in answer: {answer}"))
}

/// One schemathesis run as one demo agent.
struct Pass {
    role: &'static str,
    email: &'static str,
    /// The session every request uses.
    token: String,
    /// A second session, only for sign-out (which revokes the token it is called with).
    sign_out_token: String,
}

/// What one pass left in its reports.
struct Tally {
    requests: usize,
    failures: Option<usize>,
    errors: Option<usize>,
    still_signed_in: bool,
}

fn run_schemathesis(port: u16, opts: &FuzzOptions, server_log: &Path) -> Result {
    // Every session is issued before any fuzzed sign-in can trip the rate limit.
    let mut passes = Vec::new();
    for (role, email) in AGENTS {
        passes.push(Pass {
            role,
            email,
            token: sign_in(port, email)?,
            sign_out_token: sign_in(port, email)?,
        });
    }
    let mut outcome = Ok(());
    let mut tallies = Vec::new();
    for pass in &passes {
        let (result, tally) = run_pass(port, opts, pass);
        if outcome.is_ok() {
            outcome = result;
        }
        tallies.push(tally);
    }

    // The verdict: schemathesis' exit statuses, the request count, and a sane server.
    let panics = std::fs::read_to_string(server_log)
        .map(|log| log.matches("panicked").count())
        .unwrap_or(0);
    let count = |n: Option<usize>| n.map_or("?".into(), |n| n.to_string());
    println!();
    for (pass, t) in passes.iter().zip(&tallies) {
        println!(
            "fuzz: as {} ({}): {} requests, {} failing operations, {} errors",
            pass.email,
            pass.role,
            t.requests,
            count(t.failures),
            count(t.errors)
        );
    }
    let requests: usize = tallies.iter().map(|t| t.requests).sum();
    let failed = tallies
        .iter()
        .any(|t| t.failures != Some(0) || t.errors != Some(0));
    println!(
        "fuzz: {requests} requests in all, {} server panics; reports in {}",
        panics,
        shown(&report_dir())
    );
    outcome?;
    if requests < MIN_REQUESTS {
        return Err(format!(
            "only {requests} requests were sent (at least {MIN_REQUESTS} are required): \
             raise --max-examples"
        ));
    }
    if failed {
        return Err("a JUnit report does not say 0 failures and 0 errors".into());
    }
    if panics > 0 {
        return Err(format!(
            "the server panicked {panics} times (see {})",
            shown(server_log)
        ));
    }
    if let Some((pass, _)) = passes
        .iter()
        .zip(&tallies)
        .find(|(_, t)| !t.still_signed_in)
    {
        return Err(format!(
            "the session of {} was revoked during the run, so later requests were not \
             authenticated: check xtask/schemathesis.toml",
            pass.email
        ));
    }
    Ok(())
}

fn run_pass(port: u16, opts: &FuzzOptions, pass: &Pass) -> (Result, Tally) {
    let reports = report_dir();
    let junit = reports.join(format!("junit-{}.xml", pass.role));
    let har = reports.join(format!("requests-{}.har", pass.role));
    banner(&format!(
        "fuzz: schemathesis as {} ({})",
        pass.email, pass.role
    ));
    let mut c = cmd(schemathesis_bin());
    c.arg("--config-file")
        .arg(root().join("xtask").join("schemathesis.toml"))
        .arg("--no-color")
        .arg("run")
        .arg(root().join("docs").join("openapi.json"))
        .arg("--url")
        .arg(format!("http://127.0.0.1:{port}"))
        .args(["--checks", "all", "--exclude-checks", EXCLUDED_CHECKS])
        .arg("--max-examples")
        .arg(opts.max_examples.to_string())
        .arg("--seed")
        .arg(opts.seed.to_string())
        .args(["--workers", "1", "--request-timeout", "30"])
        .args(["--report", "junit,har"])
        .arg("--report-junit-path")
        .arg(&junit)
        .arg("--report-har-path")
        .arg(&har)
        // schemathesis keeps state in the working directory: keep it in target/fuzz.
        .current_dir(&reports)
        .env("CONVOROOM_FUZZ_TOKEN", &pass.token)
        .env("CONVOROOM_FUZZ_SIGN_OUT_TOKEN", &pass.sign_out_token);
    let result = run(&mut c);
    let junit_text = std::fs::read_to_string(&junit).unwrap_or_default();
    let tally = Tally {
        requests: std::fs::read_to_string(&har)
            .map(|text| count_har_entries(&text))
            .unwrap_or(0),
        failures: junit_count(&junit_text, "failures"),
        errors: junit_count(&junit_text, "errors"),
        still_signed_in: matches!(
            http(port, "GET", "/api/v1/me", None, Some(&pass.token)),
            Ok((200, _))
        ),
    };
    (result, tally)
}

/// A path relative to the repo root, for messages.
fn shown(path: &Path) -> String {
    path.strip_prefix(root())
        .unwrap_or(path)
        .display()
        .to_string()
}

/// One HTTP/1.1 request to 127.0.0.1:`port`; returns the status and the body.
fn http(
    port: u16,
    method: &str,
    path: &str,
    body: Option<&str>,
    token: Option<&str>,
) -> Result<(u16, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .map_err(|e| e.to_string())?;
    let mut request = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\
         Accept: application/json\r\n"
    );
    if let Some(token) = token {
        request.push_str(&format!("Authorization: Bearer {token}\r\n"));
    }
    let body = body.unwrap_or_default();
    if !body.is_empty() {
        request.push_str("Content-Type: application/json\r\n");
    }
    request.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
    stream
        .write_all(request.as_bytes())
        .map_err(|e| e.to_string())?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).map_err(|e| e.to_string())?;
    parse_response(&String::from_utf8_lossy(&answer))
}

fn parse_response(text: &str) -> Result<(u16, String)> {
    let (head, body) = text
        .split_once("\r\n\r\n")
        .ok_or("an HTTP answer without a header end")?;
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| format!("no status in {head:?}"))?;
    let chunked = head.lines().any(|l| {
        let l = l.to_ascii_lowercase();
        l.starts_with("transfer-encoding:") && l.contains("chunked")
    });
    let body = if chunked {
        dechunk(body)
    } else {
        body.to_string()
    };
    Ok((status, body))
}

fn dechunk(mut rest: &str) -> String {
    let mut out = String::new();
    while let Some((size, after)) = rest.split_once("\r\n") {
        let Ok(size) = usize::from_str_radix(size.split(';').next().unwrap_or("").trim(), 16)
        else {
            break;
        };
        if size == 0 || after.len() < size {
            break;
        }
        out.push_str(&after[..size]);
        rest = after[size..].trim_start_matches("\r\n");
    }
    out
}

/// The string value of `"key":"…"` in a flat JSON text (tokens have no escapes).
fn json_string(json: &str, key: &str) -> Option<String> {
    let start = json.find(&format!("\"{key}\":\""))? + key.len() + 4;
    let len = json[start..].find('"')?;
    Some(json[start..start + len].to_string())
}

/// HAR entries each have one `"startedDateTime":` key (a quote inside a string value
/// is escaped, so the pattern cannot come from a request or response body).
fn count_har_entries(har: &str) -> usize {
    har.matches("\"startedDateTime\":").count()
}

/// `failures="N"` (or `errors`) of the JUnit report's `<testsuites>` element.
fn junit_count(junit: &str, attribute: &str) -> Option<usize> {
    let root = junit.split("<testsuites").nth(1)?.split('>').next()?;
    let start = root.find(&format!("{attribute}=\""))? + attribute.len() + 2;
    let len = root[start..].find('"')?;
    root[start..start + len].parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_token_from_a_session() {
        let json =
            r#"{"token":"ab-C_9","expires_at":"2026-12-08T05:24:18.169Z","agent":{"id":"1"}}"#;
        assert_eq!(json_string(json, "token").as_deref(), Some("ab-C_9"));
        assert_eq!(json_string(json, "nope"), None);
    }

    #[test]
    fn parses_plain_and_chunked_answers() {
        let plain = "HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}";
        assert_eq!(parse_response(plain), Ok((200, "{}".into())));
        let chunked = "HTTP/1.1 401 Unauthorized\r\ntransfer-encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n";
        assert_eq!(parse_response(chunked), Ok((401, "abcde".into())));
    }

    #[test]
    fn counts_requests_and_failures_from_the_reports() {
        let har = r#"{"log":{"entries":[{"startedDateTime":"x","request":{"postData":{"text":"{\"startedDateTime\":1}"}}},{"startedDateTime":"y"}]}}"#;
        assert_eq!(count_har_entries(har), 2);
        let junit = r#"<?xml version="1.0"?><testsuites errors="0" failures="3" tests="54"><testsuite failures="9">"#;
        assert_eq!(junit_count(junit, "failures"), Some(3));
        assert_eq!(junit_count(junit, "errors"), Some(0));
        assert_eq!(junit_count("", "errors"), None);
    }
}

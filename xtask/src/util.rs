//! Shared helpers: the repo layout, the tool PATH, and running commands loudly.

use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{SystemTime, UNIX_EPOCH};

/// Every fallible xtask function returns a human-readable message on error.
pub type Result<T = ()> = std::result::Result<T, String>;

/// The demo account the reference server seeds.
pub const DEMO_SIGN_IN: &str = "maya@example.com / demo1234";

/// Repository root (the parent of `xtask/`).
pub fn root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}

/// cargo's target dir (honours CARGO_TARGET_DIR).
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if PathBuf::from(&dir).is_absolute() => PathBuf::from(dir),
        Some(dir) => root().join(dir),
        None => root().join("target"),
    }
}

pub fn e2e_dir() -> PathBuf {
    root().join("e2e")
}

/// `$CARGO_HOME` (default `~/.cargo`): where cargo installs trunk and wasm-bindgen.
pub fn cargo_home() -> PathBuf {
    if let Some(home) = std::env::var_os("CARGO_HOME") {
        return PathBuf::from(home);
    }
    let home = std::env::var_os("HOME").unwrap_or_else(|| "/root".into());
    PathBuf::from(home).join(".cargo")
}

pub fn cargo_bin_dir() -> PathBuf {
    cargo_home().join("bin")
}

/// Where `cargo xtask setup` installs binaryen 132 from npm (tools/wasm-opt), once per machine
/// like trunk; `$CARGO_HOME/bin/wasm-opt` links to its `node_modules/.bin/wasm-opt`.
pub fn wasm_opt_dir() -> PathBuf {
    cargo_home().join("convoroom-tools").join("wasm-opt")
}

/// PATH for every tool we run: our wasm-opt's `.bin` FIRST (so Debian's wasm-opt 108 is never
/// picked up by trunk, whatever else `$CARGO_HOME/bin` holds), then `$CARGO_HOME/bin`, then
/// the caller's PATH.
pub fn tool_path() -> OsString {
    let mut dirs = vec![
        wasm_opt_dir().join("node_modules").join(".bin"),
        cargo_bin_dir(),
    ];
    if let Some(path) = std::env::var_os("PATH") {
        dirs.extend(std::env::split_paths(&path));
    }
    std::env::join_paths(dirs).unwrap_or_default()
}

/// The cargo that runs us (keeps the same toolchain), else `cargo` from PATH.
pub fn cargo_program() -> OsString {
    std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into())
}

/// A command with our PATH, run from the repo root, never asking trunk to phone home.
pub fn cmd(program: impl AsRef<OsStr>) -> Command {
    let mut c = Command::new(program);
    c.current_dir(root())
        .env("PATH", tool_path())
        .env("TRUNK_SKIP_VERSION_CHECK", "true");
    c
}

pub fn cargo() -> Command {
    cmd(cargo_program())
}

/// Builds the reference server in debug (`what` names the step in the log) and returns the
/// binary's path.
pub fn build_debug_server(what: &str) -> Result<PathBuf> {
    banner(&format!("{what}: building the server (debug)"));
    run(cargo().args([
        "build",
        "-p",
        "convoroom-server",
        "--bin",
        "convoroom-server",
    ]))?;
    Ok(target_dir().join("debug").join("convoroom-server"))
}

/// Env vars whose values never go into the log (e.g. the fuzzer's bearer tokens).
fn secret(key: &str) -> bool {
    let key = key.to_ascii_uppercase();
    ["TOKEN", "SECRET", "PASSWORD", "API_KEY"]
        .iter()
        .any(|word| key.contains(word))
}

/// `$ program args` plus the non-default env vars and cwd, for the log
/// (the values of secret-looking env vars are shown as `***`).
pub fn describe(c: &Command) -> String {
    let mut out = String::new();
    for (key, value) in c.get_envs() {
        let key = key.to_string_lossy();
        if key == "PATH" || key == "TRUNK_SKIP_VERSION_CHECK" {
            continue;
        }
        if let Some(value) = value {
            if secret(&key) {
                out.push_str(&format!("{key}=*** "));
            } else {
                out.push_str(&format!("{key}={} ", quote(value)));
            }
        }
    }
    let program = c.get_program();
    if program == cargo_program().as_os_str() {
        out.push_str("cargo");
    } else {
        out.push_str(&quote(program));
    }
    for arg in c.get_args() {
        out.push(' ');
        out.push_str(&quote(arg));
    }
    if let Some(dir) = c.get_current_dir()
        && dir != root()
    {
        let shown = dir.strip_prefix(root()).unwrap_or(dir);
        out.push_str(&format!("   (in {})", shown.display()));
    }
    out
}

fn quote(s: &OsStr) -> String {
    let s = s.to_string_lossy();
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@,+%".contains(c));
    if plain {
        s.into_owned()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

/// Print the command, run it with inherited stdio, fail on a non-zero exit.
pub fn run(c: &mut Command) -> Result {
    println!("$ {}", describe(c));
    let status = c
        .stdin(Stdio::inherit())
        .status()
        .map_err(|e| format!("could not start `{}`: {e}", describe(c)))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{}` failed ({status})", describe(c)))
    }
}

/// Run a probe such as `trunk --version` quietly; return its trimmed output
/// (stdout, else stderr) when it exits 0. The command and answer are printed.
pub fn probe(c: &mut Command) -> Option<String> {
    let shown = describe(c);
    let answer = match c.stdin(Stdio::null()).output() {
        Ok(out) if out.status.success() => {
            let text = if out.stdout.trim_ascii().is_empty() {
                out.stderr
            } else {
                out.stdout
            };
            Some(String::from_utf8_lossy(&text).trim().to_string())
        }
        _ => None,
    };
    let first_line = answer.as_deref().and_then(|a| a.lines().next());
    println!("$ {shown}  ->  {}", first_line.unwrap_or("(not available)"));
    answer
}

/// FNV-1a 64-bit: a stable content hash for stamps (std's hasher may change).
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// The `version` of package `name` in a Cargo.lock text.
pub fn lock_version(lock: &str, name: &str) -> Option<String> {
    let wanted = format!("name = \"{name}\"");
    lock.split("[[package]]").find_map(|block| {
        let mut lines = block.lines().map(str::trim);
        if !lines.clone().any(|l| l == wanted) {
            return None;
        }
        lines.find_map(|l| {
            l.strip_prefix("version = \"")
                .and_then(|v| v.strip_suffix('"'))
                .map(str::to_string)
        })
    })
}

/// A TCP port on 127.0.0.1 that was free a moment ago.
pub fn free_port() -> Result<u16> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")
        .map_err(|e| format!("cannot bind 127.0.0.1:0 to find a free port: {e}"))?;
    listener
        .local_addr()
        .map(|a| a.port())
        .map_err(|e| e.to_string())
}

/// A fresh, empty directory under the system temp dir.
pub fn fresh_temp_dir(prefix: &str) -> Result<PathBuf> {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let dir = std::env::temp_dir().join(format!("{prefix}-{}-{nanos}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    Ok(dir)
}

pub fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("Uid:"))
                .and_then(|l| l.split_whitespace().nth(2).map(|euid| euid == "0"))
        })
        .unwrap_or(false)
}

/// A visible section header in the log.
pub fn banner(title: &str) {
    println!("\n==> {title}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_locked_version_of_a_package() {
        let lock = "version = 4\n\n[[package]]\nname = \"wasm-bindgen-futures\"\nversion = \"0.4.1\"\n\n\
                    [[package]]\nname = \"wasm-bindgen\"\nversion = \"0.2.130\"\nsource = \"registry\"\n";
        assert_eq!(
            lock_version(lock, "wasm-bindgen").as_deref(),
            Some("0.2.130")
        );
        assert_eq!(lock_version(lock, "trunk"), None);
    }

    #[test]
    fn fnv_is_stable() {
        assert_eq!(fnv1a64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
    }

    #[test]
    fn hides_secret_env_values() {
        let mut c = Command::new("schemathesis");
        c.env("CONVOROOM_FUZZ_TOKEN", "abc123")
            .env("E2E_PORT", "8080");
        let shown = describe(&c);
        assert!(shown.contains("CONVOROOM_FUZZ_TOKEN=***"), "{shown}");
        assert!(shown.contains("E2E_PORT=8080"), "{shown}");
        assert!(!shown.contains("abc123"), "{shown}");
    }

    #[test]
    fn quotes_only_when_needed() {
        assert_eq!(quote(OsStr::new("--bind")), "--bind");
        assert_eq!(quote(OsStr::new("a b")), "'a b'");
    }
}

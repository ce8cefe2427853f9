//! `cargo xtask run` (release server serving dist/) and `cargo xtask dev`
//! (debug server + `trunk serve` with live reload), both stopped by Ctrl-C.

use std::net::{TcpStream, ToSocketAddrs};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::build::{BuildOptions, build};
use crate::postgres::{Cluster, Durability};
use crate::setup::setup_for_running;
use crate::supervise::{spawn, supervise};
use crate::util::{DEMO_SIGN_IN, Result, banner, build_debug_server, cargo, cmd, root, run};

pub const DEFAULT_BIND: &str = "127.0.0.1:8080";

#[derive(Default, Debug, PartialEq)]
pub struct RunOptions {
    /// `--bind`, else env `CONVOROOM_BIND`, else 127.0.0.1:8080.
    pub bind: Option<String>,
    /// `--database`, else `.data/convoroom.db` in the repo (gitignored).
    pub database: Option<PathBuf>,
    pub public_url: Option<String>,
    /// `--no-build`: serve whatever is in dist/ already.
    pub no_build: bool,
    /// `--postgres`: a throwaway PostgreSQL cluster instead of the SQLite file.
    pub postgres: bool,
}

#[derive(Debug, PartialEq)]
pub struct DevOptions {
    /// trunk serve's port (the URL you open).
    pub port: u16,
    /// The debug API server's port; trunk proxies `/api/` to it.
    pub api_port: u16,
    pub database: Option<PathBuf>,
}

impl Default for DevOptions {
    fn default() -> Self {
        DevOptions {
            port: 8080,
            api_port: 8081,
            database: None,
        }
    }
}

fn database_path(given: &Option<PathBuf>) -> Result<PathBuf> {
    if let Some(url) = given
        .as_ref()
        .filter(|g| g.to_string_lossy().starts_with("postgres"))
    {
        // A PostgreSQL URL goes to the server as it is.
        return Ok(url.clone());
    }
    let path = given
        .clone()
        .unwrap_or_else(|| root().join(".data").join("convoroom.db"));
    let path = if path.is_absolute() {
        path
    } else {
        std::env::current_dir()
            .map_err(|e| e.to_string())?
            .join(path)
    };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    Ok(path)
}

pub fn run_app(opts: &RunOptions) -> Result {
    setup_for_running()?;
    if opts.no_build {
        println!("run: --no-build: serving the existing dist/");
    } else {
        build(&BuildOptions {
            public_url: opts.public_url.clone(),
        })?;
    }
    let bind = opts
        .bind
        .clone()
        .or_else(|| {
            std::env::var("CONVOROOM_BIND")
                .ok()
                .filter(|b| !b.is_empty())
        })
        .unwrap_or_else(|| DEFAULT_BIND.to_string());
    ensure_free(&bind)?;
    // The cluster (if any) lives until the server stops, then goes with its data.
    let (database, _cluster) = if opts.postgres {
        if opts.database.is_some() {
            return Err("run: --postgres and --database exclude each other".into());
        }
        crate::setup::setup_postgresql()?;
        banner("run: starting a throwaway PostgreSQL cluster (removed when the server stops)");
        let cluster = Cluster::start(Durability::Default)?;
        println!("run: PostgreSQL at {}", cluster.url());
        (std::ffi::OsString::from(cluster.url()), Some(cluster))
    } else {
        (database_path(&opts.database)?.into_os_string(), None)
    };
    banner("run: building the server (profile `server`: optimised for speed, built in minutes)");
    run(cargo().args([
        "build",
        "--profile",
        "server",
        "-p",
        "convoroom-server",
        "--bin",
        "convoroom-server",
    ]))?;

    banner("run: starting the server (Ctrl-C stops it)");
    let mut server = cargo();
    server
        .args([
            "run",
            "--profile",
            "server",
            "-p",
            "convoroom-server",
            "--bin",
            "convoroom-server",
        ])
        .arg("--")
        .args(["--bind", &bind, "--assets"])
        .arg(root().join("dist"))
        .arg("--database")
        .arg(&database);
    let child = spawn("server", &mut server)?;
    announce_when_up(&bind, bind_url(&bind), "");
    supervise(vec![child])
}

pub fn dev(opts: &DevOptions) -> Result {
    setup_for_running()?;
    let database = database_path(&opts.database)?;
    let api_bind = format!("127.0.0.1:{}", opts.api_port);
    ensure_free(&api_bind)?;
    ensure_free(&format!("127.0.0.1:{}", opts.port))?;
    build_debug_server("dev")?;

    banner("dev: starting the API server and trunk serve (Ctrl-C stops both)");
    let mut server = cargo();
    server
        .args([
            "run",
            "-p",
            "convoroom-server",
            "--bin",
            "convoroom-server",
            "--",
        ])
        .args(["--bind", &api_bind, "--database"])
        .arg(&database);
    let server = spawn("server", &mut server)?;

    // Debug assets go to target/dev-dist so dist/ stays the release build.
    let mut trunk = cmd("trunk");
    trunk
        .args(["serve", "index.html", "--port", &opts.port.to_string()])
        .args(["--address", "127.0.0.1", "--dist"])
        .arg(root().join("target").join("dev-dist"))
        .arg("--proxy-backend")
        .arg(format!("http://{api_bind}/api/"));
    let trunk = spawn("trunk serve", &mut trunk)?;
    let url = format!("http://127.0.0.1:{}", opts.port);
    announce_when_up(
        &format!("127.0.0.1:{}", opts.port),
        url,
        " (live reload; /api/ is proxied to the debug server)",
    );
    supervise(vec![server, trunk])
}

/// Fail early and clearly when something already listens on `addr` (else the
/// "is up" message below would point at someone else's server).
fn ensure_free(addr: &str) -> Result {
    std::net::TcpListener::bind(addr).map(drop).map_err(|e| {
        format!(
            "cannot listen on {addr}: {e} (another server running? pick another with --bind/--port)"
        )
    })
}

/// The address to open in a browser for a bind address like 0.0.0.0:8080.
fn bind_url(bind: &str) -> String {
    let shown = bind
        .strip_prefix("0.0.0.0:")
        .map(|port| format!("127.0.0.1:{port}"))
        .unwrap_or_else(|| bind.to_string());
    format!("http://{shown}")
}

/// Print the URL and the demo sign-in once something accepts connections on
/// `addr` (in a background thread, so Ctrl-C handling is unaffected).
fn announce_when_up(addr: &str, url: String, note: &'static str) {
    let addr = addr.replace("0.0.0.0:", "127.0.0.1:");
    std::thread::spawn(move || {
        let deadline = Instant::now() + Duration::from_secs(30 * 60);
        while Instant::now() < deadline {
            let up = addr
                .to_socket_addrs()
                .ok()
                .and_then(|mut a| a.next())
                .is_some_and(|a| {
                    TcpStream::connect_timeout(&a, Duration::from_millis(300)).is_ok()
                });
            if up {
                println!("\n==> Convoroom is up: open {url}{note}");
                println!("==> Demo sign-in: {DEMO_SIGN_IN}   (Ctrl-C stops)\n");
                return;
            }
            std::thread::sleep(Duration::from_millis(500));
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcard_binds_are_shown_as_loopback() {
        assert_eq!(bind_url("0.0.0.0:9000"), "http://127.0.0.1:9000");
        assert_eq!(bind_url("127.0.0.1:8080"), "http://127.0.0.1:8080");
    }
}

//! A throwaway PostgreSQL cluster: `initdb` in a temporary directory, started on a free port
//! of 127.0.0.1 (and a Unix socket in that directory), stopped and removed when dropped.
//! Nothing depends on a system service. PostgreSQL refuses to run as root: as root the
//! cluster runs as the `postgres` user Debian's package creates.

use std::path::PathBuf;
use std::process::Command;

use crate::util::{Result, cmd, free_port, fresh_temp_dir, is_root, run};

/// The newest PostgreSQL we may use (15 or later) lives here.
pub fn bin_dir() -> Option<PathBuf> {
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|entry| {
            let entry = entry.ok()?;
            let version: u32 = entry.file_name().to_str()?.parse().ok()?;
            let bin = entry.path().join("bin");
            (version >= 15 && bin.join("initdb").exists()).then_some((version, bin))
        })
        .collect();
    found.sort();
    found.pop().map(|(_, bin)| bin)
}

pub struct Cluster {
    dir: PathBuf,
    bin: PathBuf,
    pub port: u16,
    as_postgres: bool,
}

/// What the cluster is for.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Durability {
    /// Tests: no fsync (a crash loses the cluster, which is thrown away anyway).
    Throwaway,
    /// `cargo xtask run --postgres` and the benchmark: PostgreSQL's durable defaults.
    Default,
}

/// Settings every cluster gets: the working set is meant to be in memory on fast storage
/// (README, "Running at scale"), and tests open many connections at once.
const SETTINGS: &str = "-c max_connections=300 -c shared_buffers=512MB -c random_page_cost=1.1 \
    -c effective_cache_size=4GB";

impl Cluster {
    pub fn start(durability: Durability) -> Result<Cluster> {
        let bin = bin_dir().ok_or(
            "PostgreSQL 15+ is missing: run `cargo xtask setup` (Debian package `postgresql`)",
        )?;
        let dir = fresh_temp_dir("convoroom-pg")?;
        let as_postgres = is_root();
        if as_postgres {
            // The postgres user must be able to write there.
            run(Command::new("chmod").arg("777").arg(&dir))?;
        }
        let mut cluster = Cluster {
            dir,
            bin,
            port: free_port()?,
            as_postgres,
        };
        let data = cluster.dir.join("data");
        run(cluster
            .tool("initdb")
            .arg("-D")
            .arg(&data)
            .args(["-A", "trust", "-U", "convoroom", "-E", "UTF8"])
            .args(["--locale=C.UTF-8", "--no-sync"]))?;
        let mut settings = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 {SETTINGS}",
            cluster.port,
            cluster.dir.display()
        );
        if durability == Durability::Throwaway {
            settings.push_str(" -c fsync=off -c synchronous_commit=off -c full_page_writes=off");
        }
        run(cluster
            .tool("pg_ctl")
            .arg("-D")
            .arg(&data)
            .args(["-o", &settings, "-l"])
            .arg(cluster.dir.join("postgres.log"))
            .args(["-w", "start"]))
        .map_err(|e| {
            let log = std::fs::read_to_string(cluster.dir.join("postgres.log")).unwrap_or_default();
            cluster.port = 0;
            format!("{e}\n{log}")
        })?;
        run(cluster
            .tool("createdb")
            .args(["-h", "127.0.0.1", "-p", &cluster.port.to_string()])
            .args(["-U", "convoroom", "convoroom"]))?;
        Ok(cluster)
    }

    /// `convoroom` on this cluster.
    pub fn url(&self) -> String {
        self.url_of("convoroom")
    }

    /// A new, empty database on this cluster, by URL.
    pub fn create_database(&self, name: &str) -> Result<String> {
        run(self
            .tool("createdb")
            .args(["-h", "127.0.0.1", "-p", &self.port.to_string()])
            .args(["-U", "convoroom", name]))?;
        Ok(self.url_of(name))
    }

    /// The maintenance database, from which tests create their own.
    pub fn server_url(&self) -> String {
        self.url_of("postgres")
    }

    fn url_of(&self, database: &str) -> String {
        format!("postgres://convoroom@127.0.0.1:{}/{database}", self.port)
    }

    /// A PostgreSQL tool, run as `postgres` when we are root.
    fn tool(&self, name: &str) -> Command {
        let program = self.bin.join(name);
        if self.as_postgres {
            let mut c = cmd("runuser");
            c.args(["-u", "postgres", "--"]).arg(program);
            c.current_dir(&self.dir);
            c
        } else {
            cmd(program)
        }
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        if self.port != 0 {
            let _ = run(self
                .tool("pg_ctl")
                .arg("-D")
                .arg(self.dir.join("data"))
                .args(["-m", "immediate", "-w", "stop"]));
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

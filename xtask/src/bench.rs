//! `cargo xtask bench [--quick]`: release assets, the server's query benchmark on SQLite and
//! on PostgreSQL, sustained event load on SQLite (one replica) and PostgreSQL (two replicas),
//! then the browser and fan-out measurements of e2e/bench/run.mjs against a large seeded
//! database. Writes target/bench/report.json and target/bench/report.md, with PASS/FAIL per
//! budget. `--quick` (run in CI) uses small data and one run: it keeps the harness working
//! and reports, but does not judge the budgets.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use crate::build::{BuildOptions, build};
use crate::postgres::{Cluster, Durability};
use crate::setup::setup;
use crate::util::{Result, banner, cargo, cmd, e2e_dir, root, run};

#[derive(Debug, Default, PartialEq)]
pub struct BenchOptions {
    pub quick: bool,
    /// Only the reply delivery latency (`--only delivery`).
    pub only_delivery: bool,
}

/// The sustained-load figure of issue #16: streams, inbound messages per second, seconds.
struct Load {
    streams: u32,
    rate: u32,
    seconds: u32,
    /// Demo conversations of the database the replicas serve.
    conversations: u32,
}

pub fn bench(opts: &BenchOptions) -> Result {
    // The delivery figure needs only the server.
    if !opts.only_delivery {
        setup()?;
        build(&BuildOptions::default())?;
    }
    let out = root().join("target").join("bench");
    std::fs::create_dir_all(&out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    // Quick mode reuses the debug build the tests made; the real run measures the server
    // as deployed (profile `server`).
    let profile = if opts.quick { "dev" } else { "server" };
    let profile_dir = if opts.quick { "debug" } else { "server" };
    banner(&format!("bench: building the server (profile {profile})"));
    run(cargo().args([
        "build",
        "--profile",
        profile,
        "-p",
        "convoroom-server",
        "--bins",
    ]))?;
    let bins = root().join("target").join(profile_dir);
    let rows = out.join("rows");
    let _ = std::fs::remove_dir_all(&rows);
    std::fs::create_dir_all(&rows).map_err(|e| format!("cannot create {}: {e}", rows.display()))?;

    delivery_latency(&bins, opts, &out)?;
    if opts.only_delivery {
        let missed = append_server_rows(&out.join("report.md"), &rows)?;
        return if missed > 0 {
            Err(format!("{missed} server budget(s) missed"))
        } else {
            Ok(())
        };
    }

    let (conversations, messages) = if opts.quick {
        ("2000", "20000")
    } else {
        ("100000", "2000000")
    };
    let queries = |label: &str, database: Option<&str>, json: &str, row: &str| -> Result {
        banner(&format!(
            "bench: server queries on {label} at {conversations} conversations / {messages} messages"
        ));
        let mut c = cmd(bins.join("convoroom-bench"));
        c.args(["--conversations", conversations, "--messages", messages])
            .args(["--iterations", if opts.quick { "10" } else { "100" }])
            .args(["--label", label, "--out"])
            .arg(out.join(json))
            .arg("--row")
            .arg(rows.join(row));
        if let Some(database) = database {
            c.args(["--database", database]);
        }
        if opts.quick {
            c.arg("--quick");
        }
        run(&mut c)
    };
    queries("SQLite", None, "server.json", "1-sqlite-queries.md")?;

    let load = if opts.quick {
        Load {
            streams: 50,
            rate: 5,
            seconds: 5,
            conversations: 300,
        }
    } else {
        Load {
            streams: 500,
            rate: 20,
            seconds: 60,
            conversations: 10_000,
        }
    };
    {
        let dir = out.join("sqlite-load");
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        let database = dir.join("load.db").to_string_lossy().to_string();
        sustained_load(
            &bins,
            opts,
            &load,
            &[database],
            "SQLite, 1 replica",
            "3-sqlite",
            &out,
        )?;
        let _ = std::fs::remove_dir_all(&dir);
    }
    {
        // One throwaway cluster (durable settings, as deployed) for the PostgreSQL figures;
        // it is gone before the browser measurements start.
        banner("bench: a throwaway PostgreSQL cluster");
        let cluster = Cluster::start(Durability::Default)?;
        let database = cluster.create_database("bench_queries")?;
        queries(
            "PostgreSQL",
            Some(&database),
            "server-postgres.json",
            "2-postgres-queries.md",
        )?;
        let database = cluster.create_database("bench_load")?;
        sustained_load(
            &bins,
            opts,
            &load,
            &[database.clone(), database],
            "PostgreSQL, 2 replicas",
            "4-postgres",
            &out,
        )?;
    }

    banner("bench: browser, live and fan-out measurements (e2e/bench/run.mjs)");
    let mut node = cmd("node");
    node.arg("bench/run.mjs")
        .current_dir(e2e_dir())
        .env("BENCH_SERVER_BIN", bins.join("convoroom-server"))
        .env("BENCH_ASSETS", root().join("dist"))
        .env("BENCH_OUT", &out);
    if opts.quick {
        node.env("BENCH_QUICK", "1");
    }
    let browser = run(&mut node);
    let missed = append_server_rows(&out.join("report.md"), &rows)?;
    println!(
        "bench: report in {} and {}",
        out.join("report.md").display(),
        out.join("report.json").display()
    );
    browser?;
    if missed > 0 {
        return Err(format!(
            "{missed} server budget(s) missed (target/bench/report.md)"
        ));
    }
    Ok(())
}

/// Reply delivery latency (issue #15): one server on a fresh SQLite database, 200 replies sent
/// one after the other, each timed from Send until the integration's webhook has it.
fn delivery_latency(bins: &Path, opts: &BenchOptions, out: &Path) -> Result {
    banner("bench: reply delivery latency, Send → integration's webhook");
    let dir = out.join("delivery");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let database = dir.join("delivery.db").to_string_lossy().to_string();
    let server = Replica::start(bins, &database, 300)?;
    let mut c = cmd(bins.join("convoroom-delivery"));
    c.args(["--server", &format!("http://{}", server.addr)])
        .args(["--messages", if opts.quick { "20" } else { "200" }])
        .arg("--out")
        .arg(out.join("delivery.json"))
        .arg("--row")
        .arg(out.join("rows").join("5-delivery.md"));
    if opts.quick {
        c.arg("--quick");
    }
    let result = run(&mut c);
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
    result
}

/// Replicas on `databases` (one server process each; the first one seeds), a one-message
/// fan-out and then the sustained load spread over all of them.
fn sustained_load(
    bins: &Path,
    opts: &BenchOptions,
    load: &Load,
    databases: &[String],
    label: &str,
    name: &str,
    out: &Path,
) -> Result {
    banner(&format!(
        "bench: event load on {label}: {} streams, {} inbound messages/s for {} s",
        load.streams, load.rate, load.seconds
    ));
    let mut replicas = Vec::new();
    for database in databases {
        replicas.push(Replica::start(bins, database, load.conversations)?);
    }
    let servers: Vec<String> = replicas
        .iter()
        .flat_map(|r| ["--server".to_string(), format!("http://{}", r.addr)])
        .collect();
    let rows = out.join("rows");
    let measure = |rate: u32, seconds: u32, what: &str| -> Result {
        let mut c = cmd(bins.join("convoroom-load"));
        c.args(&servers)
            .args(["--streams", &load.streams.to_string()])
            .args(["--rate", &rate.to_string()])
            .args(["--seconds", &seconds.to_string()])
            .args(["--label", label, "--out"])
            .arg(out.join(format!("load-{name}-{what}.json")))
            .arg("--row")
            .arg(rows.join(format!("{name}-{what}.md")));
        if opts.quick {
            c.arg("--quick");
        }
        run(&mut c)
    };
    let result =
        measure(1, 1, "a-fanout").and_then(|()| measure(load.rate, load.seconds, "b-load"));
    drop(replicas);
    result
}

/// A release server process on a free port.
struct Replica {
    child: Child,
    addr: String,
}

impl Replica {
    fn start(bins: &Path, database: &str, conversations: u32) -> Result<Replica> {
        let mut child = Command::new(bins.join("convoroom-server"))
            .args(["--bind", "127.0.0.1:0", "--database", database, "--assets"])
            .arg(root().join("dist"))
            .args(["--demo-conversations", &conversations.to_string()])
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("cannot start the server: {e}"))?;
        let stdout = child.stdout.take().ok_or("no stdout")?;
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            // Read to the end so the server never writes into a full pipe.
            for line in BufReader::new(stdout)
                .lines()
                .map_while(std::io::Result::ok)
            {
                if let Some(addr) = line.strip_prefix("Convoroom listening on http://") {
                    let _ = tx.send(addr.trim().to_string());
                }
            }
        });
        match rx.recv_timeout(Duration::from_secs(600)) {
            Ok(addr) => Ok(Replica { child, addr }),
            Err(_) => {
                let _ = child.kill();
                Err(format!("the server on {database} did not start"))
            }
        }
    }
}

impl Drop for Replica {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Appends the server rows (one file each, in name order) to the report's table; returns how
/// many missed their budget.
fn append_server_rows(report: &Path, rows: &Path) -> Result<usize> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(rows)
        .map_err(|e| format!("cannot read {}: {e}", rows.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    files.sort();
    let mut table = String::from(
        "\n## Server at scale (SQLite and PostgreSQL)\n\n| figure | measured | budget | verdict |\n|---|---|---|---|\n",
    );
    let mut missed = 0;
    for file in files {
        let row = std::fs::read_to_string(&file)
            .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
        missed += usize::from(row.contains("| FAIL |"));
        table.push_str(&row);
    }
    let mut text = std::fs::read_to_string(report).unwrap_or_default();
    text.push_str(&table);
    std::fs::write(report, &text).map_err(|e| format!("cannot write {}: {e}", report.display()))?;
    print!("{table}");
    Ok(missed)
}

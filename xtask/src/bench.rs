//! `cargo xtask bench [--quick]`: release assets, the server's query benchmark, then the
//! browser and fan-out measurements of e2e/bench/run.mjs against a large seeded database.
//! Writes target/bench/report.json and target/bench/report.md, with PASS/FAIL per budget.
//! `--quick` (run in CI) uses small data and one run: it keeps the harness working and
//! reports, but does not judge the budgets.

use crate::build::{BuildOptions, build};
use crate::setup::setup;
use crate::util::{Result, banner, cargo, cmd, e2e_dir, root, run};

#[derive(Debug, Default, PartialEq)]
pub struct BenchOptions {
    pub quick: bool,
}

pub fn bench(opts: &BenchOptions) -> Result {
    setup()?;
    build(&BuildOptions::default())?;
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

    let (conversations, messages) = if opts.quick {
        ("2000", "20000")
    } else {
        ("100000", "2000000")
    };
    banner(&format!(
        "bench: server queries at {conversations} conversations / {messages} messages"
    ));
    run(cmd(bins.join("convoroom-bench"))
        .args([
            "--conversations",
            conversations,
            "--messages",
            messages,
            "--iterations",
            if opts.quick { "10" } else { "100" },
            "--out",
        ])
        .arg(out.join("server.json")))?;

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
    run(&mut node)?;
    println!(
        "bench: report in {} and {}",
        out.join("report.md").display(),
        out.join("report.json").display()
    );
    Ok(())
}

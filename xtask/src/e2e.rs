//! The Playwright step: a debug server binary, a free port, a fresh database,
//! and `npx playwright test` in e2e/ (whose config starts and stops the server).

use crate::util::{
    Result, banner, build_debug_server, cmd, e2e_dir, free_port, fresh_temp_dir, root, run,
};

pub fn playwright(extra_args: &[String]) -> Result {
    let server_bin = build_debug_server("e2e")?;
    let assets = root().join("dist");
    if !assets.join("index.html").is_file() {
        return Err(format!(
            "{} has no index.html: run `cargo xtask build` first",
            assets.display()
        ));
    }
    let port = free_port()?;
    // A second origin for the page that embeds the panel (the server allows it by CORS).
    let mut host_port = free_port()?;
    while host_port == port {
        host_port = free_port()?;
    }
    let tmp = fresh_temp_dir("convoroom-e2e")?;
    let database = tmp.join("e2e.db");
    let base_url = format!("http://127.0.0.1:{port}");

    banner(&format!("e2e: playwright against {base_url}"));
    let mut c = cmd("npx");
    c.args(["--no", "playwright", "test"])
        .args(extra_args)
        .current_dir(e2e_dir())
        .env("E2E_BASE_URL", &base_url)
        .env("E2E_PORT", port.to_string())
        .env("E2E_HOST_PORT", host_port.to_string())
        .env("E2E_SERVER_BIN", &server_bin)
        .env("E2E_ASSETS", &assets)
        .env("E2E_DATABASE", &database);
    let result = run(&mut c);
    match &result {
        Ok(()) => {
            let _ = std::fs::remove_dir_all(&tmp);
        }
        Err(_) => {
            println!(
                "e2e: kept the database in {}; report: e2e/playwright-report/index.html \
                 (npx playwright show-report), traces and screenshots in e2e/test-results/",
                tmp.display()
            );
        }
    }
    result
}

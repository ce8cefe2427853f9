//! `cargo xtask build`: release assets into dist/ with trunk.

use std::path::Path;

use crate::setup::setup_for_running;
use crate::util::{Result, banner, cmd, root, run};

#[derive(Default, Debug, PartialEq)]
pub struct BuildOptions {
    /// Passed to trunk as `--public-url` (e.g. `/app/` for a sub-path deployment).
    pub public_url: Option<String>,
}

pub fn build(opts: &BuildOptions) -> Result {
    setup_for_running()?;
    let dist = root().join("dist");
    // Each trunk target (HTML entry -> output dir) is one call here; a second
    // bundle gets its own line with its own dist sub-directory.
    trunk_build("index.html", &dist, opts.public_url.as_deref(), false)?;
    // The embeddable panel, after the app (trunk replaces its whole dist directory): stable
    // file names, loaded relative to its own module wherever it is deployed.
    let embed_url = format!("{}embed/", opts.public_url.as_deref().unwrap_or("/"));
    trunk_build("embed.html", &dist.join("embed"), Some(&embed_url), true)?;
    println!(
        "build: release assets in {} (embed bundle in embed/)",
        dist.display()
    );
    Ok(())
}

/// `trunk build <html> --release --dist <dist>`: the target comes first
/// (trunk's optional-value flags would otherwise swallow it). No `--offline`,
/// which would also make cargo offline: with the exact tool versions on PATH,
/// trunk has nothing to download anyway.
fn trunk_build(html: &str, dist: &Path, public_url: Option<&str>, stable_names: bool) -> Result {
    banner(&format!("build: trunk build {html} --release"));
    let mut c = cmd("trunk");
    c.args(["build", html, "--release", "--dist"]).arg(dist);
    if let Some(url) = public_url {
        c.args(["--public-url", url]);
    }
    if stable_names {
        c.args(["--filehash", "false"]);
    }
    run(&mut c)
}

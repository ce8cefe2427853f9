//! The Playwright step: a debug server binary, free ports, a fresh database, and
//! `npx playwright test` in e2e/ (whose config starts and stops the server); and, before it,
//! the README's own sub-path build, run exactly as written, for the deployment test.

use std::path::PathBuf;
use std::process::Command;

use crate::util::{
    Result, banner, build_debug_server, cmd, e2e_dir, fnv1a64, free_port, fresh_temp_dir, root,
    run, target_dir,
};

/// The README section whose `trunk build` line the deployment test builds with.
const README_SECTION: &str = "## Deploying the static assets";

/// A release build for a sub-path, moved out of dist/ for the deployment test.
pub struct SubpathBuild {
    /// The built files (what a deployer copies to the static host under `public_url`).
    pub assets: PathBuf,
    /// E.g. `/support/app/`.
    pub public_url: String,
}

/// Runs the README's `trunk build … --public-url …` line as written, in `sh` with the caller's
/// own environment (not xtask's PATH): what a person types after `cargo xtask setup`. Its
/// `dist/` is then moved to `target/e2e-deploy/dist` (the next step builds dist/ for the root).
pub fn readme_subpath_build() -> Result<SubpathBuild> {
    let readme_path = root().join("README.md");
    let readme = std::fs::read_to_string(&readme_path)
        .map_err(|e| format!("cannot read {}: {e}", readme_path.display()))?;
    let command = readme_trunk_command(&readme)?;
    let public_url = public_url_of(&command)?;
    let assets = target_dir().join("e2e-deploy").join("dist");
    let stamp_path = target_dir().join("e2e-deploy").join(INPUTS_STAMP);
    let stamp = format!("{:016x} {command}\n", inputs_hash()?);
    if assets.join("index.html").is_file()
        && std::fs::read_to_string(&stamp_path).ok().as_deref() == Some(stamp.as_str())
    {
        println!(
            "e2e: the README's sub-path build in {} is from these very sources ({}) and this \
             command: not built again (`rm -r target/e2e-deploy` forces it)",
            assets.display(),
            BUILD_INPUTS.join(", ")
        );
        return Ok(SubpathBuild { assets, public_url });
    }
    let _ = std::fs::remove_file(&stamp_path);
    banner(&format!(
        "e2e: the README's sub-path build, exactly as written: {command}"
    ));
    let downloaded_before = trunk_downloaded_wasm_opt();
    let mut c = Command::new("sh");
    c.arg("-c").arg(&command).current_dir(root());
    // Only what `cargo run` added to our environment is taken away; PATH stays the caller's.
    for (key, _) in std::env::vars_os() {
        let key = key.to_string_lossy();
        if key == "CARGO"
            || [
                "CARGO_PKG_",
                "CARGO_MANIFEST_",
                "CARGO_CRATE_",
                "CARGO_BIN_",
            ]
            .iter()
            .any(|p| key.starts_with(p))
            || key == "CARGO_PRIMARY_PACKAGE"
        {
            c.env_remove(key.as_ref());
        }
    }
    run(&mut c).map_err(|e| {
        format!(
            "{e}\nThe README's command failed as written (README.md, {README_SECTION}). If trunk \
             tried to download wasm-opt or wasm-bindgen, they are not on your PATH: \
             `cargo xtask setup` puts them in ~/.cargo/bin, which must come first on PATH"
        )
    })?;
    if !downloaded_before && trunk_downloaded_wasm_opt() {
        return Err(format!(
            "trunk downloaded wasm-opt into {} instead of using binaryen 132 from PATH",
            trunk_cache_dir().display()
        ));
    }
    let dist = root().join("dist");
    let index = std::fs::read_to_string(dist.join("index.html"))
        .map_err(|e| format!("the README's build wrote no dist/index.html: {e}"))?;
    let base = format!("<base href=\"{public_url}\"");
    if !index.contains(&base) {
        return Err(format!(
            "dist/index.html has no {base}…>: the build did not take --public-url"
        ));
    }
    if assets.exists() {
        std::fs::remove_dir_all(&assets)
            .map_err(|e| format!("cannot remove {}: {e}", assets.display()))?;
    }
    if let Some(parent) = assets.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    }
    std::fs::rename(&dist, &assets).map_err(|e| {
        format!(
            "cannot move {} to {}: {e}",
            dist.display(),
            assets.display()
        )
    })?;
    std::fs::write(&stamp_path, stamp)
        .map_err(|e| format!("cannot write {}: {e}", stamp_path.display()))?;
    println!(
        "e2e: the {public_url} build is in {} for the deployment test",
        assets.display()
    );
    Ok(SubpathBuild { assets, public_url })
}

/// Beside the sub-path build: the hash of its inputs and the command it was built with.
const INPUTS_STAMP: &str = "inputs.fnv";

/// Everything `trunk build index.html` reads, relative to the repository root.
const BUILD_INPUTS: &[&str] = &[
    "Cargo.toml",
    "Cargo.lock",
    ".cargo/config.toml",
    "Trunk.toml",
    "index.html",
    "tools/precompress.mjs",
    "src",
    "api",
    "style",
    "public",
];

/// FNV-1a over the paths and contents of [`BUILD_INPUTS`], in a stable order.
fn inputs_hash() -> Result<u64> {
    fn collect(path: &std::path::Path, files: &mut Vec<PathBuf>) -> Result {
        if path.is_dir() {
            let entries = std::fs::read_dir(path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            for entry in entries.flatten() {
                collect(&entry.path(), files)?;
            }
        } else if path.is_file() {
            files.push(path.to_path_buf());
        }
        Ok(())
    }
    let mut files = Vec::new();
    for input in BUILD_INPUTS {
        collect(&root().join(input), &mut files)?;
    }
    files.sort();
    let mut bytes = Vec::new();
    for file in files {
        bytes.extend_from_slice(file.to_string_lossy().as_bytes());
        bytes.push(0);
        bytes.extend(
            std::fs::read(&file).map_err(|e| format!("cannot read {}: {e}", file.display()))?,
        );
        bytes.push(0);
    }
    Ok(fnv1a64(&bytes))
}

/// Trunk's tool cache (`directories::ProjectDirs` for dev.trunkrs.trunk on Linux).
fn trunk_cache_dir() -> PathBuf {
    match std::env::var_os("XDG_CACHE_HOME").filter(|d| !d.is_empty()) {
        Some(dir) => PathBuf::from(dir).join("trunk"),
        None => PathBuf::from(std::env::var_os("HOME").unwrap_or_else(|| "/root".into()))
            .join(".cache")
            .join("trunk"),
    }
}

/// Whether trunk's cache holds an unpacked wasm-opt (`wasm-opt-version_N/`; a failed download
/// leaves only a `.tmp` file).
fn trunk_downloaded_wasm_opt() -> bool {
    std::fs::read_dir(trunk_cache_dir()).is_ok_and(|entries| {
        entries.flatten().any(|e| {
            e.file_name().to_string_lossy().starts_with("wasm-opt-")
                && e.file_type().is_ok_and(|t| t.is_dir())
        })
    })
}

/// The `trunk build` line of the first ```sh block in the README's deployment section, without
/// its trailing comment.
pub fn readme_trunk_command(readme: &str) -> Result<String> {
    let section = readme
        .split_once(README_SECTION)
        .map(|(_, rest)| rest)
        .ok_or(format!("README.md has no section {README_SECTION:?}"))?;
    let block = section
        .split_once("```sh\n")
        .and_then(|(_, rest)| rest.split_once("```"))
        .map(|(block, _)| block)
        .ok_or(format!(
            "README.md, {README_SECTION}: no ```sh block with the build commands"
        ))?;
    block
        .lines()
        .map(|line| line.split_once(" #").map_or(line, |(cmd, _)| cmd).trim())
        .find(|line| line.starts_with("trunk build "))
        .map(str::to_string)
        .ok_or(format!(
            "README.md, {README_SECTION}: the ```sh block has no `trunk build` line"
        ))
}

/// The value of `--public-url` in a command line.
pub fn public_url_of(command: &str) -> Result<String> {
    let mut words = command.split_whitespace();
    while let Some(word) = words.next() {
        if let Some(value) = word.strip_prefix("--public-url=") {
            return Ok(value.to_string());
        }
        if word == "--public-url" {
            return words
                .next()
                .map(str::to_string)
                .ok_or(format!("{command:?}: --public-url has no value"));
        }
    }
    Err(format!("{command:?} has no --public-url"))
}

/// `n` distinct free ports.
fn free_ports(n: usize) -> Result<Vec<u16>> {
    let mut ports: Vec<u16> = Vec::with_capacity(n);
    while ports.len() < n {
        let port = free_port()?;
        if !ports.contains(&port) {
            ports.push(port);
        }
    }
    Ok(ports)
}

pub fn playwright(extra_args: &[String], subpath: Option<&SubpathBuild>) -> Result {
    let server_bin = build_debug_server("e2e")?;
    let assets = root().join("dist");
    if !assets.join("index.html").is_file() {
        return Err(format!(
            "{} has no index.html: run `cargo xtask build` first",
            assets.display()
        ));
    }
    // The server; a second origin for the page that embeds the panel (the server allows it by
    // CORS); the deployment test's static host and its own API server.
    let ports = free_ports(4)?;
    let (port, host_port, static_port, api_port) = (ports[0], ports[1], ports[2], ports[3]);
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
        .env("E2E_DATABASE", &database)
        .env("E2E_TMP", &tmp);
    if let Some(build) = subpath {
        c.env("E2E_DEPLOY_ASSETS", &build.assets)
            .env("E2E_DEPLOY_PUBLIC_URL", &build.public_url)
            .env("E2E_DEPLOY_STATIC_PORT", static_port.to_string())
            .env("E2E_DEPLOY_API_PORT", api_port.to_string());
    }
    let result = run(&mut c);
    match &result {
        Ok(()) => {
            let _ = std::fs::remove_dir_all(&tmp);
        }
        Err(_) => {
            println!(
                "e2e: kept the databases in {}; report: e2e/playwright-report/index.html \
                 (npx playwright show-report), traces and screenshots in e2e/test-results/",
                tmp.display()
            );
        }
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_readme_trunk_command_and_its_public_url() {
        let readme = "# X\n\n## Deploying the static assets\n\nBuild:\n\n```sh\n\
                      cargo xtask build --public-url /support/app/   # both bundles\n\
                      trunk build index.html --release --public-url /support/app/   # by hand\n\
                      ```\n\n```sh\ntrunk build other\n```\n";
        let command = readme_trunk_command(readme).unwrap();
        assert_eq!(
            command,
            "trunk build index.html --release --public-url /support/app/"
        );
        assert_eq!(public_url_of(&command).unwrap(), "/support/app/");
        assert_eq!(
            public_url_of("trunk build --public-url=/a/").unwrap(),
            "/a/"
        );
        assert!(public_url_of("trunk build index.html").is_err());
        assert!(readme_trunk_command("# X\n").is_err());
    }

    #[test]
    fn the_readme_has_a_sub_path_trunk_command() {
        let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
        let command = readme_trunk_command(&readme).unwrap();
        assert!(
            command.starts_with("trunk build index.html --release"),
            "{command}"
        );
        assert!(public_url_of(&command).unwrap().starts_with('/'));
    }
}

//! Convoroom's automation: `cargo xtask <command>` (alias in .cargo/config.toml).
//! std only, so it compiles in a couple of seconds on a fresh machine.

mod bench;
mod build;
mod contract;
mod e2e;
mod fuzz;
mod postgres;
mod serve;
mod setup;
mod supervise;
mod test;
mod util;

use std::path::PathBuf;

use build::BuildOptions;
use serve::{DevOptions, RunOptions};
use test::{Layer, TestOptions};
use util::Result;

const USAGE: &str = "\
usage: cargo xtask <command> [options]

  setup    install what is missing: for the app, the wasm32 target, trunk, wasm-bindgen-cli
           at the Cargo.lock version and wasm-opt 132 (npm binaryen, linked into
           ~/.cargo/bin); for the tests, rustfmt/clippy, Debian chromium and postgresql,
           the e2e npm packages and schemathesis in target/fuzz-venv (run/build/dev
           install only the first part; run --postgres also postgresql)
  build    release assets into dist/ (trunk build index.html --release)
             --public-url URL     serve the app under a sub-path, e.g. /app/
  run      build, then the release server on http://127.0.0.1:8080 serving dist/
             --bind ADDR          (env CONVOROOM_BIND; default 127.0.0.1:8080)
             --database PATH|URL  SQLite file (default .data/convoroom.db) or postgres://…
             --postgres           on a throwaway local PostgreSQL cluster instead (removed
                                  when the server stops)
             --public-url URL     passed to the build
             --no-build           serve the existing dist/
  dev      debug API server on 127.0.0.1:8081 + trunk serve with live reload on :8080
             --port N             trunk serve port (default 8080)
             --api-port N         API server port (default 8081)
             --database PATH      (default .data/convoroom.db)
  bench    release assets, then size, startup, open, search, live, smoothness, memory
           and server measurements against 100k conversations; PASS/FAIL per budget
           in target/bench/report.md (README: Performance)
             --quick              small data, one run, no verdicts (CI smoke)
             --only delivery      just reply delivery latency (Send → webhook, 200 replies)
  fuzz     schemathesis against docs/openapi.json and a debug server with demo data,
           as the admin and as an agent: no 5xx, documented status codes, content
           types, headers and bodies, over at least 1 000 requests; reports in
           target/fuzz/ (junit-*.xml, requests-*.har, server.log)
             --max-examples N     test cases per operation and phase (default 40)
             --seed N             (default 20261201)
             --postgres           the server on a throwaway PostgreSQL cluster (`test` fuzzes
                                  both)
  test     setup, fmt, clippy, native tests (the server suites on SQLite, then the same
           test binaries on PostgreSQL in a throwaway cluster), the API step (the document
           validated as OpenAPI 3.1, a strict TypeScript host program compiled against a
           client generated from it and run, then fuzzing; a server on each database), wasm
           component tests, the README's sub-path build, release
           build, Playwright e2e; fail fast; summary table
             --only LAYER[,LAYER] lint | native | fuzz | contract | wasm | e2e (repeatable);
                                  fuzz is the whole API step (contract, then schemathesis),
                                  contract its first half
             -- ARGS              passed to `playwright test`, e.g. -- --grep smoke
";

enum Command {
    Bench(bench::BenchOptions),
    Setup,
    Build(BuildOptions),
    Run(RunOptions),
    Dev(DevOptions),
    Test(TestOptions),
    Fuzz(fuzz::FuzzOptions),
    Help,
}

/// Takes `--flag value` or `--flag=value` off the front of `args`.
fn value(flag: &str, arg: &str, args: &mut impl Iterator<Item = String>) -> Result<String> {
    match arg.split_once('=') {
        Some((_, v)) => Ok(v.to_string()),
        None => args.next().ok_or(format!("{flag} needs a value")),
    }
}

fn parse(argv: Vec<String>) -> Result<Command> {
    let mut args = argv.into_iter();
    let Some(command) = args.next() else {
        return Ok(Command::Help);
    };
    let port = |s: String| s.parse::<u16>().map_err(|e| format!("bad port {s:?}: {e}"));
    match command.as_str() {
        "bench" => {
            let mut o = bench::BenchOptions::default();
            while let Some(arg) = args.next() {
                match arg.as_str() {
                    "--quick" => o.quick = true,
                    "--only" => match args.next().as_deref() {
                        Some("delivery") => o.only_delivery = true,
                        other => {
                            return Err(format!(
                                "bench --only: {other:?} is not a part (delivery)"
                            ));
                        }
                    },
                    _ => return Err(format!("bench: unknown option {arg:?}")),
                }
            }
            Ok(Command::Bench(o))
        }
        "fuzz" => {
            let mut o = fuzz::FuzzOptions::default();
            while let Some(arg) = args.next() {
                match arg.split('=').next().unwrap_or_default() {
                    "--max-examples" => {
                        let n = value("--max-examples", &arg, &mut args)?;
                        o.max_examples = n
                            .parse()
                            .ok()
                            .filter(|&n| n > 0)
                            .ok_or(format!("bad --max-examples {n:?}"))?;
                    }
                    "--seed" => {
                        let n = value("--seed", &arg, &mut args)?;
                        o.seed = n.parse().map_err(|e| format!("bad --seed {n:?}: {e}"))?;
                    }
                    "--postgres" => o.postgres = true,
                    _ => return Err(format!("fuzz: unknown option {arg:?}")),
                }
            }
            Ok(Command::Fuzz(o))
        }
        "setup" => match args.next() {
            None => Ok(Command::Setup),
            Some(other) => Err(format!("setup takes no options (got {other:?})")),
        },
        "build" => {
            let mut o = BuildOptions::default();
            while let Some(arg) = args.next() {
                match arg.split('=').next().unwrap_or_default() {
                    "--public-url" => o.public_url = Some(value("--public-url", &arg, &mut args)?),
                    _ => return Err(format!("build: unknown option {arg:?}")),
                }
            }
            Ok(Command::Build(o))
        }
        "run" => {
            let mut o = RunOptions::default();
            while let Some(arg) = args.next() {
                match arg.split('=').next().unwrap_or_default() {
                    "--bind" => o.bind = Some(value("--bind", &arg, &mut args)?),
                    "--database" => {
                        o.database = Some(PathBuf::from(value("--database", &arg, &mut args)?))
                    }
                    "--public-url" => o.public_url = Some(value("--public-url", &arg, &mut args)?),
                    "--no-build" => o.no_build = true,
                    "--postgres" => o.postgres = true,
                    _ => return Err(format!("run: unknown option {arg:?}")),
                }
            }
            Ok(Command::Run(o))
        }
        "dev" => {
            let mut o = DevOptions::default();
            while let Some(arg) = args.next() {
                match arg.split('=').next().unwrap_or_default() {
                    "--port" => o.port = port(value("--port", &arg, &mut args)?)?,
                    "--api-port" => o.api_port = port(value("--api-port", &arg, &mut args)?)?,
                    "--database" => {
                        o.database = Some(PathBuf::from(value("--database", &arg, &mut args)?))
                    }
                    _ => return Err(format!("dev: unknown option {arg:?}")),
                }
            }
            if o.port == o.api_port {
                return Err("dev: --port and --api-port must differ".into());
            }
            Ok(Command::Dev(o))
        }
        "test" => {
            let mut o = TestOptions::default();
            while let Some(arg) = args.next() {
                match arg.split('=').next().unwrap_or_default() {
                    "--only" => {
                        for layer in value("--only", &arg, &mut args)?.split(',') {
                            o.only.push(Layer::parse(layer.trim())?);
                        }
                    }
                    "--" => o.playwright_args.extend(args.by_ref()),
                    _ => {
                        return Err(format!(
                            "test: unknown option {arg:?} (Playwright options go after --)"
                        ));
                    }
                }
            }
            Ok(Command::Test(o))
        }
        "help" | "-h" | "--help" => Ok(Command::Help),
        other => Err(format!("unknown command {other:?}")),
    }
}

fn main() {
    let command = match parse(std::env::args().skip(1).collect()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("xtask: {e}\n\n{USAGE}");
            std::process::exit(2);
        }
    };
    let result = match command {
        Command::Bench(o) => bench::bench(&o),
        Command::Setup => setup::setup(),
        Command::Build(o) => build::build(&o),
        Command::Run(o) => serve::run_app(&o),
        Command::Dev(o) => serve::dev(&o),
        Command::Test(o) => test::test(&o),
        Command::Fuzz(o) => fuzz::fuzz(&o),
        Command::Help => {
            print!("{USAGE}");
            Ok(())
        }
    };
    if let Err(e) = result {
        eprintln!("\nxtask: error: {e}");
        std::process::exit(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn parses_test_layers_and_playwright_passthrough() {
        let Ok(Command::Test(o)) =
            parse(args("test --only e2e,wasm --only=lint -- --grep sign in"))
        else {
            panic!("not a test command");
        };
        assert_eq!(o.only, vec![Layer::E2e, Layer::Wasm, Layer::Lint]);
        assert_eq!(o.playwright_args, args("--grep sign in"));
    }

    #[test]
    fn parses_run_and_dev_options() {
        let Ok(Command::Run(o)) = parse(args(
            "run --bind 0.0.0.0:9000 --database=/tmp/x.db --no-build",
        )) else {
            panic!("not a run command");
        };
        assert_eq!(o.bind.as_deref(), Some("0.0.0.0:9000"));
        assert_eq!(o.database, Some(PathBuf::from("/tmp/x.db")));
        assert!(o.no_build);
        let Ok(Command::Dev(o)) = parse(args("dev --port 3000")) else {
            panic!("not a dev command");
        };
        assert_eq!((o.port, o.api_port), (3000, 8081));
    }

    #[test]
    fn parses_fuzz_options() {
        let Ok(Command::Fuzz(o)) = parse(args("fuzz --max-examples 5 --seed=7")) else {
            panic!("not a fuzz command");
        };
        assert_eq!((o.max_examples, o.seed), (5, 7));
        let Ok(Command::Fuzz(o)) = parse(args("fuzz")) else {
            panic!("not a fuzz command");
        };
        assert_eq!(o, fuzz::FuzzOptions::default());
        assert!(parse(args("fuzz --max-examples 0")).is_err());
    }

    #[test]
    fn rejects_unknown_things() {
        assert!(parse(args("test --grep x")).is_err());
        assert!(parse(args("deploy")).is_err());
        assert!(parse(args("dev --port 8081")).is_err());
        assert!(parse(args("build --public-url")).is_err());
    }
}

//! Long-running children (`run`, `dev`): each in its own process group, with
//! SIGINT/SIGTERM/SIGHUP forwarded to the whole group so Ctrl-C stops the
//! server *and* anything it spawned, and no orphan is left behind.
//!
//! std only: the three libc calls we need are declared here by hand.

use std::os::raw::c_int;
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicI32, Ordering};
use std::time::{Duration, Instant};

use crate::util::{Result, describe};

const SIGHUP: c_int = 1;
const SIGINT: c_int = 2;
const SIGKILL: c_int = 9;
const SIGTERM: c_int = 15;
const PR_SET_PDEATHSIG: c_int = 1;

/// How long children get to shut down after a signal before SIGKILL.
const GRACE: Duration = Duration::from_secs(10);

unsafe extern "C" {
    fn signal(signum: c_int, handler: extern "C" fn(c_int)) -> usize;
    fn kill(pid: c_int, sig: c_int) -> c_int;
    fn prctl(option: c_int, ...) -> c_int;
}

static RECEIVED: AtomicI32 = AtomicI32::new(0);

extern "C" fn on_signal(sig: c_int) {
    // Only an atomic store: async-signal-safe.
    RECEIVED.store(sig, Ordering::SeqCst);
}

fn install_handlers() {
    for sig in [SIGINT, SIGTERM, SIGHUP] {
        // SAFETY: `on_signal` only performs an atomic store.
        unsafe {
            signal(sig, on_signal);
        }
    }
}

fn take_signal() -> Option<c_int> {
    match RECEIVED.swap(0, Ordering::SeqCst) {
        0 => None,
        sig => Some(sig),
    }
}

/// A child that leads its own process group.
pub struct Supervised {
    name: String,
    child: Child,
    status: Option<ExitStatus>,
}

impl Supervised {
    /// Signal the whole group: also reaches grandchildren (cargo under trunk,
    /// the server under `cargo run`) even when the leader is already gone.
    fn signal_group(&self, sig: c_int) {
        // SAFETY: plain syscall; a negative pid addresses the process group.
        unsafe {
            kill(-(self.child.id() as c_int), sig);
        }
    }

    fn poll(&mut self) -> Option<ExitStatus> {
        if self.status.is_none() {
            self.status = self.child.try_wait().ok().flatten();
        }
        self.status
    }

    /// The exit status once the child has exited.
    pub fn exited(&mut self) -> Option<ExitStatus> {
        self.poll()
    }

    /// SIGTERM to the group, SIGKILL after the grace period.
    pub fn stop(mut self) {
        stop_all(std::slice::from_mut(&mut self), SIGTERM);
    }
}

/// Spawn `c` as the leader of a new process group (so the terminal's Ctrl-C
/// reaches only us, and we decide how to stop it). The child also gets SIGTERM
/// if xtask itself dies.
pub fn spawn(name: &str, c: &mut Command) -> Result<Supervised> {
    install_handlers();
    println!("$ {}", describe(c));
    c.stdin(Stdio::null()).process_group(0);
    // SAFETY: prctl is async-signal-safe; it only sets a flag on the new process.
    unsafe {
        c.pre_exec(|| {
            prctl(PR_SET_PDEATHSIG, SIGTERM);
            Ok(())
        });
    }
    let child = c
        .spawn()
        .map_err(|e| format!("could not start {name} (`{}`): {e}", describe(c)))?;
    Ok(Supervised {
        name: name.to_string(),
        child,
        status: None,
    })
}

/// Wait until a signal arrives (forward it, then stop everything) or one child
/// exits (stop the others). Ok after a user's Ctrl-C, Err if a child died.
pub fn supervise(mut children: Vec<Supervised>) -> Result {
    loop {
        if let Some(sig) = take_signal() {
            println!("\n==> received signal {sig}: stopping {}", names(&children));
            stop_all(&mut children, sig);
            return Ok(());
        }
        let exited = children
            .iter_mut()
            .find_map(|c| c.poll().map(|s| (c.name.clone(), s)));
        if let Some((name, status)) = exited {
            println!("\n==> {name} exited ({status}); stopping the rest");
            stop_all(&mut children, SIGTERM);
            return if status.success() {
                Ok(())
            } else {
                Err(format!("{name} exited with {status}"))
            };
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn names(children: &[Supervised]) -> String {
    let names: Vec<&str> = children.iter().map(|c| c.name.as_str()).collect();
    names.join(" and ")
}

fn stop_all(children: &mut [Supervised], sig: c_int) {
    for c in children.iter_mut() {
        c.poll();
        c.signal_group(sig);
    }
    let deadline = Instant::now() + GRACE;
    while Instant::now() < deadline {
        if children.iter_mut().all(|c| c.poll().is_some()) {
            return;
        }
        if take_signal().is_some() {
            break; // a second Ctrl-C: stop waiting
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    for c in children.iter_mut() {
        if c.poll().is_none() {
            println!("==> {} did not stop in time: SIGKILL", c.name);
            c.signal_group(SIGKILL);
            let _ = c.child.wait();
        }
    }
}

//! The devnet (`devnet/`, binary `vvv-devnet`) as a child process: built if needed, started on
//! a free port, stopped when dropped (also when the demo fails).

use std::{
    io::{BufRead, BufReader},
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

/// nitro-devnode's pre-funded dev key, account (0) of `vvv-devnet` (a public test key).
pub const DEV_KEY: &str = "0xb6b15c8cb491557369f3c7d2c287b053eb229daa9c22138887752191c9520659";

pub struct Devnet {
    child: Child,
    pub url: String,
}

/// `devnet/target/release/vvv-devnet` (or `$VVV_DEVNET_BIN`), built with cargo when missing.
pub fn binary(root: &Path) -> Result<PathBuf, String> {
    if let Ok(p) = std::env::var("VVV_DEVNET_BIN") {
        return Ok(PathBuf::from(p));
    }
    let target = std::env::var("VVV_DEVNET_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| root.join("devnet").join("target"));
    let bin = target.join("release").join("vvv-devnet");
    // Always ask cargo: a no-op when up to date, a rebuild when the devnet changed.
    eprintln!("building the devnet (cargo build --release --manifest-path devnet/Cargo.toml -p vvv-devnet)...");
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .current_dir(root)
        .env("CARGO_TARGET_DIR", &target)
        .args([
            "build",
            "-q",
            "--release",
            "--manifest-path",
            "devnet/Cargo.toml",
            "-p",
            "vvv-devnet",
        ])
        .status()
        .map_err(|e| format!("running cargo build for the devnet: {e}"))?;
    if !status.success() {
        return Err("building the devnet failed".into());
    }
    Ok(bin)
}

impl Devnet {
    /// Starts `vvv-devnet --port 0 --quiet` (plus `extra` args) and waits for its address.
    pub fn start(root: &Path, extra: &[&str]) -> Result<Self, String> {
        let bin = binary(root)?;
        let mut child = Command::new(&bin)
            .args(["--port", "0", "--quiet"])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("starting {}: {e}", bin.display()))?;
        let stdout = child.stdout.take().expect("piped");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(addr) = line.strip_prefix("Listening on ") {
                    let _ = tx.send(addr.trim().to_string());
                }
            }
        });
        let mut d = Devnet {
            child,
            url: String::new(),
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Ok(addr) = rx.recv_timeout(Duration::from_millis(100)) {
                d.url = format!("http://{addr}");
                return Ok(d);
            }
            if let Ok(Some(status)) = d.child.try_wait() {
                return Err(format!("vvv-devnet exited at start: {status}"));
            }
            if Instant::now() > deadline {
                return Err("vvv-devnet did not print its address within 60 s".into());
            }
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Devnet {
    fn drop(&mut self) {
        // SIGTERM lets it write its state file (if any); then make sure it is gone.
        let _ = Command::new("kill")
            .arg(self.child.id().to_string())
            .status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

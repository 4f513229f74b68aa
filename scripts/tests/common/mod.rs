//! Shared by the integration tests: a `vvv-devnet` process and the `vvv` binary.
#![allow(dead_code)]

use std::{
    io::{BufRead, BufReader},
    path::PathBuf,
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

pub fn vvv() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_vvv"));
    c.current_dir(root());
    c
}

/// nitro-devnode's dev key, account (0) of the devnet.
pub const DEV_KEY: &str = "0xb6b15c8cb491557369f3c7d2c287b053eb229daa9c22138887752191c9520659";

/// A `vvv-devnet` child process on a free port, killed on drop.
pub struct Devnet {
    child: Child,
    pub url: String,
}

impl Devnet {
    pub fn start() -> Self {
        let target = std::env::var("VVV_DEVNET_TARGET_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|_| root().join("devnet/target"));
        let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .current_dir(root())
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
            .expect("cargo");
        assert!(status.success(), "building vvv-devnet failed");
        let mut child = Command::new(target.join("release/vvv-devnet"))
            .args(["--port", "0", "--quiet"])
            .stdout(Stdio::piped())
            .spawn()
            .expect("starting vvv-devnet");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(a) = line.strip_prefix("Listening on ") {
                    let _ = tx.send(a.trim().to_string());
                }
            }
        });
        let addr = rx
            .recv_timeout(Duration::from_secs(60))
            .expect("devnet address");
        Devnet {
            child,
            url: format!("http://{addr}"),
        }
    }

    /// A JSON-RPC call (plain HTTP/1.1 over a TCP socket: no client crate needed).
    pub fn rpc(&self, method: &str, params: serde_json::Value) -> serde_json::Value {
        let body =
            serde_json::json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params})
                .to_string();
        let resp = ureq::post(&self.url)
            .set("content-type", "application/json")
            .send_string(&body)
            .expect("rpc");
        let v: serde_json::Value = serde_json::from_str(&resp.into_string().unwrap()).unwrap();
        assert!(v.get("error").is_none(), "{method}: {v}");
        v["result"].clone()
    }
}

impl Drop for Devnet {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn wait_for(mut f: impl FnMut() -> bool, secs: u64) -> bool {
    let end = Instant::now() + Duration::from_secs(secs);
    while Instant::now() < end {
        if f() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    false
}

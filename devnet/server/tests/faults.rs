//! The devnet under faults (issue 14): the `vvv-devnet` process is killed with SIGKILL in the
//! middle of a stream of transactions, restarted on the same `--state` file, and the restored
//! chain is checked against what the clients were told. What the state file promises
//! (devnet/README.md, "Running it"):
//! - `--state-interval 0`: every transaction whose hash was returned is in the restored chain;
//! - any interval: the restored chain is the chain as it was at some instant (a prefix of the
//!   transactions, in order, none half-applied), and the file is never torn.

mod common;

use alloy::primitives::{address, Address, B256, U256};
use alloy::signers::local::PrivateKeySigner;
use common::*;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use vvv_devnet::accounts::NITRO_DEV_KEY;

const CHAIN_ID: u64 = 412_346;
const SINK: Address = address!("00000000000000000000000000000000000051c0");

/// A `vvv-devnet` child process, killed when dropped (a failing assertion leaves no server).
struct Devnet(Child);

impl Drop for Devnet {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `vvv-devnet --port 0 --quiet --state FILE --state-interval MS` as a child process.
fn spawn(state: &Path, interval_ms: u64) -> (Devnet, SocketAddr) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_vvv-devnet"))
        .args(["--port", "0", "--quiet", "--state"])
        .arg(state)
        .args(["--state-interval", &interval_ms.to_string()])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("vvv-devnet starts");
    let stdout = child.stdout.take().expect("piped");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(addr) = line.strip_prefix("Listening on ") {
                let _ = tx.send(addr.trim().parse::<SocketAddr>().expect("an address"));
            }
        }
    });
    let child = Devnet(child);
    let addr = rx
        .recv_timeout(Duration::from_secs(60))
        .expect("vvv-devnet prints its address");
    (child, addr)
}

/// One JSON-RPC call over raw HTTP; `None` when the connection fails or breaks (the process is
/// gone).
fn call(addr: SocketAddr, method: &str, params: Value) -> Option<Value> {
    let body = json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}).to_string();
    let mut s = TcpStream::connect_timeout(&addr, Duration::from_secs(5)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(30))).ok()?;
    let head = format!(
        "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    s.write_all(head.as_bytes()).ok()?;
    s.write_all(body.as_bytes()).ok()?;
    let mut out = Vec::new();
    s.read_to_end(&mut out).ok()?;
    let (status, out) = parse_response(&out);
    if status != 200 {
        return None;
    }
    serde_json::from_slice(&out).ok()
}

fn nonce_of(addr: SocketAddr, who: Address) -> u64 {
    let v = call(addr, "eth_getTransactionCount", json!([who, "latest"])).expect("answers");
    u64::from_str_radix(v["result"].as_str().unwrap().trim_start_matches("0x"), 16).unwrap()
}

fn receipt(addr: SocketAddr, hash: B256) -> Value {
    call(addr, "eth_getTransactionReceipt", json!([hash])).expect("answers")["result"].clone()
}

/// Sends 1-wei transfers with consecutive nonces until the process is killed (by a thread
/// `kill_after` after the first send); returns the hashes the devnet answered, in order.
fn stream_until_killed(child: &mut Devnet, addr: SocketAddr, kill_after: Duration) -> Vec<B256> {
    let key = PrivateKeySigner::from_bytes(&NITRO_DEV_KEY.parse::<B256>().unwrap()).unwrap();
    let pid = child.0.id();
    let killer = std::thread::spawn(move || {
        std::thread::sleep(kill_after);
        let status = Command::new("kill")
            .args(["-KILL", &pid.to_string()])
            .status();
        assert!(status.is_ok_and(|s| s.success()), "SIGKILL sent");
    });
    let mut answered = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(120);
    for nonce in 0.. {
        assert!(Instant::now() < deadline, "the devnet was not killed");
        let raw = signed(&key, CHAIN_ID, nonce, 21_000, SINK, U256::from(1), vec![]);
        let Some(reply) = call(
            addr,
            "eth_sendRawTransaction",
            json!([format!("0x{}", alloy::hex::encode(raw))]),
        ) else {
            break;
        };
        let hash = reply["result"].as_str().expect("a hash, not an error");
        answered.push(hash.parse().unwrap());
    }
    killer.join().unwrap();
    let _ = child.0.wait();
    answered
}

fn state_path(name: &str) -> (PathBuf, PathBuf) {
    let dir = std::env::temp_dir().join(format!("vvv-devnet-faults-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("chain.json");
    (dir, path)
}

/// The restored chain holds the first `n` transfers (n = the sender's nonce), each mined and
/// successful, the sink holds n wei, and the chain goes on from there.
fn check_prefix(addr: SocketAddr, sent: &[B256]) -> u64 {
    let sender = PrivateKeySigner::from_bytes(&NITRO_DEV_KEY.parse::<B256>().unwrap())
        .unwrap()
        .address();
    let n = nonce_of(addr, sender);
    for (i, hash) in sent.iter().enumerate() {
        let r = receipt(addr, *hash);
        if (i as u64) < n {
            assert_eq!(r["status"], "0x1", "transfer {i} restored and successful");
        } else {
            assert!(
                r.is_null(),
                "transfer {i} is past the restored nonce {n}: {r}"
            );
        }
    }
    let balance = call(addr, "eth_getBalance", json!([SINK, "latest"])).unwrap();
    assert_eq!(
        U256::from_str_radix(
            balance["result"].as_str().unwrap().trim_start_matches("0x"),
            16
        )
        .unwrap(),
        U256::from(n),
        "the sink's balance counts the restored transfers"
    );
    // The restored chain accepts the next nonce.
    let key = PrivateKeySigner::from_bytes(&NITRO_DEV_KEY.parse::<B256>().unwrap()).unwrap();
    let raw = signed(&key, CHAIN_ID, n, 21_000, SINK, U256::from(1), vec![]);
    let reply = call(
        addr,
        "eth_sendRawTransaction",
        json!([format!("0x{}", alloy::hex::encode(raw))]),
    )
    .unwrap();
    let hash: B256 = reply["result"].as_str().expect("accepted").parse().unwrap();
    assert_eq!(receipt(addr, hash)["status"], "0x1");
    n
}

#[test]
fn sigkill_with_state_interval_0_keeps_every_answered_transaction() {
    let (dir, path) = state_path("interval-0");
    let (mut child, addr) = spawn(&path, 0);
    let sent = stream_until_killed(&mut child, addr, Duration::from_millis(1500));
    assert!(
        sent.len() >= 5,
        "killed in the middle of the stream: {}",
        sent.len()
    );

    let (_restarted, addr) = spawn(&path, 0);
    let n = check_prefix(addr, &sent);
    // Every answered hash is there; at most the one in flight at the kill is there unanswered.
    assert!(
        n == sent.len() as u64 || n == sent.len() as u64 + 1,
        "{n} restored of {} answered",
        sent.len()
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn sigkill_with_periodic_state_restores_a_prefix_of_the_chain() {
    let (dir, path) = state_path("interval-200");
    let (mut child, addr) = spawn(&path, 200);
    let sent = stream_until_killed(&mut child, addr, Duration::from_millis(1500));
    assert!(
        sent.len() >= 5,
        "killed in the middle of the stream: {}",
        sent.len()
    );

    let (_restarted, addr) = spawn(&path, 200);
    let n = check_prefix(addr, &sent);
    assert!(n <= sent.len() as u64 + 1, "{n} restored of {}", sent.len());
    let _ = std::fs::remove_dir_all(dir);
}

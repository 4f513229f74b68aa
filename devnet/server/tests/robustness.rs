//! Thousands of malformed and hostile requests (loopback only, bounded in count and time), then
//! checks that the devnet still answers correctly and its state is intact.

mod common;

use alloy::primitives::{Address, Bytes, U256};
use alloy::signers::local::PrivateKeySigner;
use alloy::sol_types::SolCall;
use common::*;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A keep-alive HTTP/1.1 client connection.
struct Conn {
    w: TcpStream,
    r: BufReader<TcpStream>,
}

impl Conn {
    fn new(addr: SocketAddr) -> Conn {
        let s = TcpStream::connect(addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
        s.set_nodelay(true).unwrap();
        Conn {
            w: s.try_clone().unwrap(),
            r: BufReader::new(s),
        }
    }

    /// Sends a POST and reads the response: (status, body).
    fn post(&mut self, body: &[u8]) -> (u16, Vec<u8>) {
        let head = format!("POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n", body.len());
        self.w.write_all(head.as_bytes()).unwrap();
        self.w.write_all(body).unwrap();
        self.read_response()
    }

    fn read_response(&mut self) -> (u16, Vec<u8>) {
        let mut line = String::new();
        self.r
            .read_line(&mut line)
            .expect("response (the server must not hang)");
        let status: u16 = line
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("bad status line {line:?}"));
        let mut len = 0usize;
        loop {
            let mut h = String::new();
            self.r.read_line(&mut h).unwrap();
            if h == "\r\n" || h.is_empty() {
                break;
            }
            if let Some((k, v)) = h.split_once(':') {
                if k.eq_ignore_ascii_case("content-length") {
                    len = v.trim().parse().unwrap();
                }
            }
        }
        let mut body = vec![0; len];
        self.r.read_exact(&mut body).unwrap();
        (status, body)
    }
}

/// Deterministic xorshift generator.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next() as u8).collect()
    }
}

const METHODS: &[&str] = &[
    "eth_chainId",
    "net_version",
    "web3_clientVersion",
    "eth_blockNumber",
    "eth_getBalance",
    "eth_getTransactionCount",
    "eth_getCode",
    "eth_getStorageAt",
    "eth_gasPrice",
    "eth_maxPriorityFeePerGas",
    "eth_feeHistory",
    "eth_estimateGas",
    "eth_call",
    "eth_sendRawTransaction",
    "eth_sendTransaction",
    "eth_getTransactionReceipt",
    "eth_getTransactionByHash",
    "eth_getBlockByNumber",
    "eth_getBlockByHash",
    "eth_getLogs",
    "eth_accounts",
    "evm_increaseTime",
    "evm_setNextBlockTimestamp",
    "evm_mine",
    "evm_snapshot",
    "evm_revert",
    "anvil_setBalance",
    "anvil_setCode",
    "anvil_setStorageAt",
    "anvil_setNonce",
    "anvil_mine",
    "eth_getBlockReceipts",
    "web3_sha3",
    "eth_getTransactionByBlockNumberAndIndex",
    "eth_getBlockTransactionCountByNumber",
];

/// A junk JSON value.
fn junk(rng: &mut Rng, depth: u32) -> Value {
    match rng.below(if depth > 2 { 12 } else { 15 }) {
        0 => Value::Null,
        1 => json!(true),
        2 => json!(-1),
        3 => json!(u64::MAX),
        4 => json!(1.5e300),
        5 => json!("0x"),
        6 => json!("0x123"),
        7 => json!(format!("0x{}", "f".repeat(80))),
        8 => json!("latest"),
        9 => json!("0xzz"),
        10 => json!(format!(
            "0x{}",
            alloy::primitives::hex::encode(rng.bytes(20))
        )),
        11 => json!(format!(
            "0x{}",
            alloy::primitives::hex::encode(rng.bytes(32))
        )),
        12 => Value::Array((0..rng.below(4)).map(|_| junk(rng, depth + 1)).collect()),
        13 => {
            let keys = [
                "from",
                "to",
                "data",
                "input",
                "gas",
                "value",
                "fromBlock",
                "toBlock",
                "address",
                "topics",
                "blockHash",
                "code",
                "balance",
                "stateDiff",
                "state",
                "timestamp",
                "blocks",
            ];
            let mut m = serde_json::Map::new();
            for _ in 0..rng.below(5) {
                m.insert(
                    keys[rng.below(keys.len())].to_string(),
                    junk(rng, depth + 1),
                );
            }
            Value::Object(m)
        }
        _ => json!("pending"),
    }
}

fn is_jsonrpc_error(body: &[u8]) -> bool {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(o)) => o
            .get("error")
            .is_some_and(|e| e["code"].is_i64() && e["message"].is_string()),
        _ => false,
    }
}

fn is_jsonrpc_response(body: &[u8]) -> bool {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(o)) => o.contains_key("error") || o.contains_key("result"),
        Ok(Value::Array(a)) => a
            .iter()
            .all(|x| x.get("error").is_some() || x.get("result").is_some()),
        _ => false,
    }
}

/// Raw bytes on a fresh connection; returns what came back (may be empty when the server closes).
fn raw_exchange(addr: SocketAddr, bytes: &[u8], half_close: bool) -> Vec<u8> {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let _ = s.write_all(bytes);
    if half_close {
        let _ = s.shutdown(std::net::Shutdown::Write);
    }
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    out
}

#[test]
fn survives_thousands_of_hostile_requests() {
    let started = Instant::now();
    let server = start_with(|c| {
        c.max_body_bytes = 1024 * 1024;
        c.max_connections = 64;
        c.idle_timeout = Duration::from_secs(2);
    });
    let addr = server.addr();
    let count = Arc::new(AtomicU64::new(0));
    let victim = PrivateKeySigner::from_bytes(&server.accounts()[5].private_key).unwrap();
    let sink = Address::repeat_byte(0x5a);

    // A few legitimate transactions first, to have state to corrupt.
    let mut c = Conn::new(addr);
    for n in 0..3u64 {
        let raw = signed(&victim, 412_346, n, 21_000, sink, U256::from(100), vec![]);
        let (st, b) = c.post(json!({"jsonrpc":"2.0","id":1,"method":"eth_sendRawTransaction","params":[Bytes::from(raw)]}).to_string().as_bytes());
        assert_eq!(st, 200);
        assert!(!is_jsonrpc_error(&b), "{}", String::from_utf8_lossy(&b));
    }
    let block_before = 3u64;

    // Four hostile clients at once, each on a keep-alive connection.
    let mut workers = Vec::new();
    for w in 0..4u64 {
        let count = count.clone();
        let victim = victim.clone();
        workers.push(std::thread::spawn(move || {
            let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ (w + 1).wrapping_mul(0x2545_F491_4F6C_DD1D));
            let mut c = Conn::new(addr);
            let valid_tx = signed(&victim, 412_346, 0, 21_000, sink, U256::from(1), vec![]);
            for i in 0..2500u32 {
                let body: Vec<u8> = match i % 10 {
                    // malformed JSON
                    0 => {
                        let n = rng.below(200);
                        let mut b = rng.bytes(n);
                        if rng.below(2) == 0 {
                            b = br#"{"jsonrpc":"2.0","id":1,"method":"eth_call","params":[{"to":"0x"#.to_vec();
                        }
                        b
                    }
                    // wrong shapes of request objects
                    1 => junk(&mut rng, 0).to_string().into_bytes(),
                    // unknown methods
                    2 => json!({"jsonrpc":"2.0","id":i,"method": format!("eth_{}", alloy::primitives::hex::encode(rng.bytes(6))),"params":[]}).to_string().into_bytes(),
                    // known methods, junk params
                    3..=6 => {
                        let m = METHODS[rng.below(METHODS.len())];
                        let params: Vec<Value> = (0..rng.below(5)).map(|_| junk(&mut rng, 0)).collect();
                        json!({"jsonrpc":"2.0","id":i,"method":m,"params":params}).to_string().into_bytes()
                    }
                    // corrupted signed transactions (bit flips, truncation, garbage, replays)
                    7 => {
                        let mut raw = valid_tx.clone();
                        match rng.below(4) {
                            0 => {
                                let k = rng.below(raw.len());
                                raw[k] ^= 1 << rng.below(8);
                            }
                            1 => raw.truncate(rng.below(raw.len())),
                            2 => {
                                let n = 1 + rng.below(120);
                                raw = rng.bytes(n)
                            }
                            _ => {}
                        }
                        json!({"jsonrpc":"2.0","id":i,"method":"eth_sendRawTransaction","params":[Bytes::from(raw)]}).to_string().into_bytes()
                    }
                    // batches of junk (and one too large)
                    8 => {
                        let n = if i % 500 == 8 { 1001 } else { 1 + rng.below(20) };
                        let items: Vec<Value> = (0..n)
                            .map(|k| {
                                let m = METHODS[rng.below(METHODS.len())];
                                if k % 3 == 0 {
                                    junk(&mut rng, 0)
                                } else {
                                    json!({"jsonrpc":"2.0","id":k,"method":m,"params":[junk(&mut rng, 1)]})
                                }
                            })
                            .collect();
                        Value::Array(items).to_string().into_bytes()
                    }
                    // deep nesting and huge numbers
                    _ => {
                        if rng.below(2) == 0 {
                            let d = 1000 + rng.below(5000);
                            format!("{}{}", "[".repeat(d), "]".repeat(d)).into_bytes()
                        } else {
                            format!(r#"{{"jsonrpc":"2.0","id":1e999999,"method":"eth_getBalance","params":["0x{}", {}]}}"#, "0".repeat(40), "9".repeat(500)).into_bytes()
                        }
                    }
                };
                let (status, resp) = c.post(&body);
                assert_eq!(status, 200, "request {i} of worker {w}: {}", String::from_utf8_lossy(&body[..body.len().min(200)]));
                // every answer is a JSON-RPC response (or nothing for notifications)
                assert!(resp.is_empty() || is_jsonrpc_response(&resp), "not JSON-RPC: {}", String::from_utf8_lossy(&resp[..resp.len().min(300)]));
                count.fetch_add(1, Ordering::Relaxed);
            }
        }));
    }

    // Meanwhile: HTTP-level abuse on fresh connections.
    let mut http_abuse = 0u64;
    let cases: Vec<(Vec<u8>, bool)> = vec![
        (b"GARBAGE\r\n\r\n".to_vec(), true),
        (b"GET / HTTP/1.1\r\nHost: x\r\n\r\n".to_vec(), true),
        (b"PUT / HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}".to_vec(), true),
        (b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".to_vec(), true),
        (b"POST / HTTP/1.1\r\nContent-Length: 99999999999\r\n\r\n".to_vec(), true),
        (b"POST / HTTP/1.1\r\nContent-Length: 2000000\r\n\r\n{".to_vec(), true),
        (b"POST / HTTP/1.1\r\nContent-Length: -5\r\n\r\n".to_vec(), true),
        (b"POST / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!".to_vec(), true),
        (b"POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n".to_vec(), true),
        (b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n".to_vec(), true),
        (b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFF\r\n".to_vec(), true),
        (b"POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\n{\"a\"".to_vec(), true),
        (b"POST / HTTP/1.1\r\nContent-Length: 40\r\n".to_vec(), true),
        (format!("POST / HTTP/1.1\r\nX-Big: {}\r\n\r\n", "a".repeat(70_000)).into_bytes(), true),
        ((0..200).map(|i| format!("X-H{i}: v\r\n")).fold(b"POST / HTTP/1.1\r\n".to_vec(), |mut a, h| {
            a.extend(h.as_bytes());
            a
        }), true),
        (vec![0u8; 5000], true),
        (b"\r\n\r\n\r\n\r\n\r\n\r\n".to_vec(), true),
        (b"OPTIONS / HTTP/1.1\r\nConnection: close\r\n\r\n".to_vec(), true),
        // a valid chunked request and a pipelined pair must work
        (b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n10\r\n{\"jsonrpc\":\"2.0\"\r\n1f\r\n,\"id\":7,\"method\":\"eth_chainId\"}\r\n0\r\n\r\n".to_vec(), true),
        (b"POST / HTTP/1.1\r\nContent-Length: 47\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_chainId\"}POST / HTTP/1.1\r\nContent-Length: 47\r\nConnection: close\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"eth_chainId\"}".to_vec(), true),
        (b"POST / HTTP/1.0\r\nContent-Length: 47\r\nExpect: 100-continue\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"eth_chainId\"}".to_vec(), false),
    ];
    for round in 0..10 {
        for (k, (bytes, half)) in cases.iter().enumerate() {
            let out = raw_exchange(addr, bytes, *half);
            let text = String::from_utf8_lossy(&out);
            match k {
                18 => assert!(text.contains("\"result\":\"0x64aba\""), "chunked: {text}"),
                19 => assert_eq!(text.matches("0x64aba").count(), 2, "pipelined: {text}"),
                20 => assert!(
                    text.contains("100 Continue") && text.contains("0x64aba"),
                    "expect: {text}"
                ),
                4 | 5 => assert!(text.starts_with("HTTP/1.1 413"), "oversized: {text}"),
                _ => assert!(
                    out.is_empty() || text.starts_with("HTTP/1.1 "),
                    "case {k} round {round}: {text}"
                ),
            }
            http_abuse += 1;
        }
    }

    // Slow clients: more idle half-requests than the connection limit; the extra ones are
    // refused (503) and the idle ones are dropped after the idle timeout.
    let mut idle = Vec::new();
    for _ in 0..70 {
        if let Ok(mut s) = TcpStream::connect(addr) {
            let _ = s.write_all(b"POST / HTTP/1.1\r\nContent-Le");
            idle.push(s);
        }
        http_abuse += 1;
    }
    std::thread::sleep(Duration::from_millis(2500));
    drop(idle);

    for w in workers {
        w.join().expect("hostile worker");
    }

    // Hostile executions: infinite loops (EVM and Stylus Wasm) end at the gas cap; control
    // calls with absurd arguments are refused.
    let evm_loop = Bytes::from(vec![0x5b, 0x60, 0x00, 0x56]); // JUMPDEST PUSH1 0 JUMP
    let looper = Address::repeat_byte(0x1f);
    let mut c = Conn::new(addr);
    let mut calls = 0u64;
    for _ in 0..3 {
        let body = json!({"jsonrpc":"2.0","id":1,"method":"eth_call","params":[{"to": looper}, "latest", {looper.to_string(): {"code": evm_loop}}]});
        let (_, b) = c.post(body.to_string().as_bytes());
        let v: Value = serde_json::from_slice(&b).unwrap();
        assert_eq!(v["error"]["message"], "out of gas", "{v}");
        calls += 1;
    }
    // a Stylus program that loops forever, deployed and activated through JSON-RPC
    let wasm = wat::parse_str(r#"(module (memory (export "memory") 1 1)
        (func (export "user_entrypoint") (param i32) (result i32) (loop $l (br $l)) (i32.const 0)))"#)
    .unwrap();
    let dev = server.accounts()[0].address;
    let q = |c: &mut Conn, m: &str, p: Value| -> Value {
        let (st, b) = c.post(
            json!({"jsonrpc":"2.0","id":1,"method":m,"params":p})
                .to_string()
                .as_bytes(),
        );
        assert_eq!(st, 200);
        let v: Value = serde_json::from_slice(&b).unwrap();
        assert!(v.get("error").is_none(), "{m}: {v}");
        v["result"].clone()
    };
    let code = init_code(&vvv_devnet::engine::compress_program(&wasm));
    let h = q(
        &mut c,
        "eth_sendTransaction",
        json!([{"from": dev, "data": code}]),
    );
    let program = q(&mut c, "eth_getTransactionReceipt", json!([h]))["contractAddress"].clone();
    let activate = Bytes::from(
        IArbWasm::activateProgramCall {
            program: serde_json::from_value(program.clone()).unwrap(),
        }
        .abi_encode(),
    );
    let ret = q(
        &mut c,
        "eth_call",
        json!([{"from": dev, "to": ARB_WASM, "value": "0xde0b6b3a7640000", "data": activate}]),
    );
    let fee = format!("0x{}", &ret.as_str().unwrap()[66..].trim_start_matches('0'));
    let h = q(
        &mut c,
        "eth_sendTransaction",
        json!([{"from": dev, "to": ARB_WASM, "value": fee, "data": activate, "gas": "0x1000000"}]),
    );
    assert_eq!(
        q(&mut c, "eth_getTransactionReceipt", json!([h]))["status"],
        "0x1",
        "activated"
    );
    let t = Instant::now();
    let (_, b) = c.post(json!({"jsonrpc":"2.0","id":1,"method":"eth_call","params":[{"to": program, "gas": "0xf4240"}]}).to_string().as_bytes());
    let v: Value = serde_json::from_slice(&b).unwrap();
    assert_eq!(v["error"]["message"], "out of gas", "{v}");
    let h = q(
        &mut c,
        "eth_sendTransaction",
        json!([{"from": dev, "to": program, "gas": "0xf4240"}]),
    );
    let r = q(&mut c, "eth_getTransactionReceipt", json!([h]));
    assert_eq!(
        (r["status"].as_str(), r["gasUsed"].as_str()),
        (Some("0x0"), Some("0xf4240")),
        "{r}"
    );
    println!(
        "two 1M-gas infinite Wasm loops ended as out of gas in {:.1?}",
        t.elapsed()
    );
    calls += 4;
    for (m, p) in [
        ("anvil_mine", json!(["0xffffffffff"])),
        ("evm_increaseTime", json!(["0xffffffffffffff"])),
        ("evm_setNextBlockTimestamp", json!(["0x0"])),
        ("eth_feeHistory", json!(["0xffffffff", "latest", [101]])),
        (
            "eth_getLogs",
            json!([{"fromBlock": "0x0", "toBlock": "0xffffffffffffffff", "topics": [null, null, null, null, null]}]),
        ),
        ("evm_revert", json!(["0x999"])),
        ("eth_getBlockByNumber", json!(["0xffffffffffffffff", true])),
    ] {
        let (_, b) = c.post(
            json!({"jsonrpc":"2.0","id":1,"method":m,"params":p})
                .to_string()
                .as_bytes(),
        );
        assert!(
            is_jsonrpc_response(&b),
            "{m}: {}",
            String::from_utf8_lossy(&b)
        );
        calls += 1;
    }

    let total = count.load(Ordering::Relaxed) + http_abuse + calls;
    println!("HOSTILE: survived {total} hostile requests ({} JSON-RPC bodies, {http_abuse} HTTP-level, {calls} hostile executions/controls) in {:.1?}", count.load(Ordering::Relaxed), started.elapsed());
    assert!(total >= 10_000);

    // Still correct afterwards: the chain is where the legitimate transactions left it (the
    // hostile ones may have mined empty blocks or moved time, never transactions of the victim).
    let mut c = Conn::new(addr);
    let q = |c: &mut Conn, m: &str, p: Value| -> Value {
        let (st, b) = c.post(
            json!({"jsonrpc":"2.0","id":1,"method":m,"params":p})
                .to_string()
                .as_bytes(),
        );
        assert_eq!(st, 200);
        let v: Value = serde_json::from_slice(&b).unwrap();
        assert!(v.get("error").is_none(), "{m}: {v}");
        v["result"].clone()
    };
    assert_eq!(q(&mut c, "eth_chainId", json!([])), "0x64aba");
    assert_eq!(
        q(
            &mut c,
            "eth_getTransactionCount",
            json!([victim.address(), "latest"])
        ),
        "0x3"
    );
    assert_eq!(
        q(&mut c, "eth_getBalance", json!([sink, "latest"])),
        "0x12c"
    );
    let n = u64::from_str_radix(
        q(&mut c, "eth_blockNumber", json!([]))
            .as_str()
            .unwrap()
            .trim_start_matches("0x"),
        16,
    )
    .unwrap();
    assert!(n >= block_before);
    // the victim's transactions are all still there, in order
    let b1 = q(&mut c, "eth_getBlockByNumber", json!(["0x1", false]));
    let h1 = b1["transactions"][0].clone();
    let r1 = q(&mut c, "eth_getTransactionReceipt", json!([h1]));
    assert_eq!(r1["status"], "0x1");
    // a new legitimate transaction is mined normally
    let raw = signed(&victim, 412_346, 3, 21_000, sink, U256::from(1), vec![]);
    let h = q(&mut c, "eth_sendRawTransaction", json!([Bytes::from(raw)]));
    let r = q(&mut c, "eth_getTransactionReceipt", json!([h]));
    assert_eq!(r["status"], "0x1");
    assert_eq!(
        q(&mut c, "eth_getBalance", json!([sink, "latest"])),
        "0x12d"
    );
    server.stop();
}

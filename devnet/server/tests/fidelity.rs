//! Nitro/geth fidelity through JSON-RPC (issue 11): the nonce queue, geth's simulation
//! semantics (access lists, value above balance, block overrides, code-3 empty reverts, Panic
//! reasons), dropped tips, filters, WebSocket subscriptions, eth_createAccessList, NodeInterface,
//! ArbOS views and Nitro's block environment.

mod common;

use alloy::consensus::{SignableTransaction, TxEip1559, TxEnvelope};
use alloy::eips::eip2718::Encodable2718;
use alloy::primitives::{Address, Bytes, B256, U256};
use alloy::signers::local::PrivateKeySigner;
use alloy::signers::SignerSync;
use alloy::sol_types::{sol, SolCall};
use common::*;
use serde_json::{json, Value};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;
use vvv_devnet::Server;

sol! {
    function gasEstimateComponents(address to, bool contractCreation, bytes calldata data) external payable returns (uint64 gasEstimate, uint64 gasEstimateForL1, uint256 baseFee, uint256 l1BaseFeeEstimate);
    function gasEstimateL1Component(address to, bool contractCreation, bytes calldata data) external payable returns (uint64 gasEstimateForL1, uint256 baseFee, uint256 l1BaseFeeEstimate);
    function nitroGenesisBlock() external pure returns (uint256 number);
    function getMaxStylusContractFragments() external view returns (uint8);
}

const BASEFEE: u128 = 100_000_000;

fn key(s: &Server, i: usize) -> PrivateKeySigner {
    PrivateKeySigner::from_bytes(&s.accounts()[i].private_key).unwrap()
}

fn signed(
    k: &PrivateKeySigner,
    nonce: u64,
    to: Address,
    value: U256,
    tip: u128,
    max_fee: u128,
) -> Bytes {
    let tx = TxEip1559 {
        chain_id: 412_346,
        nonce,
        gas_limit: 21_000,
        max_fee_per_gas: max_fee,
        max_priority_fee_per_gas: tip,
        to: to.into(),
        value,
        access_list: Default::default(),
        input: Default::default(),
    };
    let sig = k.sign_hash_sync(&tx.signature_hash()).unwrap();
    TxEnvelope::from(tx.into_signed(sig)).encoded_2718().into()
}

fn nonce(s: &Server, a: Address, tag: &str) -> u64 {
    let v = rpc_ok(s.addr(), "eth_getTransactionCount", json!([a, tag]));
    u64::from_str_radix(v.as_str().unwrap().trim_start_matches("0x"), 16).unwrap()
}

fn hex_u64(v: &Value) -> u64 {
    u64::from_str_radix(v.as_str().unwrap().trim_start_matches("0x"), 16).unwrap()
}

#[test]
fn tips_are_not_collected() {
    let s = start();
    let k = key(&s, 1);
    let to = Address::repeat_byte(0x42);
    let before = rpc_ok(s.addr(), "eth_getBalance", json!([k.address()]));
    let h = rpc_ok(
        s.addr(),
        "eth_sendRawTransaction",
        json!([signed(
            &k,
            0,
            to,
            U256::from(5),
            1_000_000_000,
            2_000_000_000
        )]),
    );
    let r = rpc_ok(s.addr(), "eth_getTransactionReceipt", json!([h]));
    assert_eq!(hex_u64(&r["effectiveGasPrice"]) as u128, BASEFEE);
    let after = rpc_ok(s.addr(), "eth_getBalance", json!([k.address()]));
    let spent = U256::from_str_radix(before.as_str().unwrap().trim_start_matches("0x"), 16)
        .unwrap()
        - U256::from_str_radix(after.as_str().unwrap().trim_start_matches("0x"), 16).unwrap();
    assert_eq!(spent, U256::from(21_000u128 * BASEFEE + 5));
    let tx = rpc_ok(s.addr(), "eth_getTransactionByHash", json!([h]));
    assert_eq!(hex_u64(&tx["gasPrice"]) as u128, BASEFEE);
}

#[test]
fn nonce_gaps_wait_in_a_queue_until_filled() {
    let s = start();
    let k = key(&s, 2);
    let to = Address::repeat_byte(0x43);
    // nonce 1 first: held, not mined, visible as pending; the pending nonce stays 0 (as geth)
    let h1 = rpc_ok(
        s.addr(),
        "eth_sendRawTransaction",
        json!([signed(&k, 1, to, U256::from(1), 0, 2 * BASEFEE)]),
    );
    assert_eq!(
        rpc_ok(s.addr(), "eth_getTransactionReceipt", json!([h1])),
        Value::Null
    );
    let t = rpc_ok(s.addr(), "eth_getTransactionByHash", json!([h1]));
    assert_eq!(t["blockNumber"], Value::Null);
    assert_eq!(
        rpc_ok(s.addr(), "txpool_status", json!([]))["queued"],
        "0x1"
    );
    assert_eq!(nonce(&s, k.address(), "pending"), 0);
    // same nonce again: already known; a cheaper replacement: underpriced
    let e = rpc_err(
        s.addr(),
        "eth_sendRawTransaction",
        json!([signed(&k, 1, to, U256::from(1), 0, 2 * BASEFEE)]),
    );
    assert!(
        e["message"].as_str().unwrap().contains("already known"),
        "{e}"
    );
    let e = rpc_err(
        s.addr(),
        "eth_sendRawTransaction",
        json!([signed(&k, 1, to, U256::from(2), 0, 2 * BASEFEE + 1)]),
    );
    assert!(
        e["message"].as_str().unwrap().contains("underpriced"),
        "{e}"
    );
    // an unfunded sender's gapped transaction is refused, not queued (as geth's pool)
    let poor = PrivateKeySigner::random();
    let e = rpc_err(
        s.addr(),
        "eth_sendRawTransaction",
        json!([signed(&poor, 1, to, U256::from(1), 0, 2 * BASEFEE)]),
    );
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .contains("insufficient funds"),
        "{e}"
    );
    // a gapped transaction whose gas limit is below its intrinsic gas is refused, not queued
    // (found by random_transactions.rs: it was held, then mined as a failure when the gap filled)
    let short_gas = {
        let tx = TxEip1559 {
            chain_id: 412_346,
            nonce: 2,
            gas_limit: 20_999,
            max_fee_per_gas: 2 * BASEFEE,
            max_priority_fee_per_gas: 0,
            to: to.into(),
            value: U256::from(1),
            access_list: Default::default(),
            input: Default::default(),
        };
        let sig = k.sign_hash_sync(&tx.signature_hash()).unwrap();
        Bytes::from(TxEnvelope::from(tx.into_signed(sig)).encoded_2718())
    };
    let e = rpc_err(s.addr(), "eth_sendRawTransaction", json!([short_gas]));
    assert_eq!(
        e["message"], "intrinsic gas too low: gas 20999, minimum needed 21000",
        "{e}"
    );
    // the gap fills: both are mined, in nonce order
    let h0 = rpc_ok(
        s.addr(),
        "eth_sendRawTransaction",
        json!([signed(&k, 0, to, U256::from(1), 0, 2 * BASEFEE)]),
    );
    let r0 = rpc_ok(s.addr(), "eth_getTransactionReceipt", json!([h0]));
    let r1 = rpc_ok(s.addr(), "eth_getTransactionReceipt", json!([h1]));
    assert_eq!(hex_u64(&r1["blockNumber"]), hex_u64(&r0["blockNumber"]) + 1);
    assert_eq!(nonce(&s, k.address(), "pending"), 2);
    assert_eq!(nonce(&s, k.address(), "latest"), 2);

    // 20 transactions sent in parallel in scrambled order: all mined
    let start_nonce = 2;
    let raws: Vec<Bytes> = (0..20)
        .map(|i| signed(&k, start_nonce + i, to, U256::from(1), 0, 2 * BASEFEE))
        .collect();
    let addr = s.addr();
    let handles: Vec<_> = (0..20)
        .rev()
        .map(|i| {
            let raw = raws[(i * 7) % 20].clone();
            std::thread::spawn(move || rpc(addr, "eth_sendRawTransaction", json!([raw])))
        })
        .collect();
    for h in handles {
        let r = h.join().unwrap();
        assert!(r.get("result").is_some(), "{r}");
    }
    assert_eq!(nonce(&s, k.address(), "latest"), 22);
    assert_eq!(
        rpc_ok(s.addr(), "txpool_status", json!([]))["queued"],
        "0x0"
    );
}

#[test]
fn queued_transactions_expire_and_the_queue_is_bounded() {
    let s = start_with(|c| c.queue_timeout = Duration::from_millis(300));
    let k = key(&s, 3);
    let to = Address::repeat_byte(0x44);
    let h = rpc_ok(
        s.addr(),
        "eth_sendRawTransaction",
        json!([signed(&k, 1, to, U256::from(1), 0, 2 * BASEFEE)]),
    );
    std::thread::sleep(Duration::from_millis(500));
    rpc_ok(
        s.addr(),
        "eth_sendRawTransaction",
        json!([signed(&k, 0, to, U256::from(1), 0, 2 * BASEFEE)]),
    );
    assert_eq!(
        rpc_ok(s.addr(), "eth_getTransactionByHash", json!([h])),
        Value::Null
    );
    assert_eq!(nonce(&s, k.address(), "latest"), 1);
    // at most 64 gapped transactions per account
    let s = start();
    let k = key(&s, 3);
    for n in 2..66 {
        rpc_ok(
            s.addr(),
            "eth_sendRawTransaction",
            json!([signed(&k, n, to, U256::from(1), 0, 2 * BASEFEE)]),
        );
    }
    let e = rpc_err(
        s.addr(),
        "eth_sendRawTransaction",
        json!([signed(&k, 66, to, U256::from(1), 0, 2 * BASEFEE)]),
    );
    assert!(
        e["message"].as_str().unwrap().contains("nonce too high"),
        "{e}"
    );
}

/// Runtime code: TIMESTAMP, NUMBER, PREVRANDAO as three words.
const ENV_CODE: &str = "0x425f52436020524460405260605ff3";
/// Runtime code: revert with no data.
const EMPTY_REVERT: &str = "0x5f5ffd";
/// Runtime code: revert with Panic(0x11).
const PANIC_CODE: &str = "0x634e487b7160e01b5f52601160045260245ffd";
/// Runtime code: SLOAD(0) returned.
const SLOAD_CODE: &str = "0x5f545f5260205ff3";

#[test]
fn simulation_matches_geth() {
    let s = start();
    let a = s.addr();
    let c = Address::repeat_byte(0xcc);
    let over = |code: &str| json!({ c.to_string(): {"code": code} });
    // block overrides (4th parameter) and Nitro's PREVRANDAO = 1
    let out = rpc_ok(
        a,
        "eth_call",
        json!([{"to": c}, "latest", over(ENV_CODE), {"time": "0x1234", "number": "0x99"}]),
    );
    let out = out.as_str().unwrap();
    assert_eq!(&out[2..66], &format!("{:064x}", 0x1234));
    assert_eq!(&out[66..130], &format!("{:064x}", 0x99));
    assert_eq!(&out[130..], &format!("{:064x}", 1));
    let e = rpc_err(
        a,
        "eth_call",
        json!([{"to": c}, "latest", over(ENV_CODE), {"bogus": 1}]),
    );
    assert_eq!(e["code"], -32602);
    // an empty revert: code 3 with data "0x"
    let e = rpc_err(
        a,
        "eth_call",
        json!([{"to": c}, "latest", over(EMPTY_REVERT)]),
    );
    assert_eq!(
        (e["code"].clone(), e["data"].clone()),
        (json!(3), json!("0x"))
    );
    assert_eq!(e["message"], "execution reverted");
    // Panic(uint256) decoded into the message, the data kept
    let e = rpc_err(
        a,
        "eth_call",
        json!([{"to": c}, "latest", over(PANIC_CODE)]),
    );
    assert_eq!(
        e["message"],
        "execution reverted: arithmetic underflow or overflow"
    );
    assert!(e["data"].as_str().unwrap().starts_with("0x4e487b71"));
    // value above the balance: geth's insufficient funds, for calls and estimates
    let poor = Address::repeat_byte(0x55);
    for m in ["eth_call", "eth_estimateGas"] {
        let e = rpc_err(a, m, json!([{"from": poor, "to": c, "value": "0x1"}]));
        assert_eq!(e["code"], -32000);
        assert!(
            e["message"]
                .as_str()
                .unwrap()
                .contains("insufficient funds"),
            "{m}: {e}"
        );
    }
    // the access list is priced in estimates (2400 per address + 1900 per key, SLOAD warm)
    let plain = rpc_ok(
        a,
        "eth_estimateGas",
        json!([{"to": c}, "latest", over(SLOAD_CODE)]),
    );
    let listed = rpc_ok(
        a,
        "eth_estimateGas",
        json!([{"to": c, "accessList": [{"address": c, "storageKeys": [B256::ZERO]}]}, "latest", over(SLOAD_CODE)]),
    );
    assert_eq!(hex_u64(&listed), hex_u64(&plain) + 2400 + 1900 - 2000);
}

#[test]
fn create_access_list_node_interface_and_arbos_views() {
    let s = start();
    let a = s.addr();
    let dev = s.accounts()[0].address;
    // deploy the SLOAD contract for real, then ask for its access list
    let init = init_code(&alloy::hex::decode(&SLOAD_CODE[2..]).unwrap());
    let h = rpc_ok(
        a,
        "eth_sendTransaction",
        json!([{"from": dev, "data": init}]),
    );
    let c = rpc_ok(a, "eth_getTransactionReceipt", json!([h]))["contractAddress"].clone();
    let al = rpc_ok(a, "eth_createAccessList", json!([{"from": dev, "to": c}]));
    assert_eq!(
        al["accessList"],
        json!([{"address": c, "storageKeys": [B256::ZERO]}])
    );
    let with = rpc_ok(
        a,
        "eth_estimateGas",
        json!([{"from": dev, "to": c, "accessList": al["accessList"]}]),
    );
    assert_eq!(hex_u64(&al["gasUsed"]), hex_u64(&with));
    // NodeInterface (0xC8), served by the RPC layer as on Nitro
    let ni = Address::with_last_byte(0xc8);
    let inner = Bytes::from(vec![1u8, 2, 3]);
    let data = gasEstimateComponentsCall {
        to: c.as_str().unwrap().parse().unwrap(),
        contractCreation: false,
        data: inner.clone(),
    }
    .abi_encode();
    let out = rpc_ok(
        a,
        "eth_call",
        json!([{"from": dev, "to": ni, "data": Bytes::from(data)}]),
    );
    let out = alloy::hex::decode(out.as_str().unwrap()).unwrap();
    let r = gasEstimateComponentsCall::abi_decode_returns(&out).unwrap();
    let direct = rpc_ok(
        a,
        "eth_estimateGas",
        json!([{"from": dev, "to": c, "data": inner}]),
    );
    assert_eq!(r.gasEstimate, hex_u64(&direct));
    assert_eq!((r.gasEstimateForL1, r.baseFee), (0, U256::from(BASEFEE)));
    let out = rpc_ok(
        a,
        "eth_call",
        json!([{"to": ni, "data": Bytes::from(nitroGenesisBlockCall {}.abi_encode())}]),
    );
    assert_eq!(
        U256::from_str_radix(out.as_str().unwrap().trim_start_matches("0x"), 16).unwrap(),
        U256::ZERO
    );
    let data = gasEstimateL1ComponentCall {
        to: dev,
        contractCreation: false,
        data: Bytes::new(),
    }
    .abi_encode();
    assert!(rpc(
        a,
        "eth_call",
        json!([{"to": ni, "data": Bytes::from(data)}])
    )
    .get("result")
    .is_some());
    let e = rpc_err(a, "eth_call", json!([{"to": ni, "data": "0x12345678"}]));
    assert!(
        e["message"].as_str().unwrap().contains("not modelled"),
        "{e}"
    );
    // ArbOwnerPublic through JSON-RPC
    let out = rpc_ok(
        a,
        "eth_call",
        json!([{"to": Address::with_last_byte(0x6b), "data": Bytes::from(getMaxStylusContractFragmentsCall {}.abi_encode())}]),
    );
    assert!(out.as_str().unwrap().ends_with("02"));
    // CREATE2 factory and StylusDeployer predeployed
    for p in [
        alloy::primitives::address!("4e59b44847b379578588920ca78fbf26c0b4956c"),
        STYLUS_DEPLOYER,
    ] {
        assert_ne!(rpc_ok(a, "eth_getCode", json!([p, "latest"])), json!("0x"));
    }
}

/// Runtime code: LOG1(topic 0x11…11) with one data word 42.
fn log_contract() -> Bytes {
    let mut rt = alloy::hex::decode("602a5f527f").unwrap();
    rt.extend([0x11u8; 32]);
    rt.extend(alloy::hex::decode("60205fa100").unwrap());
    init_code(&rt)
}

fn deploy(a: SocketAddr, from: Address, init: Bytes) -> Value {
    let h = rpc_ok(
        a,
        "eth_sendTransaction",
        json!([{"from": from, "data": init}]),
    );
    rpc_ok(a, "eth_getTransactionReceipt", json!([h]))["contractAddress"].clone()
}

#[test]
fn filters_deliver_changes_once() {
    let s = start();
    let a = s.addr();
    let dev = s.accounts()[0].address;
    let c = deploy(a, dev, log_contract());
    let blocks = rpc_ok(a, "eth_newBlockFilter", json!([]));
    let logs = rpc_ok(
        a,
        "eth_newFilter",
        json!([{"address": c, "topics": [B256::repeat_byte(0x11)]}]),
    );
    let other = rpc_ok(
        a,
        "eth_newFilter",
        json!([{"topics": [B256::repeat_byte(0x22)]}]),
    );
    let txs = rpc_ok(a, "eth_newPendingTransactionFilter", json!([]));
    assert_eq!(
        rpc_ok(a, "eth_getFilterChanges", json!([blocks])),
        json!([])
    );
    let h1 = rpc_ok(a, "eth_sendTransaction", json!([{"from": dev, "to": c}]));
    let h2 = rpc_ok(a, "eth_sendTransaction", json!([{"from": dev, "to": c}]));
    let got = rpc_ok(a, "eth_getFilterChanges", json!([logs]));
    assert_eq!(got.as_array().unwrap().len(), 2, "{got}");
    assert_eq!(got[0]["transactionHash"], h1);
    assert_eq!(got[1]["data"], json!(format!("0x{:064x}", 42)));
    assert_eq!(rpc_ok(a, "eth_getFilterChanges", json!([logs])), json!([]));
    assert_eq!(rpc_ok(a, "eth_getFilterChanges", json!([other])), json!([]));
    assert_eq!(
        rpc_ok(a, "eth_getFilterChanges", json!([blocks]))
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert_eq!(
        rpc_ok(a, "eth_getFilterChanges", json!([txs])),
        json!([h1, h2])
    );
    // geth: a filter without fromBlock covers "latest" for eth_getFilterLogs
    assert_eq!(
        rpc_ok(a, "eth_getFilterLogs", json!([logs]))
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let all = rpc_ok(
        a,
        "eth_newFilter",
        json!([{"address": c, "fromBlock": "0x0"}]),
    );
    assert_eq!(
        rpc_ok(a, "eth_getFilterLogs", json!([all]))
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert_eq!(rpc_ok(a, "eth_uninstallFilter", json!([logs])), json!(true));
    assert_eq!(
        rpc_ok(a, "eth_uninstallFilter", json!([logs])),
        json!(false)
    );
    let e = rpc_err(a, "eth_getFilterChanges", json!([logs]));
    assert_eq!(e["message"], "filter not found");
    let e = rpc_err(a, "eth_newFilter", json!([{"topics": "nope"}]));
    assert_eq!(e["code"], -32602);
}

// ---- a minimal WebSocket client (masked frames), enough to test the server side ----

fn ws_connect(addr: SocketAddr) -> TcpStream {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let req = "GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
    s.write_all(req.as_bytes()).unwrap();
    let mut head = Vec::new();
    let mut b = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        s.read_exact(&mut b).unwrap();
        head.push(b[0]);
    }
    let head = String::from_utf8(head).unwrap();
    assert!(head.starts_with("HTTP/1.1 101"), "{head}");
    // RFC 6455's example key and answer
    assert!(
        head.contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo="),
        "{head}"
    );
    s
}

fn ws_send(s: &mut TcpStream, v: Value) {
    let payload = serde_json::to_vec(&v).unwrap();
    let mask = [1u8, 2, 3, 4];
    let mut f = vec![0x81];
    if payload.len() < 126 {
        f.push(0x80 | payload.len() as u8);
    } else {
        f.push(0x80 | 126);
        f.extend((payload.len() as u16).to_be_bytes());
    }
    f.extend(mask);
    f.extend(payload.iter().enumerate().map(|(i, b)| b ^ mask[i % 4]));
    s.write_all(&f).unwrap();
}

fn ws_recv(s: &mut TcpStream) -> Value {
    let mut h = [0u8; 2];
    s.read_exact(&mut h).unwrap();
    let mut len = (h[1] & 0x7f) as usize;
    if len == 126 {
        let mut b = [0u8; 2];
        s.read_exact(&mut b).unwrap();
        len = u16::from_be_bytes(b) as usize;
    } else if len == 127 {
        let mut b = [0u8; 8];
        s.read_exact(&mut b).unwrap();
        len = u64::from_be_bytes(b) as usize;
    }
    let mut p = vec![0u8; len];
    s.read_exact(&mut p).unwrap();
    serde_json::from_slice(&p).unwrap()
}

#[test]
fn websocket_serves_rpc_and_pushes_subscriptions() {
    let s = start();
    let a = s.addr();
    let dev = s.accounts()[0].address;
    let c = deploy(a, dev, log_contract());
    let mut ws = ws_connect(a);
    ws_send(
        &mut ws,
        json!({"jsonrpc": "2.0", "id": 1, "method": "eth_chainId", "params": []}),
    );
    assert_eq!(ws_recv(&mut ws)["result"], "0x64aba");
    ws_send(
        &mut ws,
        json!({"jsonrpc": "2.0", "id": 2, "method": "eth_subscribe", "params": ["newHeads"]}),
    );
    let heads = ws_recv(&mut ws)["result"].clone();
    ws_send(
        &mut ws,
        json!({"jsonrpc": "2.0", "id": 3, "method": "eth_subscribe", "params": ["logs", {"address": c}]}),
    );
    let logs = ws_recv(&mut ws)["result"].clone();
    ws_send(
        &mut ws,
        json!({"jsonrpc": "2.0", "id": 4, "method": "eth_subscribe", "params": ["bogus"]}),
    );
    assert_eq!(ws_recv(&mut ws)["error"]["code"], -32602);
    let h = rpc_ok(a, "eth_sendTransaction", json!([{"from": dev, "to": c}]));
    let mut got_head = false;
    let mut got_log = false;
    while !(got_head && got_log) {
        let n = ws_recv(&mut ws);
        assert_eq!(n["method"], "eth_subscription");
        let sub = &n["params"]["subscription"];
        if *sub == heads {
            assert!(n["params"]["result"]["hash"].is_string());
            got_head = true;
        } else if *sub == logs {
            assert_eq!(n["params"]["result"]["transactionHash"], h);
            got_log = true;
        }
    }
    ws_send(
        &mut ws,
        json!({"jsonrpc": "2.0", "id": 5, "method": "eth_unsubscribe", "params": [heads]}),
    );
    assert_eq!(ws_recv(&mut ws)["result"], true);
}

#[test]
fn debug_trace_call_tracer_top_frame() {
    let s = start();
    let a = s.addr();
    let dev = s.accounts()[0].address;
    let c = deploy(
        a,
        dev,
        init_code(&alloy::hex::decode(&PANIC_CODE[2..]).unwrap()),
    );
    // a failing transaction, mined, then traced
    let h = rpc_ok(
        a,
        "eth_sendTransaction",
        json!([{"from": dev, "to": c, "gas": "0x30000", "data": "0x01"}]),
    );
    let t = rpc_ok(
        a,
        "debug_traceTransaction",
        json!([h, {"tracer": "callTracer"}]),
    );
    let r = rpc_ok(a, "eth_getTransactionReceipt", json!([h]));
    assert_eq!(t["type"], "CALL");
    assert_eq!(t["to"], c);
    assert_eq!(t["input"], "0x01");
    assert_eq!(t["gasUsed"], r["gasUsed"]);
    assert_eq!(t["error"], "execution reverted");
    assert_eq!(t["revertReason"], "arithmetic underflow or overflow");
    let t = rpc_ok(
        a,
        "debug_traceCall",
        json!([{"from": dev, "to": c}, "latest", {"tracer": "callTracer"}]),
    );
    assert!(t["output"].as_str().unwrap().starts_with("0x4e487b71"));
    // the struct logger (no tracer): failed, the revert data as its return value, REVERT last
    let t = rpc_ok(a, "debug_traceTransaction", json!([h]));
    assert_eq!(
        (&t["failed"], &t["gas"]),
        (&json!(true), &json!(hex_u64(&r["gasUsed"])))
    );
    assert!(
        t["returnValue"].as_str().unwrap().starts_with("4e487b71"),
        "{t}"
    );
    assert_eq!(
        t["structLogs"].as_array().unwrap().last().unwrap()["op"],
        "REVERT"
    );
    // what is not served says so
    let e = rpc_err(
        a,
        "debug_traceTransaction",
        json!([h, {"tracer": "{ result: function() {} }"}]),
    );
    assert!(e["message"].as_str().unwrap().contains("JavaScript"), "{e}");
}

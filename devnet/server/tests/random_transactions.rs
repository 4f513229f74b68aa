//! Random signed transactions against the suite's programs (issue 14, item 6): a proptest sends
//! sequences of transactions that are valid or broken in every way a client can get wrong (bad
//! signature, wrong chain id, nonce gap or replay, gas below the intrinsic cost or above the cap,
//! a fee below the base fee or beyond the balance, garbage or half-valid calldata to each of the
//! eight programs, the precompiles and the StylusDeployer), and after each sequence checks that
//! the server is alive and the chain is consistent:
//! - every transaction that must be refused got a JSON-RPC error, and none of them was mined;
//! - the blocks of the sequence hold exactly the accepted transactions that were mined, each
//!   where its receipt says; per sender the mined nonces are 0..n with n its nonce, and the
//!   accepted ones not mined are still queued, above the gap;
//! - every sender's and recipient's ETH moved by exactly what the receipts say (value when
//!   successful, `gasUsed × effectiveGasPrice` always);
//! - the VVV token's balances and supply are exactly what its `Transfer` logs say.
//!
//! Each sequence uses fresh senders, so transactions a sequence leaves in the nonce queue never
//! reach another. `PROPTEST_CASES` raises the number of sequences (default 32).

mod common;

use alloy::consensus::{SignableTransaction, TxEip1559, TxEip2930, TxEnvelope, TxLegacy};
use alloy::eips::eip2718::Encodable2718;
use alloy::primitives::{keccak256, Address, Bytes, TxKind, B256, U256};
use alloy::signers::local::PrivateKeySigner;
use alloy::signers::SignerSync;
use alloy::sol_types::SolCall;
use common::*;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::net::SocketAddr;
use vvv_devnet::engine::precompiles::{ARB_GAS_INFO, ARB_OWNER_PUBLIC, ARB_WASM_CACHE};

const CHAIN_ID: u64 = 412_346;
const SENDERS: usize = 3;
/// Recipients of plain value transfers that are not senders.
const SINK: Address = Address::repeat_byte(0x5c);
/// The eight programs of the suite, deployed from `artifacts/`.
const PROGRAMS: [&str; 8] = [
    "vvv-token",
    "staking-vault",
    "diem-token",
    "diem-minter",
    "emission-controller",
    "burn-treasury",
    "airdrop",
    "vesting",
];
/// A fee that clears the base fee (0.1 gwei on a Nitro chain).
const FEE: u128 = 1_000_000_000;
const TRANSFER_TOPIC: B256 =
    alloy::primitives::b256!("ddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef");

alloy::sol! {
    function transfer(address to, uint256 value) external returns (bool);
}

/// Where a transaction goes.
#[derive(Debug, Clone)]
enum Target {
    /// An account that is not a sender.
    Sink,
    /// Another sender of the sequence (its ETH goes up).
    Sender(usize),
    /// One of `PROGRAMS`, with calldata built from its ABI.
    Program(usize),
    /// A precompile or the StylusDeployer (by index into `system_targets()`).
    System(usize),
    /// Contract creation with the calldata as init code.
    Create,
}

/// What the calldata is.
#[derive(Debug, Clone)]
enum Data {
    Empty,
    /// Random bytes.
    Garbage(Vec<u8>),
    /// A selector the target declares (`index` modulo its list) and random argument bytes.
    Selector(usize, Vec<u8>),
    /// A well-formed VVV `transfer` to a sender or the sink of a fraction (in 1/256) of the
    /// sender's VVV, or (255) of more than it has. Only meaningful to the token; garbage to others.
    TokenTransfer(usize, u8),
}

#[derive(Debug, Clone, Copy)]
enum Nonce {
    Next,
    /// Ahead of the account's nonce by 1..=3: accepted and queued until the gap fills.
    Gap(u64),
    /// One below the account's nonce (a replay), or the next one when the account has none.
    Past,
}

#[derive(Debug, Clone, Copy)]
enum Kind {
    Legacy,
    LegacyWithoutChainId,
    Eip2930,
    Eip1559,
}

#[derive(Debug, Clone)]
struct Spec {
    sender: usize,
    kind: Kind,
    nonce: Nonce,
    gas: u64,
    /// 0: below the base fee, 1: normal, 2: so high that gas × fee exceeds any balance.
    fee: u8,
    /// 0: none, 1: a little (to EOAs, programs, creations), 2: more than the sender has.
    value: u8,
    target: Target,
    data: Data,
    wrong_chain_id: bool,
    /// Flips a bit of the signature's `s` (byte index from the end, bit).
    corrupt_signature: Option<(usize, u8)>,
    /// Sends the same raw bytes a second time.
    resend: bool,
}

fn spec() -> impl Strategy<Value = Spec> {
    let kind = prop_oneof![
        1 => Just(Kind::Legacy),
        1 => Just(Kind::LegacyWithoutChainId),
        1 => Just(Kind::Eip2930),
        3 => Just(Kind::Eip1559)
    ];
    let nonce = prop_oneof![
        8 => Just(Nonce::Next),
        2 => (1u64..=3).prop_map(Nonce::Gap),
        1 => Just(Nonce::Past)
    ];
    let gas = prop_oneof![
        1 => Just(20_999u64),
        1 => Just(21_000u64),
        3 => Just(300_000u64),
        4 => Just(3_000_000u64),
        1 => Just(100_000_000u64),
        1 => Just(u64::MAX)
    ];
    let target = prop_oneof![
        1 => Just(Target::Sink),
        1 => (0..SENDERS).prop_map(Target::Sender),
        6 => (0..PROGRAMS.len()).prop_map(Target::Program),
        3 => (0..system_targets().len()).prop_map(Target::System),
        1 => Just(Target::Create)
    ];
    let data = prop_oneof![
        1 => Just(Data::Empty),
        2 => prop::collection::vec(any::<u8>(), 0..200).prop_map(Data::Garbage),
        4 => (any::<usize>(), prop::collection::vec(any::<u8>(), 0..160))
            .prop_map(|(i, tail)| Data::Selector(i, tail)),
        3 => (0..=SENDERS, any::<u8>()).prop_map(|(to, frac)| Data::TokenTransfer(to, frac))
    ];
    (
        (0..SENDERS, kind, nonce, gas),
        (
            prop::sample::select(vec![0u8, 1, 1, 1, 1, 1, 1, 2]),
            prop::sample::select(vec![0u8, 0, 0, 1, 1, 2]),
        ),
        (target, data),
        (
            prop::bool::weighted(0.05),
            prop::option::weighted(0.05, (1usize..=32, 0u8..8)),
            prop::bool::weighted(0.1),
        ),
    )
        .prop_map(
            |(
                (sender, kind, nonce, gas),
                (fee, value),
                (target, data),
                (wrong_chain_id, corrupt_signature, resend),
            )| Spec {
                sender,
                kind,
                nonce,
                gas,
                fee,
                value,
                target,
                data,
                wrong_chain_id,
                corrupt_signature,
                resend,
            },
        )
}

/// The precompiles and the StylusDeployer, with the functions they declare.
fn system_targets() -> Vec<(Address, &'static [&'static str])> {
    vec![
        (
            ARB_SYS,
            &[
                "arbBlockNumber()",
                "arbChainID()",
                "arbOSVersion()",
                "withdrawEth(address)",
                "sendTxToL1(address,bytes)",
            ],
        ),
        (
            ARB_WASM,
            &[
                "activateProgram(address)",
                "codehashKeepalive(bytes32)",
                "programVersion(address)",
                "codehashVersion(bytes32)",
                "activationGas()",
            ],
        ),
        (
            ARB_WASM_CACHE,
            &[
                "cacheProgram(address)",
                "evictCodehash(bytes32)",
                "codehashIsCached(bytes32)",
                "isCacheManager(address)",
                "allCacheManagers()",
            ],
        ),
        (
            ARB_OWNER_PUBLIC,
            &["getMaxStylusContractFragments()", "getAllChainOwners()"],
        ),
        (
            ARB_GAS_INFO,
            &["getPricesInWei()", "getL1BaseFeeEstimate()"],
        ),
        (STYLUS_DEPLOYER, &["deploy(bytes,bytes,uint256,bytes32)"]),
    ]
}

/// The canonical signature of an ABI JSON parameter type (tuples expanded).
fn abi_type(p: &Value) -> String {
    let ty = p["type"].as_str().expect("an ABI type");
    match ty.strip_prefix("tuple") {
        Some(suffix) => {
            let inner: Vec<String> = p["components"]
                .as_array()
                .expect("tuple components")
                .iter()
                .map(abi_type)
                .collect();
            format!("({}){suffix}", inner.join(","))
        }
        None => ty.to_string(),
    }
}

/// The 4-byte selectors of every function in `abi/<name>.json`.
fn selectors(name: &str) -> Vec<[u8; 4]> {
    let path = workspace_root().join(format!("abi/{name}.json"));
    let abi: Value = serde_json::from_slice(&std::fs::read(&path).expect("abi/ is in the repo"))
        .expect("ABI JSON");
    let items = abi.as_array().expect("an ABI array");
    let sels: Vec<[u8; 4]> = items
        .iter()
        .filter(|f| f["type"] == "function")
        .map(|f| {
            let args: Vec<String> = f["inputs"]
                .as_array()
                .unwrap()
                .iter()
                .map(abi_type)
                .collect();
            let sig = format!("{}({})", f["name"].as_str().unwrap(), args.join(","));
            keccak256(sig)[..4].try_into().unwrap()
        })
        .collect();
    assert!(!sels.is_empty(), "{name} declares functions");
    sels
}

/// The deployable code of every program, from `artifacts/` (built with `vvv build` if missing).
fn program_codes() -> Option<Vec<Vec<u8>>> {
    let dir = workspace_root().join("artifacts");
    if PROGRAMS
        .iter()
        .any(|p| !dir.join(format!("{p}.code")).exists())
    {
        eprintln!("building artifacts/ with `cargo run -p vvv-scripts -- build`...");
        let status = std::process::Command::new("cargo")
            .current_dir(workspace_root())
            .args(["run", "-q", "-p", "vvv-scripts", "--", "build"])
            .status();
        if !matches!(status, Ok(s) if s.success()) {
            eprintln!("SKIP: could not build the programs (artifacts/ is incomplete)");
            return None;
        }
    }
    PROGRAMS
        .iter()
        .map(|p| std::fs::read(dir.join(format!("{p}.code"))).ok())
        .collect()
}

fn u256_of(v: &Value) -> U256 {
    v.as_str()
        .and_then(|s| U256::from_str_radix(s.trim_start_matches("0x"), 16).ok())
        .unwrap_or_else(|| panic!("a quantity: {v}"))
}

fn u64_of(v: &Value) -> u64 {
    u256_of(v).to::<u64>()
}

fn balance(addr: SocketAddr, who: Address, block: &str) -> U256 {
    u256_of(&rpc_ok(addr, "eth_getBalance", json!([who, block])))
}

fn nonce_of(addr: SocketAddr, who: Address) -> u64 {
    u64_of(&rpc_ok(
        addr,
        "eth_getTransactionCount",
        json!([who, "latest"]),
    ))
}

fn token_call(addr: SocketAddr, token: Address, data: Vec<u8>, block: &str) -> U256 {
    let out = rpc_ok(
        addr,
        "eth_call",
        json!([{"to": token, "data": Bytes::from(data)}, block]),
    );
    u256_of(&Value::String(
        out.as_str().unwrap().chars().take(66).collect(),
    ))
}

fn vvv_balance(addr: SocketAddr, token: Address, who: Address, block: &str) -> U256 {
    let mut d = keccak256("balanceOf(address)")[..4].to_vec();
    d.extend([0u8; 12]);
    d.extend(who.as_slice());
    token_call(addr, token, d, block)
}

fn vvv_supply(addr: SocketAddr, token: Address, block: &str) -> U256 {
    token_call(addr, token, keccak256("totalSupply()")[..4].to_vec(), block)
}

/// Sends a transaction from the dev account the node signs for and returns its receipt.
fn dev_send(addr: SocketAddr, tx: Value) -> Value {
    let hash = rpc_ok(addr, "eth_sendTransaction", json!([tx]));
    let r = rpc_ok(addr, "eth_getTransactionReceipt", json!([hash]));
    assert_eq!(r["status"], "0x1", "{tx}: {r}");
    r
}

/// The suite's programs on a fresh devnet: the token constructed with the whole supply to the
/// dev account, the others deployed and activated through the StylusDeployer, unconstructed
/// (their constructors are one more thing random calldata may hit).
struct World {
    addr: SocketAddr,
    holder: Address,
    programs: Vec<Address>,
    program_selectors: Vec<Vec<[u8; 4]>>,
    system: Vec<(Address, Vec<[u8; 4]>)>,
}

impl World {
    fn deploy(addr: SocketAddr, holder: Address, codes: &[Vec<u8>]) -> World {
        let mut programs = Vec::new();
        for (i, code) in codes.iter().enumerate() {
            let init = if PROGRAMS[i] == "vvv-token" {
                ctor_data(holder)
            } else {
                Bytes::new()
            };
            let call = IStylusDeployer::deployCall {
                bytecode: init_code(code),
                initData: init,
                initValue: U256::ZERO,
                salt: B256::ZERO,
            };
            let r = dev_send(
                addr,
                json!({"from": holder, "to": STYLUS_DEPLOYER, "value": "0xde0b6b3a7640000",
                       "data": Bytes::from(call.abi_encode()), "gas": "0x1c9c380"}),
            );
            let log = r["logs"]
                .as_array()
                .unwrap()
                .iter()
                .find(|l| {
                    l["address"]
                        .as_str()
                        .unwrap()
                        .eq_ignore_ascii_case(&STYLUS_DEPLOYER.to_string())
                })
                .expect("ContractDeployed");
            let data = log["data"].as_str().unwrap();
            programs.push(data[data.len() - 40..].parse::<Address>().unwrap());
        }
        World {
            addr,
            holder,
            program_selectors: PROGRAMS.iter().map(|p| selectors(p)).collect(),
            system: system_targets()
                .into_iter()
                .map(|(a, sigs)| {
                    (
                        a,
                        sigs.iter()
                            .map(|s| keccak256(s)[..4].try_into().unwrap())
                            .collect(),
                    )
                })
                .collect(),
            programs,
        }
    }

    fn token(&self) -> Address {
        self.programs[0]
    }
}

/// What one send did.
struct Sent {
    spec: Spec,
    hash: Option<B256>,
    nonce: u64,
    to: Option<Address>,
    value: U256,
}

/// Runs one sequence with fresh senders and checks the chain afterwards.
fn run_sequence(w: &World, specs: &[Spec]) {
    let addr = w.addr;
    let keys: Vec<PrivateKeySigner> = (0..SENDERS).map(|_| PrivateKeySigner::random()).collect();
    let senders: Vec<Address> = keys.iter().map(|k| k.address()).collect();
    let start_eth = U256::from(10u64).pow(U256::from(18)); // 1 ETH each
    for (i, s) in senders.iter().enumerate() {
        rpc_ok(addr, "anvil_setBalance", json!([s, start_eth]));
        // Some VVV to move around: 1,000 × (i + 1).
        let amount = eth(1_000 * (i as u64 + 1));
        dev_send(
            addr,
            json!({"from": w.holder, "to": w.token(),
                   "data": Bytes::from(transferCall { to: *s, value: amount }.abi_encode())}),
        );
    }
    let start_block = u64_of(&rpc_ok(addr, "eth_blockNumber", json!([])));
    let start_tag = format!("{start_block:#x}");

    let mut sent: Vec<Sent> = Vec::new();
    for spec in specs {
        let key = &keys[spec.sender];
        let me = senders[spec.sender];
        let chain_nonce = nonce_of(addr, me);
        let nonce = match spec.nonce {
            Nonce::Next => chain_nonce,
            Nonce::Gap(g) => chain_nonce + g,
            Nonce::Past => chain_nonce.saturating_sub(1),
        };
        let value = match spec.value {
            0 => U256::ZERO,
            1 => U256::from(12_345u64),
            _ => start_eth * U256::from(1_000u64),
        };
        let (to, value, data): (Option<Address>, U256, Vec<u8>) = {
            let calldata = |sels: &[[u8; 4]]| -> Vec<u8> {
                match &spec.data {
                    Data::Empty => vec![],
                    Data::Garbage(b) => b.clone(),
                    Data::Selector(i, tail) => {
                        let mut d = sels[i % sels.len()].to_vec();
                        d.extend(tail);
                        d
                    }
                    Data::TokenTransfer(to, frac) => {
                        let to = senders.get(*to).copied().unwrap_or(SINK);
                        let amount = if *frac == 255 {
                            eth(1_000_000)
                        } else {
                            eth(1_000) * U256::from(*frac) / U256::from(256u64)
                        };
                        transferCall { to, value: amount }.abi_encode()
                    }
                }
            };
            // Plain value only where no contract can pay it back (refunds would make a sender's
            // ETH move by more than its receipts say); "more than it has" goes anywhere.
            let small_ok = |v: U256| if spec.value == 1 { U256::ZERO } else { v };
            match &spec.target {
                Target::Sink => (Some(SINK), value, calldata(&[[0; 4]])),
                Target::Sender(j) => (Some(senders[*j]), value, calldata(&[[0; 4]])),
                Target::Program(p) => (
                    Some(w.programs[*p]),
                    value,
                    calldata(&w.program_selectors[*p]),
                ),
                Target::System(k) => {
                    let (a, sels) = &w.system[*k];
                    (Some(*a), small_ok(value), calldata(sels))
                }
                Target::Create => (None, value, calldata(&[[0; 4]])),
            }
        };
        let max_fee = match spec.fee {
            0 => 1u128,
            1 => FEE,
            _ => 1u128 << 100,
        };
        let chain_id = if spec.wrong_chain_id {
            CHAIN_ID + 1
        } else {
            CHAIN_ID
        };
        let kind = match to {
            Some(a) => TxKind::Call(a),
            None => TxKind::Create,
        };
        let mut raw = match spec.kind {
            Kind::Legacy | Kind::LegacyWithoutChainId => {
                let tx = TxLegacy {
                    chain_id: matches!(spec.kind, Kind::Legacy).then_some(chain_id),
                    nonce,
                    gas_price: max_fee,
                    gas_limit: spec.gas,
                    to: kind,
                    value,
                    input: data.into(),
                };
                let sig = key.sign_hash_sync(&tx.signature_hash()).unwrap();
                TxEnvelope::from(tx.into_signed(sig)).encoded_2718()
            }
            Kind::Eip2930 => {
                let tx = TxEip2930 {
                    chain_id,
                    nonce,
                    gas_price: max_fee,
                    gas_limit: spec.gas,
                    to: kind,
                    value,
                    access_list: Default::default(),
                    input: data.into(),
                };
                let sig = key.sign_hash_sync(&tx.signature_hash()).unwrap();
                TxEnvelope::from(tx.into_signed(sig)).encoded_2718()
            }
            Kind::Eip1559 => {
                let tx = TxEip1559 {
                    chain_id,
                    nonce,
                    gas_limit: spec.gas,
                    max_fee_per_gas: max_fee,
                    max_priority_fee_per_gas: 0,
                    to: kind,
                    value,
                    access_list: Default::default(),
                    input: data.into(),
                };
                let sig = key.sign_hash_sync(&tx.signature_hash()).unwrap();
                TxEnvelope::from(tx.into_signed(sig)).encoded_2718()
            }
        };
        if let Some((from_end, bit)) = spec.corrupt_signature {
            let k = raw.len() - from_end;
            raw[k] ^= 1 << bit;
        }

        let must_refuse = spec.corrupt_signature.is_some()
            || (spec.wrong_chain_id && !matches!(spec.kind, Kind::LegacyWithoutChainId))
            || spec.gas == 20_999
            || spec.gas >= 100_000_000
            || spec.fee != 1
            || value > start_eth
            || (matches!(spec.nonce, Nonce::Past) && chain_nonce > 0);
        let reply = rpc(
            addr,
            "eth_sendRawTransaction",
            json!([Bytes::from(raw.clone())]),
        );
        let hash = match (reply.get("result"), reply.get("error")) {
            (Some(h), None) => {
                assert!(!must_refuse, "{spec:?} was accepted: {reply}");
                Some(h.as_str().unwrap().parse::<B256>().unwrap())
            }
            (None, Some(e)) => {
                assert!(
                    e["code"].is_i64() && e["message"].is_string(),
                    "a JSON-RPC error: {reply}"
                );
                None
            }
            _ => panic!("neither result nor error: {reply}"),
        };
        if let Some(h) = hash {
            let receipt = rpc_ok(addr, "eth_getTransactionReceipt", json!([h]));
            if nonce == chain_nonce {
                assert!(
                    !receipt.is_null(),
                    "{spec:?}: accepted at the account's nonce, not mined"
                );
            } else {
                assert!(
                    receipt.is_null(),
                    "{spec:?}: mined across a nonce gap: {receipt}"
                );
            }
        }
        if spec.resend {
            let again = rpc(addr, "eth_sendRawTransaction", json!([Bytes::from(raw)]));
            assert!(
                again.get("error").is_some(),
                "a resent transaction is refused: {again}"
            );
        }
        sent.push(Sent {
            spec: spec.clone(),
            hash,
            nonce,
            to,
            value,
        });
    }

    // The server is alive and the chain is consistent.
    assert_eq!(rpc_ok(addr, "eth_chainId", json!([])), "0x64aba");
    let end_block = u64_of(&rpc_ok(addr, "eth_blockNumber", json!([])));
    let mut mined: HashMap<B256, Value> = HashMap::new();
    let mut mined_nonces: BTreeMap<usize, Vec<u64>> = BTreeMap::new();
    for s in &sent {
        let Some(h) = s.hash else { continue };
        let r = rpc_ok(addr, "eth_getTransactionReceipt", json!([h]));
        if r.is_null() {
            let tx = rpc_ok(addr, "eth_getTransactionByHash", json!([h]));
            assert!(
                tx.is_null() || tx["blockNumber"].is_null(),
                "{:?}: no receipt but in a block: {tx}",
                s.spec
            );
            continue;
        }
        let from: Address = r["from"].as_str().unwrap().parse().unwrap();
        assert_eq!(from, senders[s.spec.sender], "receipt's sender");
        mined_nonces.entry(s.spec.sender).or_default().push(s.nonce);
        mined.insert(h, r);
    }
    for (i, who) in senders.iter().enumerate() {
        let n = nonce_of(addr, *who);
        let mut nonces = mined_nonces.remove(&i).unwrap_or_default();
        nonces.sort_unstable();
        assert_eq!(
            nonces,
            (0..n).collect::<Vec<_>>(),
            "sender {i}: mined nonces vs nonce {n}"
        );
        for s in sent
            .iter()
            .filter(|s| s.spec.sender == i && s.hash.is_some())
        {
            if !mined.contains_key(&s.hash.unwrap()) {
                assert!(
                    s.nonce > n,
                    "sender {i}: nonce {} accepted, not mined, not above {n}",
                    s.nonce
                );
            }
        }
    }
    // The blocks of the sequence hold exactly the mined transactions, where their receipts say.
    let mut in_blocks = HashSet::new();
    for b in start_block + 1..=end_block {
        let block = rpc_ok(
            addr,
            "eth_getBlockByNumber",
            json!([format!("{b:#x}"), false]),
        );
        assert_eq!(u64_of(&block["number"]), b);
        for (i, h) in block["transactions"].as_array().unwrap().iter().enumerate() {
            let h: B256 = h.as_str().unwrap().parse().unwrap();
            if i == 0 {
                // Nitro's startBlock, ArbOS's own: never sent, never in the pool.
                assert!(
                    !mined.contains_key(&h),
                    "block {b} starts with a sent transaction"
                );
                continue;
            }
            let r = mined
                .get(&h)
                .unwrap_or_else(|| panic!("block {b} holds {h}, not an accepted transaction"));
            assert_eq!(u64_of(&r["blockNumber"]), b);
            assert_eq!(u64_of(&r["transactionIndex"]), i as u64);
            in_blocks.insert(h);
        }
    }
    assert_eq!(
        in_blocks.len(),
        mined.len(),
        "every receipt's transaction is in a block"
    );

    // ETH: each account moved by what the receipts say.
    let mut expected: HashMap<Address, (U256, U256)> = HashMap::new(); // (in, out)
    for s in &sent {
        let Some(r) = s.hash.and_then(|h| mined.get(&h)) else {
            continue;
        };
        let from = senders[s.spec.sender];
        let fee = u256_of(&r["gasUsed"]) * u256_of(&r["effectiveGasPrice"]);
        expected.entry(from).or_default().1 += fee;
        if r["status"] == "0x1" && !s.value.is_zero() {
            expected.entry(from).or_default().1 += s.value;
            if let Some(to) = s.to {
                expected.entry(to).or_default().0 += s.value;
            }
        }
    }
    for who in senders.iter().chain([&SINK]) {
        let (inflow, outflow) = expected.get(who).copied().unwrap_or_default();
        let before = balance(addr, *who, &start_tag);
        let after = balance(addr, *who, "latest");
        assert_eq!(after + outflow, before + inflow, "ETH of {who}");
    }

    // VVV: balances and supply are what the Transfer logs say.
    let token = w.token();
    let mut vvv: HashMap<Address, U256> = HashMap::new();
    let mut supply = vvv_supply(addr, token, &start_tag);
    for r in mined.values() {
        for log in r["logs"].as_array().unwrap() {
            let at: Address = log["address"].as_str().unwrap().parse().unwrap();
            let topics = log["topics"].as_array().unwrap();
            if at != token
                || topics.len() != 3
                || topics[0].as_str().unwrap().parse::<B256>().unwrap() != TRANSFER_TOPIC
            {
                continue;
            }
            let who = |t: &Value| -> Address {
                let s = t.as_str().unwrap();
                s[s.len() - 40..].parse().unwrap()
            };
            let (from, to) = (who(&topics[1]), who(&topics[2]));
            let amount = u256_of(&log["data"]);
            for (acct, sign) in [(from, false), (to, true)] {
                if acct.is_zero() {
                    // mint or burn
                    if sign {
                        supply -= amount
                    } else {
                        supply += amount
                    }
                    continue;
                }
                let e = vvv
                    .entry(acct)
                    .or_insert_with(|| vvv_balance(addr, token, acct, &start_tag));
                if sign {
                    *e += amount
                } else {
                    *e -= amount
                }
            }
        }
    }
    for who in senders.iter().chain([&SINK]) {
        vvv.entry(*who)
            .or_insert_with(|| vvv_balance(addr, token, *who, &start_tag));
    }
    for (who, expected) in &vvv {
        assert_eq!(
            vvv_balance(addr, token, *who, "latest"),
            *expected,
            "VVV of {who}"
        );
    }
    assert_eq!(vvv_supply(addr, token, "latest"), supply, "VVV supply");
}

#[test]
fn random_transactions_keep_the_server_alive_and_the_chain_consistent() {
    let Some(codes) = program_codes() else { return };
    let server = start();
    let addr = server.addr();
    let holder = server.accounts()[0].address;
    let world = World::deploy(addr, holder, &codes);

    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(32);
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    let started = std::time::Instant::now();
    let result = runner.run(&prop::collection::vec(spec(), 1..40), |specs| {
        run_sequence(&world, &specs);
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    println!(
        "RANDOM TRANSACTIONS: {cases} sequences of up to 39 transactions in {:.1?}",
        started.elapsed()
    );
    // Still answering normal traffic afterwards.
    dev_send(addr, json!({"from": holder, "to": SINK, "value": "0x1"}));
    server.stop();
}

//! Nitro's block shape through JSON-RPC (issue 11, gap 9): ArbOS's startBlock transaction at
//! index 0, `l1BlockNumber` advancing with `mixHash`, and real roots — each checked by
//! recomputing it with alloy's own types (the header's hash, the transaction and receipt tries)
//! and by verifying `eth_getProof` against the block's `stateRoot` with alloy-trie.

mod common;

use alloy::consensus::{Eip658Value, Header, Receipt, ReceiptWithBloom, EMPTY_OMMER_ROOT_HASH};
use alloy::primitives::{address, keccak256, Address, Bloom, Bytes, Log, B256, B64, U256};
use alloy::rlp::Encodable;
use alloy::sol_types::{sol, SolCall};
use alloy::trie::proof::verify_proof;
use alloy::trie::{Nibbles, TrieAccount};
use common::*;
use serde_json::{json, Value};
use std::net::SocketAddr;

sol! {
    function startBlock(uint256 l1BaseFee, uint64 l1BlockNumber, uint64 l2BlockNumber, uint64 timePassed);
}

/// Runtime code: stores its first calldata word in slot 0.
const RUNTIME: &str = "60003560005500";

const ARBOS: Address = address!("00000000000000000000000000000000000A4B05");

fn u64_of(v: &Value) -> u64 {
    u64::from_str_radix(v.as_str().unwrap().trim_start_matches("0x"), 16).unwrap()
}
fn u256_of(v: &Value) -> U256 {
    v.as_str().unwrap().parse().unwrap()
}
fn b256_of(v: &Value) -> B256 {
    v.as_str().unwrap().parse().unwrap()
}
fn bytes_of(v: &Value) -> Bytes {
    v.as_str().unwrap().parse().unwrap()
}

/// The header a block's JSON describes, rebuilt field by field with alloy's consensus type.
fn header_of(b: &Value) -> Header {
    Header {
        parent_hash: b256_of(&b["parentHash"]),
        ommers_hash: b256_of(&b["sha3Uncles"]),
        beneficiary: b["miner"].as_str().unwrap().parse().unwrap(),
        state_root: b256_of(&b["stateRoot"]),
        transactions_root: b256_of(&b["transactionsRoot"]),
        receipts_root: b256_of(&b["receiptsRoot"]),
        logs_bloom: b["logsBloom"].as_str().unwrap().parse::<Bloom>().unwrap(),
        difficulty: u256_of(&b["difficulty"]),
        number: u64_of(&b["number"]),
        gas_limit: u64_of(&b["gasLimit"]),
        gas_used: u64_of(&b["gasUsed"]),
        timestamp: u64_of(&b["timestamp"]),
        extra_data: bytes_of(&b["extraData"]),
        mix_hash: b256_of(&b["mixHash"]),
        nonce: b["nonce"].as_str().unwrap().parse::<B64>().unwrap(),
        base_fee_per_gas: Some(u64_of(&b["baseFeePerGas"])),
        ..Default::default()
    }
}

/// A receipt's EIP-2718 bytes from its JSON (what `receiptsRoot` commits to).
fn receipt_bytes(r: &Value) -> Vec<u8> {
    let logs = r["logs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            Log::new_unchecked(
                l["address"].as_str().unwrap().parse().unwrap(),
                l["topics"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(b256_of)
                    .collect(),
                bytes_of(&l["data"]),
            )
        })
        .collect();
    let receipt = Receipt {
        status: Eip658Value::Eip658(r["status"] == "0x1"),
        cumulative_gas_used: u64_of(&r["cumulativeGasUsed"]),
        logs,
    };
    let bloom = r["logsBloom"].as_str().unwrap().parse::<Bloom>().unwrap();
    let ty = u64_of(&r["type"]) as u8;
    let mut out = if ty == 0 { vec![] } else { vec![ty] };
    ReceiptWithBloom::new(receipt, bloom).encode(&mut out);
    out
}

/// Checks `eth_getProof` of `who` and `slots` at block `n` against that block's `stateRoot`;
/// returns the proven slot values.
fn verified_proof(a: SocketAddr, who: Address, slots: &[u64], n: u64) -> (Value, Vec<U256>) {
    let block = rpc_ok(a, "eth_getBlockByNumber", json!([format!("{n:#x}"), false]));
    let keys: Vec<String> = slots.iter().map(|s| format!("{s:#x}")).collect();
    let p = rpc_ok(a, "eth_getProof", json!([who, keys, format!("{n:#x}")]));
    let nodes = |v: &Value| -> Vec<Bytes> { v.as_array().unwrap().iter().map(bytes_of).collect() };
    let account = TrieAccount {
        nonce: u64_of(&p["nonce"]),
        balance: u256_of(&p["balance"]),
        storage_root: b256_of(&p["storageHash"]),
        code_hash: b256_of(&p["codeHash"]),
    };
    let exists = account.nonce != 0 || !account.balance.is_zero();
    verify_proof(
        b256_of(&block["stateRoot"]),
        Nibbles::unpack(keccak256(who)),
        exists.then(|| alloy::rlp::encode(account)),
        &nodes(&p["accountProof"]),
    )
    .unwrap_or_else(|e| panic!("account proof of {who} at block {n}: {e:?}"));
    let mut values = vec![];
    for (sp, slot) in p["storageProof"].as_array().unwrap().iter().zip(slots) {
        let value = u256_of(&sp["value"]);
        assert_eq!(b256_of(&sp["key"]), B256::from(U256::from(*slot)));
        verify_proof(
            account.storage_root,
            Nibbles::unpack(keccak256(B256::from(U256::from(*slot)))),
            (!value.is_zero()).then(|| alloy::rlp::encode_fixed_size(&value).to_vec()),
            &nodes(&sp["proof"]),
        )
        .unwrap_or_else(|e| panic!("storage proof of slot {slot} at block {n}: {e:?}"));
        values.push(value);
    }
    (p, values)
}

#[test]
fn blocks_have_nitros_shape_and_real_roots() {
    let s = start();
    let a = s.addr();
    let dev = s.accounts()[0].address;
    // Init code that stores 42 in slot 0 and 7 in slot 1 and returns RUNTIME.
    let init = format!("0x602a6000556007600155600760166000396007_6000f3{RUNTIME}").replace('_', "");
    let h = rpc_ok(
        a,
        "eth_sendTransaction",
        json!([{"from": dev, "data": init}]),
    );
    let r = rpc_ok(a, "eth_getTransactionReceipt", json!([h]));
    let c: Address = r["contractAddress"].as_str().unwrap().parse().unwrap();
    let n = u64_of(&r["blockNumber"]);
    assert_eq!(u64_of(&r["transactionIndex"]), 1, "index 0 is ArbOS's");
    let block = rpc_ok(a, "eth_getBlockByNumber", json!([format!("{n:#x}"), true]));

    // startBlock at index 0: ArbOS to itself, type 0x6a, no gas, Nitro's call data.
    let txs = block["transactions"].as_array().unwrap();
    assert_eq!(txs.len(), 2);
    let start_tx = &txs[0];
    assert_eq!(start_tx["type"], "0x6a");
    assert_eq!(start_tx["transactionIndex"], "0x0");
    assert_eq!(
        start_tx["from"]
            .as_str()
            .unwrap()
            .parse::<Address>()
            .unwrap(),
        ARBOS
    );
    assert_eq!(
        start_tx["to"].as_str().unwrap().parse::<Address>().unwrap(),
        ARBOS
    );
    assert_eq!(
        (start_tx["gas"].as_str(), start_tx["gasPrice"].as_str()),
        (Some("0x0"), Some("0x0"))
    );
    let call = startBlockCall::abi_decode(&bytes_of(&start_tx["input"])).unwrap();
    let parent = rpc_ok(
        a,
        "eth_getBlockByNumber",
        json!([format!("{:#x}", n - 1), false]),
    );
    assert_eq!(call.l2BlockNumber, n);
    assert_eq!(call.l1BlockNumber, u64_of(&block["l1BlockNumber"]));
    assert_eq!(
        call.timePassed,
        u64_of(&block["timestamp"]) - u64_of(&parent["timestamp"])
    );
    assert_eq!(txs[1]["hash"], h);
    let start_hash = b256_of(&start_tx["hash"]);
    let start_raw = bytes_of(&rpc_ok(
        a,
        "eth_getRawTransactionByHash",
        json!([start_hash]),
    ));
    assert_eq!(
        keccak256(&start_raw),
        start_hash,
        "the hash is keccak of the 2718 bytes"
    );
    let start_receipt = rpc_ok(a, "eth_getTransactionReceipt", json!([start_hash]));
    assert_eq!(
        (
            start_receipt["status"].as_str(),
            start_receipt["gasUsed"].as_str()
        ),
        (Some("0x1"), Some("0x0"))
    );
    assert_eq!(r["l1BlockNumber"], block["l1BlockNumber"]);

    // Header: Nitro's constants, and the served hash is the hash of the served fields.
    assert_eq!(block["difficulty"], "0x1");
    assert_eq!(b256_of(&block["sha3Uncles"]), EMPTY_OMMER_ROOT_HASH);
    assert_eq!(bytes_of(&block["extraData"]).len(), 32, "Nitro's sendRoot");
    let mix = b256_of(&block["mixHash"]);
    assert_eq!(
        u64::from_be_bytes(mix[8..16].try_into().unwrap()),
        u64_of(&block["l1BlockNumber"])
    );
    assert_eq!(header_of(&block).hash_slow(), b256_of(&block["hash"]));
    assert_eq!(
        header_of(&parent).hash_slow(),
        b256_of(&block["parentHash"])
    );

    // transactionsRoot and receiptsRoot: the ordered tries of what the node serves.
    let raws: Vec<Bytes> = txs
        .iter()
        .map(|t| {
            bytes_of(&rpc_ok(
                a,
                "eth_getRawTransactionByHash",
                json!([t["hash"]]),
            ))
        })
        .collect();
    assert_eq!(
        alloy::trie::root::ordered_trie_root_encoded(&raws),
        b256_of(&block["transactionsRoot"])
    );
    let receipts: Vec<Vec<u8>> = txs
        .iter()
        .map(|t| receipt_bytes(&rpc_ok(a, "eth_getTransactionReceipt", json!([t["hash"]]))))
        .collect();
    assert_eq!(
        alloy::trie::root::ordered_trie_root_encoded(&receipts),
        b256_of(&block["receiptsRoot"])
    );

    // stateRoot: eth_getProof verifies against it — the contract's slots, an absent slot, the
    // sender's balance, an account that does not exist.
    let (p, values) = verified_proof(a, c, &[0, 1, 2], n);
    assert_eq!(values, [U256::from(42), U256::from(7), U256::ZERO]);
    assert_eq!(p["nonce"], "0x1");
    let runtime: Bytes = format!("0x{RUNTIME}").parse().unwrap();
    assert_eq!(b256_of(&p["codeHash"]), keccak256(&runtime));
    let (p, _) = verified_proof(a, dev, &[], n);
    assert_eq!(
        p["balance"],
        rpc_ok(a, "eth_getBalance", json!([dev, format!("{n:#x}")]))
    );
    let (p, _) = verified_proof(a, Address::repeat_byte(0xEE), &[0], n);
    assert_eq!(
        (p["balance"].as_str(), p["nonce"].as_str()),
        (Some("0x0"), Some("0x0"))
    );

    // A later block changes slot 0 to 99; the old block's proof still shows 42.
    let word = format!("0x{:064x}", 99);
    let h2 = rpc_ok(
        a,
        "eth_sendTransaction",
        json!([{"from": dev, "to": c, "data": word}]),
    );
    let n2 = u64_of(&rpc_ok(a, "eth_getTransactionReceipt", json!([h2]))["blockNumber"]);
    let b2 = rpc_ok(
        a,
        "eth_getBlockByNumber",
        json!([format!("{n2:#x}"), false]),
    );
    assert_ne!(b2["stateRoot"], block["stateRoot"]);
    assert_eq!(
        verified_proof(a, c, &[0, 1], n2).1,
        [U256::from(99), U256::from(7)]
    );
    assert_eq!(verified_proof(a, c, &[0], n).1, [U256::from(42)]);
    verified_proof(a, dev, &[], n2);

    // l1BlockNumber advances one per 12 s of block time; an empty block holds startBlock only.
    let l1 = u64_of(&b2["l1BlockNumber"]);
    rpc_ok(a, "evm_increaseTime", json!([120]));
    rpc_ok(a, "evm_mine", json!([]));
    let b3 = rpc_ok(a, "eth_getBlockByNumber", json!(["latest", true]));
    assert!(u64_of(&b3["l1BlockNumber"]) >= l1 + 10, "{b3}");
    assert_eq!(b3["transactions"].as_array().unwrap().len(), 1);
    assert_eq!(b3["transactions"][0]["type"], "0x6a");
    assert_eq!(header_of(&b3).hash_slow(), b256_of(&b3["hash"]));
    assert_eq!(
        rpc_ok(a, "eth_getBlockTransactionCountByNumber", json!(["latest"])),
        "0x1"
    );

    // Bad input: the field is named, nothing changes.
    for (params, field) in [
        (json!([c, "0x0", "latest"]), "storageKeys"),
        (json!(["0x12", [], "latest"]), "address"),
        (json!([c, ["0xzz"], "latest"]), "storageKeys"),
    ] {
        let e = rpc_err(a, "eth_getProof", params);
        assert_eq!(e["code"], -32602, "{e}");
        assert!(e["message"].as_str().unwrap().contains(field), "{e}");
    }
    let e = rpc_err(a, "eth_getProof", json!([c, [], "0x999999"]));
    assert!(
        e["message"].as_str().unwrap().contains("header not found"),
        "{e}"
    );
}

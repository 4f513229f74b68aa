//! State as of past blocks, calls against it with overrides, snapshots and the chain dump.

mod common;

use alloy_primitives::{hex, Address, Bytes, U256};
use common::*;
use vvv_devnet_engine::{deployment_init_code, AccountOverride, CallRequest, Devnet, DevnetConfig};

/// EVM runtime: empty calldata returns slot 0, otherwise stores calldata word 0 in slot 0.
const STORE: &str = "36600f5760005460005260206000f35b60003560005500";

fn word(n: u64) -> Vec<u8> {
    U256::from(n).to_be_bytes::<32>().to_vec()
}

fn read(chain: &mut Devnet, c: Address, at: Option<u64>, overrides: &[AccountOverride]) -> U256 {
    let r = chain
        .call_at(
            &CallRequest {
                to: Some(c),
                ..Default::default()
            },
            at,
            overrides,
        )
        .unwrap();
    assert!(r.success, "{r:?}");
    U256::from_be_slice(&r.output)
}

#[test]
fn past_state_snapshots_and_dump() {
    let key = Key::new(3);
    let bob = Address::repeat_byte(0xb0);
    let mut chain = chain_with(&key); // funded at genesis (block 0)

    let r = send(
        &mut chain,
        &key,
        None,
        U256::ZERO,
        deployment_init_code(&hex::decode(STORE).unwrap()),
    );
    let c = r.contract_address.unwrap(); // block 1
    assert!(send(&mut chain, &key, Some(c), U256::ZERO, word(5)).status); // block 2
    assert!(send(&mut chain, &key, Some(c), U256::ZERO, word(7)).status); // block 3
    assert!(send(&mut chain, &key, Some(bob), eth(2), vec![]).status); // block 4
    assert_eq!(chain.block_number(), 4);

    // point reads
    assert_eq!(chain.storage_at(c, U256::ZERO, 1), U256::ZERO);
    assert_eq!(chain.storage_at(c, U256::ZERO, 2), U256::from(5));
    assert_eq!(chain.storage_at(c, U256::ZERO, 3), U256::from(7));
    assert_eq!(chain.storage_at(c, U256::ZERO, 4), U256::from(7));
    assert!(chain.code_at(c, 0).is_empty());
    assert_eq!(
        chain.code_at(c, 1).as_ref(),
        hex::decode(STORE).unwrap().as_slice()
    );
    assert_eq!(chain.balance_at(bob, 3), U256::ZERO);
    assert_eq!(chain.balance_at(bob, 4), eth(2));
    assert_eq!(chain.nonce_at(key.address, 0), 0);
    assert_eq!(chain.nonce_at(key.address, 2), 2);
    assert_eq!(chain.balance_at(key.address, 0), eth(1000));
    assert!(chain.balance_at(key.address, 4) < eth(998));

    // calls against past state, and overrides
    assert_eq!(read(&mut chain, c, Some(2), &[]), U256::from(5));
    assert_eq!(read(&mut chain, c, Some(3), &[]), U256::from(7));
    assert_eq!(read(&mut chain, c, None, &[]), U256::from(7));
    let diff = AccountOverride {
        address: c,
        state_diff: Some(vec![(U256::ZERO, U256::from(9))]),
        ..Default::default()
    };
    assert_eq!(
        read(&mut chain, c, None, std::slice::from_ref(&diff)),
        U256::from(9)
    );
    assert_eq!(read(&mut chain, c, Some(2), &[diff]), U256::from(9));
    let other = Address::repeat_byte(0x77);
    let code = AccountOverride {
        address: other,
        code: Some(Bytes::from(hex::decode(STORE).unwrap())),
        ..Default::default()
    };
    assert_eq!(read(&mut chain, other, None, &[code]), U256::ZERO);
    assert!(chain.code(other).is_empty(), "overrides are not kept");
    assert_eq!(
        read(&mut chain, c, None, &[]),
        U256::from(7),
        "past-state calls are not kept"
    );
    // a call at a block before the contract existed: no code, empty output
    let r = chain
        .call_at(
            &CallRequest {
                to: Some(c),
                ..Default::default()
            },
            Some(0),
            &[],
        )
        .unwrap();
    assert!(r.success && r.output.is_empty());

    // direct edits belong to the latest block's state
    chain.set_balance(bob, eth(50));
    assert_eq!(chain.balance_at(bob, 4), eth(50));
    assert_eq!(chain.balance_at(bob, 3), U256::ZERO);

    // empty blocks: only Nitro's startBlock, ArbOS to itself
    let b5 = chain.mine();
    assert_eq!((b5.number, b5.transactions.len()), (5, 1));
    let start = chain.receipt(b5.transactions[0]).unwrap();
    assert_eq!(
        (start.tx_type, start.transaction_index, start.gas_used),
        (0x6a, 0, 0)
    );
    assert_eq!(chain.block_by_hash(&b5.hash).unwrap().number, 5);
    assert_eq!(chain.balance_at(bob, 4), eth(50));

    // snapshot / restore
    let snap = chain.snapshot();
    let r = send(&mut chain, &key, Some(c), U256::ZERO, word(11)); // block 6
    assert_eq!(chain.storage(c, U256::ZERO), U256::from(11));
    chain.restore(snap);
    assert_eq!(chain.block_number(), 5);
    assert_eq!(chain.storage(c, U256::ZERO), U256::from(7));
    assert!(chain.receipt(r.tx_hash).is_none());
    assert!(chain.raw_transaction(&r.tx_hash).is_none());

    // dump → JSON → chain: same state, same history, and it goes on
    let json = serde_json::to_vec(&chain.dump()).unwrap();
    let dump = serde_json::from_slice(&json).unwrap();
    let mut back = Devnet::from_dump(DevnetConfig::default(), dump).unwrap();
    assert_eq!(back.block_number(), 5);
    assert_eq!(back.latest_block().hash, chain.latest_block().hash);
    assert_eq!(back.storage(c, U256::ZERO), U256::from(7));
    assert_eq!(back.storage_at(c, U256::ZERO, 2), U256::from(5));
    assert_eq!(back.balance_at(bob, 3), U256::ZERO);
    assert_eq!(back.balance(bob), eth(50));
    assert_eq!(back.nonce(key.address), chain.nonce(key.address));
    let first = chain.block(1).unwrap().transactions[0];
    assert!(back.receipt(first).is_some() && back.raw_transaction(&first).is_some());
    assert_eq!(read(&mut back, c, Some(2), &[]), U256::from(5));
    assert!(send(&mut back, &key, Some(c), U256::ZERO, word(13)).status);
    assert_eq!(read(&mut back, c, None, &[]), U256::from(13));
    assert_eq!(back.block_number(), 6);

    // a dump for another chain id is refused
    let other_cfg = DevnetConfig {
        chain_id: 1,
        ..Default::default()
    };
    assert!(Devnet::from_dump(other_cfg, chain.dump()).is_err());
}

#[test]
fn stylus_activation_is_part_of_history() {
    // A WAT program: activation is stored in ArbOS state; calls at a block before activation fail.
    let key = Key::new(4);
    let mut chain = chain_with(&key);
    let wat = r#"(module
        (import "vm_hooks" "read_args" (func $read_args (param i32)))
        (import "vm_hooks" "write_result" (func $write_result (param i32 i32)))
        (memory (export "memory") 1 1)
        (func (export "user_entrypoint") (param $len i32) (result i32)
            (i32.store (i32.const 0) (i32.const 42))
            (call $write_result (i32.const 0) (i32.const 4))
            (i32.const 0)))"#;
    let addr = deploy_code(&mut chain, &key, &wat_code(wat));
    let before = chain.block_number();
    assert!(activate(&mut chain, &key, addr).status);
    let req = CallRequest {
        to: Some(addr),
        ..Default::default()
    };
    let now = chain.call_at(&req, None, &[]).unwrap();
    assert!(now.success && now.output.as_ref() == [42, 0, 0, 0]);
    let then = chain.call_at(&req, Some(before), &[]).unwrap();
    assert!(
        !then.success && then.reverted,
        "not active yet at block {before}: {then:?}"
    );
}

/// `stateRoot` recomputed from nothing with alloy-trie's reference functions over the chain's
/// dump: what the kept storage tries must always agree with.
fn root_from_scratch(chain: &Devnet) -> alloy_primitives::B256 {
    use alloy_trie::root::{state_root_unhashed, storage_root_unhashed};
    use alloy_trie::{TrieAccount, KECCAK_EMPTY};
    let accounts = chain.dump().accounts.into_iter().filter(|a| {
        let no_code = a.code_hash.is_zero() || a.code_hash == KECCAK_EMPTY;
        a.exists && !(a.nonce == 0 && a.balance.is_zero() && no_code)
    });
    state_root_unhashed(accounts.map(|a| {
        let storage = a.storage.iter().map(|(k, v)| ((*k).into(), *v));
        let code_hash = if a.code_hash.is_zero() {
            KECCAK_EMPTY
        } else {
            a.code_hash
        };
        let account = TrieAccount {
            nonce: a.nonce,
            balance: a.balance,
            storage_root: storage_root_unhashed(storage),
            code_hash,
        };
        (a.address, account)
    }))
}

#[test]
fn state_root_follows_every_change() {
    let key = Key::new(5);
    let mut chain = chain_with(&key);
    assert_eq!(
        chain.latest_block().state_root,
        root_from_scratch(&chain),
        "genesis"
    );
    let code = deployment_init_code(&hex::decode(STORE).unwrap());
    let c = send(&mut chain, &key, None, U256::ZERO, code.clone())
        .contract_address
        .unwrap();
    let d = send(&mut chain, &key, None, U256::ZERO, code)
        .contract_address
        .unwrap();
    // set, overwrite, clear (the slot leaves the trie), set again; a second contract between
    for (to, v) in [(c, 5), (d, 9), (c, 7), (c, 0), (d, 0), (c, 3)] {
        assert!(send(&mut chain, &key, Some(to), U256::ZERO, word(v)).status);
        assert_eq!(
            chain.latest_block().state_root,
            root_from_scratch(&chain),
            "{to} ← {v}"
        );
    }
    // direct edits, then a block
    chain.set_storage(c, U256::from(77), U256::from(1));
    chain.set_storage(d, U256::ZERO, U256::from(4));
    chain.set_balance(Address::repeat_byte(0xb0), eth(1));
    chain.mine();
    assert_eq!(
        chain.latest_block().state_root,
        root_from_scratch(&chain),
        "after edits"
    );
    // a restored snapshot forgets what came after it
    let snap = chain.snapshot();
    assert!(send(&mut chain, &key, Some(c), U256::ZERO, word(100)).status);
    chain.restore(snap);
    assert!(send(&mut chain, &key, Some(d), U256::ZERO, word(8)).status);
    assert_eq!(
        chain.latest_block().state_root,
        root_from_scratch(&chain),
        "after restore"
    );
    // a chain loaded from its dump seals the same roots
    let mut back = Devnet::from_dump(DevnetConfig::default(), chain.dump()).unwrap();
    assert!(send(&mut back, &key, Some(c), U256::ZERO, word(1)).status);
    assert_eq!(
        back.latest_block().state_root,
        root_from_scratch(&back),
        "after load"
    );
    assert_ne!(
        back.latest_block().state_root,
        chain.latest_block().state_root
    );
}

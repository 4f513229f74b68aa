//! Nitro's block shape: the ArbitrumInternalTx (type `0x6a`) every block starts with, the
//! header fields Nitro fills its own way (`mixHash`, `extraData`, `difficulty`), and the real
//! Merkle-Patricia roots — state, transactions, receipts — with the account and storage proofs
//! `eth_getProof` answers from the same tries.
//!
//! The chain keeps the state trie and every storage trie in memory ([`crate::trie`]) and
//! updates them with what each transaction changed ([`account_leaf`], [`set_slot`]); the
//! transaction and receipt tries are built per block. Proofs rebuild the tries they walk with
//! alloy-trie's `HashBuilder` (a cost per `eth_getProof` call, not per block).

use crate::trie::Trie;
use alloy_consensus::{Eip658Value, Header, ReceiptWithBloom, EMPTY_OMMER_ROOT_HASH};
use alloy_primitives::{address, keccak256, Address, Bloom, Bytes, Log, B256, B64, U256};
use alloy_rlp::Encodable;
use alloy_sol_types::{sol, SolCall};
use alloy_trie::proof::ProofRetainer;
use alloy_trie::{HashBuilder, Nibbles, TrieAccount, EMPTY_ROOT_HASH};
use revm::database::{AccountState, DbAccount};
use serde::{Deserialize, Serialize};

/// A transaction receipt.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Receipt {
    pub tx_hash: B256,
    pub tx_type: u8,
    pub block_number: u64,
    pub block_hash: B256,
    /// Position in the block (1 for a transaction: the internal `startBlock` is at 0).
    #[serde(default)]
    pub transaction_index: u64,
    pub from: Address,
    pub to: Option<Address>,
    pub contract_address: Option<Address>,
    pub status: bool,
    pub gas_used: u64,
    pub cumulative_gas_used: u64,
    pub effective_gas_price: u128,
    pub logs: Vec<Log>,
    pub logs_bloom: Bloom,
    /// Return data on success, revert data on revert (not part of an Ethereum receipt).
    pub output: Bytes,
    /// Halt reason for failures that are not reverts.
    pub halt: Option<String>,
}

/// ArbOS's own address: sender and recipient of the ArbitrumInternalTx.
pub const ARBOS_ADDRESS: Address = address!("00000000000000000000000000000000000A4B05");

/// EIP-2718 type of Nitro's ArbitrumInternalTx.
pub const INTERNAL_TX_TYPE: u8 = 0x6a;

/// Seconds per block of the devnet's notional parent chain: `l1BlockNumber` advances by one
/// every 12 s of block time from genesis, as Ethereum's slots do. (A Nitro node reports the
/// parent-chain block its sequencer last saw; the devnet has no parent chain.)
pub const L1_BLOCK_TIME: u64 = 12;

/// The ArbOS format version Nitro writes into `mixHash` bytes 16..24 (`ArbSys.arbOSVersion()`
/// reports it plus 55).
const ARBOS_FORMAT_VERSION: u64 = crate::arbos::ARBOS_VERSION;

sol! {
    /// ArbOS's `startBlock` internal call (Nitro's `InternalTxStartBlockMethodID`, 0x6bf6a42d).
    function startBlock(uint256 l1BaseFee, uint64 l1BlockNumber, uint64 l2BlockNumber, uint64 timePassed);
}

/// The ArbitrumInternalTx Nitro puts at index 0 of each block: `startBlock` for the block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InternalTx {
    pub chain_id: u64,
    /// ABI-encoded `startBlock(l1BaseFee, l1BlockNumber, l2BlockNumber, timePassed)`.
    pub data: Bytes,
}

impl InternalTx {
    /// The `startBlock` transaction of L2 block `l2_block_number`. The L1 base fee is 0, as the
    /// devnet's `ArbGasInfo.getL1BaseFeeEstimate()` reports (no L1 data is charged).
    pub fn start_block(
        chain_id: u64,
        l1_block_number: u64,
        l2_block_number: u64,
        time_passed: u64,
    ) -> Self {
        let call = startBlockCall {
            l1BaseFee: U256::ZERO,
            l1BlockNumber: l1_block_number,
            l2BlockNumber: l2_block_number,
            timePassed: time_passed,
        };
        Self {
            chain_id,
            data: call.abi_encode().into(),
        }
    }

    /// EIP-2718 bytes: `0x6a || rlp([chainId, data])`, as Nitro encodes it.
    pub fn encode(&self) -> Bytes {
        let payload_length = self.chain_id.length() + self.data.length();
        let mut out = vec![INTERNAL_TX_TYPE];
        alloy_rlp::Header {
            list: true,
            payload_length,
        }
        .encode(&mut out);
        self.chain_id.encode(&mut out);
        self.data.encode(&mut out);
        out.into()
    }

    /// Its receipt, as Nitro writes it: succeeded, no gas, no logs, ArbOS to itself, index 0
    /// (the block hash is filled in once the block is sealed).
    pub fn receipt(&self, tx_hash: B256, block_number: u64) -> Receipt {
        Receipt {
            tx_hash,
            tx_type: INTERNAL_TX_TYPE,
            block_number,
            block_hash: B256::ZERO,
            transaction_index: 0,
            from: ARBOS_ADDRESS,
            to: Some(ARBOS_ADDRESS),
            contract_address: None,
            status: true,
            gas_used: 0,
            cumulative_gas_used: 0,
            effective_gas_price: 0,
            logs: vec![],
            logs_bloom: Bloom::default(),
            output: Bytes::new(),
            halt: None,
        }
    }

    /// Reads back what [`encode`](Self::encode) wrote (None: not an internal transaction).
    pub fn decode(raw: &[u8]) -> Option<Self> {
        let (&ty, mut rest) = raw.split_first()?;
        if ty != INTERNAL_TX_TYPE {
            return None;
        }
        let header = alloy_rlp::Header::decode(&mut rest).ok()?;
        if !header.list || header.payload_length != rest.len() {
            return None;
        }
        let chain_id = <u64 as alloy_rlp::Decodable>::decode(&mut rest).ok()?;
        let data = <Bytes as alloy_rlp::Decodable>::decode(&mut rest).ok()?;
        rest.is_empty().then_some(Self { chain_id, data })
    }
}

/// The L1 block number reported for an L2 block with this timestamp (see [`L1_BLOCK_TIME`]).
pub fn l1_block_number(genesis_timestamp: u64, timestamp: u64) -> u64 {
    timestamp.saturating_sub(genesis_timestamp) / L1_BLOCK_TIME
}

/// Nitro's `mixHash`: send count (bytes 0..8), L1 block number (8..16), ArbOS format version
/// (16..24), big-endian. The devnet sends no L2→L1 messages: the send count is 0.
pub fn mix_hash(l1_block_number: u64) -> B256 {
    let mut mix = B256::ZERO;
    mix[8..16].copy_from_slice(&l1_block_number.to_be_bytes());
    mix[16..24].copy_from_slice(&ARBOS_FORMAT_VERSION.to_be_bytes());
    mix
}

/// Nitro's `extraData`: the send root (32 bytes; zero, no L2→L1 messages).
pub const SEND_ROOT: B256 = B256::ZERO;

/// What a block's header commits to, besides its parent.
#[derive(Clone, Debug)]
pub struct HeaderFields {
    pub parent_hash: B256,
    pub beneficiary: Address,
    pub state_root: B256,
    pub transactions_root: B256,
    pub receipts_root: B256,
    pub logs_bloom: Bloom,
    pub number: u64,
    pub gas_limit: u64,
    pub gas_used: u64,
    pub timestamp: u64,
    pub l1_block_number: u64,
    pub base_fee: u64,
}

/// The block's header as Nitro builds it (London fields; difficulty 1; `mixHash` and
/// `extraData` carrying Arbitrum's values); its hash is the block hash.
pub fn header(f: &HeaderFields) -> Header {
    Header {
        parent_hash: f.parent_hash,
        ommers_hash: EMPTY_OMMER_ROOT_HASH,
        beneficiary: f.beneficiary,
        state_root: f.state_root,
        transactions_root: f.transactions_root,
        receipts_root: f.receipts_root,
        logs_bloom: f.logs_bloom,
        difficulty: U256::from(1),
        number: f.number,
        gas_limit: f.gas_limit,
        gas_used: f.gas_used,
        timestamp: f.timestamp,
        extra_data: SEND_ROOT.0.to_vec().into(),
        mix_hash: mix_hash(f.l1_block_number),
        nonce: B64::ZERO,
        base_fee_per_gas: Some(f.base_fee),
        ..Default::default()
    }
}

/// `transactionsRoot`: the ordered trie of the transactions' EIP-2718 bytes. A transaction sent
/// unsigned (impersonated, `eth_sendTransaction` from an unlocked account the node does not hold
/// a key for) has no bytes; its hash stands in for them.
pub fn transactions_root(encoded: &[Bytes]) -> B256 {
    alloy_trie::root::ordered_trie_root_encoded(encoded)
}

/// `receiptsRoot`: the ordered trie of the receipts' EIP-2718 bytes (type byte, then
/// `rlp([status, cumulativeGasUsed, logsBloom, logs])`).
pub fn receipts_root(receipts: &[Receipt]) -> B256 {
    alloy_trie::root::ordered_trie_root_with_encoder(receipts, encode_receipt)
}

fn encode_receipt(r: &Receipt, out: &mut Vec<u8>) {
    let receipt = alloy_consensus::Receipt {
        status: Eip658Value::Eip658(r.status),
        cumulative_gas_used: r.cumulative_gas_used,
        logs: r.logs.clone(),
    };
    if r.tx_type != 0 {
        out.push(r.tx_type);
    }
    ReceiptWithBloom::new(receipt, r.logs_bloom).encode(out);
}

/// An account as the state trie holds it.
fn trie_account(account: &DbAccount, storage_root: B256) -> TrieAccount {
    let code_hash = if account.info.code_hash.is_zero() {
        alloy_trie::KECCAK_EMPTY
    } else {
        account.info.code_hash
    };
    TrieAccount {
        nonce: account.info.nonce,
        balance: account.info.balance,
        storage_root,
        code_hash,
    }
}

/// Whether an account is in the state trie: it exists and is not empty (EIP-161 removes empty
/// accounts; an account that was never created is not in the trie).
fn in_trie(account: &DbAccount) -> bool {
    account.account_state != AccountState::NotExisting
        && !(account.info.nonce == 0
            && account.info.balance.is_zero()
            && (account.info.code_hash.is_zero()
                || account.info.code_hash == alloy_trie::KECCAK_EMPTY))
}

/// A trie over hashed keys, optionally keeping the nodes along `target`'s path.
fn build_trie(
    mut leaves: Vec<(B256, Vec<u8>)>,
    targets: Vec<Nibbles>,
) -> (B256, alloy_trie::proof::ProofNodes) {
    leaves.sort_unstable_by_key(|(key, _)| *key);
    let mut hb = HashBuilder::default().with_proof_retainer(ProofRetainer::new(targets));
    for (key, value) in &leaves {
        hb.add_leaf(Nibbles::unpack(key), value);
    }
    let root = hb.root();
    (root, hb.take_proof_nodes())
}

fn storage_leaves(account: &DbAccount) -> Vec<(B256, Vec<u8>)> {
    account
        .storage
        .iter()
        .filter(|(_, v)| !v.is_zero())
        .map(|(slot, v)| {
            (
                keccak256(slot.to_be_bytes::<32>()),
                alloy_rlp::encode_fixed_size(v).to_vec(),
            )
        })
        .collect()
}

/// The root of an account's storage trie.
fn storage_root(account: &DbAccount) -> B256 {
    build_trie(storage_leaves(account), vec![]).0
}

/// An account's storage as a [`Trie`] the chain keeps up to date with [`set_slot`].
pub fn storage_trie(account: &DbAccount) -> Trie {
    let mut trie = Trie::default();
    for (slot, value) in &account.storage {
        set_slot(&mut trie, *slot, *value);
    }
    trie
}

/// Writes one slot into a storage trie: key `keccak(slot)`, value `rlp(value)`; zero removes it.
pub fn set_slot(trie: &mut Trie, slot: U256, value: U256) {
    let encoded = if value.is_zero() {
        vec![]
    } else {
        alloy_rlp::encode_fixed_size(&value).to_vec()
    };
    trie.set(keccak256(slot.to_be_bytes::<32>()), encoded);
}

/// The state trie's leaves: `keccak(address)` → `rlp(account)`, storage tries built afresh.
fn state_leaves<'a>(
    accounts: impl Iterator<Item = (&'a Address, &'a DbAccount)>,
) -> Vec<(B256, Vec<u8>)> {
    accounts
        .filter(|(_, a)| in_trie(a))
        .map(|(addr, a)| (keccak256(addr), account_leaf(Some(a), storage_root)))
        .collect()
}

/// An account's leaf in the state trie, `rlp(account)` with the storage root
/// `storage_root_of` gives; empty for an account that is not in the trie (absent, or empty:
/// [`Trie::set`] then removes the key).
pub fn account_leaf(
    account: Option<&DbAccount>,
    storage_root_of: impl FnOnce(&DbAccount) -> B256,
) -> Vec<u8> {
    match account.filter(|a| in_trie(a)) {
        Some(a) => alloy_rlp::encode(trie_account(a, storage_root_of(a))),
        None => vec![],
    }
}

/// `stateRoot` of a set of accounts, built from nothing (the reference the chain's kept tries
/// are tested against).
#[cfg(test)]
fn state_root<'a>(accounts: impl Iterator<Item = (&'a Address, &'a DbAccount)>) -> B256 {
    build_trie(state_leaves(accounts), vec![]).0
}

/// `eth_getProof`'s answer for one account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountProof {
    pub address: Address,
    pub balance: U256,
    pub nonce: u64,
    pub code_hash: B256,
    pub storage_hash: B256,
    /// The state trie's nodes from the root down to the account (or to where its path ends).
    pub account_proof: Vec<Bytes>,
    pub storage_proofs: Vec<StorageProof>,
}

/// One slot's value and the storage trie's nodes down to it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StorageProof {
    pub key: B256,
    pub value: U256,
    pub proof: Vec<Bytes>,
}

/// The nodes along `key`'s path, root first.
fn path_nodes(nodes: &alloy_trie::proof::ProofNodes, key: &B256) -> Vec<Bytes> {
    nodes
        .matching_nodes_sorted(&Nibbles::unpack(key))
        .into_iter()
        .map(|(_, node)| node)
        .collect()
}

/// Builds the proofs of `address` and its `slots` against the state `accounts` (the same trie
/// [`state_root`] hashes). An account outside the trie gets a proof of absence.
pub fn prove<'a>(
    accounts: impl Iterator<Item = (&'a Address, &'a DbAccount)> + Clone,
    address: Address,
    slots: &[B256],
) -> AccountProof {
    let account = accounts
        .clone()
        .find(|(a, _)| **a == address)
        .map(|(_, a)| a)
        .filter(|a| in_trie(a));
    let hashed = keccak256(address);
    let leaves = state_leaves(accounts);
    let (_, account_nodes) = build_trie(leaves, vec![Nibbles::unpack(hashed)]);
    let targets = slots
        .iter()
        .map(|s| Nibbles::unpack(keccak256(s)))
        .collect();
    let (storage_hash, storage_nodes) = match account {
        Some(a) => build_trie(storage_leaves(a), targets),
        None => (EMPTY_ROOT_HASH, Default::default()),
    };
    let storage_proofs = slots
        .iter()
        .map(|slot| StorageProof {
            key: *slot,
            value: account
                .and_then(|a| a.storage.get(&U256::from_be_bytes(slot.0)).copied())
                .unwrap_or_default(),
            proof: path_nodes(&storage_nodes, &keccak256(slot)),
        })
        .collect();
    let trie = account.map(|a| trie_account(a, storage_hash));
    AccountProof {
        address,
        balance: trie.map(|t| t.balance).unwrap_or_default(),
        nonce: trie.map(|t| t.nonce).unwrap_or_default(),
        code_hash: trie
            .map(|t| t.code_hash)
            .unwrap_or(alloy_trie::KECCAK_EMPTY),
        storage_hash,
        account_proof: path_nodes(&account_nodes, &hashed),
        storage_proofs,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_trie::proof::verify_proof;
    use revm::state::AccountInfo;

    fn account(balance: u64, storage: &[(u64, u64)]) -> DbAccount {
        DbAccount {
            info: AccountInfo {
                balance: U256::from(balance),
                nonce: 1,
                ..Default::default()
            },
            account_state: AccountState::None,
            storage: storage
                .iter()
                .map(|(k, v)| (U256::from(*k), U256::from(*v)))
                .collect(),
        }
    }

    #[test]
    fn internal_tx_round_trips_and_names_start_block() {
        let tx = InternalTx::start_block(412_346, 7, 42, 3);
        assert_eq!(
            &tx.data[..4],
            &[0x6b, 0xf6, 0xa4, 0x2d],
            "Nitro's startBlock selector"
        );
        let raw = tx.encode();
        assert_eq!(raw[0], 0x6a);
        assert_eq!(InternalTx::decode(&raw), Some(tx.clone()));
        let decoded = startBlockCall::abi_decode(&tx.data).unwrap();
        assert_eq!(
            (
                decoded.l1BlockNumber,
                decoded.l2BlockNumber,
                decoded.timePassed
            ),
            (7, 42, 3)
        );
        assert_eq!(InternalTx::decode(&raw[..raw.len() - 1]), None, "truncated");
        assert_eq!(InternalTx::decode(&[0x02, 0xc0]), None, "another type");
    }

    #[test]
    fn mix_hash_carries_the_l1_block_number_and_arbos_version() {
        let mix = mix_hash(0x0102);
        assert_eq!(&mix[..8], &[0; 8]);
        assert_eq!(u64::from_be_bytes(mix[8..16].try_into().unwrap()), 0x0102);
        assert_eq!(
            u64::from_be_bytes(mix[16..24].try_into().unwrap()),
            crate::arbos::ARBOS_VERSION
        );
        assert_eq!(l1_block_number(1_000, 1_000 + 25), 2);
        assert_eq!(l1_block_number(1_000, 999), 0);
    }

    #[test]
    fn state_root_matches_alloy_and_skips_empty_accounts() {
        let a = Address::repeat_byte(1);
        let b = Address::repeat_byte(2);
        let empty = Address::repeat_byte(3);
        let state = [
            (a, account(5, &[(1, 9), (2, 0)])),
            (b, account(6, &[])),
            (empty, DbAccount::default()),
        ];
        let expected = alloy_trie::root::state_root_unhashed([
            (
                a,
                TrieAccount {
                    nonce: 1,
                    balance: U256::from(5),
                    storage_root: alloy_trie::root::storage_root_unhashed([(
                        B256::from(U256::from(1)),
                        U256::from(9),
                    )]),
                    code_hash: alloy_trie::KECCAK_EMPTY,
                },
            ),
            (
                b,
                TrieAccount {
                    nonce: 1,
                    balance: U256::from(6),
                    storage_root: EMPTY_ROOT_HASH,
                    code_hash: alloy_trie::KECCAK_EMPTY,
                },
            ),
        ]);
        let root = |s: &[(Address, DbAccount)]| state_root(s.iter().map(|(k, v)| (k, v)));
        assert_eq!(root(&state), expected);
        assert_eq!(root(&[]), EMPTY_ROOT_HASH);
    }

    #[test]
    fn proofs_verify_against_the_state_root() {
        let state: Vec<(Address, DbAccount)> = (1..=40u8)
            .map(|i| {
                let slots: Vec<(u64, u64)> = (0..i as u64).map(|s| (s, s * 3 + 1)).collect();
                (Address::repeat_byte(i), account(i as u64, &slots))
            })
            .collect();
        let iter = || state.iter().map(|(k, v)| (k, v));
        let root = state_root(iter());
        let target = Address::repeat_byte(17);
        let slots = [B256::from(U256::from(4)), B256::from(U256::from(999))];
        let p = prove(iter(), target, &slots);
        assert_eq!(p.balance, U256::from(17));
        let leaf = alloy_rlp::encode(TrieAccount {
            nonce: p.nonce,
            balance: p.balance,
            storage_root: p.storage_hash,
            code_hash: p.code_hash,
        });
        verify_proof(
            root,
            Nibbles::unpack(keccak256(target)),
            Some(leaf),
            &p.account_proof,
        )
        .expect("account proof");
        // Slot 4 holds 13; slot 999 is absent (a proof of exclusion).
        assert_eq!(p.storage_proofs[0].value, U256::from(13));
        for sp in &p.storage_proofs {
            let value =
                (!sp.value.is_zero()).then(|| alloy_rlp::encode_fixed_size(&sp.value).to_vec());
            verify_proof(
                p.storage_hash,
                Nibbles::unpack(keccak256(sp.key)),
                value,
                &sp.proof,
            )
            .expect("storage proof");
        }
        // An account that does not exist: proof of absence, empty storage.
        let missing = Address::repeat_byte(0xEE);
        let p = prove(iter(), missing, &slots);
        assert_eq!(
            (p.balance, p.nonce, p.storage_hash),
            (U256::ZERO, 0, EMPTY_ROOT_HASH)
        );
        verify_proof(
            root,
            Nibbles::unpack(keccak256(missing)),
            None,
            &p.account_proof,
        )
        .expect("absence proof");
        // A wrong value does not verify.
        assert!(verify_proof(
            root,
            Nibbles::unpack(keccak256(target)),
            Some(vec![1, 2, 3]),
            &prove(iter(), target, &[]).account_proof
        )
        .is_err());
    }
}

//! The chain: one journaled state, transactions, blocks and receipts.

use crate::arbos;
use crate::block::{self, HeaderFields, InternalTx, Receipt};
use crate::call_trace::{CallRecorder, CallTrace};
use crate::context::{Ctx, Db, Shared};
use crate::evm::{ArbEvm, ArbPrecompiles, TraceHandler};
use crate::history::{AccountRecord, History, HistoryDump};
use crate::params::StylusParams;
use crate::struct_log::{StructLog, StructLogConfig, StructLogger};
use crate::trace::{HostioRecord, HostioRecorder, TraceError, TraceLimits};
use crate::trie::Trie;
use alloy_consensus::transaction::SignerRecoverable;
use alloy_consensus::{Transaction as _, TxEnvelope};
use alloy_eips::eip2718::{Decodable2718, Encodable2718};
use alloy_primitives::{keccak256, Address, Bloom, Bytes, Log, TxKind, B256, U256};
use revm::bytecode::Bytecode;
use revm::context::{BlockEnv, CfgEnv, Evm, TxEnv};
use revm::context_interface::result::{
    EVMError, ExecutionResult, HaltReason, InvalidTransaction, Output,
};
use revm::context_interface::{ContextSetters, ContextTr, JournalTr};
use revm::database::{AccountState, CacheDB, DbAccount, EmptyDB};
use revm::handler::{instructions::EthInstructions, EthFrame, Handler, MainnetHandler};
use revm::interpreter::interpreter::EthInterpreter;
use revm::primitives::hardfork::SpecId;
use revm::state::AccountInfo;
use revm::DatabaseCommit;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

/// An EIP-2930 access list: addresses and their storage keys.
pub type AccessList = Vec<(Address, Vec<B256>)>;

pub const DEFAULT_CHAIN_ID: u64 = 412_346;

/// What `PREVRANDAO` (and `DIFFICULTY`) return on Arbitrum: the constant 1.
pub const NITRO_PREVRANDAO: B256 = B256::with_last_byte(1);

/// Chain settings.
#[derive(Clone, Debug)]
pub struct DevnetConfig {
    pub chain_id: u64,
    /// Base fee of every block, in wei (Arbitrum's minimum: 0.1 gwei).
    pub basefee: u64,
    pub block_gas_limit: u64,
    pub coinbase: Address,
    pub genesis_timestamp: u64,
    /// Debug mode: programs may import `console` host functions.
    pub debug: bool,
    pub stylus: StylusParams,
}

impl Default for DevnetConfig {
    fn default() -> Self {
        Self {
            chain_id: DEFAULT_CHAIN_ID,
            basefee: 100_000_000,
            block_gas_limit: 1 << 50,
            coinbase: arbos::NETWORK_FEE_ACCOUNT,
            genesis_timestamp: 1_700_000_000,
            debug: true,
            stylus: StylusParams::default(),
        }
    }
}

/// Why a transaction was not included.
#[derive(Debug, thiserror::Error)]
pub enum TxError {
    #[error("invalid transaction encoding: {0}")]
    Decode(String),
    #[error("invalid signature")]
    Signature,
    #[error("wrong chain id: expected {expected}, got {got:?}")]
    ChainId { expected: u64, got: Option<u64> },
    #[error("invalid transaction: {0}")]
    Invalid(String),
}

/// A mined block. Fields added after the state-file format's first version default to zero
/// when an older file is loaded.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct BlockInfo {
    pub number: u64,
    /// keccak256 of the RLP header ([`block::header`]).
    pub hash: B256,
    pub parent_hash: B256,
    pub timestamp: u64,
    pub gas_used: u64,
    /// Nitro's ArbitrumInternalTx (`startBlock`) first, then the block's transaction, if any.
    pub transactions: Vec<B256>,
    /// The parent-chain block number reported (`l1BlockNumber`, `mixHash` bytes 8..16).
    #[serde(default)]
    pub l1_block_number: u64,
    #[serde(default)]
    pub state_root: B256,
    #[serde(default)]
    pub transactions_root: B256,
    #[serde(default)]
    pub receipts_root: B256,
    #[serde(default)]
    pub logs_bloom: Bloom,
}

impl BlockInfo {
    /// The block a header describes, holding `transactions`; its hash is the header's.
    fn sealed(fields: &HeaderFields, transactions: Vec<B256>) -> Self {
        Self {
            number: fields.number,
            hash: block::header(fields).hash_slow(),
            parent_hash: fields.parent_hash,
            timestamp: fields.timestamp,
            gas_used: fields.gas_used,
            transactions,
            l1_block_number: fields.l1_block_number,
            state_root: fields.state_root,
            transactions_root: fields.transactions_root,
            receipts_root: fields.receipts_root,
            logs_bloom: fields.logs_bloom,
        }
    }
}

/// A message to execute without a signature (calls, estimates, impersonated sends).
#[derive(Clone, Debug, Default)]
pub struct CallRequest {
    pub from: Address,
    pub to: Option<Address>,
    pub value: U256,
    pub data: Bytes,
    /// Defaults to the block gas limit for calls, 30M for sends.
    pub gas: Option<u64>,
    pub gas_price: Option<u128>,
    /// EIP-2930 access list (its addresses and slots start warm, and cost intrinsic gas).
    pub access_list: Vec<(Address, Vec<B256>)>,
    /// `eth_call` block overrides: the environment the call runs in.
    pub block: Option<BlockOverride>,
}

/// geth's `eth_call` block overrides (4th parameter).
#[derive(Clone, Debug, Default)]
pub struct BlockOverride {
    pub number: Option<u64>,
    pub time: Option<u64>,
    pub gas_limit: Option<u64>,
    pub coinbase: Option<Address>,
    pub prev_randao: Option<B256>,
    pub base_fee: Option<u64>,
}

/// Outcome of a `call`.
#[derive(Clone, Debug)]
pub struct CallResult {
    pub success: bool,
    /// Reverted (as opposed to halted).
    pub reverted: bool,
    pub output: Bytes,
    pub gas_used: u64,
    pub logs: Vec<Log>,
    pub halt: Option<String>,
}

/// The local chain.
pub struct Devnet {
    ctx: Ctx,
    shared: Arc<Shared>,
    config: DevnetConfig,
    blocks: Vec<BlockInfo>,
    receipts: HashMap<B256, Receipt>,
    next_timestamp: Option<u64>,
    history: History,
    /// EIP-2718 encoding of every signed transaction that was included.
    raw_txs: HashMap<B256, Bytes>,
    block_index: HashMap<B256, u64>,
    /// Block environment for calls against past state (see `with_state_at`).
    block_override: Option<BlockEnv>,
    /// When set, `run` records the accounts and slots the execution touched.
    touched: Option<Vec<(Address, Vec<B256>)>>,
    /// Each account's storage trie, built on first use and then kept in step with every
    /// committed slot change (dropped, to be rebuilt, when the storage is wiped or edited
    /// directly), so a block's `stateRoot` re-hashes only the paths of the slots that changed.
    storage_tries: HashMap<Address, Trie>,
    /// The state trie over those storage roots; None until first built, and again after a
    /// restore or a load (rebuilt whole on the next `state_root`).
    account_trie: Option<Trie>,
    /// Accounts changed since the state trie was last brought up to date.
    dirty_accounts: HashSet<Address>,
}

impl Default for Devnet {
    fn default() -> Self {
        Self::new(DevnetConfig::default())
    }
}

impl Devnet {
    pub fn new(config: DevnetConfig) -> Self {
        let mut db: Db = CacheDB::new(EmptyDB::default());
        let marker = Bytecode::new_raw(Bytes::from_static(&[0xFE]));
        let unmodelled = crate::precompiles::UNMODELLED.iter().map(|(a, _)| *a);
        for addr in crate::precompiles::PRECOMPILES
            .into_iter()
            .chain(unmodelled)
        {
            db.insert_account_info(
                addr,
                AccountInfo {
                    nonce: 1,
                    code_hash: marker.hash_slow(),
                    code: Some(marker.clone()),
                    ..Default::default()
                },
            );
        }
        for (addr, code) in arbos::predeploys() {
            let code = Bytecode::new_raw(code);
            db.insert_account_info(
                addr,
                AccountInfo {
                    nonce: 1,
                    code_hash: code.hash_slow(),
                    code: Some(code),
                    ..Default::default()
                },
            );
        }
        db.insert_account_info(
            arbos::ARBOS_STATE,
            AccountInfo {
                nonce: 1,
                ..Default::default()
            },
        );
        let mut cfg = CfgEnv::new_with_spec(SpecId::CANCUN);
        cfg.chain_id = config.chain_id;
        cfg.disable_eip3541 = true; // Stylus code starts with 0xEF
        let block = BlockEnv {
            number: U256::ZERO,
            beneficiary: config.coinbase,
            timestamp: U256::from(config.genesis_timestamp),
            gas_limit: config.block_gas_limit,
            basefee: config.basefee,
            difficulty: U256::ZERO,
            prevrandao: Some(B256::ZERO),
            ..Default::default()
        };
        let ctx: Ctx = Ctx::new(db, SpecId::CANCUN).with_cfg(cfg).with_block(block);
        let shared = Shared::new(config.stylus.clone(), config.debug);
        let mut chain = Self {
            ctx,
            shared,
            config,
            blocks: vec![],
            receipts: HashMap::new(),
            next_timestamp: None,
            history: History::default(),
            raw_txs: HashMap::new(),
            block_index: HashMap::new(),
            block_override: None,
            touched: None,
            storage_tries: HashMap::new(),
            account_trie: None,
            dirty_accounts: HashSet::new(),
        };
        chain.seal_genesis();
        chain
    }

    /// (Re)builds block 0 over the current state: a node that funds its dev accounts after
    /// `new` calls this so the genesis `stateRoot` includes them. Only while no block follows.
    pub fn seal_genesis(&mut self) {
        if self.blocks.len() > 1 {
            return;
        }
        let timestamp = self.config.genesis_timestamp;
        let fields = HeaderFields {
            parent_hash: B256::ZERO,
            beneficiary: self.config.coinbase,
            state_root: self.state_root(),
            transactions_root: block::transactions_root(&[]),
            receipts_root: block::receipts_root(&[]),
            logs_bloom: Bloom::default(),
            number: 0,
            gas_limit: self.config.block_gas_limit,
            gas_used: 0,
            timestamp,
            l1_block_number: 0,
            base_fee: self.config.basefee,
        };
        let genesis = BlockInfo::sealed(&fields, vec![]);
        self.blocks.clear();
        self.block_index.clear();
        self.push_block(genesis);
    }

    /// `stateRoot` of the current state: the kept state trie, brought up to date with the
    /// accounts changed since the last call (their storage roots from the kept storage tries).
    pub fn state_root(&mut self) -> B256 {
        let Self {
            ctx,
            storage_tries,
            account_trie,
            dirty_accounts,
            ..
        } = self;
        let accounts = &ctx.journal().db().cache.accounts;
        let mut leaf = |address: &Address| {
            block::account_leaf(accounts.get(address), |account| {
                storage_tries
                    .entry(*address)
                    .or_insert_with(|| block::storage_trie(account))
                    .root()
            })
        };
        let trie = match account_trie {
            Some(trie) => {
                for address in dirty_accounts.drain() {
                    trie.set(keccak256(address), leaf(&address));
                }
                trie
            }
            None => {
                dirty_accounts.clear();
                let mut trie = Trie::default();
                for address in accounts.keys() {
                    trie.set(keccak256(address), leaf(address));
                }
                account_trie.insert(trie)
            }
        };
        trie.root()
    }

    /// `eth_getProof`: the account's and its slots' proofs against the state as of block `at`
    /// (the current state when `at` is the latest block or later), the same trie
    /// [`state_root`](Self::state_root) hashes.
    pub fn proof_at(&self, address: Address, slots: &[B256], at: u64) -> block::AccountProof {
        if at >= self.block_number() {
            return block::prove(self.db().cache.accounts.iter(), address, slots);
        }
        let db = self.db_at(at);
        block::prove(db.cache.accounts.iter(), address, slots)
    }

    pub fn config(&self) -> &DevnetConfig {
        &self.config
    }
    pub fn chain_id(&self) -> u64 {
        self.config.chain_id
    }

    fn db(&self) -> &Db {
        self.ctx.journal().db()
    }
    fn db_mut(&mut self) -> &mut Db {
        self.ctx.journal_mut().db_mut()
    }

    // ---- state access -------------------------------------------------------------------

    pub fn balance(&self, addr: Address) -> U256 {
        self.db()
            .cache
            .accounts
            .get(&addr)
            .map(|a| a.info.balance)
            .unwrap_or_default()
    }
    pub fn nonce(&self, addr: Address) -> u64 {
        self.db()
            .cache
            .accounts
            .get(&addr)
            .map(|a| a.info.nonce)
            .unwrap_or_default()
    }
    pub fn code(&self, addr: Address) -> Bytes {
        self.db()
            .cache
            .accounts
            .get(&addr)
            .and_then(|a| a.info.code.as_ref().map(|c| c.original_bytes()))
            .unwrap_or_default()
    }
    pub fn code_hash(&self, addr: Address) -> B256 {
        self.db()
            .cache
            .accounts
            .get(&addr)
            .map(|a| a.info.code_hash)
            .unwrap_or_default()
    }
    pub fn storage(&self, addr: Address, slot: U256) -> U256 {
        self.db()
            .cache
            .accounts
            .get(&addr)
            .and_then(|a| a.storage.get(&slot).copied())
            .unwrap_or_default()
    }
    pub fn set_balance(&mut self, addr: Address, balance: U256) {
        self.edit_account(addr, |info| info.balance = balance);
    }
    pub fn set_nonce(&mut self, addr: Address, nonce: u64) {
        self.edit_account(addr, |info| info.nonce = nonce);
    }
    pub fn set_code(&mut self, addr: Address, code: Bytes) {
        let bytecode = Bytecode::new_raw(code);
        self.edit_account(addr, |info| {
            info.code_hash = bytecode.hash_slow();
            info.code = Some(bytecode);
        });
    }
    /// A cheat method's edit of `addr`'s account (a default one if it has none), after
    /// `note_account` records the account as it was (history, state trie).
    fn edit_account(&mut self, addr: Address, edit: impl FnOnce(&mut AccountInfo)) {
        self.note_account(addr);
        let mut info = self
            .db()
            .cache
            .accounts
            .get(&addr)
            .map(|a| a.info.clone())
            .unwrap_or_default();
        edit(&mut info);
        self.db_mut().insert_account_info(addr, info);
    }
    pub fn set_storage(&mut self, addr: Address, slot: U256, value: U256) {
        let old = self.storage(addr, slot);
        let stamp = self.block_number();
        self.history.record_slot(addr, slot, stamp, old);
        self.storage_tries.remove(&addr);
        self.dirty_accounts.insert(addr);
        let _ = self.db_mut().insert_account_storage(addr, slot, value);
    }

    // ---- blocks -------------------------------------------------------------------------

    pub fn block_number(&self) -> u64 {
        self.blocks.len() as u64 - 1
    }
    pub fn latest_block(&self) -> &BlockInfo {
        self.blocks.last().unwrap()
    }
    pub fn block(&self, number: u64) -> Option<&BlockInfo> {
        self.blocks.get(number as usize)
    }
    /// Sets the timestamp of the next block (must not go backwards).
    pub fn set_next_timestamp(&mut self, ts: u64) {
        self.next_timestamp = Some(ts);
    }
    /// Moves time forward for the next block.
    pub fn advance_time(&mut self, seconds: u64) {
        let base = self
            .next_timestamp
            .unwrap_or(self.latest_block().timestamp + 1);
        self.next_timestamp = Some(base + seconds);
    }
    pub fn receipt(&self, hash: B256) -> Option<&Receipt> {
        self.receipts.get(&hash)
    }
    /// Console output of programs (debug mode).
    pub fn take_console(&self) -> Vec<String> {
        std::mem::take(&mut *self.shared.console.lock().unwrap())
    }

    fn pending_block(&self) -> BlockEnv {
        if let Some(b) = &self.block_override {
            return b.clone();
        }
        let latest = self.latest_block();
        let ts = self
            .next_timestamp
            .unwrap_or(latest.timestamp + 1)
            .max(latest.timestamp);
        BlockEnv {
            number: U256::from(latest.number + 1),
            beneficiary: self.config.coinbase,
            timestamp: U256::from(ts),
            gas_limit: self.config.block_gas_limit,
            basefee: self.config.basefee,
            difficulty: U256::from(1),
            prevrandao: Some(NITRO_PREVRANDAO),
            ..Default::default()
        }
    }

    // ---- execution ----------------------------------------------------------------------

    fn run(
        &mut self,
        tx: TxEnv,
        commit: bool,
    ) -> Result<ExecutionResult<HaltReason>, EVMError<std::convert::Infallible, InvalidTransaction>>
    {
        let block = self.pending_block();
        self.ctx.set_block(block);
        self.ctx.set_tx(tx);
        self.ctx.error = Ok(());
        self.shared.begin_tx();
        let instructions =
            EthInstructions::new_mainnet_with_spec(revm::primitives::hardfork::SpecId::CANCUN);
        let precompiles = ArbPrecompiles::new(self.shared.clone());
        let tracing = self.shared.tracing_frames();
        let result = {
            let mut evm: ArbEvm<'_> = Evm::new(&mut self.ctx, instructions, precompiles);
            type E = EVMError<std::convert::Infallible, InvalidTransaction>;
            if tracing {
                TraceHandler::<E>(self.shared.clone(), Default::default()).run(&mut evm)
            } else {
                MainnetHandler::<ArbEvm<'_>, E, EthFrame<EthInterpreter>>::default().run(&mut evm)
            }
        };
        let state = self.ctx.journal_mut().finalize();
        if self.touched.is_some() {
            let mut t: Vec<(Address, Vec<B256>)> = state
                .iter()
                .map(|(a, acc)| {
                    let mut keys: Vec<B256> = acc.storage.keys().map(|k| B256::from(*k)).collect();
                    keys.sort();
                    (*a, keys)
                })
                .collect();
            t.sort();
            self.touched = Some(t);
        }
        if commit && result.is_ok() {
            let stamp = self.block_number() + 1;
            self.record_changes(&state, stamp);
            self.ctx.journal_mut().db_mut().commit(state);
        }
        result
    }

    fn request_env(&self, req: &CallRequest, default_gas: u64, nonce: Option<u64>) -> TxEnv {
        TxEnv {
            tx_type: 2,
            caller: req.from,
            gas_limit: req.gas.unwrap_or(default_gas),
            gas_price: req.gas_price.unwrap_or(self.config.basefee as u128),
            kind: match req.to {
                Some(a) => TxKind::Call(a),
                None => TxKind::Create,
            },
            value: req.value,
            data: req.data.clone(),
            nonce: nonce.unwrap_or_else(|| self.nonce(req.from)),
            chain_id: Some(self.config.chain_id),
            gas_priority_fee: Some(0),
            access_list: revm::context_interface::transaction::AccessList(
                req.access_list
                    .iter()
                    .map(
                        |(address, keys)| revm::context_interface::transaction::AccessListItem {
                            address: *address,
                            storage_keys: keys.clone(),
                        },
                    )
                    .collect(),
            ),
            ..Default::default()
        }
    }

    /// Executes a message against the pending block without committing anything.
    pub fn call(&mut self, req: &CallRequest) -> Result<CallResult, TxError> {
        let mut tx = self.request_env(req, self.config.block_gas_limit.min(1 << 40), None);
        let gas_price = req.gas_price.unwrap_or(0);
        tx.gas_price = gas_price;
        // geth: the fee is only checked when a gas price is given, the value always
        let want = U256::from(gas_price) * U256::from(tx.gas_limit) + req.value;
        let have = self.balance(req.from);
        if have < want {
            return Err(TxError::Invalid(format!(
                "insufficient funds for gas * price + value: address {} have {have} want {want}",
                req.from
            )));
        }
        let saved_block = self.block_override.clone();
        if let Some(o) = &req.block {
            let mut b = self.pending_block();
            if let Some(n) = o.number {
                b.number = U256::from(n);
            }
            if let Some(t) = o.time {
                b.timestamp = U256::from(t);
            }
            if let Some(g) = o.gas_limit {
                b.gas_limit = g;
            }
            if let Some(c) = o.coinbase {
                b.beneficiary = c;
            }
            if let Some(r) = o.prev_randao {
                b.prevrandao = Some(r);
            }
            if let Some(f) = o.base_fee {
                b.basefee = f;
            }
            self.block_override = Some(b);
        }
        let res = self.call_inner(tx);
        self.block_override = saved_block;
        res
    }

    fn call_inner(&mut self, tx: TxEnv) -> Result<CallResult, TxError> {
        // calls may come from unfunded accounts with no fee: like eth_call
        let saved = self.ctx.cfg.disable_balance_check;
        let saved_fee = self.ctx.cfg.disable_base_fee;
        self.ctx.cfg.disable_balance_check = true;
        self.ctx.cfg.disable_base_fee = true;
        let res = self.run(tx, false);
        self.ctx.cfg.disable_balance_check = saved;
        self.ctx.cfg.disable_base_fee = saved_fee;
        let res = res.map_err(|e| TxError::Invalid(e.to_string()))?;
        Ok(to_call_result(res))
    }

    /// geth's `eth_createAccessList`: runs the message, lists what it touched except the
    /// sender, the recipient, created contracts, precompiles and ArbOS state, and repeats with
    /// that list until it is stable. Returns the list and the result with it.
    pub fn create_access_list(
        &mut self,
        req: &CallRequest,
    ) -> Result<(AccessList, CallResult), TxError> {
        let created = req
            .to
            .is_none()
            .then(|| req.from.create(self.nonce(req.from)));
        let mut list = req.access_list.clone();
        let mut last = None;
        for _ in 0..8 {
            let mut probe = req.clone();
            probe.access_list = list.clone();
            self.touched = Some(vec![]);
            let r = self.call(&probe);
            let touched = self.touched.take().unwrap_or_default();
            let r = r?;
            let excluded = |a: &Address| {
                *a == req.from
                    || Some(*a) == req.to
                    || Some(*a) == created
                    || *a == arbos::ARBOS_STATE
                    || *a == self.config.coinbase
                    || crate::evm::is_precompile(a)
            };
            // geth's access-list tracer: excluded addresses still appear with the slots the
            // code read or wrote (the recipient's storage, typically)
            let next: Vec<(Address, Vec<B256>)> = touched
                .into_iter()
                .filter(|(a, keys)| *a != arbos::ARBOS_STATE && (!excluded(a) || !keys.is_empty()))
                .collect();
            if next == list {
                return Ok((list, r));
            }
            list = next;
            last = Some(r);
        }
        Ok((list, last.expect("ran at least once")))
    }

    /// Smallest gas limit with which the message succeeds (binary search, like geth).
    pub fn estimate_gas(&mut self, req: &CallRequest) -> Result<u64, CallResult> {
        let mut probe = req.clone();
        let hi_cap = req.gas.unwrap_or(50_000_000);
        probe.gas = Some(hi_cap);
        let first = self.call(&probe).map_err(|e| CallResult {
            success: false,
            reverted: false,
            output: Bytes::from(e.to_string().into_bytes()),
            gas_used: 0,
            logs: vec![],
            halt: Some(e.to_string()),
        })?;
        if !first.success {
            return Err(first);
        }
        let (mut lo, mut hi) = (first.gas_used.saturating_sub(1), hi_cap);
        while lo + 1 < hi {
            let mid = lo + (hi - lo) / 2;
            probe.gas = Some(mid);
            match self.call(&probe) {
                Ok(r) if r.success => hi = mid,
                _ => lo = mid,
            }
        }
        Ok(hi)
    }

    /// Sends an unsigned transaction from any address (like anvil's impersonation).
    pub fn send_unsigned(&mut self, req: &CallRequest) -> Result<Receipt, TxError> {
        let tx = self.request_env(req, 30_000_000, None);
        let mut hash_pre = b"unsigned".to_vec();
        hash_pre.extend(req.from.as_slice());
        hash_pre.extend(tx.nonce.to_be_bytes());
        hash_pre.extend(self.block_number().to_be_bytes());
        self.apply(tx, keccak256(hash_pre), 2, None)
    }

    /// Decodes, checks and applies a signed EIP-2718 transaction (legacy, 2930 or 1559).
    pub fn send_raw_transaction(&mut self, raw: &[u8]) -> Result<Receipt, TxError> {
        let env =
            TxEnvelope::decode_2718(&mut &raw[..]).map_err(|e| TxError::Decode(e.to_string()))?;
        self.send_transaction(env)
    }

    /// The intrinsic gas of a signed transaction (base, calldata, creation, access list) under
    /// the rules the engine executes with: what its gas limit must cover before it may be mined
    /// or held in the nonce queue (geth's pool checks it for both).
    pub fn intrinsic_gas(env: &TxEnvelope) -> u64 {
        let (accounts, slots) = env.access_list().map_or((0, 0), |l| {
            (
                l.0.len() as u64,
                l.0.iter().map(|i| i.storage_keys.len() as u64).sum(),
            )
        });
        initial_tx_gas(env.input(), env.kind().is_create(), accounts, slots)
    }

    /// The intrinsic gas of `req` run as a transaction (what geth's tracers see taken before the
    /// transaction's frame is entered).
    pub fn request_intrinsic_gas(req: &CallRequest) -> u64 {
        let slots = req
            .access_list
            .iter()
            .map(|(_, keys)| keys.len() as u64)
            .sum();
        initial_tx_gas(
            &req.data,
            req.to.is_none(),
            req.access_list.len() as u64,
            slots,
        )
    }

    /// Checks and applies a signed transaction.
    pub fn send_transaction(&mut self, env: TxEnvelope) -> Result<Receipt, TxError> {
        let from = env.recover_signer().map_err(|_| TxError::Signature)?;
        self.send_recovered(env, from)
    }

    /// Applies a signed transaction whose signer the caller has already recovered (with
    /// `recover_signer`): saves recovering it twice. Everything else is checked.
    pub fn send_recovered(&mut self, env: TxEnvelope, from: Address) -> Result<Receipt, TxError> {
        let chain_id = env.chain_id();
        match (&env, chain_id) {
            (_, Some(id)) if id != self.config.chain_id => {
                return Err(TxError::ChainId {
                    expected: self.config.chain_id,
                    got: Some(id),
                })
            }
            _ => {}
        }
        let ty: u8 = match &env {
            TxEnvelope::Legacy(_) => 0,
            TxEnvelope::Eip2930(_) => 1,
            TxEnvelope::Eip1559(_) => 2,
            _ => return Err(TxError::Invalid("unsupported transaction type".into())),
        };
        let hash = *env.tx_hash();
        let access_list = env
            .access_list()
            .map(|l| {
                revm::context_interface::transaction::AccessList(
                    l.0.iter()
                        .map(|i| revm::context_interface::transaction::AccessListItem {
                            address: i.address,
                            storage_keys: i.storage_keys.clone(),
                        })
                        .collect(),
                )
            })
            .unwrap_or_default();
        let tx = TxEnv {
            tx_type: ty,
            caller: from,
            gas_limit: env.gas_limit(),
            gas_price: env.max_fee_per_gas(),
            kind: env.kind(),
            value: env.value(),
            data: env.input().clone(),
            nonce: env.nonce(),
            chain_id,
            access_list,
            gas_priority_fee: if ty == 2 {
                env.max_priority_fee_per_gas()
            } else {
                None
            },
            ..Default::default()
        };
        self.apply(tx, hash, ty, Some(env.encoded_2718().into()))
    }

    /// Executes a transaction (`raw`: its EIP-2718 bytes, none for an unsigned send) and mines
    /// it in a block of its own.
    fn apply(
        &mut self,
        tx: TxEnv,
        hash: B256,
        ty: u8,
        raw: Option<Bytes>,
    ) -> Result<Receipt, TxError> {
        let from = tx.caller;
        let to = match tx.kind {
            TxKind::Call(a) => Some(a),
            TxKind::Create => None,
        };
        // Arbitrum drops the tip: every transaction pays the base fee per gas (the caller has
        // checked that the fee cap covers it).
        let basefee = self.config.basefee as u128;
        let mut tx = tx;
        let effective_gas_price = basefee.min(tx.gas_price);
        if ty == 2 {
            tx.gas_priority_fee = Some(0);
        } else {
            tx.gas_price = effective_gas_price;
        }
        let res = self
            .run(tx, true)
            .map_err(|e| TxError::Invalid(e.to_string()))?;
        let r = to_call_result(res.clone());
        let contract_address = match &res {
            ExecutionResult::Success {
                output: Output::Create(_, addr),
                ..
            } => *addr,
            _ => None,
        };
        let mut bloom = Bloom::default();
        for log in &r.logs {
            bloom.accrue_log(log);
        }
        let mut receipt = Receipt {
            tx_hash: hash,
            tx_type: ty,
            // block number, index and hash: filled in by `seal_block`
            block_number: 0,
            block_hash: B256::ZERO,
            transaction_index: 0,
            from,
            to,
            contract_address,
            status: r.success,
            gas_used: r.gas_used,
            cumulative_gas_used: r.gas_used,
            effective_gas_price,
            logs: r.logs,
            logs_bloom: bloom,
            output: r.output,
            halt: r.halt,
        };
        let encoded = match raw {
            Some(raw) => {
                self.raw_txs.insert(hash, raw.clone());
                raw
            }
            // An unsigned send has no EIP-2718 bytes: its hash stands in for them.
            None => hash.0.to_vec().into(),
        };
        self.seal_block(Some((&mut receipt, encoded)));
        Ok(receipt)
    }
}

fn to_call_result(res: ExecutionResult<HaltReason>) -> CallResult {
    match res {
        ExecutionResult::Success {
            gas, logs, output, ..
        } => CallResult {
            success: true,
            reverted: false,
            output: output.into_data(),
            gas_used: gas.tx_gas_used(),
            logs,
            halt: None,
        },
        ExecutionResult::Revert { gas, output, .. } => CallResult {
            success: false,
            reverted: true,
            output,
            gas_used: gas.tx_gas_used(),
            logs: vec![],
            halt: None,
        },
        ExecutionResult::Halt { reason, gas, .. } => CallResult {
            success: false,
            reverted: false,
            output: Bytes::new(),
            gas_used: gas.tx_gas_used(),
            logs: vec![],
            halt: Some(format!("{reason:?}")),
        },
    }
}

/// A state override for `call_at` (the `eth_call` state-override set).
#[derive(Clone, Debug, Default)]
pub struct AccountOverride {
    pub address: Address,
    pub balance: Option<U256>,
    pub nonce: Option<u64>,
    pub code: Option<Bytes>,
    /// Replaces the whole storage.
    pub state: Option<Vec<(U256, U256)>>,
    /// Changes only these slots.
    pub state_diff: Option<Vec<(U256, U256)>>,
}

/// A copy of the whole chain, for `restore` (`evm_snapshot`/`evm_revert`).
#[derive(Clone)]
pub struct ChainSnapshot {
    db: Db,
    blocks: Vec<BlockInfo>,
    receipts: HashMap<B256, Receipt>,
    next_timestamp: Option<u64>,
    history: History,
    raw_txs: HashMap<B256, Bytes>,
    block_index: HashMap<B256, u64>,
}

/// One account in a [`ChainDump`].
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AccountDump {
    pub address: Address,
    /// False for accounts the state only knows as "not existing".
    pub exists: bool,
    pub balance: U256,
    pub nonce: u64,
    pub code_hash: B256,
    pub storage: Vec<(U256, U256)>,
}

/// The whole chain in a serializable form (state file of the devnet server).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ChainDump {
    pub chain_id: u64,
    pub accounts: Vec<AccountDump>,
    pub codes: Vec<(B256, Bytes)>,
    pub blocks: Vec<BlockInfo>,
    pub receipts: Vec<Receipt>,
    pub raw_txs: Vec<(B256, Bytes)>,
    pub history: HistoryDump,
    pub next_timestamp: Option<u64>,
}

fn record_of(info: &AccountInfo) -> AccountRecord {
    AccountRecord {
        balance: info.balance,
        nonce: info.nonce,
        code_hash: info.code_hash,
    }
}

impl Devnet {
    // ---- history ------------------------------------------------------------------------

    /// Records the current value of an account before a direct edit.
    fn note_account(&mut self, addr: Address) {
        let old = self
            .db()
            .cache
            .accounts
            .get(&addr)
            .and_then(|a| a.info())
            .map(|i| record_of(&i));
        let stamp = self.block_number();
        self.history.record_account(addr, stamp, old);
        self.dirty_accounts.insert(addr);
    }

    /// Records the old values of everything a transaction is about to commit.
    fn record_changes(&mut self, state: &revm::state::EvmState, stamp: u64) {
        let Self {
            ctx,
            history,
            storage_tries,
            dirty_accounts,
            ..
        } = self;
        let db = ctx.journal().db();
        for (addr, account) in state.iter() {
            if !account.is_touched() {
                continue;
            }
            dirty_accounts.insert(*addr);
            let old_db = db.cache.accounts.get(addr);
            let old = old_db.and_then(|a| a.info()).map(|i| record_of(&i));
            let new = if account.is_selfdestructed() {
                None
            } else {
                Some(record_of(&account.info))
            };
            let new = new.map(|mut r| {
                if r.code_hash.is_zero() {
                    r.code_hash = revm::primitives::KECCAK_EMPTY;
                }
                r
            });
            if old != new {
                history.record_account(*addr, stamp, old);
            }
            let wiped = account.is_selfdestructed() || account.is_created();
            if wiped {
                storage_tries.remove(addr);
            }
            if let Some(old_db) = old_db {
                if wiped {
                    for (slot, value) in &old_db.storage {
                        if !value.is_zero() {
                            history.record_slot(*addr, *slot, stamp, *value);
                        }
                    }
                }
            }
            for (slot, value) in &account.storage {
                let old_value = old_db
                    .and_then(|a| a.storage.get(slot).copied())
                    .unwrap_or_default();
                if old_value != value.present_value() {
                    history.record_slot(*addr, *slot, stamp, old_value);
                    if let Some(trie) = storage_tries.get_mut(addr) {
                        block::set_slot(trie, *slot, value.present_value());
                    }
                }
            }
        }
    }

    fn push_block(&mut self, block: BlockInfo) {
        self.db_mut()
            .cache
            .block_hashes
            .insert(U256::from(block.number), block.hash);
        self.block_index.insert(block.hash, block.number);
        self.blocks.push(block);
        self.next_timestamp = None;
    }

    /// Mines a block with no transaction of its own (timestamp as for the next transaction):
    /// it holds Nitro's `startBlock` only.
    pub fn mine(&mut self) -> BlockInfo {
        self.seal_block(None)
    }

    /// Seals the pending block around `user`, the transaction just executed (its receipt and
    /// the bytes `transactionsRoot` commits to) or nothing: Nitro's `startBlock` transaction
    /// at index 0, the roots of the state as committed, then the header and its hash, which the
    /// receipts take; `user`'s receipt gets its block hash as it is stored.
    fn seal_block(&mut self, user: Option<(&mut Receipt, Bytes)>) -> BlockInfo {
        let env = self.pending_block();
        let number = env.number.saturating_to::<u64>();
        let timestamp = env.timestamp.saturating_to::<u64>();
        let parent = self.latest_block();
        let (parent_hash, time_passed) = (parent.hash, timestamp.saturating_sub(parent.timestamp));
        let genesis_timestamp = self.blocks[0].timestamp;
        let l1_block_number = block::l1_block_number(genesis_timestamp, timestamp);
        let internal =
            InternalTx::start_block(self.config.chain_id, l1_block_number, number, time_passed);
        let internal_raw = internal.encode();
        let mut receipts = vec![internal.receipt(keccak256(&internal_raw), number)];
        let mut encoded = vec![internal_raw.clone()];
        if let Some((r, bytes)) = &user {
            receipts.push(Receipt {
                block_number: number,
                transaction_index: 1,
                ..(**r).clone()
            });
            encoded.push(bytes.clone());
        }
        let mut logs_bloom = Bloom::default();
        for r in &receipts {
            logs_bloom.accrue_bloom(&r.logs_bloom);
        }
        let gas_used = receipts.last().map_or(0, |r| r.cumulative_gas_used);
        let fields = HeaderFields {
            parent_hash,
            beneficiary: self.config.coinbase,
            state_root: self.state_root(),
            transactions_root: block::transactions_root(&encoded),
            receipts_root: block::receipts_root(&receipts),
            logs_bloom,
            number,
            gas_limit: self.config.block_gas_limit,
            gas_used,
            timestamp,
            l1_block_number,
            base_fee: self.config.basefee,
        };
        let info = BlockInfo::sealed(&fields, receipts.iter().map(|r| r.tx_hash).collect());
        self.raw_txs.insert(receipts[0].tx_hash, internal_raw);
        for mut r in receipts {
            r.block_hash = info.hash;
            self.receipts.insert(r.tx_hash, r);
        }
        if let Some((r, _)) = user {
            (r.block_number, r.transaction_index, r.block_hash) = (number, 1, info.hash);
        }
        self.push_block(info.clone());
        info
    }

    /// The timestamp the next block will get.
    pub fn next_timestamp(&self) -> u64 {
        self.pending_block().timestamp.saturating_to()
    }

    pub fn block_by_hash(&self, hash: &B256) -> Option<&BlockInfo> {
        self.block_index
            .get(hash)
            .and_then(|n| self.blocks.get(*n as usize))
    }

    /// The EIP-2718 bytes of an included signed transaction.
    pub fn raw_transaction(&self, hash: &B256) -> Option<&Bytes> {
        self.raw_txs.get(hash)
    }

    /// Account fields as of block `block` (None: did not exist).
    fn account_record_at(&self, addr: Address, block: u64) -> Option<AccountRecord> {
        if block >= self.block_number() {
            return self
                .db()
                .cache
                .accounts
                .get(&addr)
                .and_then(|a| a.info())
                .map(|i| record_of(&i));
        }
        match self.history.account_at(&addr, block) {
            Some(old) => old.cloned(),
            None => self
                .db()
                .cache
                .accounts
                .get(&addr)
                .and_then(|a| a.info())
                .map(|i| record_of(&i)),
        }
    }
    pub fn balance_at(&self, addr: Address, block: u64) -> U256 {
        self.account_record_at(addr, block)
            .map(|r| r.balance)
            .unwrap_or_default()
    }
    pub fn nonce_at(&self, addr: Address, block: u64) -> u64 {
        self.account_record_at(addr, block)
            .map(|r| r.nonce)
            .unwrap_or_default()
    }
    pub fn code_at(&self, addr: Address, block: u64) -> Bytes {
        if block >= self.block_number() {
            return self.code(addr);
        }
        match self.account_record_at(addr, block) {
            Some(r) => self
                .db()
                .cache
                .contracts
                .get(&r.code_hash)
                .map(|c| c.original_bytes())
                .unwrap_or_default(),
            None => Bytes::new(),
        }
    }
    pub fn storage_at(&self, addr: Address, slot: U256, block: u64) -> U256 {
        if block < self.block_number() {
            if let Some(v) = self.history.slot_at(&addr, &slot, block) {
                return v;
            }
        }
        self.storage(addr, slot)
    }

    /// The state database as it was right after block `block`.
    fn db_at(&self, block: u64) -> Db {
        let mut db = self.db().clone();
        if block >= self.block_number() {
            return db;
        }
        let (accounts, slots) = self.history.changed_since(block);
        for (addr, old) in accounts {
            let entry = db.cache.accounts.entry(addr).or_default();
            match old {
                None => {
                    entry.info = AccountInfo::default();
                    entry.account_state = AccountState::NotExisting;
                }
                Some(r) => {
                    let code = db.cache.contracts.get(&r.code_hash).cloned();
                    let entry = db.cache.accounts.entry(addr).or_default();
                    entry.info = AccountInfo {
                        balance: r.balance,
                        nonce: r.nonce,
                        code_hash: r.code_hash,
                        code,
                        ..Default::default()
                    };
                    if entry.account_state == AccountState::NotExisting {
                        entry.account_state = AccountState::None;
                    }
                }
            }
        }
        for (addr, slot, old) in slots {
            db.cache
                .accounts
                .entry(addr)
                .or_insert_with(DbAccount::new_not_existing)
                .storage
                .insert(slot, old);
        }
        db
    }

    /// Runs `f` against the state as of block `at` (None: the current state), with `overrides`
    /// applied, then puts the current state back. Nothing `f` does is kept. Past blocks run with
    /// their own block environment (number, timestamp), like geth's `eth_call` at a block.
    pub fn with_state_at<R>(
        &mut self,
        at: Option<u64>,
        overrides: &[AccountOverride],
        f: impl FnOnce(&mut Self) -> R,
    ) -> R {
        let past = at.filter(|n| *n < self.block_number());
        if past.is_none() && overrides.is_empty() {
            return f(self);
        }
        let mut db = match past {
            Some(n) => self.db_at(n),
            None => self.db().clone(),
        };
        for o in overrides {
            let mut info = db
                .cache
                .accounts
                .get(&o.address)
                .and_then(|a| a.info())
                .unwrap_or_default();
            if info.code.is_none()
                && info.code_hash != revm::primitives::KECCAK_EMPTY
                && !info.code_hash.is_zero()
            {
                info.code = db.cache.contracts.get(&info.code_hash).cloned();
            }
            if let Some(b) = o.balance {
                info.balance = b;
            }
            if let Some(n) = o.nonce {
                info.nonce = n;
            }
            if let Some(code) = &o.code {
                let bc = Bytecode::new_raw(code.clone());
                info.code_hash = bc.hash_slow();
                info.code = Some(bc);
            }
            db.insert_account_info(o.address, info);
            if let Some(state) = &o.state {
                let _ = db.replace_account_storage(o.address, state.iter().copied().collect());
            }
            if let Some(diff) = &o.state_diff {
                for (k, v) in diff {
                    let _ = db.insert_account_storage(o.address, *k, *v);
                }
            }
        }
        let saved_db = std::mem::replace(self.db_mut(), db);
        let saved_override = self.block_override.take();
        if let Some(n) = past {
            let b = &self.blocks[n as usize];

            self.block_override = Some(BlockEnv {
                number: U256::from(n),
                beneficiary: self.config.coinbase,
                timestamp: U256::from(b.timestamp),
                gas_limit: self.config.block_gas_limit,
                basefee: self.config.basefee,
                difficulty: U256::from(1),
                prevrandao: Some(NITRO_PREVRANDAO),
                ..Default::default()
            });
        }
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(self)));
        *self.db_mut() = saved_db;
        self.block_override = saved_override;
        match result {
            Ok(r) => r,
            Err(p) => {
                self.recover();
                std::panic::resume_unwind(p)
            }
        }
    }

    /// `call` against the state as of block `at` with state overrides.
    pub fn call_at(
        &mut self,
        req: &CallRequest,
        at: Option<u64>,
        overrides: &[AccountOverride],
    ) -> Result<CallResult, TxError> {
        self.with_state_at(at, overrides, |c| c.call(req))
    }

    /// `call_at` recording the Stylus hostio trace (Nitro's `stylusTracer`, see `trace.rs`):
    /// the call's result and its trace, or why the trace could not be kept.
    pub fn trace_call_at(
        &mut self,
        req: &CallRequest,
        at: Option<u64>,
        overrides: &[AccountOverride],
        limits: TraceLimits,
    ) -> Result<(CallResult, Result<Vec<HostioRecord>, TraceError>), TxError> {
        let recorder = HostioRecorder::new(limits);
        let (r, recorder) = self.call_recorded(|s| &s.trace, recorder, req, at, overrides)?;
        Ok((r, recorder.finish()))
    }

    /// `call_at` recording the frames the call enters, for geth's `callTracer` (see
    /// `call_trace.rs`): the call's result and the frames below its own, or why they could not
    /// be kept.
    pub fn call_trace_at(
        &mut self,
        req: &CallRequest,
        at: Option<u64>,
        overrides: &[AccountOverride],
        limits: TraceLimits,
    ) -> Result<(CallResult, Result<CallTrace, TraceError>), TxError> {
        let recorder = CallRecorder::new(limits);
        let (r, recorder) = self.call_recorded(|s| &s.call_trace, recorder, req, at, overrides)?;
        Ok((r, recorder.finish()))
    }

    /// `call_at` logging every EVM opcode the call executes, for geth's struct logger (see
    /// `struct_log.rs`): the call's result and the entries, or why they could not be kept.
    pub fn struct_log_at(
        &mut self,
        req: &CallRequest,
        at: Option<u64>,
        config: StructLogConfig,
        limits: TraceLimits,
    ) -> Result<(CallResult, Result<Vec<StructLog>, TraceError>), TxError> {
        let logger = StructLogger::new(config, limits);
        let (r, logger) = self.call_recorded(|s| &s.struct_log, logger, req, at, &[])?;
        Ok((r, logger.finish()))
    }

    /// `call_at` with `recorder` installed in its `slot` of the shared state while the call
    /// runs: the call's result and the recorder.
    fn call_recorded<R>(
        &mut self,
        slot: fn(&Shared) -> &Mutex<Option<R>>,
        recorder: R,
        req: &CallRequest,
        at: Option<u64>,
        overrides: &[AccountOverride],
    ) -> Result<(CallResult, R), TxError> {
        *slot(&self.shared).lock().unwrap() = Some(recorder);
        // a panic inside is caught by with_state_at, whose recover() drops the recorder
        let r = self.call_at(req, at, overrides);
        let recorder = slot(&self.shared).lock().unwrap().take();
        Ok((
            r?,
            recorder.expect("the recorder stays installed while the call runs"),
        ))
    }

    /// `estimate_gas` against the state as of block `at` with state overrides.
    pub fn estimate_gas_at(
        &mut self,
        req: &CallRequest,
        at: Option<u64>,
        overrides: &[AccountOverride],
    ) -> Result<u64, CallResult> {
        self.with_state_at(at, overrides, |c| c.estimate_gas(req))
    }

    /// Puts the execution context back in a clean state after a panic escaped an execution
    /// (drops the half-done journal; the committed state is untouched).
    pub fn recover(&mut self) {
        let _ = self.ctx.journal_mut().finalize();
        self.ctx.error = Ok(());
        self.shared.begin_tx();
        *self.shared.trace.lock().unwrap() = None;
        *self.shared.call_trace.lock().unwrap() = None;
        *self.shared.struct_log.lock().unwrap() = None;
    }

    // ---- snapshots and serialization -------------------------------------------------------

    pub fn snapshot(&self) -> ChainSnapshot {
        ChainSnapshot {
            db: self.db().clone(),
            blocks: self.blocks.clone(),
            receipts: self.receipts.clone(),
            next_timestamp: self.next_timestamp,
            history: self.history.clone(),
            raw_txs: self.raw_txs.clone(),
            block_index: self.block_index.clone(),
        }
    }

    pub fn restore(&mut self, s: ChainSnapshot) {
        self.recover();
        *self.db_mut() = s.db;
        self.blocks = s.blocks;
        self.receipts = s.receipts;
        self.next_timestamp = s.next_timestamp;
        self.history = s.history;
        self.raw_txs = s.raw_txs;
        self.block_index = s.block_index;
        self.block_override = None;
        self.storage_tries.clear();
        self.account_trie = None;
    }

    pub fn dump(&self) -> ChainDump {
        let db = self.db();
        let mut accounts: Vec<AccountDump> = db
            .cache
            .accounts
            .iter()
            .filter(|(_, a)| a.account_state != AccountState::NotExisting || !a.storage.is_empty())
            .map(|(addr, a)| {
                let mut storage: Vec<(U256, U256)> = a
                    .storage
                    .iter()
                    .filter(|(_, v)| !v.is_zero())
                    .map(|(k, v)| (*k, *v))
                    .collect();
                storage.sort();
                AccountDump {
                    address: *addr,
                    exists: a.account_state != AccountState::NotExisting,
                    balance: a.info.balance,
                    nonce: a.info.nonce,
                    code_hash: a.info.code_hash,
                    storage,
                }
            })
            .collect();
        accounts.sort_by_key(|a| a.address);
        let mut codes: Vec<(B256, Bytes)> = db
            .cache
            .contracts
            .iter()
            .filter(|(h, c)| !h.is_zero() && **h != revm::primitives::KECCAK_EMPTY && !c.is_empty())
            .map(|(h, c)| (*h, c.original_bytes()))
            .collect();
        codes.sort_by_key(|(h, _)| *h);
        let mut receipts: Vec<Receipt> = self.receipts.values().cloned().collect();
        receipts.sort_by_key(|r| r.block_number);
        let mut raw_txs: Vec<(B256, Bytes)> =
            self.raw_txs.iter().map(|(h, b)| (*h, b.clone())).collect();
        raw_txs.sort_by_key(|(h, _)| *h);
        ChainDump {
            chain_id: self.config.chain_id,
            accounts,
            codes,
            blocks: self.blocks.clone(),
            receipts,
            raw_txs,
            history: self.history.dump(),
            next_timestamp: self.next_timestamp,
        }
    }

    /// Rebuilds a chain from a dump (the config's chain id must match the dump's).
    pub fn from_dump(config: DevnetConfig, dump: ChainDump) -> Result<Self, String> {
        if dump.chain_id != config.chain_id {
            return Err(format!(
                "state is for chain id {}, not {}",
                dump.chain_id, config.chain_id
            ));
        }
        if dump.blocks.is_empty()
            || dump
                .blocks
                .iter()
                .enumerate()
                .any(|(i, b)| b.number != i as u64)
        {
            return Err("state has no genesis block or its blocks are out of order".into());
        }
        let mut chain = Devnet::new(config);
        let mut db: Db = CacheDB::new(EmptyDB::default());
        let mut codes = HashMap::new();
        for (hash, code) in dump.codes {
            let bc = Bytecode::new_raw(code);
            if bc.hash_slow() != hash {
                return Err(format!("code {hash} does not match its hash"));
            }
            db.cache.contracts.insert(hash, bc.clone());
            codes.insert(hash, bc);
        }
        for a in dump.accounts {
            let code = if a.code_hash.is_zero() || a.code_hash == revm::primitives::KECCAK_EMPTY {
                None
            } else {
                Some(
                    codes
                        .get(&a.code_hash)
                        .cloned()
                        .ok_or_else(|| format!("missing code {} of {}", a.code_hash, a.address))?,
                )
            };
            let info = AccountInfo {
                balance: a.balance,
                nonce: a.nonce,
                code_hash: a.code_hash,
                code,
                ..Default::default()
            };
            let account = DbAccount {
                info,
                account_state: if a.exists {
                    AccountState::None
                } else {
                    AccountState::NotExisting
                },
                storage: a.storage.into_iter().collect(),
            };
            db.cache.accounts.insert(a.address, account);
        }
        let mut block_index = HashMap::new();
        for b in &dump.blocks {
            db.cache.block_hashes.insert(U256::from(b.number), b.hash);
            block_index.insert(b.hash, b.number);
        }
        // State written before the canonical predeploys: give them their code.
        for (addr, code) in arbos::predeploys() {
            let acc = db.cache.accounts.entry(addr).or_default();
            if acc.info.code.as_ref().map(|c| c.original_byte_slice()) == Some(&[0xFE][..])
                || acc.info.code_hash.is_zero()
                || acc.info.code_hash == revm::primitives::KECCAK_EMPTY
            {
                let code = Bytecode::new_raw(code);
                acc.info.code_hash = code.hash_slow();
                acc.info.code = Some(code);
                acc.info.nonce = acc.info.nonce.max(1);
                acc.account_state = AccountState::None;
            }
        }
        *chain.db_mut() = db;
        chain.storage_tries.clear();
        chain.account_trie = None;
        chain.blocks = dump.blocks;
        chain.receipts = dump.receipts.into_iter().map(|r| (r.tx_hash, r)).collect();
        chain.raw_txs = dump.raw_txs.into_iter().collect();
        chain.history = History::load(dump.history);
        chain.next_timestamp = dump.next_timestamp;
        chain.block_index = block_index;
        Ok(chain)
    }
}

/// Intrinsic gas (base, calldata, creation, access list) under the rules the engine executes with.
fn initial_tx_gas(input: &[u8], is_create: bool, accounts: u64, slots: u64) -> u64 {
    let gas = revm::context_interface::cfg::gas::calculate_initial_tx_gas(
        SpecId::CANCUN,
        input,
        is_create,
        accounts,
        slots,
        0,
        None,
    );
    gas.initial_regular_gas
        .saturating_add(gas.initial_state_gas)
        .max(gas.floor_gas)
}

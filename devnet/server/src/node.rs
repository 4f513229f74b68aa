//! The chain behind the server and every JSON-RPC method. A `Node` lives on one executor
//! thread (the engine's state is not `Send`); requests reach it through a channel, so calls are
//! applied one at a time, in order, and a batch is applied as a unit.

use crate::accounts::DevAccount;
use crate::json::*;
use alloy_consensus::transaction::SignerRecoverable;
use alloy_consensus::{
    SignableTransaction, Transaction as _, TxEip1559, TxEip2930, TxEnvelope, TxLegacy,
};
use alloy_eips::eip2718::Decodable2718;
use alloy_eips::eip2930::{AccessList, AccessListItem};
use alloy_primitives::{b256, keccak256, Address, Bytes, TxKind, B256, U256};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use vvv_devnet_engine::block::{self, InternalTx};
use vvv_devnet_engine::{
    AccountOverride, BlockInfo, BlockOverride, CallFrame, CallRequest, CallResult, CallTrace,
    ChainDump, ChainSnapshot, Devnet, DevnetConfig, HostioRecord, Receipt, StructLog,
    StructLogConfig, TraceLimits, TxError,
};

const EMPTY_OMMERS: B256 =
    b256!("1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347");

/// Limits and behaviour of the node (set from the server config).
#[derive(Clone, Debug)]
pub struct NodeSettings {
    pub chain_id: u64,
    /// Largest gas limit a sent transaction may have.
    pub tx_gas_cap: u64,
    /// Gas given to (and most a caller may ask for) `eth_call`/`eth_estimateGas`.
    pub call_gas_cap: u64,
    /// Most logs one `eth_getLogs` may return.
    pub max_logs: usize,
    /// Most snapshots kept at once.
    pub max_snapshots: usize,
    /// Most blocks one `evm_mine`/`anvil_mine` may mine.
    pub max_mine: u64,
    /// Print a line per transaction and per control call.
    pub log: bool,
    /// How long a nonce-gapped transaction waits for the gap to fill before it is dropped.
    pub queue_timeout: Duration,
    /// Most a Stylus hostio trace may hold (`debug_trace*` with the `stylusTracer`).
    pub trace_limits: TraceLimits,
}

/// Most nonce-gapped transactions held per account (geth's `AccountQueue`).
pub const QUEUE_PER_ACCOUNT: usize = 64;
/// Most nonce-gapped transactions held in all (Nitro's nonce-failure cache size).
pub const QUEUE_TOTAL: usize = 1024;
/// Most filters installed at once; unpolled filters expire after `FILTER_TIMEOUT` (geth: 5 min).
pub const MAX_FILTERS: usize = 1024;
pub const FILTER_TIMEOUT: Duration = Duration::from_secs(300);

/// A signed transaction waiting for its nonce gap to fill.
pub struct Queued {
    pub env: TxEnvelope,
    pub hash: B256,
    pub at: Instant,
}

/// An installed filter (`eth_newFilter`, `eth_newBlockFilter`, `eth_newPendingTransactionFilter`).
pub enum FilterKind {
    Logs(Value),
    Blocks,
    Transactions,
}
pub struct Filter {
    pub kind: FilterKind,
    /// Last block whose changes were delivered.
    pub last: u64,
    pub touched: Instant,
}

/// The devnet's clock: block timestamps follow wall-clock time plus an offset
/// (`evm_increaseTime`), or an explicit next timestamp (`evm_setNextBlockTimestamp`).
#[derive(Clone, Copy, Debug, Default, Serialize, Deserialize)]
pub struct Clock {
    pub offset: i64,
    pub next: Option<u64>,
}

pub fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// What the state file holds.
#[derive(Serialize, Deserialize)]
pub struct StateFile {
    pub format: String,
    pub version: u32,
    pub clock: Clock,
    pub chain: ChainDump,
}
pub const STATE_FORMAT: &str = "vvv-devnet-state";
pub const STATE_VERSION: u32 = 1;

pub struct Node {
    pub chain: Devnet,
    pub accounts: Vec<DevAccount>,
    pub settings: NodeSettings,
    pub clock: Clock,
    snapshots: BTreeMap<u64, (ChainSnapshot, Clock)>,
    next_snapshot: u64,
    /// State changed since the state file was last written.
    pub dirty: bool,
    /// Nonce-gapped transactions per sender, by nonce.
    pub queue: HashMap<Address, BTreeMap<u64, Queued>>,
    pub filters: HashMap<u64, Filter>,
    next_filter: u64,
}

fn engine_config(chain_id: u64) -> DevnetConfig {
    DevnetConfig {
        chain_id,
        genesis_timestamp: now_secs(),
        ..DevnetConfig::default()
    }
}

impl Node {
    /// A new chain whose genesis funds the accounts.
    pub fn new(settings: NodeSettings, accounts: Vec<DevAccount>, balance: U256) -> Self {
        let mut chain = Devnet::new(engine_config(settings.chain_id));
        for a in &accounts {
            chain.set_balance(a.address, balance);
        }
        chain.seal_genesis();
        Self {
            chain,
            accounts,
            settings,
            clock: Clock::default(),
            snapshots: BTreeMap::new(),
            next_snapshot: 1,
            dirty: true,
            queue: HashMap::new(),
            filters: HashMap::new(),
            next_filter: 1,
        }
    }

    /// A chain restored from a state file.
    pub fn from_state(
        settings: NodeSettings,
        accounts: Vec<DevAccount>,
        file: StateFile,
    ) -> Result<Self, String> {
        if file.format != STATE_FORMAT || file.version != STATE_VERSION {
            return Err(format!(
                "not a {STATE_FORMAT} v{STATE_VERSION} file (format {:?} v{})",
                file.format, file.version
            ));
        }
        let chain = Devnet::from_dump(engine_config(settings.chain_id), file.chain)?;
        Ok(Self {
            chain,
            accounts,
            settings,
            clock: file.clock,
            snapshots: BTreeMap::new(),
            next_snapshot: 1,
            dirty: false,
            queue: HashMap::new(),
            filters: HashMap::new(),
            next_filter: 1,
        })
    }

    pub fn state_file(&self) -> StateFile {
        StateFile {
            format: STATE_FORMAT.into(),
            version: STATE_VERSION,
            clock: self.clock,
            chain: self.chain.dump(),
        }
    }

    fn basefee(&self) -> u64 {
        self.chain.config().basefee
    }

    // ---- time ---------------------------------------------------------------------------

    /// Sets the engine's next block timestamp from the clock (before any execution or mining).
    fn prepare_time(&mut self) {
        let latest = self.chain.latest_block().timestamp;
        let ts = match self.clock.next {
            Some(t) => t,
            None => ((now_secs() as i64).saturating_add(self.clock.offset)).max(0) as u64,
        };
        self.chain.set_next_timestamp(ts.max(latest));
    }

    /// After a block was mined: an explicit timestamp becomes the clock's new reference.
    fn after_mine(&mut self) {
        if let Some(t) = self.clock.next.take() {
            self.clock.offset = t as i64 - now_secs() as i64;
        }
        self.dirty = true;
    }

    /// Mines an empty block (interval mining, `evm_mine`).
    pub fn mine_empty(&mut self) -> BlockInfo {
        self.prepare_time();
        let b = self.chain.mine();
        self.after_mine();
        b
    }

    // ---- block resolution ---------------------------------------------------------------

    fn latest(&self) -> u64 {
        self.chain.block_number()
    }

    /// The block a state query refers to (errors for unknown blocks, like geth).
    fn state_block(&self, tag: Option<&Value>) -> RpcResult<u64> {
        let tag = match tag {
            Some(v) => parse_block_tag(v, "block")?,
            None => BlockTag::Latest,
        };
        match tag {
            BlockTag::Latest | BlockTag::Pending | BlockTag::Safe | BlockTag::Finalized => {
                Ok(self.latest())
            }
            BlockTag::Earliest => Ok(0),
            BlockTag::Number(n) if n <= self.latest() => Ok(n),
            BlockTag::Number(_) => Err(RpcError::server("header not found")),
            BlockTag::Hash(h) => self
                .chain
                .block_by_hash(&h)
                .map(|b| b.number)
                .ok_or_else(|| RpcError::server("header for hash not found")),
        }
    }

    /// The block a block query refers to (None: no such block, answered with null).
    fn find_block(&self, v: &Value) -> RpcResult<Option<u64>> {
        Ok(match parse_block_tag(v, "block")? {
            BlockTag::Latest | BlockTag::Pending | BlockTag::Safe | BlockTag::Finalized => {
                Some(self.latest())
            }
            BlockTag::Earliest => Some(0),
            BlockTag::Number(n) => (n <= self.latest()).then_some(n),
            BlockTag::Hash(h) => self.chain.block_by_hash(&h).map(|b| b.number),
        })
    }

    /// For calls: None = the current state (pending block environment), Some(n) = as of block n.
    fn call_block(&self, tag: Option<&Value>) -> RpcResult<Option<u64>> {
        let pending_like = match tag {
            None => true,
            Some(v) => matches!(
                parse_block_tag(v, "block")?,
                BlockTag::Latest | BlockTag::Pending | BlockTag::Safe | BlockTag::Finalized
            ),
        };
        if pending_like {
            return Ok(None);
        }
        let n = self.state_block(tag)?;
        Ok((n < self.latest()).then_some(n))
    }

    // ---- dispatch -----------------------------------------------------------------------

    /// Runs one method; panics inside the engine become an internal error (the journal is reset,
    /// committed state is untouched).
    pub fn dispatch_safe(&mut self, method: &str, params: &[Value]) -> RpcResult {
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            self.dispatch(method, params)
        })) {
            Ok(r) => r,
            Err(p) => {
                self.chain.recover();
                let msg = p
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                eprintln!("vvv-devnet: internal error in {method}: {msg}");
                Err(RpcError::new(
                    code::INTERNAL,
                    format!("internal error: {msg}"),
                ))
            }
        }
    }

    pub fn dispatch(&mut self, method: &str, params: &[Value]) -> RpcResult {
        let p = Params::new(params);
        match method {
            "web3_clientVersion" => Ok(json!(format!("vvv-devnet/v{}", env!("CARGO_PKG_VERSION")))),
            "web3_sha3" => {
                p.at_most(1)?;
                Ok(hash(&keccak256(parse_bytes(p.req(0, "data")?, "data")?)))
            }
            "net_version" => Ok(json!(self.settings.chain_id.to_string())),
            "net_listening" => Ok(json!(true)),
            "net_peerCount" => Ok(qty(0u64)),
            "eth_chainId" => Ok(qty(self.settings.chain_id)),
            "eth_syncing" => Ok(json!(false)),
            "eth_mining" => Ok(json!(true)),
            "eth_hashrate" => Ok(qty(0u64)),
            "eth_protocolVersion" => Ok(json!("0x41")),
            "eth_coinbase" => Ok(addr(&self.chain.config().coinbase)),
            "eth_accounts" => Ok(Value::Array(
                self.accounts.iter().map(|a| addr(&a.address)).collect(),
            )),
            "eth_blockNumber" => Ok(qty(self.latest())),
            "eth_gasPrice" => Ok(qty(self.basefee())),
            "eth_maxPriorityFeePerGas" => Ok(qty(0u64)),
            "eth_blobBaseFee" => Ok(qty(1u64)),
            "eth_feeHistory" => self.fee_history(&p),
            "eth_getBalance" => {
                p.at_most(2)?;
                let a = parse_address(p.req(0, "address")?, "address")?;
                let n = self.state_block(p.opt(1))?;
                Ok(qty_u256(self.chain.balance_at(a, n)))
            }
            "eth_getTransactionCount" => {
                p.at_most(2)?;
                let a = parse_address(p.req(0, "address")?, "address")?;
                let n = self.state_block(p.opt(1))?;
                Ok(qty(self.chain.nonce_at(a, n)))
            }
            "eth_getCode" => {
                p.at_most(2)?;
                let a = parse_address(p.req(0, "address")?, "address")?;
                let n = self.state_block(p.opt(1))?;
                Ok(data(&self.chain.code_at(a, n)))
            }
            "eth_getStorageAt" => {
                p.at_most(3)?;
                let a = parse_address(p.req(0, "address")?, "address")?;
                let slot = parse_slot(p.req(1, "slot")?, "slot")?;
                let n = self.state_block(p.opt(2))?;
                Ok(hash(&B256::from(self.chain.storage_at(a, slot, n))))
            }
            "eth_getProof" => {
                p.at_most(3)?;
                let a = parse_address(p.req(0, "address")?, "address")?;
                let Value::Array(keys) = p.req(1, "storageKeys")? else {
                    return Err(RpcError::params("storageKeys: expected an array"));
                };
                let slots = keys
                    .iter()
                    .map(|k| parse_slot(k, "storageKeys").map(B256::from))
                    .collect::<RpcResult<Vec<_>>>()?;
                let n = self.state_block(p.opt(2))?;
                Ok(proof_json(&self.chain.proof_at(a, &slots, n)))
            }
            "eth_call" => self.eth_call(&p),
            "eth_estimateGas" => self.eth_estimate_gas(&p),
            "eth_createAccessList" => self.create_access_list(&p),
            "debug_traceTransaction" => {
                p.at_most(2)?;
                let h = parse_b256(p.req(0, "hash")?, "hash")?;
                self.trace_transaction(h, p.opt(1))
            }
            "debug_traceCall" => {
                p.at_most(3)?;
                let req = self.parse_call(p.req(0, "transaction")?)?;
                let at = self.call_block(p.opt(1))?;
                let tracer = tracer(p.opt(2))?;
                self.prepare_time();
                self.trace(&req, at, tracer)
            }
            "eth_newFilter" => {
                p.at_most(1)?;
                let criteria = p.req(0, "filter")?.clone();
                if let Value::Object(o) = &criteria {
                    if o.get("blockHash").is_some_and(|v| !v.is_null()) {
                        return Err(RpcError::params(
                            "filter: blockHash is not supported by eth_newFilter (use eth_getLogs)",
                        ));
                    }
                }
                // validate the criteria now, as geth does
                let mut probe = criteria.clone();
                if let Value::Object(o) = &mut probe {
                    o.insert("fromBlock".into(), qty(self.latest()));
                    o.insert("toBlock".into(), qty(self.latest()));
                }
                self.get_logs(&probe)?;
                self.install_filter(FilterKind::Logs(criteria))
            }
            "eth_newBlockFilter" => {
                p.at_most(0)?;
                self.install_filter(FilterKind::Blocks)
            }
            "eth_newPendingTransactionFilter" => {
                p.at_most(1)?;
                self.install_filter(FilterKind::Transactions)
            }
            "eth_getFilterChanges" => {
                p.at_most(1)?;
                let id = parse_u64(p.req(0, "filter id")?, "filter id")?;
                self.filter_changes(id)
            }
            "eth_getFilterLogs" => {
                p.at_most(1)?;
                let id = parse_u64(p.req(0, "filter id")?, "filter id")?;
                self.expire_filters();
                match self.filters.get_mut(&id) {
                    Some(f) => {
                        f.touched = Instant::now();
                        match &f.kind {
                            FilterKind::Logs(c) => {
                                let c = c.clone();
                                self.get_logs(&c)
                            }
                            _ => Err(RpcError::server("filter not found")),
                        }
                    }
                    None => Err(RpcError::server("filter not found")),
                }
            }
            "eth_uninstallFilter" => {
                p.at_most(1)?;
                let id = parse_u64(p.req(0, "filter id")?, "filter id")?;
                Ok(json!(self.filters.remove(&id).is_some()))
            }
            "txpool_status" => {
                p.at_most(0)?;
                self.expire_queue();
                let queued: usize = self.queue.values().map(|q| q.len()).sum();
                Ok(json!({"pending": "0x0", "queued": qty(queued as u64)}))
            }
            "eth_sendRawTransaction" => {
                p.at_most(1)?;
                let raw = parse_bytes(p.req(0, "transaction")?, "transaction")?;
                self.send_raw(&raw).map(|h| hash(&h))
            }
            "eth_sendTransaction" => {
                p.at_most(1)?;
                self.send_transaction(p.req(0, "transaction")?)
                    .map(|h| hash(&h))
            }
            "eth_getTransactionReceipt" => {
                p.at_most(1)?;
                let h = parse_b256(p.req(0, "hash")?, "hash")?;
                Ok(self
                    .chain
                    .receipt(h)
                    .map(|r| self.receipt_json(r))
                    .unwrap_or(Value::Null))
            }
            "eth_getTransactionByHash" => {
                p.at_most(1)?;
                let h = parse_b256(p.req(0, "hash")?, "hash")?;
                self.expire_queue();
                Ok(self
                    .tx_json(&h)
                    .or_else(|| self.queued_tx_json(&h))
                    .unwrap_or(Value::Null))
            }
            "eth_getRawTransactionByHash" => {
                p.at_most(1)?;
                let h = parse_b256(p.req(0, "hash")?, "hash")?;
                Ok(self
                    .chain
                    .raw_transaction(&h)
                    .map(|r| data(r))
                    .unwrap_or(Value::Null))
            }
            "eth_getBlockByNumber" | "eth_getBlockByHash" => {
                p.at_most(2)?;
                let full = match p.opt(1) {
                    Some(v) => parse_bool(v, "full")?,
                    None => false,
                };
                let n = if method == "eth_getBlockByHash" {
                    let h = parse_b256(p.req(0, "hash")?, "hash")?;
                    self.chain.block_by_hash(&h).map(|b| b.number)
                } else {
                    self.find_block(p.req(0, "block")?)?
                };
                Ok(n.and_then(|n| self.chain.block(n))
                    .map(|b| self.block_json(b, full))
                    .unwrap_or(Value::Null))
            }
            "eth_getBlockTransactionCountByNumber" | "eth_getBlockTransactionCountByHash" => {
                p.at_most(1)?;
                let n = if method.ends_with("ByHash") {
                    self.chain
                        .block_by_hash(&parse_b256(p.req(0, "hash")?, "hash")?)
                        .map(|b| b.number)
                } else {
                    self.find_block(p.req(0, "block")?)?
                };
                Ok(n.and_then(|n| self.chain.block(n))
                    .map(|b| qty(b.transactions.len() as u64))
                    .unwrap_or(Value::Null))
            }
            "eth_getTransactionByBlockNumberAndIndex" | "eth_getTransactionByBlockHashAndIndex" => {
                p.at_most(2)?;
                let n = if method.contains("BlockHash") {
                    self.chain
                        .block_by_hash(&parse_b256(p.req(0, "hash")?, "hash")?)
                        .map(|b| b.number)
                } else {
                    self.find_block(p.req(0, "block")?)?
                };
                let i = parse_u64(p.req(1, "index")?, "index")?;
                let h = n
                    .and_then(|n| self.chain.block(n))
                    .and_then(|b| b.transactions.get(i as usize).copied());
                Ok(h.and_then(|h| self.tx_json(&h)).unwrap_or(Value::Null))
            }
            "eth_getBlockReceipts" => {
                p.at_most(1)?;
                let n = self.find_block(p.req(0, "block")?)?;
                Ok(match n.and_then(|n| self.chain.block(n)) {
                    Some(b) => Value::Array(
                        b.transactions
                            .iter()
                            .filter_map(|h| self.chain.receipt(*h))
                            .map(|r| self.receipt_json(r))
                            .collect(),
                    ),
                    None => Value::Null,
                })
            }
            "eth_getLogs" => {
                p.at_most(1)?;
                self.get_logs(p.req(0, "filter")?)
            }
            // ---- devnet controls ----
            "evm_increaseTime" | "anvil_increaseTime" => {
                p.at_most(1)?;
                let secs = parse_i64(p.req(0, "seconds")?, "seconds")?;
                if secs.unsigned_abs() > 100 * 365 * 86_400 {
                    return Err(RpcError::params("seconds: more than 100 years"));
                }
                self.clock.offset = self.clock.offset.saturating_add(secs);
                if let Some(next) = self.clock.next {
                    self.clock.next = Some((next as i64).saturating_add(secs).max(0) as u64);
                }
                self.dirty = true;
                self.note(format_args!(
                    "evm_increaseTime {secs}s (offset now {}s)",
                    self.clock.offset
                ));
                Ok(json!(self.clock.offset))
            }
            "evm_setNextBlockTimestamp" | "anvil_setNextBlockTimestamp" => {
                p.at_most(1)?;
                let ts = parse_u64(p.req(0, "timestamp")?, "timestamp")?;
                self.set_next_timestamp(ts)?;
                Ok(Value::Null)
            }
            "evm_mine" => {
                p.at_most(1)?;
                let (mut count, mut ts) = (1u64, None);
                match p.opt(0) {
                    Some(Value::Object(o)) => {
                        if let Some(b) = o.get("blocks").filter(|v| !v.is_null()) {
                            count = parse_u64(b, "blocks")?;
                        }
                        ts = o
                            .get("timestamp")
                            .filter(|v| !v.is_null())
                            .map(|v| parse_u64(v, "timestamp"))
                            .transpose()?;
                    }
                    Some(v) => ts = Some(parse_u64(v, "timestamp")?),
                    None => {}
                }
                if let Some(t) = ts {
                    self.set_next_timestamp(t)?;
                }
                self.mine_blocks(count, None)?;
                Ok(json!("0x0"))
            }
            "anvil_mine" | "hardhat_mine" => {
                p.at_most(2)?;
                let count = p
                    .opt(0)
                    .map(|v| parse_u64(v, "blocks"))
                    .transpose()?
                    .unwrap_or(1);
                let interval = p.opt(1).map(|v| parse_u64(v, "interval")).transpose()?;
                self.mine_blocks(count, interval)?;
                Ok(Value::Null)
            }
            "evm_snapshot" | "anvil_snapshot" => {
                p.at_most(0)?;
                if self.snapshots.len() >= self.settings.max_snapshots {
                    return Err(RpcError::server(format!(
                        "too many snapshots ({}): revert to an older one first",
                        self.snapshots.len()
                    )));
                }
                let id = self.next_snapshot;
                self.next_snapshot += 1;
                self.snapshots
                    .insert(id, (self.chain.snapshot(), self.clock));
                self.note(format_args!(
                    "evm_snapshot {id:#x} at block {}",
                    self.latest()
                ));
                Ok(qty(id))
            }
            "evm_revert" | "anvil_revert" => {
                p.at_most(1)?;
                let id = parse_u64(p.req(0, "snapshot id")?, "snapshot id")?;
                let Some((snap, clock)) = self.snapshots.remove(&id) else {
                    return Ok(json!(false));
                };
                self.snapshots.retain(|k, _| *k < id);
                self.chain.restore(snap);
                self.clock = clock;
                self.dirty = true;
                self.note(format_args!(
                    "evm_revert {id:#x} to block {}",
                    self.latest()
                ));
                Ok(json!(true))
            }
            "anvil_setBalance" | "hardhat_setBalance" => {
                p.at_most(2)?;
                let a = parse_address(p.req(0, "address")?, "address")?;
                let v = parse_u256(p.req(1, "balance")?, "balance")?;
                self.chain.set_balance(a, v);
                self.dirty = true;
                Ok(Value::Null)
            }
            "anvil_setNonce" | "hardhat_setNonce" => {
                p.at_most(2)?;
                let a = parse_address(p.req(0, "address")?, "address")?;
                let v = parse_u64(p.req(1, "nonce")?, "nonce")?;
                self.chain.set_nonce(a, v);
                self.dirty = true;
                Ok(Value::Null)
            }
            "anvil_setCode" | "hardhat_setCode" => {
                p.at_most(2)?;
                let a = parse_address(p.req(0, "address")?, "address")?;
                let code = parse_bytes(p.req(1, "code")?, "code")?;
                self.chain.set_code(a, code);
                self.dirty = true;
                Ok(Value::Null)
            }
            "anvil_setStorageAt" | "hardhat_setStorageAt" => {
                p.at_most(3)?;
                let a = parse_address(p.req(0, "address")?, "address")?;
                let slot = parse_slot(p.req(1, "slot")?, "slot")?;
                let v = parse_u256(p.req(2, "value")?, "value")?;
                self.chain.set_storage(a, slot, v);
                self.dirty = true;
                Ok(json!(true))
            }
            _ => Err(RpcError::new(
                code::METHOD_NOT_FOUND,
                format!("the method {method} does not exist/is not available"),
            )),
        }
    }

    fn note(&self, args: std::fmt::Arguments<'_>) {
        if self.settings.log {
            println!("{args}");
        }
    }

    fn set_next_timestamp(&mut self, ts: u64) -> RpcResult<()> {
        let latest = self.chain.latest_block().timestamp;
        if ts < latest {
            return Err(RpcError::server(format!(
                "timestamp {ts} is lower than the latest block's timestamp {latest}"
            )));
        }
        if ts > now_secs() + 1000 * 365 * 86_400 {
            return Err(RpcError::params("timestamp is more than 1000 years ahead"));
        }
        self.clock.next = Some(ts);
        self.dirty = true;
        Ok(())
    }

    fn mine_blocks(&mut self, count: u64, interval: Option<u64>) -> RpcResult<()> {
        if count > self.settings.max_mine {
            return Err(RpcError::params(format!(
                "at most {} blocks per call",
                self.settings.max_mine
            )));
        }
        for i in 0..count {
            if let (Some(iv), true) = (interval, i > 0) {
                let t = self.chain.latest_block().timestamp.saturating_add(iv);
                self.clock.next = Some(t);
            }
            let b = self.mine_empty();
            if count <= 3 {
                self.note(format_args!(
                    "mined empty block {} (timestamp {})",
                    b.number, b.timestamp
                ));
            }
        }
        Ok(())
    }

    // ---- calls --------------------------------------------------------------------------

    fn parse_call(&self, v: &Value) -> RpcResult<CallRequest> {
        let Value::Object(o) = v else {
            return Err(RpcError::params("transaction: expected an object"));
        };
        let get = |k: &str| o.get(k).filter(|v| !v.is_null());
        let from = get("from")
            .map(|v| parse_address(v, "from"))
            .transpose()?
            .unwrap_or_default();
        let to = get("to").map(|v| parse_address(v, "to")).transpose()?;
        let gas = get("gas").map(|v| parse_u64(v, "gas")).transpose()?;
        let gas = Some(
            gas.unwrap_or(self.settings.call_gas_cap)
                .min(self.settings.call_gas_cap),
        );
        let gas_price = match get("gasPrice") {
            Some(v) => Some(parse_u128(v, "gasPrice")?),
            None => get("maxFeePerGas")
                .map(|v| parse_u128(v, "maxFeePerGas"))
                .transpose()?,
        };
        let value = get("value")
            .map(|v| parse_u256(v, "value"))
            .transpose()?
            .unwrap_or_default();
        let input = get("input").map(|v| parse_bytes(v, "input")).transpose()?;
        let data_ = get("data").map(|v| parse_bytes(v, "data")).transpose()?;
        let data_ = match (input, data_) {
            (Some(i), Some(d)) if i != d => {
                return Err(RpcError::params(
                    "both \"data\" and \"input\" are set and not equal",
                ))
            }
            (Some(i), _) => i,
            (None, Some(d)) => d,
            (None, None) => Bytes::new(),
        };
        let access_list = match get("accessList") {
            Some(v) => parse_access_list(v)?
                .0
                .into_iter()
                .map(|i| (i.address, i.storage_keys))
                .collect(),
            None => vec![],
        };
        Ok(CallRequest {
            from,
            to,
            value,
            data: data_,
            gas,
            gas_price,
            access_list,
            block: None,
        })
    }

    /// geth's block overrides (`eth_call`'s 4th parameter).
    fn parse_block_overrides(&self, v: Option<&Value>) -> RpcResult<Option<BlockOverride>> {
        let Some(v) = v.filter(|v| !v.is_null()) else {
            return Ok(None);
        };
        let Value::Object(o) = v else {
            return Err(RpcError::params("block overrides: expected an object"));
        };
        let mut b = BlockOverride::default();
        for (k, v) in o {
            match k.as_str() {
                "number" => b.number = Some(parse_u64(v, "number")?),
                "time" => b.time = Some(parse_u64(v, "time")?),
                "gasLimit" => b.gas_limit = Some(parse_u64(v, "gasLimit")?),
                "feeRecipient" | "coinbase" => b.coinbase = Some(parse_address(v, k)?),
                "prevRandao" | "random" => b.prev_randao = Some(parse_b256(v, k)?),
                "baseFeePerGas" | "baseFee" => b.base_fee = Some(parse_u64(v, k)?),
                "difficulty" | "blobBaseFee" | "withdrawals" | "beaconRoot" => {}
                other => {
                    return Err(RpcError::params(format!(
                        "block overrides: unknown field {other:?}"
                    )))
                }
            }
        }
        Ok(Some(b))
    }

    fn parse_overrides(&self, v: Option<&Value>) -> RpcResult<Vec<AccountOverride>> {
        let Some(v) = v else { return Ok(vec![]) };
        let Value::Object(o) = v else {
            return Err(RpcError::params("state overrides: expected an object"));
        };
        if o.len() > 1000 {
            return Err(RpcError::params("state overrides: more than 1000 accounts"));
        }
        let mut out = Vec::new();
        for (k, ov) in o {
            let address = parse_address(&Value::String(k.clone()), "state override address")?;
            let Value::Object(f) = ov else {
                return Err(RpcError::params("state override: expected an object"));
            };
            let get = |k: &str| f.get(k).filter(|v| !v.is_null());
            let slots = |v: &Value, what: &str| -> RpcResult<Vec<(U256, U256)>> {
                let Value::Object(m) = v else {
                    return Err(RpcError::params(format!("{what}: expected an object")));
                };
                m.iter()
                    .map(|(s, val)| {
                        Ok((
                            parse_slot(&Value::String(s.clone()), what)?,
                            U256::from_be_bytes(parse_b256(val, what)?.0),
                        ))
                    })
                    .collect()
            };
            let state = get("state").map(|v| slots(v, "state")).transpose()?;
            let state_diff = get("stateDiff")
                .map(|v| slots(v, "stateDiff"))
                .transpose()?;
            if state.is_some() && state_diff.is_some() {
                return Err(RpcError::params(format!(
                    "account {address} has both 'state' and 'stateDiff'"
                )));
            }
            out.push(AccountOverride {
                address,
                balance: get("balance")
                    .map(|v| parse_u256(v, "balance"))
                    .transpose()?,
                nonce: get("nonce").map(|v| parse_u64(v, "nonce")).transpose()?,
                code: get("code").map(|v| parse_bytes(v, "code")).transpose()?,
                state,
                state_diff,
            });
        }
        Ok(out)
    }

    fn eth_call(&mut self, p: &Params<'_>) -> RpcResult {
        p.at_most(4)?;
        let mut req = self.parse_call(p.req(0, "transaction")?)?;
        let at = self.call_block(p.opt(1))?;
        let overrides = self.parse_overrides(p.opt(2))?;
        req.block = self.parse_block_overrides(p.opt(3))?;
        self.prepare_time();
        if req.to == Some(NODE_INTERFACE) {
            return self.node_interface(&req, at, &overrides);
        }
        let r = self
            .chain
            .call_at(&req, at, &overrides)
            .map_err(|e| RpcError::server(tx_error_message(&e)))?;
        if r.success {
            Ok(data(&r.output))
        } else {
            Err(call_error(&r, false, req.gas.unwrap_or_default()))
        }
    }

    fn eth_estimate_gas(&mut self, p: &Params<'_>) -> RpcResult {
        p.at_most(3)?;
        let req = self.parse_call(p.req(0, "transaction")?)?;
        let at = self.call_block(p.opt(1))?;
        let overrides = self.parse_overrides(p.opt(2))?;
        self.prepare_time();
        if req.to == Some(NODE_INTERFACE) {
            // as Nitro: the virtual contract's calls cost nothing to speak of
            self.node_interface(&req, at, &overrides)?;
            return Ok(qty(21_000u64));
        }
        match self.chain.estimate_gas_at(&req, at, &overrides) {
            Ok(g) => Ok(qty(g)),
            Err(r) => Err(call_error(&r, true, req.gas.unwrap_or_default())),
        }
    }

    /// `NodeInterface` (0xC8), the virtual contract Nitro serves from the RPC layer:
    /// `gasEstimateComponents` and `gasEstimateL1Component` (no L1 component here: the L1 price
    /// is zero, as on nitro-devnode), `nitroGenesisBlock`.
    fn node_interface(
        &mut self,
        req: &CallRequest,
        at: Option<u64>,
        overrides: &[AccountOverride],
    ) -> RpcResult {
        let d = &req.data;
        let sel: [u8; 4] = match d.get(..4) {
            Some(s) => s.try_into().unwrap(),
            None => return Err(RpcError::reverted(Bytes::new(), "execution reverted")),
        };
        let word = |v: u64| B256::from(U256::from(v));
        let basefee = self.basefee();
        match sel {
            // gasEstimateComponents(address,bool,bytes) / gasEstimateL1Component(address,bool,bytes)
            [0xc9, 0x4e, 0x6e, 0xeb] | [0x77, 0xd4, 0x88, 0xa2] => {
                let args = &d[4..];
                if args.len() < 96 {
                    return Err(RpcError::reverted(Bytes::new(), "execution reverted"));
                }
                let to = Address::from_slice(&args[12..32]);
                let create = args[63] != 0;
                let off = U256::from_be_slice(&args[64..96]).saturating_to::<usize>();
                let len = args
                    .get(off..off.saturating_add(32))
                    .map(|w| U256::from_be_slice(w).saturating_to::<usize>())
                    .ok_or_else(|| RpcError::reverted(Bytes::new(), "execution reverted"))?;
                let data_ = args
                    .get(off + 32..(off + 32).saturating_add(len))
                    .ok_or_else(|| RpcError::reverted(Bytes::new(), "execution reverted"))?;
                let mut inner = req.clone();
                inner.to = if create { None } else { Some(to) };
                inner.data = Bytes::copy_from_slice(data_);
                if sel == [0x77, 0xd4, 0x88, 0xa2] {
                    let out = [word(0), word(basefee), word(0)].concat();
                    return Ok(data(&out));
                }
                let g = self
                    .chain
                    .estimate_gas_at(&inner, at, overrides)
                    .map_err(|r| call_error(&r, true, inner.gas.unwrap_or_default()))?;
                let out = [word(g), word(0), word(basefee), word(0)].concat();
                Ok(data(&out))
            }
            // nitroGenesisBlock()
            [0x93, 0xa2, 0xfe, 0x21] => Ok(data(word(0).as_slice())),
            _ => Err(RpcError::reverted(
                alloy_sol_error(&format!(
                    "vvv-devnet: NodeInterface method {} is not modelled",
                    alloy_primitives::hex::encode_prefixed(sel)
                )),
                "execution reverted: vvv-devnet: NodeInterface method not modelled",
            )),
        }
    }

    /// `debug_traceTransaction`: the transaction re-run on the state before its block, in its
    /// block's environment, with the tracer asked for.
    fn trace_transaction(&mut self, h: B256, opts: Option<&Value>) -> RpcResult {
        let tracer = tracer(opts)?;
        let r = self
            .chain
            .receipt(h)
            .cloned()
            .ok_or_else(|| RpcError::server(format!("transaction {h:#x} not found")))?;
        let raw = self.chain.raw_transaction(&h).cloned().ok_or_else(|| {
            RpcError::server("transaction was not signed (impersonated): cannot replay")
        })?;
        let env =
            TxEnvelope::decode_2718(&mut &raw[..]).map_err(|e| RpcError::server(e.to_string()))?;
        let block = self
            .chain
            .block(r.block_number)
            .cloned()
            .ok_or_else(|| RpcError::server("block not found"))?;
        let req = CallRequest {
            from: r.from,
            to: env.to(),
            value: env.value(),
            data: env.input().clone(),
            gas: Some(env.gas_limit()),
            gas_price: Some(r.effective_gas_price),
            access_list: env
                .access_list()
                .map(|l| {
                    l.0.iter()
                        .map(|i| (i.address, i.storage_keys.clone()))
                        .collect()
                })
                .unwrap_or_default(),
            block: Some(BlockOverride {
                number: Some(block.number),
                time: Some(block.timestamp),
                ..Default::default()
            }),
        };
        self.trace(&req, Some(r.block_number.saturating_sub(1)), tracer)
    }

    /// Runs `req` on the state of block `at` with a tracer: the `callTracer`'s top frame, or
    /// the Stylus hostio trace (native or as the `cargo stylus` JavaScript tracer returns it).
    fn trace(&mut self, req: &CallRequest, at: Option<u64>, tracer: Tracer) -> RpcResult {
        if let Tracer::Struct(config) = tracer {
            let (res, logs) = self
                .chain
                .struct_log_at(req, at, config, self.settings.trace_limits)
                .map_err(|e| RpcError::server(tx_error_message(&e)))?;
            let logs = logs.map_err(|e| RpcError::server(format!("struct logger: {e}")))?;
            return Ok(struct_log_json(&res, &logs));
        }
        if let Tracer::Call {
            only_top_call,
            with_log,
        } = tracer
        {
            let (res, trace) = self
                .chain
                .call_trace_at(req, at, &[], self.settings.trace_limits)
                .map_err(|e| RpcError::server(tx_error_message(&e)))?;
            let mut trace = trace.map_err(|e| RpcError::server(format!("callTracer: {e}")))?;
            if only_top_call {
                // geth sees no inner frame, so every log of the top frame is at position 0
                trace.calls.clear();
                trace.logs.iter_mut().for_each(|l| l.position = 0);
            }
            return Ok(call_frame_json(req, &res, trace, with_log));
        }
        let (_, trace) = self
            .chain
            .trace_call_at(req, at, &[], self.settings.trace_limits)
            .map_err(|e| RpcError::server(tx_error_message(&e)))?;
        let records = trace.map_err(|e| RpcError::server(format!("stylusTracer: {e}")))?;
        Ok(hostio_trace_json(&records, tracer == Tracer::StylusJs))
    }

    /// `eth_createAccessList`: the accounts and slots the call touches (iterated until stable,
    /// as geth does), with the gas it uses with that list.
    fn create_access_list(&mut self, p: &Params<'_>) -> RpcResult {
        p.at_most(2)?;
        let req = self.parse_call(p.req(0, "transaction")?)?;
        let at = self.call_block(p.opt(1))?;
        self.prepare_time();
        let (list, r) = self
            .chain
            .with_state_at(at, &[], |c| c.create_access_list(&req))
            .map_err(|e| RpcError::server(tx_error_message(&e)))?;
        let list: Vec<Value> = list
            .iter()
            .map(|(a, keys)| json!({"address": addr(a), "storageKeys": keys.iter().map(hash).collect::<Vec<_>>()}))
            .collect();
        let mut out = json!({"accessList": list, "gasUsed": qty(r.gas_used)});
        if !r.success {
            out["error"] = json!(call_error(&r, false, 0).message);
        }
        Ok(out)
    }

    // ---- filters ------------------------------------------------------------------------

    fn expire_filters(&mut self) {
        self.filters
            .retain(|_, f| f.touched.elapsed() < FILTER_TIMEOUT);
    }

    fn install_filter(&mut self, kind: FilterKind) -> RpcResult {
        self.expire_filters();
        if self.filters.len() >= MAX_FILTERS {
            return Err(RpcError::server(format!(
                "too many filters installed (at most {MAX_FILTERS})"
            )));
        }
        let id = self.next_filter;
        self.next_filter += 1;
        self.filters.insert(
            id,
            Filter {
                kind,
                last: self.latest(),
                touched: Instant::now(),
            },
        );
        Ok(qty(id))
    }

    fn filter_changes(&mut self, id: u64) -> RpcResult {
        self.expire_filters();
        let latest = self.latest();
        let Some(f) = self.filters.get_mut(&id) else {
            return Err(RpcError::server("filter not found"));
        };
        f.touched = Instant::now();
        let from = f.last + 1;
        f.last = latest;
        if from > latest {
            return Ok(json!([]));
        }
        match &f.kind {
            FilterKind::Blocks => Ok(Value::Array(
                (from..=latest)
                    .filter_map(|n| self.chain.block(n).map(|b| hash(&b.hash)))
                    .collect(),
            )),
            // Sent transactions only: ArbOS's internal ones never pass through the pool.
            FilterKind::Transactions => Ok(Value::Array(
                (from..=latest)
                    .filter_map(|n| self.chain.block(n))
                    .flat_map(|b| b.transactions.iter())
                    .filter(|h| {
                        self.chain
                            .receipt(**h)
                            .is_some_and(|r| r.tx_type != block::INTERNAL_TX_TYPE)
                    })
                    .map(hash)
                    .collect(),
            )),
            FilterKind::Logs(c) => {
                let c = c.clone();
                let c = self.logs_window(&c, from, latest)?;
                match c {
                    Some(c) => self.get_logs(&c),
                    None => Ok(json!([])),
                }
            }
        }
    }

    /// A log filter's criteria narrowed to blocks `from..=to` (None: nothing in range).
    pub fn logs_window(&self, criteria: &Value, from: u64, to: u64) -> RpcResult<Option<Value>> {
        let mut c = criteria.clone();
        let Value::Object(o) = &mut c else {
            return Err(RpcError::params("filter: expected an object"));
        };
        let bound = |v: Option<&Value>| -> RpcResult<Option<u64>> {
            match v.filter(|v| !v.is_null()) {
                None => Ok(None),
                Some(v) => match parse_block_tag(v, "block")? {
                    BlockTag::Number(n) => Ok(Some(n)),
                    BlockTag::Earliest => Ok(Some(0)),
                    _ => Ok(None),
                },
            }
        };
        let lo = bound(o.get("fromBlock"))?.map_or(from, |n| n.max(from));
        let hi = bound(o.get("toBlock"))?.map_or(to, |n| n.min(to));
        if lo > hi {
            return Ok(None);
        }
        o.insert("fromBlock".into(), qty(lo));
        o.insert("toBlock".into(), qty(hi));
        Ok(Some(c))
    }

    // ---- transactions -------------------------------------------------------------------

    fn send_raw(&mut self, raw: &[u8]) -> RpcResult<B256> {
        if raw.is_empty() {
            return Err(RpcError::server("empty transaction"));
        }
        let env = TxEnvelope::decode_2718(&mut &raw[..])
            .map_err(|e| RpcError::server(format!("failed to decode signed transaction: {e}")))?;
        let from = env
            .recover_signer()
            .map_err(|_| RpcError::server("invalid sender: invalid signature"))?;
        self.submit(env, from)
    }

    /// Checks a signed transaction the way geth's pool does (with its messages), then mines it.
    fn submit(&mut self, env: TxEnvelope, from: Address) -> RpcResult<B256> {
        if !matches!(
            env,
            TxEnvelope::Legacy(_) | TxEnvelope::Eip2930(_) | TxEnvelope::Eip1559(_)
        ) {
            return Err(RpcError::server(format!(
                "transaction type {} not supported",
                env.tx_type() as u8
            )));
        }
        if let Some(id) = env.chain_id() {
            if id != self.settings.chain_id {
                return Err(RpcError::server(format!(
                    "invalid chain id for signer: have {id} want {}",
                    self.settings.chain_id
                )));
            }
        }
        let hash = *env.tx_hash();
        if self.chain.receipt(hash).is_some() {
            return Err(RpcError::server("already known"));
        }
        let gas = env.gas_limit();
        if gas > self.settings.tx_gas_cap {
            return Err(RpcError::server(format!(
                "exceeds block gas limit: gas {gas}, max per transaction {}",
                self.settings.tx_gas_cap
            )));
        }
        let intrinsic = Devnet::intrinsic_gas(&env);
        if gas < intrinsic {
            return Err(RpcError::server(format!(
                "intrinsic gas too low: gas {gas}, minimum needed {intrinsic}"
            )));
        }
        let max_fee = env.max_fee_per_gas();
        let basefee = self.basefee() as u128;
        if max_fee < basefee {
            return Err(RpcError::server(format!("max fee per gas less than block base fee: address {from}, maxFeePerGas: {max_fee}, baseFee: {basefee}")));
        }
        if let Some(tip) = env.max_priority_fee_per_gas() {
            if tip > max_fee {
                return Err(RpcError::server(format!("max priority fee per gas higher than max fee per gas: address {from}, maxPriorityFeePerGas: {tip}, maxFeePerGas: {max_fee}")));
            }
        }
        self.expire_queue();
        let state_nonce = self.chain.nonce(from);
        match env.nonce() {
            n if n < state_nonce => {
                return Err(RpcError::server(format!(
                    "nonce too low: next nonce {state_nonce}, tx nonce {n}"
                )))
            }
            n if n > state_nonce && self.settings.queue_timeout.is_zero() => {
                return Err(RpcError::server(format!(
                    "nonce too high: next nonce {state_nonce}, tx nonce {n} (nonce queue disabled)"
                )))
            }
            n if n > state_nonce => return self.enqueue(env, from, hash),
            _ => {}
        }
        self.execute(env, from, hash)?;
        self.promote(from);
        Ok(hash)
    }

    /// Mines the queued transactions of `from` whose gap has filled, in nonce order; a queued
    /// transaction that no longer passes the checks (e.g. the balance fell) is dropped.
    fn promote(&mut self, from: Address) {
        loop {
            let next = self.chain.nonce(from);
            let Some(q) = self.queue.get_mut(&from) else {
                return;
            };
            // anything below the account's nonce can never be mined
            while let Some((&n, _)) = q.first_key_value() {
                if n >= next {
                    break;
                }
                q.pop_first();
            }
            let item = q.remove(&next);
            if q.is_empty() {
                self.queue.remove(&from);
            }
            let Some(item) = item else { return };
            if let Err(e) = self.execute(item.env, from, item.hash) {
                if self.settings.log {
                    println!(
                        "    Dropped queued transaction {:#x}: {}",
                        item.hash, e.message
                    );
                }
                return;
            }
        }
    }

    /// Drops queued transactions older than the queue timeout.
    pub fn expire_queue(&mut self) {
        if self.queue.is_empty() {
            return;
        }
        let timeout = self.settings.queue_timeout;
        let log = self.settings.log;
        self.queue.retain(|_, q| {
            q.retain(|_, t| {
                let keep = t.at.elapsed() < timeout;
                if !keep && log {
                    println!(
                        "    Dropped queued transaction {:#x}: nonce gap not filled in time",
                        t.hash
                    );
                }
                keep
            });
            !q.is_empty()
        });
    }

    /// Holds a nonce-gapped transaction (as Nitro's sequencer does) until the gap fills.
    fn enqueue(&mut self, env: TxEnvelope, from: Address, hash: B256) -> RpcResult<B256> {
        self.expire_queue();
        // geth's pool checks the balance of queued transactions too
        let want = U256::from(env.gas_limit()) * U256::from(env.max_fee_per_gas()) + env.value();
        let have = self.chain.balance(from);
        if have < want {
            return Err(RpcError::server(format!("insufficient funds for gas * price + value: address {from} have {have} want {want}")));
        }
        let n = env.nonce();
        let total: usize = self.queue.values().map(|q| q.len()).sum();
        let q = self.queue.entry(from).or_default();
        if let Some(old) = q.get(&n) {
            if old.hash == hash {
                return Err(RpcError::server("already known"));
            }
            let old_fee = old.env.max_fee_per_gas();
            if env.max_fee_per_gas() < old_fee + old_fee / 10 {
                return Err(RpcError::server("replacement transaction underpriced"));
            }
        } else if q.len() >= QUEUE_PER_ACCOUNT || total >= QUEUE_TOTAL {
            let state_nonce = self.chain.nonce(from);
            return Err(RpcError::server(format!(
                "nonce too high: next nonce {state_nonce}, tx nonce {n} (queue of nonce-gapped transactions full)"
            )));
        }
        q.insert(
            n,
            Queued {
                env,
                hash,
                at: Instant::now(),
            },
        );
        if self.settings.log {
            println!("    Queued transaction {hash:#x} (nonce {n} waits for the gap to fill)\n");
        }
        Ok(hash)
    }

    /// Balance check, then mining of a transaction whose nonce is the account's next one.
    fn execute(&mut self, env: TxEnvelope, from: Address, hash: B256) -> RpcResult<()> {
        let gas = env.gas_limit();
        let max_fee = env.max_fee_per_gas();
        let want = U256::from(gas) * U256::from(max_fee) + env.value();
        let have = self.chain.balance(from);
        if have < want {
            return Err(RpcError::server(format!("insufficient funds for gas * price + value: address {from} have {have} want {want}")));
        }
        self.prepare_time();
        let receipt = self.chain.send_recovered(env, from).map_err(|e| match e {
            TxError::Invalid(m) => RpcError::server(simplify_invalid(&m)),
            other => RpcError::server(other.to_string()),
        })?;
        self.after_mine();
        if self.settings.log {
            let status = if receipt.status {
                "success".to_string()
            } else {
                format!("failed ({})", failure_reason(&receipt))
            };
            println!("    Transaction: {hash:#x}");
            if let Some(a) = receipt.contract_address {
                println!("    Contract created: {a}");
            }
            println!(
                "    Block: {}  Gas used: {}  Status: {status}\n",
                receipt.block_number, receipt.gas_used
            );
        }
        Ok(())
    }

    fn send_transaction(&mut self, v: &Value) -> RpcResult<B256> {
        let Value::Object(o) = v else {
            return Err(RpcError::params("transaction: expected an object"));
        };
        let get = |k: &str| o.get(k).filter(|v| !v.is_null());
        let from = parse_address(
            get("from").ok_or_else(|| RpcError::params("transaction: missing \"from\""))?,
            "from",
        )?;
        let Some(account) = self.accounts.iter().find(|a| a.address == from).cloned() else {
            return Err(RpcError::server(format!("unknown account {from}: eth_sendTransaction signs only for the devnet's accounts (eth_accounts)")));
        };
        if let Some(id) = get("chainId")
            .map(|v| parse_u64(v, "chainId"))
            .transpose()?
        {
            if id != self.settings.chain_id {
                return Err(RpcError::server(format!(
                    "invalid chain id for signer: have {id} want {}",
                    self.settings.chain_id
                )));
            }
        }
        let mut req = self.parse_call(v)?;
        let nonce = get("nonce")
            .map(|v| parse_u64(v, "nonce"))
            .transpose()?
            .unwrap_or_else(|| self.chain.nonce(from));
        let gas = match get("gas") {
            Some(g) => parse_u64(g, "gas")?,
            None => {
                req.gas = Some(self.settings.tx_gas_cap.min(self.settings.call_gas_cap));
                self.prepare_time();
                self.chain
                    .estimate_gas(&req)
                    .map_err(|r| call_error(&r, true, req.gas.unwrap_or_default()))?
            }
        };
        let access_list: AccessList = match get("accessList") {
            Some(v) => parse_access_list(v)?,
            None => AccessList::default(),
        };
        let kind = req.to.map(TxKind::Call).unwrap_or(TxKind::Create);
        let ty = get("type").map(|v| parse_u64(v, "type")).transpose()?;
        let gas_price = get("gasPrice")
            .map(|v| parse_u128(v, "gasPrice"))
            .transpose()?;
        let basefee = self.basefee() as u128;
        let ty = ty.unwrap_or(match (gas_price, access_list.is_empty()) {
            (Some(_), true) => 0,
            (Some(_), false) => 1,
            (None, _) => 2,
        });
        let env: TxEnvelope = match ty {
            0 => {
                if !access_list.is_empty() {
                    return Err(RpcError::params(
                        "a legacy (type 0) transaction has no access list",
                    ));
                }
                let tx = TxLegacy {
                    chain_id: Some(self.settings.chain_id),
                    nonce,
                    gas_price: gas_price.unwrap_or(basefee),
                    gas_limit: gas,
                    to: kind,
                    value: req.value,
                    input: req.data.clone(),
                };
                let sig = account.sign_hash(tx.signature_hash());
                tx.into_signed(sig).into()
            }
            1 => {
                let tx = TxEip2930 {
                    chain_id: self.settings.chain_id,
                    nonce,
                    gas_price: gas_price.unwrap_or(basefee),
                    gas_limit: gas,
                    to: kind,
                    value: req.value,
                    access_list,
                    input: req.data.clone(),
                };
                let sig = account.sign_hash(tx.signature_hash());
                tx.into_signed(sig).into()
            }
            2 => {
                let tip = get("maxPriorityFeePerGas")
                    .map(|v| parse_u128(v, "maxPriorityFeePerGas"))
                    .transpose()?
                    .unwrap_or(0);
                let max_fee = match get("maxFeePerGas") {
                    Some(v) => parse_u128(v, "maxFeePerGas")?,
                    None => gas_price.unwrap_or(basefee.saturating_mul(2).saturating_add(tip)),
                };
                let tx = TxEip1559 {
                    chain_id: self.settings.chain_id,
                    nonce,
                    gas_limit: gas,
                    max_fee_per_gas: max_fee,
                    max_priority_fee_per_gas: tip,
                    to: kind,
                    value: req.value,
                    access_list,
                    input: req.data.clone(),
                };
                let sig = account.sign_hash(tx.signature_hash());
                tx.into_signed(sig).into()
            }
            t => {
                return Err(RpcError::server(format!(
                    "transaction type {t} not supported"
                )))
            }
        };
        self.submit(env, from)
    }

    // ---- logs ---------------------------------------------------------------------------

    pub fn get_logs(&self, v: &Value) -> RpcResult {
        let Value::Object(o) = v else {
            return Err(RpcError::params("filter: expected an object"));
        };
        let get = |k: &str| o.get(k).filter(|v| !v.is_null());
        let (from, to) = if let Some(h) = get("blockHash") {
            if get("fromBlock").is_some() || get("toBlock").is_some() {
                return Err(RpcError::params(
                    "filter: blockHash together with fromBlock/toBlock",
                ));
            }
            let h = parse_b256(h, "blockHash")?;
            let n = self
                .chain
                .block_by_hash(&h)
                .map(|b| b.number)
                .ok_or_else(|| RpcError::server("unknown block"))?;
            (n, n)
        } else {
            let resolve = |v: Option<&Value>| -> RpcResult<u64> {
                Ok(
                    match v
                        .map(|v| parse_block_tag(v, "block"))
                        .transpose()?
                        .unwrap_or(BlockTag::Latest)
                    {
                        BlockTag::Earliest => 0,
                        BlockTag::Number(n) => n.min(self.latest()),
                        BlockTag::Hash(h) => self
                            .chain
                            .block_by_hash(&h)
                            .map(|b| b.number)
                            .ok_or_else(|| RpcError::server("unknown block"))?,
                        _ => self.latest(),
                    },
                )
            };
            let from_raw = get("fromBlock")
                .map(|v| parse_block_tag(v, "fromBlock"))
                .transpose()?;
            if let Some(BlockTag::Number(n)) = from_raw {
                if n > self.latest() {
                    return Ok(json!([]));
                }
            }
            let (from, to) = (resolve(get("fromBlock"))?, resolve(get("toBlock"))?);
            if from > to {
                return Err(RpcError::server("invalid block range params"));
            }
            (from, to)
        };
        let addresses: Vec<Address> = match get("address") {
            None => vec![],
            Some(Value::Array(a)) => a
                .iter()
                .map(|v| parse_address(v, "address"))
                .collect::<RpcResult<_>>()?,
            Some(v) => vec![parse_address(v, "address")?],
        };
        let topics: Vec<Option<Vec<B256>>> = match get("topics") {
            None => vec![],
            Some(Value::Array(t)) => {
                if t.len() > 4 {
                    return Err(RpcError::params("filter: more than 4 topics"));
                }
                t.iter()
                    .map(|e| match e {
                        Value::Null => Ok(None),
                        Value::Array(alts) if alts.is_empty() => Ok(None),
                        Value::Array(alts) => alts
                            .iter()
                            .map(|a| parse_b256(a, "topic"))
                            .collect::<RpcResult<Vec<_>>>()
                            .map(Some),
                        other => parse_b256(other, "topic").map(|t| Some(vec![t])),
                    })
                    .collect::<RpcResult<_>>()?
            }
            Some(_) => return Err(RpcError::params("filter: topics must be an array")),
        };
        let mut out = Vec::new();
        for n in from..=to {
            let Some(block) = self.chain.block(n) else {
                break;
            };
            let mut log_index = 0u64;
            for txh in &block.transactions {
                let Some(r) = self.chain.receipt(*txh) else {
                    continue;
                };
                for log in &r.logs {
                    let i = log_index;
                    log_index += 1;
                    if !addresses.is_empty() && !addresses.contains(&log.address) {
                        continue;
                    }
                    let t = log.data.topics();
                    let ok = topics.iter().enumerate().all(|(k, want)| match want {
                        None => true,
                        Some(alts) => t.get(k).is_some_and(|x| alts.contains(x)),
                    });
                    if ok {
                        if out.len() >= self.settings.max_logs {
                            return Err(RpcError::new(
                                code::LIMIT_EXCEEDED,
                                format!(
                                    "query returned more than {} results",
                                    self.settings.max_logs
                                ),
                            ));
                        }
                        out.push(log_json(log, block, r, i));
                    }
                }
            }
        }
        Ok(Value::Array(out))
    }

    fn fee_history(&self, p: &Params<'_>) -> RpcResult {
        p.at_most(3)?;
        let count = parse_u64(p.req(0, "blockCount")?, "blockCount")?.min(1024);
        let newest = self.state_block(Some(p.req(1, "newestBlock")?))?;
        let percentiles: Option<Vec<f64>> = match p.opt(2) {
            None => None,
            Some(Value::Array(a)) => {
                let v: Vec<f64> = a
                    .iter()
                    .map(|x| {
                        x.as_f64()
                            .ok_or_else(|| RpcError::params("rewardPercentiles: expected numbers"))
                    })
                    .collect::<RpcResult<_>>()?;
                if v.len() > 100
                    || v.iter().any(|x| !(0.0..=100.0).contains(x))
                    || v.windows(2).any(|w| w[0] > w[1])
                {
                    return Err(RpcError::params(
                        "rewardPercentiles: must be at most 100 increasing values in [0, 100]",
                    ));
                }
                Some(v)
            }
            Some(_) => return Err(RpcError::params("rewardPercentiles: expected an array")),
        };
        let count = count.min(newest + 1);
        let oldest = newest + 1 - count;
        let basefee = self.basefee();
        let limit = self.chain.config().block_gas_limit as f64;
        let mut ratios = Vec::new();
        let mut rewards = Vec::new();
        for n in oldest..=newest {
            let b = self.chain.block(n).expect("block in range");
            if count > 0 {
                ratios.push(json!(b.gas_used as f64 / limit));
            }
            if let Some(ps) = &percentiles {
                // geth weighs tips by gas used: ArbOS's startBlock (no gas) counts for nothing,
                // the block's own transaction (last) for all.
                let tip = b
                    .transactions
                    .last()
                    .and_then(|h| self.chain.receipt(*h))
                    .map(|r| r.effective_gas_price.saturating_sub(basefee as u128))
                    .unwrap_or(0);
                rewards.push(Value::Array(ps.iter().map(|_| qty(tip)).collect()));
            }
        }
        let mut out = Map::new();
        out.insert("oldestBlock".into(), qty(oldest));
        out.insert(
            "baseFeePerGas".into(),
            Value::Array((0..=count).map(|_| qty(basefee)).collect()),
        );
        out.insert("gasUsedRatio".into(), Value::Array(ratios));
        out.insert(
            "baseFeePerBlobGas".into(),
            Value::Array((0..=count).map(|_| qty(1u64)).collect()),
        );
        out.insert(
            "blobGasUsedRatio".into(),
            Value::Array((0..count).map(|_| json!(0.0)).collect()),
        );
        if percentiles.is_some() {
            out.insert("reward".into(), Value::Array(rewards));
        }
        Ok(Value::Object(out))
    }

    // ---- JSON views ---------------------------------------------------------------------

    fn receipt_json(&self, r: &Receipt) -> Value {
        let block = self.chain.block(r.block_number);
        let logs: Vec<Value> = match block {
            Some(b) => r
                .logs
                .iter()
                .enumerate()
                .map(|(i, l)| log_json(l, b, r, i as u64))
                .collect(),
            None => vec![],
        };
        json!({
            "transactionHash": hash(&r.tx_hash),
            "transactionIndex": qty(r.transaction_index),
            "blockHash": hash(&r.block_hash),
            "blockNumber": qty(r.block_number),
            "from": addr(&r.from),
            "to": r.to.as_ref().map(addr),
            "cumulativeGasUsed": qty(r.cumulative_gas_used),
            "gasUsed": qty(r.gas_used),
            "contractAddress": r.contract_address.as_ref().map(addr),
            "logs": logs,
            "logsBloom": data(r.logs_bloom.as_slice()),
            "type": qty(r.tx_type as u64),
            "status": if r.status { "0x1" } else { "0x0" },
            "effectiveGasPrice": qty(r.effective_gas_price),
            "gasUsedForL1": "0x0",
            "l1BlockNumber": qty(block.map(|b| b.l1_block_number).unwrap_or(0)),
        })
    }

    /// A transaction still waiting in the nonce queue: no block yet, as geth shows pending ones.
    fn queued_tx_json(&self, h: &B256) -> Option<Value> {
        for (from, q) in &self.queue {
            for t in q.values() {
                if t.hash == *h {
                    let mut v = self.envelope_json(h, &t.env, *from, None)?;
                    v["blockHash"] = Value::Null;
                    v["blockNumber"] = Value::Null;
                    v["transactionIndex"] = Value::Null;
                    return Some(v);
                }
            }
        }
        None
    }

    fn tx_json(&self, h: &B256) -> Option<Value> {
        let raw = self.chain.raw_transaction(h)?;
        let receipt = self.chain.receipt(*h)?;
        if let Some(tx) = InternalTx::decode(raw) {
            return Some(internal_tx_json(h, &tx, receipt));
        }
        let env = TxEnvelope::decode_2718(&mut &raw[..]).ok()?;
        self.envelope_json(h, &env, receipt.from, Some(receipt))
    }

    fn envelope_json(
        &self,
        h: &B256,
        env: &TxEnvelope,
        from: Address,
        receipt: Option<&Receipt>,
    ) -> Option<Value> {
        let env = env.clone();
        let (block_hash, block_number, index, price) = match receipt {
            Some(r) => (
                r.block_hash,
                r.block_number,
                r.transaction_index,
                r.effective_gas_price,
            ),
            None => (B256::ZERO, 0, 0, env.max_fee_per_gas()),
        };
        let sig = env.signature();
        let mut o = Map::new();
        o.insert("hash".into(), hash(h));
        o.insert("type".into(), qty(env.tx_type() as u8 as u64));
        o.insert("nonce".into(), qty(env.nonce()));
        o.insert("blockHash".into(), hash(&block_hash));
        o.insert("blockNumber".into(), qty(block_number));
        o.insert("transactionIndex".into(), qty(index));
        o.insert("from".into(), addr(&from));
        o.insert(
            "to".into(),
            env.to().as_ref().map(addr).unwrap_or(Value::Null),
        );
        o.insert("value".into(), qty_u256(env.value()));
        o.insert("gas".into(), qty(env.gas_limit()));
        o.insert("input".into(), data(env.input()));
        o.insert("r".into(), qty_u256(sig.r()));
        o.insert("s".into(), qty_u256(sig.s()));
        let parity = sig.v() as u64;
        match &env {
            TxEnvelope::Legacy(_) => {
                let v = match env.chain_id() {
                    Some(id) => 35 + 2 * id + parity,
                    None => 27 + parity,
                };
                o.insert("v".into(), qty(v));
                o.insert("gasPrice".into(), qty(env.max_fee_per_gas()));
            }
            _ => {
                o.insert("v".into(), qty(parity));
                o.insert("yParity".into(), qty(parity));
                o.insert("accessList".into(), access_list_json(env.access_list()));
            }
        }
        if let Some(id) = env.chain_id() {
            o.insert("chainId".into(), qty(id));
        }
        match &env {
            TxEnvelope::Eip1559(_) => {
                o.insert("maxFeePerGas".into(), qty(env.max_fee_per_gas()));
                o.insert(
                    "maxPriorityFeePerGas".into(),
                    qty(env.max_priority_fee_per_gas().unwrap_or(0)),
                );
                o.insert("gasPrice".into(), qty(price));
            }
            TxEnvelope::Eip2930(_) => {
                o.insert("gasPrice".into(), qty(env.max_fee_per_gas()));
            }
            _ => {}
        }
        Some(Value::Object(o))
    }

    pub fn block_json(&self, b: &BlockInfo, full: bool) -> Value {
        let txs: Vec<Value> = if full {
            b.transactions
                .iter()
                .filter_map(|h| self.tx_json(h))
                .collect()
        } else {
            b.transactions.iter().map(hash).collect()
        };
        let size = 600
            + b.transactions
                .iter()
                .filter_map(|h| self.chain.raw_transaction(h))
                .map(|r| r.len() as u64)
                .sum::<u64>();
        json!({
            "hash": hash(&b.hash),
            "parentHash": hash(&b.parent_hash),
            "sha3Uncles": hash(&EMPTY_OMMERS),
            "miner": addr(&self.chain.config().coinbase),
            "stateRoot": hash(&b.state_root),
            "transactionsRoot": hash(&b.transactions_root),
            "receiptsRoot": hash(&b.receipts_root),
            "logsBloom": data(b.logs_bloom.as_slice()),
            "difficulty": "0x1",
            "totalDifficulty": qty(b.number + 1),
            "number": qty(b.number),
            "gasLimit": qty(self.chain.config().block_gas_limit),
            "gasUsed": qty(b.gas_used),
            "timestamp": qty(b.timestamp),
            "extraData": hash(&block::SEND_ROOT),
            "mixHash": hash(&block::mix_hash(b.l1_block_number)),
            "nonce": "0x0000000000000000",
            "baseFeePerGas": qty(self.basefee()),
            "size": qty(size),
            "uncles": [],
            "transactions": txs,
            "l1BlockNumber": qty(b.l1_block_number),
            "sendCount": "0x0",
            "sendRoot": hash(&block::SEND_ROOT),
        })
    }
}

/// Nitro's JSON for its ArbitrumInternalTx: ArbOS to itself, no gas, no price, no signature.
fn internal_tx_json(h: &B256, tx: &InternalTx, r: &Receipt) -> Value {
    json!({
        "hash": hash(h),
        "type": qty(block::INTERNAL_TX_TYPE as u64),
        "chainId": qty(tx.chain_id),
        "nonce": "0x0",
        "blockHash": hash(&r.block_hash),
        "blockNumber": qty(r.block_number),
        "transactionIndex": qty(r.transaction_index),
        "from": addr(&block::ARBOS_ADDRESS),
        "to": addr(&block::ARBOS_ADDRESS),
        "value": "0x0",
        "gas": "0x0",
        "gasPrice": "0x0",
        "input": data(&tx.data),
        "v": "0x0",
        "r": "0x0",
        "s": "0x0",
    })
}

/// `eth_getProof`'s answer, in geth's field names.
fn proof_json(p: &block::AccountProof) -> Value {
    json!({
        "address": addr(&p.address),
        "accountProof": p.account_proof.iter().map(|n| data(n)).collect::<Vec<_>>(),
        "balance": qty_u256(p.balance),
        "codeHash": hash(&p.code_hash),
        "nonce": qty(p.nonce),
        "storageHash": hash(&p.storage_hash),
        "storageProof": p.storage_proofs.iter().map(|s| json!({
            "key": hash(&s.key),
            "value": qty_u256(s.value),
            "proof": s.proof.iter().map(|n| data(n)).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}

fn access_list_json(al: Option<&AccessList>) -> Value {
    Value::Array(
        al.map(|l| {
            l.0.iter()
                .map(|i| json!({ "address": addr(&i.address), "storageKeys": i.storage_keys.iter().map(hash).collect::<Vec<_>>() }))
                .collect()
        })
        .unwrap_or_default(),
    )
}

fn parse_access_list(v: &Value) -> RpcResult<AccessList> {
    let Value::Array(items) = v else {
        return Err(RpcError::params("accessList: expected an array"));
    };
    let mut out = Vec::new();
    for it in items {
        let Value::Object(o) = it else {
            return Err(RpcError::params("accessList: expected objects"));
        };
        let address = parse_address(
            o.get("address").unwrap_or(&Value::Null),
            "accessList address",
        )?;
        let keys = match o.get("storageKeys") {
            Some(Value::Array(k)) => k
                .iter()
                .map(|x| parse_b256(x, "storageKeys"))
                .collect::<RpcResult<Vec<_>>>()?,
            None | Some(Value::Null) => vec![],
            _ => return Err(RpcError::params("accessList: storageKeys must be an array")),
        };
        out.push(AccessListItem {
            address,
            storage_keys: keys,
        });
    }
    Ok(AccessList(out))
}

fn log_json(log: &alloy_primitives::Log, block: &BlockInfo, r: &Receipt, index: u64) -> Value {
    json!({
        "address": addr(&log.address),
        "topics": log.data.topics().iter().map(hash).collect::<Vec<_>>(),
        "data": data(&log.data.data),
        "blockNumber": qty(block.number),
        "blockHash": hash(&block.hash),
        "blockTimestamp": qty(block.timestamp),
        "transactionHash": hash(&r.tx_hash),
        "transactionIndex": qty(r.transaction_index),
        "logIndex": qty(index),
        "removed": false,
    })
}

/// Why a failed receipt failed, for the log line.
fn failure_reason(r: &Receipt) -> String {
    match &r.halt {
        Some(h) => h.clone(),
        None if r.output.is_empty() => "reverted".into(),
        None => format!(
            "reverted with {}",
            alloy_primitives::hex::encode_prefixed(&r.output[..r.output.len().min(68)])
        ),
    }
}

/// The JSON-RPC error for a failed call or estimate: revert data in `data` with code 3 (what
/// cast and alloy decode custom errors from), geth's messages otherwise.
pub fn call_error(r: &CallResult, estimate: bool, gas: u64) -> RpcError {
    if r.reverted {
        // geth >= 1.15 and Nitro: code 3 with the revert data, "0x" when empty
        let mut msg = "execution reverted".to_string();
        if let Some(reason) = decode_error_string(&r.output).or_else(|| decode_panic(&r.output)) {
            msg = format!("execution reverted: {reason}");
        }
        return RpcError {
            code: code::EXECUTION_REVERTED,
            message: msg,
            data: Some(data(&r.output)),
        };
    }
    let halt = r.halt.clone().unwrap_or_default();
    if halt.starts_with("insufficient funds") {
        return RpcError::server(halt);
    }
    if halt.contains("OutOfGas") {
        if estimate {
            return RpcError::server(format!("gas required exceeds allowance ({gas})"));
        }
        return RpcError::server("out of gas");
    }
    if halt.contains("OpcodeNotFound") || halt.contains("InvalidFEOpcode") {
        return RpcError::server("invalid opcode");
    }
    if halt.contains("StackOverflow") || halt.contains("StackUnderflow") {
        return RpcError::server(format!("stack error: {halt}"));
    }
    RpcError::server(format!("execution halted: {halt}"))
}

/// The tracers `debug_traceTransaction`/`debug_traceCall` serve.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tracer {
    /// geth's struct logger (no `tracer` given): every EVM opcode, with its options.
    Struct(StructLogConfig),
    /// geth's `callTracer`: the transaction's frame and, unless `onlyTopCall`, every frame
    /// below it; with `withLog`, the logs each frame emitted.
    Call { only_top_call: bool, with_log: bool },
    /// Nitro's native `stylusTracer` (`cargo stylus trace --use-native-tracer`).
    Stylus,
    /// The JavaScript hostio tracer `cargo stylus trace`/`simulate` send by default.
    StylusJs,
}

/// The JavaScript tracer of `cargo stylus` (stylus-tools 0.10.10, `src/core/tracing/query.js`,
/// MIT OR Apache-2.0). The devnet runs no JavaScript: it recognises this program and answers
/// what Nitro's JavaScript engine would compute with it from the same hostio trace.
pub const CARGO_STYLUS_JS_TRACER: &str = include_str!("stylus_trace_query.js");

/// Whether `tracer` is `CARGO_STYLUS_JS_TRACER`, up to whitespace (formatting is all a client's
/// copy may change; the program is compared character for character).
fn is_cargo_stylus_js_tracer(tracer: &str) -> bool {
    let program = |s: &str| -> String { s.chars().filter(|c| !c.is_whitespace()).collect() };
    program(tracer) == program(CARGO_STYLUS_JS_TRACER)
}

fn tracer(opts: Option<&Value>) -> RpcResult<Tracer> {
    if let Some(o) = opts {
        if !o.is_object() {
            return Err(RpcError::params("tracer options must be an object"));
        }
    }
    match opts.and_then(|o| o.get("tracer")) {
        None | Some(Value::Null) => struct_log_config(opts).map(Tracer::Struct),
        Some(Value::String(t)) if t == "callTracer" => {
            let config = opts.and_then(|o| o.get("tracerConfig"));
            let flag = |name: &str| match config.and_then(|c| c.get(name)) {
                None | Some(Value::Null) => Ok(false),
                Some(Value::Bool(b)) => Ok(*b),
                Some(_) => Err(RpcError::params(format!("tracerConfig.{name} must be a boolean"))),
            };
            Ok(Tracer::Call {
                only_top_call: flag("onlyTopCall")?,
                with_log: flag("withLog")?,
            })
        }
        Some(Value::String(t)) if t == "stylusTracer" => Ok(Tracer::Stylus),
        Some(Value::String(t)) if is_cargo_stylus_js_tracer(t) => Ok(Tracer::StylusJs),
        Some(Value::String(t)) if t.trim_start().starts_with('{') => Err(RpcError::server(
            "vvv-devnet does not run JavaScript tracers (it recognises only cargo stylus's hostio tracer); use {\"tracer\": \"callTracer\"} or {\"tracer\": \"stylusTracer\"}",
        )),
        Some(Value::String(t)) => Err(RpcError::server(format!(
            "tracer {t:?} is not supported by vvv-devnet (only \"callTracer\" and \"stylusTracer\")"
        ))),
        Some(_) => Err(RpcError::params("tracer must be a string")),
    }
}

/// The struct logger's options (geth's `logger.Config`, at the top level of the trace options).
fn struct_log_config(opts: Option<&Value>) -> RpcResult<StructLogConfig> {
    let flag = |name: &str| match opts.and_then(|o| o.get(name)) {
        None | Some(Value::Null) => Ok(false),
        Some(Value::Bool(b)) => Ok(*b),
        Some(_) => Err(RpcError::params(format!("{name} must be a boolean"))),
    };
    let limit = match opts.and_then(|o| o.get("limit")) {
        None | Some(Value::Null) => 0,
        Some(v) => v
            .as_u64()
            .and_then(|n| usize::try_from(n).ok())
            .ok_or_else(|| RpcError::params("limit must be a non-negative integer"))?,
    };
    Ok(StructLogConfig {
        enable_memory: flag("enableMemory")?,
        disable_stack: flag("disableStack")?,
        disable_storage: flag("disableStorage")?,
        enable_return_data: flag("enableReturnData")?,
        limit,
    })
}

/// geth's struct logger result: the gas used, whether the call failed, its return data (hex
/// without `0x`, as geth writes it; empty when it failed other than by reverting) and one object
/// per opcode, with geth's field names and encodings (stack items as `0x` quantities, memory as
/// 32-byte words and storage as 32-byte hex without `0x`).
fn struct_log_json(r: &CallResult, logs: &[StructLog]) -> Value {
    // geth writes these without 0x
    let hex_plain = |b: &[u8]| alloy_primitives::hex::encode(b);
    let entries: Vec<Value> = logs
        .iter()
        .map(|l| {
            let mut o = json!({
                "pc": l.pc,
                "op": l.op_name(),
                "gas": l.gas,
                "gasCost": l.gas_cost,
                "depth": l.depth,
            });
            let m = o.as_object_mut().expect("an object");
            if let Some(e) = &l.error {
                m.insert("error".into(), json!(e));
            }
            if let Some(stack) = &l.stack {
                m.insert(
                    "stack".into(),
                    json!(stack.iter().map(|v| format!("{v:#x}")).collect::<Vec<_>>()),
                );
            }
            if let Some(d) = l.return_data.as_ref().filter(|d| !d.is_empty()) {
                m.insert("returnData".into(), json!(d));
            }
            if let Some(memory) = &l.memory {
                m.insert(
                    "memory".into(),
                    json!(memory.chunks_exact(32).map(hex_plain).collect::<Vec<_>>()),
                );
            }
            if let Some(storage) = &l.storage {
                let slots: serde_json::Map<String, Value> = storage
                    .iter()
                    .map(|(k, v)| (hex_plain(k.as_slice()), json!(hex_plain(v.as_slice()))))
                    .collect();
                m.insert("storage".into(), Value::Object(slots));
            }
            if l.refund != 0 {
                m.insert("refund".into(), json!(l.refund));
            }
            o
        })
        .collect();
    let return_value = if r.success || r.reverted {
        hex_plain(&r.output)
    } else {
        String::new()
    };
    json!({
        "gas": r.gas_used,
        "failed": !r.success,
        "returnValue": return_value,
        "structLogs": entries,
    })
}

/// The hostio trace as Nitro's `stylusTracer` marshals it: `name`, `args`, `outs`, `startInk`,
/// `endInk`, plus `address` and `steps` for calls. With `js`, as `cargo stylus`'s JavaScript
/// tracer builds it instead: a frame no hostio claimed is the object its `enter` pushed,
/// `{address, steps, name}` without the other fields.
fn hostio_trace_json(records: &[HostioRecord], js: bool) -> Value {
    let list = records
        .iter()
        .map(|r| {
            let mut o = Map::new();
            if r.is_hostio || !js {
                o.insert("name".into(), json!(r.name));
                o.insert("args".into(), data(&r.args));
                o.insert("outs".into(), data(&r.outs));
                o.insert("startInk".into(), json!(r.start_ink));
                o.insert("endInk".into(), json!(r.end_ink));
            }
            if let Some((address, steps)) = &r.frame {
                // Nitro marshals a common.Address (JS: toHex) in lower case
                o.insert("address".into(), json!(format!("{address:#x}")));
                o.insert("steps".into(), hostio_trace_json(steps, js));
            }
            if !r.is_hostio && js {
                o.insert("name".into(), json!(r.name));
            }
            Value::Object(o)
        })
        .collect();
    Value::Array(list)
}

/// geth's `callTracer` frame for the transaction (its gas and `gasUsed` are the transaction's),
/// with the frames it entered (`calls`, omitted when empty, as geth's) and, with `with_log`, the
/// logs of each frame.
fn call_frame_json(req: &CallRequest, r: &CallResult, trace: CallTrace, with_log: bool) -> Value {
    let error = (!r.success).then(|| {
        if r.reverted {
            "execution reverted".to_string()
        } else {
            r.halt.clone().unwrap_or_default()
        }
    });
    let top = CallFrame {
        kind: if req.to.is_some() { "CALL" } else { "CREATE" },
        from: req.from,
        to: req.to.unwrap_or_default(),
        value: Some(req.value),
        // the gas the frame is entered with: the limit less the intrinsic gas, as geth reports
        // it (its `gasUsed` is the transaction's, intrinsic gas included)
        gas: req
            .gas
            .unwrap_or_default()
            .saturating_sub(Devnet::request_intrinsic_gas(req)),
        gas_used: r.gas_used,
        input: req.data.clone(),
        output: r.output.clone(),
        error,
        calls: trace.calls,
        logs: trace.logs,
    };
    let mut o = frame_json(&top, with_log);
    if req.to.is_none() {
        // a creation's top frame has no `to` here (the address is in the receipt)
        if let Some(o) = o.as_object_mut() {
            o.remove("to");
        }
    }
    o
}

/// geth's `callTracer` JSON of a frame and the frames below it.
fn frame_json(f: &CallFrame, with_log: bool) -> Value {
    let mut o = json!({
        "type": f.kind,
        "from": addr(&f.from),
        "to": addr(&f.to),
        "gas": qty(f.gas),
        "gasUsed": qty(f.gas_used),
        "input": data(&f.input),
    });
    if let Some(value) = f.value {
        o["value"] = qty_u256(value);
    }
    if !f.output.is_empty() {
        o["output"] = data(&f.output);
    }
    if let Some(error) = &f.error {
        o["error"] = json!(error);
        // geth decodes the reason of a revert whose data is `Error(string)` or `Panic(uint256)`
        if error == "execution reverted" {
            let reason = decode_error_string(&f.output).or_else(|| decode_panic(&f.output));
            if let Some(reason) = reason {
                o["revertReason"] = json!(reason);
            }
        }
    }
    if !f.calls.is_empty() {
        o["calls"] = f.calls.iter().map(|c| frame_json(c, with_log)).collect();
    }
    if with_log && !f.logs.is_empty() {
        o["logs"] = f
            .logs
            .iter()
            .map(|l| {
                json!({
                    "address": addr(&l.log.address),
                    "topics": l.log.topics(),
                    "data": data(&l.log.data.data),
                    "position": qty(l.position as u64),
                })
            })
            .collect();
    }
    o
}

/// `Panic(uint256)` revert data → geth's reason for the code.
fn decode_panic(out: &[u8]) -> Option<String> {
    if out.len() != 36 || out[..4] != [0x4e, 0x48, 0x7b, 0x71] {
        return None;
    }
    let code = U256::from_be_slice(&out[4..]);
    let reason = match code.saturating_to::<u64>() {
        0x00 => "generic panic",
        0x01 => "assert(false)",
        0x11 => "arithmetic underflow or overflow",
        0x12 => "division or modulo by zero",
        0x21 => "enum overflow",
        0x22 => "invalid encoded storage byte array accessed",
        0x31 => "out-of-bounds array access; popping on an empty array",
        0x32 => "out-of-bounds access of an array or bytesN",
        0x41 => "out of memory",
        0x51 => "uninitialized function",
        _ => return Some(format!("unknown panic code: {code:#x}")),
    };
    Some(reason.to_string())
}

/// `Error(string)` ABI encoding.
fn alloy_sol_error(msg: &str) -> Bytes {
    use vvv_devnet_engine::arbos::Error;
    alloy_sol_types::SolError::abi_encode(&Error {
        message: msg.to_string(),
    })
    .into()
}

/// An engine error as the RPC message (geth's wording where there is one).
fn tx_error_message(e: &TxError) -> String {
    match e {
        TxError::Invalid(m) if m.starts_with("insufficient funds") => m.clone(),
        other => other.to_string(),
    }
}

/// The NodeInterface virtual contract's address.
pub const NODE_INTERFACE: Address =
    alloy_primitives::address!("00000000000000000000000000000000000000c8");

/// `Error(string)` revert data → the string.
fn decode_error_string(out: &[u8]) -> Option<String> {
    if out.len() < 4 + 64 || out[..4] != [0x08, 0xc3, 0x79, 0xa0] {
        return None;
    }
    let body = &out[4..];
    let off = usize::try_from(U256::from_be_slice(&body[..32])).ok()?;
    let len_end = off.checked_add(32)?;
    let len = usize::try_from(U256::from_be_slice(body.get(off..len_end)?)).ok()?;
    let s = body.get(len_end..len_end.checked_add(len)?)?;
    Some(String::from_utf8_lossy(s).into_owned())
}

/// revm's transaction-validation messages in geth's words where clients look for them.
fn simplify_invalid(m: &str) -> String {
    let l = m.to_ascii_lowercase();
    if l.contains("gas floor") || l.contains("intrinsic") || l.contains("call gas cost") {
        return format!("intrinsic gas too low ({m})");
    }
    if l.contains("lack of funds") || l.contains("insufficient") {
        return format!("insufficient funds for gas * price + value ({m})");
    }
    m.to_string()
}

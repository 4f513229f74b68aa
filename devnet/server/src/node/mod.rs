//! The chain behind the server and every JSON-RPC method. A `Node` lives on one executor
//! thread (the engine's state is not `Send`); requests reach it through a channel, so calls are
//! applied one at a time, in order, and a batch is applied as a unit.

mod anvil;
mod convert;
mod debug;
mod errors;
mod eth;
mod logs;
mod request;
mod txpool;

pub use convert::{RpcBlock, RpcReceipt, RpcTransaction};
pub use debug::CARGO_STYLUS_JS_TRACER;
pub use errors::call_error;
pub use eth::NODE_INTERFACE;
pub use logs::{Filter, FilterKind, LogBlocks, LogFilter, FILTER_TIMEOUT, MAX_FILTERS};
pub use request::{CallParams, EthRequest};

use crate::accounts::DevAccount;
use crate::json::*;
use alloy_consensus::TxEnvelope;
use alloy_eips::{BlockId, BlockNumberOrTag};
use alloy_primitives::{Address, U256};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use vvv_devnet_engine::{BlockInfo, ChainDump, ChainSnapshot, Devnet, DevnetConfig, TraceLimits};

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
/// A signed transaction waiting for its nonce gap to fill.
pub struct Queued {
    pub env: TxEnvelope,
    pub hash: alloy_primitives::B256,
    pub at: Instant,
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
    fn state_block(&self, id: Option<BlockId>) -> RpcResult<u64> {
        match id.unwrap_or_default() {
            BlockId::Number(BlockNumberOrTag::Earliest) => Ok(0),
            BlockId::Number(BlockNumberOrTag::Number(n)) if n <= self.latest() => Ok(n),
            BlockId::Number(BlockNumberOrTag::Number(_)) => {
                Err(RpcError::server("header not found"))
            }
            BlockId::Number(_) => Ok(self.latest()),
            BlockId::Hash(h) => self
                .chain
                .block_by_hash(&h.block_hash)
                .map(|b| b.number)
                .ok_or_else(|| RpcError::server("header for hash not found")),
        }
    }

    /// The block a block query refers to (None: no such block, answered with null).
    fn find_block(&self, id: BlockId) -> Option<&BlockInfo> {
        let n = match id {
            BlockId::Number(BlockNumberOrTag::Earliest) => 0,
            BlockId::Number(BlockNumberOrTag::Number(n)) => n,
            BlockId::Number(_) => self.latest(),
            BlockId::Hash(h) => return self.chain.block_by_hash(&h.block_hash),
        };
        self.chain.block(n)
    }

    /// For calls: None = the current state (pending block environment), Some(n) = as of block n.
    fn call_block(&self, id: Option<BlockId>) -> RpcResult<Option<u64>> {
        let head = matches!(
            id,
            None | Some(BlockId::Number(
                BlockNumberOrTag::Latest
                    | BlockNumberOrTag::Pending
                    | BlockNumberOrTag::Safe
                    | BlockNumberOrTag::Finalized
            ))
        );
        if head {
            return Ok(None);
        }
        let n = self.state_block(id)?;
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

    /// Runs one method: its request parsed, then answered.
    pub fn dispatch(&mut self, method: &str, params: &[Value]) -> RpcResult {
        let req = EthRequest::parse(method, params)?;
        self.handle(req)
    }

    /// Answers a parsed request: one method, one function (grouped by module: `eth`, `txpool`,
    /// `logs`, `debug`, `anvil`).
    fn handle(&mut self, req: EthRequest) -> RpcResult {
        use EthRequest as R;
        match req {
            R::ClientVersion => Ok(Value::from(format!(
                "vvv-devnet/v{}",
                env!("CARGO_PKG_VERSION")
            ))),
            R::Sha3(data) => Ok(hash(&alloy_primitives::keccak256(data))),
            R::NetVersion => Ok(Value::from(self.settings.chain_id.to_string())),
            R::NetListening | R::Mining => Ok(Value::Bool(true)),
            R::Syncing => Ok(Value::Bool(false)),
            R::NetPeerCount | R::Hashrate | R::MaxPriorityFeePerGas => Ok(qty(0u64)),
            R::ChainId => Ok(qty(self.settings.chain_id)),
            R::ProtocolVersion => Ok(Value::from("0x41")),
            R::Coinbase => Ok(addr(&self.chain.config().coinbase)),
            R::Accounts => Ok(self.accounts.iter().map(|a| addr(&a.address)).collect()),
            R::BlockNumber => Ok(qty(self.latest())),
            R::GasPrice => Ok(qty(self.basefee())),
            R::BlobBaseFee => Ok(qty(1u64)),
            R::FeeHistory {
                count,
                newest,
                percentiles,
            } => self.fee_history(count, newest, percentiles),
            R::GetBalance(a, b) => Ok(qty_u256(self.chain.balance_at(a, self.state_block(b)?))),
            R::GetTransactionCount(a, b) => Ok(qty(self.chain.nonce_at(a, self.state_block(b)?))),
            R::GetCode(a, b) => Ok(data(&self.chain.code_at(a, self.state_block(b)?))),
            R::GetStorageAt(a, slot, b) => self.get_storage_at(a, slot, b),
            R::GetProof(a, slots, b) => self.get_proof(a, &slots, b),
            R::Call(c) => self.eth_call(*c),
            R::EstimateGas(c) => self.eth_estimate_gas(*c),
            R::CreateAccessList(c) => self.create_access_list(*c),
            R::TraceTransaction(h, tracer) => self.trace_transaction(h, tracer),
            R::TraceCall(c, tracer) => self.trace_call(*c, tracer),
            R::NewFilter(f) => self.install_filter(FilterKind::Logs(f)),
            R::NewBlockFilter => self.install_filter(FilterKind::Blocks),
            R::NewPendingTransactionFilter => self.install_filter(FilterKind::Transactions),
            R::GetFilterChanges(id) => self.filter_changes(id),
            R::GetFilterLogs(id) => self.filter_logs(id),
            R::UninstallFilter(id) => Ok(Value::Bool(self.filters.remove(&id).is_some())),
            R::TxpoolStatus => self.txpool_status(),
            R::SendRawTransaction(raw) => self.send_raw(&raw).map(|h| hash(&h)),
            R::SendTransaction(tx) => self.send_transaction(*tx).map(|h| hash(&h)),
            R::GetTransactionReceipt(h) => self.get_receipt(h),
            R::GetTransactionByHash(h) => self.get_transaction(h),
            R::GetRawTransactionByHash(h) => Ok(self
                .chain
                .raw_transaction(&h)
                .map_or(Value::Null, |r| data(r))),
            R::GetBlock(b, full) => self.get_block(b, full),
            R::GetBlockTransactionCount(b) => Ok(self
                .find_block(b)
                .map_or(Value::Null, |b| qty(b.transactions.len() as u64))),
            R::GetTransactionByBlockAndIndex(b, i) => self.get_transaction_by_index(b, i),
            R::GetBlockReceipts(b) => self.get_block_receipts(b),
            R::GetLogs(f) => to_value(&self.get_logs(&f)?),
            R::IncreaseTime(secs) => self.increase_time(secs),
            R::SetNextBlockTimestamp(ts) => self.set_next_timestamp(ts).map(|()| Value::Null),
            R::EvmMine(count, ts) => self.evm_mine(count, ts),
            R::Mine(count, interval) => self.mine_blocks(count, interval).map(|()| Value::Null),
            R::Snapshot => self.take_snapshot(),
            R::Revert(id) => self.revert_snapshot(id),
            R::SetBalance(a, v) => self.edit(|c| c.set_balance(a, v), Value::Null),
            R::SetNonce(a, v) => self.edit(|c| c.set_nonce(a, v), Value::Null),
            R::SetCode(a, code) => self.edit(|c| c.set_code(a, code), Value::Null),
            R::SetStorageAt(a, slot, v) => {
                self.edit(|c| c.set_storage(a, slot, v), Value::Bool(true))
            }
        }
    }

    fn note(&self, args: std::fmt::Arguments<'_>) {
        if self.settings.log {
            println!("{args}");
        }
    }
}

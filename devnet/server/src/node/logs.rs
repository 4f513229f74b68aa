//! Logs: the `eth_getLogs` filter, installed filters (`eth_newFilter`, block and pending
//! transaction filters, polled with `eth_getFilterChanges`) and the windows the WebSocket `logs`
//! subscriptions read.

use super::Node;
use crate::json::*;
use alloy_eips::{BlockId, BlockNumberOrTag};
use alloy_primitives::{Address, B256};
use alloy_rpc_types_eth::Log;
use serde_json::Value;
use std::time::{Duration, Instant};
use vvv_devnet_engine::block;

/// Most filters installed at once; unpolled filters expire after `FILTER_TIMEOUT` (geth: 5 min).
pub const MAX_FILTERS: usize = 1024;
pub const FILTER_TIMEOUT: Duration = Duration::from_secs(300);

/// An installed filter (`eth_newFilter`, `eth_newBlockFilter`, `eth_newPendingTransactionFilter`).
pub enum FilterKind {
    Logs(LogFilter),
    Blocks,
    Transactions,
}
pub struct Filter {
    pub kind: FilterKind,
    /// Last block whose changes were delivered.
    pub last: u64,
    pub touched: Instant,
}

/// A log filter's criteria. Our own type rather than alloy's `Filter`: the range's bounds may
/// be block hashes here (any block selector is accepted), which alloy's `BlockNumberOrTag`
/// bounds cannot hold.
#[derive(Clone, Debug, PartialEq)]
pub struct LogFilter {
    pub blocks: LogBlocks,
    /// Any of these (all when empty).
    pub addresses: Vec<Address>,
    /// Per position: any of these topics (None: any topic).
    pub topics: Vec<Option<Vec<B256>>>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum LogBlocks {
    /// `blockHash`: that block only.
    Hash(B256),
    /// `fromBlock`..=`toBlock` (each `latest` when absent).
    Range(Option<BlockId>, Option<BlockId>),
}

impl LogFilter {
    pub fn parse(v: &Value) -> RpcResult<Self> {
        let Value::Object(o) = v else {
            return Err(RpcError::params("filter: expected an object"));
        };
        let get = |k: &str| o.get(k).filter(|v| !v.is_null());
        let blocks = if let Some(h) = get("blockHash") {
            if get("fromBlock").is_some() || get("toBlock").is_some() {
                return Err(RpcError::params(
                    "filter: blockHash together with fromBlock/toBlock",
                ));
            }
            LogBlocks::Hash(parse_b256(h, "blockHash")?)
        } else {
            let bound = |k: &str| get(k).map(|v| parse_block_tag(v, k)).transpose();
            LogBlocks::Range(bound("fromBlock")?, bound("toBlock")?)
        };
        let addresses: Vec<Address> = match get("address") {
            None => vec![],
            Some(Value::Array(a)) => a
                .iter()
                .map(|v| parse_address(v, "address"))
                .collect::<RpcResult<_>>()?,
            Some(v) => vec![parse_address(v, "address")?],
        };
        let topics = match get("topics") {
            None => vec![],
            Some(Value::Array(t)) if t.len() > 4 => {
                return Err(RpcError::params("filter: more than 4 topics"))
            }
            Some(Value::Array(t)) => t.iter().map(parse_topic).collect::<RpcResult<_>>()?,
            Some(_) => return Err(RpcError::params("filter: topics must be an array")),
        };
        Ok(Self {
            blocks,
            addresses,
            topics,
        })
    }

    pub fn block_hash(&self) -> Option<B256> {
        match self.blocks {
            LogBlocks::Hash(h) => Some(h),
            LogBlocks::Range(..) => None,
        }
    }

    fn matches(&self, log: &alloy_primitives::Log) -> bool {
        if !self.addresses.is_empty() && !self.addresses.contains(&log.address) {
            return false;
        }
        let t = log.data.topics();
        self.topics.iter().enumerate().all(|(k, want)| match want {
            None => true,
            Some(alts) => t.get(k).is_some_and(|x| alts.contains(x)),
        })
    }
}

/// One position of `topics`: null or `[]` (any), a topic, or alternatives.
fn parse_topic(e: &Value) -> RpcResult<Option<Vec<B256>>> {
    match e {
        Value::Null => Ok(None),
        Value::Array(alts) if alts.is_empty() => Ok(None),
        Value::Array(alts) => alts
            .iter()
            .map(|a| parse_b256(a, "topic"))
            .collect::<RpcResult<Vec<_>>>()
            .map(Some),
        other => parse_b256(other, "topic").map(|t| Some(vec![t])),
    }
}

impl Node {
    pub(super) fn expire_filters(&mut self) {
        self.filters
            .retain(|_, f| f.touched.elapsed() < FILTER_TIMEOUT);
    }

    pub(super) fn install_filter(&mut self, kind: FilterKind) -> RpcResult {
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

    /// `eth_getFilterLogs`: everything a log filter matches (its whole range).
    pub(super) fn filter_logs(&mut self, id: u64) -> RpcResult {
        self.expire_filters();
        let Some(f) = self.filters.get_mut(&id) else {
            return Err(RpcError::server("filter not found"));
        };
        f.touched = Instant::now();
        match &f.kind {
            FilterKind::Logs(c) => {
                let c = c.clone();
                to_value(&self.get_logs(&c)?)
            }
            _ => Err(RpcError::server("filter not found")),
        }
    }

    /// `eth_getFilterChanges`: what happened since the filter was last polled.
    pub(super) fn filter_changes(&mut self, id: u64) -> RpcResult {
        self.expire_filters();
        let latest = self.latest();
        let Some(f) = self.filters.get_mut(&id) else {
            return Err(RpcError::server("filter not found"));
        };
        f.touched = Instant::now();
        let from = f.last + 1;
        f.last = latest;
        if from > latest {
            return Ok(Value::Array(vec![]));
        }
        let kind = match &f.kind {
            FilterKind::Logs(c) => FilterKind::Logs(c.clone()),
            FilterKind::Blocks => FilterKind::Blocks,
            FilterKind::Transactions => FilterKind::Transactions,
        };
        let blocks = (from..=latest).filter_map(|n| self.chain.block(n));
        match kind {
            FilterKind::Blocks => Ok(blocks.map(|b| hash(&b.hash)).collect()),
            // Sent transactions only: ArbOS's internal ones never pass through the pool.
            FilterKind::Transactions => Ok(blocks
                .flat_map(|b| b.transactions.iter())
                .filter(|h| {
                    self.chain
                        .receipt(**h)
                        .is_some_and(|r| r.tx_type != block::INTERNAL_TX_TYPE)
                })
                .map(hash)
                .collect()),
            FilterKind::Logs(c) => match self.logs_window(&c, from, latest)? {
                Some(c) => to_value(&self.get_logs(&c)?),
                None => Ok(Value::Array(vec![])),
            },
        }
    }

    /// A log filter narrowed to blocks `from..=to` (None: nothing in range).
    pub fn logs_window(
        &self,
        filter: &LogFilter,
        from: u64,
        to: u64,
    ) -> RpcResult<Option<LogFilter>> {
        let LogBlocks::Range(lo, hi) = &filter.blocks else {
            return Err(RpcError::params("filter: blockHash is not supported here"));
        };
        let bound = |b: &Option<BlockId>| match b {
            Some(BlockId::Number(BlockNumberOrTag::Number(n))) => Some(*n),
            Some(BlockId::Number(BlockNumberOrTag::Earliest)) => Some(0),
            _ => None,
        };
        let lo = bound(lo).map_or(from, |n| n.max(from));
        let hi = bound(hi).map_or(to, |n| n.min(to));
        if lo > hi {
            return Ok(None);
        }
        Ok(Some(LogFilter {
            blocks: LogBlocks::Range(Some(BlockId::number(lo)), Some(BlockId::number(hi))),
            ..filter.clone()
        }))
    }

    /// The block range a filter covers (None: it starts past the head, so nothing matches).
    fn log_range(&self, filter: &LogFilter) -> RpcResult<Option<(u64, u64)>> {
        let by_hash = |h: &B256| {
            self.chain
                .block_by_hash(h)
                .map(|b| b.number)
                .ok_or_else(|| RpcError::server("unknown block"))
        };
        let (from, to) = match &filter.blocks {
            LogBlocks::Hash(h) => return by_hash(h).map(|n| Some((n, n))),
            LogBlocks::Range(from, to) => (from, to),
        };
        if let Some(BlockId::Number(BlockNumberOrTag::Number(n))) = from {
            if *n > self.latest() {
                return Ok(None);
            }
        }
        let resolve = |b: &Option<BlockId>| -> RpcResult<u64> {
            Ok(match b {
                Some(BlockId::Number(BlockNumberOrTag::Earliest)) => 0,
                Some(BlockId::Number(BlockNumberOrTag::Number(n))) => (*n).min(self.latest()),
                Some(BlockId::Hash(h)) => by_hash(&h.block_hash)?,
                _ => self.latest(),
            })
        };
        let (from, to) = (resolve(from)?, resolve(to)?);
        if from > to {
            return Err(RpcError::server("invalid block range params"));
        }
        Ok(Some((from, to)))
    }

    /// The logs a filter matches, in chain order (at most `max_logs`).
    pub fn get_logs(&self, filter: &LogFilter) -> RpcResult<Vec<Log>> {
        let Some((from, to)) = self.log_range(filter)? else {
            return Ok(vec![]);
        };
        let mut out = Vec::new();
        for n in from..=to {
            let Some(block) = self.chain.block(n) else {
                break;
            };
            let receipts = block
                .transactions
                .iter()
                .filter_map(|h| self.chain.receipt(*h));
            let mut log_index = 0u64;
            for r in receipts {
                for log in &r.logs {
                    let i = log_index;
                    log_index += 1;
                    if !filter.matches(log) {
                        continue;
                    }
                    if out.len() >= self.settings.max_logs {
                        return Err(RpcError::new(
                            code::LIMIT_EXCEEDED,
                            format!(
                                "query returned more than {} results",
                                self.settings.max_logs
                            ),
                        ));
                    }
                    out.push(super::convert::rpc_log(log, block, r, i));
                }
            }
        }
        Ok(out)
    }
}

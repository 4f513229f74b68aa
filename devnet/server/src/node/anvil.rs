//! The devnet's controls (anvil's, hardhat's and ganache's methods): the clock, mining,
//! snapshots, and editing accounts.

use super::{now_secs, Node};
use crate::json::*;
use serde_json::Value;
use vvv_devnet_engine::Devnet;

impl Node {
    pub(super) fn increase_time(&mut self, secs: i64) -> RpcResult {
        self.clock.offset = self.clock.offset.saturating_add(secs);
        if let Some(next) = self.clock.next {
            self.clock.next = Some((next as i64).saturating_add(secs).max(0) as u64);
        }
        self.dirty = true;
        self.note(format_args!(
            "evm_increaseTime {secs}s (offset now {}s)",
            self.clock.offset
        ));
        Ok(Value::from(self.clock.offset))
    }

    pub(super) fn evm_mine(&mut self, count: u64, timestamp: Option<u64>) -> RpcResult {
        if let Some(t) = timestamp {
            self.set_next_timestamp(t)?;
        }
        self.mine_blocks(count, None)?;
        Ok(Value::from("0x0"))
    }

    pub(super) fn take_snapshot(&mut self) -> RpcResult {
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

    /// Back to snapshot `id` (false: no such snapshot); it and the later ones are gone.
    pub(super) fn revert_snapshot(&mut self, id: u64) -> RpcResult {
        let Some((snap, clock)) = self.snapshots.remove(&id) else {
            return Ok(Value::Bool(false));
        };
        self.snapshots.retain(|k, _| *k < id);
        self.chain.restore(snap);
        self.clock = clock;
        self.dirty = true;
        self.note(format_args!(
            "evm_revert {id:#x} to block {}",
            self.latest()
        ));
        Ok(Value::Bool(true))
    }

    /// An edit of the state (`anvil_set*`), answered with `answer`.
    pub(super) fn edit(&mut self, f: impl FnOnce(&mut Devnet), answer: Value) -> RpcResult {
        f(&mut self.chain);
        self.dirty = true;
        Ok(answer)
    }

    pub(super) fn set_next_timestamp(&mut self, ts: u64) -> RpcResult<()> {
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

    pub(super) fn mine_blocks(&mut self, count: u64, interval: Option<u64>) -> RpcResult<()> {
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
}

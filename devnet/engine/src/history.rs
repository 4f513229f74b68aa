//! Per-key state history: what every account and storage slot held before each block changed
//! it, so state can be read (and calls run) "as of" any past block.
//!
//! Every change is stamped with a block number: changes made by the transaction of block `B`
//! carry stamp `B`; direct edits (`set_balance`, …) made while block `N` is the latest carry
//! stamp `N` (they become part of block `N`'s state, like anvil's `anvil_setBalance`). The state
//! as of block `N` is the current state with every change stamped `> N` undone. For each key only
//! the first old value per stamp is kept (later changes in the same stamp are superseded).

use alloy_primitives::{Address, B256, U256};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The parts of an account that history tracks (code by hash; bytecode lives in the code table).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountRecord {
    pub balance: U256,
    pub nonce: u64,
    pub code_hash: B256,
}

/// One account's old values, per stamp (`None`: the account did not exist).
pub type AccountEntries = Vec<(u64, Option<AccountRecord>)>;
/// One slot's old values, per stamp.
pub type SlotEntries = Vec<(u64, U256)>;
/// What changed since a block: accounts with their old values, and (account, slot, old value).
pub type Changes = (
    Vec<(Address, Option<AccountRecord>)>,
    Vec<(Address, U256, U256)>,
);

/// Old values of accounts (`None`: the account did not exist) and storage slots, per stamp.
#[derive(Clone, Debug, Default)]
pub struct History {
    pub(crate) accounts: HashMap<Address, AccountEntries>,
    pub(crate) storage: HashMap<Address, HashMap<U256, SlotEntries>>,
}

/// Serializable form of [`History`].
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct HistoryDump {
    pub accounts: Vec<(Address, AccountEntries)>,
    pub storage: Vec<(Address, U256, SlotEntries)>,
}

fn first_after<T>(entries: &[(u64, T)], block: u64) -> Option<&T> {
    let i = entries.partition_point(|(stamp, _)| *stamp <= block);
    entries.get(i).map(|(_, v)| v)
}

impl History {
    pub fn record_account(&mut self, addr: Address, stamp: u64, old: Option<AccountRecord>) {
        let entries = self.accounts.entry(addr).or_default();
        if entries.last().is_some_and(|(s, _)| *s >= stamp) {
            return;
        }
        entries.push((stamp, old));
    }

    pub fn record_slot(&mut self, addr: Address, slot: U256, stamp: u64, old: U256) {
        let entries = self
            .storage
            .entry(addr)
            .or_default()
            .entry(slot)
            .or_default();
        if entries.last().is_some_and(|(s, _)| *s >= stamp) {
            return;
        }
        entries.push((stamp, old));
    }

    /// The account as of block `block`: `None` if it has not changed since (read the current
    /// state), `Some(old)` otherwise.
    pub fn account_at(&self, addr: &Address, block: u64) -> Option<Option<&AccountRecord>> {
        self.accounts
            .get(addr)
            .and_then(|e| first_after(e, block))
            .map(|o| o.as_ref())
    }

    /// The slot as of block `block`: `None` if unchanged since.
    pub fn slot_at(&self, addr: &Address, slot: &U256, block: u64) -> Option<U256> {
        self.storage
            .get(addr)
            .and_then(|s| s.get(slot))
            .and_then(|e| first_after(e, block))
            .copied()
    }

    /// Every account and slot whose value as of `block` differs from the current one.
    pub fn changed_since(&self, block: u64) -> Changes {
        let mut accounts = Vec::new();
        for (addr, e) in &self.accounts {
            if let Some(old) = first_after(e, block) {
                accounts.push((*addr, old.clone()));
            }
        }
        let mut slots = Vec::new();
        for (addr, s) in &self.storage {
            for (slot, e) in s {
                if let Some(old) = first_after(e, block) {
                    slots.push((*addr, *slot, *old));
                }
            }
        }
        (accounts, slots)
    }

    pub fn dump(&self) -> HistoryDump {
        let mut accounts: Vec<_> = self.accounts.iter().map(|(a, e)| (*a, e.clone())).collect();
        accounts.sort_by_key(|(a, _)| *a);
        let mut storage: Vec<_> = self
            .storage
            .iter()
            .flat_map(|(a, s)| s.iter().map(move |(k, e)| (*a, *k, e.clone())))
            .collect();
        storage.sort_by_key(|(a, k, _)| (*a, *k));
        HistoryDump { accounts, storage }
    }

    pub fn load(d: HistoryDump) -> Self {
        let mut h = History::default();
        for (a, e) in d.accounts {
            h.accounts.insert(a, e);
        }
        for (a, k, e) in d.storage {
            h.storage.entry(a).or_default().insert(k, e);
        }
        h
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_as_of_block() {
        let mut h = History::default();
        let a = Address::repeat_byte(1);
        let k = U256::from(7);
        // block 3 changed the slot from 0, block 5 from 10 (twice: the first old value counts)
        h.record_slot(a, k, 3, U256::ZERO);
        h.record_slot(a, k, 5, U256::from(10));
        h.record_slot(a, k, 5, U256::from(11));
        assert_eq!(h.slot_at(&a, &k, 0), Some(U256::ZERO));
        assert_eq!(h.slot_at(&a, &k, 2), Some(U256::ZERO));
        assert_eq!(h.slot_at(&a, &k, 3), Some(U256::from(10)));
        assert_eq!(h.slot_at(&a, &k, 4), Some(U256::from(10)));
        assert_eq!(h.slot_at(&a, &k, 5), None);
        h.record_account(a, 2, None);
        assert_eq!(h.account_at(&a, 1), Some(None));
        assert_eq!(h.account_at(&a, 2), None);
        let (acc, slots) = h.changed_since(3);
        assert!(acc.is_empty());
        assert_eq!(slots, vec![(a, k, U256::from(10))]);
        let h2 = History::load(h.dump());
        assert_eq!(h2.slot_at(&a, &k, 4), Some(U256::from(10)));
    }
}

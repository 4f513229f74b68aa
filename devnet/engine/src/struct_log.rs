//! geth's struct logger, the default tracer of `debug_traceTransaction`/`debug_traceCall` (no
//! `tracer` given): one entry per EVM opcode executed, with the program counter, the opcode, the
//! gas left before it and what it cost, the call depth, the stack, and on request the memory and
//! the return data; `SLOAD`/`SSTORE` entries carry the slots of the executing contract seen so
//! far (geth's `eth/tracers/logger/logger.go`, which Nitro uses unchanged).
//!
//! Stylus programs execute no opcodes: as on Nitro, a program's work shows only in the gas of the
//! opcode that called it, and the EVM code it calls in turn is logged at its depth. The engine's
//! frame loop steps the interpreter one opcode at a time while any trace is recorded
//! (`evm::frame_run_stepped`); untraced execution runs revm's own loop. Size is bounded by
//! [`TraceLimits`] as the other traces are.

use std::collections::{BTreeMap, HashMap};

use alloy_primitives::{Address, Bytes, B256, U256};

use crate::trace::{Budget, TraceError, TraceLimits};

/// The options of geth's `logger.Config` a client may set (top level of the trace options).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StructLogConfig {
    pub enable_memory: bool,
    pub disable_stack: bool,
    pub disable_storage: bool,
    pub enable_return_data: bool,
    /// Most entries kept (0: no limit but [`TraceLimits`]); later opcodes are not logged.
    pub limit: usize,
}

/// One opcode as geth's `StructLog` reports it, taken before the opcode runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StructLog {
    pub pc: u64,
    pub op: u8,
    /// Gas left before the opcode.
    pub gas: u64,
    /// What the opcode charged (for calls and creates: including the gas given to the callee).
    pub gas_cost: u64,
    /// 1 for the transaction's own frame.
    pub depth: usize,
    /// geth's error when the opcode could not run (out of gas, stack underflow, invalid opcode).
    pub error: Option<String>,
    /// Bottom first; None when disabled.
    pub stack: Option<Vec<U256>>,
    /// The last call's return data; None unless enabled.
    pub return_data: Option<Bytes>,
    /// The frame's memory; None unless enabled.
    pub memory: Option<Vec<u8>>,
    /// For `SLOAD`/`SSTORE`: every slot of the executing contract read or written so far in
    /// this trace, this one included (None otherwise or when disabled).
    pub storage: Option<BTreeMap<B256, B256>>,
    /// The transaction's gas refund counter.
    pub refund: u64,
}

impl StructLog {
    /// geth's name of the opcode (`opcode 0x… not defined` for a byte no fork defines).
    pub fn op_name(&self) -> String {
        match revm::bytecode::opcode::OpCode::new(self.op) {
            Some(code) => code.as_str().to_string(),
            None => format!("opcode {:#x} not defined", self.op),
        }
    }
}

/// What the interpreter shows before an opcode runs.
pub struct OpState<'a> {
    pub pc: u64,
    pub op: u8,
    pub gas: u64,
    /// Gas refunded so far by the executing frame.
    pub frame_refund: i64,
    /// revm's frame depth (0 for the transaction's frame).
    pub frame_depth: usize,
    /// The account whose storage the code uses.
    pub storage_owner: Address,
    pub stack: &'a [U256],
    pub memory: &'a [u8],
    pub return_data: &'a [u8],
}

/// Collects the entries as the interpreter steps.
#[derive(Debug)]
pub struct StructLogger {
    config: StructLogConfig,
    budget: Budget,
    logs: Vec<StructLog>,
    /// Slots read or written so far, per contract (geth's `storage`).
    storage: HashMap<Address, BTreeMap<B256, B256>>,
    /// The refund counters of the frames enclosing the last logged opcode, with their depths:
    /// a frame's counter joins its parent's only when it returns, geth keeps one counter.
    refunds: Vec<(usize, i64)>,
    /// The contract and slot of the `SLOAD` being logged.
    sload: Option<(Address, B256)>,
    error: Option<TraceError>,
}

impl StructLogger {
    pub fn new(config: StructLogConfig, limits: TraceLimits) -> Self {
        Self {
            config,
            budget: Budget::new(limits),
            logs: Vec::new(),
            storage: HashMap::new(),
            refunds: Vec::new(),
            sload: None,
            error: None,
        }
    }

    /// The entry for an opcode about to run, or None once the limit is reached (the opcode is
    /// then not logged). Complete it with [`Self::after`].
    pub fn before(&mut self, s: OpState<'_>) -> Option<StructLog> {
        if self.error.is_some() || (self.config.limit != 0 && self.logs.len() >= self.config.limit)
        {
            return None;
        }
        let depth = s.frame_depth + 1;
        while self.refunds.last().is_some_and(|&(d, _)| d >= depth) {
            self.refunds.pop();
        }
        let enclosing: i64 = self.refunds.iter().map(|&(_, r)| r).sum();
        self.refunds.push((depth, s.frame_refund));
        let memory = self.config.enable_memory.then(|| s.memory.to_vec());
        let stack = (!self.config.disable_stack).then(|| s.stack.to_vec());
        let return_data = self
            .config
            .enable_return_data
            .then(|| Bytes::copy_from_slice(s.return_data));
        let word = |from_top: usize| {
            s.stack
                .len()
                .checked_sub(from_top + 1)
                .map(|i| B256::from(s.stack[i]))
        };
        let mut storage = None;
        if !self.config.disable_storage {
            match (s.op, word(0), word(1)) {
                // the value read is known once SLOAD ran: `after` records it
                (SLOAD, Some(key), _) => self.sload = Some((s.storage_owner, key)),
                (SSTORE, Some(key), Some(value)) => {
                    let slots = self.storage.entry(s.storage_owner).or_default();
                    slots.insert(key, value);
                    storage = Some(slots.clone());
                }
                _ => {}
            }
        }
        let bytes = 32 * s.stack.len() * usize::from(stack.is_some())
            + memory.as_ref().map_or(0, Vec::len)
            + return_data.as_ref().map_or(0, |d| d.len())
            + 64 * storage.as_ref().map_or(0, BTreeMap::len);
        if let Err(e) = self.budget.spend(1, bytes) {
            self.error = Some(e);
            self.logs = Vec::new();
            return None;
        }
        Some(StructLog {
            pc: s.pc,
            op: s.op,
            gas: s.gas,
            gas_cost: 0,
            depth,
            error: None,
            stack,
            return_data,
            memory,
            storage,
            refund: u64::try_from(enclosing + s.frame_refund).unwrap_or(0),
        })
    }

    /// Completes `entry` once its opcode ran: `gas_left` after it, geth's `error` if it could not
    /// run, and the stack's `top` after it (for `SLOAD`: the value read).
    pub fn after(
        &mut self,
        mut entry: StructLog,
        gas_left: u64,
        error: Option<String>,
        top: Option<U256>,
    ) {
        entry.gas_cost = entry.gas.saturating_sub(gas_left);
        if let (Some((owner, key)), Some(value), None) = (self.sload.take(), top, &error) {
            let slots = self.storage.entry(owner).or_default();
            slots.insert(key, value.into());
            if let Err(e) = self.budget.spend(0, 64 * slots.len()) {
                self.error = Some(e);
                self.logs = Vec::new();
                return;
            }
            entry.storage = Some(slots.clone());
        }
        entry.error = error;
        self.logs.push(entry);
    }

    /// The entries in execution order, or why there is no trace.
    pub fn finish(self) -> Result<Vec<StructLog>, TraceError> {
        match self.error {
            Some(e) => Err(e),
            None => Ok(self.logs),
        }
    }
}

const SLOAD: u8 = 0x54;
const SSTORE: u8 = 0x55;

#[cfg(test)]
mod tests {
    use super::*;

    fn op(op: u8, frame_depth: usize, frame_refund: i64, stack: &[U256]) -> OpState<'_> {
        OpState {
            pc: 0,
            op,
            gas: 1_000,
            frame_refund,
            frame_depth,
            storage_owner: Address::repeat_byte(frame_depth as u8),
            stack,
            memory: &[],
            return_data: &[],
        }
    }

    fn log(l: &mut StructLogger, s: OpState<'_>, top: Option<U256>) {
        if let Some(e) = l.before(s) {
            l.after(e, 990, None, top);
        }
    }

    /// geth keeps one refund counter per transaction: a frame's refunds count with its
    /// ancestors' (here 4800 + 100), a returned sibling's no longer show in the next one.
    #[test]
    fn refund_counts_the_enclosing_frames() {
        let mut l = StructLogger::new(StructLogConfig::default(), TraceLimits::default());
        log(&mut l, op(0x01, 0, 4_800, &[]), None);
        log(&mut l, op(0x01, 1, 100, &[]), None);
        log(&mut l, op(0x01, 0, 4_800, &[]), None);
        log(&mut l, op(0x01, 1, 0, &[]), None);
        let refunds: Vec<u64> = l.finish().unwrap().iter().map(|e| e.refund).collect();
        assert_eq!(refunds, [4_800, 4_900, 4_800, 4_800]);
    }

    /// SLOAD's entry holds the value it read; SSTORE's the value written; per contract.
    #[test]
    fn storage_is_recorded_per_contract() {
        let mut l = StructLogger::new(StructLogConfig::default(), TraceLimits::default());
        let (key, value) = (U256::from(5), U256::from(9));
        log(&mut l, op(SLOAD, 0, 0, &[key]), Some(value));
        log(&mut l, op(SSTORE, 1, 0, &[value, key]), None);
        let logs = l.finish().unwrap();
        let slot = |k: U256, v: U256| BTreeMap::from([(B256::from(k), B256::from(v))]);
        assert_eq!(logs[0].storage, Some(slot(key, value)));
        assert_eq!(logs[1].storage, Some(slot(key, value)));
        assert_eq!((logs[0].gas_cost, logs[0].depth, logs[1].depth), (10, 1, 2));
    }

    #[test]
    fn limit_and_budget_bound_the_log() {
        let config = StructLogConfig {
            limit: 2,
            ..Default::default()
        };
        let mut l = StructLogger::new(config, TraceLimits::default());
        for _ in 0..5 {
            log(&mut l, op(0x01, 0, 0, &[U256::ZERO]), None);
        }
        assert_eq!(l.finish().unwrap().len(), 2);
        let limits = TraceLimits {
            max_records: 1_000,
            max_bytes: 100,
        };
        let mut l = StructLogger::new(StructLogConfig::default(), limits);
        for _ in 0..4 {
            log(&mut l, op(0x01, 0, 0, &[U256::ZERO]), None);
        }
        assert!(matches!(l.finish(), Err(TraceError::TooLarge { .. })));
    }
}

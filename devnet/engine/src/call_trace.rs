//! The call frames of geth's `callTracer`: every frame a transaction enters below its own, EVM or
//! Stylus, with its type, caller, callee, value, gas, input and result, nested as they ran.
//!
//! geth's tracer hooks `OnEnter`/`OnExit`; here the engine's frame loop (`evm::frame_loop`)
//! reports every frame's input and result, including the calls a Stylus program makes through its
//! `call_contract`/`create` hostios (they run their own frame loop) and calls to precompiles. The
//! transaction's own frame is not recorded: the JSON-RPC layer builds it from the request and the
//! receipt (its `gasUsed` is the transaction's, intrinsic gas included, as in geth). Size is
//! bounded by [`TraceLimits`] as the hostio trace is.

use alloy_primitives::{Address, Bytes, U256};

use crate::trace::{Budget, TraceError, TraceLimits};

/// One call frame, as geth's `callTracer` reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallFrame {
    /// `CALL`, `STATICCALL`, `DELEGATECALL`, `CALLCODE`, `CREATE` or `CREATE2`.
    pub kind: &'static str,
    /// The account making the call (for DELEGATECALL the delegating contract, as in geth).
    pub from: Address,
    /// The callee: the code's address (for DELEGATECALL and CALLCODE too, as in geth), the
    /// created address for creates.
    pub to: Address,
    /// Value sent, or for DELEGATECALL the value it runs with (None for STATICCALL, whose JSON
    /// has no `value`, as geth's).
    pub value: Option<U256>,
    /// Gas given to the frame.
    pub gas: u64,
    /// Gas the frame used (given − left).
    pub gas_used: u64,
    pub input: Bytes,
    /// Return or revert data (for creates: the deployed code).
    pub output: Bytes,
    /// geth's error for a frame that failed (`execution reverted`, `out of gas`, …).
    pub error: Option<String>,
    /// Frames entered from this one.
    pub calls: Vec<CallFrame>,
}

/// Builds the frame tree as the frame loop reports entries and exits.
#[derive(Debug)]
pub struct CallRecorder {
    budget: Budget,
    /// Frames entered and not exited, below the transaction's own (innermost last).
    open: Vec<CallFrame>,
    /// Finished frames entered directly by the transaction's frame.
    top: Vec<CallFrame>,
    /// Frames entered and not exited, the transaction's own included.
    depth: usize,
    error: Option<TraceError>,
}

impl CallRecorder {
    pub fn new(limits: TraceLimits) -> Self {
        Self {
            budget: Budget::new(limits),
            open: Vec::new(),
            top: Vec::new(),
            depth: 0,
            error: None,
        }
    }

    /// Counts `bytes` of input or output against the limits; false once they are exceeded
    /// (then nothing more is recorded).
    fn admit(&mut self, frames: usize, bytes: usize) -> bool {
        if self.error.is_some() {
            return false;
        }
        if let Err(e) = self.budget.spend(frames, bytes) {
            self.error = Some(e);
            self.open.clear();
            self.top.clear();
            return false;
        }
        true
    }

    /// A frame is entered with everything but its result (the transaction's own frame is
    /// counted, not recorded).
    pub fn enter(&mut self, frame: CallFrame) {
        self.depth += 1;
        if self.depth == 1 || !self.admit(1, frame.input.len()) {
            return;
        }
        self.open.push(frame);
    }

    /// The innermost frame exits with `gas_left`, `output` and, if it failed, geth's `error`.
    pub fn exit(&mut self, gas_left: u64, output: Bytes, error: Option<String>) {
        self.depth = self.depth.saturating_sub(1);
        if self.depth == 0 || !self.admit(0, output.len()) {
            return;
        }
        let Some(mut frame) = self.open.pop() else {
            return;
        };
        frame.gas_used = frame.gas.saturating_sub(gas_left);
        frame.output = output;
        frame.error = error;
        match self.open.last_mut() {
            Some(parent) => parent.calls.push(frame),
            None => self.top.push(frame),
        }
    }

    /// The frames the transaction's frame entered, or why there is no trace.
    pub fn finish(self) -> Result<Vec<CallFrame>, TraceError> {
        match self.error {
            Some(e) => Err(e),
            None => Ok(self.top),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(kind: &'static str, to: u8, gas: u64) -> CallFrame {
        CallFrame {
            kind,
            from: Address::repeat_byte(1),
            to: Address::repeat_byte(to),
            value: Some(U256::ZERO),
            gas,
            gas_used: 0,
            input: Bytes::from(vec![to; 4]),
            output: Bytes::new(),
            error: None,
            calls: Vec::new(),
        }
    }

    #[test]
    fn frames_nest_as_they_ran_below_the_transactions_own() {
        let mut r = CallRecorder::new(TraceLimits::default());
        r.enter(frame("CALL", 1, 1_000_000)); // the transaction: not recorded
        r.enter(frame("CALL", 2, 500));
        r.enter(frame("STATICCALL", 3, 200));
        r.exit(150, Bytes::from(vec![7]), None);
        r.exit(100, Bytes::new(), Some("execution reverted".into()));
        r.enter(frame("CREATE", 4, 300));
        r.exit(0, Bytes::new(), Some("out of gas".into()));
        r.exit(0, Bytes::new(), None);
        let top = r.finish().unwrap();
        assert_eq!(top.len(), 2);
        assert_eq!((top[0].kind, top[0].gas_used), ("CALL", 400));
        assert_eq!(top[0].error.as_deref(), Some("execution reverted"));
        assert_eq!(top[0].calls.len(), 1);
        let inner = &top[0].calls[0];
        assert_eq!(
            (inner.kind, inner.gas_used, &inner.output[..]),
            ("STATICCALL", 50, &[7][..])
        );
        assert_eq!((top[1].kind, top[1].gas_used), ("CREATE", 300));
    }

    #[test]
    fn limits_stop_recording() {
        let limits = TraceLimits {
            max_records: 2,
            max_bytes: 100,
        };
        let mut r = CallRecorder::new(limits);
        r.enter(frame("CALL", 1, 10));
        for _ in 0..3 {
            r.enter(frame("CALL", 2, 5));
            r.exit(0, Bytes::new(), None);
        }
        assert!(matches!(r.finish(), Err(TraceError::TooLarge { .. })));
        let mut r = CallRecorder::new(limits);
        r.enter(frame("CALL", 1, 10));
        r.enter(frame("CALL", 2, 5));
        r.exit(0, Bytes::from(vec![0; 101]), None);
        assert!(matches!(r.finish(), Err(TraceError::TooLarge { .. })));
    }
}

//! The call frames of geth's `callTracer`: every frame a transaction enters below its own, EVM or
//! Stylus, with its type, caller, callee, value, gas, input and result, nested as they ran.
//!
//! geth's tracer hooks `OnEnter`/`OnExit`; here the engine's frame loop (`evm::frame_loop`)
//! reports every frame's input and result, including the calls a Stylus program makes through its
//! `call_contract`/`create` hostios (they run their own frame loop) and calls to precompiles. The
//! transaction's own frame is not recorded: the JSON-RPC layer builds it from the request and the
//! receipt (its `gasUsed` is the transaction's, intrinsic gas included, as in geth). Size is
//! bounded by [`TraceLimits`] as the hostio trace is.
//!
//! Logs (geth's `withLog`) are attributed by the journal's log count at each entry and exit: the
//! logs added since the previous event belong to the innermost open frame, at the position of its
//! next child call. A failed frame's logs and its children's are dropped, as geth drops them.

use alloy_primitives::{Address, Bytes, Log, U256};

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
    /// Logs the frame itself emitted (none if it or a caller failed).
    pub logs: Vec<FrameLog>,
}

/// A log as geth's `callTracer` reports it with `withLog`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FrameLog {
    pub log: Log,
    /// How many of the frame's calls came before it.
    pub position: usize,
}

/// The frames the transaction entered and the logs its own frame emitted.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CallTrace {
    pub calls: Vec<CallFrame>,
    pub logs: Vec<FrameLog>,
}

impl CallFrame {
    /// Drops the logs of this frame and of every frame below it.
    fn drop_logs(&mut self) {
        self.logs.clear();
        self.calls.iter_mut().for_each(CallFrame::drop_logs);
    }
}

/// Builds the frame tree as the frame loop reports entries and exits.
#[derive(Debug)]
pub struct CallRecorder {
    budget: Budget,
    /// Frames entered and not exited, below the transaction's own (innermost last).
    open: Vec<CallFrame>,
    /// Finished frames entered directly by the transaction's frame.
    top: Vec<CallFrame>,
    /// Logs the transaction's frame emitted.
    top_logs: Vec<FrameLog>,
    /// The journal's log count at the last entry or exit.
    logs_seen: usize,
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
            top_logs: Vec::new(),
            logs_seen: 0,
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

    /// Gives the logs added to the journal since the last entry or exit (`journal_logs` is all
    /// of them) to the innermost open frame.
    fn attribute_logs(&mut self, journal_logs: &[Log]) {
        let new = journal_logs.get(self.logs_seen..).unwrap_or_default();
        self.logs_seen = journal_logs.len();
        if new.is_empty() || self.depth == 0 {
            return;
        }
        let bytes = new
            .iter()
            .map(|l| 32 * l.topics().len() + l.data.data.len())
            .sum();
        if !self.admit(0, bytes) {
            return;
        }
        let (logs, position) = match self.open.last_mut() {
            Some(frame) => (&mut frame.logs, frame.calls.len()),
            None => (&mut self.top_logs, self.top.len()),
        };
        logs.extend(new.iter().map(|log| FrameLog {
            log: log.clone(),
            position,
        }));
    }

    /// A frame is entered with everything but its result (the transaction's own frame is
    /// counted, not recorded); `journal_logs`: every log of the transaction so far.
    pub fn enter(&mut self, frame: CallFrame, journal_logs: &[Log]) {
        self.attribute_logs(journal_logs);
        self.depth += 1;
        if self.depth == 1 || !self.admit(1, frame.input.len()) {
            return;
        }
        self.open.push(frame);
    }

    /// The innermost frame exits with `gas_left`, `output` and, if it failed, geth's `error`;
    /// `journal_logs`: every log of the transaction still standing.
    pub fn exit(
        &mut self,
        gas_left: u64,
        output: Bytes,
        error: Option<String>,
        journal_logs: &[Log],
    ) {
        self.attribute_logs(journal_logs);
        self.depth = self.depth.saturating_sub(1);
        if self.depth == 0 {
            if error.is_some() {
                self.top_logs.clear();
                self.top.iter_mut().for_each(CallFrame::drop_logs);
            }
            return;
        }
        if !self.admit(0, output.len()) {
            return;
        }
        let Some(mut frame) = self.open.pop() else {
            return;
        };
        frame.gas_used = frame.gas.saturating_sub(gas_left);
        frame.output = output;
        if error.is_some() {
            frame.drop_logs();
        }
        frame.error = error;
        match self.open.last_mut() {
            Some(parent) => parent.calls.push(frame),
            None => self.top.push(frame),
        }
    }

    /// The frames the transaction's frame entered and its own logs, or why there is no trace.
    pub fn finish(self) -> Result<CallTrace, TraceError> {
        match self.error {
            Some(e) => Err(e),
            None => Ok(CallTrace {
                calls: self.top,
                logs: self.top_logs,
            }),
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
            logs: Vec::new(),
        }
    }

    #[test]
    fn frames_nest_as_they_ran_below_the_transactions_own() {
        let mut r = CallRecorder::new(TraceLimits::default());
        r.enter(frame("CALL", 1, 1_000_000), &[]); // the transaction: not recorded
        r.enter(frame("CALL", 2, 500), &[]);
        r.enter(frame("STATICCALL", 3, 200), &[]);
        r.exit(150, Bytes::from(vec![7]), None, &[]);
        r.exit(100, Bytes::new(), Some("execution reverted".into()), &[]);
        r.enter(frame("CREATE", 4, 300), &[]);
        r.exit(0, Bytes::new(), Some("out of gas".into()), &[]);
        r.exit(0, Bytes::new(), None, &[]);
        let top = r.finish().unwrap().calls;
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

    fn log(n: u8) -> Log {
        Log::new_unchecked(Address::repeat_byte(n), vec![], Bytes::from(vec![n]))
    }

    /// Logs go to the frame that was innermost when they were added, at the position of its next
    /// call; a failed frame loses its logs and its children's (the journal dropped them too).
    #[test]
    fn logs_belong_to_the_frame_that_emitted_them() {
        let mut r = CallRecorder::new(TraceLimits::default());
        r.enter(frame("CALL", 1, 1_000), &[]); // the transaction
        r.enter(frame("CALL", 2, 500), &[log(1)]); // log 1: the transaction's, before any call
        r.exit(0, Bytes::new(), None, &[log(1), log(2)]); // log 2: frame 2's
        r.enter(frame("CALL", 3, 400), &[log(1), log(2), log(3)]); // log 3: the transaction's
        r.enter(frame("CALL", 4, 300), &[log(1), log(2), log(3), log(4)]); // log 4: frame 3's
        r.exit(
            0,
            Bytes::new(),
            None,
            &[log(1), log(2), log(3), log(4), log(5)],
        ); // 5: frame 4's
        let reverted = [log(1), log(2), log(3)];
        r.exit(
            0,
            Bytes::new(),
            Some("execution reverted".into()),
            &reverted,
        );
        r.exit(0, Bytes::new(), None, &reverted);
        let t = r.finish().unwrap();
        let at = |logs: &[FrameLog]| -> Vec<(u8, usize)> {
            logs.iter()
                .map(|l| (l.log.data.data[0], l.position))
                .collect()
        };
        assert_eq!(at(&t.logs), [(1, 0), (3, 1)]);
        assert_eq!(at(&t.calls[0].logs), [(2, 0)]);
        assert_eq!(at(&t.calls[1].logs), []);
        assert_eq!(
            at(&t.calls[1].calls[0].logs),
            [],
            "a failed caller drops them"
        );
    }

    #[test]
    fn limits_stop_recording() {
        let limits = TraceLimits {
            max_records: 2,
            max_bytes: 100,
        };
        let mut r = CallRecorder::new(limits);
        r.enter(frame("CALL", 1, 10), &[]);
        for _ in 0..3 {
            r.enter(frame("CALL", 2, 5), &[]);
            r.exit(0, Bytes::new(), None, &[]);
        }
        assert!(matches!(r.finish(), Err(TraceError::TooLarge { .. })));
        let mut r = CallRecorder::new(limits);
        r.enter(frame("CALL", 1, 10), &[]);
        r.enter(frame("CALL", 2, 5), &[]);
        r.exit(0, Bytes::from(vec![0; 101]), None, &[]);
        assert!(matches!(r.finish(), Err(TraceError::TooLarge { .. })));
    }
}

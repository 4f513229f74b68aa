//! The Stylus hostio trace (Nitro's `stylusTracer`, what `cargo stylus trace` reads).
//!
//! Nitro records every host call a program makes — its name, its arguments and outputs packed as
//! `crates/wasm-libraries/user-host-trait` packs them, the ink before and after — and every call
//! frame entered at depth ≥ 1 (`execution/gethexec/stylus_tracer.go`): a frame is opened as
//! `evm_call_contract` (`evm_delegate_call_contract`, `evm_static_call_contract`, `evm_create1`,
//! `evm_create2`, `evm_self_destruct`) with the callee's address and the records made inside it
//! as `steps`; when the program's own `call_contract` hostio is recorded after the call returns,
//! it takes the frame over (its address and steps) and the `evm_` frame disappears. A frame no
//! hostio claims stays as an `evm_…` record (a call made by EVM code).
//!
//! The recorder lives in `Shared` (`context.rs`) only while a trace runs; host functions check a
//! flag their program's store copied at entry, so untraced execution pays nothing but that
//! check. Its size is bounded by [`TraceLimits`]: past them it stops recording and the trace
//! ends in [`TraceError::TooLarge`].

use alloy_primitives::Address;

/// One record of the trace: a hostio, or a call frame (with the records made inside it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HostioRecord {
    /// Nitro's name of the hostio, or of the frame (`evm_call_contract`, …; empty for CALLCODE,
    /// as Nitro leaves it).
    pub name: &'static str,
    /// The hostio's arguments as Nitro packs them (empty for a frame).
    pub args: Vec<u8>,
    /// The hostio's outputs as Nitro packs them (empty for a frame).
    pub outs: Vec<u8>,
    /// Ink left when the hostio started (0 for a frame).
    pub start_ink: u64,
    /// Ink left when it finished (0 for a frame).
    pub end_ink: u64,
    /// For call hostios and frames: the callee (the code's address) and what happened inside.
    pub frame: Option<(Address, Vec<HostioRecord>)>,
    /// False for a frame no hostio claimed (entered by EVM code, or by the transaction's
    /// target when that is EVM code). Nitro's JavaScript tracer renders these differently.
    pub is_hostio: bool,
}

/// How much a trace may hold before it is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TraceLimits {
    /// Records (hostios and frames).
    pub max_records: usize,
    /// Bytes of arguments and outputs.
    pub max_bytes: usize,
}

impl Default for TraceLimits {
    /// A hostio costs as little as ~0.84 gas, so a 32M-gas transaction could make tens of
    /// millions of them; these caps keep a trace (and its JSON, a few times larger) to tens of MB.
    fn default() -> Self {
        Self {
            max_records: 200_000,
            max_bytes: 16 << 20,
        }
    }
}

/// Why a trace could not be produced.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TraceError {
    #[error("the trace exceeds vvv-devnet's limit of {max_records} records or {max_bytes} bytes of recorded data (hostio arguments and outputs, call inputs and outputs)")]
    TooLarge {
        max_records: usize,
        max_bytes: usize,
    },
    /// Nitro's stylusTracer stops with this error when a call hostio finds no frame to claim
    /// (a call refused before any frame was entered, e.g. a value sent from a static context).
    #[error("{0}")]
    Inconsistent(String),
}

/// What a recorder has kept so far, counted against its [`TraceLimits`].
#[derive(Debug)]
pub(crate) struct Budget {
    limits: TraceLimits,
    records: usize,
    bytes: usize,
}

impl Budget {
    pub(crate) fn new(limits: TraceLimits) -> Self {
        Self {
            limits,
            records: 0,
            bytes: 0,
        }
    }

    /// Counts `records` more records and `bytes` more bytes; `TooLarge` once past a limit.
    pub(crate) fn spend(&mut self, records: usize, bytes: usize) -> Result<(), TraceError> {
        self.records += records;
        self.bytes += bytes;
        if self.records > self.limits.max_records || self.bytes > self.limits.max_bytes {
            return Err(TraceError::TooLarge {
                max_records: self.limits.max_records,
                max_bytes: self.limits.max_bytes,
            });
        }
        Ok(())
    }
}

/// Builds the trace as execution reports hostios and frames.
#[derive(Debug)]
pub struct HostioRecorder {
    budget: Budget,
    /// Records of the innermost open frame.
    open: Vec<HostioRecord>,
    /// Enclosing frames: their parent's records so far, the frame's name and address.
    frames: Vec<(Vec<HostioRecord>, &'static str, Address)>,
    /// Frames entered and not yet exited, the transaction's own included (it is not recorded).
    depth: usize,
    error: Option<TraceError>,
}

/// The hostios that take over the frame of the call they made.
fn nests(name: &str) -> bool {
    matches!(
        name,
        "call_contract" | "delegate_call_contract" | "static_call_contract"
    )
}

impl HostioRecorder {
    pub fn new(limits: TraceLimits) -> Self {
        Self {
            budget: Budget::new(limits),
            open: Vec::new(),
            frames: Vec::new(),
            depth: 0,
            error: None,
        }
    }

    /// Counts a record against the limits; false once they are exceeded (then nothing more is
    /// recorded).
    fn admit(&mut self, bytes: usize) -> bool {
        if self.error.is_some() {
            return false;
        }
        if let Err(e) = self.budget.spend(1, bytes) {
            self.error = Some(e);
            self.open.clear();
            self.frames.clear();
            return false;
        }
        true
    }

    /// A frame is entered (Nitro's `OnEnter`). The transaction's own frame is not recorded.
    pub fn enter(&mut self, name: &'static str, address: Address) {
        self.depth += 1;
        if self.depth == 1 || !self.admit(0) {
            return;
        }
        let parent = std::mem::take(&mut self.open);
        self.frames.push((parent, name, address));
    }

    /// The innermost frame exits (Nitro's `OnExit`): it becomes a record of its parent.
    pub fn exit(&mut self) {
        self.depth = self.depth.saturating_sub(1);
        if self.depth == 0 || self.error.is_some() {
            return;
        }
        let Some((parent, name, address)) = self.frames.pop() else {
            return;
        };
        let steps = std::mem::replace(&mut self.open, parent);
        self.open.push(HostioRecord {
            name,
            args: Vec::new(),
            outs: Vec::new(),
            start_ink: 0,
            end_ink: 0,
            frame: Some((address, steps)),
            is_hostio: false,
        });
    }

    /// A hostio finished. A call hostio claims the frame its call opened, as Nitro's does.
    pub fn hostio(
        &mut self,
        name: &'static str,
        args: Vec<u8>,
        outs: Vec<u8>,
        start_ink: u64,
        end_ink: u64,
    ) {
        if !self.admit(args.len() + outs.len()) {
            return;
        }
        let mut frame = None;
        if nests(name) {
            // Nitro's stylusTracer checks the last record is the `evm_` frame of this call
            let claimed = match self.open.pop() {
                None => Err("trying to pop empty stack".to_string()),
                Some(last) if last.is_hostio || last.name.strip_prefix("evm_") != Some(name) => {
                    Err(format!(
                        "trace inconsistency for {name}: last opcode is {}",
                        last.name
                    ))
                }
                Some(last) => Ok(last.frame),
            };
            match claimed {
                Ok(f) => frame = f,
                Err(e) => {
                    self.error = Some(TraceError::Inconsistent(e));
                    return;
                }
            }
        }
        self.open.push(HostioRecord {
            name,
            args,
            outs,
            start_ink,
            end_ink,
            frame,
            is_hostio: true,
        });
    }

    /// The records of the transaction's frame, or why there is no trace.
    pub fn finish(self) -> Result<Vec<HostioRecord>, TraceError> {
        match self.error {
            Some(e) => Err(e),
            None => Ok(self.open),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> TraceLimits {
        TraceLimits::default()
    }

    #[test]
    fn call_hostio_claims_the_frame_it_opened() {
        let mut r = HostioRecorder::new(limits());
        let callee = Address::repeat_byte(7);
        r.enter("evm_call_contract", Address::repeat_byte(1)); // the transaction: not recorded
        r.hostio("read_args", vec![], vec![1, 2], 100, 90);
        r.enter("evm_call_contract", callee);
        r.hostio("user_entrypoint", vec![0, 0, 0, 4], vec![], 50, 50);
        r.enter("evm_static_call_contract", Address::repeat_byte(9)); // made by EVM code
        r.exit();
        r.exit();
        r.hostio("call_contract", vec![3], vec![0, 0, 0, 0, 0], 80, 20);
        r.exit();
        let t = r.finish().unwrap();
        assert_eq!(t.len(), 2);
        assert_eq!(t[1].name, "call_contract");
        assert!(t[1].is_hostio);
        let (addr, steps) = t[1].frame.as_ref().unwrap();
        assert_eq!(*addr, callee);
        assert_eq!(steps[0].name, "user_entrypoint");
        assert_eq!(steps[1].name, "evm_static_call_contract");
        assert!(!steps[1].is_hostio);
        assert!(steps[1].frame.as_ref().unwrap().1.is_empty());
    }

    #[test]
    fn call_hostio_without_its_frame_is_nitros_inconsistency() {
        let mut r = HostioRecorder::new(limits());
        r.enter("evm_call_contract", Address::ZERO);
        r.hostio("read_args", vec![], vec![], 10, 9);
        r.hostio("call_contract", vec![], vec![], 9, 8);
        assert_eq!(
            r.finish(),
            Err(TraceError::Inconsistent(
                "trace inconsistency for call_contract: last opcode is read_args".into()
            ))
        );
        let mut r = HostioRecorder::new(limits());
        r.enter("evm_call_contract", Address::ZERO);
        r.enter("evm_delegate_call_contract", Address::ZERO);
        r.exit();
        r.hostio("call_contract", vec![], vec![], 9, 8);
        assert!(matches!(r.finish(), Err(TraceError::Inconsistent(_))));
    }

    #[test]
    fn limits_stop_recording() {
        let lim = TraceLimits {
            max_records: 3,
            max_bytes: 100,
        };
        let mut r = HostioRecorder::new(lim);
        r.enter("evm_call_contract", Address::ZERO);
        for _ in 0..3 {
            r.hostio("msg_sender", vec![], vec![0; 20], 2, 1);
        }
        assert_eq!(r.clone_result(), Ok(3));
        r.hostio("msg_sender", vec![], vec![0; 20], 2, 1);
        assert_eq!(
            r.finish(),
            Err(TraceError::TooLarge {
                max_records: 3,
                max_bytes: 100
            })
        );
        let mut r = HostioRecorder::new(lim);
        r.enter("evm_call_contract", Address::ZERO);
        r.hostio("native_keccak256", vec![0; 90], vec![0; 32], 2, 1);
        assert!(matches!(r.finish(), Err(TraceError::TooLarge { .. })));
    }

    impl HostioRecorder {
        fn clone_result(&self) -> Result<usize, TraceError> {
            match &self.error {
                Some(e) => Err(e.clone()),
                None => Ok(self.open.len()),
            }
        }
    }
}

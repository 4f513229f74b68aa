//! The types every layer of the engine shares: revm's context as this chain configures it, the
//! state shared by every nesting level of one chain ([`Shared`]), and the chain a running Stylus
//! program owns ([`EvmHost`], the `EvmApi` of `crate::api`, implemented in `evm.rs`).

use crate::call_trace::CallRecorder;
use crate::host::{self, HostEnv};
use crate::params::{self, StylusParams};
use crate::struct_log::StructLogger;
use crate::trace::HostioRecorder;
use alloy_primitives::{Address, B256};
use revm::context::{BlockEnv, CfgEnv, Context, Journal, TxEnv};
use revm::database::{CacheDB, EmptyDB};
use revm::interpreter::{Gas, InstructionResult, InterpreterResult};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// The in-memory database behind the chain.
pub type Db = CacheDB<EmptyDB>;
/// The revm context this engine uses.
pub type Ctx = Context<BlockEnv, TxEnv, CfgEnv, Db, Journal<Db>, ()>;
/// Per-transaction Stylus bookkeeping (Nitro keeps it in the StateDB).
#[derive(Default, Debug)]
pub struct TxStylus {
    pub open_pages: u16,
    pub ever_pages: u16,
    /// How many Stylus frames of each address are currently executing.
    pub active: HashMap<Address, u32>,
}

/// State shared by every nesting level of one chain.
pub struct Shared {
    pub params: StylusParams,
    /// Debug mode: `console` imports allowed and printed.
    pub debug: bool,
    pub engine: wasmi::Engine,
    /// Every host function, for programs run on this chain.
    pub linker: wasmi::Linker<HostEnv<EvmHost>>,
    pub modules: Mutex<HashMap<B256, wasmi::Module>>,
    pub tx: Mutex<TxStylus>,
    pub console: Mutex<Vec<String>>,
    /// The hostio trace being recorded (`Devnet::trace_call_at`); None when not tracing.
    pub trace: Mutex<Option<HostioRecorder>>,
    /// The call frames being recorded for geth's `callTracer` (`Devnet::call_trace_at`); None
    /// when not tracing.
    pub call_trace: Mutex<Option<CallRecorder>>,
    /// The opcodes being logged for geth's struct logger (`Devnet::struct_log_at`); None when
    /// not tracing.
    pub struct_log: Mutex<Option<StructLogger>>,
}

impl Shared {
    pub fn new(params: StylusParams, debug: bool) -> Arc<Self> {
        let mut config = wasmi::Config::default();
        config.consume_fuel(true);
        config.operator_cost(params::nitro_operator_costs());
        config.compilation_mode(wasmi::CompilationMode::Eager);
        config.wasm_multi_value(false);
        config.wasm_reference_types(false);
        config.wasm_tail_call(false);
        config.wasm_extended_const(false);
        config.wasm_multi_memory(false);
        config.wasm_memory64(false);
        config.wasm_wide_arithmetic(false);
        config.wasm_custom_page_sizes(false);
        let engine = wasmi::Engine::new(&config);
        let linker = host::linker(&engine);
        Arc::new(Self {
            params,
            debug,
            engine,
            linker,
            modules: Mutex::new(HashMap::new()),
            tx: Mutex::new(TxStylus::default()),
            console: Mutex::new(Vec::new()),
            trace: Mutex::new(None),
            call_trace: Mutex::new(None),
            struct_log: Mutex::new(None),
        })
    }

    /// Whether a hostio trace is being recorded.
    pub fn tracing(&self) -> bool {
        self.trace.lock().unwrap().is_some()
    }

    /// Whether the frame loop reports frames or opcodes: a hostio trace, a call trace or a
    /// struct log is being recorded.
    pub fn tracing_frames(&self) -> bool {
        self.tracing() || self.call_trace.lock().unwrap().is_some() || self.logging_opcodes()
    }

    /// Whether opcodes are being logged (geth's struct logger).
    pub fn logging_opcodes(&self) -> bool {
        self.struct_log.lock().unwrap().is_some()
    }

    /// Runs `f` on the trace recorder, if a trace is being recorded.
    pub fn record(&self, f: impl FnOnce(&mut HostioRecorder)) {
        if let Some(r) = self.trace.lock().unwrap().as_mut() {
            f(r)
        }
    }

    /// Resets the per-transaction state.
    pub fn begin_tx(&self) {
        *self.tx.lock().unwrap() = TxStylus::default();
    }

    pub fn module(&self, codehash: B256, wasm: &[u8]) -> Result<wasmi::Module, String> {
        if let Some(m) = self.modules.lock().unwrap().get(&codehash) {
            return Ok(m.clone());
        }
        let m = wasmi::Module::new(&self.engine, wasm).map_err(|e| e.to_string())?;
        self.modules.lock().unwrap().insert(codehash, m.clone());
        Ok(m)
    }
}

/// The chain a Stylus program runs on: the revm context, moved out of the calling frame for the
/// length of the program's run (the frames below it are suspended meanwhile) and moved back when
/// it returns, so the host functions own what they change instead of aliasing the caller's
/// borrow.
pub struct EvmHost {
    pub ctx: Ctx,
    pub shared: Arc<Shared>,
}

/// ABI revert data for a Solidity custom error with no arguments or with pre-encoded ones.
pub fn revert_result(data: Vec<u8>, gas: Gas) -> InterpreterResult {
    InterpreterResult::new(InstructionResult::Revert, data.into(), gas)
}

//! `vm_hooks` host functions for Stylus programs, run under wasmi with fuel-backed ink.
//!
//! The host functions reach the chain only through [`EvmApi`] (`crate::api`), which the running
//! program's environment ([`HostEnv`]) owns for the length of its run, and price every access
//! themselves in ink and gas as Nitro does. One named function per host call, grouped as
//! Nitro's `arbitrator/stylus/src/host.rs` lists them:
//! - `storage.rs`: persistent storage through the per-call cache, and transient storage;
//! - `calls.rs`: calls, creates and their return data;
//! - `memory.rs`: arguments, result, early exit and memory growth;
//! - `env.rs`: what a program reads about accounts, the block, the message and the
//!   transaction, its ink and gas, and the logs it emits;
//! - `math.rs`: `math_*` and `native_keccak256`;
//! - `console.rs`: the debug-mode `console` imports.

mod calls;
mod console;
mod env;
mod math;
mod memory;
mod storage;

pub use crate::api::Frame;
use crate::api::{EvmApi, EvmData};
use crate::params::{StylusParams, INK_PER_FUEL};
use alloy_primitives::{Address, B256};
use std::collections::HashMap;
use wasmi::{Caller, Linker, Memory};
use wasmi_core::LimiterError;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutcomeKind {
    Success,
    Revert,
    /// A trap or a failed host call: reverts with no data, keeps the remaining gas.
    Failure,
    OutOfInk,
}

#[derive(Debug)]
pub struct Outcome {
    pub kind: OutcomeKind,
    pub output: Vec<u8>,
    pub gas_left: u64,
    pub refund: i64,
    /// Why a Failure happened (for diagnostics).
    pub reason: Option<String>,
}

/// Reasons a program stops from inside a host function.
#[derive(Debug)]
pub enum Escape {
    OutOfInk,
    Exit(u32),
    Failure(String),
}

impl std::fmt::Display for Escape {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{self:?}")
    }
}
impl wasmi::errors::HostError for Escape {}

/// A slot in the program's storage cache (Nitro's `StorageCache`).
struct StorageWord {
    /// The value the program sees.
    value: B256,
    /// The value the chain holds, when known (a loaded or flushed slot).
    known: Option<B256>,
}

/// Counts pages the program grows its memory by; they are paid for at the next host call.
#[derive(Default)]
pub struct PageLimiter {
    pending: u32,
    limit_bytes: usize,
}

impl wasmi::ResourceLimiter for PageLimiter {
    fn memory_growing(
        &mut self,
        current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> Result<bool, LimiterError> {
        if desired > self.limit_bytes {
            return Ok(false);
        }
        self.pending += ((desired - current) / 65536) as u32;
        Ok(true)
    }
    fn table_growing(
        &mut self,
        _c: usize,
        desired: usize,
        _m: Option<usize>,
    ) -> Result<bool, LimiterError> {
        Ok(desired <= 4096)
    }
    fn instances(&self) -> usize {
        1
    }
    fn tables(&self) -> usize {
        1
    }
    fn memories(&self) -> usize {
        1
    }
}

/// Store data of a running program.
pub struct HostEnv<A> {
    /// The chain, owned for the length of the run and handed back with the outcome.
    api: A,
    frame: Frame,
    evm_data: EvmData,
    ink_price: u64,
    args: Vec<u8>,
    outs: Vec<u8>,
    return_data: Vec<u8>,
    cache: HashMap<B256, StorageWord>,
    reads: usize,
    writes: usize,
    ink_rem: u64,
    refund: i64,
    memory: Option<Memory>,
    limiter: PageLimiter,
    /// A hostio trace is being recorded (asked once when the program starts, so untraced host
    /// calls test one bool).
    tracing: bool,
    /// Ink left when the current host call started (kept only while tracing).
    start_ink: u64,
}

type R<T> = Result<T, wasmi::Error>;
/// What every host function receives.
type C<'a, A> = Caller<'a, HostEnv<A>>;

fn esc(e: Escape) -> wasmi::Error {
    wasmi::Error::host(e)
}
fn fail(msg: impl Into<String>) -> wasmi::Error {
    esc(Escape::Failure(msg.into()))
}

fn ink_left<A>(c: &C<'_, A>) -> u64 {
    let fuel = c.get_fuel().unwrap_or(0);
    fuel.saturating_mul(INK_PER_FUEL)
        .saturating_add(c.data().ink_rem)
}
fn set_ink<A>(c: &mut C<'_, A>, ink: u64) {
    let _ = c.set_fuel(ink / INK_PER_FUEL);
    c.data_mut().ink_rem = ink % INK_PER_FUEL;
}
fn buy_ink<A>(c: &mut C<'_, A>, amount: u64) -> R<()> {
    let left = ink_left(c);
    if left < amount {
        set_ink(c, 0);
        return Err(esc(Escape::OutOfInk));
    }
    set_ink(c, left - amount);
    Ok(())
}
fn price<A>(c: &C<'_, A>) -> u64 {
    c.data().ink_price
}
fn gas_left<A>(c: &C<'_, A>) -> u64 {
    ink_left(c) / price(c)
}
fn buy_gas<A>(c: &mut C<'_, A>, gas: u64) -> R<()> {
    let p = price(c);
    buy_ink(c, gas.saturating_mul(p))
}
fn require_gas<A>(c: &mut C<'_, A>, gas: u64) -> R<()> {
    if ink_left(c) < gas.saturating_mul(price(c)) {
        set_ink(c, 0);
        return Err(esc(Escape::OutOfInk));
    }
    Ok(())
}
/// Starts a host call: pays pending memory growth and the base ink.
fn hostio<A: EvmApi>(c: &mut C<'_, A>, base: u64) -> R<()> {
    trace_start(c);
    pay_pending_pages(c)?;
    buy_ink(c, base)
}

/// Notes the ink a host call starts with, for its trace record (Nitro: `start_ink` of the
/// hostio, taken before it pays anything).
fn trace_start<A>(c: &mut C<'_, A>) {
    if c.data().tracing {
        c.data_mut().start_ink = ink_left(c);
    }
}

/// Records a finished host call in the trace, with the ink left now as its end ink.
fn record<A: EvmApi>(c: &C<'_, A>, name: &'static str, args: Vec<u8>, outs: Vec<u8>) {
    let ink = (c.data().start_ink, ink_left(c));
    c.data().api.capture_hostio(name, args, outs, ink);
}

/// Records a host call as Nitro's `trace!` does: its arguments and outputs are the listed byte
/// strings concatenated (built only while tracing).
macro_rules! trace {
    ($c:expr, $name:expr, [$($arg:expr),*], [$($out:expr),*]) => {
        if $c.data().tracing {
            #[allow(unused_mut)]
            let mut args: Vec<u8> = Vec::new();
            $(args.extend_from_slice(AsRef::<[u8]>::as_ref(&$arg));)*
            #[allow(unused_mut)]
            let mut outs: Vec<u8> = Vec::new();
            $(outs.extend_from_slice(AsRef::<[u8]>::as_ref(&$out));)*
            super::record(&$c, $name, args, outs);
        }
    };
}
use trace;

fn pay_pending_pages<A: EvmApi>(c: &mut C<'_, A>) -> R<()> {
    let pages = std::mem::take(&mut c.data_mut().limiter.pending);
    if pages > 0 {
        let gas = c
            .data_mut()
            .api
            .add_pages(pages.min(u16::MAX as u32) as u16);
        buy_gas(c, gas)?;
    }
    Ok(())
}

fn mem<A>(c: &C<'_, A>) -> Memory {
    c.data()
        .memory
        .expect("memory is set before the entrypoint runs")
}
fn read<A>(c: &C<'_, A>, ptr: i32, len: i32) -> R<Vec<u8>> {
    let mut buf = vec![0u8; len as u32 as usize];
    mem(c)
        .read(c, ptr as u32 as usize, &mut buf)
        .map_err(|_| fail("memory access out of bounds"))?;
    Ok(buf)
}
fn read32<A>(c: &C<'_, A>, ptr: i32) -> R<B256> {
    Ok(B256::from_slice(&read(c, ptr, 32)?))
}
fn read20<A>(c: &C<'_, A>, ptr: i32) -> R<Address> {
    Ok(Address::from_slice(&read(c, ptr, 20)?))
}
fn write<A>(c: &mut C<'_, A>, ptr: i32, data: &[u8]) -> R<()> {
    let m = mem(c);
    m.write(c, ptr as u32 as usize, data)
        .map_err(|_| fail("memory access out of bounds"))
}

/// Builds the linker with every host function a program may import.
pub fn linker<A: EvmApi + 'static>(engine: &wasmi::Engine) -> Linker<HostEnv<A>> {
    let mut linker = Linker::new(engine);
    memory::register(&mut linker);
    storage::register(&mut linker);
    calls::register(&mut linker);
    env::register(&mut linker);
    math::register(&mut linker);
    console::register(&mut linker);
    linker
}

/// Adds host functions to `linker` under `module`, each under its own name.
macro_rules! register {
    ($linker:expr, $module:expr, [$($func:ident),* $(,)?]) => {
        $(
            $linker
                .func_wrap($module, stringify!($func), $func::<A>)
                .expect("each host function is registered once");
        )*
    };
}
use register;

/// Runs a program's entrypoint with `gas` available, on the chain `api`; returns the outcome
/// and the chain.
#[allow(clippy::too_many_arguments)]
pub fn execute<A: EvmApi>(
    api: A,
    linker: &Linker<HostEnv<A>>,
    module: &wasmi::Module,
    params: &StylusParams,
    frame: Frame,
    evm_data: EvmData,
    args: Vec<u8>,
    gas: u64,
) -> (Outcome, A) {
    let ink = params.gas_to_ink(gas);
    let args_len = args.len() as u32;
    let env = HostEnv {
        tracing: api.tracing(),
        api,
        frame,
        evm_data,
        ink_price: params.ink_price as u64,
        args,
        outs: Vec::new(),
        return_data: Vec::new(),
        cache: HashMap::new(),
        reads: 0,
        writes: 0,
        ink_rem: ink % INK_PER_FUEL,
        refund: 0,
        memory: None,
        limiter: PageLimiter {
            pending: 0,
            limit_bytes: params.page_limit as usize * 65536,
        },
        start_ink: 0,
    };
    let mut store = wasmi::Store::new(linker.engine(), env);
    store.limiter(|d| &mut d.limiter);
    let _ = store.set_fuel(ink / INK_PER_FUEL);

    let instance = match linker.instantiate_and_start(&mut store, module) {
        Ok(i) => i,
        Err(e) => {
            let reason = format!("instantiation failed: {e}");
            return finish(store, OutcomeKind::Failure, Some(reason));
        }
    };
    let Some(memory) = instance.get_memory(&store, "memory") else {
        return finish(store, OutcomeKind::Failure, Some("no memory export".into()));
    };
    store.data_mut().memory = Some(memory);
    // initial memory is paid for by the call's footprint
    store.data_mut().limiter.pending = 0;
    let entry = match instance.get_typed_func::<i32, i32>(&store, crate::program::ENTRYPOINT) {
        Ok(f) => f,
        Err(e) => return finish(store, OutcomeKind::Failure, Some(e.to_string())),
    };
    // Nitro records the entry and the return as hostios, both with the ink the program
    // started with (`crates/stylus/src/run.rs`).
    let args = args_len.to_be_bytes().to_vec();
    trace_boundary(&store, "user_entrypoint", args, Vec::new(), ink);
    let result = entry.call(&mut store, args_len as i32);
    // only a program that returned (or exited early) reports a status
    let status = match &result {
        Ok(status) => Some(*status as u32),
        Err(e) => match e.downcast_ref::<Escape>() {
            Some(Escape::Exit(status)) => Some(*status),
            _ => None,
        },
    };
    if let Some(status) = status {
        let outs = status.to_be_bytes().to_vec();
        trace_boundary(&store, "user_returned", Vec::new(), outs, ink);
    }
    probe_stack(&store, memory);
    if !pay_final_pages(&mut store) {
        return finish(store, OutcomeKind::OutOfInk, None);
    }
    let (kind, reason) = match result {
        Ok(0) => (OutcomeKind::Success, None),
        Ok(_) => (OutcomeKind::Revert, None),
        Err(e) if e.as_trap_code() == Some(wasmi::TrapCode::OutOfFuel) => {
            (OutcomeKind::OutOfInk, None)
        }
        Err(e) => match e.downcast_ref::<Escape>() {
            Some(Escape::Exit(0)) => (OutcomeKind::Success, None),
            Some(Escape::Exit(_)) => (OutcomeKind::Revert, None),
            Some(Escape::OutOfInk) => (OutcomeKind::OutOfInk, None),
            Some(Escape::Failure(r)) => (OutcomeKind::Failure, Some(r.clone())),
            None => (OutcomeKind::Failure, Some(e.to_string())),
        },
    };
    finish(store, kind, reason)
}

/// Records the program's entry or return in a hostio trace.
fn trace_boundary<A: EvmApi>(
    store: &wasmi::Store<HostEnv<A>>,
    name: &'static str,
    args: Vec<u8>,
    outs: Vec<u8>,
    ink: u64,
) {
    let env = store.data();
    if env.tracing {
        env.api.capture_hostio(name, args, outs, (ink, ink));
    }
}

/// Pays for memory grown after the last host call; false if the ink does not cover it.
fn pay_final_pages<A: EvmApi>(store: &mut wasmi::Store<HostEnv<A>>) -> bool {
    let pending = std::mem::take(&mut store.data_mut().limiter.pending);
    if pending == 0 {
        return true;
    }
    let env = store.data_mut();
    let gas = env.api.add_pages(pending.min(u16::MAX as u32) as u16);
    let ink_needed = gas.saturating_mul(env.ink_price);
    let left = store.get_fuel().unwrap_or(0) * INK_PER_FUEL + store.data().ink_rem;
    let Some(rest) = left.checked_sub(ink_needed) else {
        return false;
    };
    let _ = store.set_fuel(rest / INK_PER_FUEL);
    store.data_mut().ink_rem = rest % INK_PER_FUEL;
    true
}

/// Diagnostic (devnet/README.md, "Stack depth"): how deep the call went into its Wasm stack.
/// Rust places the stack first, growing down from the top to 0, in memory that starts zeroed:
/// the lowest non-zero byte below the top marks the deepest write.
fn probe_stack<A>(store: &wasmi::Store<HostEnv<A>>, memory: Memory) {
    let Some(top) = std::env::var_os("VVV_DEVNET_STACK_PROBE") else {
        return;
    };
    let top: usize = top
        .to_str()
        .and_then(|t| t.parse().ok())
        .unwrap_or(32 * 1024);
    let data = memory.data(store);
    let top = top.min(data.len());
    let deepest = data[..top].iter().position(|&b| b != 0).unwrap_or(top);
    eprintln!(
        "stack probe: {} bytes used, {} pages",
        top - deepest,
        data.len() / 65536
    );
}

/// The outcome of a run that stopped with `kind`, and the chain handed back.
fn finish<A>(
    store: wasmi::Store<HostEnv<A>>,
    kind: OutcomeKind,
    reason: Option<String>,
) -> (Outcome, A) {
    let fuel = store.get_fuel().unwrap_or(0);
    let env = store.into_data();
    let ink_left = if kind == OutcomeKind::OutOfInk {
        0
    } else {
        fuel * INK_PER_FUEL + env.ink_rem
    };
    let output = match kind {
        OutcomeKind::Success | OutcomeKind::Revert => env.outs,
        _ => Vec::new(),
    };
    let outcome = Outcome {
        kind,
        output,
        gas_left: ink_left / env.ink_price,
        refund: env.refund,
        reason,
    };
    (outcome, env.api)
}

//! `vm_hooks` host functions for Stylus programs, run under wasmi with fuel-backed ink.

use crate::evm::{frame_output, run_frame, Ctx, Shared};
use crate::params::{evm_gas, ink, INK_PER_FUEL};
use alloy_primitives::{keccak256, Address, Bytes, Log, LogData, B256, U256};
use revm::bytecode::Bytecode;
use revm::context_interface::CreateScheme;
use revm::context_interface::{Block, ContextTr, JournalTr, Transaction};
use revm::interpreter::{CallInput, CallInputs, CallScheme, CallValue, CreateInputs, FrameInput};
use std::collections::HashMap;
use std::sync::Arc;
use wasmi::{Caller, Linker, Memory};
use wasmi_core::LimiterError;

/// The call frame a program runs in.
#[derive(Clone, Debug)]
pub struct Frame {
    pub contract: Address,
    pub sender: Address,
    pub value: U256,
    pub is_static: bool,
    pub reentrant: bool,
    pub codehash: B256,
}

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

struct StorageWord {
    value: B256,
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
        _max: Option<usize>,
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
pub struct HostEnv {
    ctx: *mut Ctx,
    shared: Arc<Shared>,
    frame: Frame,
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
    /// A hostio trace is being recorded (copied from `Shared` when the program starts, so
    /// untraced host calls test one bool).
    tracing: bool,
    /// Ink left when the current host call started (kept only while tracing).
    start_ink: u64,
}

type R<T> = Result<T, wasmi::Error>;

fn esc(e: Escape) -> wasmi::Error {
    wasmi::Error::host(e)
}
fn fail(msg: impl Into<String>) -> wasmi::Error {
    esc(Escape::Failure(msg.into()))
}

fn ink_left(c: &Caller<'_, HostEnv>) -> u64 {
    let fuel = c.get_fuel().unwrap_or(0);
    fuel.saturating_mul(INK_PER_FUEL)
        .saturating_add(c.data().ink_rem)
}
fn set_ink(c: &mut Caller<'_, HostEnv>, ink: u64) {
    let _ = c.set_fuel(ink / INK_PER_FUEL);
    c.data_mut().ink_rem = ink % INK_PER_FUEL;
}
fn buy_ink(c: &mut Caller<'_, HostEnv>, amount: u64) -> R<()> {
    let left = ink_left(c);
    if left < amount {
        set_ink(c, 0);
        return Err(esc(Escape::OutOfInk));
    }
    set_ink(c, left - amount);
    Ok(())
}
fn price(c: &Caller<'_, HostEnv>) -> u64 {
    c.data().shared.params.ink_price as u64
}
fn gas_left(c: &Caller<'_, HostEnv>) -> u64 {
    ink_left(c) / price(c)
}
fn buy_gas(c: &mut Caller<'_, HostEnv>, gas: u64) -> R<()> {
    let p = price(c);
    buy_ink(c, gas.saturating_mul(p))
}
fn require_gas(c: &mut Caller<'_, HostEnv>, gas: u64) -> R<()> {
    if ink_left(c) < gas.saturating_mul(price(c)) {
        set_ink(c, 0);
        return Err(esc(Escape::OutOfInk));
    }
    Ok(())
}
/// Starts a host call: pays pending memory growth and the base ink.
fn hostio(c: &mut Caller<'_, HostEnv>, base: u64) -> R<()> {
    trace_start(c);
    pay_pending_pages(c)?;
    buy_ink(c, base)
}

/// Notes the ink a host call starts with, for its trace record (Nitro: `start_ink` of the
/// hostio, taken before it pays anything).
fn trace_start(c: &mut Caller<'_, HostEnv>) {
    if c.data().tracing {
        c.data_mut().start_ink = ink_left(c);
    }
}

/// Records a finished host call in the trace, with the ink left now as its end ink.
fn record(c: &Caller<'_, HostEnv>, name: &'static str, args: Vec<u8>, outs: Vec<u8>) {
    let (start, end) = (c.data().start_ink, ink_left(c));
    c.data()
        .shared
        .record(|r| r.hostio(name, args, outs, start, end));
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
            record(&$c, $name, args, outs);
        }
    };
}
fn pay_pending_pages(c: &mut Caller<'_, HostEnv>) -> R<()> {
    let pages = std::mem::take(&mut c.data_mut().limiter.pending);
    if pages > 0 {
        let gas = add_pages(c.data(), pages.min(u16::MAX as u32) as u16);
        buy_gas(c, gas)?;
    }
    Ok(())
}
fn add_pages(env: &HostEnv, pages: u16) -> u64 {
    let model = env.shared.params.memory_model();
    let mut tx = env.shared.tx.lock().unwrap();
    let cost = model.gas_cost(pages, tx.open_pages, tx.ever_pages);
    tx.open_pages = tx.open_pages.saturating_add(pages);
    tx.ever_pages = tx.ever_pages.max(tx.open_pages);
    cost
}

fn ctx<'a>(c: &Caller<'_, HostEnv>) -> &'a mut Ctx {
    // SAFETY: the context outlives the program's execution and nothing else touches it while
    // the program runs (calls out are made through this same pointer, one at a time).
    unsafe { &mut *c.data().ctx }
}

fn mem(c: &Caller<'_, HostEnv>) -> Memory {
    c.data()
        .memory
        .expect("memory is set before the entrypoint runs")
}
fn read(c: &Caller<'_, HostEnv>, ptr: i32, len: i32) -> R<Vec<u8>> {
    let mut buf = vec![0u8; len as u32 as usize];
    mem(c)
        .read(c, ptr as u32 as usize, &mut buf)
        .map_err(|_| fail("memory access out of bounds"))?;
    Ok(buf)
}
fn read32(c: &Caller<'_, HostEnv>, ptr: i32) -> R<B256> {
    Ok(B256::from_slice(&read(c, ptr, 32)?))
}
fn read20(c: &Caller<'_, HostEnv>, ptr: i32) -> R<Address> {
    Ok(Address::from_slice(&read(c, ptr, 20)?))
}
fn write(c: &mut Caller<'_, HostEnv>, ptr: i32, data: &[u8]) -> R<()> {
    let m = mem(c);
    m.write(c, ptr as u32 as usize, data)
        .map_err(|_| fail("memory access out of bounds"))
}

fn storage_cost(original: U256, present: U256, new: U256, cold: bool) -> (u64, i64) {
    let mut cost = if cold { evm_gas::COLD_SLOAD } else { 0 };
    let mut refund = 0i64;
    if new == present {
        cost += evm_gas::WARM_READ;
    } else if original == present {
        if original.is_zero() {
            cost += 20_000;
        } else {
            cost += 2_900;
            if new.is_zero() {
                refund += 4_800;
            }
        }
    } else {
        cost += evm_gas::WARM_READ;
        if !original.is_zero() {
            if present.is_zero() {
                refund -= 4_800;
            } else if new.is_zero() {
                refund += 4_800;
            }
        }
        if original == new {
            refund += if original.is_zero() { 19_900 } else { 2_800 };
        }
    }
    (cost, refund)
}

/// Gas an access to `addr` costs (EIP-2929) and whether the account is empty.
fn touch(ctx: &mut Ctx, addr: Address) -> (u64, bool) {
    match ctx.journal_mut().load_account(addr) {
        Ok(acc) => {
            let empty = acc.data.is_empty();
            (
                if acc.is_cold {
                    evm_gas::COLD_ACCOUNT
                } else {
                    evm_gas::WARM_READ
                },
                empty,
            )
        }
        Err(_) => (evm_gas::COLD_ACCOUNT, true),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum CallKind {
    Call,
    Delegate,
    Static,
}

/// The body shared by `call_contract`, `delegate_call_contract` and `static_call_contract`:
/// charge the hostio and the calldata read, run the call (`value_ptr` only for a plain call),
/// charge what it cost and write the return-data length.
#[allow(clippy::too_many_arguments)]
fn call_hostio(
    c: &mut Caller<'_, HostEnv>,
    kind: CallKind,
    to: i32,
    data: i32,
    len: i32,
    value_ptr: Option<i32>,
    gas: i64,
    ret_len: i32,
) -> R<i32> {
    hostio(c, ink::HOSTIO + 3 * ink::PTR + ink::EVM_API)?;
    buy_ink(c, 2 * ink::read_price(len as u32))?;
    let gas_req = (gas as u64).min(gas_left(c));
    let to = read20(c, to)?;
    let input = read(c, data, len)?;
    let value = match value_ptr {
        Some(ptr) => U256::from_be_bytes(read32(c, ptr)?.0),
        None => U256::ZERO,
    };
    // Nitro traces the calldata after the call consumed it: keep a copy only while tracing
    let traced_input = c.data().tracing.then(|| input.clone());
    let (out_len, cost, status) = do_call(c, kind, to, input, gas_req, value);
    buy_gas(c, cost)?;
    write(c, ret_len, &out_len.to_le_bytes())?;
    if let Some(input) = traced_input {
        // (address, requested gas, [value,] calldata) → (return data length, status)
        let name = match kind {
            CallKind::Call => "call_contract",
            CallKind::Delegate => "delegate_call_contract",
            CallKind::Static => "static_call_contract",
        };
        let value = match value_ptr {
            Some(_) => value.to_be_bytes::<32>().to_vec(),
            None => Vec::new(),
        };
        trace!(
            c,
            name,
            [to, (gas as u64).to_be_bytes(), value, input],
            [out_len.to_be_bytes(), [status]]
        );
    }
    Ok(status as i32)
}

/// Makes a call from a program: returns (return data length, gas cost, status).
fn do_call(
    c: &mut Caller<'_, HostEnv>,
    kind: CallKind,
    target: Address,
    input: Vec<u8>,
    gas_req: u64,
    value: U256,
) -> (u32, u64, u8) {
    let gas_left = gas_left(c);
    let frame = c.data().frame.clone();
    let shared = c.data().shared.clone();
    let ctx = ctx(c);
    if frame.is_static && !value.is_zero() {
        c.data_mut().return_data.clear();
        return (0, 0, 1);
    }
    let (mut base, empty) = touch(ctx, target);
    if !value.is_zero() {
        base += evm_gas::CALL_VALUE;
        if empty {
            base += evm_gas::NEW_ACCOUNT;
        }
    }
    if gas_left < base {
        c.data_mut().return_data.clear();
        return (0, gas_left, 1);
    }
    let start_gas = (gas_left - base) * 63 / 64;
    let mut gas = start_gas.min(gas_req);
    if !value.is_zero() {
        gas += evm_gas::CALL_STIPEND;
    }
    let (code_hash, code) = match ctx.journal_mut().load_account_with_code(target) {
        Ok(acc) => (
            acc.data.info.code_hash,
            acc.data.info.code.clone().unwrap_or_default(),
        ),
        Err(_) => (B256::ZERO, Bytecode::default()),
    };
    let inputs = CallInputs {
        input: CallInput::Bytes(Bytes::from(input)),
        return_memory_offset: 0..0,
        gas_limit: gas,
        reservoir: 0,
        bytecode_address: target,
        known_bytecode: (code_hash, code),
        target_address: if kind == CallKind::Delegate {
            frame.contract
        } else {
            target
        },
        caller: if kind == CallKind::Delegate {
            frame.sender
        } else {
            frame.contract
        },
        value: match kind {
            CallKind::Delegate => CallValue::Apparent(frame.value),
            _ => CallValue::Transfer(value),
        },
        scheme: match kind {
            CallKind::Call => CallScheme::Call,
            CallKind::Delegate => CallScheme::DelegateCall,
            CallKind::Static => CallScheme::StaticCall,
        },
        is_static: frame.is_static || kind == CallKind::Static,
        charged_new_account_state_gas: false,
    };
    let result = run_frame(ctx, &shared, FrameInput::Call(Box::new(inputs)));
    let (res, _) = frame_output(&result);
    let ok = res.result.is_ok();
    let returned = res.gas.remaining();
    if ok {
        c.data_mut().refund += res.gas.refunded();
    }
    let out = res.output.to_vec();
    let len = out.len() as u32;
    c.data_mut().return_data = out;
    let cost = base.saturating_add(gas.saturating_sub(returned));
    (len, cost, if ok { 0 } else { 1 })
}

fn do_create(
    c: &mut Caller<'_, HostEnv>,
    code: Vec<u8>,
    endowment: U256,
    salt: Option<B256>,
) -> R<(Address, u32, u64)> {
    let frame = c.data().frame.clone();
    if frame.is_static {
        return Err(fail("write protection: create in a static call"));
    }
    let shared = c.data().shared.clone();
    let start_gas = gas_left(c);
    let mut base = evm_gas::CREATE;
    if salt.is_some() {
        base += evm_gas::KECCAK_WORD * (code.len() as u64).div_ceil(32);
    }
    if start_gas < base {
        return Err(fail("out of gas for create"));
    }
    let mut gas = start_gas - base;
    let one64th = gas / 64;
    gas -= one64th;
    let scheme = match salt {
        Some(s) => CreateScheme::Create2 {
            salt: U256::from_be_bytes(s.0),
        },
        None => CreateScheme::Create,
    };
    let inputs = CreateInputs::new(frame.contract, scheme, endowment, Bytes::from(code), gas, 0);
    let ctx = ctx(c);
    let result = run_frame(ctx, &shared, FrameInput::Create(Box::new(inputs)));
    let (res, addr) = frame_output(&result);
    let ok = res.result.is_ok();
    let returned = res.gas.remaining();
    if ok {
        c.data_mut().refund += res.gas.refunded();
    }
    let data = if res.result == revm::interpreter::InstructionResult::Revert {
        res.output.to_vec()
    } else {
        Vec::new()
    };
    let len = data.len() as u32;
    c.data_mut().return_data = data;
    let address = if ok {
        addr.unwrap_or_default()
    } else {
        Address::ZERO
    };
    let cost = start_gas.saturating_sub(returned + one64th);
    Ok((address, len, cost))
}

fn say(c: &Caller<'_, HostEnv>, text: String) {
    if std::env::var_os("VVV_DEVNET_CONSOLE").is_some() {
        eprintln!("[stylus {}] {text}", c.data().frame.contract);
    }
    c.data().shared.console.lock().unwrap().push(text);
}

/// Builds the linker with every host function a program may import.
pub fn linker(engine: &wasmi::Engine) -> Linker<HostEnv> {
    let mut l = Linker::<HostEnv>::new(engine);
    let h = "vm_hooks";
    macro_rules! f {
        ($name:expr, $func:expr) => {
            l.func_wrap(h, $name, $func).expect("unique host function");
        };
    }
    use ink::*;

    f!("read_args", |mut c: Caller<'_, HostEnv>,
                     ptr: i32|
     -> R<()> {
        hostio(&mut c, HOSTIO)?;
        let args = c.data().args.clone();
        buy_ink(&mut c, write_price(args.len() as u32))?;
        write(&mut c, ptr, &args)?;
        trace!(c, "read_args", [], [args]);
        Ok(())
    });
    f!("write_result", |mut c: Caller<'_, HostEnv>,
                        ptr: i32,
                        len: i32|
     -> R<()> {
        hostio(&mut c, HOSTIO)?;
        buy_ink(&mut c, read_price(len as u32))?;
        buy_ink(&mut c, read_price(len as u32))?;
        let outs = read(&c, ptr, len)?;
        trace!(c, "write_result", [outs], []);
        c.data_mut().outs = outs;
        Ok(())
    });
    f!("exit_early", |mut c: Caller<'_, HostEnv>,
                      status: i32|
     -> R<()> {
        trace_start(&mut c);
        trace!(c, "exit_early", [(status as u32).to_be_bytes()], []);
        Err(esc(Escape::Exit(status as u32)))
    });

    f!("storage_load_bytes32", |mut c: Caller<'_, HostEnv>,
                                key: i32,
                                dest: i32|
     -> R<()> {
        hostio(&mut c, HOSTIO + 2 * PTR)?;
        let api_gas = EVM_API / price(&c);
        require_gas(
            &mut c,
            evm_gas::COLD_SLOAD + evm_gas::CACHE_ACCESS_REQUIRED + api_gas,
        )?;
        let key = read32(&c, key)?;
        let env = c.data_mut();
        env.reads += 1;
        let mut cost = match env.reads {
            0..=32 => 0,
            33..=128 => 2,
            _ => 10,
        };
        let value = match env.cache.get(&key) {
            Some(w) => w.value,
            None => {
                let contract = env.frame.contract;
                let ctx = ctx(&c);
                let loaded = ctx
                    .journal_mut()
                    .sload(contract, key.into())
                    .map_err(|_| fail("database error"))?;
                cost += if loaded.is_cold {
                    evm_gas::COLD_SLOAD
                } else {
                    evm_gas::WARM_READ
                } + api_gas;
                let v = B256::from(loaded.data.to_be_bytes::<32>());
                c.data_mut().cache.insert(
                    key,
                    StorageWord {
                        value: v,
                        known: Some(v),
                    },
                );
                v
            }
        };
        buy_gas(&mut c, cost)?;
        write(&mut c, dest, value.as_slice())?;
        trace!(c, "storage_load_bytes32", [key], [value]);
        Ok(())
    });
    f!("storage_cache_bytes32", |mut c: Caller<'_, HostEnv>,
                                 key: i32,
                                 value: i32|
     -> R<()> {
        hostio(&mut c, HOSTIO + 2 * PTR)?;
        require_gas(
            &mut c,
            evm_gas::SSTORE_SENTRY + evm_gas::CACHE_ACCESS_REQUIRED,
        )?;
        let key = read32(&c, key)?;
        let value = read32(&c, value)?;
        let env = c.data_mut();
        env.writes += 1;
        let cost = match env.writes {
            0..=8 => 0,
            9..=64 => 7,
            _ => 10,
        };
        env.cache
            .entry(key)
            .and_modify(|w| w.value = value)
            .or_insert(StorageWord { value, known: None });
        buy_gas(&mut c, cost)?;
        trace!(c, "storage_cache_bytes32", [key, value], []);
        Ok(())
    });
    f!("storage_flush_cache", |mut c: Caller<'_, HostEnv>,
                               clear: i32|
     -> R<()> {
        hostio(&mut c, HOSTIO + EVM_API)?;
        require_gas(&mut c, evm_gas::SSTORE_SENTRY)?;
        let mut dirty: Vec<(B256, B256)> = Vec::new();
        for (k, w) in c.data_mut().cache.iter_mut() {
            if Some(w.value) != w.known {
                dirty.push((*k, w.value));
                w.known = Some(w.value);
            }
        }
        if clear != 0 {
            c.data_mut().cache.clear();
        }
        if dirty.is_empty() {
            trace!(c, "storage_flush_cache", [[(clear != 0) as u8]], []);
            return Ok(());
        }
        if c.data().frame.is_static {
            return Err(fail("write protection: storage write in a static call"));
        }
        dirty.sort();
        let contract = c.data().frame.contract;
        let mut budget = gas_left(&c);
        let mut total = 0u64;
        let ctx = ctx(&c);
        for (k, v) in dirty {
            let r = ctx
                .journal_mut()
                .sstore(contract, k.into(), U256::from_be_bytes(v.0))
                .map_err(|_| fail("database error"))?;
            let (cost, refund) = storage_cost(
                r.data.original_value,
                r.data.present_value,
                r.data.new_value,
                r.is_cold,
            );
            if cost > budget {
                set_ink(&mut c, 0);
                return Err(esc(Escape::OutOfInk));
            }
            budget -= cost;
            total += cost;
            c.data_mut().refund += refund;
        }
        buy_gas(&mut c, total)?;
        trace!(c, "storage_flush_cache", [[(clear != 0) as u8]], []);
        Ok(())
    });
    f!("transient_load_bytes32", |mut c: Caller<'_, HostEnv>,
                                  key: i32,
                                  dest: i32|
     -> R<()> {
        hostio(&mut c, HOSTIO + 2 * PTR + EVM_API)?;
        buy_gas(&mut c, evm_gas::WARM_READ)?;
        let key = read32(&c, key)?;
        let contract = c.data().frame.contract;
        let v = ctx(&c).journal_mut().tload(contract, key.into());
        write(&mut c, dest, &v.to_be_bytes::<32>())?;
        trace!(c, "transient_load_bytes32", [key], [v.to_be_bytes::<32>()]);
        Ok(())
    });
    f!("transient_store_bytes32", |mut c: Caller<'_, HostEnv>,
                                   key: i32,
                                   value: i32|
     -> R<()> {
        hostio(&mut c, HOSTIO + 2 * PTR + EVM_API)?;
        buy_gas(&mut c, evm_gas::WARM_READ)?;
        let key = read32(&c, key)?;
        let value = read32(&c, value)?;
        if c.data().frame.is_static {
            return Err(fail("write protection: transient store in a static call"));
        }
        let contract = c.data().frame.contract;
        ctx(&c)
            .journal_mut()
            .tstore(contract, key.into(), U256::from_be_bytes(value.0));
        trace!(c, "transient_store_bytes32", [key, value], []);
        Ok(())
    });

    f!("call_contract", |mut c: Caller<'_, HostEnv>,
                         to: i32,
                         data: i32,
                         len: i32,
                         value: i32,
                         gas: i64,
                         ret_len: i32|
     -> R<i32> {
        call_hostio(
            &mut c,
            CallKind::Call,
            to,
            data,
            len,
            Some(value),
            gas,
            ret_len,
        )
    });
    f!("delegate_call_contract", |mut c: Caller<'_, HostEnv>,
                                  to: i32,
                                  data: i32,
                                  len: i32,
                                  gas: i64,
                                  ret_len: i32|
     -> R<i32> {
        call_hostio(
            &mut c,
            CallKind::Delegate,
            to,
            data,
            len,
            None,
            gas,
            ret_len,
        )
    });
    f!("static_call_contract", |mut c: Caller<'_, HostEnv>,
                                to: i32,
                                data: i32,
                                len: i32,
                                gas: i64,
                                ret_len: i32|
     -> R<i32> {
        call_hostio(&mut c, CallKind::Static, to, data, len, None, gas, ret_len)
    });
    f!("create1", |mut c: Caller<'_, HostEnv>,
                   code: i32,
                   len: i32,
                   endowment: i32,
                   contract: i32,
                   ret_len: i32|
     -> R<()> {
        hostio(&mut c, HOSTIO + 3 * PTR + EVM_API)?;
        buy_ink(&mut c, 2 * read_price(len as u32))?;
        let code = read(&c, code, len)?;
        let traced_code = c.data().tracing.then(|| code.clone());
        let endowment = U256::from_be_bytes(read32(&c, endowment)?.0);
        let (addr, rlen, cost) = do_create(&mut c, code, endowment, None)?;
        buy_gas(&mut c, cost)?;
        write(&mut c, ret_len, &rlen.to_le_bytes())?;
        write(&mut c, contract, addr.as_slice())?;
        if let Some(code) = traced_code {
            let endowment = endowment.to_be_bytes::<32>();
            trace!(c, "create1", [endowment, code], [addr, rlen.to_be_bytes()]);
        }
        Ok(())
    });
    f!("create2", |mut c: Caller<'_, HostEnv>,
                   code: i32,
                   len: i32,
                   endowment: i32,
                   salt: i32,
                   contract: i32,
                   ret_len: i32|
     -> R<()> {
        hostio(&mut c, HOSTIO + 4 * PTR + EVM_API)?;
        buy_ink(&mut c, 2 * read_price(len as u32))?;
        let code = read(&c, code, len)?;
        let traced_code = c.data().tracing.then(|| code.clone());
        let endowment = U256::from_be_bytes(read32(&c, endowment)?.0);
        let salt = read32(&c, salt)?;
        let (addr, rlen, cost) = do_create(&mut c, code, endowment, Some(salt))?;
        buy_gas(&mut c, cost)?;
        write(&mut c, ret_len, &rlen.to_le_bytes())?;
        write(&mut c, contract, addr.as_slice())?;
        if let Some(code) = traced_code {
            let endowment = endowment.to_be_bytes::<32>();
            trace!(
                c,
                "create2",
                [endowment, salt, code],
                [addr, rlen.to_be_bytes()]
            );
        }
        Ok(())
    });
    f!("read_return_data", |mut c: Caller<'_, HostEnv>,
                            dest: i32,
                            offset: i32,
                            size: i32|
     -> R<i32> {
        hostio(&mut c, HOSTIO + EVM_API)?;
        let traced = (offset as u32, size as u32);
        let (offset, size) = (offset as u32 as usize, size as u32 as usize);
        let len = c.data().return_data.len();
        let max = len.saturating_sub(offset);
        buy_ink(&mut c, write_price(size.min(max) as u32))?;
        if max == 0 {
            trace!(
                c,
                "read_return_data",
                [traced.0.to_be_bytes(), traced.1.to_be_bytes()],
                []
            );
            return Ok(0);
        }
        let end = offset.saturating_add(size).min(len);
        let out = c.data().return_data[offset..end].to_vec();
        if !out.is_empty() {
            write(&mut c, dest, &out)?;
        }
        trace!(
            c,
            "read_return_data",
            [traced.0.to_be_bytes(), traced.1.to_be_bytes()],
            [out]
        );
        Ok(out.len() as i32)
    });
    f!("return_data_size", |mut c: Caller<'_, HostEnv>| -> R<i32> {
        hostio(&mut c, HOSTIO)?;
        let len = c.data().return_data.len() as u32;
        trace!(c, "return_data_size", [], [len.to_be_bytes()]);
        Ok(len as i32)
    });
    f!("emit_log", |mut c: Caller<'_, HostEnv>,
                    data: i32,
                    len: i32,
                    topics: i32|
     -> R<()> {
        hostio(&mut c, HOSTIO + EVM_API)?;
        let (len, topics) = (len as u32, topics as u32);
        if topics > 4 || len < topics * 32 {
            return Err(fail("bad topic data"));
        }
        buy_ink(&mut c, read_price(len))?;
        buy_gas(
            &mut c,
            (1 + topics as u64) * evm_gas::LOG_TOPIC
                + (len - topics * 32) as u64 * evm_gas::LOG_DATA,
        )?;
        if c.data().frame.is_static {
            return Err(fail("write protection: log in a static call"));
        }
        let bytes = read(&c, data, len as i32)?;
        let t: Vec<B256> = bytes[..topics as usize * 32]
            .chunks(32)
            .map(B256::from_slice)
            .collect();
        let body = Bytes::copy_from_slice(&bytes[topics as usize * 32..]);
        let address = c.data().frame.contract;
        ctx(&c).journal_mut().log(Log {
            address,
            data: LogData::new_unchecked(t, body),
        });
        trace!(c, "emit_log", [topics.to_be_bytes(), bytes], []);
        Ok(())
    });
    f!("account_balance", |mut c: Caller<'_, HostEnv>,
                           addr: i32,
                           dest: i32|
     -> R<()> {
        hostio(&mut c, HOSTIO + 2 * PTR + EVM_API)?;
        require_gas(&mut c, evm_gas::COLD_ACCOUNT)?;
        let addr = read20(&c, addr)?;
        let ctx = ctx(&c);
        let (cost, _) = touch(ctx, addr);
        let bal = ctx
            .journal_mut()
            .load_account(addr)
            .map(|a| a.data.info.balance)
            .unwrap_or_default();
        buy_gas(&mut c, cost)?;
        write(&mut c, dest, &bal.to_be_bytes::<32>())?;
        trace!(c, "account_balance", [addr], [bal.to_be_bytes::<32>()]);
        Ok(())
    });
    fn code_of(ctx: &mut Ctx, addr: Address) -> Vec<u8> {
        ctx.journal_mut()
            .code(addr)
            .map(|c| c.data.to_vec())
            .unwrap_or_default()
    }
    f!("account_code", |mut c: Caller<'_, HostEnv>,
                        addr: i32,
                        offset: i32,
                        size: i32,
                        dest: i32|
     -> R<i32> {
        hostio(&mut c, HOSTIO + EVM_API)?;
        require_gas(&mut c, evm_gas::COLD_ACCOUNT)?;
        let addr = read20(&c, addr)?;
        let ctx = ctx(&c);
        let (cost, _) = touch(ctx, addr);
        let code = code_of(ctx, addr);
        buy_gas(&mut c, cost)?;
        buy_ink(&mut c, write_price(code.len() as u32))?;
        let traced = (offset as u32, size as u32);
        let (offset, size) = (offset as u32 as usize, size as u32 as usize);
        let start = offset.min(code.len());
        let end = offset.saturating_add(size).min(code.len());
        let out = code[start..end].to_vec();
        write(&mut c, dest, &out)?;
        trace!(
            c,
            "account_code",
            [addr, traced.0.to_be_bytes(), traced.1.to_be_bytes()],
            [out]
        );
        Ok(out.len() as i32)
    });
    f!("account_code_size", |mut c: Caller<'_, HostEnv>,
                             addr: i32|
     -> R<i32> {
        hostio(&mut c, HOSTIO + EVM_API)?;
        require_gas(&mut c, evm_gas::COLD_ACCOUNT)?;
        let addr = read20(&c, addr)?;
        let ctx = ctx(&c);
        let (cost, _) = touch(ctx, addr);
        let len = code_of(ctx, addr).len() as u32;
        buy_gas(&mut c, cost)?;
        trace!(c, "account_code_size", [addr], [len.to_be_bytes()]);
        Ok(len as i32)
    });
    f!("account_codehash", |mut c: Caller<'_, HostEnv>,
                            addr: i32,
                            dest: i32|
     -> R<()> {
        hostio(&mut c, HOSTIO + 2 * PTR + EVM_API)?;
        require_gas(&mut c, evm_gas::COLD_ACCOUNT)?;
        let addr = read20(&c, addr)?;
        let ctx = ctx(&c);
        let (cost, _) = touch(ctx, addr);
        let hash = ctx
            .journal_mut()
            .code_hash(addr)
            .map(|h| h.data)
            .unwrap_or_default();
        buy_gas(&mut c, cost)?;
        write(&mut c, dest, hash.as_slice())?;
        trace!(c, "account_codehash", [addr], [hash]);
        Ok(())
    });
    f!("block_basefee", |mut c: Caller<'_, HostEnv>,
                         dest: i32|
     -> R<()> {
        hostio(&mut c, HOSTIO + PTR)?;
        let fee = U256::from(ctx(&c).block.basefee()).to_be_bytes::<32>();
        write(&mut c, dest, &fee)?;
        trace!(c, "block_basefee", [], [fee]);
        Ok(())
    });
    f!("block_coinbase", |mut c: Caller<'_, HostEnv>,
                          dest: i32|
     -> R<()> {
        hostio(&mut c, HOSTIO + PTR)?;
        let cb = ctx(&c).block.beneficiary();
        write(&mut c, dest, cb.as_slice())?;
        trace!(c, "block_coinbase", [], [cb]);
        Ok(())
    });
    f!("block_gas_limit", |mut c: Caller<'_, HostEnv>| -> R<i64> {
        hostio(&mut c, HOSTIO)?;
        let limit = ctx(&c).block.gas_limit();
        trace!(c, "block_gas_limit", [], [limit.to_be_bytes()]);
        Ok(limit as i64)
    });
    f!("block_number", |mut c: Caller<'_, HostEnv>| -> R<i64> {
        hostio(&mut c, HOSTIO)?;
        let n = ctx(&c).block.number().saturating_to::<u64>();
        trace!(c, "block_number", [], [n.to_be_bytes()]);
        Ok(n as i64)
    });
    f!("block_timestamp", |mut c: Caller<'_, HostEnv>| -> R<i64> {
        hostio(&mut c, HOSTIO)?;
        let t = ctx(&c).block.timestamp().saturating_to::<u64>();
        trace!(c, "block_timestamp", [], [t.to_be_bytes()]);
        Ok(t as i64)
    });
    f!("chainid", |mut c: Caller<'_, HostEnv>| -> R<i64> {
        hostio(&mut c, HOSTIO)?;
        let id = ctx(&c).cfg.chain_id;
        trace!(c, "chainid", [], [id.to_be_bytes()]);
        Ok(id as i64)
    });
    f!("contract_address", |mut c: Caller<'_, HostEnv>,
                            dest: i32|
     -> R<()> {
        hostio(&mut c, HOSTIO + PTR)?;
        let a = c.data().frame.contract;
        write(&mut c, dest, a.as_slice())?;
        trace!(c, "contract_address", [], [a]);
        Ok(())
    });
    f!("evm_gas_left", |mut c: Caller<'_, HostEnv>| -> R<i64> {
        hostio(&mut c, HOSTIO)?;
        let gas = gas_left(&c);
        trace!(c, "evm_gas_left", [], [gas.to_be_bytes()]);
        Ok(gas as i64)
    });
    f!("evm_ink_left", |mut c: Caller<'_, HostEnv>| -> R<i64> {
        hostio(&mut c, HOSTIO)?;
        let ink = ink_left(&c);
        trace!(c, "evm_ink_left", [], [ink.to_be_bytes()]);
        Ok(ink as i64)
    });
    fn math2(
        c: &mut Caller<'_, HostEnv>,
        name: &'static str,
        a: i32,
        b: i32,
        base: u64,
        op: fn(U256, U256) -> U256,
        pow: bool,
    ) -> R<()> {
        hostio(c, base)?;
        let xb = read32(c, a)?;
        let yb = read32(c, b)?;
        if pow {
            buy_ink(c, ink::pow_price(&yb.0))?;
        }
        let r = op(U256::from_be_bytes(xb.0), U256::from_be_bytes(yb.0)).to_be_bytes::<32>();
        write(c, a, &r)?;
        trace!(c, name, [xb, yb], [r]);
        Ok(())
    }
    fn math3(
        c: &mut Caller<'_, HostEnv>,
        name: &'static str,
        a: i32,
        b: i32,
        m: i32,
        base: u64,
        op: fn(U256, U256, U256) -> U256,
    ) -> R<()> {
        hostio(c, base)?;
        let (xb, yb, zb) = (read32(c, a)?, read32(c, b)?, read32(c, m)?);
        let [x, y, z] = [xb, yb, zb].map(|w| U256::from_be_bytes(w.0));
        let r = op(x, y, z).to_be_bytes::<32>();
        write(c, a, &r)?;
        trace!(c, name, [xb, yb, zb], [r]);
        Ok(())
    }
    f!("math_div", |mut c: Caller<'_, HostEnv>,
                    a: i32,
                    b: i32|
     -> R<()> {
        math2(
            &mut c,
            "math_div",
            a,
            b,
            HOSTIO + 3 * PTR + DIV,
            |x, y| x.checked_div(y).unwrap_or_default(),
            false,
        )
    });
    f!("math_mod", |mut c: Caller<'_, HostEnv>,
                    a: i32,
                    b: i32|
     -> R<()> {
        math2(
            &mut c,
            "math_mod",
            a,
            b,
            HOSTIO + 3 * PTR + DIV,
            |x, y| x.checked_rem(y).unwrap_or_default(),
            false,
        )
    });
    f!("math_pow", |mut c: Caller<'_, HostEnv>,
                    a: i32,
                    b: i32|
     -> R<()> {
        math2(
            &mut c,
            "math_pow",
            a,
            b,
            HOSTIO + 3 * PTR,
            |x, y| x.wrapping_pow(y),
            true,
        )
    });
    f!("math_add_mod", |mut c: Caller<'_, HostEnv>,
                        a: i32,
                        b: i32,
                        m: i32|
     -> R<()> {
        math3(
            &mut c,
            "math_add_mod",
            a,
            b,
            m,
            HOSTIO + 4 * PTR + ADD_MOD,
            |x, y, z| x.add_mod(y, z),
        )
    });
    f!("math_mul_mod", |mut c: Caller<'_, HostEnv>,
                        a: i32,
                        b: i32,
                        m: i32|
     -> R<()> {
        math3(
            &mut c,
            "math_mul_mod",
            a,
            b,
            m,
            HOSTIO + 4 * PTR + MUL_MOD,
            |x, y, z| x.mul_mod(y, z),
        )
    });
    f!("msg_reentrant", |mut c: Caller<'_, HostEnv>| -> R<i32> {
        hostio(&mut c, HOSTIO)?;
        let reentrant = c.data().frame.reentrant as u32;
        trace!(c, "msg_reentrant", [], [reentrant.to_be_bytes()]);
        Ok(reentrant as i32)
    });
    f!("msg_sender", |mut c: Caller<'_, HostEnv>,
                      dest: i32|
     -> R<()> {
        hostio(&mut c, HOSTIO + PTR)?;
        let a = c.data().frame.sender;
        write(&mut c, dest, a.as_slice())?;
        trace!(c, "msg_sender", [], [a]);
        Ok(())
    });
    f!("msg_value", |mut c: Caller<'_, HostEnv>,
                     dest: i32|
     -> R<()> {
        hostio(&mut c, HOSTIO + PTR)?;
        let v = c.data().frame.value.to_be_bytes::<32>();
        write(&mut c, dest, &v)?;
        trace!(c, "msg_value", [], [v]);
        Ok(())
    });
    f!("native_keccak256", |mut c: Caller<'_, HostEnv>,
                            input: i32,
                            len: i32,
                            out: i32|
     -> R<()> {
        trace_start(&mut c);
        pay_pending_pages(&mut c)?;
        buy_ink(&mut c, keccak_price(len as u32))?;
        let data = read(&c, input, len)?;
        let digest = keccak256(&data);
        write(&mut c, out, digest.as_slice())?;
        trace!(c, "native_keccak256", [data], [digest]);
        Ok(())
    });
    f!("tx_gas_price", |mut c: Caller<'_, HostEnv>,
                        dest: i32|
     -> R<()> {
        hostio(&mut c, HOSTIO + PTR)?;
        let ctx = ctx(&c);
        let basefee = ctx.block.basefee() as u128;
        let price = U256::from(ctx.tx.effective_gas_price(basefee)).to_be_bytes::<32>();
        write(&mut c, dest, &price)?;
        trace!(c, "tx_gas_price", [], [price]);
        Ok(())
    });
    f!("tx_ink_price", |mut c: Caller<'_, HostEnv>| -> R<i32> {
        hostio(&mut c, HOSTIO)?;
        let p = price(&c) as u32;
        trace!(c, "tx_ink_price", [], [p.to_be_bytes()]);
        Ok(p as i32)
    });
    f!("tx_origin", |mut c: Caller<'_, HostEnv>,
                     dest: i32|
     -> R<()> {
        hostio(&mut c, HOSTIO + PTR)?;
        let o = ctx(&c).tx.caller();
        write(&mut c, dest, o.as_slice())?;
        trace!(c, "tx_origin", [], [o]);
        Ok(())
    });
    f!("pay_for_memory_grow", |mut c: Caller<'_, HostEnv>,
                               pages: i32|
     -> R<()> {
        trace_start(&mut c);
        pay_pending_pages(&mut c)?;
        if pages == 0 {
            buy_ink(&mut c, HOSTIO)?;
        }
        let gas = add_pages(c.data(), pages as u16);
        buy_gas(&mut c, gas)?;
        trace!(c, "pay_for_memory_grow", [(pages as u16).to_be_bytes()], []);
        Ok(())
    });

    // console (debug mode only; activation rejects these imports otherwise)
    let cm = "console";
    l.func_wrap(
        cm,
        "log_txt",
        |mut c: Caller<'_, HostEnv>, ptr: i32, len: i32| -> R<()> {
            trace_start(&mut c);
            let t = read(&c, ptr, len)?;
            say(&c, String::from_utf8_lossy(&t).into_owned());
            trace!(c, "console_log_text", [t], []);
            Ok(())
        },
    )
    .unwrap();
    // Nitro traces these as `console_log` with its own rendering of the value (`i32(5)`, with
    // terminal colours); the trace here carries the plain text printed.
    fn log(mut c: Caller<'_, HostEnv>, text: String) {
        trace_start(&mut c);
        say(&c, text.clone());
        trace!(c, "console_log", [text.as_bytes()], []);
    }
    l.func_wrap(cm, "log_i32", |c: Caller<'_, HostEnv>, v: i32| {
        log(c, v.to_string())
    })
    .unwrap();
    l.func_wrap(cm, "log_i64", |c: Caller<'_, HostEnv>, v: i64| {
        log(c, v.to_string())
    })
    .unwrap();
    l.func_wrap(cm, "log_f32", |c: Caller<'_, HostEnv>, v: f32| {
        log(c, v.to_string())
    })
    .unwrap();
    l.func_wrap(cm, "log_f64", |c: Caller<'_, HostEnv>, v: f64| {
        log(c, v.to_string())
    })
    .unwrap();
    l.func_wrap(cm, "tee_i32", |c: Caller<'_, HostEnv>, v: i32| {
        say(&c, v.to_string());
        v
    })
    .unwrap();
    l.func_wrap(cm, "tee_i64", |c: Caller<'_, HostEnv>, v: i64| {
        say(&c, v.to_string());
        v
    })
    .unwrap();
    l.func_wrap(cm, "tee_f32", |c: Caller<'_, HostEnv>, v: f32| {
        say(&c, v.to_string());
        v
    })
    .unwrap();
    l.func_wrap(cm, "tee_f64", |c: Caller<'_, HostEnv>, v: f64| {
        say(&c, v.to_string());
        v
    })
    .unwrap();
    l
}

/// Runs a program's entrypoint with `gas` available.
pub fn execute(
    ctx: &mut Ctx,
    shared: &Arc<Shared>,
    module: &wasmi::Module,
    frame: Frame,
    args: Vec<u8>,
    gas: u64,
) -> Outcome {
    let params = &shared.params;
    let ink = params.gas_to_ink(gas);
    let args_len = args.len();
    let env = HostEnv {
        ctx: ctx as *mut Ctx,
        shared: shared.clone(),
        frame,
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
        tracing: shared.tracing(),
        start_ink: 0,
    };
    let mut store = wasmi::Store::new(&shared.engine, env);
    store.limiter(|d| &mut d.limiter);
    let _ = store.set_fuel(ink / INK_PER_FUEL);

    let finish = |store: wasmi::Store<HostEnv>, kind: OutcomeKind, reason: Option<String>| {
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
        Outcome {
            kind,
            output,
            gas_left: ink_left / env.shared.params.ink_price as u64,
            refund: env.refund,
            reason,
        }
    };

    let instance = match shared.linker.instantiate_and_start(&mut store, module) {
        Ok(i) => i,
        Err(e) => {
            return finish(
                store,
                OutcomeKind::Failure,
                Some(format!("instantiation failed: {e}")),
            )
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
    let tracing = store.data().tracing;
    if tracing {
        let args = (args_len as u32).to_be_bytes().to_vec();
        shared.record(|r| r.hostio("user_entrypoint", args, Vec::new(), ink, ink));
    }
    let result = entry.call(&mut store, args_len as i32);
    if tracing {
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
            shared.record(|r| r.hostio("user_returned", Vec::new(), outs, ink, ink));
        }
    }
    // Diagnostic (devnet/README.md, "Stack depth"): how deep the call went into its Wasm stack.
    // Rust places the stack first, growing down from the top to 0, in memory that starts zeroed:
    // the lowest non-zero byte below the top marks the deepest write.
    if let Some(top) = std::env::var_os("VVV_DEVNET_STACK_PROBE") {
        let top: usize = top
            .to_str()
            .and_then(|t| t.parse().ok())
            .unwrap_or(32 * 1024);
        let data = memory.data(&store);
        let top = top.min(data.len());
        let deepest = data[..top].iter().position(|&b| b != 0).unwrap_or(top);
        eprintln!(
            "stack probe: {} bytes used, {} pages",
            top - deepest,
            data.len() / 65536
        );
    }
    // pay memory grown after the last host call
    let pending = std::mem::take(&mut store.data_mut().limiter.pending);
    let mut out_of_ink = false;
    if pending > 0 {
        let gas = add_pages(store.data(), pending.min(u16::MAX as u32) as u16);
        let ink_needed = params.gas_to_ink(gas);
        let left = store.get_fuel().unwrap_or(0) * INK_PER_FUEL + store.data().ink_rem;
        if left < ink_needed {
            out_of_ink = true;
        } else {
            let rest = left - ink_needed;
            let _ = store.set_fuel(rest / INK_PER_FUEL);
            store.data_mut().ink_rem = rest % INK_PER_FUEL;
        }
    }
    if out_of_ink {
        return finish(store, OutcomeKind::OutOfInk, None);
    }
    match result {
        Ok(0) => finish(store, OutcomeKind::Success, None),
        Ok(_) => finish(store, OutcomeKind::Revert, None),
        Err(e) => {
            if e.as_trap_code() == Some(wasmi::TrapCode::OutOfFuel) {
                return finish(store, OutcomeKind::OutOfInk, None);
            }
            match e.downcast_ref::<Escape>() {
                Some(Escape::Exit(0)) => finish(store, OutcomeKind::Success, None),
                Some(Escape::Exit(_)) => finish(store, OutcomeKind::Revert, None),
                Some(Escape::OutOfInk) => finish(store, OutcomeKind::OutOfInk, None),
                Some(Escape::Failure(r)) => {
                    let r = r.clone();
                    finish(store, OutcomeKind::Failure, Some(r))
                }
                None => finish(store, OutcomeKind::Failure, Some(e.to_string())),
            }
        }
    }
}

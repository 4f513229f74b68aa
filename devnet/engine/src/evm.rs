//! The EVM (revm) wired to Stylus: a precompile provider that runs Stylus programs, ArbOS
//! precompiles and the standard precompiles, plus nested frame execution for calls made from Wasm.

use crate::api::{
    AccountAccess, CallKind, CallRequest, DatabaseError, EvmApi, EvmData, Frame, FrameOutcome,
    SlotWrite,
};
use crate::arbos;
use crate::call_trace::CallFrame;
use crate::context::{revert_result, Ctx, EvmHost, Shared};
use crate::host;
use crate::program;
use crate::struct_log::OpState;
use alloy_primitives::{Address, Bytes, Log, B256, U256};
use revm::bytecode::Bytecode;
use revm::context::{Evm, Transaction};
use revm::context_interface::{Block, ContextTr, CreateScheme, Host, JournalTr, LocalContextTr};
use revm::handler::evm::ContextDbError;
use revm::handler::{
    instructions::EthInstructions, EthFrame, EthPrecompiles, EvmTr, FrameInitOrResult, FrameResult,
    ItemOrResult, PrecompileProvider,
};
use revm::handler::{EvmTrError, Handler};
use revm::interpreter::interpreter_action::FrameInit;
use revm::interpreter::interpreter_types::{Jumps, LoopControl, ReturnData};
use revm::interpreter::{
    interpreter::EthInterpreter, CallInput, CallInputs, CallScheme, CallValue, CreateInputs,
    FrameInput, Gas, InstructionResult, InterpreterResult, SharedMemory,
};
use revm::primitives::AddressSet;
use std::sync::Arc;

/// The EVM over a borrowed context (the same type at every nesting level).
pub type ArbEvm<'a> = Evm<
    &'a mut Ctx,
    (),
    EthInstructions<EthInterpreter, &'a mut Ctx>,
    ArbPrecompiles,
    EthFrame<EthInterpreter>,
>;

/// Precompile provider: standard precompiles, ArbSys, ArbWasm, the StylusDeployer, and every
/// call into Stylus code.
pub struct ArbPrecompiles {
    eth: EthPrecompiles,
    warm: AddressSet,
    pub shared: Arc<Shared>,
}

impl ArbPrecompiles {
    pub fn new(shared: Arc<Shared>) -> Self {
        let eth = EthPrecompiles::new(revm::primitives::hardfork::SpecId::CANCUN);
        let mut warm = eth.precompiles.addresses_set().clone();
        arbos_warm(&mut warm);
        Self { eth, warm, shared }
    }
}

/// Whether an address is a precompile (Ethereum's, ArbOS's, or an unmodelled ArbOS one).
pub fn is_precompile(a: &Address) -> bool {
    let mut set = AddressSet::default();
    arbos_warm(&mut set);
    set.contains(a)
        || EthPrecompiles::new(revm::primitives::hardfork::SpecId::CANCUN)
            .precompiles
            .addresses_set()
            .contains(a)
}

/// ArbOS precompiles are warm from the start of every transaction, as precompiles are.
fn arbos_warm(warm: &mut AddressSet) {
    for a in crate::precompiles::PRECOMPILES {
        if a != crate::precompiles::CACHE_MANAGER {
            warm.insert(a);
        }
    }
    for (a, _) in crate::precompiles::UNMODELLED {
        warm.insert(a);
    }
}

impl<'a> PrecompileProvider<&'a mut Ctx> for ArbPrecompiles {
    type Output = InterpreterResult;

    fn set_spec(&mut self, spec: revm::primitives::hardfork::SpecId) -> bool {
        let changed =
            <EthPrecompiles as PrecompileProvider<&'a mut Ctx>>::set_spec(&mut self.eth, spec);
        let mut warm = self.eth.precompiles.addresses_set().clone();
        arbos_warm(&mut warm);
        self.warm = warm;
        changed
    }

    fn run(
        &mut self,
        context: &mut &'a mut Ctx,
        inputs: &CallInputs,
    ) -> Result<Option<InterpreterResult>, String> {
        let ctx: &mut Ctx = context;
        let addr = inputs.bytecode_address;
        if self.eth.contains(&addr) {
            return <EthPrecompiles as PrecompileProvider<&mut Ctx>>::run(
                &mut self.eth,
                &mut &mut *ctx,
                inputs,
            );
        }
        if addr == arbos::ARB_SYS {
            return Ok(Some(arbos::arbsys(ctx, inputs)));
        }
        if addr == arbos::ARB_WASM {
            return Ok(Some(arbos::arbwasm(ctx, &self.shared, inputs)));
        }
        if let Some(r) = crate::precompiles::run(ctx, &self.shared, inputs) {
            return Ok(Some(r));
        }
        let (hash, code) = &inputs.known_bytecode;
        if program::is_stylus(code.original_byte_slice()) {
            return Ok(Some(call_program(
                ctx,
                &self.shared,
                inputs,
                *hash,
                code.original_bytes(),
            )));
        }
        Ok(None)
    }

    fn warm_addresses(&self) -> &AddressSet {
        &self.warm
    }

    fn contains(&self, address: &Address) -> bool {
        self.warm.contains(address)
    }
}

/// Runs one frame (call or create) to completion on `ctx`, as a child of the frame that is
/// currently executing. Used by host functions and native precompiles.
pub fn run_frame(ctx: &mut Ctx, shared: &Arc<Shared>, frame_input: FrameInput) -> FrameResult {
    let buffer = ctx.local().shared_memory_buffer().clone();
    let base_len = buffer.borrow().len();
    let memory = SharedMemory::new_with_buffer(buffer.clone()).new_child_context();
    let depth = ctx.journal().depth();
    let init = FrameInit {
        depth,
        memory,
        frame_input,
    };
    let result = {
        let mut evm: ArbEvm<'_> = Evm::new(
            ctx,
            EthInstructions::new_mainnet_with_spec(revm::primitives::hardfork::SpecId::CANCUN),
            ArbPrecompiles::new(shared.clone()),
        );
        let trace = shared.tracing_frames().then_some(&**shared);
        frame_loop(&mut evm, init, trace).map_err(|e| format!("{e:?}"))
    };
    buffer.borrow_mut().truncate(base_len);
    match result {
        Ok(r) => r,
        Err(e) => {
            let r = InterpreterResult::new(
                InstructionResult::FatalExternalError,
                Bytes::from(e.into_bytes()),
                Gas::new(0),
            );
            FrameResult::Call(revm::interpreter::CallOutcome::new(r, 0..0))
        }
    }
}

/// revm's frame loop (`Handler::run_exec_loop`), reporting each frame's entry and exit to the
/// hostio trace and the call trace when `trace` is given (Nitro's and geth's `OnEnter`/`OnExit`):
/// every frame, EVM or Stylus, starts as a `FrameInit` passing through here and ends as a result
/// passing through here, so this sees them all without revm's inspector (whose loop needs an
/// owned context).
fn frame_loop<'a>(
    evm: &mut ArbEvm<'a>,
    init: FrameInit,
    trace: Option<&Shared>,
) -> Result<FrameResult, ContextDbError<&'a mut Ctx>> {
    let enter = |init: &FrameInit, ctx: &mut Ctx| {
        if let Some(shared) = trace {
            let (name, address) = frame_name(&init.frame_input, ctx);
            shared.record(|r| r.enter(name, address));
            if let Some(r) = shared.call_trace.lock().unwrap().as_mut() {
                let frame = call_frame(&init.frame_input, address, ctx);
                r.enter(frame, ctx.journal_ref().logs());
            }
        }
    };
    // (a failed frame's logs are already gone from the journal: revm reverts it first)
    let exit = |result: &FrameResult, ctx: &mut Ctx| {
        if let Some(shared) = trace {
            shared.record(|r| r.exit());
            if let Some(r) = shared.call_trace.lock().unwrap().as_mut() {
                let outcome = result.interpreter_result();
                let error = geth_frame_error(outcome.result);
                let logs = ctx.journal_ref().logs();
                r.exit(outcome.gas.remaining(), outcome.output.clone(), error, logs);
            }
        }
    };
    enter(&init, evm.ctx());
    if let ItemOrResult::Result(r) = evm.frame_init(init)? {
        exit(&r, evm.ctx());
        return Ok(r);
    }
    loop {
        let run = match trace {
            Some(shared) => frame_run_stepped(evm, shared)?,
            None => evm.frame_run()?,
        };
        let result = match run {
            ItemOrResult::Item(init) => {
                enter(&init, evm.ctx());
                match evm.frame_init(init)? {
                    ItemOrResult::Item(_) => continue,
                    ItemOrResult::Result(r) => r,
                }
            }
            ItemOrResult::Result(r) => r,
        };
        exit(&result, evm.ctx());
        if let Some(r) = evm.frame_return_result(result)? {
            return Ok(r);
        }
    }
}

/// revm's `EvmTr::frame_run` while a trace is recorded: the interpreter's own loop
/// (`Interpreter::run_plain`), one `step` at a time, so that every opcode reaches the struct
/// logger (geth's `OnOpcode`) and a SELFDESTRUCT, which is an opcode and not a frame in revm,
/// reaches the call and hostio traces as the frame geth and Nitro report for it.
fn frame_run_stepped<'a>(
    evm: &mut ArbEvm<'a>,
    shared: &Shared,
) -> Result<FrameInitOrResult<EthFrame<EthInterpreter>>, ContextDbError<&'a mut Ctx>> {
    let frame = evm.frame_stack.get();
    let instructions = &evm.instruction;
    let interpreter = &mut frame.interpreter;
    // a call or hostio trace steps only to see SELFDESTRUCT: no lock per opcode for it
    let logging = shared.logging_opcodes();
    let halt = loop {
        let mut log = logging.then(|| shared.struct_log.lock().unwrap());
        let entry = log.as_mut().and_then(|l| l.as_mut()).and_then(|log| {
            log.before(OpState {
                pc: interpreter.bytecode.pc() as u64,
                op: interpreter.bytecode.opcode(),
                gas: interpreter.gas.remaining(),
                frame_refund: interpreter.gas.refunded(),
                frame_depth: frame.depth,
                storage_owner: interpreter.input.target_address,
                stack: interpreter.stack.data(),
                memory: &interpreter.memory.context_memory(),
                return_data: interpreter.return_data.buffer(),
            })
        });
        drop(log);
        let self_destruct = (interpreter.bytecode.opcode() == SELFDESTRUCT)
            .then(|| {
                let contract = interpreter.input.target_address;
                let beneficiary = interpreter.stack.data().last()?.to_be_bytes::<32>();
                let balance = evm.ctx.balance(contract)?.data;
                Some((contract, Address::from_word(beneficiary.into()), balance))
            })
            .flatten();
        let step = interpreter.step(
            instructions.instruction_table(),
            instructions.gas_table(),
            &mut evm.ctx,
        );
        if let Some(entry) = entry {
            let error = step
                .err()
                .filter(|e| e.is_halt())
                .and_then(geth_frame_error);
            let top = interpreter.stack.data().last().copied();
            if let Some(log) = shared.struct_log.lock().unwrap().as_mut() {
                log.after(entry, interpreter.gas.remaining(), error, top);
            }
        }
        if let (Some((contract, beneficiary, balance)), Err(InstructionResult::SelfDestruct)) =
            (self_destruct, step)
        {
            record_self_destruct(shared, contract, beneficiary, balance, evm.ctx);
        }
        if let Err(e) = step {
            break e;
        }
    };
    if interpreter.bytecode.action().is_none() {
        interpreter.halt(halt);
    }
    let action = interpreter.take_next_action();
    frame
        .process_next_action(&mut evm.ctx, action)
        .inspect(|next| {
            if next.is_result() {
                frame.set_finished(true);
            }
        })
}

const SELFDESTRUCT: u8 = 0xff;

/// A SELFDESTRUCT that ran, as geth's and Nitro's tracers see it: a frame entered and left at
/// once, from the contract to the beneficiary with the contract's balance, no gas and no input
/// (`evm_self_destruct` at the beneficiary in the hostio trace).
fn record_self_destruct(
    shared: &Shared,
    contract: Address,
    beneficiary: Address,
    balance: U256,
    ctx: &Ctx,
) {
    shared.record(|r| {
        r.enter("evm_self_destruct", beneficiary);
        r.exit();
    });
    if let Some(r) = shared.call_trace.lock().unwrap().as_mut() {
        let frame = CallFrame {
            kind: "SELFDESTRUCT",
            from: contract,
            to: beneficiary,
            value: Some(balance),
            gas: 0,
            gas_used: 0,
            input: Bytes::new(),
            output: Bytes::new(),
            error: None,
            calls: Vec::new(),
            logs: Vec::new(),
        };
        let logs = ctx.journal_ref().logs();
        r.enter(frame, logs);
        r.exit(0, Bytes::new(), None, logs);
    }
}

/// Nitro's name of a frame and the address geth enters it at: the code's address for calls (for
/// DELEGATECALL and CALLCODE not the account whose storage is used; CALLCODE gets no name, as in
/// Nitro), the address being created for creates (for CREATE from the creator's nonce, not yet
/// increased when the frame is entered).
fn frame_name(input: &FrameInput, ctx: &mut Ctx) -> (&'static str, Address) {
    match input {
        FrameInput::Call(c) => match c.scheme {
            CallScheme::Call => ("evm_call_contract", c.target_address),
            CallScheme::StaticCall => ("evm_static_call_contract", c.target_address),
            CallScheme::DelegateCall => ("evm_delegate_call_contract", c.bytecode_address),
            CallScheme::CallCode => ("", c.bytecode_address),
        },
        FrameInput::Create(c) => {
            let caller = c.caller();
            match c.scheme() {
                revm::context_interface::CreateScheme::Create2 { salt } => (
                    "evm_create2",
                    caller.create2(
                        salt.to_be_bytes(),
                        alloy_primitives::keccak256(c.init_code()),
                    ),
                ),
                revm::context_interface::CreateScheme::Custom { address } => {
                    ("evm_create1", address)
                }
                revm::context_interface::CreateScheme::Create => {
                    let nonce = ctx
                        .journal_mut()
                        .load_account(caller)
                        .map(|a| a.data.info.nonce)
                        .unwrap_or_default();
                    ("evm_create1", caller.create(nonce))
                }
            }
        }
        FrameInput::Empty => ("", Address::ZERO),
    }
}

/// A frame as geth's `callTracer` opens it: everything but its result. `address` is the callee
/// [`frame_name`] found (the code's address, or the address being created).
fn call_frame(input: &FrameInput, address: Address, ctx: &mut Ctx) -> CallFrame {
    let frame = |kind, from, value, gas, input| CallFrame {
        kind,
        from,
        to: address,
        value,
        gas,
        gas_used: 0,
        input,
        output: Bytes::new(),
        error: None,
        calls: Vec::new(),
        logs: Vec::new(),
    };
    match input {
        FrameInput::Call(c) => {
            let (kind, from, value) = match c.scheme {
                CallScheme::Call => ("CALL", c.caller, Some(c.value.get())),
                CallScheme::StaticCall => ("STATICCALL", c.caller, None),
                // geth: the delegating contract calls, with the value it runs with
                CallScheme::DelegateCall => ("DELEGATECALL", c.target_address, Some(c.value.get())),
                CallScheme::CallCode => ("CALLCODE", c.caller, Some(c.value.get())),
            };
            frame(kind, from, value, c.gas_limit, c.input.bytes(&*ctx))
        }
        FrameInput::Create(c) => {
            let kind = match c.scheme() {
                revm::context_interface::CreateScheme::Create2 { .. } => "CREATE2",
                _ => "CREATE",
            };
            let value = Some(c.value());
            frame(
                kind,
                c.caller(),
                value,
                c.gas_limit(),
                c.init_code().clone(),
            )
        }
        FrameInput::Empty => frame("CALL", Address::ZERO, None, 0, Bytes::new()),
    }
}

/// geth's error of a failed frame (`core/vm/errors.go`), None for a frame that succeeded.
fn geth_frame_error(result: InstructionResult) -> Option<String> {
    use InstructionResult as R;
    let message = match result {
        _ if result.is_ok() => return None,
        R::Revert => "execution reverted",
        R::OutOfGas
        | R::MemoryOOG
        | R::MemoryLimitOOG
        | R::PrecompileOOG
        | R::InvalidOperandOOG
        | R::ReentrancySentryOOG => "out of gas",
        R::CallTooDeep => "max call depth exceeded",
        R::OutOfFunds => "insufficient balance for transfer",
        R::CreateCollision => "contract address collision",
        R::StateChangeDuringStaticCall | R::CallNotAllowedInsideStatic => "write protection",
        R::InvalidJump => "invalid jump destination",
        R::OpcodeNotFound | R::InvalidFEOpcode | R::NotActivated => "invalid opcode",
        R::StackUnderflow => "stack underflow",
        R::StackOverflow => "stack limit reached 1024 (1023)",
        R::OutOfOffset => "return data out of bounds",
        R::NonceOverflow => "nonce uint64 overflow",
        R::CreateContractSizeLimit => "max code size exceeded",
        R::CreateContractStartingWithEF => "invalid code: must not begin with 0xef",
        R::CreateInitCodeSizeLimit => "max initcode size exceeded",
        R::PrecompileError => "precompile failed",
        other => return Some(format!("{other:?}")),
    };
    Some(message.to_string())
}

/// revm's mainnet handler with the frame loop reporting to the hostio trace (used only while a
/// trace is recorded).
pub struct TraceHandler<'a, E>(pub Arc<Shared>, pub std::marker::PhantomData<(&'a (), E)>);

impl<'a, E: EvmTrError<ArbEvm<'a>>> Handler for TraceHandler<'a, E> {
    type Evm = ArbEvm<'a>;
    type Error = E;
    type HaltReason = revm::context_interface::result::HaltReason;

    fn run_exec_loop(
        &mut self,
        evm: &mut ArbEvm<'a>,
        first_frame_input: FrameInit,
    ) -> Result<FrameResult, E> {
        Ok(frame_loop(evm, first_frame_input, Some(&self.0))?)
    }
}

/// Executes a Stylus program for a call whose target code carries the Stylus prefix.
pub fn call_program(
    ctx: &mut Ctx,
    shared: &Arc<Shared>,
    inputs: &CallInputs,
    codehash: B256,
    code: Bytes,
) -> InterpreterResult {
    let params = &shared.params;
    let mut gas = Gas::new(inputs.gas_limit);
    let now = ctx.block.timestamp.saturating_to::<u64>();

    // Nitro: calling a program that is not active fails with ArbWasm's error.
    let info = match arbos::active_program(ctx, params, codehash, now) {
        Ok(info) => info,
        Err(data) => return revert_result(data, gas),
    };

    // Call cost: memory footprint, then init (or cached) cost.
    let (open, ever) = {
        let tx = shared.tx.lock().unwrap();
        (tx.open_pages, tx.ever_pages)
    };
    let mut cost = params.memory_model().gas_cost(info.footprint, open, ever);
    if info.cached || info.version > 1 {
        cost = cost.saturating_add(params.cached_gas(info.cached_cost));
    }
    if !info.cached {
        cost = cost.saturating_add(params.init_gas(info.init_cost));
    }
    if !gas.record_regular_cost(cost) {
        return InterpreterResult::new(InstructionResult::OutOfGas, Bytes::new(), gas);
    }
    {
        let mut tx = shared.tx.lock().unwrap();
        tx.open_pages = tx.open_pages.saturating_add(info.footprint);
        tx.ever_pages = tx.ever_pages.max(tx.open_pages);
    }

    let module = match program_module(ctx, shared, codehash, &code) {
        Ok(module) => module,
        Err(e) => {
            let reason = Bytes::from(e.into_bytes());
            return InterpreterResult::new(InstructionResult::FatalExternalError, reason, gas);
        }
    };

    let input = inputs.input.bytes(&*ctx);
    let reentrant = {
        let mut tx = shared.tx.lock().unwrap();
        let n = tx.active.entry(inputs.target_address).or_default();
        *n += 1;
        *n > 1
    };
    let frame = Frame {
        contract: inputs.target_address,
        sender: inputs.caller,
        value: inputs.value.get(),
        is_static: inputs.is_static,
        reentrant,
        codehash,
    };
    let outcome = run_program(ctx, shared, &module, frame, input.to_vec(), gas.remaining());

    {
        let mut tx = shared.tx.lock().unwrap();
        if let Some(n) = tx.active.get_mut(&inputs.target_address) {
            *n -= 1;
        }
        tx.open_pages = open;
    }
    program_result(inputs, outcome, gas)
}

/// The compiled program of `codehash` (compiled from `code` on first use).
fn program_module(
    ctx: &mut Ctx,
    shared: &Shared,
    codehash: B256,
    code: &Bytes,
) -> Result<wasmi::Module, String> {
    if let Some(module) = shared.modules.lock().unwrap().get(&codehash) {
        return Ok(module.clone());
    }
    match arbos::program_wasm(ctx, &shared.params, code, None) {
        Ok(wasm) => shared.module(codehash, &wasm),
        Err(arbos::WasmLoadError::Other(e)) => Err(e),
        Err(_) => Err("program code is not Stylus".to_string()),
    }
}

/// Runs a program in `frame` with `gas`: the program owns the context while it runs (see
/// `EvmHost`); a fresh, empty one holds the caller's place meanwhile.
fn run_program(
    ctx: &mut Ctx,
    shared: &Arc<Shared>,
    module: &wasmi::Module,
    frame: Frame,
    input: Vec<u8>,
    gas: u64,
) -> host::Outcome {
    let basefee = ctx.block.basefee();
    let evm_data = EvmData {
        basefee,
        coinbase: ctx.block.beneficiary(),
        gas_limit: ctx.block.gas_limit(),
        number: ctx.block.number().saturating_to(),
        timestamp: ctx.block.timestamp().saturating_to(),
        chain_id: ctx.cfg.chain_id,
        gas_price: U256::from(ctx.tx.effective_gas_price(basefee as u128)),
        origin: ctx.tx.caller(),
    };
    let placeholder = Ctx::new(
        Default::default(),
        revm::primitives::hardfork::SpecId::CANCUN,
    );
    let api = EvmHost {
        ctx: std::mem::replace(ctx, placeholder),
        shared: shared.clone(),
    };
    let params = &shared.params;
    let (outcome, api) = host::execute(
        api,
        &shared.linker,
        module,
        params,
        frame,
        evm_data,
        input,
        gas,
    );
    *ctx = api.ctx;
    outcome
}

/// The call's result from the program's outcome, `gas` being what the call had left when the
/// program started.
fn program_result(inputs: &CallInputs, outcome: host::Outcome, gas: Gas) -> InterpreterResult {
    let starting = gas.remaining();
    let mut left = outcome.gas_left.min(starting);
    let (result, output) = match outcome.kind {
        host::OutcomeKind::Success => (InstructionResult::Return, outcome.output),
        host::OutcomeKind::Revert => (InstructionResult::Revert, outcome.output),
        host::OutcomeKind::Failure => (InstructionResult::Revert, Vec::new()),
        host::OutcomeKind::OutOfInk => {
            left = 0;
            (InstructionResult::OutOfGas, Vec::new())
        }
    };
    // Large results cost at least what EVM memory for them would.
    if !output.is_empty() {
        let evm_cost = crate::params::evm_memory_cost(output.len() as u64);
        if inputs.gas_limit < evm_cost {
            let mut g = Gas::new(inputs.gas_limit);
            g.spend_all();
            return InterpreterResult::new(InstructionResult::OutOfGas, Bytes::new(), g);
        }
        left = left.min(inputs.gas_limit - evm_cost);
    }
    let mut g = Gas::new(inputs.gas_limit);
    let _ = g.record_regular_cost(inputs.gas_limit - left);
    if result == InstructionResult::Return {
        g.record_refund(outcome.refund);
    }
    InterpreterResult::new(result, output.into(), g)
}

/// The interpreter result of a finished frame, and the address a create made.
fn frame_output(r: &FrameResult) -> (&InterpreterResult, Option<Address>) {
    match r {
        FrameResult::Call(c) => (&c.result, None),
        FrameResult::Create(c) => (&c.result, c.address),
    }
}

/// The chain as Stylus programs reach it: revm's journal for state, [`run_frame`] for calls and
/// creates, [`Shared`] for the transaction's pages, traces and console.
impl EvmApi for EvmHost {
    fn sload(&mut self, contract: Address, key: B256) -> Result<(B256, bool), DatabaseError> {
        let loaded = self
            .ctx
            .journal_mut()
            .sload(contract, key.into())
            .map_err(|_| DatabaseError)?;
        Ok((B256::from(loaded.data.to_be_bytes::<32>()), loaded.is_cold))
    }

    fn sstore(
        &mut self,
        contract: Address,
        key: B256,
        value: B256,
    ) -> Result<SlotWrite, DatabaseError> {
        let value = U256::from_be_bytes(value.0);
        let r = self
            .ctx
            .journal_mut()
            .sstore(contract, key.into(), value)
            .map_err(|_| DatabaseError)?;
        Ok(SlotWrite {
            original: r.data.original_value,
            present: r.data.present_value,
            new: r.data.new_value,
            cold: r.is_cold,
        })
    }

    fn tload(&mut self, contract: Address, key: B256) -> U256 {
        self.ctx.journal_mut().tload(contract, key.into())
    }

    fn tstore(&mut self, contract: Address, key: B256, value: U256) {
        self.ctx.journal_mut().tstore(contract, key.into(), value)
    }

    fn touch(&mut self, address: Address) -> AccountAccess {
        match self.ctx.journal_mut().load_account(address) {
            Ok(account) => AccountAccess {
                cold: account.is_cold,
                empty: account.data.is_empty(),
            },
            // the in-memory database does not fail; priced as a cold empty account if it did
            Err(_) => AccountAccess {
                cold: true,
                empty: true,
            },
        }
    }

    fn balance(&mut self, address: Address) -> U256 {
        let account = self.ctx.journal_mut().load_account(address);
        account.map(|a| a.data.info.balance).unwrap_or_default()
    }

    fn code(&mut self, address: Address) -> Bytes {
        let code = self.ctx.journal_mut().code(address);
        code.map(|c| c.data).unwrap_or_default()
    }

    fn code_hash(&mut self, address: Address) -> B256 {
        let hash = self.ctx.journal_mut().code_hash(address);
        hash.map(|h| h.data).unwrap_or_default()
    }

    fn call(&mut self, from: &Frame, request: CallRequest) -> FrameOutcome {
        let target = request.target;
        let (code_hash, code) = match self.ctx.journal_mut().load_account_with_code(target) {
            Ok(acc) => (
                acc.data.info.code_hash,
                acc.data.info.code.clone().unwrap_or_default(),
            ),
            Err(_) => (B256::ZERO, Bytecode::default()),
        };
        let delegate = request.kind == CallKind::Delegate;
        let inputs = CallInputs {
            input: CallInput::Bytes(Bytes::from(request.input)),
            return_memory_offset: 0..0,
            gas_limit: request.gas,
            reservoir: 0,
            bytecode_address: target,
            known_bytecode: (code_hash, code),
            target_address: if delegate { from.contract } else { target },
            caller: if delegate { from.sender } else { from.contract },
            value: match request.kind {
                CallKind::Delegate => CallValue::Apparent(from.value),
                _ => CallValue::Transfer(request.value),
            },
            scheme: match request.kind {
                CallKind::Call => CallScheme::Call,
                CallKind::Delegate => CallScheme::DelegateCall,
                CallKind::Static => CallScheme::StaticCall,
            },
            is_static: from.is_static || request.kind == CallKind::Static,
            charged_new_account_state_gas: false,
        };
        let result = run_frame(
            &mut self.ctx,
            &self.shared,
            FrameInput::Call(Box::new(inputs)),
        );
        let (res, _) = frame_output(&result);
        FrameOutcome {
            success: res.result.is_ok(),
            output: res.output.to_vec(),
            gas_left: res.gas.remaining(),
            refund: res.gas.refunded(),
            created: None,
        }
    }

    fn create(
        &mut self,
        creator: Address,
        code: Vec<u8>,
        endowment: U256,
        salt: Option<B256>,
        gas: u64,
    ) -> FrameOutcome {
        let scheme = match salt {
            Some(s) => CreateScheme::Create2 {
                salt: U256::from_be_bytes(s.0),
            },
            None => CreateScheme::Create,
        };
        let inputs = CreateInputs::new(creator, scheme, endowment, Bytes::from(code), gas, 0);
        let result = run_frame(
            &mut self.ctx,
            &self.shared,
            FrameInput::Create(Box::new(inputs)),
        );
        let (res, address) = frame_output(&result);
        let success = res.result.is_ok();
        FrameOutcome {
            success,
            // a create returns data to its creator only when it reverts
            output: if res.result == InstructionResult::Revert {
                res.output.to_vec()
            } else {
                Vec::new()
            },
            gas_left: res.gas.remaining(),
            refund: res.gas.refunded(),
            created: address.filter(|_| success),
        }
    }

    fn emit_log(&mut self, log: Log) {
        self.ctx.journal_mut().log(log)
    }

    fn add_pages(&mut self, pages: u16) -> u64 {
        let model = self.shared.params.memory_model();
        let mut tx = self.shared.tx.lock().unwrap();
        let cost = model.gas_cost(pages, tx.open_pages, tx.ever_pages);
        tx.open_pages = tx.open_pages.saturating_add(pages);
        tx.ever_pages = tx.ever_pages.max(tx.open_pages);
        cost
    }

    fn tracing(&self) -> bool {
        self.shared.tracing()
    }

    fn capture_hostio(&self, name: &'static str, args: Vec<u8>, outs: Vec<u8>, ink: (u64, u64)) {
        self.shared
            .record(|r| r.hostio(name, args, outs, ink.0, ink.1));
    }

    fn console(&self, contract: Address, text: String) {
        if std::env::var_os("VVV_DEVNET_CONSOLE").is_some() {
            eprintln!("[stylus {contract}] {text}");
        }
        self.shared.console.lock().unwrap().push(text);
    }
}

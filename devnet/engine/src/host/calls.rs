//! Calls and creates a program makes, and the return data they leave. The host prices them as
//! Nitro does (EIP-2929 access, value transfer, the 63/64 rule); the chain runs the child frame.

use super::{
    buy_gas, buy_ink, fail, gas_left, hostio, read, read20, read32, register, trace, write, C, R,
};
use crate::api::{CallKind, CallRequest, EvmApi};
use crate::params::{evm_gas, ink::*};
use alloy_primitives::{Address, B256, U256};
use wasmi::Linker;

pub(super) fn register<A: EvmApi + 'static>(linker: &mut Linker<super::HostEnv<A>>) {
    register!(
        linker,
        "vm_hooks",
        [
            call_contract,
            delegate_call_contract,
            static_call_contract,
            create1,
            create2,
            read_return_data,
            return_data_size,
        ]
    );
}

fn call_contract<A: EvmApi>(
    mut c: C<'_, A>,
    to: i32,
    data: i32,
    len: i32,
    value: i32,
    gas: i64,
    ret_len: i32,
) -> R<i32> {
    let call = CallArgs {
        to,
        data,
        len,
        value: Some(value),
        gas,
        ret_len,
    };
    call_hostio(&mut c, CallKind::Call, call)
}

fn delegate_call_contract<A: EvmApi>(
    mut c: C<'_, A>,
    to: i32,
    data: i32,
    len: i32,
    gas: i64,
    ret_len: i32,
) -> R<i32> {
    let call = CallArgs {
        to,
        data,
        len,
        value: None,
        gas,
        ret_len,
    };
    call_hostio(&mut c, CallKind::Delegate, call)
}

fn static_call_contract<A: EvmApi>(
    mut c: C<'_, A>,
    to: i32,
    data: i32,
    len: i32,
    gas: i64,
    ret_len: i32,
) -> R<i32> {
    let call = CallArgs {
        to,
        data,
        len,
        value: None,
        gas,
        ret_len,
    };
    call_hostio(&mut c, CallKind::Static, call)
}

/// The arguments of the three call host functions (pointers into the program's memory).
struct CallArgs {
    to: i32,
    data: i32,
    len: i32,
    /// Where the value is, for a plain call.
    value: Option<i32>,
    gas: i64,
    ret_len: i32,
}

/// The body shared by `call_contract`, `delegate_call_contract` and `static_call_contract`:
/// charge the hostio and the calldata read, run the call, charge what it cost and write the
/// return-data length.
fn call_hostio<A: EvmApi>(c: &mut C<'_, A>, kind: CallKind, args: CallArgs) -> R<i32> {
    hostio(c, HOSTIO + 3 * PTR + EVM_API)?;
    buy_ink(c, 2 * read_price(args.len as u32))?;
    let gas_req = (args.gas as u64).min(gas_left(c));
    let to = read20(c, args.to)?;
    let input = read(c, args.data, args.len)?;
    let value = match args.value {
        Some(ptr) => U256::from_be_bytes(read32(c, ptr)?.0),
        None => U256::ZERO,
    };
    // Nitro traces the calldata after the call consumed it: keep a copy only while tracing
    let traced_input = c.data().tracing.then(|| input.clone());
    let (out_len, cost, status) = do_call(c, kind, to, input, gas_req, value);
    buy_gas(c, cost)?;
    write(c, args.ret_len, &out_len.to_le_bytes())?;
    if let Some(input) = traced_input {
        // (address, requested gas, [value,] calldata) → (return data length, status)
        let name = match kind {
            CallKind::Call => "call_contract",
            CallKind::Delegate => "delegate_call_contract",
            CallKind::Static => "static_call_contract",
        };
        let value = match args.value {
            Some(_) => value.to_be_bytes::<32>().to_vec(),
            None => Vec::new(),
        };
        let gas = (args.gas as u64).to_be_bytes();
        trace!(
            c,
            name,
            [to, gas, value, input],
            [out_len.to_be_bytes(), [status]]
        );
    }
    Ok(status as i32)
}

/// Makes a call from a program: returns (return data length, gas cost, status).
fn do_call<A: EvmApi>(
    c: &mut C<'_, A>,
    kind: CallKind,
    target: Address,
    input: Vec<u8>,
    gas_req: u64,
    value: U256,
) -> (u32, u64, u8) {
    let gas_left = gas_left(c);
    let env = c.data_mut();
    if env.frame.is_static && !value.is_zero() {
        env.return_data.clear();
        return (0, 0, 1);
    }
    let access = env.api.touch(target);
    let mut base = if access.cold {
        evm_gas::COLD_ACCOUNT
    } else {
        evm_gas::WARM_READ
    };
    if !value.is_zero() {
        base += evm_gas::CALL_VALUE;
        if access.empty {
            base += evm_gas::NEW_ACCOUNT;
        }
    }
    if gas_left < base {
        env.return_data.clear();
        return (0, gas_left, 1);
    }
    let start_gas = (gas_left - base) * 63 / 64;
    let mut gas = start_gas.min(gas_req);
    if !value.is_zero() {
        gas += evm_gas::CALL_STIPEND;
    }
    let request = CallRequest {
        kind,
        target,
        input,
        gas,
        value,
    };
    let outcome = env.api.call(&env.frame, request);
    if outcome.success {
        env.refund += outcome.refund;
    }
    let len = outcome.output.len() as u32;
    env.return_data = outcome.output;
    let cost = base.saturating_add(gas.saturating_sub(outcome.gas_left));
    (len, cost, if outcome.success { 0 } else { 1 })
}

fn create1<A: EvmApi>(
    mut c: C<'_, A>,
    code: i32,
    len: i32,
    endowment: i32,
    contract: i32,
    ret_len: i32,
) -> R<()> {
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
}

fn create2<A: EvmApi>(
    mut c: C<'_, A>,
    code: i32,
    len: i32,
    endowment: i32,
    salt: i32,
    contract: i32,
    ret_len: i32,
) -> R<()> {
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
}

/// Makes a CREATE or CREATE2 from a program: returns (address or zero, revert data length,
/// gas cost).
fn do_create<A: EvmApi>(
    c: &mut C<'_, A>,
    code: Vec<u8>,
    endowment: U256,
    salt: Option<B256>,
) -> R<(Address, u32, u64)> {
    if c.data().frame.is_static {
        return Err(fail("write protection: create in a static call"));
    }
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
    let env = c.data_mut();
    let creator = env.frame.contract;
    let outcome = env.api.create(creator, code, endowment, salt, gas);
    if outcome.success {
        env.refund += outcome.refund;
    }
    let len = outcome.output.len() as u32;
    env.return_data = outcome.output;
    let address = outcome.created.unwrap_or_default();
    let cost = start_gas.saturating_sub(outcome.gas_left + one64th);
    Ok((address, len, cost))
}

fn read_return_data<A: EvmApi>(mut c: C<'_, A>, dest: i32, offset: i32, size: i32) -> R<i32> {
    hostio(&mut c, HOSTIO + EVM_API)?;
    let traced = [(offset as u32).to_be_bytes(), (size as u32).to_be_bytes()].concat();
    let (offset, size) = (offset as u32 as usize, size as u32 as usize);
    let len = c.data().return_data.len();
    let max = len.saturating_sub(offset);
    buy_ink(&mut c, write_price(size.min(max) as u32))?;
    if max == 0 {
        trace!(c, "read_return_data", [traced], []);
        return Ok(0);
    }
    let end = offset.saturating_add(size).min(len);
    let out = c.data().return_data[offset..end].to_vec();
    if !out.is_empty() {
        write(&mut c, dest, &out)?;
    }
    trace!(c, "read_return_data", [traced], [out]);
    Ok(out.len() as i32)
}

fn return_data_size<A: EvmApi>(mut c: C<'_, A>) -> R<i32> {
    hostio(&mut c, HOSTIO)?;
    let len = c.data().return_data.len() as u32;
    trace!(c, "return_data_size", [], [len.to_be_bytes()]);
    Ok(len as i32)
}

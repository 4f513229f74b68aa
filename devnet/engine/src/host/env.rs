//! What a program reads about its environment — accounts, the block, the message, the
//! transaction, its own ink and gas — and the logs it emits.

use super::{
    buy_gas, buy_ink, fail, gas_left, hostio, ink_left, read, read20, register, require_gas, trace,
    write, C, R,
};
use crate::api::EvmApi;
use crate::params::{evm_gas, ink::*};
use alloy_primitives::{Address, Bytes, Log, LogData, B256, U256};
use wasmi::Linker;

pub(super) fn register<A: EvmApi + 'static>(linker: &mut Linker<super::HostEnv<A>>) {
    register!(
        linker,
        "vm_hooks",
        [
            account_balance,
            account_code,
            account_code_size,
            account_codehash,
            block_basefee,
            block_coinbase,
            block_gas_limit,
            block_number,
            block_timestamp,
            chainid,
            contract_address,
            evm_gas_left,
            evm_ink_left,
            msg_reentrant,
            msg_sender,
            msg_value,
            tx_gas_price,
            tx_ink_price,
            tx_origin,
            emit_log,
        ]
    );
}

/// Starts an account read: the hostio, the cold-access gas it must have, the address; charges
/// the access (EIP-2929).
fn account_access<A: EvmApi>(c: &mut C<'_, A>, base: u64, addr: i32) -> R<Address> {
    hostio(c, base)?;
    require_gas(c, evm_gas::COLD_ACCOUNT)?;
    let addr = read20(c, addr)?;
    let access = c.data_mut().api.touch(addr);
    buy_gas(
        c,
        if access.cold {
            evm_gas::COLD_ACCOUNT
        } else {
            evm_gas::WARM_READ
        },
    )?;
    Ok(addr)
}

fn account_balance<A: EvmApi>(mut c: C<'_, A>, addr: i32, dest: i32) -> R<()> {
    let addr = account_access(&mut c, HOSTIO + 2 * PTR + EVM_API, addr)?;
    let balance = c.data_mut().api.balance(addr).to_be_bytes::<32>();
    write(&mut c, dest, &balance)?;
    trace!(c, "account_balance", [addr], [balance]);
    Ok(())
}

fn account_code<A: EvmApi>(
    mut c: C<'_, A>,
    addr: i32,
    offset: i32,
    size: i32,
    dest: i32,
) -> R<i32> {
    let addr = account_access(&mut c, HOSTIO + EVM_API, addr)?;
    let code = c.data_mut().api.code(addr);
    buy_ink(&mut c, write_price(code.len() as u32))?;
    let traced = [(offset as u32).to_be_bytes(), (size as u32).to_be_bytes()].concat();
    let (offset, size) = (offset as u32 as usize, size as u32 as usize);
    let start = offset.min(code.len());
    let end = offset.saturating_add(size).min(code.len());
    let out = code[start..end].to_vec();
    write(&mut c, dest, &out)?;
    trace!(c, "account_code", [addr, traced], [out]);
    Ok(out.len() as i32)
}

fn account_code_size<A: EvmApi>(mut c: C<'_, A>, addr: i32) -> R<i32> {
    let addr = account_access(&mut c, HOSTIO + EVM_API, addr)?;
    let len = c.data_mut().api.code(addr).len() as u32;
    trace!(c, "account_code_size", [addr], [len.to_be_bytes()]);
    Ok(len as i32)
}

fn account_codehash<A: EvmApi>(mut c: C<'_, A>, addr: i32, dest: i32) -> R<()> {
    let addr = account_access(&mut c, HOSTIO + 2 * PTR + EVM_API, addr)?;
    let hash = c.data_mut().api.code_hash(addr);
    write(&mut c, dest, hash.as_slice())?;
    trace!(c, "account_codehash", [addr], [hash]);
    Ok(())
}

fn block_basefee<A: EvmApi>(mut c: C<'_, A>, dest: i32) -> R<()> {
    hostio(&mut c, HOSTIO + PTR)?;
    let fee = U256::from(c.data().evm_data.basefee).to_be_bytes::<32>();
    write(&mut c, dest, &fee)?;
    trace!(c, "block_basefee", [], [fee]);
    Ok(())
}

fn block_coinbase<A: EvmApi>(mut c: C<'_, A>, dest: i32) -> R<()> {
    hostio(&mut c, HOSTIO + PTR)?;
    let coinbase = c.data().evm_data.coinbase;
    write(&mut c, dest, coinbase.as_slice())?;
    trace!(c, "block_coinbase", [], [coinbase]);
    Ok(())
}

fn block_gas_limit<A: EvmApi>(mut c: C<'_, A>) -> R<i64> {
    hostio(&mut c, HOSTIO)?;
    let limit = c.data().evm_data.gas_limit;
    trace!(c, "block_gas_limit", [], [limit.to_be_bytes()]);
    Ok(limit as i64)
}

fn block_number<A: EvmApi>(mut c: C<'_, A>) -> R<i64> {
    hostio(&mut c, HOSTIO)?;
    let number = c.data().evm_data.number;
    trace!(c, "block_number", [], [number.to_be_bytes()]);
    Ok(number as i64)
}

fn block_timestamp<A: EvmApi>(mut c: C<'_, A>) -> R<i64> {
    hostio(&mut c, HOSTIO)?;
    let timestamp = c.data().evm_data.timestamp;
    trace!(c, "block_timestamp", [], [timestamp.to_be_bytes()]);
    Ok(timestamp as i64)
}

fn chainid<A: EvmApi>(mut c: C<'_, A>) -> R<i64> {
    hostio(&mut c, HOSTIO)?;
    let id = c.data().evm_data.chain_id;
    trace!(c, "chainid", [], [id.to_be_bytes()]);
    Ok(id as i64)
}

fn contract_address<A: EvmApi>(mut c: C<'_, A>, dest: i32) -> R<()> {
    hostio(&mut c, HOSTIO + PTR)?;
    let address = c.data().frame.contract;
    write(&mut c, dest, address.as_slice())?;
    trace!(c, "contract_address", [], [address]);
    Ok(())
}

fn evm_gas_left<A: EvmApi>(mut c: C<'_, A>) -> R<i64> {
    hostio(&mut c, HOSTIO)?;
    let gas = gas_left(&c);
    trace!(c, "evm_gas_left", [], [gas.to_be_bytes()]);
    Ok(gas as i64)
}

fn evm_ink_left<A: EvmApi>(mut c: C<'_, A>) -> R<i64> {
    hostio(&mut c, HOSTIO)?;
    let ink = ink_left(&c);
    trace!(c, "evm_ink_left", [], [ink.to_be_bytes()]);
    Ok(ink as i64)
}

fn msg_reentrant<A: EvmApi>(mut c: C<'_, A>) -> R<i32> {
    hostio(&mut c, HOSTIO)?;
    let reentrant = c.data().frame.reentrant as u32;
    trace!(c, "msg_reentrant", [], [reentrant.to_be_bytes()]);
    Ok(reentrant as i32)
}

fn msg_sender<A: EvmApi>(mut c: C<'_, A>, dest: i32) -> R<()> {
    hostio(&mut c, HOSTIO + PTR)?;
    let sender = c.data().frame.sender;
    write(&mut c, dest, sender.as_slice())?;
    trace!(c, "msg_sender", [], [sender]);
    Ok(())
}

fn msg_value<A: EvmApi>(mut c: C<'_, A>, dest: i32) -> R<()> {
    hostio(&mut c, HOSTIO + PTR)?;
    let value = c.data().frame.value.to_be_bytes::<32>();
    write(&mut c, dest, &value)?;
    trace!(c, "msg_value", [], [value]);
    Ok(())
}

fn tx_gas_price<A: EvmApi>(mut c: C<'_, A>, dest: i32) -> R<()> {
    hostio(&mut c, HOSTIO + PTR)?;
    let price = c.data().evm_data.gas_price.to_be_bytes::<32>();
    write(&mut c, dest, &price)?;
    trace!(c, "tx_gas_price", [], [price]);
    Ok(())
}

fn tx_ink_price<A: EvmApi>(mut c: C<'_, A>) -> R<i32> {
    hostio(&mut c, HOSTIO)?;
    let price = c.data().ink_price as u32;
    trace!(c, "tx_ink_price", [], [price.to_be_bytes()]);
    Ok(price as i32)
}

fn tx_origin<A: EvmApi>(mut c: C<'_, A>, dest: i32) -> R<()> {
    hostio(&mut c, HOSTIO + PTR)?;
    let origin = c.data().evm_data.origin;
    write(&mut c, dest, origin.as_slice())?;
    trace!(c, "tx_origin", [], [origin]);
    Ok(())
}

fn emit_log<A: EvmApi>(mut c: C<'_, A>, data: i32, len: i32, topics: i32) -> R<()> {
    hostio(&mut c, HOSTIO + EVM_API)?;
    let (len, topics) = (len as u32, topics as u32);
    if topics > 4 || len < topics * 32 {
        return Err(fail("bad topic data"));
    }
    buy_ink(&mut c, read_price(len))?;
    let data_len = (len - topics * 32) as u64;
    buy_gas(
        &mut c,
        (1 + topics as u64) * evm_gas::LOG_TOPIC + data_len * evm_gas::LOG_DATA,
    )?;
    if c.data().frame.is_static {
        return Err(fail("write protection: log in a static call"));
    }
    let bytes = read(&c, data, len as i32)?;
    let (topic_bytes, body) = bytes.split_at(topics as usize * 32);
    let topic_words: Vec<B256> = topic_bytes.chunks(32).map(B256::from_slice).collect();
    let address = c.data().frame.contract;
    let data = LogData::new_unchecked(topic_words, Bytes::copy_from_slice(body));
    c.data_mut().api.emit_log(Log { address, data });
    trace!(c, "emit_log", [topics.to_be_bytes(), bytes], []);
    Ok(())
}

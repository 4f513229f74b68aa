//! Persistent storage through the program's storage cache (Nitro's `StorageCache`: loads are
//! cached, writes stay in the cache until `storage_flush_cache`), and EIP-1153 transient storage.

use super::{
    buy_gas, esc, fail, hostio, read32, register, require_gas, set_ink, trace, write, Escape,
    StorageWord, C, R,
};
use crate::api::EvmApi;
use crate::params::{evm_gas, ink::*};
use alloy_primitives::{B256, U256};
use wasmi::Linker;

pub(super) fn register<A: EvmApi + 'static>(linker: &mut Linker<super::HostEnv<A>>) {
    register!(
        linker,
        "vm_hooks",
        [
            storage_load_bytes32,
            storage_cache_bytes32,
            storage_flush_cache,
            transient_load_bytes32,
            transient_store_bytes32,
        ]
    );
}

fn storage_load_bytes32<A: EvmApi>(mut c: C<'_, A>, key: i32, dest: i32) -> R<()> {
    hostio(&mut c, HOSTIO + 2 * PTR)?;
    let api_gas = EVM_API / c.data().ink_price;
    require_gas(
        &mut c,
        evm_gas::COLD_SLOAD + evm_gas::CACHE_ACCESS_REQUIRED + api_gas,
    )?;
    let key = read32(&c, key)?;
    let env = c.data_mut();
    env.reads += 1;
    // Nitro's cache-access cost, by how many loads the call made
    let mut cost = match env.reads {
        0..=32 => 0,
        33..=128 => 2,
        _ => 10,
    };
    let value = match env.cache.get(&key) {
        Some(w) => w.value,
        None => {
            let contract = env.frame.contract;
            let (value, cold) = env
                .api
                .sload(contract, key)
                .map_err(|_| fail("database error"))?;
            cost += if cold {
                evm_gas::COLD_SLOAD
            } else {
                evm_gas::WARM_READ
            } + api_gas;
            let known = Some(value);
            env.cache.insert(key, StorageWord { value, known });
            value
        }
    };
    buy_gas(&mut c, cost)?;
    write(&mut c, dest, value.as_slice())?;
    trace!(c, "storage_load_bytes32", [key], [value]);
    Ok(())
}

fn storage_cache_bytes32<A: EvmApi>(mut c: C<'_, A>, key: i32, value: i32) -> R<()> {
    hostio(&mut c, HOSTIO + 2 * PTR)?;
    require_gas(
        &mut c,
        evm_gas::SSTORE_SENTRY + evm_gas::CACHE_ACCESS_REQUIRED,
    )?;
    let key = read32(&c, key)?;
    let value = read32(&c, value)?;
    let env = c.data_mut();
    env.writes += 1;
    // Nitro's cache-write cost, by how many writes the call made
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
}

fn storage_flush_cache<A: EvmApi>(mut c: C<'_, A>, clear: i32) -> R<()> {
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
    let mut budget = super::gas_left(&c);
    let mut total = 0u64;
    for (key, value) in dirty {
        let env = c.data_mut();
        let slot = env
            .api
            .sstore(contract, key, value)
            .map_err(|_| fail("database error"))?;
        let (cost, refund) = storage_cost(slot.original, slot.present, slot.new, slot.cold);
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
}

/// The gas and refund of one SSTORE (EIP-2200 with EIP-2929's cold surcharge and EIP-3529's
/// refunds), as geth prices it.
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

fn transient_load_bytes32<A: EvmApi>(mut c: C<'_, A>, key: i32, dest: i32) -> R<()> {
    hostio(&mut c, HOSTIO + 2 * PTR + EVM_API)?;
    buy_gas(&mut c, evm_gas::WARM_READ)?;
    let key = read32(&c, key)?;
    let contract = c.data().frame.contract;
    let value = c.data_mut().api.tload(contract, key).to_be_bytes::<32>();
    write(&mut c, dest, &value)?;
    trace!(c, "transient_load_bytes32", [key], [value]);
    Ok(())
}

fn transient_store_bytes32<A: EvmApi>(mut c: C<'_, A>, key: i32, value: i32) -> R<()> {
    hostio(&mut c, HOSTIO + 2 * PTR + EVM_API)?;
    buy_gas(&mut c, evm_gas::WARM_READ)?;
    let key = read32(&c, key)?;
    let value = read32(&c, value)?;
    if c.data().frame.is_static {
        return Err(fail("write protection: transient store in a static call"));
    }
    let contract = c.data().frame.contract;
    let word = U256::from_be_bytes(value.0);
    c.data_mut().api.tstore(contract, key, word);
    trace!(c, "transient_store_bytes32", [key, value], []);
    Ok(())
}

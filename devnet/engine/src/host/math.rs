//! 256-bit arithmetic (`math_*`) and `native_keccak256`.

use super::{
    buy_ink, hostio, pay_pending_pages, read, read32, register, trace, trace_start, write, C, R,
};
use crate::api::EvmApi;
use crate::params::ink::{self, *};
use alloy_primitives::{keccak256, U256};
use wasmi::Linker;

pub(super) fn register<A: EvmApi + 'static>(linker: &mut Linker<super::HostEnv<A>>) {
    register!(
        linker,
        "vm_hooks",
        [
            math_div,
            math_mod,
            math_pow,
            math_add_mod,
            math_mul_mod,
            native_keccak256,
        ]
    );
}

/// A binary operation on the words at `a` and `b`, written back to `a`.
fn math2<A: EvmApi>(
    c: &mut C<'_, A>,
    name: &'static str,
    (a, b): (i32, i32),
    base: u64,
    op: fn(U256, U256) -> U256,
) -> R<()> {
    hostio(c, base)?;
    let xb = read32(c, a)?;
    let yb = read32(c, b)?;
    // the exponent's size prices `math_pow` on top of its base cost
    if name == "math_pow" {
        buy_ink(c, ink::pow_price(&yb.0))?;
    }
    let r = op(U256::from_be_bytes(xb.0), U256::from_be_bytes(yb.0)).to_be_bytes::<32>();
    write(c, a, &r)?;
    trace!(c, name, [xb, yb], [r]);
    Ok(())
}

/// A modular operation on the words at `a`, `b` and `m`, written back to `a`.
fn math3<A: EvmApi>(
    c: &mut C<'_, A>,
    name: &'static str,
    (a, b, m): (i32, i32, i32),
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

fn math_div<A: EvmApi>(mut c: C<'_, A>, a: i32, b: i32) -> R<()> {
    let op = |x: U256, y: U256| x.checked_div(y).unwrap_or_default();
    math2(&mut c, "math_div", (a, b), HOSTIO + 3 * PTR + DIV, op)
}

fn math_mod<A: EvmApi>(mut c: C<'_, A>, a: i32, b: i32) -> R<()> {
    let op = |x: U256, y: U256| x.checked_rem(y).unwrap_or_default();
    math2(&mut c, "math_mod", (a, b), HOSTIO + 3 * PTR + DIV, op)
}

fn math_pow<A: EvmApi>(mut c: C<'_, A>, a: i32, b: i32) -> R<()> {
    let op = |x: U256, y: U256| x.wrapping_pow(y);
    math2(&mut c, "math_pow", (a, b), HOSTIO + 3 * PTR, op)
}

fn math_add_mod<A: EvmApi>(mut c: C<'_, A>, a: i32, b: i32, m: i32) -> R<()> {
    let op = |x: U256, y: U256, z: U256| x.add_mod(y, z);
    math3(
        &mut c,
        "math_add_mod",
        (a, b, m),
        HOSTIO + 4 * PTR + ADD_MOD,
        op,
    )
}

fn math_mul_mod<A: EvmApi>(mut c: C<'_, A>, a: i32, b: i32, m: i32) -> R<()> {
    let op = |x: U256, y: U256, z: U256| x.mul_mod(y, z);
    math3(
        &mut c,
        "math_mul_mod",
        (a, b, m),
        HOSTIO + 4 * PTR + MUL_MOD,
        op,
    )
}

fn native_keccak256<A: EvmApi>(mut c: C<'_, A>, input: i32, len: i32, out: i32) -> R<()> {
    trace_start(&mut c);
    pay_pending_pages(&mut c)?;
    buy_ink(&mut c, keccak_price(len as u32))?;
    let data = read(&c, input, len)?;
    let digest = keccak256(&data);
    write(&mut c, out, digest.as_slice())?;
    trace!(c, "native_keccak256", [data], [digest]);
    Ok(())
}

//! Helpers shared by the unit tests of this crate (compiled only under `cfg(test)`).
use alloy_primitives::{U256, U512};
use proptest::prelude::*;

/// A `U256` of random bit length (0..=256 bits), so that small, medium and huge values are
/// all drawn often — a uniform `U256` is almost always ~2^255.
pub fn any_u256() -> impl Strategy<Value = U256> {
    (any::<[u64; 4]>(), 0usize..=256).prop_map(|(limbs, bits)| {
        if bits == 0 {
            U256::ZERO
        } else {
            U256::from_limbs(limbs) >> (256 - bits)
        }
    })
}

/// A `u128` of random bit length (0..=128 bits).
pub fn any_u128_log() -> impl Strategy<Value = u128> {
    (any::<u128>(), 0u32..=128).prop_map(|(x, bits)| if bits == 0 { 0 } else { x >> (128 - bits) })
}

/// `a × b` in 512 bits, the reference for `mul_div`.
pub fn wide_mul(a: U256, b: U256) -> U512 {
    a.widening_mul(b)
}

/// `⌊a × b / c⌋` and the remainder, in 512 bits (`c > 0`).
pub fn wide_mul_div(a: U256, b: U256, c: U256) -> (U512, U512) {
    wide_mul(a, b).div_rem(U512::from(c))
}

/// A `U512` that is known to fit, narrowed to `U256`.
pub fn narrow(x: U512) -> Option<U256> {
    U256::checked_from_limbs_slice(x.as_limbs())
}

/// `value / 10^decimals` as the nearest `f64` (parsed from the decimal string, so the
/// conversion itself is correctly rounded).
pub fn scaled_to_f64(value: U256, decimals: usize) -> f64 {
    let digits = value.to_string();
    let padded = format!("{digits:0>width$}", width = decimals + 1);
    let (int, frac) = padded.split_at(padded.len() - decimals);
    format!("{int}.{frac}").parse().unwrap()
}

/// `x` as the nearest `f64`.
pub fn to_f64(x: U256) -> f64 {
    x.to_string().parse().unwrap()
}

/// Parses a decimal literal (for hard-coded reference tables).
pub fn u(s: &str) -> U256 {
    s.parse().unwrap()
}

//! Fixed-point natural logarithm at scale 1e36 (used by the DIEM mint cost, SPEC §3.4).
//!
//! `ln(x)` of an integer `x ≥ 1`, returned as `ln(x) × LN_SCALE`. The log of a WAD ratio
//! `a / b` is `ln(a) − ln(b)`: the DIEM cost is written that way so that it telescopes (INV-7).
//!
//! Method: `x = m × 2^k` with `m ∈ [1/√2, √2)`, then `ln x = k·ln 2 + 2·atanh((m−1)/(m+1))`,
//! the series converging by a factor `≤ 0.0295` a term (about 24 terms for 1e-36).
//! Accuracy: every step rounds toward zero by less than one unit of 1e-36, so the absolute
//! error is below 1e-34 (≤ 1e-15 relative for any `ln x ≥ 1e-19`). Over `1 ≤ x ≤ 2^100` the
//! gap between neighbours, `1/x ≥ 7.8e-31`, dwarfs the error, so `ln` is strictly increasing.
use alloy_primitives::{uint, U256};

use crate::mul_div::mul_div_down;

/// 1.0 in the fixed point of [`ln`]: 1e36.
pub const LN_SCALE: U256 = uint!(1_000_000_000_000_000_000_000_000_000_000_000_000_U256);
/// `ln 2 × 1e36`, rounded to nearest.
const LN_2: U256 = uint!(693_147_180_559_945_309_417_232_121_458_176_568_U256);
/// `√2 × 1e36`, rounded down: the upper end of the mantissa range.
const SQRT_2: U256 = uint!(1_414_213_562_373_095_048_801_688_724_209_698_078_U256);

/// `ln(x) × 1e36`, rounded toward zero, for `1 ≤ x < 2^255`; `None` for `x == 0` or larger `x`.
pub fn ln(x: U256) -> Option<U256> {
    if x.is_zero() || x.bit(255) {
        return None;
    }
    // k = ⌊log2 x⌋, mantissa m = x / 2^k ∈ [1, 2) at scale 1e36.
    let mut exponent = (x.bit_len() - 1) as u64;
    let mut mantissa = mul_div_down(x, LN_SCALE, U256::from(1) << exponent as usize)?;
    // Fold [√2, 2) onto [1/√2, 1) so the series argument stays below 0.172.
    let fold = mantissa > SQRT_2;
    if fold {
        mantissa >>= 1;
        exponent += 1;
    }
    let series = atanh_series(mantissa)?;
    let whole = LN_2.checked_mul(U256::from(exponent))?;
    // For x ≥ 2 the fold only lowers the value by at most ln √2 < ln 2 ≤ whole; for x == 1
    // there is no fold. So the subtraction cannot underflow; checked all the same.
    if fold {
        whole.checked_sub(series)
    } else {
        whole.checked_add(series)
    }
}

/// `|2·atanh((m−1)/(m+1))| × 1e36` for a mantissa `m ∈ [1/√2, √2]` at scale 1e36:
/// that is `|ln m|`. Each term rounds down.
fn atanh_series(mantissa: U256) -> Option<U256> {
    let (numerator, denominator) = if mantissa >= LN_SCALE {
        (mantissa - LN_SCALE, mantissa.checked_add(LN_SCALE)?)
    } else {
        (LN_SCALE - mantissa, mantissa.checked_add(LN_SCALE)?)
    };
    let z = mul_div_down(numerator, LN_SCALE, denominator)?;
    let z_squared = mul_div_down(z, z, LN_SCALE)?;
    let mut power = z;
    let mut sum = z;
    let mut odd = 1u64;
    // |z| ≤ 0.1716: the powers fall below one unit within 48 steps; the bound keeps the
    // loop finite whatever happens.
    for _ in 0..48 {
        power = mul_div_down(power, z_squared, LN_SCALE)?;
        if power.is_zero() {
            break;
        }
        odd += 2;
        sum += power / U256::from(odd);
    }
    sum.checked_mul(U256::from(2))
}

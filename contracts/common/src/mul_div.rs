//! `a × b / denominator` with a 512-bit intermediate and an explicit rounding direction.
//!
//! Callers pick the direction that favours the protocol: amounts paid out round down
//! ([`mul_div_down`]), amounts charged round up ([`mul_div_up`]).
use alloy_primitives::{U256, U512};

/// `⌊a × b / denominator⌋`. `None` when `denominator == 0` or the quotient exceeds `U256::MAX`.
/// The product never overflows: it is taken in 512 bits.
pub fn mul_div_down(a: U256, b: U256, denominator: U256) -> Option<U256> {
    div_rem_512(a, b, denominator).map(|(quotient, _)| quotient)
}

/// `⌈a × b / denominator⌉`. `None` when `denominator == 0` or the quotient exceeds `U256::MAX`.
pub fn mul_div_up(a: U256, b: U256, denominator: U256) -> Option<U256> {
    let (quotient, remainder) = div_rem_512(a, b, denominator)?;
    if remainder.is_zero() {
        Some(quotient)
    } else {
        quotient.checked_add(U256::from(1))
    }
}

/// Quotient and remainder of `a × b / denominator`.
fn div_rem_512(a: U256, b: U256, denominator: U256) -> Option<(U256, U256)> {
    if denominator.is_zero() {
        return None;
    }
    // Fast path: the product fits in 256 bits (the common case for token amounts).
    if let Some(product) = a.checked_mul(b) {
        return Some(product.div_rem(denominator));
    }
    let product: U512 = a.widening_mul(b);
    let (quotient, remainder) = product.div_rem(U512::from(denominator));
    // The remainder is below `denominator`, so it fits; the quotient may not.
    let quotient = U256::checked_from_limbs_slice(quotient.as_limbs())?;
    Some((quotient, U256::from_limbs_slice(&remainder.as_limbs()[..4])))
}

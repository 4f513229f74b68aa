//! `a × b / denominator` with an explicit rounding direction.
//!
//! Callers pick the direction that favours the protocol: amounts paid out round down, amounts
//! charged round up. Two widths:
//! - [`mul_div_down`] / [`mul_div_up`] take the product in 256 bits and return `None` when it
//!   overflows. Token amounts never get near that (a product of an amount ≤ 2^100 wei and a scale
//!   ≤ 2^150 fits), and the 256-bit division keeps the contracts small: the 512-bit one costs
//!   about 2 KiB of compressed Wasm in every contract that links it.
//! - [`full_mul_div_down`] / [`full_mul_div_up`] take the product in 512 bits; only the DIEM
//!   cost and `ln` need them.
use alloy_primitives::{ruint::Uint, U256, U512};

/// `⌊a × b / denominator⌋`. `None` when `denominator == 0` or `a × b ≥ 2^256`.
pub fn mul_div_down(a: U256, b: U256, denominator: U256) -> Option<U256> {
    div_rem(a.checked_mul(b)?, denominator).map(|(quotient, _)| quotient)
}

/// `⌈a × b / denominator⌉`. `None` when `denominator == 0`, `a × b ≥ 2^256`, or the rounded
/// quotient exceeds `U256::MAX`.
pub fn mul_div_up(a: U256, b: U256, denominator: U256) -> Option<U256> {
    round_up(div_rem(a.checked_mul(b)?, denominator)?)
}

/// `(⌊numerator / denominator⌋, numerator mod denominator)`; `None` when `denominator == 0`.
pub fn div_rem(numerator: U256, denominator: U256) -> Option<(U256, U256)> {
    if let (Ok(n), Ok(d)) = (u64::try_from(numerator), u64::try_from(denominator)) {
        return n
            .checked_div(d)
            .map(|quotient| (U256::from(quotient), U256::from(n % d)));
    }
    long_division(numerator, denominator)
}

/// Binary long division, one quotient bit per step from the numerator's top bit down to the
/// denominator's: ~`bits(numerator) − bits(denominator)` steps (about 100 for the reward
/// accumulator, 140 for a DIEM cost). Used instead of ruint's general division, which adds
/// ~4 KiB of Wasm to each contract. `None` when `denominator == 0`.
fn long_division<const BITS: usize, const LIMBS: usize>(
    numerator: Uint<BITS, LIMBS>,
    denominator: Uint<BITS, LIMBS>,
) -> Option<(Uint<BITS, LIMBS>, Uint<BITS, LIMBS>)> {
    if denominator.is_zero() {
        return None;
    }
    if numerator < denominator {
        return Some((Uint::ZERO, numerator));
    }
    // numerator ≥ denominator > 0, so the shift is below BITS and `denominator << shift` keeps
    // every bit (its top bit lands on the numerator's).
    let shift = numerator.bit_len() - denominator.bit_len();
    let mut divisor = denominator << shift;
    let mut quotient = Uint::ZERO;
    let mut remainder = numerator;
    for bit in (0..=shift).rev() {
        if remainder >= divisor {
            remainder -= divisor;
            quotient.set_bit(bit, true);
        }
        divisor >>= 1;
    }
    Some((quotient, remainder))
}

/// `⌊a × b / denominator⌋` with a 512-bit product. `None` when `denominator == 0` or the
/// quotient exceeds `U256::MAX`.
pub fn full_mul_div_down(a: U256, b: U256, denominator: U256) -> Option<U256> {
    div_rem_512(a, b, denominator).map(|(quotient, _)| quotient)
}

/// `⌈a × b / denominator⌉` with a 512-bit product. `None` when `denominator == 0` or the
/// rounded quotient exceeds `U256::MAX`.
pub fn full_mul_div_up(a: U256, b: U256, denominator: U256) -> Option<U256> {
    round_up(div_rem_512(a, b, denominator)?)
}

/// The quotient, plus one when the remainder is not zero.
fn round_up((quotient, remainder): (U256, U256)) -> Option<U256> {
    if remainder.is_zero() {
        Some(quotient)
    } else {
        quotient.checked_add(U256::from(1))
    }
}

/// Quotient and remainder of `a × b / denominator`, the product taken in 512 bits.
fn div_rem_512(a: U256, b: U256, denominator: U256) -> Option<(U256, U256)> {
    // Fast path: the product fits in 256 bits.
    if let Some(product) = a.checked_mul(b) {
        return div_rem(product, denominator);
    }
    let product: U512 = a.widening_mul(b);
    let (quotient, remainder) = long_division(product, U512::from(denominator))?;
    // The remainder is below `denominator`, so it fits; the quotient may not.
    let quotient = U256::checked_from_limbs_slice(quotient.as_limbs())?;
    Some((quotient, U256::from_limbs_slice(&remainder.as_limbs()[..4])))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{any_u256, narrow, wide_mul, wide_mul_div};
    use proptest::prelude::*;

    fn n(x: u64) -> U256 {
        U256::from(x)
    }

    #[test]
    fn mul_div_fixed_examples() {
        assert_eq!(full_mul_div_down(n(7), n(3), n(2)), Some(n(10)));
        assert_eq!(full_mul_div_up(n(7), n(3), n(2)), Some(n(11)));
        assert_eq!(full_mul_div_down(n(6), n(4), n(3)), Some(n(8)));
        assert_eq!(full_mul_div_up(n(6), n(4), n(3)), Some(n(8)));
        assert_eq!(full_mul_div_down(n(0), U256::MAX, n(1)), Some(n(0)));
        assert_eq!(full_mul_div_up(n(1), n(1), U256::MAX), Some(n(1)));
        assert_eq!(full_mul_div_down(n(1), n(1), U256::MAX), Some(n(0)));
        // The 512-bit path: MAX × MAX / MAX == MAX exactly.
        assert_eq!(
            full_mul_div_down(U256::MAX, U256::MAX, U256::MAX),
            Some(U256::MAX)
        );
        assert_eq!(
            full_mul_div_up(U256::MAX, U256::MAX, U256::MAX),
            Some(U256::MAX)
        );
        // (2^255 × 4) / 8 == 2^254: product 2^257 overflows 256 bits, the quotient does not.
        let half = U256::from(1) << 255;
        assert_eq!(
            full_mul_div_down(half, n(4), n(8)),
            Some(U256::from(1) << 254)
        );
        // (MAX × (MAX − 1)) / MAX == MAX − 1 exactly.
        assert_eq!(
            full_mul_div_up(U256::MAX, U256::MAX - n(1), U256::MAX),
            Some(U256::MAX - n(1))
        );
    }

    #[test]
    fn mul_div_none_on_zero_denominator() {
        for (a, b) in [(0, 0), (1, 1), (5, 7)] {
            assert_eq!(full_mul_div_down(n(a), n(b), U256::ZERO), None);
            assert_eq!(full_mul_div_up(n(a), n(b), U256::ZERO), None);
        }
        assert_eq!(full_mul_div_down(U256::MAX, U256::MAX, U256::ZERO), None);
        assert_eq!(full_mul_div_up(U256::MAX, U256::MAX, U256::ZERO), None);
    }

    #[test]
    fn mul_div_none_on_quotient_overflow() {
        assert_eq!(full_mul_div_down(U256::MAX, n(2), n(1)), None);
        assert_eq!(full_mul_div_up(U256::MAX, n(2), n(1)), None);
        assert_eq!(full_mul_div_down(U256::MAX, n(3), n(2)), None);
        assert_eq!(full_mul_div_up(U256::MAX, n(3), n(2)), None);
        assert_eq!(
            full_mul_div_down(U256::MAX, U256::MAX, U256::MAX - n(1)),
            None
        );
        assert_eq!(
            full_mul_div_up(U256::MAX, U256::MAX, U256::MAX - n(1)),
            None
        );
    }

    /// ⌊a·b/c⌋ == MAX with a non-zero remainder: down fits, up would be MAX + 1.
    /// a = MAX − 1, b = 2^255 + 1, c = 2^255:
    /// a·b = (MAX − 1)·c + (MAX − 1) = MAX·c + (MAX − 1 − c) and 0 < MAX − 1 − c = 2^255 − 2 < c.
    #[test]
    fn mul_div_up_none_when_rounding_up_past_max() {
        let c = U256::from(1) << 255;
        let (a, b) = (U256::MAX - n(1), c + n(1));
        let (q, r) = wide_mul_div(a, b, c);
        assert_eq!(narrow(q), Some(U256::MAX));
        assert_eq!(narrow(r), Some(c - n(2)));
        assert_eq!(full_mul_div_down(a, b, c), Some(U256::MAX));
        assert_eq!(full_mul_div_up(a, b, c), None);
    }

    proptest! {
        /// down ≤ a·b/c ≤ up, up − down ∈ {0, 1}, and both equal the 512-bit reference.
        #[test]
        fn mul_div_down_le_exact_le_up(a in any_u256(), b in any_u256(), c in any_u256()) {
            prop_assume!(!c.is_zero());
            let (q, r) = wide_mul_div(a, b, c);
            let down = full_mul_div_down(a, b, c);
            let up = full_mul_div_up(a, b, c);
            // Exactness against the 512-bit reference.
            prop_assert_eq!(down, narrow(q));
            let q_up = if r.is_zero() { q } else { q + U512::from(1) };
            prop_assert_eq!(up, narrow(q_up));
            // Bracketing, checked by multiplication (independent of the division).
            let product = wide_mul(a, b);
            let wc = U512::from(c);
            if let Some(down) = down {
                prop_assert!(U512::from(down) * wc <= product);
                prop_assert!(product < (U512::from(down) + U512::from(1)) * wc);
            }
            if let Some(up) = up {
                prop_assert!(U512::from(up) * wc >= product);
            }
            if let (Some(down), Some(up)) = (down, up) {
                let gap = up - down;
                prop_assert!(gap <= U256::from(1));
                prop_assert_eq!(gap.is_zero(), r.is_zero());
            }
            // up is None whenever down is (overflow only gets worse rounding up).
            if down.is_none() {
                prop_assert!(up.is_none());
            }
        }

        /// Products that fit in 256 bits (the fast path) agree with plain division.
        #[test]
        fn mul_div_fast_path_matches_u128(a in any::<u64>(), b in any::<u64>(), c in 1u64..) {
            let exact = u128::from(a) * u128::from(b);
            let down = exact / u128::from(c);
            let up = exact.div_ceil(u128::from(c));
            prop_assert_eq!(full_mul_div_down(U256::from(a), U256::from(b), U256::from(c)), Some(U256::from(down)));
            prop_assert_eq!(full_mul_div_up(U256::from(a), U256::from(b), U256::from(c)), Some(U256::from(up)));
        }

        #[test]
        fn mul_div_none_on_zero_denominator_any(a in any_u256(), b in any_u256()) {
            prop_assert_eq!(full_mul_div_down(a, b, U256::ZERO), None);
            prop_assert_eq!(full_mul_div_up(a, b, U256::ZERO), None);
        }

        /// Whenever the true quotient exceeds U256::MAX the result is None (never truncated).
        #[test]
        fn mul_div_none_on_quotient_overflow_any(a in any_u256(), b in any_u256(), c in 1u64..=1_000) {
            let c = U256::from(c);
            let (q, _) = wide_mul_div(a, b, c);
            if narrow(q).is_none() {
                prop_assert_eq!(full_mul_div_down(a, b, c), None);
                prop_assert_eq!(full_mul_div_up(a, b, c), None);
            }
        }
    }

    proptest! {
        #[test]
        fn div_rem_matches_ruint(n in any_u256(), d in any_u256()) {
            if d.is_zero() {
                prop_assert_eq!(div_rem(n, d), None);
            } else {
                prop_assert_eq!(div_rem(n, d), Some(n.div_rem(d)));
            }
        }

        #[test]
        fn div_rem_matches_ruint_on_small_values(n in any::<u128>(), d in 1u128..) {
            let (n, d) = (U256::from(n), U256::from(d));
            prop_assert_eq!(div_rem(n, d), Some(n.div_rem(d)));
        }

        #[test]
        fn mul_div_matches_full_when_product_fits(a in any_u256(), b in any_u256(), c in any_u256()) {
            let fits = a.checked_mul(b).is_some();
            let (down, up) = (mul_div_down(a, b, c), mul_div_up(a, b, c));
            if fits {
                prop_assert_eq!(down, full_mul_div_down(a, b, c));
                prop_assert_eq!(up, full_mul_div_up(a, b, c));
            } else {
                prop_assert_eq!(down, None);
                prop_assert_eq!(up, None);
            }
        }
    }

    #[test]
    fn mul_div_none_when_product_overflows() {
        assert_eq!(mul_div_down(U256::MAX, n(2), n(4)), None);
        assert_eq!(mul_div_up(U256::MAX, n(2), n(4)), None);
        assert_eq!(mul_div_down(U256::MAX, n(1), U256::MAX), Some(n(1)));
        assert_eq!(mul_div_up(n(7), n(3), n(2)), Some(n(11)));
        assert_eq!(mul_div_down(n(7), n(3), U256::ZERO), None);
    }
}

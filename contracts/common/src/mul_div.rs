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
        assert_eq!(mul_div_down(n(7), n(3), n(2)), Some(n(10)));
        assert_eq!(mul_div_up(n(7), n(3), n(2)), Some(n(11)));
        assert_eq!(mul_div_down(n(6), n(4), n(3)), Some(n(8)));
        assert_eq!(mul_div_up(n(6), n(4), n(3)), Some(n(8)));
        assert_eq!(mul_div_down(n(0), U256::MAX, n(1)), Some(n(0)));
        assert_eq!(mul_div_up(n(1), n(1), U256::MAX), Some(n(1)));
        assert_eq!(mul_div_down(n(1), n(1), U256::MAX), Some(n(0)));
        // The 512-bit path: MAX × MAX / MAX == MAX exactly.
        assert_eq!(
            mul_div_down(U256::MAX, U256::MAX, U256::MAX),
            Some(U256::MAX)
        );
        assert_eq!(mul_div_up(U256::MAX, U256::MAX, U256::MAX), Some(U256::MAX));
        // (2^255 × 4) / 8 == 2^254: product 2^257 overflows 256 bits, the quotient does not.
        let half = U256::from(1) << 255;
        assert_eq!(mul_div_down(half, n(4), n(8)), Some(U256::from(1) << 254));
        // (MAX × (MAX − 1)) / MAX == MAX − 1 exactly.
        assert_eq!(
            mul_div_up(U256::MAX, U256::MAX - n(1), U256::MAX),
            Some(U256::MAX - n(1))
        );
    }

    #[test]
    fn mul_div_none_on_zero_denominator() {
        for (a, b) in [(0, 0), (1, 1), (5, 7)] {
            assert_eq!(mul_div_down(n(a), n(b), U256::ZERO), None);
            assert_eq!(mul_div_up(n(a), n(b), U256::ZERO), None);
        }
        assert_eq!(mul_div_down(U256::MAX, U256::MAX, U256::ZERO), None);
        assert_eq!(mul_div_up(U256::MAX, U256::MAX, U256::ZERO), None);
    }

    #[test]
    fn mul_div_none_on_quotient_overflow() {
        assert_eq!(mul_div_down(U256::MAX, n(2), n(1)), None);
        assert_eq!(mul_div_up(U256::MAX, n(2), n(1)), None);
        assert_eq!(mul_div_down(U256::MAX, n(3), n(2)), None);
        assert_eq!(mul_div_up(U256::MAX, n(3), n(2)), None);
        assert_eq!(mul_div_down(U256::MAX, U256::MAX, U256::MAX - n(1)), None);
        assert_eq!(mul_div_up(U256::MAX, U256::MAX, U256::MAX - n(1)), None);
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
        assert_eq!(mul_div_down(a, b, c), Some(U256::MAX));
        assert_eq!(mul_div_up(a, b, c), None);
    }

    proptest! {
        /// down ≤ a·b/c ≤ up, up − down ∈ {0, 1}, and both equal the 512-bit reference.
        #[test]
        fn mul_div_down_le_exact_le_up(a in any_u256(), b in any_u256(), c in any_u256()) {
            prop_assume!(!c.is_zero());
            let (q, r) = wide_mul_div(a, b, c);
            let down = mul_div_down(a, b, c);
            let up = mul_div_up(a, b, c);
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
            prop_assert_eq!(mul_div_down(U256::from(a), U256::from(b), U256::from(c)), Some(U256::from(down)));
            prop_assert_eq!(mul_div_up(U256::from(a), U256::from(b), U256::from(c)), Some(U256::from(up)));
        }

        #[test]
        fn mul_div_none_on_zero_denominator_any(a in any_u256(), b in any_u256()) {
            prop_assert_eq!(mul_div_down(a, b, U256::ZERO), None);
            prop_assert_eq!(mul_div_up(a, b, U256::ZERO), None);
        }

        /// Whenever the true quotient exceeds U256::MAX the result is None (never truncated).
        #[test]
        fn mul_div_none_on_quotient_overflow_any(a in any_u256(), b in any_u256(), c in 1u64..=1_000) {
            let c = U256::from(c);
            let (q, _) = wide_mul_div(a, b, c);
            if narrow(q).is_none() {
                prop_assert_eq!(mul_div_down(a, b, c), None);
                prop_assert_eq!(mul_div_up(a, b, c), None);
            }
        }
    }
}

//! Continuous emission with a carried remainder (SPEC §3.3, INV-4).
//!
//! The rate is VVV-wei per `YEAR`. Over `elapsed` seconds the exact amount is
//! `rate × elapsed / YEAR`; the integer part is minted and the remainder (a numerator below
//! `YEAR`) is carried into the next accrual. Because nothing is ever dropped, the total minted
//! after any sequence of accruals is `⌊∫ rate dt / YEAR⌋`, however the time is split.
use alloy_primitives::U256;

use crate::{mul_div::div_rem, units::YEAR};

/// What one accrual mints and the remainder it carries forward.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Accrual {
    /// Whole wei to mint now: `⌊(rate × elapsed + carry) / YEAR⌋` (rounded down).
    pub minted: U256,
    /// Remainder of that division, `< YEAR`, owed to the next accrual.
    pub carry: U256,
}

/// Accrues `elapsed` seconds at `rate_per_year` on top of the carried remainder `carry`.
///
/// Rounding: down; the fraction is kept in `carry`, never lost. `None` only on overflow,
/// which needs `rate × elapsed ≥ 2^256` (unreachable for any real supply).
pub fn accrue(rate_per_year: U256, elapsed: u64, carry: U256) -> Option<Accrual> {
    let numerator = rate_per_year
        .checked_mul(U256::from(elapsed))?
        .checked_add(carry)?;
    let (minted, carry) = div_rem(numerator, U256::from(YEAR))?;
    Some(Accrual { minted, carry })
}

/// Yearly yield in bps of one sVVV whose reward weight is `weight_bps` (10 000 unlocked,
/// 8 000 locked: `rewards::UNLOCKED_WEIGHT_BPS` / `LOCKED_WEIGHT_BPS`) when the stakers get
/// `annual × share_bps / 10 000` VVV a year spread over `total_weight` (Σ `unlocked × 10 000 +
/// locked × 8 000`): `annual × share_bps × weight_bps / total_weight`. For unlocked sVVV this
/// is `E × share / (U + 0.8 L)` (SPEC §3.3), for locked sVVV 80% of it.
///
/// Rounding: down (a displayed yield never overstates). 0 when nothing is staked; saturates
/// at `U256::MAX` instead of overflowing.
pub fn apr_bps(
    annual_emission: U256,
    staker_share_bps: u16,
    weight_bps: u64,
    total_weight: U256,
) -> U256 {
    if total_weight.is_zero() {
        return U256::ZERO;
    }
    // share ≤ 65 535 and weight_bps < 2^64: the product fits in 128 bits.
    let per_weight = U256::from(u128::from(staker_share_bps) * u128::from(weight_bps));
    crate::mul_div::mul_div_down(annual_emission, per_weight, total_weight).unwrap_or(U256::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{any_u128_log, any_u256};
    use crate::units::{DAY, WAD};
    use proptest::prelude::*;

    fn vvv(x: u64) -> U256 {
        U256::from(x) * WAD
    }

    /// Accrues each `(rate, dt)` piece in order, threading the carry; returns the total minted
    /// and the final carry, checking `carry < YEAR` after every step.
    fn accrue_all(pieces: &[(U256, u64)]) -> (U256, U256) {
        let mut carry = U256::ZERO;
        let mut total = U256::ZERO;
        for &(rate, dt) in pieces {
            let step = accrue(rate, dt, carry).expect("no overflow in range");
            assert!(step.carry < U256::from(YEAR), "carry {} ≥ YEAR", step.carry);
            total += step.minted;
            carry = step.carry;
        }
        (total, carry)
    }

    /// Cuts `0..span` at the given points (reduced mod span, sorted) into consecutive lengths.
    fn partition(span: u64, cuts: &[u64]) -> Vec<u64> {
        let mut points: Vec<u64> = cuts
            .iter()
            .map(|c| if span == 0 { 0 } else { c % span })
            .collect();
        points.push(0);
        points.push(span);
        points.sort_unstable();
        points.windows(2).map(|w| w[1] - w[0]).collect()
    }

    #[test]
    fn accrue_fixed_examples() {
        // One full year mints exactly the rate, no carry.
        let a = accrue(vvv(14_000_000), YEAR, U256::ZERO).unwrap();
        assert_eq!(
            a,
            Accrual {
                minted: vvv(14_000_000),
                carry: U256::ZERO
            }
        );
        // One second of 14M VVV/yr: 14e24 / 31 536 000 = 443 937 087 772 704 211 rem 1 904 000
        // (443 937 087 772 704 211 × 31 536 000 = 13 999 999 999 999 999 998 096 000).
        let a = accrue(vvv(14_000_000), 1, U256::ZERO).unwrap();
        assert_eq!(a.minted, U256::from(443_937_087_772_704_211u64));
        assert_eq!(a.carry, U256::from(1_904_000u64));
        // The carry is added before dividing.
        let b = accrue(vvv(14_000_000), 1, a.carry).unwrap();
        assert_eq!(b.minted, U256::from(443_937_087_772_704_211u64));
        assert_eq!(b.carry, U256::from(3_808_000u64));
        // Zero elapsed mints nothing and keeps the carry.
        let z = accrue(vvv(14_000_000), 0, U256::from(123u64)).unwrap();
        assert_eq!(
            z,
            Accrual {
                minted: U256::ZERO,
                carry: U256::from(123u64)
            }
        );
        // Zero rate mints nothing.
        let z = accrue(U256::ZERO, YEAR, U256::ZERO).unwrap();
        assert_eq!(
            z,
            Accrual {
                minted: U256::ZERO,
                carry: U256::ZERO
            }
        );
        // A rate below YEAR wei/yr mints nothing per second but everything over a year.
        let tiny = U256::from(YEAR - 1);
        assert_eq!(accrue(tiny, 1, U256::ZERO).unwrap().minted, U256::ZERO);
    }

    #[test]
    fn accrue_none_on_overflow() {
        assert_eq!(accrue(U256::MAX, 2, U256::ZERO), None);
        assert_eq!(accrue(U256::MAX, 1, U256::from(1)), None);
        assert_eq!(accrue(U256::MAX >> 1, 3, U256::ZERO), None);
        assert!(accrue(U256::MAX, 1, U256::ZERO).is_some());
        assert!(accrue(U256::MAX, 0, U256::from(YEAR - 1)).is_some());
    }

    /// INV-4: calling every second for a day mints exactly what one call for the day mints.
    #[test]
    fn inv4_emission_every_second_equals_once_per_day() {
        let rate = vvv(14_000_000);
        let pieces: Vec<(U256, u64)> = (0..DAY).map(|_| (rate, 1)).collect();
        let (total, carry) = accrue_all(&pieces);
        let once = accrue(rate, DAY, U256::ZERO).unwrap();
        assert_eq!(total, once.minted);
        assert_eq!(carry, once.carry);
        // 14e24 × 86 400 / 31 536 000 = 38 356 164 383 561 643 835 616.4… → …616.
        assert_eq!(total, "38356164383561643835616".parse::<U256>().unwrap());
    }

    #[test]
    fn apr_bps_examples() {
        use crate::rewards::{weight, LOCKED_WEIGHT_BPS as L, UNLOCKED_WEIGHT_BPS as U};
        // 6 000 000 VVV/yr, stakers' share 80%, 30 600 000 VVV staked unlocked:
        // stakers get 4 800 000 VVV/yr; 4.8M / 30.6M = 15.686…% = 1568.627… bps → 1568 (down);
        // a locked sVVV earns 80% of it: 1254.9… → 1254.
        let w = weight(vvv(30_600_000), U256::ZERO).unwrap();
        assert_eq!(apr_bps(vvv(6_000_000), 8_000, U, w), U256::from(1_568u64));
        assert_eq!(apr_bps(vvv(6_000_000), 8_000, L, w), U256::from(1_254u64));
        // The 80% weight in the denominator: 14M/yr, 80%, 50M unlocked + 62.5M locked
        // (weight of 100M unlocked): 11.2M / 100M = 11.2% unlocked, 8.96% locked.
        let w = weight(vvv(50_000_000), vvv(62_500_000)).unwrap();
        assert_eq!(apr_bps(vvv(14_000_000), 8_000, U, w), U256::from(1_120u64));
        assert_eq!(apr_bps(vvv(14_000_000), 8_000, L, w), U256::from(896u64));
        // Flat curve, 14M/yr over 14M staked: 100% = 10 000 bps.
        let w = weight(vvv(14_000_000), U256::ZERO).unwrap();
        assert_eq!(
            apr_bps(vvv(14_000_000), 10_000, U, w),
            U256::from(10_000u64)
        );
        // Nothing staked: 0, not a division by zero. Zero share: 0.
        assert_eq!(apr_bps(vvv(14_000_000), 8_000, U, U256::ZERO), U256::ZERO);
        assert_eq!(apr_bps(vvv(14_000_000), 0, U, w), U256::ZERO);
        // A quotient above U256::MAX saturates instead of panicking.
        assert_eq!(apr_bps(U256::MAX, 10_000, U, U256::from(1)), U256::MAX);
    }

    proptest! {
        /// INV-4: any partition of a span (random number of pieces, carry threaded through)
        /// mints exactly ⌊rate·span/YEAR⌋ and leaves carry == rate·span mod YEAR (< YEAR).
        #[test]
        fn inv4_emission_exact_under_random_splits(
            rate in any_u128_log(),
            span in 0u64..=20 * YEAR,
            cuts in prop::collection::vec(any::<u64>(), 0..40),
        ) {
            let rate = U256::from(rate);
            let pieces: Vec<(U256, u64)> =
                partition(span, &cuts).into_iter().map(|dt| (rate, dt)).collect();
            let (total, carry) = accrue_all(&pieces);
            let (expected, expected_carry) = (rate * U256::from(span)).div_rem(U256::from(YEAR));
            prop_assert_eq!(total, expected);
            prop_assert_eq!(carry, expected_carry);
        }

        /// INV-4 with cuts: the rate is piecewise constant and only ever lowered (at random
        /// cut points); each constant stretch is itself accrued in random pieces. The total is
        /// ⌊Σ rateᵢ·dtᵢ / YEAR⌋ exactly.
        #[test]
        fn inv4_emission_exact_piecewise_decreasing_rates(
            start_rate in 0u128..=(1u128 << 100),
            segments in prop::collection::vec(
                (0u64..=2 * YEAR, 0u32..=10_000, prop::collection::vec(any::<u64>(), 0..6)),
                1..12,
            ),
        ) {
            let mut rate = U256::from(start_rate);
            let mut pieces = Vec::new();
            let mut integral = U256::ZERO;
            for (dt, keep_bps, cuts) in segments {
                integral += rate * U256::from(dt);
                for piece in partition(dt, &cuts) {
                    pieces.push((rate, piece));
                }
                // Next segment: a cut keeps `keep_bps` of the rate (never raises it).
                let next = rate * U256::from(keep_bps) / U256::from(10_000u64);
                prop_assert!(next <= rate);
                rate = next;
            }
            let (total, carry) = accrue_all(&pieces);
            prop_assert_eq!(total, integral / U256::from(YEAR));
            prop_assert_eq!(carry, integral % U256::from(YEAR));
        }

        /// One accrual is exact: minted·YEAR + carry == rate·elapsed + carry_in.
        #[test]
        fn accrue_is_exact_division(rate in any_u256(), elapsed in any::<u64>(), carry in 0u64..YEAR) {
            let carry = U256::from(carry);
            match rate.checked_mul(U256::from(elapsed)).and_then(|p| p.checked_add(carry)) {
                Some(numerator) => {
                    let a = accrue(rate, elapsed, carry).unwrap();
                    prop_assert!(a.carry < U256::from(YEAR));
                    prop_assert_eq!(a.minted * U256::from(YEAR) + a.carry, numerator);
                }
                None => prop_assert_eq!(accrue(rate, elapsed, carry), None),
            }
        }

        /// The displayed APR rounds down: apr·weight ≤ annual·share·w < (apr + 1)·weight.
        #[test]
        fn apr_bps_rounds_down(
            annual in 0u128..=(1u128 << 100),
            share in 0u16..=10_000,
            weight_bps in prop_oneof![Just(8_000u64), Just(10_000u64)],
            total_weight in 1u128..=(1u128 << 110),
        ) {
            let apr = apr_bps(U256::from(annual), share, weight_bps, U256::from(total_weight));
            let exact = U256::from(annual) * U256::from(share) * U256::from(weight_bps);
            prop_assert!(apr * U256::from(total_weight) <= exact);
            prop_assert!(exact < (apr + U256::from(1)) * U256::from(total_weight));
        }
    }
}

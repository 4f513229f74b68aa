//! DIEM mint-rate curve, mint cost integral and pro-rata unlock (SPEC §3.4, INV-6, INV-7).
//!
//! The mint rate in sVVV per DIEM rises as supply `s` nears the target `T`:
//! `rate(s) = base × T / (T − s)`. Minting `d` costs the exact integral
//! `∫ₛ^{s+d} rate = base × T × ln((T − s)/(T − s − d))`, computed as the difference of one
//! potential `Φ(x) = base × T × ln x` at the two ends. Because the potential is the same
//! function at every call, consecutive mints telescope: `cost(s,a) + cost(s+a,b)` differs from
//! `cost(s,a+b)` only by the final round-up, at most 1 wei (INV-7).
use alloy_primitives::{uint, U256};

use crate::{
    ln::{ln, LN_SCALE},
    mul_div::{full_mul_div_down, full_mul_div_up, mul_div_up},
    units::{DAY, WAD},
};

/// Largest target the curve accepts: 1e12 DIEM. Keeps `ln` strictly increasing on every
/// supply the curve can reach (see [`crate::ln`]) and `base × T` far from overflow.
pub const MAX_TARGET: U256 = uint!(1_000_000_000_000_000_000_000_000_000_000_U256);
/// Largest base rate: 1e9 sVVV per DIEM (WAD-scaled).
pub const MAX_BASE: U256 = uint!(1_000_000_000_000_000_000_000_000_000_U256);
/// Launch base rate: 90 sVVV per DIEM (WAD-scaled).
pub const DEFAULT_BASE: U256 = uint!(90_000_000_000_000_000_000_U256);
/// Launch target supply: 38 000 DIEM.
pub const DEFAULT_TARGET: U256 = uint!(38_000_000_000_000_000_000_000_U256);

/// The mint-rate curve: `base` sVVV per DIEM (WAD-scaled) and target supply `target` (wei).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MintCurve {
    /// sVVV per DIEM at zero supply, WAD-scaled (90e18 at launch).
    pub base: U256,
    /// Supply at which the rate becomes infinite, in DIEM wei (38 000e18 at launch).
    pub target: U256,
}

/// Why a mint cannot be priced.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MintError {
    /// `supply + amount ≥ target`: the curve is infinite there.
    TargetReached,
    /// Parameters outside `0 < base ≤ MAX_BASE`, `0 < target ≤ MAX_TARGET`.
    BadCurve,
    /// An intermediate overflowed (unreachable inside the bounds above).
    Overflow,
}

impl MintCurve {
    /// The launch curve: base 90, target 38 000 DIEM.
    pub const DEFAULT: MintCurve = MintCurve {
        base: DEFAULT_BASE,
        target: DEFAULT_TARGET,
    };

    /// Whether the parameters are inside the bounds the math is exact for.
    pub fn is_valid(&self) -> bool {
        !self.base.is_zero()
            && self.base <= MAX_BASE
            && !self.target.is_zero()
            && self.target <= MAX_TARGET
    }

    /// `rate(supply) = base × T / (T − supply)` in sVVV per DIEM (WAD-scaled).
    ///
    /// Rounding: up (it is a price the user pays). `TargetReached` when `supply ≥ T`.
    pub fn rate(&self, supply: U256) -> Result<U256, MintError> {
        if !self.is_valid() {
            return Err(MintError::BadCurve);
        }
        let headroom = self.target.checked_sub(supply).filter(|h| !h.is_zero());
        let headroom = headroom.ok_or(MintError::TargetReached)?;
        mul_div_up(self.base, self.target, headroom).ok_or(MintError::Overflow)
    }

    /// sVVV-wei cost of minting `amount` DIEM-wei at `supply`:
    /// `⌈base × T × (ln(T − supply) − ln(T − supply − amount)) / WAD⌉`.
    ///
    /// Rounding: up, once, at the end (the user pays). `cost(s, 0) == 0`.
    /// `TargetReached` when `supply + amount ≥ T`.
    ///
    /// Precision: each `ln` is within 1e-34 of exact (either sign), so before the round-up
    /// the cost is within `2e-34 × base × T / WAD` wei of the exact integral: < 1e-9 wei on the
    /// launch curve, ≤ ~2e5 wei (2e-30 relative) at `MAX_BASE`, `MAX_TARGET`. INV-7 does not
    /// depend on it: the same integer logs telescope exactly.
    pub fn mint_cost(&self, supply: U256, amount: U256) -> Result<U256, MintError> {
        if !self.is_valid() {
            return Err(MintError::BadCurve);
        }
        let end = supply.checked_add(amount).ok_or(MintError::TargetReached)?;
        if end >= self.target {
            return Err(MintError::TargetReached);
        }
        // Both logs are of integers in [1, MAX_TARGET], where `ln` is strictly increasing,
        // so the difference is never negative.
        let log_before = ln(self.target - supply).ok_or(MintError::Overflow)?;
        let log_after = ln(self.target - end).ok_or(MintError::Overflow)?;
        let log_ratio = log_before
            .checked_sub(log_after)
            .ok_or(MintError::Overflow)?;
        // base × T ≤ 1e27 × 1e30 = 1e57 fits; WAD × LN_SCALE = 1e54 fits.
        let scale = self
            .base
            .checked_mul(self.target)
            .ok_or(MintError::Overflow)?;
        full_mul_div_up(scale, log_ratio, WAD * LN_SCALE).ok_or(MintError::Overflow)
    }
}

/// Delay between `queueCurve` and the earliest `applyCurve`: 7 days (SPEC §3.4).
pub const CURVE_TIMELOCK: u64 = 7 * DAY;
/// Largest change of `base` in one curve change: ±25%, in bps.
pub const MAX_BASE_CHANGE_BPS: u64 = 2_500;

/// The bases one curve change may move to from `current`: `[lowest, highest]` with
/// `lowest = max(⌈current × 75%⌉, min_base)` and `highest = ⌊current × 125%⌋` (rounded
/// inwards: the bound is never wider than ±25%). The range is empty (`lowest > highest`) only
/// when `min_base` is above it. `None` on overflow (`current` near `U256::MAX`).
pub fn base_change_bounds(current: U256, min_base: U256) -> Option<(U256, U256)> {
    let bps = U256::from(crate::units::BPS);
    let lowest = mul_div_up(current, bps - U256::from(MAX_BASE_CHANGE_BPS), bps)?;
    let highest =
        crate::mul_div::mul_div_down(current, bps + U256::from(MAX_BASE_CHANGE_BPS), bps)?;
    Some((lowest.max(min_base), highest))
}

/// sVVV unlocked when `burned` of a position's `debt` is repaid: `⌊locked × burned / debt⌋`,
/// and all of `locked` when `burned == debt` (so nothing is stranded by rounding).
///
/// Rounding: down (the user receives). `None` when `burned > debt` or `debt == 0`.
pub fn pro_rata_unlock(locked: U256, debt: U256, burned: U256) -> Option<U256> {
    if debt.is_zero() || burned > debt {
        return None;
    }
    if burned == debt {
        return Some(locked);
    }
    // burned < debt, so the quotient is below `locked` and always fits; the product may not,
    // hence the 512-bit form.
    full_mul_div_down(locked, burned, debt)
}

/// The first UTC day boundary strictly after `now` (unix seconds). `None` past `u64::MAX`.
pub fn next_day_boundary(now: u64) -> Option<u64> {
    (now / DAY).checked_add(1)?.checked_mul(DAY)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mul_div::mul_div_down;
    use crate::test_support::{any_u128_log, any_u256, u};
    use proptest::prelude::*;

    fn diem(x: u64) -> U256 {
        U256::from(x) * WAD
    }

    /// A random valid curve: base in 1 wei ..= MAX_BASE, target in 2 wei ..= MAX_TARGET, with
    /// the launch curve drawn often.
    fn any_curve() -> impl Strategy<Value = MintCurve> {
        let max_base: u128 = MAX_BASE.to();
        let max_target: u128 = MAX_TARGET.to();
        prop_oneof![
            Just(MintCurve::DEFAULT),
            (1u128..=max_base, 2u128..=max_target).prop_map(|(b, t)| MintCurve {
                base: U256::from(b),
                target: U256::from(t),
            }),
            // Realistic sizes: base 1..=1000 sVVV, target 1..=1e9 DIEM.
            (1u64..=1_000, 1u64..=1_000_000_000).prop_map(|(b, t)| MintCurve {
                base: diem(b),
                target: diem(t),
            }),
        ]
    }

    /// Three random amounts `(s, a, b)` with `s + a + b < target`, spread over all magnitudes.
    fn split_under(target: U256, x: u128, y: u128, z: u128) -> (U256, U256, U256) {
        let s = U256::from(x) % target;
        let a = U256::from(y) % (target - s);
        let b = U256::from(z) % (target - s - a);
        (s, a, b)
    }

    /// Both values are ⌈90 × 38 000e18 × ln(T / (T − d))⌉ with T = 38 000e18, from Python's
    /// `decimal` at 100 digits:
    /// ```python
    /// from decimal import Decimal as D, getcontext; getcontext().prec = 100
    /// T = D(38000) * 10**18
    /// for d in (D(10) * 10**18, D(10000) * 10**18): print(90 * T * (T / (T - d)).ln())
    /// # 900118441832356163048.7536069578949412953338893290105554754245192993236303423414255…
    /// # 1044405241465041911563633.579093820559174796838960982325775984063265851723311121904…
    /// ```
    #[test]
    fn mint_cost_default_curve_reference_values() {
        let curve = MintCurve::DEFAULT;
        assert_eq!(
            curve.mint_cost(U256::ZERO, diem(10)),
            Ok(u("900118441832356163049"))
        );
        assert_eq!(
            curve.mint_cost(U256::ZERO, diem(10_000)),
            Ok(u("1044405241465041911563634"))
        );
        // Path independence on the same numbers: 10 then 9 990 costs the same ±1 wei.
        let first = curve.mint_cost(U256::ZERO, diem(10)).unwrap();
        let second = curve.mint_cost(diem(10), diem(9_990)).unwrap();
        let excess = first + second - u("1044405241465041911563634");
        assert!(excess <= U256::from(1));
    }

    #[test]
    fn mint_cost_zero_amount_is_zero() {
        let curve = MintCurve::DEFAULT;
        assert_eq!(curve.mint_cost(U256::ZERO, U256::ZERO), Ok(U256::ZERO));
        assert_eq!(curve.mint_cost(diem(37_999), U256::ZERO), Ok(U256::ZERO));
        assert_eq!(
            curve.mint_cost(DEFAULT_TARGET - U256::from(1), U256::ZERO),
            Ok(U256::ZERO)
        );
    }

    #[test]
    fn rate_examples() {
        let curve = MintCurve::DEFAULT;
        assert_eq!(curve.rate(U256::ZERO), Ok(DEFAULT_BASE));
        // Half way: twice the base; at 3/4: four times.
        assert_eq!(curve.rate(diem(19_000)), Ok(DEFAULT_BASE * U256::from(2)));
        assert_eq!(curve.rate(diem(28_500)), Ok(DEFAULT_BASE * U256::from(4)));
        // Rounded up: 90e18 × 38 000 / 37 999 = 90 002 368 483 381 141 608.99… → …609.
        assert_eq!(curve.rate(diem(1)), Ok(u("90002368483381141609")));
        // One wei below the target: base × T.
        assert_eq!(
            curve.rate(DEFAULT_TARGET - U256::from(1)),
            Ok(DEFAULT_BASE * DEFAULT_TARGET)
        );
    }

    #[test]
    fn target_reached_when_supply_plus_amount_reaches_target() {
        let curve = MintCurve::DEFAULT;
        let t = DEFAULT_TARGET;
        assert_eq!(
            curve.mint_cost(U256::ZERO, t),
            Err(MintError::TargetReached)
        );
        assert_eq!(
            curve.mint_cost(U256::from(1), t - U256::from(1)),
            Err(MintError::TargetReached)
        );
        assert_eq!(
            curve.mint_cost(t, U256::ZERO),
            Err(MintError::TargetReached)
        );
        assert_eq!(
            curve.mint_cost(t + U256::from(1), U256::ZERO),
            Err(MintError::TargetReached)
        );
        assert_eq!(
            curve.mint_cost(U256::MAX, U256::MAX),
            Err(MintError::TargetReached)
        );
        assert_eq!(
            curve.mint_cost(U256::from(1), U256::MAX),
            Err(MintError::TargetReached)
        );
        assert!(curve.mint_cost(U256::ZERO, t - U256::from(1)).is_ok());
        assert_eq!(curve.rate(t), Err(MintError::TargetReached));
        assert_eq!(curve.rate(t + U256::from(1)), Err(MintError::TargetReached));
        assert_eq!(curve.rate(U256::MAX), Err(MintError::TargetReached));
    }

    #[test]
    fn bad_curve_for_zero_or_out_of_bound_params() {
        let bad = [
            MintCurve {
                base: U256::ZERO,
                target: DEFAULT_TARGET,
            },
            MintCurve {
                base: DEFAULT_BASE,
                target: U256::ZERO,
            },
            MintCurve {
                base: MAX_BASE + U256::from(1),
                target: DEFAULT_TARGET,
            },
            MintCurve {
                base: DEFAULT_BASE,
                target: MAX_TARGET + U256::from(1),
            },
            MintCurve {
                base: U256::MAX,
                target: U256::MAX,
            },
        ];
        for curve in bad {
            assert!(!curve.is_valid());
            assert_eq!(curve.rate(U256::ZERO), Err(MintError::BadCurve));
            assert_eq!(
                curve.mint_cost(U256::ZERO, U256::from(1)),
                Err(MintError::BadCurve)
            );
            // BadCurve is reported before TargetReached.
            assert_eq!(
                curve.mint_cost(U256::MAX, U256::MAX),
                Err(MintError::BadCurve)
            );
        }
        assert!(MintCurve::DEFAULT.is_valid());
        let extreme = MintCurve {
            base: MAX_BASE,
            target: MAX_TARGET,
        };
        assert!(extreme.is_valid());
        assert!(MintCurve {
            base: U256::from(1),
            target: U256::from(1)
        }
        .is_valid());
    }

    /// At the largest parameters nothing overflows, even for the whole range.
    #[test]
    fn mint_cost_at_max_bounds_does_not_overflow() {
        let curve = MintCurve {
            base: MAX_BASE,
            target: MAX_TARGET,
        };
        let whole = curve
            .mint_cost(U256::ZERO, MAX_TARGET - U256::from(1))
            .unwrap();
        // base × T × ln(1e30) / WAD = 1e27 × 1e30 × 69.0775… / 1e18 wei
        //   = 69 077 552 789 821 370 520 539 743 640 530 926 228 033.04… (Python decimal).
        // The log's error (< 1e-34) times base × T / WAD = 1e39 allows ≤ 1e5 wei either way:
        // 2e-30 of the price, at parameters 1e7 times the launch curve's.
        let exact_ceil = u("69077552789821370520539743640530926228034");
        let error = if whole > exact_ceil {
            whole - exact_ceil
        } else {
            exact_ceil - whole
        };
        assert!(error <= U256::from(100_000), "{whole} vs {exact_ceil}");
        assert!(curve.rate(MAX_TARGET - U256::from(1)).is_ok());
        // Target 1 wei: nothing can be minted.
        let tiny = MintCurve {
            base: MAX_BASE,
            target: U256::from(1),
        };
        assert_eq!(tiny.mint_cost(U256::ZERO, U256::ZERO), Ok(U256::ZERO));
        assert_eq!(
            tiny.mint_cost(U256::ZERO, U256::from(1)),
            Err(MintError::TargetReached)
        );
    }

    #[test]
    fn pro_rata_unlock_examples() {
        let (locked, debt) = (diem(900), diem(10));
        assert_eq!(pro_rata_unlock(locked, debt, diem(10)), Some(locked));
        assert_eq!(pro_rata_unlock(locked, debt, diem(5)), Some(diem(450)));
        assert_eq!(pro_rata_unlock(locked, debt, U256::ZERO), Some(U256::ZERO));
        // ⌊10 × 1 / 3⌋ = 3, and the last third gets everything left.
        assert_eq!(
            pro_rata_unlock(U256::from(10), U256::from(3), U256::from(1)),
            Some(U256::from(3))
        );
        assert_eq!(
            pro_rata_unlock(U256::from(10), U256::from(3), U256::from(3)),
            Some(U256::from(10))
        );
        assert_eq!(pro_rata_unlock(locked, debt, debt + U256::from(1)), None);
        assert_eq!(pro_rata_unlock(locked, U256::ZERO, U256::ZERO), None);
        assert_eq!(pro_rata_unlock(U256::ZERO, U256::ZERO, U256::ZERO), None);
        // Huge values use the 512-bit product and never overflow.
        assert_eq!(
            pro_rata_unlock(U256::MAX, U256::MAX, U256::MAX - U256::from(1)),
            Some(U256::MAX - U256::from(1))
        );
    }

    #[test]
    fn next_day_boundary_examples() {
        assert_eq!(next_day_boundary(0), Some(DAY));
        assert_eq!(next_day_boundary(1), Some(DAY));
        assert_eq!(next_day_boundary(DAY - 1), Some(DAY));
        assert_eq!(next_day_boundary(DAY), Some(2 * DAY));
        // 2024-01-01T12:00:00Z → 2024-01-02T00:00:00Z.
        assert_eq!(next_day_boundary(1_704_110_400), Some(1_704_153_600));
        // The last boundary that fits in u64 is ⌊u64::MAX / DAY⌋ · DAY.
        let last = u64::MAX / DAY * DAY;
        assert_eq!(last, 18_446_744_073_709_526_400);
        assert_eq!(next_day_boundary(last - 1), Some(last));
        assert_eq!(next_day_boundary(last), None);
        assert_eq!(next_day_boundary(u64::MAX), None);
    }

    proptest! {
        #![proptest_config(ProptestConfig::default())]

        /// INV-7: cost(s, a) + cost(s + a, b) ≥ cost(s, a + b), and the excess is at most 1 wei
        /// (the logs telescope exactly; only the two round-ups differ).
        #[test]
        fn inv7_mint_cost_path_independence(
            curve in any_curve(),
            x in any_u128_log(), y in any_u128_log(), z in any_u128_log(),
        ) {
            let (s, a, b) = split_under(curve.target, x, y, z);
            let split = curve.mint_cost(s, a).unwrap() + curve.mint_cost(s + a, b).unwrap();
            let whole = curve.mint_cost(s, a + b).unwrap();
            prop_assert!(split >= whole, "split {} < whole {}", split, whole);
            prop_assert!(split - whole <= U256::from(1), "excess {}", split - whole);
        }

        /// Monotone in the amount: d₁ ≤ d₂ ⇒ cost(s, d₁) ≤ cost(s, d₂); and minting anything
        /// (d > 0) costs at least 1 wei.
        #[test]
        fn mint_cost_monotone_in_amount(
            curve in any_curve(),
            x in any_u128_log(), y in any_u128_log(), z in any_u128_log(),
        ) {
            let (s, d1, extra) = split_under(curve.target, x, y, z);
            let d2 = d1 + extra;
            let (c1, c2) = (curve.mint_cost(s, d1).unwrap(), curve.mint_cost(s, d2).unwrap());
            prop_assert!(c1 <= c2);
            if !d1.is_zero() {
                prop_assert!(!c1.is_zero());
            }
        }

        /// On the launch curve the cost lies between the rate at the start and at the end:
        /// ⌊rate_exact(s)·d / WAD⌋ ≤ cost(s, d) ≤ ⌈rate(s + d)·d / WAD⌉ + 1.
        #[test]
        fn mint_cost_between_start_and_end_rates_default_curve(x in any_u128_log(), y in any_u128_log()) {
            let curve = MintCurve::DEFAULT;
            let (s, d, _) = split_under(curve.target, x, y, 0);
            let cost = curve.mint_cost(s, d).unwrap();
            let rate_start_down = mul_div_down(curve.base, curve.target, curve.target - s).unwrap();
            let low = mul_div_down(rate_start_down, d, WAD).unwrap();
            let rate_end_up = curve.rate(s + d).unwrap();
            let high = mul_div_up(rate_end_up, d, WAD).unwrap() + U256::from(1);
            prop_assert!(low <= cost && cost <= high, "{} ≤ {} ≤ {}", low, cost, high);
        }

        /// INV-7 for many pieces: minting in k random pieces never costs less than at once,
        /// and the excess is at most k − 1 wei.
        #[test]
        fn inv7_mint_cost_many_pieces_never_cheaper(
            curve in any_curve(),
            start in any_u128_log(),
            pieces in prop::collection::vec(any_u128_log(), 1..10),
        ) {
            let s = U256::from(start) % curve.target;
            let mut supply = s;
            let mut paid = U256::ZERO;
            for piece in &pieces {
                let d = U256::from(*piece) % (curve.target - supply);
                paid += curve.mint_cost(supply, d).unwrap();
                supply += d;
            }
            let whole = curve.mint_cost(s, supply - s).unwrap();
            prop_assert!(paid >= whole);
            prop_assert!(paid - whole <= U256::from(pieces.len() as u64 - 1));
        }

        /// The rate never decreases as supply grows (rounded up, it can stay equal for
        /// neighbouring supplies), and it is at least the base.
        #[test]
        fn rate_increasing_in_supply(curve in any_curve(), x in any_u128_log(), y in any_u128_log()) {
            let (s1, gap, _) = split_under(curve.target, x, y, 0);
            let s2 = s1 + gap;
            let (r1, r2) = (curve.rate(s1).unwrap(), curve.rate(s2).unwrap());
            prop_assert!(r1 <= r2);
            prop_assert!(curve.base <= r1);
            // Strictly, once the exact rates differ by a whole wei.
            let exact_gap = U256::from(1) + mul_div_up(curve.base, curve.target, curve.target - s1).unwrap();
            if mul_div_down(curve.base, curve.target, curve.target - s2).unwrap() > exact_gap {
                prop_assert!(r1 < r2);
            }
        }

        /// s + d ≥ T is TargetReached, never a price and never a panic.
        #[test]
        fn target_reached_whenever_end_at_or_past_target(curve in any_curve(), s in any_u256(), d in any_u256()) {
            let end = s.checked_add(d);
            let result = curve.mint_cost(s, d);
            match end {
                Some(end) if end < curve.target => prop_assert!(result.is_ok()),
                _ => prop_assert_eq!(result, Err(MintError::TargetReached)),
            }
        }

        /// INV-6: the unlock is ⌊locked·burned/debt⌋ ≤ locked, everything when the whole debt
        /// is burned, None when burned > debt or debt == 0.
        #[test]
        fn inv6_pro_rata_unlock_never_exceeds_locked(locked in any_u256(), debt in any_u256(), burned in any_u256()) {
            let result = pro_rata_unlock(locked, debt, burned);
            if debt.is_zero() || burned > debt {
                prop_assert_eq!(result, None);
            } else if burned == debt {
                prop_assert_eq!(result, Some(locked));
            } else {
                let unlocked = result.unwrap();
                prop_assert!(unlocked <= locked);
                prop_assert_eq!(Some(unlocked), crate::mul_div::full_mul_div_down(locked, burned, debt));
            }
        }

        /// INV-6 / INV-8: a random sequence of partial burns against one position (each unlock
        /// computed on what remains) never unlocks more than was locked in total, and burning
        /// the whole debt returns exactly everything — no more, no less.
        #[test]
        fn inv8_partial_burn_sequences_never_unlock_more_than_locked(
            locked in any_u256(),
            debt in 1u128..,
            burns in prop::collection::vec(any::<u128>(), 0..20),
            finish in any::<bool>(),
        ) {
            let (mut locked_left, mut debt_left) = (locked, U256::from(debt));
            let mut unlocked_total = U256::ZERO;
            for b in burns {
                if debt_left.is_zero() {
                    break;
                }
                let burned = U256::from(b) % (debt_left + U256::from(1));
                let unlocked = pro_rata_unlock(locked_left, debt_left, burned).unwrap();
                prop_assert!(unlocked <= locked_left);
                locked_left -= unlocked;
                debt_left -= burned;
                unlocked_total += unlocked;
                prop_assert!(unlocked_total <= locked);
            }
            if finish && !debt_left.is_zero() {
                unlocked_total += pro_rata_unlock(locked_left, debt_left, debt_left).unwrap();
                debt_left = U256::ZERO;
            }
            prop_assert!(unlocked_total <= locked);
            if debt_left.is_zero() {
                prop_assert_eq!(unlocked_total, locked);
            }
        }

        /// INV-8 mint → burn round trip: what a mint locks is exactly what burning the whole
        /// debt unlocks, and burning part of it returns at most the proportional share.
        #[test]
        fn inv8_mint_then_burn_returns_no_more_than_locked(
            x in any_u128_log(), y in any_u128_log(), part in any::<u64>(),
        ) {
            let curve = MintCurve::DEFAULT;
            let (s, d, _) = split_under(curve.target, x, y, 0);
            prop_assume!(!d.is_zero());
            let locked = curve.mint_cost(s, d).unwrap();
            prop_assert_eq!(pro_rata_unlock(locked, d, d), Some(locked));
            let burned = U256::from(part) % d;
            let back = pro_rata_unlock(locked, d, burned).unwrap();
            prop_assert!(back <= locked);
            prop_assert!(back * d <= locked * burned);
        }

        /// Strictly after `now`, a multiple of DAY, at most one day later; None only when the
        /// next boundary does not fit in u64.
        #[test]
        fn next_day_boundary_properties(now in any::<u64>()) {
            match next_day_boundary(now) {
                Some(next) => {
                    prop_assert!(next > now);
                    prop_assert_eq!(next % DAY, 0);
                    prop_assert!(next - now <= DAY);
                }
                None => prop_assert!(u128::from(now / DAY + 1) * u128::from(DAY) > u128::from(u64::MAX)),
            }
        }
    }

    #[test]
    fn base_change_bounds_are_25_percent_rounded_inwards_and_floored() {
        // Launch base 90: [67.5, 112.5].
        assert_eq!(
            base_change_bounds(DEFAULT_BASE, U256::ZERO),
            Some((diem(675) / U256::from(10), diem(1125) / U256::from(10)))
        );
        // The floor wins when it is higher: min base 90 → [90, 112.5].
        assert_eq!(
            base_change_bounds(DEFAULT_BASE, DEFAULT_BASE),
            Some((DEFAULT_BASE, diem(1125) / U256::from(10)))
        );
        // Rounded inwards: 3 wei → [⌈2.25⌉, ⌊3.75⌋] = [3, 3]; 1 wei → [1, 1].
        assert_eq!(
            base_change_bounds(U256::from(3), U256::ZERO),
            Some((U256::from(3), U256::from(3)))
        );
        assert_eq!(
            base_change_bounds(U256::from(1), U256::ZERO),
            Some((U256::from(1), U256::from(1)))
        );
        assert_eq!(base_change_bounds(U256::MAX, U256::ZERO), None);
        assert_eq!(CURVE_TIMELOCK, 604_800);
    }

    proptest! {
        /// Any base inside the bounds is within ±25% of the current one and not below the
        /// floor; the bounds themselves are the extreme such bases.
        #[test]
        fn base_change_bounds_within_25_percent(current in 1u128.., floor in any::<u128>()) {
            let (current, floor) = (U256::from(current), U256::from(floor));
            let (lowest, highest) = base_change_bounds(current, floor).unwrap();
            let bps = U256::from(10_000u64);
            prop_assert!(lowest >= floor);
            prop_assert!(lowest * bps >= current * U256::from(7_500u64));
            prop_assert!(highest * bps <= current * U256::from(12_500u64));
            prop_assert!((highest + U256::from(1)) * bps > current * U256::from(12_500u64));
            if lowest > floor {
                prop_assert!((lowest - U256::from(1)) * bps < current * U256::from(7_500u64));
            }
        }
    }
}

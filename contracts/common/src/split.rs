//! The utilization curve that splits each emission between stakers and the treasury
//! (SPEC §3.3, INV-5).
//!
//! The curve is piecewise linear through 2 to [`MAX_CURVE_POINTS`] points whose utilizations
//! run strictly upward from 0 to 10 000 bps and whose staker shares are at most 10 000 bps.
use alloy_primitives::U256;

use crate::{mul_div::div_rem, units::BPS};

/// Most points a curve may have; bounds the loop in [`staker_share_bps`].
pub const MAX_CURVE_POINTS: usize = 8;

/// One point of the curve: at `utilization_bps`, stakers get `staker_share_bps`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CurvePoint {
    /// Reported utilization, 0..=10 000 bps.
    pub utilization_bps: u16,
    /// Stakers' share of the emission at that utilization, 0..=10 000 bps.
    pub staker_share_bps: u16,
}

/// The launch curve: 80% to stakers when idle and when saturated, 20% at the 50% target.
pub const DEFAULT_CURVE: [CurvePoint; 3] = [
    CurvePoint {
        utilization_bps: 0,
        staker_share_bps: 8_000,
    },
    CurvePoint {
        utilization_bps: 5_000,
        staker_share_bps: 2_000,
    },
    CurvePoint {
        utilization_bps: 10_000,
        staker_share_bps: 8_000,
    },
];

/// Why a curve is rejected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CurveError {
    /// Fewer than 2 or more than [`MAX_CURVE_POINTS`] points.
    BadLength,
    /// The first point is not at 0 bps or the last is not at 10 000 bps.
    BadEndpoints,
    /// Point `index` does not lie strictly to the right of the point before it.
    NotIncreasing { index: usize },
    /// Point `index` gives stakers more than 10 000 bps.
    ShareTooHigh { index: usize },
}

/// Checks that `points` form a valid curve.
pub fn validate_curve(points: &[CurvePoint]) -> Result<(), CurveError> {
    if points.len() < 2 || points.len() > MAX_CURVE_POINTS {
        return Err(CurveError::BadLength);
    }
    let (Some(first), Some(last)) = (points.first(), points.last()) else {
        return Err(CurveError::BadLength);
    };
    if first.utilization_bps != 0 || u64::from(last.utilization_bps) != BPS {
        return Err(CurveError::BadEndpoints);
    }
    if let Some(index) = points
        .iter()
        .position(|p| u64::from(p.staker_share_bps) > BPS)
    {
        return Err(CurveError::ShareTooHigh { index });
    }
    match points
        .windows(2)
        .position(|pair| pair[0].utilization_bps >= pair[1].utilization_bps)
    {
        Some(left) => Err(CurveError::NotIncreasing { index: left + 1 }),
        None => Ok(()),
    }
}

/// Stakers' share at `utilization_bps`, interpolated linearly on a curve that passed
/// [`validate_curve`]. Utilization above 10 000 is clamped to the last point.
///
/// Rounding: toward the left point's share (`⌊⌋` of the distance times the slope), so the
/// result always lies between the two neighbouring shares. O(points) ≤ 8 steps.
///
/// Total on any input: on points that `validate_curve` would reject (empty, unordered) it
/// still returns a share between the smallest and largest point share (0 when empty) and
/// never panics or wraps.
pub fn staker_share_bps(points: &[CurvePoint], utilization_bps: u16) -> u16 {
    let mut left = match points.first() {
        Some(point) => *point,
        None => return 0,
    };
    for right in points.iter().skip(1) {
        if utilization_bps <= right.utilization_bps {
            // Saturating: on an unordered (unvalidated) pair the span is 0 and the right
            // share is returned, instead of an underflow.
            let span = u32::from(right.utilization_bps.saturating_sub(left.utilization_bps));
            let offset = u32::from(utilization_bps.saturating_sub(left.utilization_bps)).min(span);
            let (low, high) = (
                u32::from(left.staker_share_bps),
                u32::from(right.staker_share_bps),
            );
            // span > 0 on a validated curve; offset ≤ span, so the result stays in [low, high].
            return if span == 0 {
                right.staker_share_bps
            } else if high >= low {
                (low + (high - low) * offset / span) as u16
            } else {
                (low - (low - high) * offset / span) as u16
            };
        }
        left = *right;
    }
    left.staker_share_bps
}

/// Splits `amount` into `(stakers, treasury)` at `share_bps`.
///
/// Rounding: the stakers' part is rounded down and the treasury takes the rest, so
/// `stakers + treasury == amount` exactly (INV-5). `share_bps` above 10 000 is treated as 10 000.
pub fn split_emission(amount: U256, share_bps: u16) -> (U256, U256) {
    let share = U256::from(u64::from(share_bps).min(BPS));
    // ⌊amount × share / BPS⌋ without a product that could overflow: with amount = q·BPS + r,
    // it is q·share + ⌊r·share / BPS⌋, and q·share ≤ amount. Exact for every amount.
    // The divisions are by BPS ≠ 0, so `div_rem` always answers.
    let bps = U256::from(BPS);
    let (whole, rest) = div_rem(amount, bps).unwrap_or_default();
    let (rest_share, _) = div_rem(rest * share, bps).unwrap_or_default();
    let stakers = whole * share + rest_share;
    (stakers, amount - stakers)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{any_u256, narrow, wide_mul_div};
    use proptest::prelude::*;

    fn p(utilization_bps: u16, staker_share_bps: u16) -> CurvePoint {
        CurvePoint {
            utilization_bps,
            staker_share_bps,
        }
    }

    const FLAT: [CurvePoint; 2] = [
        CurvePoint {
            utilization_bps: 0,
            staker_share_bps: 10_000,
        },
        CurvePoint {
            utilization_bps: 10_000,
            staker_share_bps: 10_000,
        },
    ];

    /// A valid curve: 2..=8 points, interior utilizations strictly inside (0, 10 000), shares
    /// anywhere in 0..=10 000.
    fn valid_curve() -> impl Strategy<Value = Vec<CurvePoint>> {
        (
            prop::collection::btree_set(1u16..10_000, 0..=MAX_CURVE_POINTS - 2),
            prop::collection::vec(0u16..=10_000, MAX_CURVE_POINTS),
        )
            .prop_map(|(interior, shares)| {
                let mut utils = vec![0u16];
                utils.extend(interior);
                utils.push(10_000);
                utils.iter().zip(shares).map(|(&u, s)| p(u, s)).collect()
            })
    }

    #[test]
    fn validate_curve_accepts_default_and_flat() {
        assert_eq!(validate_curve(&DEFAULT_CURVE), Ok(()));
        assert_eq!(validate_curve(&FLAT), Ok(()));
        // Two-point zero curve and a full 8-point curve are fine too.
        assert_eq!(validate_curve(&[p(0, 0), p(10_000, 0)]), Ok(()));
        let eight: Vec<CurvePoint> = (0..8u16)
            .map(|i| p(if i == 7 { 10_000 } else { i * 1_000 }, 10_000 - i * 1_000))
            .collect();
        assert_eq!(validate_curve(&eight), Ok(()));
    }

    #[test]
    fn validate_curve_rejects_too_few_points() {
        assert_eq!(validate_curve(&[]), Err(CurveError::BadLength));
        assert_eq!(validate_curve(&[p(0, 8_000)]), Err(CurveError::BadLength));
        assert_eq!(
            validate_curve(&[p(10_000, 8_000)]),
            Err(CurveError::BadLength)
        );
    }

    #[test]
    fn validate_curve_rejects_too_many_points() {
        let nine: Vec<CurvePoint> = (0..9u16)
            .map(|i| p(if i == 8 { 10_000 } else { i * 1_000 }, 5_000))
            .collect();
        assert_eq!(validate_curve(&nine), Err(CurveError::BadLength));
        assert_eq!(
            validate_curve(
                &nine[..8]
                    .iter()
                    .copied()
                    .chain([p(10_000, 1)])
                    .collect::<Vec<_>>()
            ),
            Err(CurveError::BadLength)
        );
        // Exactly MAX_CURVE_POINTS passes (same shape, one interior point fewer).
        let eight: Vec<CurvePoint> = nine[..7].iter().copied().chain([p(10_000, 1)]).collect();
        assert_eq!(eight.len(), MAX_CURVE_POINTS);
        assert_eq!(validate_curve(&eight), Ok(()));
    }

    #[test]
    fn validate_curve_rejects_bad_endpoints() {
        assert_eq!(
            validate_curve(&[p(1, 8_000), p(10_000, 8_000)]),
            Err(CurveError::BadEndpoints)
        );
        assert_eq!(
            validate_curve(&[p(0, 8_000), p(9_999, 8_000)]),
            Err(CurveError::BadEndpoints)
        );
        assert_eq!(
            validate_curve(&[p(0, 8_000), p(5_000, 2_000), p(10_001, 8_000)]),
            Err(CurveError::BadEndpoints)
        );
        assert_eq!(
            validate_curve(&[p(0, 8_000), p(u16::MAX, 8_000)]),
            Err(CurveError::BadEndpoints)
        );
        // Reversed default curve: first point at 10 000.
        let mut reversed = DEFAULT_CURVE;
        reversed.reverse();
        assert_eq!(validate_curve(&reversed), Err(CurveError::BadEndpoints));
    }

    #[test]
    fn validate_curve_rejects_not_increasing() {
        // Repeated utilization.
        assert_eq!(
            validate_curve(&[p(0, 8_000), p(0, 2_000), p(10_000, 8_000)]),
            Err(CurveError::NotIncreasing { index: 1 })
        );
        assert_eq!(
            validate_curve(&[
                p(0, 8_000),
                p(5_000, 2_000),
                p(5_000, 3_000),
                p(10_000, 8_000)
            ]),
            Err(CurveError::NotIncreasing { index: 2 })
        );
        assert_eq!(
            validate_curve(&[p(0, 8_000), p(10_000, 2_000), p(10_000, 8_000)]),
            Err(CurveError::NotIncreasing { index: 2 })
        );
        // Going backwards.
        assert_eq!(
            validate_curve(&[
                p(0, 8_000),
                p(6_000, 2_000),
                p(4_000, 3_000),
                p(10_000, 8_000)
            ]),
            Err(CurveError::NotIncreasing { index: 2 })
        );
        // An interior point beyond 10 000 is caught as not increasing toward the last point.
        assert_eq!(
            validate_curve(&[p(0, 8_000), p(12_000, 2_000), p(10_000, 8_000)]),
            Err(CurveError::NotIncreasing { index: 2 })
        );
    }

    #[test]
    fn validate_curve_rejects_share_too_high() {
        assert_eq!(
            validate_curve(&[p(0, 10_001), p(10_000, 8_000)]),
            Err(CurveError::ShareTooHigh { index: 0 })
        );
        assert_eq!(
            validate_curve(&[p(0, 8_000), p(5_000, 10_001), p(10_000, 8_000)]),
            Err(CurveError::ShareTooHigh { index: 1 })
        );
        assert_eq!(
            validate_curve(&[p(0, 8_000), p(5_000, 2_000), p(10_000, u16::MAX)]),
            Err(CurveError::ShareTooHigh { index: 2 })
        );
        // 10 000 itself is allowed.
        assert_eq!(validate_curve(&[p(0, 10_000), p(10_000, 0)]), Ok(()));
    }

    #[test]
    fn staker_share_default_curve_examples() {
        let share = |u| staker_share_bps(&DEFAULT_CURVE, u);
        assert_eq!(share(0), 8_000);
        assert_eq!(share(2_500), 5_000);
        assert_eq!(share(5_000), 2_000);
        assert_eq!(share(7_500), 5_000);
        assert_eq!(share(10_000), 8_000);
        // 1 bps of utilization moves the share by 1.2 bps; rounding is toward the left point:
        // 8000 − ⌊6000·1/5000⌋ = 8000 − 1 = 7999, and 2000 + ⌊6000·1/5000⌋ = 2001.
        assert_eq!(share(1), 7_999);
        assert_eq!(share(5_001), 2_001);
        assert_eq!(share(4_999), 2_002); // 8000 − ⌊6000·4999/5000⌋ = 8000 − 5998
                                         // Above 10 000 is clamped to the last point.
        assert_eq!(share(10_001), 8_000);
        assert_eq!(share(u16::MAX), 8_000);
    }

    #[test]
    fn staker_share_flat_curve_gives_stakers_everything() {
        for u in [0, 1, 2_500, 5_000, 9_999, 10_000, 20_000, u16::MAX] {
            assert_eq!(staker_share_bps(&FLAT, u), 10_000);
        }
        assert_eq!(
            split_emission(U256::from(12_345u64), staker_share_bps(&FLAT, 5_000)),
            (U256::from(12_345u64), U256::ZERO)
        );
    }

    /// Regression (found by `staker_share_total_on_unvalidated_curves`): a pair whose
    /// utilizations run backwards used to underflow `right − left` (panic in debug, wrap in
    /// release). It now yields a share between the points' shares.
    #[test]
    fn staker_share_unordered_points_do_not_panic() {
        assert_eq!(staker_share_bps(&[p(54_633, 0), p(23_263, 0)], 0), 0);
        assert_eq!(
            staker_share_bps(&[p(9_000, 100), p(1_000, 7_000)], 500),
            7_000
        );
        assert_eq!(
            staker_share_bps(&[p(9_000, 100), p(1_000, 7_000)], 9_500),
            7_000
        );
        assert_eq!(staker_share_bps(&[], 500), 0);
        assert_eq!(staker_share_bps(&[p(300, 1_234)], 500), 1_234);
    }

    #[test]
    fn split_emission_examples() {
        let wad = crate::units::WAD;
        assert_eq!(
            split_emission(wad, 8_000),
            (wad * U256::from(8) / U256::from(10), wad / U256::from(5))
        );
        // 7 wei at 20%: stakers ⌊1.4⌋ = 1, treasury 6.
        assert_eq!(
            split_emission(U256::from(7), 2_000),
            (U256::from(1), U256::from(6))
        );
        assert_eq!(
            split_emission(U256::from(7), 0),
            (U256::ZERO, U256::from(7))
        );
        // Share above 10 000 is treated as 10 000: never more than the amount.
        assert_eq!(
            split_emission(U256::from(7), u16::MAX),
            (U256::from(7), U256::ZERO)
        );
        assert_eq!(split_emission(U256::MAX, 10_000), (U256::MAX, U256::ZERO));
        assert_eq!(
            split_emission(U256::MAX, 9_999).0 + split_emission(U256::MAX, 9_999).1,
            U256::MAX
        );
    }

    proptest! {
        /// Every generated valid curve passes validation.
        #[test]
        fn validate_curve_accepts_random_valid_curves(curve in valid_curve()) {
            prop_assert_eq!(validate_curve(&curve), Ok(()));
        }

        /// On a valid curve the share lies between the shares of the two neighbouring points,
        /// equals the exact interpolation within 1 bps (rounded toward the left point), hits
        /// every point exactly, and is monotone on each monotone segment.
        #[test]
        fn staker_share_between_neighbours_and_monotone_per_segment(
            curve in valid_curve(),
            u1 in 0u16..=10_000,
            u2 in 0u16..=10_000,
        ) {
            for point in &curve {
                prop_assert_eq!(staker_share_bps(&curve, point.utilization_bps), point.staker_share_bps);
            }
            let (lo, hi) = (u1.min(u2), u1.max(u2));
            // Segment containing `lo`: the first point at or right of it, and the one before.
            let seg = curve.iter().position(|q| lo <= q.utilization_bps).unwrap().max(1);
            let (left, right) = (curve[seg - 1], curve[seg]);
            let s_lo = staker_share_bps(&curve, lo);
            let (min, max) = (left.staker_share_bps.min(right.staker_share_bps), left.staker_share_bps.max(right.staker_share_bps));
            prop_assert!(min <= s_lo && s_lo <= max, "{s_lo} not in [{min}, {max}]");
            // |result − exact| < 1 and rounded toward the left share.
            let span = i64::from(right.utilization_bps - left.utilization_bps);
            let offset = i64::from(lo - left.utilization_bps);
            let (l, r) = (i64::from(left.staker_share_bps), i64::from(right.staker_share_bps));
            let exact_times_span = l * span + (r - l) * offset;
            let got_times_span = i64::from(s_lo) * span;
            prop_assert!((got_times_span - exact_times_span).abs() < span);
            if r >= l {
                prop_assert!(got_times_span <= exact_times_span);
            } else {
                prop_assert!(got_times_span >= exact_times_span);
            }
            // Monotone within the segment.
            if hi <= right.utilization_bps {
                let s_hi = staker_share_bps(&curve, hi);
                if r >= l {
                    prop_assert!(s_lo <= s_hi);
                } else {
                    prop_assert!(s_lo >= s_hi);
                }
            }
        }

        /// Whatever the points (even ones `validate_curve` rejects), the function returns a
        /// share between the smallest and largest point share and never panics.
        #[test]
        fn staker_share_total_on_unvalidated_curves(
            points in prop::collection::vec((any::<u16>(), any::<u16>()), 0..10),
            u in any::<u16>(),
        ) {
            let curve: Vec<CurvePoint> = points.iter().map(|&(a, b)| p(a, b)).collect();
            let share = staker_share_bps(&curve, u);
            if curve.is_empty() {
                prop_assert_eq!(share, 0);
            } else {
                let min = curve.iter().map(|q| q.staker_share_bps).min().unwrap();
                let max = curve.iter().map(|q| q.staker_share_bps).max().unwrap();
                prop_assert!(min <= share && share <= max);
            }
        }

        /// INV-5: stakers + treasury == amount exactly, for every amount and share, and
        /// stakers == ⌊amount · min(share, 10 000) / 10 000⌋.
        #[test]
        fn inv5_split_conservation(amount in any_u256(), share in any::<u16>()) {
            let (stakers, treasury) = split_emission(amount, share);
            prop_assert_eq!(stakers.checked_add(treasury), Some(amount));
            let capped = U256::from(share.min(10_000));
            let (q, _) = wide_mul_div(amount, capped, U256::from(BPS));
            prop_assert_eq!(Some(stakers), narrow(q));
            prop_assert!(stakers <= amount);
        }

        /// INV-5 through the curve: the split at the curve's share conserves the amount.
        #[test]
        fn inv5_split_conservation_through_curve(curve in valid_curve(), u in any::<u16>(), amount in any_u256()) {
            let share = staker_share_bps(&curve, u);
            prop_assert!(u64::from(share) <= BPS);
            let (stakers, treasury) = split_emission(amount, share);
            prop_assert_eq!(stakers.checked_add(treasury), Some(amount));
        }
    }
}

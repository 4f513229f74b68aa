//! The utilization curve that splits each emission between stakers and the treasury
//! (SPEC §3.3, INV-5).
//!
//! The curve is piecewise linear through 2 to [`MAX_CURVE_POINTS`] points whose utilizations
//! run strictly upward from 0 to 10 000 bps and whose staker shares are at most 10 000 bps.
use alloy_primitives::U256;

use crate::{mul_div::mul_div_down, units::BPS};

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
pub fn staker_share_bps(points: &[CurvePoint], utilization_bps: u16) -> u16 {
    let mut left = match points.first() {
        Some(point) => *point,
        None => return 0,
    };
    for right in points.iter().skip(1) {
        if utilization_bps <= right.utilization_bps {
            let span = u32::from(right.utilization_bps - left.utilization_bps);
            let offset = u32::from(utilization_bps.saturating_sub(left.utilization_bps));
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
    // share ≤ BPS, so the quotient is at most `amount` and always fits: the fallback is never
    // taken, it only keeps the function total.
    let stakers = mul_div_down(amount, share, U256::from(BPS)).unwrap_or(amount);
    (stakers, amount - stakers)
}

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
    mul_div::{mul_div_down, mul_div_up},
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
        mul_div_up(scale, log_ratio, WAD * LN_SCALE).ok_or(MintError::Overflow)
    }
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
    mul_div_down(locked, burned, debt)
}

/// The first UTC day boundary strictly after `now` (unix seconds). `None` past `u64::MAX`.
pub fn next_day_boundary(now: u64) -> Option<u64> {
    (now / DAY).checked_add(1)?.checked_mul(DAY)
}

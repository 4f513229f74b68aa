//! The reward-per-weight accumulator of the staking vault (SPEC §3.2, INV-3).
//!
//! Classic staking-rewards bookkeeping, O(1) per action: a global `reward_per_weight`
//! grows with every distribution; an account remembers the value it was last settled at and
//! earns `weight × (reward_per_weight − paid)`. Settle an account before changing its weight.
//! Locked sVVV weighs 80% of unlocked sVVV.
use alloy_primitives::{uint, U256};

use crate::mul_div::{mul_div_down, mul_div_up};

/// Weight of one unlocked sVVV wei, in bps of full yield.
pub const UNLOCKED_WEIGHT_BPS: u64 = 10_000;
/// Weight of one locked sVVV wei: 80% of the normal yield (SPEC §3.4).
pub const LOCKED_WEIGHT_BPS: u64 = 8_000;
/// Fixed-point scale of `reward_per_weight`. With weights up to ~1e31 (1e27 sVVV wei × 1e4) a
/// scale of 1e36 keeps the per-distribution rounding below 1e-5 wei per unit of weight.
pub const REWARD_SCALE: U256 = uint!(1_000_000_000_000_000_000_000_000_000_000_000_000_U256);

/// An account's weight: `unlocked × 10 000 + locked × 8 000`. `None` on overflow
/// (balances above ~1e72 wei).
pub fn weight(unlocked: U256, locked: U256) -> Option<U256> {
    unlocked
        .checked_mul(U256::from(UNLOCKED_WEIGHT_BPS))?
        .checked_add(locked.checked_mul(U256::from(LOCKED_WEIGHT_BPS))?)
}

/// The result of announcing rewards to the accumulator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Distribution {
    /// Increase of `reward_per_weight`: `⌊amount × REWARD_SCALE / total_weight⌋` (rounded
    /// down, so the accumulator never promises more than it holds).
    pub reward_per_weight_delta: U256,
    /// The part of `amount` the delta does not cover (everything when `total_weight == 0`,
    /// else rounding dust); the vault keeps it and adds it to the next distribution.
    pub kept: U256,
}

/// Spreads `amount` (new rewards plus whatever was kept before) over `total_weight`.
///
/// Rounding: the delta rounds down and the amount it actually commits, `⌈delta × weight /
/// scale⌉`, rounds up, so `kept` is never overstated and no reward is promised twice.
/// `None` only on overflow.
pub fn distribute(amount: U256, total_weight: U256) -> Option<Distribution> {
    if total_weight.is_zero() {
        return Some(Distribution {
            reward_per_weight_delta: U256::ZERO,
            kept: amount,
        });
    }
    let reward_per_weight_delta = mul_div_down(amount, REWARD_SCALE, total_weight)?;
    let committed = mul_div_up(reward_per_weight_delta, total_weight, REWARD_SCALE)?;
    // committed ≤ amount because the delta was rounded down; saturate defensively.
    Some(Distribution {
        reward_per_weight_delta,
        kept: amount.saturating_sub(committed),
    })
}

/// Rewards an account of `weight` has earned since it was settled at `paid_per_weight`.
///
/// Rounding: down (the account never receives more than its exact share). `None` when
/// `paid_per_weight > reward_per_weight` (a bookkeeping error) or on overflow.
pub fn earned(weight: U256, reward_per_weight: U256, paid_per_weight: U256) -> Option<U256> {
    mul_div_down(
        weight,
        reward_per_weight.checked_sub(paid_per_weight)?,
        REWARD_SCALE,
    )
}

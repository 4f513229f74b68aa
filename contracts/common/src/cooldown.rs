//! The staking vault's unstake cooldown (SPEC §3.2, INV-9), as pure functions of time.
use crate::units::DAY;

/// Cooldown of a new vault: 7 days.
pub const DEFAULT_COOLDOWN: u64 = 7 * DAY;
/// Longest cooldown the admin may set: 30 days (INV-9: every exit completes within it).
pub const MAX_COOLDOWN: u64 = 30 * DAY;

/// Whether the admin may set `cooldown` (0 included: instant exits).
pub fn in_range(cooldown: u64) -> bool {
    cooldown <= MAX_COOLDOWN
}

/// Unlock time of a request opened at `now` under `cooldown`. `None` on overflow (only for
/// timestamps near `u64::MAX`).
pub fn unlock_time(now: u64, cooldown: u64) -> Option<u64> {
    now.checked_add(cooldown)
}

/// Whether a request unlocking at `unlock_time` may be withdrawn at `now`: from `unlock_time`
/// on, inclusive.
pub fn elapsed(now: u64, unlock_time: u64) -> bool {
    now >= unlock_time
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn constants() {
        assert_eq!(DEFAULT_COOLDOWN, 604_800);
        assert_eq!(MAX_COOLDOWN, 2_592_000);
        assert!(in_range(0));
        assert!(in_range(DEFAULT_COOLDOWN));
        assert!(in_range(MAX_COOLDOWN));
        assert!(!in_range(MAX_COOLDOWN + 1));
        assert!(!in_range(u64::MAX));
    }

    #[test]
    fn unlock_time_and_elapsed_examples() {
        let t = 1_735_689_600;
        assert_eq!(unlock_time(t, DEFAULT_COOLDOWN), Some(t + 604_800));
        assert_eq!(unlock_time(u64::MAX, 1), None);
        assert_eq!(unlock_time(u64::MAX, 0), Some(u64::MAX));
        let u = t + DEFAULT_COOLDOWN;
        assert!(!elapsed(u - 1, u));
        assert!(elapsed(u, u));
        assert!(elapsed(u + 1, u));
    }

    proptest! {
        /// A request is withdrawable exactly from now + cooldown on.
        #[test]
        fn withdrawable_exactly_after_cooldown(now in 0u64..=u64::MAX / 2, cooldown in 0..=MAX_COOLDOWN, wait in 0..=2 * MAX_COOLDOWN) {
            let unlock = unlock_time(now, cooldown).unwrap();
            prop_assert_eq!(elapsed(now + wait, unlock), wait >= cooldown);
        }
    }
}

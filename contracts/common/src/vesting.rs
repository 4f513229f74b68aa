//! The team vesting schedule (SPEC §3.7): linear release, as pure functions of their inputs
//! (time is a parameter, never read). Both are total (no `Option`, no panic): the arithmetic is arranged so that no
//! intermediate can exceed `U256::MAX`, and each function documents its rounding.
use alloy_primitives::U256;

/// VVV vested at `timestamp` out of `total_allocation`, on a linear schedule that starts at
/// `start` and lasts `duration` seconds:
///
/// - `0` before `start` (and at `start` itself when `duration > 0`);
/// - `⌊total_allocation × (timestamp − start) / duration⌋` while vesting: **rounded down**, in
///   favour of the contract (the beneficiary never receives a wei before it has vested);
/// - `total_allocation` from `start + duration` on. `duration == 0` is a timelock: everything
///   vests at `start`.
///
/// Monotone non-decreasing in `timestamp` and in `total_allocation`; never above
/// `total_allocation`. `start + duration` is never formed, so any `u64` inputs are fine.
///
/// The product `total_allocation × elapsed` may not fit in 256 bits, so the quotient is taken
/// as `q × elapsed + ⌊r × elapsed / duration⌋` with `total_allocation = q × duration + r`,
/// which is the same floor (`q × duration × elapsed` divides exactly) and needs no 512-bit
/// intermediate: `q × elapsed ≤ q × duration ≤ total_allocation` and
/// `r × elapsed < duration² < 2^128`.
pub fn vested_amount(total_allocation: U256, start: u64, duration: u64, timestamp: u64) -> U256 {
    let Some(elapsed) = timestamp.checked_sub(start) else {
        return U256::ZERO; // before start
    };
    if elapsed >= duration {
        return total_allocation; // at or after end (and every `duration == 0` schedule)
    }
    // Here 0 ≤ elapsed < duration, so duration > 0.
    let (elapsed, duration) = (U256::from(elapsed), U256::from(duration));
    let (q, r) = total_allocation.div_rem(duration);
    // Neither operation can saturate (bounds above); saturating ops keep the code panic-free
    // by construction, and the property tests check the result against a 512-bit reference.
    let whole = q.saturating_mul(elapsed);
    let part = r.saturating_mul(elapsed) / duration; // rounds down
    whole.saturating_add(part)
}

/// What a release at `timestamp` pays: the vested part of everything the contract ever held
/// (`balance + released`) minus what it already paid. Tokens that arrive later vest on the
/// same schedule as if they had been there from the start (as in OpenZeppelin's wallet).
///
/// Never exceeds `balance` (vested ≤ allocation), so a release can always be paid. Rounds down
/// through [`vested_amount`]. The saturating operations cannot bind for a real token: the
/// allocation is at most the token supply ever sent here, and `released ≤ vested` because the
/// vested amount only grows (monotone in time and in allocation; the balance only falls by
/// releases).
pub fn releasable_amount(
    balance: U256,
    released: U256,
    start: u64,
    duration: u64,
    timestamp: u64,
) -> U256 {
    let total_allocation = balance.saturating_add(released);
    vested_amount(total_allocation, start, duration, timestamp).saturating_sub(released)
}

#[cfg(test)]
mod tests {
    use alloy_primitives::U512;
    use proptest::prelude::*;

    use super::*;

    /// 24 months of 365 days / 12.
    const TWO_YEARS: u64 = 2 * 31_536_000;

    fn vvv(n: u64) -> U256 {
        U256::from(n) * U256::from(10).pow(U256::from(18))
    }

    /// `⌊total × elapsed / duration⌋` computed in 512 bits.
    fn reference(total: U256, start: u64, duration: u64, t: u64) -> U256 {
        if t < start {
            return U256::ZERO;
        }
        let elapsed = t - start;
        if elapsed >= duration {
            return total;
        }
        let q = U512::from(total) * U512::from(elapsed) / U512::from(duration);
        U256::from_limbs_slice(&q.as_limbs()[..4])
    }

    fn any_u256() -> impl Strategy<Value = U256> {
        prop_oneof![
            any::<u64>().prop_map(U256::from),
            any::<u128>().prop_map(U256::from),
            any::<[u64; 4]>().prop_map(U256::from_limbs),
            Just(U256::MAX),
            Just(U256::ZERO),
        ]
    }

    #[test]
    fn fixed_examples() {
        let total = vvv(7_500_000);
        let start = 1_735_689_600;
        assert_eq!(
            vested_amount(total, start, TWO_YEARS, start - 1),
            U256::ZERO
        );
        assert_eq!(vested_amount(total, start, TWO_YEARS, start), U256::ZERO);
        assert_eq!(
            vested_amount(total, start, TWO_YEARS, start + TWO_YEARS / 2),
            vvv(3_750_000)
        );
        assert_eq!(
            vested_amount(total, start, TWO_YEARS, start + TWO_YEARS / 4),
            vvv(1_875_000)
        );
        assert_eq!(
            vested_amount(total, start, TWO_YEARS, start + TWO_YEARS),
            total
        );
        assert_eq!(vested_amount(total, start, TWO_YEARS, u64::MAX), total);
        // Rounds down: 10 wei over 3 s.
        assert_eq!(vested_amount(U256::from(10), 0, 3, 1), U256::from(3));
        assert_eq!(vested_amount(U256::from(10), 0, 3, 2), U256::from(6));
        assert_eq!(vested_amount(U256::from(10), 0, 3, 3), U256::from(10));
        // A timelock.
        assert_eq!(vested_amount(total, start, 0, start - 1), U256::ZERO);
        assert_eq!(vested_amount(total, start, 0, start), total);
        // Extremes: no overflow anywhere.
        assert_eq!(vested_amount(U256::MAX, 0, u64::MAX, u64::MAX), U256::MAX);
        assert_eq!(
            vested_amount(U256::MAX, 0, u64::MAX, u64::MAX - 1),
            reference(U256::MAX, 0, u64::MAX, u64::MAX - 1)
        );
        assert_eq!(
            vested_amount(U256::MAX, u64::MAX, u64::MAX, u64::MAX),
            U256::ZERO
        );
    }

    #[test]
    fn releasable_examples() {
        let total = vvv(7_500_000);
        let (start, d) = (1_000, TWO_YEARS);
        // Half vested, nothing released yet.
        assert_eq!(
            releasable_amount(total, U256::ZERO, start, d, start + d / 2),
            vvv(3_750_000)
        );
        // After releasing that half, nothing more at the same time.
        assert_eq!(
            releasable_amount(vvv(3_750_000), vvv(3_750_000), start, d, start + d / 2),
            U256::ZERO
        );
        // A late deposit vests as if it had been there from the start.
        assert_eq!(
            releasable_amount(
                vvv(3_750_000) + vvv(100),
                vvv(3_750_000),
                start,
                d,
                start + d / 2
            ),
            vvv(50)
        );
        // Everything at the end.
        assert_eq!(
            releasable_amount(vvv(3_750_000), vvv(3_750_000), start, d, start + d),
            vvv(3_750_000)
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        /// Exactly the floor of the 512-bit quotient, for any inputs.
        #[test]
        fn vested_matches_512_bit_reference(
            total in any_u256(), start in any::<u64>(), duration in any::<u64>(), t in any::<u64>()
        ) {
            prop_assert_eq!(vested_amount(total, start, duration, t), reference(total, start, duration, t));
        }

        #[test]
        fn vested_is_zero_before_start(total in any_u256(), start in 1..=u64::MAX, duration in any::<u64>(), before in any::<u64>()) {
            let t = before % start; // t < start
            prop_assert_eq!(vested_amount(total, start, duration, t), U256::ZERO);
        }

        #[test]
        fn vested_is_total_at_and_after_end(total in any_u256(), start in any::<u32>(), duration in any::<u32>(), after in any::<u32>()) {
            let end = u64::from(start) + u64::from(duration);
            prop_assert_eq!(vested_amount(total, start.into(), duration.into(), end), total);
            prop_assert_eq!(vested_amount(total, start.into(), duration.into(), end + u64::from(after)), total);
        }

        #[test]
        fn vested_never_exceeds_total(total in any_u256(), start in any::<u64>(), duration in any::<u64>(), t in any::<u64>()) {
            prop_assert!(vested_amount(total, start, duration, t) <= total);
        }

        #[test]
        fn vested_is_monotone_in_time(
            total in any_u256(), start in any::<u64>(), duration in any::<u64>(), a in any::<u64>(), b in any::<u64>()
        ) {
            let (t0, t1) = (a.min(b), a.max(b));
            prop_assert!(vested_amount(total, start, duration, t0) <= vested_amount(total, start, duration, t1));
        }

        /// Needed for `released ≤ vested` when tokens arrive later.
        #[test]
        fn vested_is_monotone_in_allocation(
            a in any_u256(), b in any_u256(), start in any::<u64>(), duration in any::<u64>(), t in any::<u64>()
        ) {
            let (x0, x1) = (a.min(b), a.max(b));
            prop_assert!(vested_amount(x0, start, duration, t) <= vested_amount(x1, start, duration, t));
        }

        /// Releases at random times (some repeated, some before start) pay exactly the
        /// allocation by the end, never more than has vested, and each one at most the
        /// balance held.
        #[test]
        fn release_sequence_pays_exactly_the_total(
            total in prop_oneof![0u128..1_000, any::<u128>()].prop_map(U256::from),
            start in 0u64..1_000_000,
            duration in 0u64..1_000_000,
            mut times in proptest::collection::vec(0u64..2_100_000, 0..24),
        ) {
            times.sort_unstable();
            let end = start + duration;
            times.push(end); // the last release is at the end
            let (mut balance, mut released) = (total, U256::ZERO);
            for t in times {
                let amount = releasable_amount(balance, released, start, duration, t);
                prop_assert!(amount <= balance);
                balance -= amount;
                released += amount;
                prop_assert!(released <= vested_amount(total, start, duration, t));
                prop_assert_eq!(released, vested_amount(total, start, duration, t));
            }
            prop_assert_eq!(released, total);
            prop_assert_eq!(balance, U256::ZERO);
        }

        /// Deposits arriving mid-schedule are all paid by the end, too.
        #[test]
        fn release_sequence_with_late_deposits_pays_everything(
            steps in proptest::collection::vec((0u64..2_000, 0u64..1_000_000), 1..24),
            duration in 1u64..1_000,
        ) {
            let start = 100;
            let (mut balance, mut released, mut deposited) = (U256::ZERO, U256::ZERO, U256::ZERO);
            let mut t = 0;
            for (dt, deposit) in steps {
                t += dt;
                balance += U256::from(deposit);
                deposited += U256::from(deposit);
                let amount = releasable_amount(balance, released, start, duration, t);
                prop_assert!(amount <= balance);
                balance -= amount;
                released += amount;
                prop_assert!(released <= vested_amount(deposited, start, duration, t));
            }
            let amount = releasable_amount(balance, released, start, duration, (start + duration).max(t));
            prop_assert_eq!(amount, balance);
            prop_assert_eq!(released + amount, deposited);
        }
    }
}

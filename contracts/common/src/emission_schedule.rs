//! The emission rate's scheduled cuts (SPEC §3.3): at most [`MAX_SCHEDULED_CUTS`] pending, sorted
//! by time, rates non-increasing and never above the rate before them, so no sequence of cuts
//! raises the rate; and the exact integration of the rate across the cuts that fell due
//! ([`accrue_until`], INV-4). The controller loads the stored schedule, calls these, and stores
//! the result.
use crate::emission;
use alloy_primitives::{uint, U256};

/// Most scheduled cuts that may be pending at once; bounds the loop in [`accrue_until`].
pub const MAX_SCHEDULED_CUTS: usize = 8;

/// Low 192 bits of a stored cut: its rate.
const RATE_MASK: U256 = uint!(0xffffffffffffffffffffffffffffffffffffffffffffffff_U256);

/// One pending scheduled cut.
#[derive(Clone, Copy, Default, Debug, PartialEq, Eq)]
pub struct Cut {
    /// When it takes effect (unix seconds).
    pub time: u64,
    /// The rate from then on (VVV-wei per year).
    pub rate: U256,
}

impl Cut {
    /// The storage word of a cut: `time << 192 | rate`. Rates below 2^192 (the controller's are
    /// below 2^84) keep the two parts apart.
    pub fn pack(&self) -> U256 {
        U256::from(self.time) << 192usize | (self.rate & RATE_MASK)
    }

    /// The cut a storage word holds.
    pub fn unpack(word: U256) -> Self {
        Self {
            time: (word >> 192usize).to::<u64>(),
            rate: word & RATE_MASK,
        }
    }
}

/// The pending cuts: sorted by time, rates non-increasing and ≤ the rate in force.
#[derive(Clone, Copy, Default, Debug, PartialEq, Eq)]
pub struct Schedule {
    /// The first `len` entries are the pending cuts.
    cuts: [Cut; MAX_SCHEDULED_CUTS],
    /// Number of pending cuts, ≤ `MAX_SCHEDULED_CUTS`.
    len: usize,
}

/// Why a cut cannot be scheduled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScheduleError {
    /// [`MAX_SCHEDULED_CUTS`] are already pending.
    Full,
    /// The new rate is above `before`, the rate in force just before the cut's time.
    Increase { before: U256 },
}

impl Schedule {
    /// The schedule of `len` stored words (`word(i)` for `i < len`; `len` capped at the
    /// maximum).
    pub fn unpack(len: usize, word: impl Fn(usize) -> U256) -> Self {
        let mut schedule = Self {
            len: len.min(MAX_SCHEDULED_CUTS),
            ..Self::default()
        };
        for (i, cut) in schedule.cuts.iter_mut().enumerate().take(schedule.len) {
            *cut = Cut::unpack(word(i));
        }
        schedule
    }

    /// The pending cuts, in order.
    pub fn pending(&self) -> &[Cut] {
        self.cuts.get(..self.len).unwrap_or(&[])
    }

    /// `rate` lowered by every cut due by `now`.
    pub fn rate_at(&self, rate: U256, now: u64) -> U256 {
        self.pending()
            .iter()
            .take_while(|c| c.time <= now)
            .fold(rate, |rate, c| rate.min(c.rate))
    }

    /// Inserts a cut to `new_rate` at `time`, after the cuts at or before `time` (a cut at the
    /// same time scheduled earlier applies first), `rate` being the rate in force now. Returns
    /// its position: later cuts above `new_rate` still have to be lowered ([`Self::lower_above`]).
    pub fn insert(
        &mut self,
        time: u64,
        new_rate: U256,
        rate: U256,
    ) -> Result<usize, ScheduleError> {
        if self.len >= MAX_SCHEDULED_CUTS {
            return Err(ScheduleError::Full);
        }
        let pending = self.pending();
        let index = pending.iter().take_while(|c| c.time <= time).count();
        let before = match index.checked_sub(1).and_then(|i| pending.get(i)) {
            Some(previous) => previous.rate,
            None => rate,
        };
        if new_rate > before {
            return Err(ScheduleError::Increase { before });
        }
        // index ≤ len < MAX_SCHEDULED_CUTS (checked above), so both ranges are in bounds.
        self.cuts.copy_within(index..self.len, index + 1);
        self.cuts[index] = Cut {
            time,
            rate: new_rate,
        };
        self.len += 1;
        Ok(index)
    }

    /// Lowers to `rate` every pending cut from position `from` on whose rate is above it (a cut
    /// above an earlier, lower rate would raise the rate back up), calling `lowered(cut)` with
    /// each one's old value. Returns whether any was lowered.
    pub fn lower_above(&mut self, from: usize, rate: U256, mut lowered: impl FnMut(&Cut)) -> bool {
        let mut any = false;
        for cut in self.cuts.iter_mut().take(self.len).skip(from) {
            if cut.rate > rate {
                lowered(cut);
                cut.rate = rate;
                any = true;
            }
        }
        any
    }

    /// Removes the first `due` cuts (they have been applied).
    pub fn drop_due(&mut self, due: usize) {
        let due = due.min(self.len);
        // due ≤ len ≤ MAX_SCHEDULED_CUTS: the range is in bounds.
        self.cuts.copy_within(due..self.len, 0);
        self.len -= due;
    }
}

/// The outcome of integrating the rate from the last distribution to some `now`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Accrued {
    /// Whole wei accrued (what a distribution mints).
    pub minted: U256,
    /// Remainder numerator carried forward (< YEAR).
    pub carry: U256,
    /// Rate in force at the end, after every cut that fell due.
    pub rate: U256,
    /// End of the integrated period: `max(now, from)`.
    pub to_time: u64,
    /// How many pending cuts fell due (they are the first ones).
    pub due: usize,
}

/// Integrates `rate` (in force at `from`, with `carry` owed) to `now` across every cut of
/// `schedule` due by `now` (≤ 8 steps), threading the carried remainder with
/// [`emission::accrue`], so the total is `⌊∫ rate dt / YEAR⌋` however the time is split
/// (rounded down: the protocol never mints more than the rate allows). Calls
/// `applied(previous_rate, cut)` for each due cut. `None` on overflow.
pub fn accrue_until(
    schedule: &Schedule,
    from: u64,
    rate: U256,
    carry: U256,
    now: u64,
    mut applied: impl FnMut(U256, &Cut),
) -> Option<Accrued> {
    let (mut cursor, mut rate, mut carry) = (from, rate, carry);
    let mut minted = U256::ZERO;
    let mut due = 0;
    // One stretch per due cut, then the final stretch to `now`. A cut scheduled before the
    // launch time (or before the cursor) gives an empty stretch: `max` keeps time monotone.
    for step in 0..=schedule.len {
        let cut = schedule
            .cuts
            .get(step)
            .filter(|c| step < schedule.len && c.time <= now);
        let until = match cut {
            Some(c) => c.time.max(cursor),
            None => now.max(cursor),
        };
        let accrual = emission::accrue(rate, until.saturating_sub(cursor), carry)?;
        minted = minted.checked_add(accrual.minted)?;
        carry = accrual.carry;
        cursor = until;
        let Some(c) = cut else { break };
        // Stored cuts never exceed the rate before them; `min` makes that unconditional.
        let new_rate = c.rate.min(rate);
        applied(
            rate,
            &Cut {
                time: c.time,
                rate: new_rate,
            },
        );
        rate = new_rate;
        due += 1;
    }
    Some(Accrued {
        minted,
        carry,
        rate,
        to_time: cursor,
        due,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::units::YEAR;
    use proptest::prelude::*;

    fn rate(n: u64) -> U256 {
        U256::from(n) * U256::from(10u64.pow(18))
    }

    /// A schedule built by inserting `(time, rate)` in order, skipping refused ones (and lowering
    /// later cuts as the controller does).
    fn build(rate_now: U256, cuts: &[(u64, U256)]) -> Schedule {
        let mut schedule = Schedule::default();
        for &(time, new_rate) in cuts {
            if let Ok(index) = schedule.insert(time, new_rate, rate_now) {
                schedule.lower_above(index + 1, new_rate, |_| {});
            }
        }
        schedule
    }

    #[test]
    fn pack_round_trips_and_keeps_time_and_rate_apart() {
        let cut = Cut {
            time: u64::MAX,
            rate: rate(14_000_000),
        };
        assert_eq!(Cut::unpack(cut.pack()), cut);
        assert_eq!(cut.pack() >> 192usize, U256::from(u64::MAX));
        let stored = Schedule::unpack(2, |i| [cut.pack(), Cut::default().pack()][i]);
        assert_eq!(stored.pending(), &[cut, Cut::default()]);
        assert_eq!(
            Schedule::unpack(99, |_| U256::ZERO).pending().len(),
            MAX_SCHEDULED_CUTS
        );
    }

    #[test]
    fn insert_orders_caps_and_refuses_increases() {
        let mut schedule = Schedule::default();
        assert_eq!(schedule.insert(200, rate(5), rate(10)), Ok(0));
        assert_eq!(schedule.insert(100, rate(8), rate(10)), Ok(0));
        // same time as an earlier cut: after it
        assert_eq!(schedule.insert(200, rate(5), rate(10)), Ok(2));
        assert_eq!(
            schedule.insert(300, rate(6), rate(10)),
            Err(ScheduleError::Increase { before: rate(5) })
        );
        assert_eq!(
            schedule.insert(50, rate(11), rate(10)),
            Err(ScheduleError::Increase { before: rate(10) })
        );
        while schedule.pending().len() < MAX_SCHEDULED_CUTS {
            schedule.insert(400, rate(1), rate(10)).unwrap();
        }
        assert_eq!(
            schedule.insert(500, rate(1), rate(10)),
            Err(ScheduleError::Full)
        );
        schedule.drop_due(2);
        assert_eq!(
            schedule.pending()[0],
            Cut {
                time: 200,
                rate: rate(5)
            }
        );
        assert_eq!(schedule.rate_at(rate(10), 199), rate(10));
        assert_eq!(schedule.rate_at(rate(10), 400), rate(1));
    }

    #[test]
    fn accrue_until_integrates_across_due_cuts_only() {
        // 10/year until t=YEAR, 4/year after; integrate to 2·YEAR: 10 + 4
        let schedule = build(rate(10), &[(YEAR, rate(4)), (5 * YEAR, rate(1))]);
        let mut applied = Vec::new();
        let accrued = accrue_until(&schedule, 0, rate(10), U256::ZERO, 2 * YEAR, |prev, cut| {
            applied.push((prev, *cut))
        })
        .unwrap();
        assert_eq!(accrued.minted, rate(14));
        assert_eq!(
            (accrued.rate, accrued.due, accrued.to_time),
            (rate(4), 1, 2 * YEAR)
        );
        assert_eq!(
            applied,
            vec![(
                rate(10),
                Cut {
                    time: YEAR,
                    rate: rate(4)
                }
            )]
        );
        // before `from` nothing accrues and time does not go back
        let early = accrue_until(&schedule, 100, rate(10), U256::ZERO, 50, |_, _| {}).unwrap();
        assert_eq!(
            (early.minted, early.to_time, early.due),
            (U256::ZERO, 100, 0)
        );
    }

    proptest! {
        /// Any sequence of insertions keeps the schedule sorted by time with non-increasing
        /// rates, never above the rate in force: no cut can raise the rate.
        #[test]
        fn schedules_stay_sorted_and_never_raise_the_rate(
            start in 1u64..1_000_000,
            cuts in proptest::collection::vec((0u64..1_000, 0u64..1_000_000), 0..12),
        ) {
            let rate_now = U256::from(start);
            let cuts: Vec<(u64, U256)> = cuts.into_iter().map(|(t, r)| (t, U256::from(r))).collect();
            let schedule = build(rate_now, &cuts);
            let pending = schedule.pending();
            prop_assert!(pending.len() <= MAX_SCHEDULED_CUTS);
            let mut previous = Cut { time: 0, rate: rate_now };
            for cut in pending {
                prop_assert!(cut.time >= previous.time && cut.rate <= previous.rate);
                previous = *cut;
            }
        }

        /// INV-4 across cuts: integrating in one call or in many (every split point, each
        /// applying the cuts due by then) mints the same, `⌊∫ rate dt / YEAR⌋`.
        #[test]
        fn inv4_accrual_is_exact_however_the_time_is_split(
            start in 0u64..=14_000_000,
            cuts in proptest::collection::vec((1u64..4 * YEAR, 0u64..=14_000_000), 0..8),
            mut splits in proptest::collection::vec(0u64..4 * YEAR, 0..6),
        ) {
            let cuts: Vec<(u64, U256)> = cuts.into_iter().map(|(t, r)| (t, rate(r))).collect();
            let schedule = build(rate(start), &cuts);
            let end = 4 * YEAR;
            let whole = accrue_until(&schedule, 0, rate(start), U256::ZERO, end, |_, _| {}).unwrap();
            splits.sort();
            splits.push(end);
            let (mut pending, mut from, mut r, mut carry, mut minted) =
                (schedule, 0, rate(start), U256::ZERO, U256::ZERO);
            for now in splits {
                let part = accrue_until(&pending, from, r, carry, now, |_, _| {}).unwrap();
                pending.drop_due(part.due);
                minted += part.minted;
                (from, r, carry) = (part.to_time, part.rate, part.carry);
            }
            prop_assert_eq!(minted, whole.minted);
            prop_assert_eq!(carry, whole.carry);
            // the exact integral, computed independently over the stretches
            let mut integral = U256::ZERO;
            let (mut t, mut current) = (0u64, rate(start));
            for cut in schedule.pending() {
                integral += current * U256::from(cut.time - t);
                (t, current) = (cut.time, cut.rate.min(current));
            }
            integral += current * U256::from(end - t);
            prop_assert_eq!(whole.minted, integral / U256::from(YEAR));
        }
    }
}

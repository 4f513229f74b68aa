//! The sVVV ledger and the reward accumulator: every balance change first releases the stream
//! into the accumulator and settles the accounts it touches, then moves unlocked sVVV, mints it,
//! or moves it between the unlocked and locked parts (settle, then change balances).
use super::*;

impl StakingVault {
    /// The reward stream as stored.
    pub(crate) fn load_stream(&self) -> Stream {
        Stream {
            remaining: self.stream_remaining.get(),
            updated: self.stream_updated.get().to::<u64>(),
            end: self.stream_end.get().to::<u64>(),
        }
    }

    /// Stores the reward stream.
    pub(crate) fn store_stream(&mut self, stream: Stream) {
        self.stream_remaining.set(stream.remaining);
        self.stream_updated.set(U64::from(stream.updated));
        self.stream_end.set(U64::from(stream.end));
    }

    /// Releases into the accumulator what the stream released since its last update, spread
    /// over the total weight, which has not changed since then (every balance change comes
    /// after an `advance`). What cannot be spread (zero weight, rounding dust) is kept for the
    /// next announcement. Returns the stream as of `now`. O(1).
    pub(crate) fn advance(&mut self, now: u64) -> Result<Stream, Error> {
        let updated = self.stream_updated.get().to::<u64>();
        let (reward_per_weight, kept, stream) = self.released_to(now)?;
        if stream.updated != updated {
            self.stream_remaining.set(stream.remaining);
            self.stream_updated.set(U64::from(stream.updated));
            self.reward_per_weight.set(reward_per_weight);
            self.kept_rewards.set(kept);
        }
        Ok(stream)
    }

    /// What [`Self::advance`] would store, without storing it: the accumulator, the kept
    /// rewards and the stream as of `now`.
    pub(crate) fn released_to(&self, now: u64) -> Result<(U256, U256, Stream), Error> {
        let (released, stream) = self.load_stream().advance(now);
        let mut reward_per_weight = self.reward_per_weight.get();
        let mut kept = self.kept_rewards.get();
        if !released.is_zero() {
            // Rounding (vvv-common): the accumulator rises by ⌊released × scale / weight⌋ and
            // `kept` is what that rise does not commit, so nothing is promised twice.
            let distribution = checked(rewards::distribute(released, self.total_weight()?))?;
            reward_per_weight = add(reward_per_weight, distribution.reward_per_weight_delta)?;
            kept = add(kept, distribution.kept)?;
        }
        Ok((reward_per_weight, kept, stream))
    }

    /// Releases the stream up to `now`, then credits `account`'s accumulated rewards to
    /// `rewards_owed` and moves its checkpoint to the accumulator. Call before any change of
    /// its balances. Returns its (unlocked, locked) balances.
    pub(crate) fn settle(&mut self, account: Address, now: u64) -> Result<(U256, U256), Error> {
        self.advance(now)?;
        let unlocked = self.unlocked.get(account);
        let locked = self.locked.get(account);
        let reward_per_weight = self.reward_per_weight.get();
        let checkpoint = self.reward_checkpoint.get(account);
        if checkpoint != reward_per_weight {
            let weight = checked(rewards::weight(unlocked, locked))?;
            // Rounding: down (vvv-common); the remainder stays in the vault as dust.
            // Cannot overflow in practice: the account's weight was ≤ the total weight at
            // every distribution since its checkpoint, so weight × Δ accumulator ≤
            // Σ (announced + kept) × 1e36 (vvv-common's 256-bit mul-div), far below 2^256
            // for any VVV supply (< 1.1e41 wei). (`earned` is also `None` if the checkpoint
            // were ahead of the accumulator, which only ever grows.)
            let earned = checked(rewards::earned(weight, reward_per_weight, checkpoint))?;
            if !earned.is_zero() {
                let owed = add(self.rewards_owed.get(account), earned)?;
                self.rewards_owed.setter(account).set(owed);
            }
            self.reward_checkpoint
                .setter(account)
                .set(reward_per_weight);
        }
        Ok((unlocked, locked))
    }

    /// Settles `account`, zeroes its owed rewards and books them as paid. Returns the amount;
    /// `NoRewards` if there is none.
    pub(crate) fn take_rewards(&mut self, account: Address, now: u64) -> Result<U256, Error> {
        self.settle(account, now)?;
        let amount = self.rewards_owed.get(account);
        if amount.is_zero() {
            return Err(Error::NoRewards(NoRewards {}));
        }
        let paid = add(self.total_rewards_paid.get(), amount)?;
        self.rewards_owed.setter(account).set(U256::ZERO);
        self.total_rewards_paid.set(paid);
        Ok(amount)
    }

    /// Mints `amount` unlocked sVVV to `account` (settled first).
    pub(crate) fn mint_unlocked(
        &mut self,
        account: Address,
        amount: U256,
        now: u64,
    ) -> Result<(), Error> {
        let (unlocked, _) = self.settle(account, now)?;
        let total_staked = add(self.total_staked.get(), amount)?;
        // unlocked + amount ≤ total_staked + amount, which just fitted.
        let unlocked_after = add(unlocked, amount)?;
        self.total_staked.set(total_staked);
        self.unlocked.setter(account).set(unlocked_after);
        emit_transfer(Address::ZERO, account, amount);
        Ok(())
    }

    /// Moves `value` unlocked sVVV from `from` to `to`, settling both first. Not to the zero
    /// address nor to the vault itself (sVVV held by the vault could never move again).
    pub(crate) fn transfer_unlocked(
        &mut self,
        from: Address,
        to: Address,
        value: U256,
        now: u64,
    ) -> Result<(), Error> {
        if to.is_zero() || to == contract::address() {
            return Err(Error::InvalidReceiver(ERC20InvalidReceiver {
                receiver: to,
            }));
        }
        let (unlocked, _) = self.settle(from, now)?;
        if unlocked < value {
            return Err(Error::InsufficientUnlocked(InsufficientUnlocked {
                unlocked,
                needed: value,
            }));
        }
        self.settle(to, now)?;
        self.unlocked.setter(from).set(unlocked - value);
        // Read after the write above, so a self-transfer nets to zero.
        let to_after = add(self.unlocked.get(to), value)?;
        self.unlocked.setter(to).set(to_after);
        emit_transfer(from, to, value);
        Ok(())
    }

    /// `lock` (`to_locked`) or `unlock`: moves `amount` of `account`'s sVVV between its
    /// unlocked and locked parts, settling its rewards first (the weight changes).
    pub(crate) fn move_lock(
        &mut self,
        account: Address,
        amount: U256,
        to_locked: bool,
        now: u64,
    ) -> Result<(), Error> {
        self.locker.only::<Error>(vvv_wiring::LOCKER)?;
        let (unlocked, locked) = self.settle(account, now)?;
        let total_locked = self.total_locked.get();
        let (unlocked_after, locked_after, total_locked_after, signature) = if to_locked {
            if unlocked < amount {
                return Err(Error::InsufficientUnlocked(InsufficientUnlocked {
                    unlocked,
                    needed: amount,
                }));
            }
            // locked + amount ≤ total_locked + amount ≤ total_staked: cannot overflow.
            (
                unlocked - amount,
                add(locked, amount)?,
                add(total_locked, amount)?,
                Locked::SIGNATURE_HASH,
            )
        } else {
            if locked < amount {
                return Err(Error::InsufficientLocked(InsufficientLocked {
                    locked,
                    needed: amount,
                }));
            }
            (
                add(unlocked, amount)?,
                locked - amount,
                sub(total_locked, amount)?,
                Unlocked::SIGNATURE_HASH,
            )
        };
        self.unlocked.setter(account).set(unlocked_after);
        self.locked.setter(account).set(locked_after);
        self.total_locked.set(total_locked_after);
        emit(&[signature, account.into_word()], &[amount, locked_after]);
        Ok(())
    }
}

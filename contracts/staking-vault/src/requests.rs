//! Unstake requests (SPEC §3.2): `requestUnstake` burns unlocked sVVV and opens a request with
//! the cooldown then in force; `withdraw` pays it in VVV once that cooldown has elapsed,
//! `cancelUnstake` restakes it. Each owner's open requests form a dense list (swap-remove, O(1)).
use super::*;

/// One unstake request. Kept after it closes so `request(id)` can still report it.
#[storage]
pub struct UnstakeRequest {
    /// The account that opened the request; only it may cancel or withdraw. Zero: no such id.
    pub(crate) owner: StorageAddress,
    /// First timestamp at which `withdraw` pays: request time + the cooldown then in force.
    pub(crate) unlock_time: StorageU64,
    /// True from `requestUnstake` until `cancelUnstake` or `withdraw`.
    pub(crate) open: StorageBool,
    /// Position of the id in the owner's `OpenRequests` while open (for O(1) swap-remove).
    pub(crate) index: StorageU256,
    /// VVV owed to the owner (the sVVV burned when the request was opened).
    pub(crate) amount: StorageU256,
}

/// The open unstake requests of one account, as a dense list (swap-remove keeps it dense).
#[storage]
pub struct OpenRequests {
    /// Number of open requests.
    pub(crate) count: StorageU256,
    /// Position (0..count) → request id.
    pub(crate) ids: StorageMap<U256, StorageU256>,
}

impl StakingVault {
    /// `requestUnstake` at time `now`.
    pub(crate) fn request_unstake_at(&mut self, amount: U256, now: u64) -> Result<U256, Error> {
        if amount.is_zero() {
            return Err(Error::ZeroAmount(ZeroAmount {}));
        }
        let owner = msg::sender();
        // Settle first: the burned sVVV earns up to now and nothing after.
        let (unlocked, _) = self.settle(owner, now)?;
        if unlocked < amount {
            return Err(Error::InsufficientUnlocked(InsufficientUnlocked {
                unlocked,
                needed: amount,
            }));
        }
        let unlock_time = checked(cooldown::unlock_time(now, self.cooldown.get().to::<u64>()))?;
        let total_staked = sub(self.total_staked.get(), amount)?;
        let pending = add(self.total_pending_withdrawals.get(), amount)?;
        let id = add(self.request_count.get(), U256::from(1))?;
        self.unlocked.setter(owner).set(unlocked - amount);
        self.total_staked.set(total_staked);
        self.total_pending_withdrawals.set(pending);
        self.request_count.set(id);
        let mut open = self.open_requests.setter(owner);
        let index = open.count.get();
        // Cannot overflow: fewer requests than ids.
        open.count.set(add(index, U256::from(1))?);
        open.ids.setter(index).set(id);
        let mut request = self.requests.setter(id);
        request.owner.set(owner);
        request.amount.set(amount);
        request.unlock_time.set(U64::from(unlock_time));
        request.open.set(true);
        request.index.set(index);
        emit_transfer(owner, Address::ZERO, amount);
        emit(
            &[
                UnstakeRequested::SIGNATURE_HASH,
                id.into(),
                owner.into_word(),
            ],
            &[amount, U256::from(unlock_time)],
        );
        Ok(id)
    }

    /// `withdraw` at time `now`.
    pub(crate) fn withdraw_at(&mut self, id: U256, now: u64) -> Result<U256, Error> {
        let owner = msg::sender();
        let amount = self.close_request(owner, id, Some(now))?;
        emit(
            &[Withdrawn::SIGNATURE_HASH, id.into(), owner.into_word()],
            &[amount],
        );
        self.push_vvv(owner, amount)?;
        Ok(amount)
    }

    /// Closes `owner`'s open request `id` (checking, when `now` is given, that its cooldown
    /// has elapsed), removes it from the owner's open list (swap-remove, O(1)) and from the
    /// pending total. Returns its amount.
    pub(crate) fn close_request(
        &mut self,
        owner: Address,
        id: U256,
        now: Option<u64>,
    ) -> Result<U256, Error> {
        let request = self.requests.getter(id);
        if !request.open.get() {
            return Err(Error::RequestNotOpen(RequestNotOpen { id }));
        }
        let request_owner = request.owner.get();
        if request_owner != owner {
            return Err(Error::NotRequestOwner(NotRequestOwner {
                id,
                owner: request_owner,
            }));
        }
        let unlock_time = request.unlock_time.get().to::<u64>();
        if let Some(now) = now {
            if !cooldown::elapsed(now, unlock_time) {
                return Err(Error::CooldownNotElapsed(CooldownNotElapsed {
                    unlockTime: unlock_time,
                }));
            }
        }
        let amount = request.amount.get();
        let index = request.index.get();
        let pending = sub(self.total_pending_withdrawals.get(), amount)?;

        // Swap-remove: the last open id takes the closed one's position.
        let mut open = self.open_requests.setter(owner);
        let last = sub(open.count.get(), U256::from(1))?;
        if index != last {
            let moved = open.ids.get(last);
            open.ids.setter(index).set(moved);
            self.requests.setter(moved).index.set(index);
        }
        let mut open = self.open_requests.setter(owner);
        open.ids.delete(last);
        open.count.set(last);
        let mut request = self.requests.setter(id);
        request.open.set(false);
        request.index.set(U256::ZERO);
        self.total_pending_withdrawals.set(pending);
        Ok(amount)
    }
}

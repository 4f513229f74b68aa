//! SPEC §6 invariants as proptest properties over random action sequences, on the real VVV
//! token and the vault under motsu (each case deploys fresh contracts).
//!
//! - `inv2_vault_solvency`: after every action, VVV held ≥ `accountedAssets()` = sVVV supply +
//!   open requests + announced − paid, and the books add up (Σ balances = supply, Σ locked =
//!   total locked, Σ open request amounts = pending withdrawals).
//! - `inv3_reward_conservation`: Σ paid + Σ owed + kept + streaming ≤ Σ announced after every
//!   action, and the gap is rounding dust: < releases + settlement runs (see `check_inv3`).
//! - `inv11_no_reward_sniping`: an independent model of the stream (the same linear release
//!   formula, exact shares) tracks what each account's weight share of every release was while
//!   it was staked; no account's rewards (paid + pending) ever exceed it by more than dust.
//! - `inv8_no_value_from_round_trips`: without rewards, after any history and a full exit
//!   (unlock, request everything, wait the longest cooldown, withdraw), each user holds exactly
//!   its genesis VVV plus the sVVV it received from others minus what it gave away, and the
//!   vault holds nothing: stake → unstake never returns more than went in.
//! - `inv9_exit_liveness`: whatever the admin does (pause, cooldown changes within or out of
//!   range, granting, revoking, renouncing roles, pro threshold), a staker can request, wait the
//!   cooldown in force at request time (≤ 30 days) and withdraw exactly what it requested, and
//!   claim its rewards.
use alloy_primitives::{Address, U256};
use motsu::prelude::*;
use proptest::prelude::*;
use vvv_common::mul_div::full_mul_div_down;
use vvv_token::VvvToken;

use super::*;
use crate::tests::{
    clock, setup, tokens, vvv_of, Counterparts, CONTROLLER, LOCKER, MOTSU_NOW, USER_GENESIS,
};
use vvv_common::cooldown::MAX_COOLDOWN;

/// Number of stakers in the random histories.
const USERS: usize = 4;

/// An amount: a per-mille fraction of the balance the action draws on (above 1000: more than
/// the balance, which must revert), or a few wei (heavy rounding).
#[derive(Clone, Copy, Debug)]
enum Amount {
    PerMille(u16),
    Wei(u16),
}

impl Amount {
    fn of(self, balance: U256) -> U256 {
        match self {
            Amount::PerMille(p) => balance * U256::from(p) / U256::from(1000),
            Amount::Wei(w) => U256::from(w),
        }
    }
}

fn amount() -> impl Strategy<Value = Amount> {
    prop_oneof![
        6 => (0u16..=1100).prop_map(Amount::PerMille),
        1 => (0u16..1000).prop_map(Amount::Wei),
    ]
}

/// One step of a random history.
#[derive(Clone, Debug)]
enum Action {
    Stake {
        user: usize,
        amount: Amount,
    },
    StakeFor {
        payer: usize,
        beneficiary: usize,
        amount: Amount,
    },
    Transfer {
        from: usize,
        to: usize,
        amount: Amount,
    },
    RequestUnstake {
        user: usize,
        amount: Amount,
    },
    /// Cancel one of the open requests (by its owner, or by someone else when `intruder`).
    Cancel {
        pick: usize,
        intruder: bool,
    },
    /// Withdraw one of the open requests (by its owner, or by someone else when `intruder`).
    Withdraw {
        pick: usize,
        intruder: bool,
    },
    Claim {
        user: usize,
    },
    Compound {
        user: usize,
    },
    Lock {
        user: usize,
        amount: Amount,
    },
    Unlock {
        user: usize,
        amount: Amount,
    },
    /// Mint `amount` wei to the vault and announce it.
    Notify {
        amount: u128,
    },
    /// Advance time.
    Warp {
        seconds: u64,
    },
    Pause,
    Unpause,
    SetCooldown {
        seconds: u64,
    },
}

impl Action {
    /// Announces rewards.
    fn is_distribution(&self) -> bool {
        matches!(self, Action::Notify { .. })
    }
}

fn user() -> impl Strategy<Value = usize> {
    0..USERS
}

/// Mostly the owner, sometimes someone else (`NotRequestOwner`).
fn intruder() -> impl Strategy<Value = bool> {
    prop::bool::weighted(0.15)
}

fn action(with_rewards: bool) -> BoxedStrategy<Action> {
    let base = prop_oneof![
        5 => (user(), amount()).prop_map(|(user, amount)| Action::Stake { user, amount }),
        1 => (user(), user(), amount())
            .prop_map(|(payer, beneficiary, amount)| Action::StakeFor { payer, beneficiary, amount }),
        2 => (user(), user(), amount()).prop_map(|(from, to, amount)| Action::Transfer { from, to, amount }),
        5 => (user(), amount()).prop_map(|(user, amount)| Action::RequestUnstake { user, amount }),
        1 => (any::<usize>(), intruder()).prop_map(|(pick, intruder)| Action::Cancel { pick, intruder }),
        4 => (any::<usize>(), intruder()).prop_map(|(pick, intruder)| Action::Withdraw { pick, intruder }),
        2 => (user(), amount()).prop_map(|(user, amount)| Action::Lock { user, amount }),
        1 => (user(), amount()).prop_map(|(user, amount)| Action::Unlock { user, amount }),
        4 => (0u64..=20 * 86_400).prop_map(|seconds| Action::Warp { seconds }),
        1 => Just(Action::Pause),
        1 => Just(Action::Unpause),
        1 => (0u64..=MAX_COOLDOWN + 86_400).prop_map(|seconds| Action::SetCooldown { seconds }),
    ];
    if !with_rewards {
        return base.boxed();
    }
    prop_oneof![
        21 => base,
        1 => user().prop_map(|user| Action::Claim { user }),
        1 => user().prop_map(|user| Action::Compound { user }),
        3 => prop_oneof![1 => 0u128..1_000, 3 => 0u128..=1_000_000u128 * 10u128.pow(18)]
            .prop_map(|amount| Action::Notify { amount }),
    ]
    .boxed()
}

/// A fresh VVV token and vault, `USERS` stakers with 1M VVV each (1000·(i+1) of it staked),
/// and a clock.
struct World {
    token: Contract<VvvToken>,
    vault: Contract<StakingVault>,
    _counterparts: Counterparts,
    admin: Address,
    users: [Address; USERS],
    now: u64,
    /// Net sVVV each user received from others (transfers, stakeFor) minus what it gave or
    /// paid for others, as (received, given).
    flows: [(U256, U256); USERS],
    /// Successful distributions.
    distributions: u64,
    /// Successful user actions (each settles at most two accounts).
    user_actions: u64,
    /// Rewards each user was paid (claimed or compounded).
    paid: [U256; USERS],
}

impl World {
    fn new() -> Self {
        let token = Contract::<VvvToken>::new();
        let vault = Contract::<StakingVault>::new();
        let admin = Address::with_last_byte(0xad);
        let users = core::array::from_fn(|i| Address::with_last_byte(i as u8 + 1));
        let counterparts = setup(&token, &vault, admin, &users);
        // Everyone starts with some stake, so that requests, transfers and locks have
        // something to work on from the first action.
        for (i, &user) in users.iter().enumerate() {
            vault
                .sender(user)
                .stake(tokens(1_000 * (i as u64 + 1)))
                .motsu_unwrap();
        }
        Self {
            token,
            vault,
            _counterparts: counterparts,
            admin,
            users,
            now: MOTSU_NOW,
            flows: [(U256::ZERO, U256::ZERO); USERS],
            distributions: 0,
            user_actions: 0,
            paid: [U256::ZERO; USERS],
        }
    }

    /// Each user's reward weight now (`unlocked × 10 000 + locked × 8 000`).
    fn weights(&self) -> [U256; USERS] {
        let v = self.vault.sender(self.admin);
        core::array::from_fn(|i| {
            let a = self.users[i];
            rewards::weight(v.unlocked_of(a), v.locked_of(a)).unwrap()
        })
    }

    /// Open request ids of user `i`.
    fn open_ids(&self, i: usize) -> Vec<U256> {
        self.vault
            .sender(self.admin)
            .open_requests_of(self.users[i])
    }

    /// (caller, id): one of the open requests and its owner (or another user if `intruder`);
    /// an id that is not open when there is none or one time in sixteen (`RequestNotOpen`).
    fn pick_request(&self, pick: usize, intruder: bool) -> (Address, U256) {
        let open: Vec<(usize, U256)> = (0..USERS)
            .flat_map(|i| self.open_ids(i).into_iter().map(move |id| (i, id)))
            .collect();
        if open.is_empty() || pick.is_multiple_of(16) {
            let closed = self.vault.sender(self.admin).request_count() + U256::from(pick % 3);
            return (self.users[pick % USERS], closed);
        }
        let (owner, id) = open[(pick / 16) % open.len()];
        let caller = if intruder { (owner + 1) % USERS } else { owner };
        (self.users[caller], id)
    }

    /// Applies `action`, reverting it (as a transaction would) if it fails. Returns whether it
    /// succeeded.
    fn apply(&mut self, action: &Action) -> bool {
        let (vault, token) = (&self.vault, &self.token);
        let u = self.users;
        let ok = match *action {
            Action::Stake { user, amount } => {
                let value = amount.of(vvv_of(token, u[user]));
                vault.sender(u[user]).stake(value).motsu_res().is_ok()
            }
            Action::StakeFor {
                payer,
                beneficiary,
                amount,
            } => {
                let value = amount.of(vvv_of(token, u[payer]));
                let ok = vault
                    .sender(u[payer])
                    .stake_for(u[beneficiary], value)
                    .motsu_res()
                    .is_ok();
                if ok {
                    // The payer's VVV became the beneficiary's sVVV.
                    self.flows[beneficiary].0 += value;
                    self.flows[payer].1 += value;
                }
                ok
            }
            Action::Transfer { from, to, amount } => {
                let value = amount.of(vault.sender(u[from]).unlocked_of(u[from]));
                let ok = vault
                    .sender(u[from])
                    .transfer(u[to], value)
                    .motsu_res()
                    .is_ok();
                if ok {
                    self.flows[to].0 += value;
                    self.flows[from].1 += value;
                }
                ok
            }
            Action::RequestUnstake { user, amount } => {
                let value = amount.of(vault.sender(u[user]).unlocked_of(u[user]));
                vault
                    .sender(u[user])
                    .request_unstake_at(value, self.now)
                    .motsu_res()
                    .is_ok()
            }
            Action::Cancel { pick, intruder } => {
                let (caller, id) = self.pick_request(pick, intruder);
                vault.sender(caller).cancel_unstake(id).motsu_res().is_ok()
            }
            Action::Withdraw { pick, intruder } => {
                let (caller, id) = self.pick_request(pick, intruder);
                vault
                    .sender(caller)
                    .withdraw_at(id, self.now)
                    .motsu_res()
                    .is_ok()
            }
            Action::Claim { user } => match vault.sender(u[user]).claim_rewards().motsu_res() {
                Ok(amount) => {
                    self.paid[user] += amount;
                    true
                }
                Err(_) => false,
            },
            Action::Compound { user } => match vault.sender(u[user]).compound().motsu_res() {
                Ok(amount) => {
                    self.paid[user] += amount;
                    true
                }
                Err(_) => false,
            },
            Action::Lock { user, amount } => {
                let value = amount.of(vault.sender(u[user]).unlocked_of(u[user]));
                vault
                    .sender(LOCKER)
                    .lock(u[user], value)
                    .motsu_res()
                    .is_ok()
            }
            Action::Unlock { user, amount } => {
                let value = amount.of(vault.sender(u[user]).locked_of(u[user]));
                vault
                    .sender(LOCKER)
                    .unlock(u[user], value)
                    .motsu_res()
                    .is_ok()
            }
            Action::Notify { amount } => {
                let value = U256::from(amount);
                token
                    .sender(CONTROLLER)
                    .mint(vault.address(), value)
                    .motsu_unwrap();
                // Backed by construction: it must succeed.
                vault
                    .sender(CONTROLLER)
                    .notify_rewards(value)
                    .motsu_unwrap();
                true
            }
            Action::Warp { seconds } => {
                self.now += seconds;
                clock::set(self.now);
                true
            }
            Action::Pause => vault.sender(self.admin).pause().motsu_res().is_ok(),
            Action::Unpause => vault.sender(self.admin).unpause().motsu_res().is_ok(),
            Action::SetCooldown { seconds } => vault
                .sender(self.admin)
                .set_cooldown(seconds)
                .motsu_res()
                .is_ok(),
        };
        if ok {
            // Every successful action may release the stream once (one more rounding).
            self.distributions += 1;
            if !action.is_distribution()
                && !matches!(
                    action,
                    Action::Warp { .. }
                        | Action::Pause
                        | Action::Unpause
                        | Action::SetCooldown { .. }
                )
            {
                self.user_actions += 1;
            }
        }
        ok
    }

    /// What the stream still holds now: its stored remainder less what it has released since
    /// its last update (the part `pendingRewards` already counts).
    fn streaming(&self) -> U256 {
        let (remaining, updated, end) = self.vault.sender(self.admin).reward_stream();
        let stream = rewards::Stream {
            remaining,
            updated,
            end,
        };
        stream.advance(clock::now()).1.remaining
    }

    /// Σ pending rewards of all users (only users ever hold sVVV).
    fn owed(&self) -> U256 {
        self.users
            .iter()
            .map(|&a| self.vault.sender(a).pending_rewards(a).motsu_unwrap())
            .sum()
    }

    /// INV-2 and the bookkeeping identities behind it.
    fn check_inv2(&self) -> Result<(), TestCaseError> {
        let v = self.vault.sender(self.admin);
        let held = vvv_of(&self.token, self.vault.address());
        let accounted = v.accounted_assets().motsu_unwrap();
        prop_assert!(
            held >= accounted,
            "INV-2: held {} < accounted {}",
            held,
            accounted
        );
        let total_staked = v.total_supply();
        let pending = v.total_pending_withdrawals();
        prop_assert_eq!(
            accounted,
            total_staked + pending + v.total_rewards_announced() - v.total_rewards_paid()
        );
        let balances: U256 = self.users.iter().map(|&a| v.balance_of(a)).sum();
        prop_assert_eq!(balances, total_staked);
        let locked: U256 = self.users.iter().map(|&a| v.locked_of(a)).sum();
        prop_assert_eq!(locked, v.total_locked());
        let mut open_total = U256::ZERO;
        for (i, &a) in self.users.iter().enumerate() {
            for id in self.open_ids(i) {
                let (owner, amount, _, open) = v.request(id);
                prop_assert_eq!(owner, a);
                prop_assert!(open);
                open_total += amount;
            }
        }
        prop_assert_eq!(open_total, pending);
        // The rewards part of `accounted` covers every owed reward.
        prop_assert!(
            self.owed() + v.kept_rewards() + self.streaming() + v.total_rewards_paid()
                <= v.total_rewards_announced()
        );
        Ok(())
    }

    /// INV-3: Σ paid + Σ owed + kept + streaming ≤ Σ announced, and the gap is dust: each
    /// release into the accumulator (at most one per action, plus the one `pendingRewards`
    /// simulates) commits ⌈Σ exact shares⌉ (< 1 wei over), and each run of releases between
    /// two settlements of one account loses < 1 wei to the floor; runs are bounded by accounts
    /// × releases and by 2 per user action (a transfer settles two accounts) + one final run
    /// per account.
    fn check_inv3(&self) -> Result<(), TestCaseError> {
        let v = self.vault.sender(self.admin);
        let announced = v.total_rewards_announced();
        let accounted_for =
            v.total_rewards_paid() + self.owed() + v.kept_rewards() + self.streaming();
        prop_assert!(
            accounted_for <= announced,
            "INV-3: {} > {}",
            accounted_for,
            announced
        );
        let d = self.distributions + 1;
        let runs = (USERS as u64 * d).min(2 * self.user_actions + USERS as u64);
        let gap = announced - accounted_for;
        prop_assert!(
            gap <= U256::from(d + runs),
            "INV-3: gap {} > {} distributions + {} runs",
            gap,
            d,
            runs
        );
        Ok(())
    }
}

/// INV-11's reference: the stream as SPEC §3.2 describes it (each announcement plus what is
/// left and what was kept, released linearly over the reward period; what is released at zero
/// weight is kept), shared out exactly — each account is entitled to its weight's share of
/// every release — instead of through the vault's accumulator.
struct StreamModel {
    stream: rewards::Stream,
    /// Released while nothing was staked; streamed again with the next announcement.
    kept: U256,
    /// Per user: Σ ⌊release × weight / total weight⌋ over the releases while it was staked.
    entitled: [U256; USERS],
    /// Releases modelled (each a rounding of at most one wei per account).
    releases: u64,
}

impl StreamModel {
    fn new() -> Self {
        Self {
            stream: rewards::Stream::default(),
            kept: U256::ZERO,
            entitled: [U256::ZERO; USERS],
            releases: 0,
        }
    }

    /// Releases the stream up to `now` over `weights` (constant since the last release).
    fn release(&mut self, now: u64, weights: &[U256; USERS]) {
        let (released, after) = self.stream.advance(now);
        self.stream = after;
        if released.is_zero() {
            return;
        }
        self.releases += 1;
        let total: U256 = weights.iter().copied().sum();
        if total.is_zero() {
            self.kept += released;
            return;
        }
        for (entitled, weight) in self.entitled.iter_mut().zip(weights) {
            *entitled += full_mul_div_down(released, *weight, total).unwrap();
        }
    }

    /// An announcement of `amount` at `now` (after `release(now, …)`).
    fn announce(&mut self, now: u64, amount: U256, duration: u64) {
        let to_stream = core::mem::take(&mut self.kept) + amount;
        self.stream = self.stream.announce(now, to_stream, duration).unwrap();
    }
}

proptest! {
    #![proptest_config(ProptestConfig::default())]

    /// INV-11 (SPEC §3.2, §6): no account's rewards (paid + pending) ever exceed its weight
    /// share of what the stream released while it was staked, plus dust: ≤ 3 wei per release
    /// (the model's floor, the vault's accumulator floor, and the vault's rounding dust that
    /// it streams again). Random histories of stakes, transfers, locks, unstakes, claims,
    /// compounds, announcements and time jumps.
    #[test]
    fn inv11_no_reward_sniping(actions in prop::collection::vec(action(true), 1..60)) {
        let mut world = World::new();
        let mut model = StreamModel::new();
        for action in &actions {
            model.release(clock::now(), &world.weights());
            if world.apply(action) {
                if let Action::Notify { amount } = *action {
                    let duration = world.vault.sender(world.admin).rewards_duration();
                    model.announce(clock::now(), U256::from(amount), duration);
                }
            }
            model.release(clock::now(), &world.weights());
            for i in 0..USERS {
                let a = world.users[i];
                let earned = world.paid[i] + world.vault.sender(a).pending_rewards(a).motsu_unwrap();
                let bound = model.entitled[i] + U256::from(3 * model.releases + 3);
                prop_assert!(
                    earned <= bound,
                    "INV-11: user {} earned {} > entitled {} + dust ({} releases)",
                    i, earned, model.entitled[i], model.releases
                );
            }
        }
    }

    /// INV-2 (SPEC §3.2): the vault stays solvent after every action of a random history.
    #[test]
    fn inv2_vault_solvency(actions in prop::collection::vec(action(true), 1..60)) {
        let mut world = World::new();
        for action in &actions {
            world.apply(action);
            world.check_inv2()?;
        }
    }

    /// INV-3: rewards paid + owed + kept never exceed rewards announced; the gap is dust.
    #[test]
    fn inv3_reward_conservation(actions in prop::collection::vec(action(true), 1..60)) {
        let mut world = World::new();
        for action in &actions {
            world.apply(action);
            world.check_inv3()?;
        }
    }

    /// INV-8: without rewards, a full exit returns each user exactly what it put in, adjusted
    /// by the sVVV it received or gave away; never more.
    #[test]
    fn inv8_no_value_from_round_trips(actions in prop::collection::vec(action(false), 1..60)) {
        let mut world = World::new();
        for action in &actions {
            world.apply(action);
        }
        // Full exit: unlock, request everything, wait the longest cooldown, withdraw all.
        for i in 0..USERS {
            let a = world.users[i];
            let locked = world.vault.sender(a).locked_of(a);
            world.vault.sender(LOCKER).unlock(a, locked).motsu_unwrap();
            let unlocked = world.vault.sender(a).unlocked_of(a);
            if !unlocked.is_zero() {
                world.vault.sender(a).request_unstake_at(unlocked, world.now).motsu_unwrap();
            }
        }
        world.now += MAX_COOLDOWN;
        for i in 0..USERS {
            let a = world.users[i];
            for id in world.open_ids(i) {
                world.vault.sender(a).withdraw_at(id, world.now).motsu_unwrap();
            }
        }
        let v = world.vault.sender(world.admin);
        prop_assert_eq!(v.total_supply(), U256::ZERO);
        prop_assert_eq!(v.total_pending_withdrawals(), U256::ZERO);
        prop_assert_eq!(vvv_of(&world.token, world.vault.address()), U256::ZERO);
        for i in 0..USERS {
            let (received, given) = world.flows[i];
            let held = vvv_of(&world.token, world.users[i]);
            // held = genesis + received − given, written without subtraction.
            prop_assert_eq!(held + given, tokens(USER_GENESIS) + received);
            if received.is_zero() {
                prop_assert!(held <= tokens(USER_GENESIS));
            }
        }
    }

    /// INV-9: whatever the admin does, a staker can request, wait the cooldown in force at
    /// request time (≤ 30 days) and withdraw exactly what it requested; claims always work.
    #[test]
    fn inv9_exit_liveness(
        before in prop::collection::vec(admin_action(true), 0..12),
        after in prop::collection::vec(admin_action(false), 0..12),
        permille in 1u16..=1000,
        locked_permille in 0u16..=1000,
        rewarded in any::<bool>(),
    ) {
        let mut world = World::new();
        let (alice, bob) = (world.users[0], world.users[1]);
        world.vault.sender(alice).stake(tokens(1_000)).motsu_unwrap();
        world.vault.sender(bob).stake(tokens(500)).motsu_unwrap();
        let to_lock = tokens(1_000) * U256::from(locked_permille) / U256::from(1000);
        world.vault.sender(LOCKER).lock(alice, to_lock).motsu_unwrap();
        if rewarded {
            world.apply(&Action::Notify { amount: 10u128.pow(21) });
            // Rewards are earned over time: let a day of the stream run.
            world.apply(&Action::Warp { seconds: 86_400 });
        }
        let mut admins = vec![world.admin];
        for action in &before {
            apply_admin(&mut world, &mut admins, action);
        }
        // Request: always possible for unlocked sVVV, paused or not.
        let unlocked = world.vault.sender(alice).unlocked_of(alice);
        let amount = (unlocked * U256::from(permille) / U256::from(1000)).max(U256::from(1));
        let cooldown_in_force = world.vault.sender(alice).cooldown();
        prop_assert!(cooldown_in_force <= MAX_COOLDOWN);
        let requested_at = world.now;
        let id = world
            .vault
            .sender(alice)
            .request_unstake_at(amount, requested_at)
            .motsu_unwrap();
        let (_, _, unlock_time, _) = world.vault.sender(alice).request(id);
        prop_assert_eq!(unlock_time, requested_at + cooldown_in_force);
        prop_assert!(unlock_time <= requested_at + MAX_COOLDOWN);
        for action in &after {
            apply_admin(&mut world, &mut admins, action);
        }
        // Claims work whatever the admin did.
        if rewarded {
            let claimed = world.vault.sender(alice).claim_rewards().motsu_unwrap();
            prop_assert!(claimed > U256::ZERO);
        }
        // Withdraw exactly at the unlock time fixed at request.
        let before_vvv = vvv_of(&world.token, alice);
        let paid = world.vault.sender(alice).withdraw_at(id, unlock_time).motsu_unwrap();
        prop_assert_eq!(paid, amount);
        prop_assert_eq!(vvv_of(&world.token, alice), before_vvv + amount);
        // And the locked part can still be released and exited by the locker's unlock.
        world.vault.sender(LOCKER).unlock(alice, to_lock).motsu_unwrap();
        let rest = world.vault.sender(alice).unlocked_of(alice);
        if !rest.is_zero() {
            let id = world.vault.sender(alice).request_unstake_at(rest, unlock_time).motsu_unwrap();
            world.vault.sender(alice).withdraw_at(id, unlock_time + MAX_COOLDOWN).motsu_unwrap();
        }
        prop_assert_eq!(world.vault.sender(alice).balance_of(alice), U256::ZERO);
    }
}

/// What an admin (or anyone claiming to be one) can do.
#[derive(Clone, Debug)]
enum AdminAction {
    Pause { actor: usize },
    Unpause { actor: usize },
    SetCooldown { actor: usize, seconds: u64 },
    SetProThreshold { actor: usize, threshold: u128 },
    Grant { actor: usize, to: usize },
    Revoke { actor: usize, from: usize },
    Renounce { actor: usize },
    Warp { seconds: u64 },
}

fn admin_action(with_warp: bool) -> BoxedStrategy<AdminAction> {
    let base = prop_oneof![
        2 => (0usize..4).prop_map(|actor| AdminAction::Pause { actor }),
        1 => (0usize..4).prop_map(|actor| AdminAction::Unpause { actor }),
        3 => (0usize..4, prop_oneof![0..=MAX_COOLDOWN, Just(MAX_COOLDOWN), MAX_COOLDOWN..=u64::MAX])
            .prop_map(|(actor, seconds)| AdminAction::SetCooldown { actor, seconds }),
        1 => (0usize..4, any::<u128>())
            .prop_map(|(actor, threshold)| AdminAction::SetProThreshold { actor, threshold }),
        1 => (0usize..4, 0usize..USERS).prop_map(|(actor, to)| AdminAction::Grant { actor, to }),
        1 => (0usize..4, 0usize..USERS).prop_map(|(actor, from)| AdminAction::Revoke { actor, from }),
        1 => (0usize..4).prop_map(|actor| AdminAction::Renounce { actor }),
    ];
    if !with_warp {
        return base.boxed();
    }
    prop_oneof![
        10 => base,
        2 => (0u64..=40 * 86_400).prop_map(|seconds| AdminAction::Warp { seconds }),
    ]
    .boxed()
}

/// Applies an admin action as actor `admins[actor % len]` (the original admin or whoever was
/// granted the role since); failures revert and are fine.
fn apply_admin(world: &mut World, admins: &mut Vec<Address>, action: &AdminAction) {
    let role = vvv_access::DEFAULT_ADMIN_ROLE.into();
    let actor = |i: usize| admins[i % admins.len()];
    let v = &world.vault;
    match *action {
        AdminAction::Pause { actor: i } => {
            let _ = v.sender(actor(i)).pause().motsu_res();
        }
        AdminAction::Unpause { actor: i } => {
            let _ = v.sender(actor(i)).unpause().motsu_res();
        }
        AdminAction::SetCooldown { actor: i, seconds } => {
            let _ = v.sender(actor(i)).set_cooldown(seconds).motsu_res();
        }
        AdminAction::SetProThreshold {
            actor: i,
            threshold,
        } => {
            let _ = v
                .sender(actor(i))
                .set_pro_threshold(U256::from(threshold))
                .motsu_res();
        }
        AdminAction::Grant { actor: i, to } => {
            let to = world.users[to];
            if v.sender(actor(i)).grant_role(role, to).motsu_res().is_ok() {
                admins.push(to);
            }
        }
        AdminAction::Revoke { actor: i, from } => {
            let _ = v
                .sender(actor(i))
                .revoke_role(role, world.users[from])
                .motsu_res();
        }
        AdminAction::Renounce { actor: i } => {
            let a = actor(i);
            let _ = v.sender(a).renounce_role(role, a).motsu_res();
        }
        AdminAction::Warp { seconds } => {
            world.now += seconds;
            clock::set(world.now);
        }
    }
}

/// Issue 14, item 3(c), dust: 3,000 one-wei stakes, sVVV transfers, locks, unlocks, unstake
/// requests, withdrawals, claims and compounds by stakers who hold a few wei, between
/// announcements from 1 wei to 100M VVV (the accumulator's fastest growth: a huge release over
/// a weight of a few wei). Every one-wei action the rules allow succeeds (nothing overflows),
/// INV-2, INV-3 and INV-11 hold throughout, and after a full exit each user holds exactly its
/// genesis VVV, ± the sVVV it received or gave, + the rewards it was paid: dust extracts nothing.
#[test]
fn dust_one_wei_actions_extract_nothing_and_never_overflow() {
    let mut world = World::new();
    // Shrink every stake to i + 1 wei.
    for i in 0..USERS {
        let a = world.users[i];
        let unlocked = world.vault.sender(a).unlocked_of(a);
        let keep = U256::from(i as u64 + 1);
        world
            .vault
            .sender(a)
            .request_unstake_at(unlocked - keep, world.now)
            .motsu_unwrap();
    }
    world.apply(&Action::Warp {
        seconds: MAX_COOLDOWN,
    });
    for i in 0..USERS {
        for id in world.open_ids(i) {
            world
                .vault
                .sender(world.users[i])
                .withdraw_at(id, world.now)
                .motsu_unwrap();
        }
    }

    let mut model = StreamModel::new();
    let mut seed = 0x9E37_79B9_7F4A_7C15u64;
    let mut random = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let one = Amount::Wei(1);
    let whole_supply = 100_000_000u128 * 10u128.pow(18);
    let (mut announcements, mut huge) = (0u32, 0u32);
    for step in 0..3_000 {
        let r = random();
        let user = (r % USERS as u64) as usize;
        let other = ((r >> 8) % USERS as u64) as usize;
        let pick = (r >> 24) as usize;
        let action = match (r >> 16) % 12 {
            0 | 1 => Action::Stake { user, amount: one },
            2 => Action::Transfer {
                from: user,
                to: other,
                amount: one,
            },
            3 => Action::Lock { user, amount: one },
            4 => Action::Unlock { user, amount: one },
            5 => Action::RequestUnstake { user, amount: one },
            6 => Action::Withdraw {
                pick,
                intruder: false,
            },
            7 => Action::Claim { user },
            8 => Action::Compound { user },
            9 => Action::Notify { amount: 1 },
            10 if pick.is_multiple_of(8) => Action::Notify {
                amount: whole_supply,
            },
            10 => Action::Notify {
                amount: (pick % 1_000) as u128 + 1,
            },
            _ => Action::Warp {
                seconds: 1 + (pick as u64) % 3_600,
            },
        };
        // What the rules allow, read before the action.
        let a = world.users[user];
        let v = world.vault.sender(world.admin);
        let must_succeed = match action {
            Action::Stake { .. } => true,
            Action::Transfer { .. } | Action::Lock { .. } | Action::RequestUnstake { .. } => {
                !v.unlocked_of(a).is_zero()
            }
            Action::Unlock { .. } => !v.locked_of(a).is_zero(),
            Action::Claim { .. } | Action::Compound { .. } => {
                !v.pending_rewards(a).motsu_unwrap().is_zero()
            }
            _ => false,
        };
        model.release(clock::now(), &world.weights());
        let ok = world.apply(&action);
        assert!(
            ok || !must_succeed,
            "step {step}: {action:?} failed on a balance that allows it"
        );
        if let (true, Action::Notify { amount }) = (ok, action) {
            let duration = world.vault.sender(world.admin).rewards_duration();
            model.announce(clock::now(), U256::from(amount), duration);
            announcements += 1;
            huge += u32::from(amount == whole_supply);
        }
        model.release(clock::now(), &world.weights());
        for i in 0..USERS {
            let a = world.users[i];
            let earned = world.paid[i] + world.vault.sender(a).pending_rewards(a).motsu_unwrap();
            let bound = model.entitled[i] + U256::from(3 * model.releases + 3);
            assert!(
                earned <= bound,
                "step {step}: INV-11: user {i} earned {earned} > entitled {} + dust",
                model.entitled[i]
            );
        }
        if step % 50 == 0 {
            world.check_inv2().unwrap();
            world.check_inv3().unwrap();
        }
    }
    assert!(
        announcements > 400 && huge > 20,
        "{announcements} announcements, {huge} of them 100M VVV"
    );

    // Full exit: claim, unlock, request everything, wait the longest cooldown, withdraw all.
    for i in 0..USERS {
        world.apply(&Action::Claim { user: i });
        let a = world.users[i];
        let locked = world.vault.sender(a).locked_of(a);
        world.vault.sender(LOCKER).unlock(a, locked).motsu_unwrap();
        let unlocked = world.vault.sender(a).unlocked_of(a);
        if !unlocked.is_zero() {
            world
                .vault
                .sender(a)
                .request_unstake_at(unlocked, world.now)
                .motsu_unwrap();
        }
    }
    world.now += MAX_COOLDOWN;
    for i in 0..USERS {
        for id in world.open_ids(i) {
            world
                .vault
                .sender(world.users[i])
                .withdraw_at(id, world.now)
                .motsu_unwrap();
        }
    }
    world.check_inv2().unwrap();
    world.check_inv3().unwrap();
    let v = world.vault.sender(world.admin);
    assert_eq!(v.total_supply(), U256::ZERO);
    let paid: U256 = world.paid.iter().copied().sum();
    assert_eq!(paid, v.total_rewards_paid());
    assert!(paid <= v.total_rewards_announced());
    for i in 0..USERS {
        let (received, given) = world.flows[i];
        let held = vvv_of(&world.token, world.users[i]);
        // held = genesis + received − given + paid, written without subtraction.
        assert_eq!(
            held + given,
            tokens(USER_GENESIS) + received + world.paid[i],
            "user {i}"
        );
    }
}

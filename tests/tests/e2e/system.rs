//! A stateful property test of the whole system on the real chain: random sequences of user
//! and keeper actions across the vault, the emission controller, the DIEM minter and the burn
//! treasury, with time moving forward, checking the invariants through the contracts' views
//! after every step (INV-1, INV-2, INV-4's supply half, INV-6: `Suite::check_invariants`), and
//! that each action succeeds or fails exactly when the rules say it should.
//!
//! INV-11 is checked after every step too, against an independent model of the reward stream
//! ([`StreamModel`]): each announcement, plus what is left of the stream and what was kept, is
//! released linearly over the `rewardsDuration` in force at the announcement; what is released
//! while the total weight is zero is kept and folded into the next announcement; what is
//! released while the weights are `w` goes to each account in proportion to its weight. No
//! account's rewards (claimed + pending) exceed its share of the release while it was staked,
//! plus dust (and, with no rounding kept at these weights, they fall short of it only by dust).
//! `inv11_rewards_never_exceed_the_stream_share` runs the same machinery with a mix of actions
//! aimed at the rewards (distributions, changes of weight, of the reward period, long waits).
//!
//! Cases are split over two threads (each its own chain). The RNG seed is printed; rerun a
//! failure with `VVV_E2E_SEED=<seed>`, and widen the search with `VVV_E2E_CASES=<n>`.

use std::cell::RefCell;
use std::collections::BTreeMap;

use alloy_primitives::{Address, U256};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestError, TestRng, TestRunner};
use vvv_devnet_engine::ChainSnapshot;
use vvv_e2e::*;

/// Default number of cases (sequences), over both threads.
const CASES: u32 = 8;
/// Default number of cases of the INV-11-focused run.
const INV11_CASES: u32 = 4;
/// Actions per sequence.
const STEPS: usize = 20;
/// Accounts that act.
const USERS: usize = 3;
/// VVV each of them starts with.
const START_VVV: u64 = 200_000;

#[derive(Clone, Debug)]
enum Action {
    /// Stake `pct`% of the user's VVV.
    Stake { user: usize, pct: u8 },
    /// Request to unstake `pct`% of the user's unlocked sVVV.
    RequestUnstake { user: usize, pct: u8 },
    /// Withdraw one of the open requests, by its owner (whether or not its cooldown is over).
    Withdraw { pick: usize },
    /// Claim pending rewards (whether or not there are any).
    Claim { user: usize },
    /// Move `pct`% of the user's unlocked sVVV to another user.
    TransferSvvv { user: usize, to: usize, pct: u8 },
    /// Mint `diem` DIEM (whether or not the unlocked sVVV covers the cost).
    MintDiem { user: usize, diem: u16 },
    /// Burn `pct`% of the user's DIEM debt.
    BurnDiem { user: usize, pct: u8 },
    /// Burn `pct`% of the user's VVV through the burn treasury's public `burn`.
    BurnVvv { user: usize, pct: u8 },
    /// The keeper calls `distribute()`.
    Distribute,
    /// The admin sets the reward period of the next announcements (1 hour – 30 days).
    SetRewardsDuration { secs: u64 },
    /// Time moves forward.
    Advance { secs: u64 },
}

fn action() -> BoxedStrategy<Action> {
    let user = 0..USERS;
    let pct = 1u8..=100;
    prop_oneof![
        2 => (user.clone(), pct.clone()).prop_map(|(user, pct)| Action::Stake { user, pct }),
        3 => (user.clone(), pct.clone())
            .prop_map(|(user, pct)| Action::RequestUnstake { user, pct }),
        3 => (0usize..8).prop_map(|pick| Action::Withdraw { pick }),
        2 => user.clone().prop_map(|user| Action::Claim { user }),
        1 => (user.clone(), user.clone(), pct.clone())
            .prop_map(|(user, to, pct)| Action::TransferSvvv { user, to, pct }),
        2 => (user.clone(), 1u16..=400).prop_map(|(user, diem)| Action::MintDiem { user, diem }),
        2 => (user.clone(), pct.clone()).prop_map(|(user, pct)| Action::BurnDiem { user, pct }),
        1 => (user, 1u8..=10).prop_map(|(user, pct)| Action::BurnVvv { user, pct }),
        2 => Just(Action::Distribute),
        1 => rewards_duration(),
        4 => prop_oneof![1u64..3_600, 3_600..DAY, DAY..7 * DAY]
            .prop_map(|secs| Action::Advance { secs }),
    ]
    .boxed()
}

/// A reward period within the admin's bounds, often at them.
fn rewards_duration() -> impl Strategy<Value = Action> {
    prop_oneof![Just(3_600u64), Just(30 * DAY), 3_600..=30 * DAY]
        .prop_map(|secs| Action::SetRewardsDuration { secs })
}

/// The INV-11 mix: weights change often (stakes, unstakes, transfers, DIEM locks and unlocks)
/// between distributions, reward periods change, time moves by seconds to weeks.
fn inv11_action() -> BoxedStrategy<Action> {
    let user = 0..USERS;
    let pct = 1u8..=100;
    prop_oneof![
        3 => (user.clone(), pct.clone()).prop_map(|(user, pct)| Action::Stake { user, pct }),
        3 => (user.clone(), pct.clone())
            .prop_map(|(user, pct)| Action::RequestUnstake { user, pct }),
        1 => (0usize..8).prop_map(|pick| Action::Withdraw { pick }),
        3 => user.clone().prop_map(|user| Action::Claim { user }),
        2 => (user.clone(), user.clone(), pct.clone())
            .prop_map(|(user, to, pct)| Action::TransferSvvv { user, to, pct }),
        2 => (user.clone(), 1u16..=400).prop_map(|(user, diem)| Action::MintDiem { user, diem }),
        2 => (user, pct).prop_map(|(user, pct)| Action::BurnDiem { user, pct }),
        4 => Just(Action::Distribute),
        1 => rewards_duration(),
        5 => prop_oneof![1u64..60, 60..DAY, DAY..14 * DAY]
            .prop_map(|secs| Action::Advance { secs }),
    ]
    .boxed()
}

/// `pct`% of `x`, rounded down.
pub(crate) fn part(x: U256, pct: u8) -> U256 {
    x * U256::from(pct) / U256::from(100)
}

/// The state every case starts from: the deployed suite, [`USERS`] users who received
/// [`START_VVV`] VVV each, approved the vault and the burn treasury and staked half, an hour
/// after the emission started. The admin shortened the unstake cooldown to an hour (the
/// 7-day default is tested to the second in `time_rules`), so that withdrawals come due within
/// a sequence.
fn prepared() -> (Suite, Vec<Address>, ChainSnapshot) {
    let mut s = Suite::new();
    let (admin, vault) = (s.c.admin, s.c.vault);
    s.chain.set_balance(admin, U256::from(WAD));
    s.send(
        admin,
        vault,
        IStakingVault::setCooldownCall { duration: 3_600 },
    )
    .ok();
    let users: Vec<Address> = (0..USERS).map(|_| s.funded_user(wad(START_VVV))).collect();
    let burn_treasury = s.c.burn_treasury;
    for &u in &users {
        s.approve_vvv(u, burn_treasury);
        s.stake(u, wad(START_VVV / 2));
    }
    s.warp(LAUNCH + 3_600);
    s.distribute();
    let snapshot = s.chain.snapshot();
    (s, users, snapshot)
}

/// What a step did.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// Nothing to do (a zero amount, no open request) or only time moved.
    Skipped,
    /// The transaction succeeded, as expected.
    Succeeded,
    /// The transaction reverted with the expected error.
    Reverted,
}

impl Action {
    fn name(&self) -> &'static str {
        match self {
            Action::Stake { .. } => "stake",
            Action::RequestUnstake { .. } => "requestUnstake",
            Action::Withdraw { .. } => "withdraw",
            Action::Claim { .. } => "claimRewards",
            Action::TransferSvvv { .. } => "transfer sVVV",
            Action::MintDiem { .. } => "DIEM mint",
            Action::BurnDiem { .. } => "DIEM burn",
            Action::BurnVvv { .. } => "VVV burn",
            Action::Distribute => "distribute",
            Action::SetRewardsDuration { .. } => "setRewardsDuration",
            Action::Advance { .. } => "advance time",
        }
    }
}

/// Runs one action; checks it succeeded or failed as the rules say.
fn step(s: &mut Suite, users: &[Address], a: &Action) -> Result<Outcome, String> {
    use Outcome::*;
    let c = s.c;
    /// Checks the outcome of a transaction against the expectation.
    fn expect<C: alloy_sol_types::SolCall>(tx: Tx<C>, ok: bool, what: &str) -> Result<(), String> {
        if tx.succeeded() == ok {
            return Ok(());
        }
        Err(match tx.revert_data() {
            Some(data) => format!(
                "{what}: expected success, reverted {}",
                describe_revert(data)
            ),
            None => format!("{what}: expected a revert, succeeded"),
        })
    }
    match *a {
        Action::Stake { user, pct } => {
            let u = users[user];
            let amount = part(s.vvv_balance(u), pct);
            if amount.is_zero() {
                return Ok(Skipped);
            }
            let tx = s.send(u, c.vault, IStakingVault::stakeCall { amount });
            expect(tx, true, "stake")?;
        }
        Action::RequestUnstake { user, pct } => {
            let u = users[user];
            let unlocked = s.view(c.vault, IStakingVault::unlockedOfCall { account: u });
            let amount = part(unlocked, pct);
            if amount.is_zero() {
                return Ok(Skipped);
            }
            let tx = s.send(u, c.vault, IStakingVault::requestUnstakeCall { amount });
            expect(tx, true, "requestUnstake")?;
        }
        Action::Withdraw { pick } => {
            // One of all the users' open requests, withdrawn by its owner.
            let mut open = Vec::new();
            for &u in users {
                let ids = s.view(c.vault, IStakingVault::openRequestsOfCall { account: u });
                open.extend(ids.into_iter().map(|id| (u, id)));
            }
            if open.is_empty() {
                return Ok(Skipped);
            }
            let (u, id) = open[pick % open.len()];
            let request = s.view(c.vault, IStakingVault::requestCall { id });
            let due = s.chain.next_timestamp() >= request._2;
            let before = s.vvv_balance(u);
            let tx = s.send(u, c.vault, IStakingVault::withdrawCall { id });
            if !due && !tx.succeeded() {
                let e = tx.err::<IStakingVault::CooldownNotElapsed>();
                if e.unlockTime != request._2 {
                    return Err(format!(
                        "CooldownNotElapsed({}) for {request:?}",
                        e.unlockTime
                    ));
                }
                return Ok(Reverted);
            }
            expect(tx, due, "withdraw")?;
            if s.vvv_balance(u) != before + request._1 {
                return Err("withdraw paid a different amount".into());
            }
        }
        Action::Claim { user } => {
            let u = users[user];
            let pending = s.pending_rewards(u);
            let before = s.vvv_balance(u);
            let tx = s.send(u, c.vault, IStakingVault::claimRewardsCall {});
            if pending.is_zero() {
                tx.err::<IStakingVault::NoRewards>();
                return Ok(Reverted);
            }
            expect(tx, true, "claimRewards")?;
            if s.vvv_balance(u) != before + pending {
                return Err(format!("claim paid other than pendingRewards {pending}"));
            }
        }
        Action::TransferSvvv { user, to, pct } => {
            let u = users[user];
            let unlocked = s.view(c.vault, IStakingVault::unlockedOfCall { account: u });
            let value = part(unlocked, pct);
            if value.is_zero() {
                return Ok(Skipped);
            }
            let to = users[to];
            let tx = s.send(u, c.vault, IStakingVault::transferCall { to, value });
            expect(tx, true, "sVVV transfer")?;
        }
        Action::MintDiem { user, diem } => {
            let u = users[user];
            let amount = wad(diem.into());
            let cost = s.view(c.minter, IDiemMinter::quoteMintCall { amount });
            let unlocked = s.view(c.vault, IStakingVault::unlockedOfCall { account: u });
            let tx = s.send(
                u,
                c.minter,
                IDiemMinter::mintCall {
                    amount,
                    maxCost: cost,
                },
            );
            if unlocked < cost {
                let e = tx.err::<IDiemMinter::InsufficientUnlockedSvvv>();
                if (e.unlocked, e.needed) != (unlocked, cost) {
                    return Err(format!(
                        "InsufficientUnlockedSvvv{:?}",
                        (e.unlocked, e.needed)
                    ));
                }
                return Ok(Reverted);
            }
            expect(tx, true, "DIEM mint")?;
        }
        Action::BurnDiem { user, pct } => {
            let u = users[user];
            let debt = s
                .view(c.minter, IDiemMinter::positionOfCall { account: u })
                ._1;
            let amount = part(debt, pct);
            if amount.is_zero() {
                return Ok(Skipped);
            }
            let tx = s.send(u, c.minter, IDiemMinter::burnCall { amount });
            expect(tx, true, "DIEM burn")?;
        }
        Action::BurnVvv { user, pct } => {
            let u = users[user];
            let amount = part(s.vvv_balance(u), pct);
            if amount.is_zero() {
                return Ok(Skipped);
            }
            let tx = s.send(u, c.burn_treasury, IBurnTreasury::burnCall { amount });
            expect(tx, true, "VVV burn")?;
        }
        Action::Distribute => {
            let tx = s.send(
                c.keeper,
                c.controller,
                IEmissionController::distributeCall {},
            );
            expect(tx, true, "distribute")?;
        }
        Action::SetRewardsDuration { secs } => {
            let tx = s.send(
                c.admin,
                c.vault,
                IStakingVault::setRewardsDurationCall { duration: secs },
            );
            expect(tx, true, "setRewardsDuration")?;
        }
        Action::Advance { secs } => {
            s.chain.advance_time(secs);
            return Ok(Skipped);
        }
    }
    Ok(Succeeded)
}

impl Action {
    /// The users whose weight the action may change.
    fn reweighs(&self) -> Vec<usize> {
        match *self {
            Action::Stake { user, .. }
            | Action::RequestUnstake { user, .. }
            | Action::MintDiem { user, .. }
            | Action::BurnDiem { user, .. } => vec![user],
            Action::TransferSvvv { user, to, .. } => vec![user, to],
            _ => vec![],
        }
    }
}

/// `⌈a × b / d⌉` (d > 0, no overflow at these magnitudes).
fn mul_div_up(a: U256, b: U256, d: U256) -> U256 {
    (a * b).div_ceil(d)
}

/// An independent model of the vault's reward stream (SPEC §3.2) and of what each user is
/// entitled to: at every block the model releases `remaining × elapsed / (end − updated)`
/// (everything from `end` on) and gives each user `released × weight / total weight`, both
/// rounded **up** (the model never runs behind the exact line, so it is a bound); at zero
/// total weight the release is kept. An announcement at `t` streams `remaining + kept + amount`
/// over `[t, t + duration]`, `duration` the reward period in force then.
#[derive(Clone, Debug)]
pub(crate) struct StreamModel {
    remaining: U256,
    updated: u64,
    end: u64,
    kept: U256,
    /// Reward period of the next announcement.
    pub(crate) duration: u64,
    /// Σ rewards announced to the vault (to read each announcement's amount).
    pub(crate) announced: U256,
    /// Each user's weight (`unlocked × 10 000 + locked × 8 000`) since its last change.
    pub(crate) weights: Vec<U256>,
    /// Each user's share of all that was released while it was staked.
    entitled: Vec<U256>,
    /// VVV each user received from `claimRewards`.
    pub(crate) claimed: Vec<U256>,
    /// Blocks the model advanced over (each can put it ≤ 1 wei ahead of the vault's release).
    pub(crate) blocks: u64,
}

impl StreamModel {
    /// The model as of the vault's current state (no rewards earned yet).
    pub(crate) fn read(s: &mut Suite, users: &[Address]) -> Self {
        let vault = s.c.vault;
        let stream = s.view(vault, IStakingVault::rewardStreamCall {});
        let mut m = StreamModel {
            remaining: stream._0,
            updated: stream._1,
            end: stream._2,
            kept: s.view(vault, IStakingVault::keptRewardsCall {}),
            duration: s.view(vault, IStakingVault::rewardsDurationCall {}),
            announced: s.view(vault, IStakingVault::totalRewardsAnnouncedCall {}),
            weights: vec![U256::ZERO; users.len()],
            entitled: vec![U256::ZERO; users.len()],
            claimed: vec![U256::ZERO; users.len()],
            blocks: 0,
        };
        for (weight, user) in m.weights.iter_mut().zip(users) {
            *weight = weight_of(s, *user);
        }
        m
    }

    /// What the stream releases from `updated` to `t`, and the shares of it (rounded up).
    fn release(&self, t: u64) -> (U256, Vec<U256>) {
        let released = if t <= self.updated {
            U256::ZERO
        } else if t >= self.end {
            self.remaining
        } else {
            mul_div_up(
                self.remaining,
                U256::from(t - self.updated),
                U256::from(self.end - self.updated),
            )
        };
        let total: U256 = self.weights.iter().copied().sum();
        let shares = self
            .weights
            .iter()
            .map(|&w| {
                if total.is_zero() {
                    U256::ZERO
                } else {
                    mul_div_up(released, w, total)
                }
            })
            .collect();
        (released, shares)
    }

    /// Releases up to `t` over the current weights.
    pub(crate) fn advance(&mut self, t: u64) {
        if t <= self.updated {
            return;
        }
        let (released, shares) = self.release(t);
        if self.weights.iter().all(|w| w.is_zero()) {
            self.kept += released;
        }
        for (e, share) in self.entitled.iter_mut().zip(shares) {
            *e += share;
        }
        self.remaining -= released;
        self.updated = t;
        self.blocks += 1;
    }

    /// An announcement of `amount` at `t`.
    pub(crate) fn announce(&mut self, t: u64, amount: U256) {
        self.advance(t);
        self.remaining += self.kept + amount;
        self.kept = U256::ZERO;
        self.updated = t;
        self.end = t + self.duration;
        self.announced += amount;
    }

    /// What each user is entitled to as of `t` (≥ the last block), without advancing.
    pub(crate) fn entitled_at(&self, t: u64) -> Vec<U256> {
        let (_, shares) = self.release(t);
        self.entitled
            .iter()
            .zip(shares)
            .map(|(e, x)| e + x)
            .collect()
    }
}

/// `account`'s reward weight read from the vault.
fn weight_of(s: &mut Suite, account: Address) -> U256 {
    let vault = s.c.vault;
    let unlocked = s.view(vault, IStakingVault::unlockedOfCall { account });
    let locked = s.view(vault, IStakingVault::lockedOfCall { account });
    unlocked * U256::from(10_000) + locked * U256::from(8_000)
}

/// Runs `a` and brings the model along: the block's release over the weights before it, the
/// announcement of a distribution, the new weights, the claimed VVV. Then checks INV-11 for
/// every user, as of the next block (when the views run).
fn step_with_model(
    s: &mut Suite,
    users: &[Address],
    a: &Action,
    m: &mut StreamModel,
) -> Result<Outcome, String> {
    let c = s.c;
    let claim_before = match *a {
        Action::Claim { user } => Some(s.vvv_balance(users[user])),
        _ => None,
    };
    let outcome = step(s, users, a)?;
    if outcome != Outcome::Skipped {
        // The transaction's block: the vault released up to it with the old weights.
        let t = s.now();
        m.advance(t);
        match *a {
            Action::Distribute => {
                let announced = s.view(c.vault, IStakingVault::totalRewardsAnnouncedCall {});
                if announced > m.announced {
                    m.announce(t, announced - m.announced);
                }
            }
            Action::SetRewardsDuration { secs } => m.duration = secs,
            Action::Claim { user } if outcome == Outcome::Succeeded => {
                let before = claim_before.unwrap_or_default();
                m.claimed[user] += s.vvv_balance(users[user]) - before;
            }
            _ => {}
        }
        for i in a.reweighs() {
            m.weights[i] = weight_of(s, users[i]);
        }
        let total = s.view(c.vault, IStakingVault::totalWeightCall {});
        let sum: U256 = m.weights.iter().copied().sum();
        if total != sum {
            return Err(format!("model weights {sum} != vault totalWeight {total}"));
        }
    }
    let t = s.chain.next_timestamp();
    let pending: Vec<U256> = users.iter().map(|&u| s.pending_rewards(u)).collect();
    check_inv11(m, t, &pending)?;
    Ok(outcome)
}

/// INV-11: each user's claimed + pending ≤ its share of the model's release + dust, and (no
/// rounding is kept at these weights) ≥ it − dust. Dust: ≤ 1 wei per block the model and the
/// vault each released at, plus a few wei of the accumulator's floors. `pending` is each
/// user's `pendingRewards` at `t`, the time the views run.
pub(crate) fn check_inv11(m: &StreamModel, t: u64, pending: &[U256]) -> Result<(), String> {
    let entitled = m.entitled_at(t);
    let dust = U256::from(2 * m.blocks + 8);
    for (i, &pending) in pending.iter().enumerate() {
        let rewards = m.claimed[i] + pending;
        if rewards > entitled[i] + dust {
            return Err(format!(
                "INV-11: user {i} has {rewards} wei of rewards (claimed {}) > its stream share {} + dust {dust}",
                m.claimed[i], entitled[i]
            ));
        }
        if rewards + dust < entitled[i] {
            return Err(format!(
                "rewards lost: user {i} has {rewards} wei of rewards < its stream share {} − dust {dust}",
                entitled[i]
            ));
        }
    }
    Ok(())
}

/// How often each action succeeded, reverted as expected, or had nothing to do.
pub(crate) type Coverage = BTreeMap<String, [u32; 3]>;

/// Counts one step of action `name` in `coverage`.
pub(crate) fn count(coverage: &mut Coverage, name: &str, outcome: Outcome) {
    coverage.entry(name.to_string()).or_default()[match outcome {
        Outcome::Succeeded => 0,
        Outcome::Reverted => 1,
        Outcome::Skipped => 2,
    }] += 1;
}

/// Runs `cases` sequences (of `steps` actions drawn from `strategy`) over two threads, each on
/// a chain of its own prepared by `prepare`, which returns the function that runs one
/// sequence. The seed comes from `VVV_E2E_SEED` or the clock and is printed; a failure shrinks
/// (proptest, then [`drop_steps`]) and panics with its message. Prints the coverage.
pub(crate) fn run_sequences<A, S, R>(
    name: &str,
    cases: u32,
    steps: usize,
    strategy: fn() -> S,
    prepare: fn() -> R,
) where
    A: Clone + std::fmt::Debug,
    S: Strategy<Value = A>,
    R: FnMut(&[A], &mut Coverage) -> Result<(), String>,
{
    let seed: u64 = std::env::var("VVV_E2E_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
        });
    println!(
        "{name}: {cases} cases × {steps} actions, seed {seed} \
         (rerun with VVV_E2E_SEED={seed})"
    );
    let run_part = |part: u8| -> Result<Coverage, String> {
        let mut rng_seed = [0u8; 32];
        rng_seed[..8].copy_from_slice(&seed.to_le_bytes());
        rng_seed[8] = part;
        let share = cases / 2 + (part == 0) as u32 * (cases % 2);
        let mut run = RefCell::new(prepare());
        let coverage = RefCell::new(Coverage::new());
        let config = Config {
            cases: share,
            max_shrink_iters: env_or("VVV_E2E_SHRINK_ITERS", 128),
            failure_persistence: None,
            ..Config::default()
        };
        let mut runner =
            TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &rng_seed));
        let result = runner.run(&prop::collection::vec(strategy(), steps), |actions| {
            (run.borrow_mut())(&actions, &mut coverage.borrow_mut()).map_err(TestCaseError::fail)
        });
        match result {
            Ok(()) => Ok(coverage.into_inner()),
            Err(TestError::Fail(reason, actions)) => {
                Err(drop_steps(actions, reason.message().into(), run.get_mut()))
            }
            Err(e) => Err(e.to_string()),
        }
    };
    let results: Vec<Result<Coverage, String>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..2u8)
            .map(|part| {
                std::thread::Builder::new()
                    .name(format!("{name} {part}"))
                    .stack_size(64 << 20)
                    .spawn_scoped(scope, move || run_part(part))
                    .expect("thread")
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|_| Err("panicked".into())))
            .collect()
    });
    let mut total = Coverage::new();
    for r in results {
        match r {
            Err(e) => panic!("seed {seed}: {e}"),
            Ok(coverage) => {
                for (name, counts) in coverage {
                    let t = total.entry(name).or_default();
                    for i in 0..3 {
                        t[i] += counts[i];
                    }
                }
            }
        }
    }
    println!(
        "{:<22} {:>9} {:>9} {:>8}",
        "action", "succeeded", "reverted", "no-op"
    );
    for (name, [ok, reverted, skipped]) in total {
        println!("{name:<22} {ok:>9} {reverted:>9} {skipped:>8}");
    }
}

/// Finishes the shrinking of a failing sequence: proptest removes steps and simplifies each
/// action, but its budget (`VVV_E2E_SHRINK_ITERS`) runs out on long sequences, leaving steps
/// the failure does not need. This removes one step at a time, last first, keeping each
/// removal after which the sequence still fails, until no single step can go (a few runs per
/// step). `failure` is proptest's message for `actions`. Returns the failure of the shortest
/// sequence, whose message is its script.
fn drop_steps<A: Clone>(
    mut actions: Vec<A>,
    mut failure: String,
    run: &mut impl FnMut(&[A], &mut Coverage) -> Result<(), String>,
) -> String {
    loop {
        let mut removed = false;
        for i in (0..actions.len()).rev() {
            let mut shorter = actions.clone();
            shorter.remove(i);
            if let Err(e) = run(&shorter, &mut Coverage::new()) {
                (actions, failure, removed) = (shorter, e, true);
            }
        }
        if !removed {
            return format!("Test failed: {failure}");
        }
    }
}

/// The number in the environment variable `name`, else `default`.
pub(crate) fn env_or(name: &str, default: u32) -> u32 {
    std::env::var(name)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

/// The function that runs one sequence of [`Action`]s on a prepared chain, bringing a
/// [`StreamModel`] along and checking the invariants after each step.
fn sequence_runner() -> impl FnMut(&[Action], &mut Coverage) -> Result<(), String> {
    let (mut s, users, snapshot) = prepared();
    let model = StreamModel::read(&mut s, &users);
    move |actions, coverage| {
        s.chain.restore(snapshot.clone());
        let mut m = model.clone();
        let mut sent = 0;
        for (i, a) in actions.iter().enumerate() {
            let fail = |e: String| format!("step {i} {a:?}: {e}");
            let outcome = step_with_model(&mut s, &users, a, &mut m).map_err(fail)?;
            sent += (outcome != Outcome::Skipped) as usize;
            count(coverage, a.name(), outcome);
            s.check_invariants().map_err(fail)?;
        }
        // INV-1's other half: the supply is the sum of the balances (every holder known).
        let c = s.c;
        let mut holders = suite_vvv_holders(&c);
        holders.extend(&users);
        let sum: U256 = holders.iter().map(|&h| s.vvv_balance(h)).sum();
        let supply = s.view(c.vvv, IVvvToken::totalSupplyCall {});
        if sum != supply {
            return Err(format!("INV-1: Σ balances {sum} != totalSupply {supply}"));
        }
        if sent == 0 {
            return Err("no transaction in the sequence".into());
        }
        Ok(())
    }
}

#[test]
fn system_invariants_hold_under_random_actions() {
    let cases = env_or("VVV_E2E_CASES", CASES);
    run_sequences(
        "system property test",
        cases,
        STEPS,
        action,
        sequence_runner,
    );
}

/// INV-11 on the chain: random histories aimed at the rewards (see [`inv11_action`]); after
/// every step no user's claimed + pending rewards exceed its weight share of what the stream
/// released while it was staked (+ dust), by the independent [`StreamModel`].
#[test]
fn inv11_rewards_never_exceed_the_stream_share() {
    let cases = env_or("VVV_E2E_CASES", INV11_CASES);
    run_sequences(
        "INV-11 property test",
        cases,
        STEPS,
        inv11_action,
        sequence_runner,
    );
}

//! The model-based test of the whole system (issue 14): random sequences of actions by several
//! accounts, the keeper and the admin across all eight programs — real Wasm on the devnet
//! engine, time moving from seconds to months — run side by side with [`Model`], a reference
//! model of the economy written from SPEC.md in plain Rust, without the contracts' code.
//!
//! After every step:
//! - the step succeeded, or reverted with exactly the custom error the model expects;
//! - **chain == model** for every balance and view the model predicts: VVV balances of every
//!   holder, supply, minted and burned; sVVV unlocked / locked / balance of every account, the
//!   totals and the total weight; every unstake request and each account's open requests; the
//!   cooldown, pause flag and rewards duration; the emission rate, carry, total emitted, pending
//!   emission, last distribution, utilization, share, split curve and scheduled cuts; DIEM
//!   balances, positions, credit stakes and pending credit, spendable balances and totals; the
//!   mint curve and the queued change; the burn treasury's ledger per epoch; the airdrop's
//!   claims and sweep; the vesting's released and releasable amounts;
//! - the invariants INV-1 … INV-11 on chain (INV-7 at each mint, INV-9 by the exit that ends
//!   every sequence, INV-10 as a gas ceiling per action; see [`Model::check`]).
//!
//! Rewards are the one quantity the model bounds instead of predicting: the vault's
//! accumulator rounds at every action, so the model tracks each account's exact share of the
//! released stream ([`StreamModel`], rounded up) and requires every payment to lie within dust
//! of it (INV-3, INV-11); what the vault pays is then carried into the model's balances. The
//! DIEM mint cost (`base × T × ln(...)`, SPEC §3.4) is read from `quoteMint` and checked
//! against the closed form in floating point and for path independence (INV-7).
//!
//! Every sequence ends with an exit (INV-9 and issue 14 item 3b): whatever the admin did
//! before, every account unstakes its credit, burns all its DIEM, requests to unstake
//! everything and withdraws each request exactly at the unlock time fixed at its request;
//! every step must succeed and leave the account with no sVVV and no open request. And no
//! account may end with more VVV + sVVV + requests + rewards than it put in plus its share of
//! the stream (item 3a).
//!
//! A failing case shrinks until no single action can be removed, and prints as a script of
//! calls (`VVV_ARTIFACTS_DIR` runs it against other builds of the programs). Defaults: CI
//! runs [`CASES`] sequences of [`STEPS`] actions; `VVV_MODEL_CASES`, `VVV_MODEL_STEPS` and
//! `VVV_E2E_SEED` change them (the long run: audits/INVARIANTS.md).

use std::collections::BTreeMap;
use std::fmt;

use alloy_primitives::{Address, U256};
use alloy_sol_types::{SolCall, SolError};
use proptest::prelude::*;
use vvv_e2e::*;

use crate::system::{
    check_inv11, count, env_or, part, run_sequences, Coverage, Outcome, StreamModel,
};

/// Sequences in CI (over two threads).
const CASES: u32 = 256;
/// Actions per sequence in CI (the exit comes on top).
const STEPS: usize = 50;
/// Plain users, each starting with [`START_VVV`] VVV; the four airdrop claimers act too.
const USERS: usize = 3;
/// VVV each user starts with.
const START_VVV: u64 = 200_000;
/// VVV the revenue account starts with (bought back from platform revenue).
const REVENUE_VVV: u64 = 1_000_000;
/// Smallest credit stake (SPEC §3.4: 0 or ≥ 0.1 DIEM).
const MIN_CREDIT_STAKE: u128 = WAD / 10;
/// The DIEM curve timelock (SPEC §3.4).
const CURVE_TIMELOCK: u64 = 7 * DAY;
/// The longest cooldown the admin may set (SPEC §3.2).
const MAX_COOLDOWN: u64 = 30 * DAY;
/// Pending scheduled cuts the controller holds at most.
const MAX_SCHEDULED_CUTS: usize = 8;
/// INV-10 in this test: no action costs more than this, whatever happened before.
const GAS_CEILING: u64 = 1_000_000;
const YEAR: u64 = 365 * DAY;
const BPS: u64 = 10_000;

/// One step of a sequence. Amounts are percentages of what the actor holds, so that shrinking
/// keeps a step meaningful.
#[derive(Clone, Debug)]
enum Action {
    Stake {
        who: usize,
        pct: u8,
    },
    StakeFor {
        who: usize,
        to: usize,
        pct: u8,
    },
    TransferSvvv {
        who: usize,
        to: usize,
        pct: u8,
    },
    RequestUnstake {
        who: usize,
        pct: u8,
    },
    /// Cancel one of the open requests, by its owner or (`by_other`) by someone else.
    CancelUnstake {
        pick: usize,
        by_other: bool,
    },
    Withdraw {
        pick: usize,
    },
    Claim {
        who: usize,
    },
    Compound {
        who: usize,
    },
    Distribute,
    ReportUtilization {
        bps: u16,
    },
    CutEmission {
        pct: u8,
    },
    ScheduleCut {
        delay: u64,
        pct: u8,
    },
    SetCurve {
        idle: u16,
        mid_u: u16,
        mid: u16,
        full: u16,
    },
    SetRewardsDuration {
        secs: u64,
    },
    SetCooldown {
        secs: u64,
    },
    Pause,
    Unpause,
    QueueCurve {
        base_pct: u8,
        headroom_diem: u32,
    },
    ApplyCurve,
    CancelCurve,
    MintDiem {
        who: usize,
        diem: u16,
        piece: u16,
    },
    BurnDiem {
        who: usize,
        pct: u8,
    },
    StakeCredit {
        who: usize,
        pct: u8,
    },
    RequestCreditUnstake {
        who: usize,
        pct: u8,
    },
    WithdrawCredit {
        who: usize,
    },
    BurnRevenue {
        pct: u8,
        epoch: u64,
        usd: u64,
    },
    BurnVvv {
        who: usize,
        pct: u8,
    },
    AirdropClaim {
        leaf: usize,
        stake: bool,
        by_other: bool,
    },
    Sweep,
    VestingRelease,
    Advance {
        secs: u64,
    },
}

/// The action as a line of a script of calls (what a failing case prints).
impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        use Action::*;
        match *self {
            Stake { who, pct } => write!(f, "account{who}: vault.stake({pct}% of its VVV)"),
            StakeFor { who, to, pct } => {
                write!(
                    f,
                    "account{who}: vault.stakeFor(account{to}, {pct}% of its VVV)"
                )
            }
            TransferSvvv { who, to, pct } => {
                write!(
                    f,
                    "account{who}: vault.transfer(account{to}, {pct}% of its unlocked sVVV)"
                )
            }
            RequestUnstake { who, pct } => {
                write!(
                    f,
                    "account{who}: vault.requestUnstake({pct}% of its unlocked sVVV)"
                )
            }
            CancelUnstake { pick, by_other } => write!(
                f,
                "vault.cancelUnstake(open request #{pick}) by {}",
                if by_other {
                    "another account"
                } else {
                    "its owner"
                }
            ),
            Withdraw { pick } => write!(f, "vault.withdraw(open request #{pick}) by its owner"),
            Claim { who } => write!(f, "account{who}: vault.claimRewards()"),
            Compound { who } => write!(f, "account{who}: vault.compound()"),
            Distribute => write!(f, "keeper: controller.distribute()"),
            ReportUtilization { bps } => write!(f, "keeper: controller.reportUtilization({bps})"),
            CutEmission { pct } => write!(f, "admin: controller.cutEmission({pct}% of the rate)"),
            ScheduleCut { delay, pct } => write!(
                f,
                "admin: controller.scheduleCut(now + {delay} s, {pct}% of the rate then)"
            ),
            SetCurve {
                idle,
                mid_u,
                mid,
                full,
            } => write!(
                f,
                "admin: controller.setCurve([0, {mid_u}, 10000], [{idle}, {mid}, {full}])"
            ),
            SetRewardsDuration { secs } => write!(f, "admin: vault.setRewardsDuration({secs})"),
            SetCooldown { secs } => write!(f, "admin: vault.setCooldown({secs})"),
            Pause => write!(f, "admin: vault.pause()"),
            Unpause => write!(f, "admin: vault.unpause()"),
            QueueCurve {
                base_pct,
                headroom_diem,
            } => write!(
                f,
                "admin: minter.queueCurve({base_pct}% of base, supply + {headroom_diem} DIEM)"
            ),
            ApplyCurve => write!(f, "admin: minter.applyCurve()"),
            CancelCurve => write!(f, "admin: minter.cancelCurve()"),
            MintDiem { who, diem, .. } => write!(f, "account{who}: minter.mint({diem} DIEM)"),
            BurnDiem { who, pct } => write!(f, "account{who}: minter.burn({pct}% of its debt)"),
            StakeCredit { who, pct } => {
                write!(
                    f,
                    "account{who}: diem.stakeCredit({pct}% of its spendable DIEM)"
                )
            }
            RequestCreditUnstake { who, pct } => {
                write!(
                    f,
                    "account{who}: diem.requestCreditUnstake({pct}% of its credit)"
                )
            }
            WithdrawCredit { who } => write!(f, "account{who}: diem.withdrawCredit()"),
            BurnRevenue { pct, epoch, usd } => write!(
                f,
                "revenue: burnTreasury.burnRevenue({pct}% of its VVV, {epoch}, {usd})"
            ),
            BurnVvv { who, pct } => write!(f, "account{who}: burnTreasury.burn({pct}% of its VVV)"),
            AirdropClaim {
                leaf,
                stake,
                by_other,
            } => write!(
                f,
                "{}: airdrop.{}(leaf {leaf})",
                if by_other { "keeper" } else { "the claimer" },
                if stake { "claimAndStake" } else { "claim" }
            ),
            Sweep => write!(f, "keeper: airdrop.sweep()"),
            VestingRelease => write!(f, "keeper: vesting.release()"),
            Advance { secs } => write!(f, "time += {secs} s"),
        }
    }
}

impl Action {
    /// The variant's name, for the coverage table.
    fn name(&self) -> String {
        let debug = format!("{self:?}");
        debug
            .split([' ', '{'])
            .next()
            .unwrap_or_default()
            .to_string()
    }
}

/// Accounts that act: the users, then the airdrop claimers.
const ACCOUNTS: usize = USERS + 4;

fn action() -> BoxedStrategy<Action> {
    use Action::*;
    let who = 0..ACCOUNTS;
    let pct = prop_oneof![1u8..=100, Just(100u8)];
    let time = prop_oneof![1u64..60, 60..DAY, DAY..8 * DAY, 8 * DAY..62 * DAY];
    prop_oneof![
        4 => (who.clone(), pct.clone()).prop_map(|(who, pct)| Stake { who, pct }),
        1 => (who.clone(), who.clone(), pct.clone())
            .prop_map(|(who, to, pct)| StakeFor { who, to, pct }),
        2 => (who.clone(), who.clone(), pct.clone())
            .prop_map(|(who, to, pct)| TransferSvvv { who, to, pct }),
        3 => (who.clone(), pct.clone()).prop_map(|(who, pct)| RequestUnstake { who, pct }),
        1 => (0usize..8, any::<bool>())
            .prop_map(|(pick, by_other)| CancelUnstake { pick, by_other }),
        2 => (0usize..8).prop_map(|pick| Withdraw { pick }),
        2 => who.clone().prop_map(|who| Claim { who }),
        1 => who.clone().prop_map(|who| Compound { who }),
        3 => Just(Distribute),
        1 => prop_oneof![0u16..=10_000, Just(5_000), 10_001u16..=10_100]
            .prop_map(|bps| ReportUtilization { bps }),
        1 => (50u8..=101).prop_map(|pct| CutEmission { pct }),
        1 => (prop_oneof![Just(0u64), 1..DAY, DAY..90 * DAY], 50u8..=101)
            .prop_map(|(delay, pct)| ScheduleCut { delay, pct }),
        1 => (0u16..=10_001, 1u16..10_000, 0u16..=10_000, 0u16..=10_000)
            .prop_map(|(idle, mid_u, mid, full)| SetCurve { idle, mid_u, mid, full }),
        1 => prop_oneof![Just(3_600u64), 3_600..=30 * DAY, Just(3_599), Just(30 * DAY + 1)]
            .prop_map(|secs| SetRewardsDuration { secs }),
        1 => prop_oneof![Just(0u64), 0..=MAX_COOLDOWN, Just(MAX_COOLDOWN + 1)]
            .prop_map(|secs| SetCooldown { secs }),
        1 => Just(Pause),
        1 => Just(Unpause),
        1 => (70u8..=130, prop_oneof![Just(0u32), 1u32..100_000])
            .prop_map(|(base_pct, headroom_diem)| QueueCurve { base_pct, headroom_diem }),
        1 => Just(ApplyCurve),
        1 => Just(CancelCurve),
        3 => (who.clone(), 1u16..=2_000, 1u16..=2_000)
            .prop_map(|(who, diem, piece)| MintDiem { who, diem, piece }),
        2 => (who.clone(), pct.clone()).prop_map(|(who, pct)| BurnDiem { who, pct }),
        1 => (who.clone(), pct.clone()).prop_map(|(who, pct)| StakeCredit { who, pct }),
        1 => (who.clone(), pct.clone()).prop_map(|(who, pct)| RequestCreditUnstake { who, pct }),
        1 => who.clone().prop_map(|who| WithdrawCredit { who }),
        1 => (1u8..=30, 202_601u64..=202_603, 0u64..1_000_000)
            .prop_map(|(pct, epoch, usd)| BurnRevenue { pct, epoch, usd }),
        1 => (who, 1u8..=20).prop_map(|(who, pct)| BurnVvv { who, pct }),
        1 => (0usize..4, any::<bool>(), prop::bool::weighted(0.2))
            .prop_map(|(leaf, stake, by_other)| AirdropClaim { leaf, stake, by_other }),
        1 => Just(Sweep),
        1 => Just(VestingRelease),
        5 => time.prop_map(|secs| Advance { secs }),
    ]
    .boxed()
}

/// An unstake request as the model knows it.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Request {
    owner: usize,
    amount: U256,
    unlock: u64,
    open: bool,
}

/// A DIEM account: balance, position and credit.
#[derive(Clone, Debug, Default)]
struct DiemAccount {
    balance: U256,
    locked: U256,
    debt: U256,
    staked: U256,
    pending: U256,
    release: u64,
}

impl DiemAccount {
    fn spendable(&self) -> U256 {
        self.balance
            .saturating_sub(self.staked)
            .saturating_sub(self.pending)
    }
}

/// The reference model (SPEC §3).
#[derive(Clone, Debug)]
struct Model {
    /// VVV balance of every holder.
    vvv: BTreeMap<Address, U256>,
    minted: U256,
    burned: U256,
    // --- vault (§3.2)
    unlocked: Vec<U256>,
    locked: Vec<U256>,
    requests: Vec<Request>,
    /// Id of `requests[0]` (ids count from 1: `requestCount()` is the last one).
    first_id: U256,
    cooldown: u64,
    paused: bool,
    stream: StreamModel,
    /// Rewards paid out or compounded.
    paid: U256,
    // --- emission controller (§3.3)
    rate: U256,
    /// Pending cuts `(time, rate)`, in time order (a later-scheduled cut at the same time after).
    cuts: Vec<(u64, U256)>,
    emitted: U256,
    carry: U256,
    last_distribution: u64,
    utilization: u16,
    curve: Vec<(u16, u16)>,
    // --- DIEM (§3.4)
    diem: Vec<DiemAccount>,
    base: U256,
    target: U256,
    min_base: U256,
    queued: Option<(U256, U256, u64)>,
    // --- burn treasury (§3.5)
    treasury_burned: U256,
    epochs: BTreeMap<u64, (U256, U256)>,
    // --- airdrop (§3.6) and vesting
    claimed: [bool; 4],
    total_claimed: U256,
    swept: U256,
    deadline: u64,
    released: U256,
    vesting_start: u64,
    /// What each account put in (VVV received from outside minus burned and sent away).
    contributed: Vec<U256>,
}

impl Model {
    fn vvv_of(&self, a: Address) -> U256 {
        self.vvv.get(&a).copied().unwrap_or_default()
    }

    fn move_vvv(&mut self, from: Address, to: Address, amount: U256) {
        *self.vvv.entry(from).or_default() -= amount;
        *self.vvv.entry(to).or_default() += amount;
    }

    /// Sets every account's reward weight from its model balances (SPEC §3.2: unlocked × 10 000
    /// + locked × 8 000).
    fn reweigh(&mut self) {
        for i in 0..ACCOUNTS {
            self.stream.weights[i] =
                self.unlocked[i] * U256::from(10_000) + self.locked[i] * U256::from(8_000);
        }
    }

    /// The staker share at the current utilization: the curve's linear interpolation, rounded
    /// toward the left point (SPEC §3.3).
    fn share(&self) -> u16 {
        share_on(&self.curve, self.utilization)
    }

    /// Integrates the rate from the last distribution to `now` across the cuts due by then:
    /// `(minted, carry, rate after, cuts due, time reached)`; ⌊∫ rate dt / YEAR⌋ with the
    /// remainder carried (SPEC §3.3).
    fn accrue(&self, now: u64) -> (U256, U256, U256, usize, u64) {
        let (mut cursor, mut rate, mut carry, mut minted) =
            (self.last_distribution, self.rate, self.carry, U256::ZERO);
        let mut due = 0;
        let mut stretch = |until: u64, rate: U256, carry: &mut U256, cursor: &mut u64| {
            let until = until.max(*cursor);
            let numerator = rate * U256::from(until - *cursor) + *carry;
            minted += numerator / U256::from(YEAR);
            *carry = numerator % U256::from(YEAR);
            *cursor = until;
        };
        for &(time, cut_rate) in self.cuts.iter().filter(|c| c.0 <= now) {
            stretch(time, rate, &mut carry, &mut cursor);
            rate = rate.min(cut_rate);
            due += 1;
        }
        stretch(now, rate, &mut carry, &mut cursor);
        (minted, carry, rate, due, cursor)
    }

    /// `distribute()` at `now`: mints what accrued, the stakers' part (rounded down) to the
    /// vault and announced to it, the rest to the treasury.
    fn distribute(&mut self, now: u64, c: &Contracts) {
        let (minted, carry, rate, due, to_time) = self.accrue(now);
        self.cuts.drain(..due);
        self.rate = rate;
        if to_time <= self.last_distribution {
            return;
        }
        self.emitted += minted;
        self.carry = carry;
        self.last_distribution = to_time;
        let stakers = minted * U256::from(self.share()) / U256::from(BPS);
        *self.vvv.entry(c.vault).or_default() += stakers;
        *self.vvv.entry(c.treasury).or_default() += minted - stakers;
        self.minted += minted;
        if !stakers.is_zero() {
            self.stream.announce(now, stakers);
        }
    }

    /// The team's vested VVV at `t`: 7.5M linear over [`VESTING_DURATION`], rounded down.
    fn vested(&self, t: u64) -> U256 {
        let elapsed = t.saturating_sub(self.vesting_start).min(VESTING_DURATION);
        wad(7_500_000) * U256::from(elapsed) / U256::from(VESTING_DURATION)
    }

    fn open_requests(&self) -> Vec<usize> {
        (0..self.requests.len())
            .filter(|&i| self.requests[i].open)
            .collect()
    }
}

/// Piecewise-linear interpolation of `curve` at `u`, rounded toward the left point's share.
fn share_on(curve: &[(u16, u16)], u: u16) -> u16 {
    for pair in curve.windows(2) {
        let ((u0, s0), (u1, s1)) = (pair[0], pair[1]);
        if u <= u1 {
            let (span, offset) = (u64::from(u1 - u0), u64::from(u.max(u0) - u0));
            let (s0, s1) = (u64::from(s0), u64::from(s1));
            return if s1 >= s0 {
                s0 + (s1 - s0) * offset / span
            } else {
                s0 - (s0 - s1) * offset / span
            } as u16;
        }
    }
    curve.last().map_or(0, |p| p.1)
}

/// The expected outcome of a transaction: success, or the selector and name of its error.
type Expect = Result<(), ([u8; 4], &'static str)>;

fn fails<E: SolError>() -> Expect {
    Err((E::SELECTOR, E::SIGNATURE))
}

/// The world a sequence runs in.
struct World {
    s: Suite,
    accounts: Vec<Address>,
    revenue: Address,
}

/// Sends `call` and checks its outcome against `expect` (and INV-10's gas ceiling).
fn send<C: SolCall>(
    w: &mut World,
    from: Address,
    to: Address,
    call: C,
    expect: Expect,
) -> Result<Tx<C>, String> {
    let tx = w.s.send(from, to, call);
    if tx.gas() > GAS_CEILING {
        return Err(format!("INV-10: {} used {} gas", C::SIGNATURE, tx.gas()));
    }
    match (expect, tx.revert_data()) {
        (Ok(()), None) => Ok(tx),
        (Err((selector, _)), Some(data)) if data.get(..4) == Some(&selector[..]) => Ok(tx),
        (Ok(()), Some(data)) => Err(format!(
            "{}: expected success, reverted {}",
            C::SIGNATURE,
            describe_revert(data)
        )),
        (Err((_, name)), data) => Err(format!(
            "{}: expected {name}, got {}",
            C::SIGNATURE,
            data.map_or("success".into(), describe_revert)
        )),
    }
}

/// Runs `a` on the chain and in the model.
fn step(w: &mut World, m: &mut Model, a: &Action) -> Result<Outcome, String> {
    use Action::*;
    let c = w.s.c;
    let t = w.s.chain.next_timestamp();
    let accounts = w.accounts.clone();
    let acct = |i: usize| accounts[i];
    // The model moves on a copy, kept only if the transaction is expected to succeed.
    let mut n = m.clone();
    // The vault releases the stream up to the transaction's block before anything changes.
    n.stream.advance(t);
    let expect: Expect = match *a {
        Advance { secs } => {
            w.s.chain.advance_time(secs);
            return Ok(Outcome::Skipped);
        }
        Stake { who, pct } | StakeFor { who, pct, .. } => {
            let to = match *a {
                StakeFor { to, .. } => to,
                _ => who,
            };
            let amount = part(m.vvv_of(acct(who)), pct);
            if amount.is_zero() {
                return Ok(Outcome::Skipped);
            }
            let expect = if m.paused {
                fails::<IStakingVault::EnforcedPause>()
            } else {
                Ok(())
            };
            n.move_vvv(acct(who), c.vault, amount);
            n.unlocked[to] += amount;
            if to != who {
                n.contributed[who] -= amount;
                n.contributed[to] += amount;
            }
            if to == who {
                send(
                    w,
                    acct(who),
                    c.vault,
                    IStakingVault::stakeCall { amount },
                    expect,
                )?;
            } else {
                let beneficiary = acct(to);
                let call = IStakingVault::stakeForCall {
                    beneficiary,
                    amount,
                };
                send(w, acct(who), c.vault, call, expect)?;
            }
            expect
        }
        TransferSvvv { who, to, pct } => {
            let value = part(m.unlocked[who], pct);
            if value.is_zero() {
                return Ok(Outcome::Skipped);
            }
            n.unlocked[who] -= value;
            n.unlocked[to] += value;
            n.contributed[who] -= value;
            n.contributed[to] += value;
            let call = IStakingVault::transferCall {
                to: acct(to),
                value,
            };
            send(w, acct(who), c.vault, call, Ok(()))?;
            Ok(())
        }
        RequestUnstake { who, pct } => {
            let amount = part(m.unlocked[who], pct);
            if amount.is_zero() {
                return Ok(Outcome::Skipped);
            }
            n.unlocked[who] -= amount;
            n.requests.push(Request {
                owner: who,
                amount,
                unlock: t + m.cooldown,
                open: true,
            });
            let call = IStakingVault::requestUnstakeCall { amount };
            let id = send(w, acct(who), c.vault, call, Ok(()))?.ok();
            let expected = m.first_id + U256::from(m.requests.len());
            if id != expected {
                return Err(format!("request id {id}, expected {expected}"));
            }
            Ok(())
        }
        CancelUnstake { pick, by_other } => {
            let open = m.open_requests();
            if open.is_empty() {
                return Ok(Outcome::Skipped);
            }
            let i = open[pick % open.len()];
            let r = m.requests[i].clone();
            let sender = if by_other {
                (r.owner + 1) % ACCOUNTS
            } else {
                r.owner
            };
            let expect = if sender != r.owner {
                fails::<IStakingVault::NotRequestOwner>()
            } else {
                Ok(())
            };
            n.requests[i].open = false;
            n.unlocked[r.owner] += r.amount;
            let id = m.first_id + U256::from(i);
            send(
                w,
                acct(sender),
                c.vault,
                IStakingVault::cancelUnstakeCall { id },
                expect,
            )?;
            expect
        }
        Withdraw { pick } => {
            let open = m.open_requests();
            if open.is_empty() {
                return Ok(Outcome::Skipped);
            }
            let i = open[pick % open.len()];
            let r = m.requests[i].clone();
            let expect = if t < r.unlock {
                fails::<IStakingVault::CooldownNotElapsed>()
            } else {
                Ok(())
            };
            n.requests[i].open = false;
            n.move_vvv(c.vault, acct(r.owner), r.amount);
            let id = m.first_id + U256::from(i);
            send(
                w,
                acct(r.owner),
                c.vault,
                IStakingVault::withdrawCall { id },
                expect,
            )?;
            expect
        }
        Claim { who } | Compound { who } => {
            let compound = matches!(a, Compound { .. });
            // The one amount the model bounds rather than predicts (see the module comment):
            // the vault's own view, checked against the stream share by `check_inv11`.
            let pending = w.s.pending_rewards(acct(who));
            let expect = if compound && m.paused {
                fails::<IStakingVault::EnforcedPause>()
            } else if pending.is_zero() {
                fails::<IStakingVault::NoRewards>()
            } else {
                Ok(())
            };
            n.paid += pending;
            n.stream.claimed[who] += pending;
            if compound {
                n.unlocked[who] += pending;
                send(
                    w,
                    acct(who),
                    c.vault,
                    IStakingVault::compoundCall {},
                    expect,
                )?;
            } else {
                n.move_vvv(c.vault, acct(who), pending);
                send(
                    w,
                    acct(who),
                    c.vault,
                    IStakingVault::claimRewardsCall {},
                    expect,
                )?;
            }
            expect
        }
        Distribute => {
            n.distribute(t, &c);
            let call = IEmissionController::distributeCall {};
            send(w, c.keeper, c.controller, call, Ok(()))?;
            Ok(())
        }
        ReportUtilization { bps } => {
            let expect = if u64::from(bps) > BPS {
                fails::<IEmissionController::UtilizationOutOfRange>()
            } else {
                Ok(())
            };
            n.distribute(t, &c);
            n.utilization = bps;
            let call = IEmissionController::reportUtilizationCall { bps };
            send(w, c.keeper, c.controller, call, expect)?;
            expect
        }
        CutEmission { pct } => {
            n.distribute(t, &c);
            let new_rate = n.rate * U256::from(pct) / U256::from(100);
            let expect = if new_rate > n.rate {
                fails::<IEmissionController::EmissionIncreaseForbidden>()
            } else {
                Ok(())
            };
            n.rate = new_rate;
            for cut in n.cuts.iter_mut() {
                cut.1 = cut.1.min(new_rate);
            }
            let call = IEmissionController::cutEmissionCall { newRate: new_rate };
            send(w, c.admin, c.controller, call, expect)?;
            expect
        }
        ScheduleCut { delay, pct } => {
            let timestamp = t + delay;
            n.distribute(t, &c);
            let index = n.cuts.iter().take_while(|cut| cut.0 <= timestamp).count();
            let before = index.checked_sub(1).map_or(n.rate, |i| n.cuts[i].1);
            let new_rate = before * U256::from(pct) / U256::from(100);
            let expect = if delay == 0 {
                fails::<IEmissionController::CutNotInFuture>()
            } else if n.cuts.len() >= MAX_SCHEDULED_CUTS {
                fails::<IEmissionController::TooManyScheduledCuts>()
            } else if new_rate > before {
                fails::<IEmissionController::EmissionIncreaseForbidden>()
            } else {
                Ok(())
            };
            n.cuts.insert(index, (timestamp, new_rate));
            for cut in n.cuts.iter_mut().skip(index + 1) {
                cut.1 = cut.1.min(new_rate);
            }
            let call = IEmissionController::scheduleCutCall {
                timestamp,
                newRate: new_rate,
            };
            send(w, c.admin, c.controller, call, expect)?;
            expect
        }
        SetCurve {
            idle,
            mid_u,
            mid,
            full,
        } => {
            let expect = if idle > 10_000 {
                fails::<IEmissionController::InvalidCurve>()
            } else {
                Ok(())
            };
            n.distribute(t, &c);
            n.curve = vec![(0, idle), (mid_u, mid), (10_000, full)];
            let call = IEmissionController::setCurveCall {
                utilizations: vec![0, mid_u, 10_000],
                shares: vec![idle, mid, full],
            };
            send(w, c.admin, c.controller, call, expect)?;
            expect
        }
        SetRewardsDuration { secs } => {
            let expect = if (3_600..=30 * DAY).contains(&secs) {
                Ok(())
            } else {
                fails::<IStakingVault::RewardsDurationOutOfRange>()
            };
            n.stream.duration = secs;
            let call = IStakingVault::setRewardsDurationCall { duration: secs };
            send(w, c.admin, c.vault, call, expect)?;
            expect
        }
        SetCooldown { secs } => {
            let expect = if secs > MAX_COOLDOWN {
                fails::<IStakingVault::CooldownOutOfRange>()
            } else {
                Ok(())
            };
            n.cooldown = secs;
            let call = IStakingVault::setCooldownCall { duration: secs };
            send(w, c.admin, c.vault, call, expect)?;
            expect
        }
        Pause | Unpause => {
            let pause = matches!(a, Pause);
            let expect = match (pause, m.paused) {
                (true, true) => fails::<IStakingVault::EnforcedPause>(),
                (false, false) => fails::<IStakingVault::ExpectedPause>(),
                _ => Ok(()),
            };
            n.paused = pause;
            if pause {
                send(w, c.admin, c.vault, IStakingVault::pauseCall {}, expect)?;
            } else {
                send(w, c.admin, c.vault, IStakingVault::unpauseCall {}, expect)?;
            }
            expect
        }
        QueueCurve {
            base_pct,
            headroom_diem,
        } => {
            let supply = m.diem.iter().map(|d| d.debt).sum::<U256>();
            let base = m.base * U256::from(base_pct) / U256::from(100);
            let target = supply + wad(headroom_diem.into());
            // ±25% of the current base, rounded inwards, and never below minBase.
            let lowest = (m.base * U256::from(7_500))
                .div_ceil(U256::from(BPS))
                .max(m.min_base);
            let highest = m.base * U256::from(12_500) / U256::from(BPS);
            let expect = if target <= supply {
                fails::<IDiemMinter::InvalidCurve>()
            } else if base < lowest || base > highest {
                fails::<IDiemMinter::BaseChangeOutOfBounds>()
            } else {
                Ok(())
            };
            n.queued = Some((base, target, t + CURVE_TIMELOCK));
            send(
                w,
                c.admin,
                c.minter,
                IDiemMinter::queueCurveCall { base, target },
                expect,
            )?;
            expect
        }
        ApplyCurve | CancelCurve => {
            let apply = matches!(a, ApplyCurve);
            let supply = m.diem.iter().map(|d| d.debt).sum::<U256>();
            let expect = match m.queued {
                None => fails::<IDiemMinter::NoCurveQueued>(),
                Some((_, _, eta)) if apply && t < eta => fails::<IDiemMinter::CurveTimelocked>(),
                Some((_, target, _)) if apply && target <= supply => {
                    fails::<IDiemMinter::InvalidCurve>()
                }
                _ => Ok(()),
            };
            if let (true, Some((base, target, _))) = (apply, m.queued) {
                (n.base, n.target) = (base, target);
            }
            n.queued = None;
            if apply {
                send(w, c.admin, c.minter, IDiemMinter::applyCurveCall {}, expect)?;
            } else {
                send(
                    w,
                    c.admin,
                    c.minter,
                    IDiemMinter::cancelCurveCall {},
                    expect,
                )?;
            }
            expect
        }
        MintDiem { who, diem, piece } => {
            let supply = m.diem.iter().map(|d| d.debt).sum::<U256>();
            let (amount, piece) = (wad(diem.into()), wad(piece.into()));
            if supply + amount >= m.target {
                let call = IDiemMinter::mintCall {
                    amount,
                    maxCost: U256::MAX,
                };
                let expect = fails::<IDiemMinter::TargetReached>();
                send(w, acct(who), c.minter, call, expect)?;
                expect
            } else {
                let cost = w.s.view(c.minter, IDiemMinter::quoteMintCall { amount });
                check_mint_cost(m, supply, amount, cost)?;
                let whole = (supply + amount + piece < m.target).then(|| {
                    let call = IDiemMinter::quoteMintCall {
                        amount: amount + piece,
                    };
                    w.s.view(c.minter, call)
                });
                let expect = if m.unlocked[who] < cost {
                    fails::<IDiemMinter::InsufficientUnlockedSvvv>()
                } else {
                    Ok(())
                };
                let d = &mut n.diem[who];
                d.balance += amount;
                d.debt += amount;
                d.locked += cost;
                n.unlocked[who] -= cost.min(m.unlocked[who]);
                n.locked[who] += cost;
                let call = IDiemMinter::mintCall {
                    amount,
                    maxCost: cost,
                };
                send(w, acct(who), c.minter, call, expect)?;
                // INV-7: the mint then the piece never costs less than both at once, by ≤ 4 wei.
                if let (Ok(()), Some(whole)) = (expect, whole) {
                    let rest =
                        w.s.view(c.minter, IDiemMinter::quoteMintCall { amount: piece });
                    if cost + rest < whole || cost + rest > whole + U256::from(4) {
                        return Err(format!(
                            "INV-7: cost({amount}) {cost} + cost({piece}) {rest} vs at once {whole}"
                        ));
                    }
                }
                expect
            }
        }
        BurnDiem { who, pct } => {
            let d = m.diem[who].clone();
            let amount = part(d.debt, pct);
            if amount.is_zero() {
                return Ok(Outcome::Skipped);
            }
            // The minter burns spendable DIEM only (the token's InsufficientSpendable, wrapped).
            let expect = if amount > d.spendable() {
                fails::<IDiemMinter::CallFailed>()
            } else {
                Ok(())
            };
            // SPEC §3.4: ⌊locked × d / debt⌋, everything when d == debt (INV-6: ≤ locked).
            let unlock = if amount == d.debt {
                d.locked
            } else {
                d.locked * amount / d.debt
            };
            let nd = &mut n.diem[who];
            nd.balance -= amount;
            nd.debt -= amount;
            nd.locked -= unlock;
            n.locked[who] -= unlock;
            n.unlocked[who] += unlock;
            send(
                w,
                acct(who),
                c.minter,
                IDiemMinter::burnCall { amount },
                expect,
            )?;
            expect
        }
        StakeCredit { who, pct } => {
            let d = &m.diem[who];
            let amount = part(d.spendable(), pct);
            if amount.is_zero() {
                return Ok(Outcome::Skipped);
            }
            let expect = if d.staked + amount < U256::from(MIN_CREDIT_STAKE) {
                fails::<IDiemToken::CreditStakeTooSmall>()
            } else {
                Ok(())
            };
            n.diem[who].staked += amount;
            send(
                w,
                acct(who),
                c.diem,
                IDiemToken::stakeCreditCall { amount },
                expect,
            )?;
            expect
        }
        RequestCreditUnstake { who, pct } => {
            let d = m.diem[who].clone();
            let amount = part(d.staked, pct);
            if amount.is_zero() {
                return Ok(Outcome::Skipped);
            }
            let left = d.staked - amount;
            let expect = if !left.is_zero() && left < U256::from(MIN_CREDIT_STAKE) {
                fails::<IDiemToken::CreditStakeTooSmall>()
            } else {
                Ok(())
            };
            let nd = &mut n.diem[who];
            if !nd.pending.is_zero() && t >= nd.release {
                // A matured earlier request is freed, not locked again.
                nd.pending = U256::ZERO;
            }
            nd.staked = left;
            nd.pending += amount;
            nd.release = (t / DAY + 1) * DAY;
            let call = IDiemToken::requestCreditUnstakeCall { amount };
            send(w, acct(who), c.diem, call, expect)?;
            expect
        }
        WithdrawCredit { who } => {
            let d = &m.diem[who];
            let expect = if d.pending.is_zero() {
                fails::<IDiemToken::NoPendingCredit>()
            } else if t < d.release {
                fails::<IDiemToken::CreditLocked>()
            } else {
                Ok(())
            };
            (n.diem[who].pending, n.diem[who].release) = (U256::ZERO, 0);
            send(
                w,
                acct(who),
                c.diem,
                IDiemToken::withdrawCreditCall {},
                expect,
            )?;
            expect
        }
        BurnRevenue { pct, epoch, usd } => {
            let amount = part(m.vvv_of(w.revenue), pct);
            if amount.is_zero() {
                return Ok(Outcome::Skipped);
            }
            *n.vvv.entry(w.revenue).or_default() -= amount;
            n.burned += amount;
            n.treasury_burned += amount;
            let e = n.epochs.entry(epoch).or_default();
            e.0 += amount;
            e.1 += U256::from(usd);
            let call = IBurnTreasury::burnRevenueCall {
                amount,
                epoch,
                usdValue: U256::from(usd),
            };
            send(w, w.revenue, c.burn_treasury, call, Ok(()))?;
            Ok(())
        }
        BurnVvv { who, pct } => {
            let amount = part(m.vvv_of(acct(who)), pct);
            if amount.is_zero() {
                return Ok(Outcome::Skipped);
            }
            *n.vvv.entry(acct(who)).or_default() -= amount;
            n.burned += amount;
            n.treasury_burned += amount;
            n.contributed[who] -= amount;
            let call = IBurnTreasury::burnCall { amount };
            send(w, acct(who), c.burn_treasury, call, Ok(()))?;
            Ok(())
        }
        AirdropClaim {
            leaf,
            stake,
            by_other,
        } => {
            let l = airdrop_leaves()[leaf];
            let who = USERS + leaf;
            let sender = if by_other { c.keeper } else { l.account };
            let expect = if t >= m.deadline {
                fails::<IAirdrop::ClaimWindowClosed>()
            } else if stake && by_other {
                fails::<IAirdrop::NotClaimant>()
            } else if m.claimed[leaf] {
                fails::<IAirdrop::AlreadyClaimed>()
            } else if stake && m.paused {
                fails::<IAirdrop::CallFailed>()
            } else {
                Ok(())
            };
            n.claimed[leaf] = true;
            n.total_claimed += l.amount;
            n.contributed[who] += l.amount;
            if stake {
                n.move_vvv(c.airdrop, c.vault, l.amount);
                n.unlocked[who] += l.amount;
            } else {
                n.move_vvv(c.airdrop, l.account, l.amount);
            }
            let (index, account, amount, proof) =
                (l.index, l.account, l.amount, airdrop_proof(leaf));
            if stake {
                let call = IAirdrop::claimAndStakeCall {
                    index,
                    account,
                    amount,
                    proof,
                };
                send(w, sender, c.airdrop, call, expect)?;
            } else {
                let call = IAirdrop::claimCall {
                    index,
                    account,
                    amount,
                    proof,
                };
                send(w, sender, c.airdrop, call, expect)?;
            }
            expect
        }
        Sweep => {
            let left = m.vvv_of(c.airdrop);
            let expect = if t < m.deadline {
                fails::<IAirdrop::ClaimWindowOpen>()
            } else if left.is_zero() {
                fails::<IAirdrop::NothingToSweep>()
            } else {
                Ok(())
            };
            n.vvv.insert(c.airdrop, U256::ZERO);
            n.burned += left;
            n.treasury_burned += left;
            n.swept += left;
            send(w, c.keeper, c.airdrop, IAirdrop::sweepCall {}, expect)?;
            expect
        }
        VestingRelease => {
            let releasable = m.vested(t) - m.released;
            let expect = if releasable.is_zero() {
                fails::<IVvvVesting::NothingToRelease>()
            } else {
                Ok(())
            };
            n.released += releasable;
            n.move_vvv(c.vesting, c.team, releasable);
            send(w, c.keeper, c.vesting, IVvvVesting::releaseCall {}, expect)?;
            expect
        }
    };
    if expect.is_ok() {
        n.reweigh();
        *m = n;
        Ok(Outcome::Succeeded)
    } else {
        // A reverted transaction changes nothing, but its block still counts for the stream's
        // rounding dust.
        m.stream.advance(t);
        Ok(Outcome::Reverted)
    }
}

/// The charged mint cost against SPEC §3.4's closed form `base × T × ln((T − s)/(T − s − d))`
/// in floating point (relative 1e-9; the contract's own precision is far finer).
fn check_mint_cost(m: &Model, supply: U256, amount: U256, cost: U256) -> Result<(), String> {
    let f = |x: U256| f64::from(x);
    let (base, target) = (f(m.base) / WAD as f64, f(m.target));
    let exact = base * target * ((target - f(supply)) / (target - f(supply) - f(amount))).ln();
    if (f(cost) - exact).abs() > exact * 1e-9 + 1.0 {
        return Err(format!("mint cost {cost} != base·T·ln(...) ≈ {exact:e}"));
    }
    Ok(())
}

/// The model as of the prepared chain (read once from the chain's views).
fn read_model(w: &mut World) -> Model {
    let c = w.s.c;
    let mut holders = suite_vvv_holders(&c);
    holders.push(w.revenue);
    holders.extend(&w.accounts);
    let vvv = holders
        .into_iter()
        .map(|h| (h, w.s.vvv_balance(h)))
        .collect();
    let s = &mut w.s;
    let stream = StreamModel::read(s, &w.accounts);
    let curve = controller_curve(s);
    let (base, target) = {
        let r = s.view(c.minter, IDiemMinter::curveCall {});
        (r._0, r._1)
    };
    let rate = s.view(c.controller, IEmissionController::annualEmissionCall {});
    let unlocked: Vec<U256> = w
        .accounts
        .iter()
        .map(|&a| s.view(c.vault, IStakingVault::unlockedOfCall { account: a }))
        .collect();
    let contributed = w
        .accounts
        .iter()
        .zip(&unlocked)
        .map(|(&a, u)| *u + s.vvv_balance(a))
        .collect();
    Model {
        vvv,
        minted: s.view(c.vvv, IVvvToken::totalMintedCall {}),
        burned: s.view(c.vvv, IVvvToken::totalBurnedCall {}),
        unlocked,
        locked: vec![U256::ZERO; ACCOUNTS],
        requests: vec![],
        first_id: s.view(c.vault, IStakingVault::requestCountCall {}) + U256::from(1),
        cooldown: s.view(c.vault, IStakingVault::cooldownCall {}),
        paused: false,
        stream,
        paid: s.view(c.vault, IStakingVault::totalRewardsPaidCall {}),
        rate,
        cuts: vec![],
        emitted: s.view(c.controller, IEmissionController::totalEmittedCall {}),
        carry: s.view(c.controller, IEmissionController::carryCall {}),
        last_distribution: s.view(c.controller, IEmissionController::lastDistributionCall {}),
        utilization: s.view(c.controller, IEmissionController::utilizationBpsCall {}),
        curve,
        diem: vec![DiemAccount::default(); ACCOUNTS],
        base,
        target,
        min_base: s.view(c.minter, IDiemMinter::minBaseCall {}),
        queued: None,
        treasury_burned: U256::ZERO,
        epochs: BTreeMap::new(),
        claimed: [false; 4],
        total_claimed: U256::ZERO,
        swept: U256::ZERO,
        deadline: s.view(c.airdrop, IAirdrop::deadlineCall {}),
        released: U256::ZERO,
        vesting_start: s.view(c.vesting, IVvvVesting::startCall {}),
        contributed,
    }
}

/// `chain == model` for one value.
macro_rules! same {
    ($what:expr, $chain:expr, $model:expr) => {{
        let (chain, model) = ($chain, $model);
        if chain != model {
            return Err(format!("{}: chain {:?} != model {:?}", $what, chain, model));
        }
    }};
}

impl Model {
    /// Every view against the model, then the invariants.
    fn check(&self, w: &mut World) -> Result<(), String> {
        let c = w.s.c;
        let t = w.s.chain.next_timestamp();
        let s = &mut w.s;
        // VVV (§3.1) and INV-1.
        let mut sum = U256::ZERO;
        for (&holder, &balance) in &self.vvv {
            same!(
                format!("VVV balance of {holder}"),
                s.vvv_balance(holder),
                balance
            );
            sum += balance;
        }
        let supply = s.view(c.vvv, IVvvToken::totalSupplyCall {});
        same!(
            "VVV totalMinted",
            s.view(c.vvv, IVvvToken::totalMintedCall {}),
            self.minted
        );
        same!(
            "VVV totalBurned",
            s.view(c.vvv, IVvvToken::totalBurnedCall {}),
            self.burned
        );
        same!(
            "INV-1: VVV totalSupply = 100M + minted − burned",
            supply,
            genesis_supply() + self.minted - self.burned
        );
        same!("INV-1: Σ balances = totalSupply", sum, supply);
        // The vault (§3.2).
        // Each account's pendingRewards, read once for INV-3, INV-11 and item 3a.
        let mut pending = Vec::with_capacity(ACCOUNTS);
        for (i, &a) in w.accounts.iter().enumerate() {
            let unlocked = s.view(c.vault, IStakingVault::unlockedOfCall { account: a });
            same!(
                format!("account{i} unlocked sVVV"),
                unlocked,
                self.unlocked[i]
            );
            let locked = s.view(c.vault, IStakingVault::lockedOfCall { account: a });
            same!(format!("account{i} locked sVVV"), locked, self.locked[i]);
            let balance = s.view(c.vault, IStakingVault::balanceOfCall { account: a });
            same!(
                format!("account{i} sVVV balance"),
                balance,
                self.unlocked[i] + self.locked[i]
            );
            let mut open = s.view(c.vault, IStakingVault::openRequestsOfCall { account: a });
            open.sort();
            let model_open: Vec<U256> = self
                .open_requests()
                .into_iter()
                .filter(|&r| self.requests[r].owner == i)
                .map(|r| self.first_id + U256::from(r))
                .collect();
            same!(format!("account{i} openRequestsOf"), open, model_open);
            pending.push(s.pending_rewards(a));
        }
        let svvv_supply = self
            .unlocked
            .iter()
            .chain(&self.locked)
            .copied()
            .sum::<U256>();
        same!(
            "sVVV totalSupply",
            s.view(c.vault, IStakingVault::totalSupplyCall {}),
            svvv_supply
        );
        let total_locked = self.locked.iter().copied().sum::<U256>();
        same!(
            "vault totalLocked",
            s.view(c.vault, IStakingVault::totalLockedCall {}),
            total_locked
        );
        let total_weight = self.stream.weights.iter().copied().sum::<U256>();
        same!(
            "vault totalWeight",
            s.view(c.vault, IStakingVault::totalWeightCall {}),
            total_weight
        );
        same!(
            "vault requestCount",
            s.view(c.vault, IStakingVault::requestCountCall {}),
            self.first_id + U256::from(self.requests.len()) - U256::from(1)
        );
        for (i, r) in self.requests.iter().enumerate() {
            let id = self.first_id + U256::from(i);
            let got = s.view(c.vault, IStakingVault::requestCall { id });
            same!(
                format!("request {id}"),
                (got._0, got._1, got._2, got._3),
                (w.accounts[r.owner], r.amount, r.unlock, r.open)
            );
        }
        let pending_withdrawals = self
            .requests
            .iter()
            .filter(|r| r.open)
            .map(|r| r.amount)
            .sum::<U256>();
        same!(
            "vault totalPendingWithdrawals",
            s.view(c.vault, IStakingVault::totalPendingWithdrawalsCall {}),
            pending_withdrawals
        );
        same!(
            "vault cooldown",
            s.view(c.vault, IStakingVault::cooldownCall {}),
            self.cooldown
        );
        same!(
            "vault paused",
            s.view(c.vault, IStakingVault::pausedCall {}),
            self.paused
        );
        same!(
            "vault rewardsDuration",
            s.view(c.vault, IStakingVault::rewardsDurationCall {}),
            self.stream.duration
        );
        same!(
            "vault totalRewardsAnnounced",
            s.view(c.vault, IStakingVault::totalRewardsAnnouncedCall {}),
            self.stream.announced
        );
        same!(
            "vault totalRewardsPaid",
            s.view(c.vault, IStakingVault::totalRewardsPaidCall {}),
            self.paid
        );
        // INV-2: the vault holds what it owes.
        let held = self.vvv_of(c.vault);
        let accounted = s.view(c.vault, IStakingVault::accountedAssetsCall {});
        if held < accounted {
            return Err(format!(
                "INV-2: vault holds {held} < accountedAssets {accounted}"
            ));
        }
        // The emission controller (§3.3), INV-4 and INV-5.
        // The view counts the cuts already due (they are applied by the next distribution).
        same!(
            "annualEmission",
            s.view(c.controller, IEmissionController::annualEmissionCall {}),
            self.accrue(t).2
        );
        same!(
            "INV-4: totalEmitted",
            s.view(c.controller, IEmissionController::totalEmittedCall {}),
            self.emitted
        );
        same!(
            "INV-4: totalEmitted == VVV minted",
            self.emitted,
            self.minted
        );
        same!(
            "carry",
            s.view(c.controller, IEmissionController::carryCall {}),
            self.carry
        );
        same!(
            "lastDistribution",
            s.view(c.controller, IEmissionController::lastDistributionCall {}),
            self.last_distribution
        );
        same!(
            "pendingEmission",
            s.view(c.controller, IEmissionController::pendingEmissionCall {}),
            self.accrue(t).0
        );
        same!(
            "utilizationBps",
            s.view(c.controller, IEmissionController::utilizationBpsCall {}),
            self.utilization
        );
        same!(
            "currentStakerShareBps",
            s.view(
                c.controller,
                IEmissionController::currentStakerShareBpsCall {}
            ),
            self.share()
        );
        same!(
            "curveUtilizations, curveShares",
            controller_curve(s),
            self.curve.clone()
        );
        let times = s.view(c.controller, IEmissionController::scheduledCutTimesCall {});
        let rates = s.view(c.controller, IEmissionController::scheduledCutRatesCall {});
        same!(
            "scheduledCutTimes, scheduledCutRates",
            times.into_iter().zip(rates).collect::<Vec<_>>(),
            self.cuts.clone()
        );
        // DIEM and its minter (§3.4), INV-6.
        let mut debt = U256::ZERO;
        for (i, (&a, d)) in w.accounts.iter().zip(&self.diem).enumerate() {
            same!(
                format!("account{i} DIEM balance"),
                s.view(c.diem, IDiemToken::balanceOfCall { account: a }),
                d.balance
            );
            let p = s.view(c.minter, IDiemMinter::positionOfCall { account: a });
            same!(
                format!("account{i} position"),
                (p._0, p._1),
                (d.locked, d.debt)
            );
            same!(
                format!("account{i} staked credit"),
                s.view(c.diem, IDiemToken::stakedCreditOfCall { account: a }),
                d.staked
            );
            let pc = s.view(c.diem, IDiemToken::pendingCreditOfCall { account: a });
            same!(
                format!("account{i} pending credit"),
                (pc._0, pc._1),
                (d.pending, d.release)
            );
            same!(
                format!("account{i} spendable DIEM"),
                s.view(c.diem, IDiemToken::spendableOfCall { account: a }),
                d.spendable()
            );
            debt += d.debt;
        }
        same!(
            "INV-6: DIEM totalSupply == Σ debt",
            s.view(c.diem, IDiemToken::totalSupplyCall {}),
            debt
        );
        same!(
            "minter totalDebt",
            s.view(c.minter, IDiemMinter::totalDebtCall {}),
            debt
        );
        let minter_locked = self.diem.iter().map(|d| d.locked).sum::<U256>();
        same!(
            "INV-6: minter totalLocked",
            s.view(c.minter, IDiemMinter::totalLockedCall {}),
            minter_locked
        );
        same!(
            "INV-6: Σ position locked == vault totalLocked",
            minter_locked,
            total_locked
        );
        same!(
            "DIEM totalDailyCreditUsd",
            s.view(c.diem, IDiemToken::totalDailyCreditUsdCall {}),
            self.diem.iter().map(|d| d.staked).sum::<U256>()
        );
        same!(
            "DIEM totalPendingCredit",
            s.view(c.diem, IDiemToken::totalPendingCreditCall {}),
            self.diem.iter().map(|d| d.pending).sum::<U256>()
        );
        let curve = s.view(c.minter, IDiemMinter::curveCall {});
        same!(
            "minter curve",
            (curve._0, curve._1),
            (self.base, self.target)
        );
        let q = s.view(c.minter, IDiemMinter::queuedCurveCall {});
        same!(
            "minter queuedCurve",
            (q._0, q._1, q._2),
            self.queued.unwrap_or_default()
        );
        // The burn treasury (§3.5), the airdrop (§3.6), the vesting.
        same!(
            "burn treasury totalBurned",
            s.view(c.burn_treasury, IBurnTreasury::totalBurnedCall {}),
            self.treasury_burned
        );
        for (&epoch, &(burned, revenue)) in &self.epochs {
            same!(
                format!("burnedInEpoch({epoch})"),
                s.view(c.burn_treasury, IBurnTreasury::burnedInEpochCall { epoch }),
                burned
            );
            same!(
                format!("revenueInEpoch({epoch})"),
                s.view(c.burn_treasury, IBurnTreasury::revenueInEpochCall { epoch }),
                revenue
            );
        }
        for (i, &claimed) in self.claimed.iter().enumerate() {
            same!(
                format!("airdrop isClaimed({i})"),
                s.view(
                    c.airdrop,
                    IAirdrop::isClaimedCall {
                        index: U256::from(i)
                    }
                ),
                claimed
            );
        }
        same!(
            "airdrop totalClaimed",
            s.view(c.airdrop, IAirdrop::totalClaimedCall {}),
            self.total_claimed
        );
        same!(
            "airdrop totalSwept",
            s.view(c.airdrop, IAirdrop::totalSweptCall {}),
            self.swept
        );
        same!(
            "vesting released",
            s.view(c.vesting, IVvvVesting::releasedCall {}),
            self.released
        );
        same!(
            "vesting releasable",
            s.view(c.vesting, IVvvVesting::releasableCall {}),
            self.vested(t) - self.released
        );
        // INV-11: nobody's rewards exceed its share of the stream (+ dust), nor fall short.
        check_inv11(&self.stream, t, &pending)?;
        // INV-3: paid + owed + kept + still streaming ≤ announced, short of it by dust only.
        let stream = s.view(c.vault, IStakingVault::rewardStreamCall {});
        let kept = s.view(c.vault, IStakingVault::keptRewardsCall {});
        // The stored stream is as of its last update; what it released since is in `pending`.
        let (remaining, updated, end) = (stream._0, stream._1, stream._2);
        let streaming = if t >= end {
            U256::ZERO
        } else if t <= updated {
            remaining
        } else {
            remaining - remaining * U256::from(t - updated) / U256::from(end - updated)
        };
        // Released since then over a total weight of zero (unchanged since the update: every
        // change of weight updates the stream): kept by the vault at its next update.
        let kept = kept
            + if total_weight.is_zero() {
                remaining - streaming
            } else {
                U256::ZERO
            };
        let pending_sum = pending.iter().copied().sum::<U256>();
        let accounted_rewards = self.paid + pending_sum + kept + streaming;
        let dust = U256::from(4 * self.stream.blocks + 16);
        if accounted_rewards > self.stream.announced
            || accounted_rewards + dust * U256::from(ACCOUNTS) < self.stream.announced
        {
            return Err(format!(
                "INV-3: paid {} + owed {pending_sum} + kept {kept} + streaming {streaming} vs announced {}",
                self.paid, self.stream.announced
            ));
        }
        // Item 3a: nobody holds more than it put in plus its stream share (+ dust).
        let entitled = self.stream.entitled_at(t);
        for (i, &a) in w.accounts.iter().enumerate() {
            let requests = self
                .requests
                .iter()
                .filter(|r| r.open && r.owner == i)
                .map(|r| r.amount)
                .sum::<U256>();
            let holds = self.vvv_of(a) + self.unlocked[i] + self.locked[i] + requests + pending[i];
            if holds > self.contributed[i] + entitled[i] + dust {
                return Err(format!(
                    "account{i} holds {holds} > put in {} + stream share {} + dust",
                    self.contributed[i], entitled[i]
                ));
            }
        }
        Ok(())
    }
}

/// The exit that ends every sequence (INV-9): whatever state the admin left, every account
/// frees its credit, burns all its DIEM, requests to unstake all its sVVV and withdraws every
/// request at exactly its unlock time. Each step must succeed.
fn exit_all(
    w: &mut World,
    m: &mut Model,
    script: &mut Vec<String>,
    check_every: usize,
) -> Result<(), String> {
    use Action::*;
    let mut run = |w: &mut World, m: &mut Model, a: Action| -> Result<(), String> {
        script.push(format!("exit: {a}"));
        let outcome = step(w, m, &a)?;
        if check_every == 1 {
            m.check(w)?;
        }
        if !matches!(a, Advance { .. }) && outcome != Outcome::Succeeded {
            return Err(format!("INV-9: exit step `{a}` did not go through"));
        }
        Ok(())
    };
    for who in 0..ACCOUNTS {
        if !m.diem[who].staked.is_zero() {
            run(w, m, RequestCreditUnstake { who, pct: 100 })?;
        }
    }
    if m.diem.iter().any(|d| !d.pending.is_zero()) {
        let t = w.s.chain.next_timestamp();
        let release = m.diem.iter().map(|d| d.release).max().unwrap_or(t);
        run(
            w,
            m,
            Advance {
                secs: release.saturating_sub(t),
            },
        )?;
        for who in 0..ACCOUNTS {
            if !m.diem[who].pending.is_zero() {
                run(w, m, WithdrawCredit { who })?;
            }
        }
    }
    for who in 0..ACCOUNTS {
        if !m.diem[who].debt.is_zero() {
            run(w, m, BurnDiem { who, pct: 100 })?;
        }
        if !m.unlocked[who].is_zero() {
            run(w, m, RequestUnstake { who, pct: 100 })?;
        }
    }
    // Withdraw in unlock order, each at exactly its unlock time (never more than 30 days).
    let mut open = m.open_requests();
    open.sort_by_key(|&i| m.requests[i].unlock);
    for i in open {
        let unlock = m.requests[i].unlock;
        let t = w.s.chain.next_timestamp();
        if unlock > t {
            run(w, m, Advance { secs: unlock - t })?;
        }
        let pick = m.open_requests().iter().position(|&r| r == i).unwrap_or(0);
        run(w, m, Withdraw { pick })?;
    }
    for (i, (&unlocked, &locked)) in m.unlocked.iter().zip(&m.locked).enumerate() {
        if !(unlocked + locked).is_zero()
            || m.open_requests().iter().any(|&r| m.requests[r].owner == i)
        {
            return Err(format!("INV-9: account{i} could not exit fully"));
        }
    }
    Ok(())
}

/// Prepares the world every sequence starts from: the deployed suite an hour after the
/// emission started; three users with [`START_VVV`] VVV who staked half; the airdrop claimers
/// with gas and the vault and burn treasury approved; the keeper holding the reporter role; a
/// revenue account holding the revenue role and [`REVENUE_VVV`] VVV.
fn prepare() -> World {
    let mut s = Suite::new();
    let c = s.c;
    s.chain.set_balance(c.admin, U256::from(WAD));
    let revenue = addr("revenue desk");
    s.chain.set_balance(revenue, U256::from(WAD));
    let reporter_role = s.view(c.controller, IEmissionController::REPORTER_ROLECall {});
    s.send(
        c.admin,
        c.controller,
        IEmissionController::grantRoleCall {
            role: reporter_role,
            account: c.keeper,
        },
    )
    .ok();
    let revenue_role = s.view(c.burn_treasury, IBurnTreasury::REVENUE_ROLECall {});
    s.send(
        c.admin,
        c.burn_treasury,
        IBurnTreasury::grantRoleCall {
            role: revenue_role,
            account: revenue,
        },
    )
    .ok();
    s.fund(revenue, wad(REVENUE_VVV));
    s.approve_vvv(revenue, c.burn_treasury);
    let mut accounts: Vec<Address> = (0..USERS).map(|_| s.funded_user(wad(START_VVV))).collect();
    for leaf in airdrop_leaves() {
        s.chain.set_balance(leaf.account, U256::from(WAD));
        s.approve_vvv(leaf.account, c.vault);
        accounts.push(leaf.account);
    }
    for &a in &accounts {
        s.approve_vvv(a, c.burn_treasury);
    }
    for &u in &accounts[..USERS] {
        s.stake(u, wad(START_VVV / 2));
    }
    s.warp(LAUNCH + 3_600);
    s.distribute();
    World {
        s,
        accounts,
        revenue,
    }
}

/// The function that runs one sequence on a prepared world, model alongside. Chain == model
/// is checked before the first action, after every `VVV_MODEL_CHECK_EVERY`-th action (default
/// 1: every one) and at the end of the exit; each action's outcome is checked at every step.
fn sequence_runner() -> impl FnMut(&[Action], &mut Coverage) -> Result<(), String> {
    let check_every = env_or("VVV_MODEL_CHECK_EVERY", 1).max(1) as usize;
    let mut w = prepare();
    let model = read_model(&mut w);
    let snapshot = w.s.chain.snapshot();
    move |actions, coverage| {
        w.s.chain.restore(snapshot.clone());
        let mut m = model.clone();
        let mut script = vec![];
        let mut run = || -> Result<(), String> {
            m.check(&mut w)?;
            for (i, a) in actions.iter().enumerate() {
                script.push(a.to_string());
                let outcome = step(&mut w, &mut m, a)?;
                count(coverage, &a.name(), outcome);
                if (i + 1) % check_every == 0 {
                    m.check(&mut w)?;
                }
            }
            exit_all(&mut w, &mut m, &mut script, check_every)?;
            m.check(&mut w)
        };
        run().map_err(|e| {
            let lines: Vec<String> = script
                .iter()
                .enumerate()
                .map(|(i, line)| format!("  {:>3}. {line}", i + 1))
                .collect();
            format!(
                "{e}\nafter this script of calls (the last one failed):\n{}",
                lines.join("\n")
            )
        })
    }
}

#[test]
fn system_matches_the_model_under_random_actions() {
    let cases = env_or("VVV_MODEL_CASES", CASES);
    let steps = env_or("VVV_MODEL_STEPS", STEPS as u32) as usize;
    run_sequences(
        "model-based system test",
        cases,
        steps,
        action,
        sequence_runner,
    );
}

/// The controller's split curve, as `(utilization, share)` points.
fn controller_curve(s: &mut Suite) -> Vec<(u16, u16)> {
    let c = s.c.controller;
    let utilizations = s.view(c, IEmissionController::curveUtilizationsCall {});
    let shares = s.view(c, IEmissionController::curveSharesCall {});
    utilizations.into_iter().zip(shares).collect()
}

//! Unit tests (motsu): the linear schedule, releases at random times, every revert path with its
//! exact error, against the real VVV token.
use alloy_primitives::Bytes;
use motsu::prelude::*;
use vvv_test_support::assert_revert;
use vvv_token::{VvvToken, GENESIS_SUPPLY};

use super::*;

/// motsu's fixed block timestamp (2025-01-01T00:00:00Z).
const NOW: u64 = 1_735_689_600;
/// Vesting starts a day after "now".
const START: u64 = NOW + 86_400;
/// 24 months (2 × 365 days).
const DURATION: u64 = 2 * 31_536_000;
const END: u64 = START + DURATION;

fn vvv(n: u64) -> U256 {
    U256::from(n) * U256::from(10).pow(U256::from(18))
}

/// The 75% of the team's 10M that vests.
fn total() -> U256 {
    vvv(7_500_000)
}

/// `⌊total × elapsed / DURATION⌋`.
fn vested_at(t: u64) -> U256 {
    total() * U256::from(t - START) / U256::from(DURATION)
}

/// VVV with all 100M at `treasury`; a vesting of `START`/`DURATION` for `team`, funded
/// with 7.5M by `treasury` (the deploy config's transfer).
fn setup(
    token: &Contract<VvvToken>,
    vesting: &Contract<VvvVesting>,
    treasury: Address,
    team: Address,
) {
    token
        .sender(treasury)
        .constructor(treasury, vec![treasury], vec![GENESIS_SUPPLY])
        .motsu_unwrap();
    vesting
        .sender(treasury)
        .constructor(token.address(), team, START, DURATION)
        .motsu_unwrap();
    token
        .sender(treasury)
        .transfer(vesting.address(), total())
        .motsu_unwrap();
}

fn balance(token: &Contract<VvvToken>, account: Address) -> U256 {
    token.sender(account).balance_of(account)
}

// ---------------------------------------------------------------- constructor, views

#[motsu::test]
fn constructor_sets_schedule_and_emits(
    token: Contract<VvvToken>,
    vesting: Contract<VvvVesting>,
    treasury: Address,
    team: Address,
) {
    setup(&token, &vesting, treasury, team);
    let v = vesting.sender(team);
    assert_eq!(v.token(), token.address());
    assert_eq!(v.beneficiary(), team);
    assert_eq!(v.start(), START);
    assert_eq!(v.duration(), DURATION);
    assert_eq!(v.end(), END);
    assert_eq!(v.released(), U256::ZERO);
    vesting.assert_emitted(&VestingCreated {
        token: token.address(),
        beneficiary: team,
        start: START,
        duration: DURATION,
    });
}

#[motsu::test]
fn constructor_reverts_on_zero_token(
    vesting: Contract<VvvVesting>,
    treasury: Address,
    team: Address,
) {
    assert_revert!(
        vesting
            .sender(treasury)
            .constructor(Address::ZERO, team, START, DURATION),
        Error::InvalidToken(InvalidToken {
            token: Address::ZERO
        })
    );
    assert!(vesting.all_events().is_empty());
}

#[motsu::test]
fn constructor_reverts_on_zero_beneficiary(
    token: Contract<VvvToken>,
    vesting: Contract<VvvVesting>,
    treasury: Address,
) {
    assert_revert!(
        vesting
            .sender(treasury)
            .constructor(token.address(), Address::ZERO, START, DURATION),
        Error::InvalidBeneficiary(InvalidBeneficiary {
            beneficiary: Address::ZERO
        })
    );
    assert!(vesting.all_events().is_empty());
}

#[motsu::test]
fn constructor_reverts_when_end_overflows(
    token: Contract<VvvToken>,
    vesting: Contract<VvvVesting>,
    treasury: Address,
    team: Address,
) {
    assert_revert!(
        vesting
            .sender(treasury)
            .constructor(token.address(), team, u64::MAX - 9, 10),
        Error::InvalidSchedule(InvalidSchedule {
            start: u64::MAX - 9,
            duration: 10
        })
    );
    assert_eq!(vesting.sender(team).beneficiary(), Address::ZERO);
    // The largest schedule that fits is accepted.
    vesting
        .sender(treasury)
        .constructor(token.address(), team, u64::MAX - 10, 10)
        .motsu_unwrap();
    assert_eq!(vesting.sender(team).end(), u64::MAX);
}

/// `vestedAmount(t)` over the whole schedule, from the contract's real token balance.
#[motsu::test]
fn vested_amount_view(
    token: Contract<VvvToken>,
    vesting: Contract<VvvVesting>,
    treasury: Address,
    team: Address,
) {
    setup(&token, &vesting, treasury, team);
    let v = vesting.sender(team);
    assert_eq!(v.vested_amount(0).motsu_unwrap(), U256::ZERO);
    assert_eq!(v.vested_amount(START - 1).motsu_unwrap(), U256::ZERO);
    assert_eq!(v.vested_amount(START).motsu_unwrap(), U256::ZERO);
    assert_eq!(
        v.vested_amount(START + 1).motsu_unwrap(),
        vested_at(START + 1)
    );
    assert_eq!(
        v.vested_amount(START + DURATION / 2).motsu_unwrap(),
        vvv(3_750_000)
    );
    assert_eq!(v.vested_amount(END - 1).motsu_unwrap(), vested_at(END - 1));
    assert!(v.vested_amount(END - 1).motsu_unwrap() < total());
    assert_eq!(v.vested_amount(END).motsu_unwrap(), total());
    assert_eq!(v.vested_amount(u64::MAX).motsu_unwrap(), total());
    // The shell reads the block time (before START here): nothing releasable yet.
    assert_eq!(v.releasable().motsu_unwrap(), U256::ZERO);
}

// ---------------------------------------------------------------- release

#[motsu::test]
fn release_before_start_reverts(
    token: Contract<VvvToken>,
    vesting: Contract<VvvVesting>,
    treasury: Address,
    team: Address,
) {
    setup(&token, &vesting, treasury, team);
    let events_before = vesting.all_events().len();
    // Before start, and at start itself (nothing has vested yet).
    for t in [NOW, START - 1, START] {
        assert_eq!(
            vesting.sender(team).releasable_at(t).motsu_unwrap(),
            U256::ZERO
        );
        assert_revert!(
            vesting.sender(team).release_at(t),
            Error::NothingToRelease(NothingToRelease {
                start: START,
                end: END
            })
        );
    }
    // The shell reads motsu's block time, which is before START.
    assert_revert!(vesting.sender(team).release(), matches Error::NothingToRelease(_));
    // Nothing moved and no (misleading) event was emitted.
    assert_eq!(vesting.all_events().len(), events_before);
    assert_eq!(balance(&token, team), U256::ZERO);
    assert_eq!(balance(&token, vesting.address()), total());
    assert_eq!(vesting.sender(team).released(), U256::ZERO);
}

#[motsu::test]
fn release_partway_pays_the_vested_part(
    token: Contract<VvvToken>,
    vesting: Contract<VvvVesting>,
    treasury: Address,
    team: Address,
) {
    setup(&token, &vesting, treasury, team);
    // One second in: ⌊7.5M × 1 / 63 072 000⌋ (rounded down).
    let t1 = START + 1;
    let first = vested_at(t1);
    assert_eq!(vesting.sender(team).releasable_at(t1).motsu_unwrap(), first);
    assert_eq!(vesting.sender(team).release_at(t1).motsu_unwrap(), first);
    assert_eq!(balance(&token, team), first);
    vesting.assert_emitted(&Released {
        beneficiary: team,
        amount: first,
        totalReleased: first,
    });
    // A quarter in: the quarter minus what was paid.
    let t2 = START + DURATION / 4;
    let second = vvv(1_875_000) - first;
    assert_eq!(vesting.sender(team).release_at(t2).motsu_unwrap(), second);
    assert_eq!(balance(&token, team), vvv(1_875_000));
    assert_eq!(vesting.sender(team).released(), vvv(1_875_000));
    assert_eq!(balance(&token, vesting.address()), vvv(5_625_000));
    vesting.assert_emitted(&Released {
        beneficiary: team,
        amount: second,
        totalReleased: vvv(1_875_000),
    });
    // Nothing more in the same second.
    assert_eq!(
        vesting.sender(team).releasable_at(t2).motsu_unwrap(),
        U256::ZERO
    );
    assert_revert!(
        vesting.sender(team).release_at(t2),
        Error::NothingToRelease(NothingToRelease {
            start: START,
            end: END
        })
    );
    // Half-way: another quarter.
    assert_eq!(
        vesting
            .sender(team)
            .release_at(START + DURATION / 2)
            .motsu_unwrap(),
        vvv(1_875_000)
    );
    assert_eq!(balance(&token, team), vvv(3_750_000));
}

#[motsu::test]
fn release_after_end_pays_everything(
    token: Contract<VvvToken>,
    vesting: Contract<VvvVesting>,
    treasury: Address,
    team: Address,
) {
    setup(&token, &vesting, treasury, team);
    let partial = vesting
        .sender(team)
        .release_at(START + DURATION / 3)
        .motsu_unwrap();
    assert_eq!(partial, vested_at(START + DURATION / 3));
    let rest = vesting.sender(team).release_at(END + 1_000).motsu_unwrap();
    assert_eq!(partial + rest, total());
    assert_eq!(balance(&token, team), total());
    assert_eq!(balance(&token, vesting.address()), U256::ZERO);
    assert_eq!(vesting.sender(team).released(), total());
    vesting.assert_emitted(&Released {
        beneficiary: team,
        amount: rest,
        totalReleased: total(),
    });
    // Nothing is left, ever.
    for t in [END + 1_000, u64::MAX] {
        assert_revert!(vesting.sender(team).release_at(t), matches Error::NothingToRelease(_));
    }
    assert_eq!(
        vesting.sender(team).vested_amount(END).motsu_unwrap(),
        total()
    );
}

#[motsu::test]
fn release_at_end_in_one_go(
    token: Contract<VvvToken>,
    vesting: Contract<VvvVesting>,
    treasury: Address,
    team: Address,
) {
    setup(&token, &vesting, treasury, team);
    assert_eq!(vesting.sender(team).release_at(END).motsu_unwrap(), total());
    assert_eq!(balance(&token, team), total());
}

/// `release()` itself (the shell) with motsu's block time half-way through a schedule.
#[motsu::test]
fn release_reads_block_time(
    token: Contract<VvvToken>,
    vesting: Contract<VvvVesting>,
    treasury: Address,
    team: Address,
) {
    token
        .sender(treasury)
        .constructor(treasury, vec![treasury], vec![GENESIS_SUPPLY])
        .motsu_unwrap();
    vesting
        .sender(treasury)
        .constructor(token.address(), team, NOW - DURATION / 2, DURATION)
        .motsu_unwrap();
    token
        .sender(treasury)
        .transfer(vesting.address(), total())
        .motsu_unwrap();
    assert_eq!(
        vesting.sender(team).releasable().motsu_unwrap(),
        vvv(3_750_000)
    );
    assert_eq!(
        vesting.sender(team).release().motsu_unwrap(),
        vvv(3_750_000)
    );
    assert_eq!(balance(&token, team), vvv(3_750_000));
    assert_eq!(vesting.sender(team).releasable().motsu_unwrap(), U256::ZERO);
}

/// Anyone may trigger a release; the tokens go to the beneficiary only.
#[motsu::test]
fn anyone_may_release_only_beneficiary_receives(
    token: Contract<VvvToken>,
    vesting: Contract<VvvVesting>,
    treasury: Address,
    team: Address,
    stranger: Address,
) {
    setup(&token, &vesting, treasury, team);
    let t = START + DURATION / 2;
    assert_eq!(
        vesting.sender(stranger).release_at(t).motsu_unwrap(),
        vvv(3_750_000)
    );
    assert_eq!(balance(&token, stranger), U256::ZERO);
    assert_eq!(balance(&token, team), vvv(3_750_000));
    vesting.assert_emitted(&Released {
        beneficiary: team,
        amount: vvv(3_750_000),
        totalReleased: vvv(3_750_000),
    });
    // The funder (deploy config) cannot claw anything back either: it also just pays the team.
    vesting.sender(treasury).release_at(END).motsu_unwrap();
    assert_eq!(balance(&token, team), total());
    assert_eq!(balance(&token, treasury), GENESIS_SUPPLY - total());
}

/// VVV sent after the start vests as if it had been there from the start.
#[motsu::test]
fn late_deposit_vests_on_the_same_schedule(
    token: Contract<VvvToken>,
    vesting: Contract<VvvVesting>,
    treasury: Address,
    team: Address,
) {
    setup(&token, &vesting, treasury, team);
    let half = START + DURATION / 2;
    vesting.sender(team).release_at(half).motsu_unwrap();
    token
        .sender(treasury)
        .transfer(vesting.address(), vvv(1_000))
        .motsu_unwrap();
    // Half of the deposit is vested at once.
    assert_eq!(
        vesting.sender(team).releasable_at(half).motsu_unwrap(),
        vvv(500)
    );
    assert_eq!(
        vesting.sender(team).vested_amount(half).motsu_unwrap(),
        vvv(3_750_500)
    );
    assert_eq!(
        vesting.sender(team).release_at(half).motsu_unwrap(),
        vvv(500)
    );
    vesting.sender(team).release_at(END).motsu_unwrap();
    assert_eq!(balance(&token, team), total() + vvv(1_000));
    assert_eq!(vesting.sender(team).released(), total() + vvv(1_000));
}

/// `duration == 0`: a timelock that frees everything at `start`.
#[motsu::test]
fn zero_duration_is_a_timelock(
    token: Contract<VvvToken>,
    vesting: Contract<VvvVesting>,
    treasury: Address,
    team: Address,
) {
    token
        .sender(treasury)
        .constructor(treasury, vec![treasury], vec![GENESIS_SUPPLY])
        .motsu_unwrap();
    vesting
        .sender(treasury)
        .constructor(token.address(), team, START, 0)
        .motsu_unwrap();
    token
        .sender(treasury)
        .transfer(vesting.address(), total())
        .motsu_unwrap();
    assert_eq!(vesting.sender(team).end(), START);
    assert_revert!(
        vesting.sender(team).release_at(START - 1),
        Error::NothingToRelease(NothingToRelease {
            start: START,
            end: START
        })
    );
    assert_eq!(
        vesting.sender(team).release_at(START).motsu_unwrap(),
        total()
    );
}

#[motsu::test]
fn release_of_unfunded_vesting_reverts(
    token: Contract<VvvToken>,
    vesting: Contract<VvvVesting>,
    treasury: Address,
    team: Address,
) {
    token
        .sender(treasury)
        .constructor(treasury, vec![treasury], vec![GENESIS_SUPPLY])
        .motsu_unwrap();
    vesting
        .sender(treasury)
        .constructor(token.address(), team, START, DURATION)
        .motsu_unwrap();
    assert_revert!(vesting.sender(team).release_at(END), matches Error::NothingToRelease(_));
}

/// Releases at random times (any caller, some before start, some repeated) through the
/// real token pay the beneficiary exactly what has vested at each release, and exactly
/// the allocation by the end; the contract is left empty.
#[motsu::test]
fn release_sequence_pays_exactly_the_total() {
    use proptest::{
        prelude::*,
        test_runner::{Config, TestRunner},
    };
    let (treasury, team) = (Address::from_tag("treasury"), Address::from_tag("team"));
    let strategy = (
        1u128..=10u128.pow(26), // up to the whole 100M genesis
        0u64..10_000_000,
        proptest::collection::vec(0u64..(START + DURATION + 1_000 - NOW), 0..16),
    );
    let mut runner = TestRunner::new(Config {
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&strategy, |(allocation, duration, mut offsets)| {
            let allocation = U256::from(allocation);
            let token = Contract::<VvvToken>::new();
            let vesting = Contract::<VvvVesting>::new();
            token
                .sender(treasury)
                .constructor(treasury, vec![treasury], vec![GENESIS_SUPPLY])
                .motsu_unwrap();
            vesting
                .sender(treasury)
                .constructor(token.address(), team, START, duration)
                .motsu_unwrap();
            token
                .sender(treasury)
                .transfer(vesting.address(), allocation)
                .motsu_unwrap();
            offsets.sort_unstable();
            let end = START + duration;
            for t in offsets.into_iter().map(|o| NOW + o).chain([end]) {
                let vested = vesting::vested_amount(allocation, START, duration, t);
                let expected = vested - vesting.sender(team).released();
                match vesting.sender(treasury).release_at(t).motsu_res() {
                    Ok(paid) => prop_assert_eq!(paid, expected),
                    Err(Error::NothingToRelease(_)) => prop_assert_eq!(expected, U256::ZERO),
                    Err(e) => prop_assert!(false, "unexpected {:?}", e),
                }
                prop_assert_eq!(balance(&token, team), vested);
            }
            prop_assert_eq!(balance(&token, team), allocation);
            prop_assert_eq!(balance(&token, vesting.address()), U256::ZERO);
            prop_assert_eq!(vesting.sender(team).released(), allocation);
            Ok(())
        })
        .unwrap();
}

// ---------------------------------------------------------------- token failures

/// A token that reports a balance but whose `transfer` returns `false`.
#[storage]
struct FalseToken;

unsafe impl TopLevelStorage for FalseToken {}

#[public]
impl FalseToken {
    fn balance_of(&self, _account: Address) -> U256 {
        U256::from(1_000)
    }

    fn transfer(&mut self, _to: Address, _value: U256) -> bool {
        false
    }
}

#[motsu::test]
fn release_reverts_when_transfer_returns_false(
    token: Contract<FalseToken>,
    vesting: Contract<VvvVesting>,
    treasury: Address,
    team: Address,
) {
    vesting
        .sender(treasury)
        .constructor(token.address(), team, START, DURATION)
        .motsu_unwrap();
    assert_eq!(
        vesting.sender(team).releasable_at(END).motsu_unwrap(),
        U256::from(1_000)
    );
    assert_revert!(
        vesting.sender(team).release_at(END),
        Error::CallFailed(CallFailed {
            target: token.address(),
            reason: Bytes::new()
        })
    );
    // The reverted call left `released` untouched.
    assert_eq!(vesting.sender(team).released(), U256::ZERO);
}

/// A token that reports a balance but whose `transfer` reverts with its own data.
#[storage]
struct RevertingToken;

unsafe impl TopLevelStorage for RevertingToken {}

#[public]
impl RevertingToken {
    fn balance_of(&self, _account: Address) -> U256 {
        U256::from(1_000)
    }

    fn transfer(&mut self, _to: Address, _value: U256) -> Result<bool, Vec<u8>> {
        Err(b"token says no".to_vec())
    }
}

/// Issue 9, finding 7: the suite's one failed-call error keeps the callee's revert data
/// (it used to be dropped).
#[motsu::test]
fn release_keeps_the_tokens_revert_data(
    token: Contract<RevertingToken>,
    vesting: Contract<VvvVesting>,
    treasury: Address,
    team: Address,
) {
    vesting
        .sender(treasury)
        .constructor(token.address(), team, START, DURATION)
        .motsu_unwrap();
    assert_revert!(
        vesting.sender(team).release_at(END),
        Error::CallFailed(CallFailed {
            target: token.address(),
            reason: Bytes::from_static(b"token says no")
        })
    );
    assert_eq!(vesting.sender(team).released(), U256::ZERO);
}

/// Behaves like an address without code: every call succeeds and returns nothing.
#[storage]
struct NoCode;

unsafe impl TopLevelStorage for NoCode {}

#[public]
impl NoCode {
    #[fallback]
    fn fallback(&mut self, _calldata: &[u8]) -> Result<Vec<u8>, Vec<u8>> {
        Ok(Vec::new())
    }
}

/// A token address without code (motsu cannot call a bare address, so `NoCode` stands in
/// for one): the empty return data does not decode, and release and views fail cleanly.
#[motsu::test]
fn token_without_code_fails_cleanly(
    not_a_token: Contract<NoCode>,
    vesting: Contract<VvvVesting>,
    treasury: Address,
    team: Address,
) {
    vesting
        .sender(treasury)
        .constructor(not_a_token.address(), team, START, DURATION)
        .motsu_unwrap();
    assert_revert!(
        vesting.sender(team).release_at(END),
        matches Error::CallFailed(CallFailed { target, ref reason })
            if target == not_a_token.address() && reason.is_empty()
    );
    assert_revert!(vesting.sender(team).vested_amount(END), matches Error::CallFailed(_));
    assert_revert!(vesting.sender(team).releasable(), matches Error::CallFailed(_));
}

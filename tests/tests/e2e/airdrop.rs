//! The airdrop and the team vesting, deployed with the suite: claim, claimAndStake, the sweep
//! after the deadline, and a vesting release, on the real Wasm.

use alloy_primitives::U256;
use vvv_e2e::*;

fn claim(i: usize) -> IAirdrop::claimCall {
    let l = airdrop_leaves()[i];
    IAirdrop::claimCall {
        index: l.index,
        account: l.account,
        amount: l.amount,
        proof: airdrop_proof(i),
    }
}

#[test]
fn claim_claim_and_stake_then_sweep_burns_the_rest() {
    let mut s = Suite::new();
    let c = s.c;
    let leaves = airdrop_leaves();
    assert_eq!(
        s.view(c.airdrop, IAirdrop::merkleRootCall {}),
        airdrop_root()
    );
    assert_eq!(s.vvv_balance(c.airdrop), wad(50_000_000));

    // Anyone may submit a claim: the VVV goes to the account.
    let relayer = s.user();
    let call = claim(0);
    s.send(relayer, c.airdrop, call).ok();
    assert_eq!(s.vvv_balance(leaves[0].account), leaves[0].amount);
    let call = claim(0);
    let e = s
        .send(relayer, c.airdrop, call)
        .err::<IAirdrop::AlreadyClaimed>();
    assert_eq!(e.index, U256::ZERO);
    // A wrong amount does not verify.
    let mut bad = claim(2);
    bad.amount += U256::from(1);
    s.send(relayer, c.airdrop, bad)
        .err::<IAirdrop::InvalidProof>();

    // claimAndStake: only the account itself; it receives sVVV.
    let l1 = leaves[1];
    let stake = IAirdrop::claimAndStakeCall {
        index: l1.index,
        account: l1.account,
        amount: l1.amount,
        proof: airdrop_proof(1),
    };
    let e = s
        .send(relayer, c.airdrop, stake.clone())
        .err::<IAirdrop::NotClaimant>();
    assert_eq!((e.caller, e.account), (relayer, l1.account));
    s.chain.set_balance(l1.account, wad(1));
    s.send(l1.account, c.airdrop, stake).ok();
    assert_eq!(
        s.view(
            c.vault,
            IStakingVault::balanceOfCall {
                account: l1.account
            }
        ),
        l1.amount
    );
    assert_eq!(s.vvv_balance(l1.account), U256::ZERO);

    // The sweep opens at the deadline; then claims are closed and the rest is burned.
    let deadline = s.view(c.airdrop, IAirdrop::deadlineCall {});
    s.warp(deadline - 1);
    let e = s
        .send(relayer, c.airdrop, IAirdrop::sweepCall {})
        .err::<IAirdrop::ClaimWindowOpen>();
    assert_eq!(e.deadline, deadline);
    s.warp(deadline);
    let burned_before = s.view(c.vvv, IVvvToken::totalBurnedCall {});
    s.send(relayer, c.airdrop, IAirdrop::sweepCall {}).ok();
    let rest = wad(50_000_000) - leaves[0].amount - l1.amount;
    assert_eq!(
        s.view(c.vvv, IVvvToken::totalBurnedCall {}) - burned_before,
        rest,
        "the unclaimed half is burned"
    );
    assert_eq!(s.vvv_balance(c.airdrop), U256::ZERO);
    assert_eq!(s.vvv_balance(c.burn_treasury), U256::ZERO);
    let call = claim(3);
    let e = s
        .send(relayer, c.airdrop, call)
        .err::<IAirdrop::ClaimWindowClosed>();
    assert_eq!(e.deadline, deadline);
    s.check_invariants().unwrap();
}

#[test]
fn team_vesting_releases_linearly_from_launch() {
    let mut s = Suite::new();
    let c = s.c;
    assert_eq!(s.vvv_balance(c.team), wad(2_500_000), "25% at launch");
    assert_eq!(s.view(c.vesting, IVvvVesting::beneficiaryCall {}), c.team);
    let keeper = c.keeper;
    s.warp(LAUNCH - 10);
    s.send(keeper, c.vesting, IVvvVesting::releaseCall {})
        .err::<IVvvVesting::NothingToRelease>();
    // A tenth of the 730 days: a tenth of the 7.5M, paid to the team whoever calls. (Not a
    // year or more: Nitro expires programs 365 days after activation without a keepalive,
    // which the engine models, so a call would revert `ProgramExpired`.)
    s.warp(LAUNCH + VESTING_DURATION / 10);
    let paid = s.send(keeper, c.vesting, IVvvVesting::releaseCall {}).ok();
    assert_eq!(paid, wad(750_000));
    assert_eq!(s.vvv_balance(c.team), wad(2_500_000) + wad(750_000));
    s.warp(LAUNCH + VESTING_DURATION / 5);
    let paid = s.send(keeper, c.vesting, IVvvVesting::releaseCall {}).ok();
    assert_eq!(paid, wad(750_000));
    assert_eq!(
        s.view(c.vesting, IVvvVesting::releasedCall {}),
        wad(1_500_000)
    );
    s.check_invariants().unwrap();
}

//! Unit tests of the burn treasury against the real VVV token (motsu).
use alloc::vec;

use alloy_primitives::{keccak256, uint, Address, U256};
use alloy_sol_types::SolError;
use motsu::prelude::*;
use openzeppelin_stylus::token::erc20::{ERC20InsufficientAllowance, ERC20InsufficientBalance};
use proptest::prelude::*;
use vvv_access::{
    AccessControlBadConfirmation, AccessControlUnauthorizedAccount, RoleGranted, RoleRevoked,
};
use vvv_test_support::assert_revert;
use vvv_token::{VvvToken, GENESIS_SUPPLY};

use super::*;

const WAD: U256 = uint!(1_000_000_000_000_000_000_U256);
const EPOCH: u64 = 202_501;

fn vvv(n: u64) -> U256 {
    U256::from(n) * WAD
}

/// Deploys the token (all 100M to `holder`) and the treasury (admin `admin`), grants
/// `REVENUE_ROLE` to `bot` and gives it 1 000 VVV.
fn setup(
    token: &Contract<VvvToken>,
    treasury: &Contract<BurnTreasury>,
    holder: Address,
    admin: Address,
    bot: Address,
) {
    token
        .sender(holder)
        .constructor(holder, vec![holder], vec![GENESIS_SUPPLY])
        .motsu_unwrap();
    treasury
        .sender(admin)
        .constructor(token.address(), admin)
        .motsu_unwrap();
    treasury
        .sender(admin)
        .grant_role(REVENUE_ROLE, bot)
        .motsu_unwrap();
    token
        .sender(holder)
        .transfer(bot, vvv(1_000))
        .motsu_unwrap();
}

#[motsu::test]
fn revenue_role_is_keccak_of_its_name(treasury: Contract<BurnTreasury>, alice: Address) {
    assert_eq!(REVENUE_ROLE, keccak256("REVENUE_ROLE"));
    assert_eq!(treasury.sender(alice).revenue_role(), REVENUE_ROLE);
}

#[motsu::test]
fn constructor_wires_token_and_admin(
    token: Contract<VvvToken>,
    treasury: Contract<BurnTreasury>,
    deployer: Address,
    admin: Address,
) {
    treasury
        .sender(deployer)
        .constructor(token.address(), admin)
        .motsu_unwrap();
    let t = treasury.sender(deployer);
    assert_eq!(t.vvv(), token.address());
    assert!(t.has_role(AccessControl::DEFAULT_ADMIN_ROLE.into(), admin));
    assert!(!t.has_role(AccessControl::DEFAULT_ADMIN_ROLE.into(), deployer));
    assert!(!t.has_role(REVENUE_ROLE, admin));
    assert_eq!(t.get_role_admin(REVENUE_ROLE), B256::ZERO);
    assert_eq!(t.total_burned(), U256::ZERO);
    treasury.assert_emitted(&RoleGranted {
        role: AccessControl::DEFAULT_ADMIN_ROLE.into(),
        account: admin,
        sender: deployer,
    });
}

#[motsu::test]
fn constructor_rejects_zero_token(treasury: Contract<BurnTreasury>, admin: Address) {
    assert_revert!(
        treasury.sender(admin).constructor(Address::ZERO, admin),
        Error::ZeroAddress(ZeroAddress {})
    );
}

#[motsu::test]
fn constructor_rejects_zero_admin(
    token: Contract<VvvToken>,
    treasury: Contract<BurnTreasury>,
    admin: Address,
) {
    assert_revert!(
        treasury
            .sender(admin)
            .constructor(token.address(), Address::ZERO),
        Error::ZeroAddress(ZeroAddress {})
    );
}

#[motsu::test]
fn burn_revenue_pulls_burns_and_books_the_epoch(
    token: Contract<VvvToken>,
    treasury: Contract<BurnTreasury>,
    holder: Address,
    admin: Address,
    bot: Address,
) {
    setup(&token, &treasury, holder, admin, bot);
    token
        .sender(bot)
        .approve(treasury.address(), vvv(300))
        .motsu_unwrap();
    let usd = vvv(12_345);
    treasury
        .sender(bot)
        .burn_revenue(vvv(100), EPOCH, usd)
        .motsu_unwrap();
    treasury
        .sender(bot)
        .burn_revenue(vvv(50), EPOCH, usd)
        .motsu_unwrap();
    treasury
        .sender(bot)
        .burn_revenue(vvv(7), EPOCH + 1, U256::ZERO)
        .motsu_unwrap();

    let t = treasury.sender(bot);
    assert_eq!(t.total_burned(), vvv(157));
    assert_eq!(t.burned_in_epoch(EPOCH), vvv(150));
    assert_eq!(t.revenue_in_epoch(EPOCH), usd * U256::from(2));
    assert_eq!(t.burned_in_epoch(EPOCH + 1), vvv(7));
    assert_eq!(t.revenue_in_epoch(EPOCH + 1), U256::ZERO);
    assert_eq!(t.burned_in_epoch(EPOCH + 2), U256::ZERO);
    let k = token.sender(bot);
    assert_eq!(k.balance_of(bot), vvv(843));
    assert_eq!(k.balance_of(treasury.address()), U256::ZERO);
    assert_eq!(k.allowance(bot, treasury.address()), vvv(143));
    assert_eq!(k.total_burned(), vvv(157));
    assert_eq!(k.total_supply(), GENESIS_SUPPLY - vvv(157));
    treasury.assert_emitted(&RevenueBurned {
        epoch: EPOCH,
        caller: bot,
        amount: vvv(100),
        usdValue: usd,
    });
    treasury.assert_emitted(&RevenueBurned {
        epoch: EPOCH + 1,
        caller: bot,
        amount: vvv(7),
        usdValue: U256::ZERO,
    });
    // Nothing was held on top of the pulled amounts.
    assert!(!treasury.emitted(&BalanceBurned {
        caller: bot,
        amount: vvv(100),
    }));
}

#[motsu::test]
fn burn_revenue_requires_the_revenue_role(
    token: Contract<VvvToken>,
    treasury: Contract<BurnTreasury>,
    holder: Address,
    admin: Address,
    bot: Address,
) {
    setup(&token, &treasury, holder, admin, bot);
    token
        .sender(holder)
        .approve(treasury.address(), vvv(1))
        .motsu_unwrap();
    // Neither a holder nor the admin (who only manages roles) may book revenue.
    for caller in [holder, admin] {
        assert_revert!(
            treasury
                .sender(caller)
                .burn_revenue(vvv(1), EPOCH, U256::ZERO),
            Error::UnauthorizedAccount(AccessControlUnauthorizedAccount {
                account: caller,
                neededRole: REVENUE_ROLE
            })
        );
    }
    assert_eq!(treasury.sender(holder).total_burned(), U256::ZERO);
}

#[motsu::test]
fn burn_revenue_rejects_zero_amount(
    token: Contract<VvvToken>,
    treasury: Contract<BurnTreasury>,
    holder: Address,
    admin: Address,
    bot: Address,
) {
    setup(&token, &treasury, holder, admin, bot);
    assert_revert!(
        treasury.sender(bot).burn_revenue(U256::ZERO, EPOCH, vvv(1)),
        Error::ZeroAmount(ZeroAmount {})
    );
    assert_eq!(treasury.sender(bot).revenue_in_epoch(EPOCH), U256::ZERO);
}

#[motsu::test]
fn burn_revenue_without_allowance_forwards_the_token_error(
    token: Contract<VvvToken>,
    treasury: Contract<BurnTreasury>,
    holder: Address,
    admin: Address,
    bot: Address,
) {
    setup(&token, &treasury, holder, admin, bot);
    token
        .sender(bot)
        .approve(treasury.address(), vvv(5))
        .motsu_unwrap();
    let reason = ERC20InsufficientAllowance {
        spender: treasury.address(),
        allowance: vvv(5),
        needed: vvv(6),
    }
    .abi_encode();
    assert_revert!(
        treasury.sender(bot).burn_revenue(vvv(6), EPOCH, vvv(1)),
        Error::CallFailed(CallFailed {
            target: token.address(),
            reason: reason.into(),
        })
    );
    // The whole transaction reverted: the ledger is untouched.
    assert_eq!(treasury.sender(bot).burned_in_epoch(EPOCH), U256::ZERO);
    assert_eq!(treasury.sender(bot).revenue_in_epoch(EPOCH), U256::ZERO);
    assert_eq!(token.sender(bot).balance_of(bot), vvv(1_000));
}

#[motsu::test]
fn burn_revenue_beyond_balance_forwards_the_token_error(
    token: Contract<VvvToken>,
    treasury: Contract<BurnTreasury>,
    holder: Address,
    admin: Address,
    bot: Address,
) {
    setup(&token, &treasury, holder, admin, bot);
    token
        .sender(bot)
        .approve(treasury.address(), U256::MAX)
        .motsu_unwrap();
    let reason = ERC20InsufficientBalance {
        sender: bot,
        balance: vvv(1_000),
        needed: vvv(1_001),
    }
    .abi_encode();
    assert_revert!(
        treasury.sender(bot).burn_revenue(vvv(1_001), EPOCH, vvv(1)),
        Error::CallFailed(CallFailed {
            target: token.address(),
            reason: reason.into(),
        })
    );
    assert_eq!(treasury.sender(bot).total_burned(), U256::ZERO);
}

#[motsu::test]
fn burn_revenue_rejects_revenue_overflow(
    token: Contract<VvvToken>,
    treasury: Contract<BurnTreasury>,
    holder: Address,
    admin: Address,
    bot: Address,
) {
    setup(&token, &treasury, holder, admin, bot);
    token
        .sender(bot)
        .approve(treasury.address(), U256::MAX)
        .motsu_unwrap();
    treasury
        .sender(bot)
        .burn_revenue(vvv(1), EPOCH, U256::MAX)
        .motsu_unwrap();
    assert_revert!(
        treasury
            .sender(bot)
            .burn_revenue(vvv(1), EPOCH, U256::from(1)),
        Error::ArithmeticOverflow(ArithmeticOverflow {})
    );
    let t = treasury.sender(bot);
    assert_eq!(t.revenue_in_epoch(EPOCH), U256::MAX);
    assert_eq!(t.burned_in_epoch(EPOCH), vvv(1));
    assert_eq!(t.total_burned(), vvv(1));
}

#[motsu::test]
fn burn_revenue_also_burns_vvv_sent_directly(
    token: Contract<VvvToken>,
    treasury: Contract<BurnTreasury>,
    holder: Address,
    admin: Address,
    bot: Address,
) {
    setup(&token, &treasury, holder, admin, bot);
    token
        .sender(holder)
        .transfer(treasury.address(), vvv(3))
        .motsu_unwrap();
    token
        .sender(bot)
        .approve(treasury.address(), vvv(10))
        .motsu_unwrap();
    treasury
        .sender(bot)
        .burn_revenue(vvv(10), EPOCH, vvv(20))
        .motsu_unwrap();
    let t = treasury.sender(bot);
    assert_eq!(t.total_burned(), vvv(13));
    // Only the pulled amount is revenue of the epoch.
    assert_eq!(t.burned_in_epoch(EPOCH), vvv(10));
    assert_eq!(token.sender(bot).balance_of(treasury.address()), U256::ZERO);
    assert_eq!(token.sender(bot).total_burned(), vvv(13));
    treasury.assert_emitted(&BalanceBurned {
        caller: bot,
        amount: vvv(3),
    });
    treasury.assert_emitted(&RevenueBurned {
        epoch: EPOCH,
        caller: bot,
        amount: vvv(10),
        usdValue: vvv(20),
    });
}

#[motsu::test]
fn burn_lets_anyone_burn_their_own_vvv(
    token: Contract<VvvToken>,
    treasury: Contract<BurnTreasury>,
    holder: Address,
    admin: Address,
    bot: Address,
    alice: Address,
) {
    setup(&token, &treasury, holder, admin, bot);
    token.sender(holder).transfer(alice, vvv(10)).motsu_unwrap();
    token
        .sender(alice)
        .approve(treasury.address(), vvv(4))
        .motsu_unwrap();
    treasury.sender(alice).burn(vvv(4)).motsu_unwrap();
    assert_eq!(token.sender(alice).balance_of(alice), vvv(6));
    assert_eq!(
        token.sender(alice).balance_of(treasury.address()),
        U256::ZERO
    );
    assert_eq!(token.sender(alice).total_burned(), vvv(4));
    assert_eq!(treasury.sender(alice).total_burned(), vvv(4));
    // Not revenue: no epoch is booked.
    assert_eq!(treasury.sender(alice).burned_in_epoch(0), U256::ZERO);
    treasury.assert_emitted(&Burned {
        burner: alice,
        amount: vvv(4),
    });
}

#[motsu::test]
fn burn_rejects_zero_amount(
    token: Contract<VvvToken>,
    treasury: Contract<BurnTreasury>,
    holder: Address,
    admin: Address,
    bot: Address,
) {
    setup(&token, &treasury, holder, admin, bot);
    assert_revert!(
        treasury.sender(holder).burn(U256::ZERO),
        Error::ZeroAmount(ZeroAmount {})
    );
}

#[motsu::test]
fn burn_without_allowance_forwards_the_token_error(
    token: Contract<VvvToken>,
    treasury: Contract<BurnTreasury>,
    holder: Address,
    admin: Address,
    bot: Address,
    alice: Address,
) {
    setup(&token, &treasury, holder, admin, bot);
    token.sender(holder).transfer(alice, vvv(10)).motsu_unwrap();
    let reason = ERC20InsufficientAllowance {
        spender: treasury.address(),
        allowance: U256::ZERO,
        needed: vvv(1),
    }
    .abi_encode();
    assert_revert!(
        treasury.sender(alice).burn(vvv(1)),
        Error::CallFailed(CallFailed {
            target: token.address(),
            reason: reason.into(),
        })
    );
    assert_eq!(token.sender(alice).balance_of(alice), vvv(10));
}

#[motsu::test]
fn burn_beyond_balance_forwards_the_token_error(
    token: Contract<VvvToken>,
    treasury: Contract<BurnTreasury>,
    holder: Address,
    admin: Address,
    bot: Address,
    alice: Address,
) {
    setup(&token, &treasury, holder, admin, bot);
    token.sender(holder).transfer(alice, vvv(10)).motsu_unwrap();
    token
        .sender(alice)
        .approve(treasury.address(), vvv(11))
        .motsu_unwrap();
    let reason = ERC20InsufficientBalance {
        sender: alice,
        balance: vvv(10),
        needed: vvv(11),
    }
    .abi_encode();
    assert_revert!(
        treasury.sender(alice).burn(vvv(11)),
        Error::CallFailed(CallFailed {
            target: token.address(),
            reason: reason.into(),
        })
    );
    assert_eq!(treasury.sender(alice).total_burned(), U256::ZERO);
}

#[motsu::test]
fn burn_balance_burns_what_was_sent_directly(
    token: Contract<VvvToken>,
    treasury: Contract<BurnTreasury>,
    holder: Address,
    admin: Address,
    bot: Address,
    keeper: Address,
) {
    setup(&token, &treasury, holder, admin, bot);
    token
        .sender(holder)
        .transfer(treasury.address(), vvv(42))
        .motsu_unwrap();
    let burned = treasury.sender(keeper).burn_balance().motsu_unwrap();
    assert_eq!(burned, vvv(42));
    assert_eq!(
        token.sender(keeper).balance_of(treasury.address()),
        U256::ZERO
    );
    assert_eq!(token.sender(keeper).total_burned(), vvv(42));
    assert_eq!(treasury.sender(keeper).total_burned(), vvv(42));
    treasury.assert_emitted(&BalanceBurned {
        caller: keeper,
        amount: vvv(42),
    });
}

#[motsu::test]
fn burn_balance_with_nothing_held_is_a_no_op(
    token: Contract<VvvToken>,
    treasury: Contract<BurnTreasury>,
    holder: Address,
    admin: Address,
    bot: Address,
    keeper: Address,
) {
    setup(&token, &treasury, holder, admin, bot);
    let events = treasury.all_events().len();
    let burned = treasury.sender(keeper).burn_balance().motsu_unwrap();
    assert_eq!(burned, U256::ZERO);
    assert_eq!(treasury.all_events().len(), events);
    assert_eq!(treasury.sender(keeper).total_burned(), U256::ZERO);
}

#[motsu::test]
fn admin_grants_and_revokes_the_revenue_role(
    token: Contract<VvvToken>,
    treasury: Contract<BurnTreasury>,
    holder: Address,
    admin: Address,
    bot: Address,
    alice: Address,
) {
    setup(&token, &treasury, holder, admin, bot);
    assert!(treasury.sender(alice).has_role(REVENUE_ROLE, bot));
    // Not the admin: cannot grant or revoke.
    assert_revert!(
        treasury.sender(alice).grant_role(REVENUE_ROLE, alice),
        matches Error::UnauthorizedAccount(
            AccessControlUnauthorizedAccount { .. }
        )
    );
    assert_revert!(
        treasury.sender(bot).revoke_role(REVENUE_ROLE, bot),
        matches Error::UnauthorizedAccount(
            AccessControlUnauthorizedAccount { .. }
        )
    );
    assert!(!treasury.sender(alice).has_role(REVENUE_ROLE, alice));
    treasury
        .sender(admin)
        .revoke_role(REVENUE_ROLE, bot)
        .motsu_unwrap();
    treasury.assert_emitted(&RoleRevoked {
        role: REVENUE_ROLE,
        account: bot,
        sender: admin,
    });
    assert_revert!(
        treasury.sender(bot).burn_revenue(vvv(1), EPOCH, U256::ZERO),
        matches Error::UnauthorizedAccount(_)
    );
}

#[motsu::test]
fn renounce_role_needs_the_callers_own_address(
    token: Contract<VvvToken>,
    treasury: Contract<BurnTreasury>,
    holder: Address,
    admin: Address,
    bot: Address,
) {
    setup(&token, &treasury, holder, admin, bot);
    assert_revert!(
        treasury.sender(admin).renounce_role(REVENUE_ROLE, bot),
        Error::BadConfirmation(AccessControlBadConfirmation {})
    );
    treasury
        .sender(bot)
        .renounce_role(REVENUE_ROLE, bot)
        .motsu_unwrap();
    assert!(!treasury.sender(bot).has_role(REVENUE_ROLE, bot));
}

/// One step of the ledger property.
#[derive(Debug, Clone)]
enum Action {
    Revenue { amount: u64, epoch: u64, usd: u64 },
    Burn { amount: u64 },
    Send { amount: u64 },
    BurnBalance,
}

fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        (0u64..50, 0u64..3, 0u64..1_000).prop_map(|(amount, epoch, usd)| Action::Revenue {
            amount,
            epoch,
            usd
        }),
        (0u64..50).prop_map(|amount| Action::Burn { amount }),
        (0u64..50).prop_map(|amount| Action::Send { amount }),
        Just(Action::BurnBalance),
    ]
}

/// INV-1 through the treasury: after every treasury call its VVV balance is zero, its
/// `totalBurned` equals the token's (nobody else burns here) and the sum of the event amounts,
/// `totalSupply == 100M − totalBurned`, and each epoch's ledger equals its revenue burns.
#[motsu::test]
fn inv1_treasury_ledger_matches_supply(
    token: Contract<VvvToken>,
    treasury: Contract<BurnTreasury>,
    holder: Address,
    admin: Address,
    bot: Address,
) {
    setup(&token, &treasury, holder, admin, bot);
    token
        .sender(bot)
        .approve(treasury.address(), U256::MAX)
        .motsu_unwrap();
    token
        .sender(holder)
        .approve(treasury.address(), U256::MAX)
        .motsu_unwrap();
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig::default());
    runner
        .run(&proptest::collection::vec(action(), 1..12), |actions| {
            let mut epochs = [U256::ZERO; 3];
            let mut revenue = [U256::ZERO; 3];
            let start_burned = treasury.sender(bot).total_burned();
            let start_epochs: Vec<U256> = (0..3)
                .map(|e| treasury.sender(bot).burned_in_epoch(e))
                .collect();
            let start_revenue: Vec<U256> = (0..3)
                .map(|e| treasury.sender(bot).revenue_in_epoch(e))
                .collect();
            let mut expected = start_burned;
            let mut pending = U256::ZERO;
            for a in actions {
                let treasury_call = match a {
                    Action::Revenue { amount, epoch, usd } => {
                        let (amount, usd) = (U256::from(amount), U256::from(usd));
                        let res = treasury
                            .sender(bot)
                            .burn_revenue(amount, epoch, usd)
                            .motsu_res();
                        if amount.is_zero() {
                            prop_assert!(matches!(res, Err(Error::ZeroAmount(_))));
                        } else {
                            prop_assert!(res.is_ok());
                            epochs[epoch as usize] += amount;
                            revenue[epoch as usize] += usd;
                            expected += amount + pending;
                            pending = U256::ZERO;
                        }
                        // A reverted call changed nothing: what was sent stays pending.
                        !amount.is_zero()
                    }
                    Action::Burn { amount } => {
                        let amount = U256::from(amount);
                        let res = treasury.sender(holder).burn(amount).motsu_res();
                        if amount.is_zero() {
                            prop_assert!(matches!(res, Err(Error::ZeroAmount(_))));
                        } else {
                            prop_assert!(res.is_ok());
                            expected += amount + pending;
                            pending = U256::ZERO;
                        }
                        !amount.is_zero()
                    }
                    Action::Send { amount } => {
                        let amount = U256::from(amount);
                        token
                            .sender(holder)
                            .transfer(treasury.address(), amount)
                            .motsu_unwrap();
                        pending += amount;
                        false
                    }
                    Action::BurnBalance => {
                        let burned = treasury.sender(holder).burn_balance().motsu_unwrap();
                        prop_assert_eq!(burned, pending);
                        expected += pending;
                        pending = U256::ZERO;
                        true
                    }
                };
                let held = token.sender(bot).balance_of(treasury.address());
                if treasury_call {
                    prop_assert_eq!(held, U256::ZERO);
                } else {
                    prop_assert_eq!(held, pending);
                }
                let burned = treasury.sender(bot).total_burned();
                prop_assert_eq!(burned, expected);
                prop_assert_eq!(token.sender(bot).total_burned(), burned);
                prop_assert_eq!(token.sender(bot).total_supply(), GENESIS_SUPPLY - burned);
            }
            for e in 0..3u64 {
                let i = e as usize;
                prop_assert_eq!(
                    treasury.sender(bot).burned_in_epoch(e),
                    start_epochs[i] + epochs[i]
                );
                prop_assert_eq!(
                    treasury.sender(bot).revenue_in_epoch(e),
                    start_revenue[i] + revenue[i]
                );
            }
            // Leave nothing pending for the next case.
            treasury.sender(holder).burn_balance().motsu_unwrap();
            Ok(())
        })
        .unwrap();
}

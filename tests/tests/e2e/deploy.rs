//! Deployment and wiring of the whole suite, as a deployer does it, on the real Wasm.

use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::{SolCall, SolError, SolValue};
use vvv_devnet_engine::{arbos, deployment_init_code, CallRequest};
use vvv_e2e::*;

#[test]
fn suite_deploys_and_wires() {
    let mut s = Suite::new();
    let c = s.c;
    println!("deployment (signed transactions of the deployer's key), gas:");
    for (step, gas) in &Suite::deploy_report().steps {
        println!("  {step:<46} {gas:>10}");
    }

    // VVV: genesis exactly as configured, minter = controller.
    assert_eq!(
        s.view(c.vvv, IVvvToken::totalSupplyCall {}),
        genesis_supply()
    );
    for (holder, amount) in genesis_holdings(&c) {
        assert_eq!(s.vvv_balance(holder), amount);
    }
    assert_eq!(s.view(c.vvv, IVvvToken::minterCall {}), c.controller);
    assert_eq!(s.view(c.vvv, IVvvToken::totalMintedCall {}), U256::ZERO);

    // Vault.
    assert_eq!(s.view(c.vault, IStakingVault::vvvCall {}), c.vvv);
    assert_eq!(
        s.view(c.vault, IStakingVault::rewardsDistributorCall {}),
        c.controller
    );
    assert_eq!(s.view(c.vault, IStakingVault::lockerCall {}), c.minter);
    // Fully wired: the deployer is cleared, nothing is left to wire.
    assert_eq!(
        s.view(c.vault, IStakingVault::deployerCall {}),
        Address::ZERO
    );
    assert_eq!(s.view(c.vault, IStakingVault::cooldownCall {}), WEEK);
    assert_eq!(s.view(c.vault, IStakingVault::rewardsDurationCall {}), WEEK);

    // Controller.
    assert_eq!(
        s.view(c.controller, IEmissionController::tokenCall {}),
        c.vvv
    );
    assert_eq!(
        s.view(c.controller, IEmissionController::vaultCall {}),
        c.vault
    );
    assert_eq!(
        s.view(c.controller, IEmissionController::treasuryCall {}),
        c.treasury
    );
    assert_eq!(
        s.view(c.controller, IEmissionController::annualEmissionCall {}),
        wad(ANNUAL_EMISSION_VVV)
    );
    assert_eq!(
        s.view(c.controller, IEmissionController::lastDistributionCall {}),
        LAUNCH
    );

    // Burn treasury, DIEM, minter.
    assert_eq!(s.view(c.burn_treasury, IBurnTreasury::vvvCall {}), c.vvv);
    assert_eq!(s.view(c.diem, IDiemToken::minterCall {}), c.minter);
    assert_eq!(s.view(c.minter, IDiemMinter::vaultCall {}), c.vault);
    assert_eq!(s.view(c.minter, IDiemMinter::diemCall {}), c.diem);
    assert_eq!(
        s.view(c.minter, IDiemMinter::curveCall {}),
        IDiemMinter::curveReturn {
            _0: wad(90),
            _1: wad(38_000)
        }
    );
    assert_eq!(
        s.view(c.minter, IDiemMinter::minBaseCall {}),
        wad(DIEM_MIN_BASE_VVV)
    );
    let queued = s.view(c.minter, IDiemMinter::queuedCurveCall {});
    assert_eq!(
        (queued._0, queued._1, queued._2),
        (U256::ZERO, U256::ZERO, 0)
    );

    // The admin holds DEFAULT_ADMIN_ROLE where the constructor granted it; the deployer not.
    for target in [c.controller, c.burn_treasury] {
        let has = |s: &mut Suite, account| {
            s.view(
                target,
                IEmissionController::hasRoleCall {
                    role: B256::ZERO,
                    account,
                },
            )
        };
        assert!(has(&mut s, c.admin));
        assert!(!has(&mut s, c.deployer));
    }

    // Wiring is once: a second attempt, even by the deployer, reverts.
    let other = addr("someone else");
    let e = s
        .send(
            c.deployer,
            c.vvv,
            IVvvToken::setMinterCall { minter: other },
        )
        .err::<IVvvToken::AlreadyWired>();
    assert_eq!(
        (e.link, e.current),
        (B256::right_padding_from(b"MINTER"), c.controller)
    );
    let e = s
        .send(
            c.deployer,
            c.vault,
            IStakingVault::setLockerCall { locker: other },
        )
        .err::<IStakingVault::AlreadyWired>();
    assert_eq!(
        (e.link, e.current),
        (B256::right_padding_from(b"LOCKER"), c.minter)
    );
    let e = s
        .send(
            c.deployer,
            c.vault,
            IStakingVault::setRewardsDistributorCall { distributor: other },
        )
        .err::<IStakingVault::AlreadyWired>();
    assert_eq!(
        (e.link, e.current),
        (
            B256::right_padding_from(b"REWARDS_DISTRIBUTOR"),
            c.controller
        )
    );
    let e = s
        .send(
            c.deployer,
            c.diem,
            IDiemToken::setMinterCall { minter: other },
        )
        .err::<IDiemToken::AlreadyWired>();
    assert_eq!(
        (e.link, e.current),
        (B256::right_padding_from(b"MINTER"), c.minter)
    );
    // Nobody but the controller mints VVV.
    let e = s
        .send(
            c.deployer,
            c.vvv,
            IVvvToken::mintCall {
                to: c.deployer,
                amount: wad(1),
            },
        )
        .err::<IVvvToken::UnauthorizedCaller>();
    assert_eq!(
        (e.link, e.caller),
        (B256::right_padding_from(b"MINTER"), c.deployer)
    );
    s.check_invariants().unwrap();

    // Issue 12: every program starts with one 64 KiB page of memory (a 32 KiB stack and its data;
    // 17 with Rust's default 1 MiB stack), within the 2 pages of a transaction Nitro does not
    // charge for.
    for (name, program) in [
        ("VVV", c.vvv),
        ("vault", c.vault),
        ("controller", c.controller),
        ("burn treasury", c.burn_treasury),
        ("DIEM", c.diem),
        ("DIEM minter", c.minter),
        ("airdrop", c.airdrop),
        ("vesting", c.vesting),
    ] {
        let pages = s.view(
            arbos::ARB_WASM,
            arbos::IArbWasm::programMemoryFootprintCall { program },
        );
        assert_eq!(pages, 1, "{name}: ArbWasm.programMemoryFootprint");
    }
}

/// Sends `deploy(code, constructor(params))` to the StylusDeployer from `from`.
fn stylus_deploy(
    s: &mut Suite,
    from: Address,
    name: &str,
    params: &[u8],
    salt: u8,
) -> vvv_devnet_engine::Receipt {
    s.chain
        .send_unsigned(&CallRequest {
            from,
            to: Some(arbos::STYLUS_DEPLOYER),
            // Every program of the suite is already active (same code hash): no data fee.
            value: U256::ZERO,
            data: arbos::IStylusDeployer::deployCall {
                bytecode: deployment_init_code(&contract_code(name)).into(),
                initData: constructor_data(params).into(),
                initValue: U256::ZERO,
                salt: B256::repeat_byte(salt),
            }
            .abi_encode()
            .into(),
            ..Default::default()
        })
        .expect("included")
}

/// The constructor's error, unwrapped from the StylusDeployer's `ContractInitializationError`.
fn init_error<E: SolError>(r: &vvv_devnet_engine::Receipt) -> E {
    assert!(!r.status, "deployment should revert");
    let outer = arbos::IStylusDeployer::ContractInitializationError::abi_decode(&r.output)
        .expect("ContractInitializationError");
    E::abi_decode(&outer.data).unwrap_or_else(|_| {
        panic!(
            "constructor reverted with {}, expected {}",
            describe_revert(&outer.data),
            E::SIGNATURE
        )
    })
}

#[test]
fn constructors_reject_bad_deploy_configs() {
    let mut s = Suite::new();
    let (c, who) = (s.c, s.c.deployer);

    // VVV: the genesis amounts must sum to exactly 100M.
    let short = wad(GENESIS_SUPPLY_VVV) - U256::from(1);
    let r = stylus_deploy(
        &mut s,
        who,
        "vvv-token",
        &(who, vec![who], vec![short]).abi_encode_params(),
        1,
    );
    let e = init_error::<IVvvToken::GenesisSupplyMismatch>(&r);
    assert_eq!((e.total, e.expected), (short, genesis_supply()));
    let r = stylus_deploy(
        &mut s,
        who,
        "vvv-token",
        &(who, vec![who, who], vec![genesis_supply()]).abi_encode_params(),
        2,
    );
    let e = init_error::<IVvvToken::GenesisLengthMismatch>(&r);
    assert_eq!((e.recipients, e.amounts), (U256::from(2), U256::from(1)));
    // VVV and DIEM: the wiring account may not be zero.
    let r = stylus_deploy(
        &mut s,
        who,
        "vvv-token",
        &(Address::ZERO, vec![who], vec![genesis_supply()]).abi_encode_params(),
        5,
    );
    init_error::<IVvvToken::InvalidDeployer>(&r);
    let r = stylus_deploy(
        &mut s,
        who,
        "diem-token",
        &(Address::ZERO,).abi_encode_params(),
        6,
    );
    init_error::<IDiemToken::InvalidDeployer>(&r);

    // Controller: the start time may not be in the past, nor the rate above 14M a year.
    let now = s.chain.next_timestamp();
    let params = |rate: U256, start: u64| {
        (c.vvv, c.vault, c.treasury, c.admin, rate, start).abi_encode_params()
    };
    let r = stylus_deploy(
        &mut s,
        who,
        "emission-controller",
        &params(wad(1), now - 1),
        3,
    );
    let e = init_error::<IEmissionController::StartTimeInPast>(&r);
    assert_eq!((e.startTime, e.now), (now - 1, now));
    let start = s.chain.next_timestamp();
    let r = stylus_deploy(
        &mut s,
        who,
        "emission-controller",
        &params(wad(14_000_001), start),
        4,
    );
    let e = init_error::<IEmissionController::EmissionIncreaseForbidden>(&r);
    assert_eq!((e.current, e.requested), (wad(14_000_000), wad(14_000_001)));
}

/// Through the StylusDeployer — the atomic path `cargo stylus deploy` uses for `#[constructor]`
/// contracts — the constructor's `msg.sender` is the StylusDeployer contract. VVV, the vault
/// and DIEM therefore take the one account that may wire them as a constructor argument
/// (`audits/DESIGN-NOTES.md` D-1): the deployer named there wires them (`VVV.setMinter`,
/// `vault.setRewardsDistributor`, `vault.setLocker`, `DIEM.setMinter`), and the vault records
/// it, not the StylusDeployer. Wiring is checked against the counterpart's own links, so a
/// second suite is deployed (VVV, vault, controller, DIEM, minter, all built for each other);
/// wiring it to the first suite's controller or minter reverts `WiringMismatch`, and staking
/// waits for the wiring (`NotWired`).
#[test]
fn deploy_through_stylus_deployer_keeps_wiring_possible() {
    let mut s = Suite::new();
    let (c, eoa) = (s.c, s.c.deployer);
    let mut failures = Vec::new();
    let deploy = |s: &mut Suite, name: &str, params: Vec<u8>, salt: u8| {
        let r = stylus_deploy(s, eoa, name, &params, salt);
        assert!(r.status, "{name}: {}", describe_revert(&r.output));
        deployed_address(&r)
    };
    let mut wire = |what: &str, r: &vvv_devnet_engine::Receipt| {
        if !r.status {
            failures.push(format!("{what}: {}", describe_revert(&r.output)));
        }
    };

    let (recipients, amounts): (Vec<_>, Vec<_>) =
        genesis_allocation(c.funder, c.deployer).into_iter().unzip();
    let vvv = deploy(
        &mut s,
        "vvv-token",
        (eoa, recipients, amounts).abi_encode_params(),
        9,
    );
    let vault = deploy(
        &mut s,
        "staking-vault",
        (vvv, c.admin, eoa).abi_encode_params(),
        10,
    );
    let recorded = s.view(vault, IStakingVault::deployerCall {});
    assert_eq!(
        recorded, eoa,
        "vault.deployer() is the constructor argument"
    );
    let start = s.chain.next_timestamp() + DAY;
    let controller = deploy(
        &mut s,
        "emission-controller",
        (vvv, vault, c.treasury, c.admin, wad(1_000_000), start).abi_encode_params(),
        11,
    );
    let diem = deploy(&mut s, "diem-token", (eoa,).abi_encode_params(), 12);
    let minter = deploy(
        &mut s,
        "diem-minter",
        (vault, diem, c.admin, wad(DIEM_MIN_BASE_VVV)).abi_encode_params(),
        13,
    );

    // The first suite's counterparts are not built for these contracts.
    let e = s
        .send(
            eoa,
            vvv,
            IVvvToken::setMinterCall {
                minter: c.controller,
            },
        )
        .err::<IVvvToken::WiringMismatch>();
    assert_eq!(
        (e.counterpart, e.expected, e.actual),
        (c.controller, vvv, c.vvv)
    );
    let e = s
        .send(
            eoa,
            vault,
            IStakingVault::setLockerCall { locker: c.minter },
        )
        .err::<IStakingVault::WiringMismatch>();
    assert_eq!(
        (e.counterpart, e.expected, e.actual),
        (c.minter, vault, c.vault)
    );
    let e = s
        .send(
            eoa,
            vault,
            IStakingVault::setRewardsDistributorCall {
                distributor: c.controller,
            },
        )
        .err::<IStakingVault::WiringMismatch>();
    assert_eq!(
        (e.counterpart, e.expected, e.actual),
        (c.controller, vault, c.vault)
    );
    let e = s
        .send(eoa, diem, IDiemToken::setMinterCall { minter: c.minter })
        .err::<IDiemToken::WiringMismatch>();
    assert_eq!(
        (e.counterpart, e.expected, e.actual),
        (c.minter, diem, c.diem)
    );

    // Its own counterparts are.
    let tx = s.send(eoa, vvv, IVvvToken::setMinterCall { minter: controller });
    wire("VVV.setMinter", &tx.receipt);
    let tx = s.send(
        eoa,
        vault,
        IStakingVault::setRewardsDistributorCall {
            distributor: controller,
        },
    );
    wire("vault.setRewardsDistributor", &tx.receipt);
    // Half wired: staking waits (the deployer holds 60M of this VVV).
    s.send(
        eoa,
        vvv,
        IVvvToken::approveCall {
            spender: vault,
            value: U256::MAX,
        },
    )
    .ok();
    s.send(eoa, vault, IStakingVault::stakeCall { amount: wad(1) })
        .err::<IStakingVault::NotWired>();
    let tx = s.send(eoa, vault, IStakingVault::setLockerCall { locker: minter });
    wire(
        &format!("vault.setLocker (vault.deployer() = {recorded})"),
        &tx.receipt,
    );
    // The DIEM minter waits for DIEM's wiring too.
    s.send(eoa, vault, IStakingVault::stakeCall { amount: wad(1_000) })
        .ok();
    s.send(
        eoa,
        minter,
        IDiemMinter::mintCall {
            amount: wad(1),
            maxCost: U256::MAX,
        },
    )
    .err::<IDiemMinter::NotWired>();
    let tx = s.send(eoa, diem, IDiemToken::setMinterCall { minter });
    wire("DIEM.setMinter", &tx.receipt);

    assert!(
        failures.is_empty(),
        "deployed through the StylusDeployer ({}), the deployer {eoa} cannot wire:\n  {}",
        arbos::STYLUS_DEPLOYER,
        failures.join("\n  ")
    );
    s.send(
        eoa,
        minter,
        IDiemMinter::mintCall {
            amount: wad(1),
            maxCost: U256::MAX,
        },
    )
    .ok();
}

/// The vault's Wasm program dispatches its ABI with the hand router of
/// `contracts/staking-vault/src/router.rs` (code size). On the chain it answers a canonical call
/// and reverts with empty data, as stylus-sdk's generated router does, on: value sent with any
/// call, calldata shorter than a selector, an unknown selector, parameters cut short or followed
/// by extra bytes, an address with high bits set, a `uint64` above 2^64 − 1, and a second
/// constructor call. (`hand_router_matches_the_generated_one` compares the two routers call by
/// call under motsu.)
#[test]
fn vault_program_rejects_value_and_malformed_calldata() {
    let mut s = Suite::new();
    let (vault, admin) = (s.c.vault, s.c.admin);
    let user = s.user();
    let mut call = |from: Address, value: u64, data: Vec<u8>| {
        s.chain
            .call(&CallRequest {
                from,
                to: Some(vault),
                value: U256::from(value),
                data: data.into(),
                ..Default::default()
            })
            .expect("call")
    };

    let balance_of = IStakingVault::balanceOfCall { account: user }.abi_encode();
    let answer = call(user, 0, balance_of.clone());
    assert!(answer.success, "{}", describe_revert(&answer.output));
    assert_eq!(U256::abi_decode(&answer.output).unwrap(), U256::ZERO);
    let name = call(user, 0, IStakingVault::nameCall {}.abi_encode());
    assert!(name.success);
    assert_eq!(String::abi_decode(&name.output).unwrap(), "Staked VVV");

    let mut dirty_address = balance_of.clone();
    dirty_address[4] = 1;
    let mut extended = balance_of.clone();
    extended.push(0);
    let mut unknown = balance_of.clone();
    unknown[..4].copy_from_slice(&[0xde, 0xad, 0xbe, 0xef]);
    let cooldown_too_wide = IStakingVault::setCooldownCall { duration: 0 }
        .abi_encode()
        .iter()
        .enumerate()
        .map(|(i, byte)| if i == 4 + 23 { 1 } else { *byte })
        .collect();
    let second_constructor = constructor_data(&(s.c.vvv, admin, admin).abi_encode_params());
    let malformed: [(&str, Address, u64, Vec<u8>); 9] = [
        ("a view with value", user, 1, balance_of.clone()),
        (
            "stake with value",
            user,
            1,
            IStakingVault::stakeCall { amount: wad(1) }.abi_encode(),
        ),
        ("empty calldata", user, 0, vec![]),
        ("3-byte calldata", user, 0, balance_of[..3].to_vec()),
        ("parameters cut short", user, 0, balance_of[..35].to_vec()),
        ("a trailing byte", user, 0, extended),
        ("an unknown selector", user, 0, unknown),
        ("an address with high bits", user, 0, dirty_address),
        ("a uint64 above 2^64 - 1", admin, 0, cooldown_too_wide),
    ];
    for (what, from, value, data) in malformed {
        let answer = call(from, value, data);
        assert!(
            !answer.success && answer.reverted && answer.output.is_empty(),
            "{what}: success {}, output 0x{}",
            answer.success,
            alloy_primitives::hex::encode(&answer.output)
        );
    }
    let answer = call(admin, 0, second_constructor);
    assert!(
        !answer.success && answer.output.is_empty(),
        "a second constructor call"
    );
}

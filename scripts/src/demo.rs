//! `vvv demo`: the whole economy on a devnet, through JSON-RPC only.
//!
//! Deploys with `deploy/devnet.toml` through [`crate::deploy::deploy`] (the code path of `vvv
//! deploy`), then with time travel (`evm_setNextBlockTimestamp`): airdrop claims by 150 of the
//! 200 accounts of `deploy/devnet-airdrop.csv` (50 of them `claimAndStake`) and stakes; the
//! platform's 10,000-DIEM launch mint; 30 days of `distribute()` with utilization reports moving
//! the split and a scheduled emission cut on day 15; a user's DIEM mint and burn; credit staking
//! across a UTC day boundary; an unstake refused before the cooldown and paid after; the
//! monthly buy-and-burn; the sweep of the unclaimed airdrop after its deadline; a team vesting
//! release. Tables at each stage; INV-1, INV-2, INV-5 and INV-6 checked on chain at the end.

use std::{
    collections::BTreeMap,
    path::{Path, PathBuf},
    time::Instant,
};

use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::{SolCall, SolEvent};

use crate::{
    bindings::*,
    config::{wad, Config, DAY, WAD},
    deploy::{self, Suite},
    devnet::{Devnet, DEV_KEY},
    merkle::Tree,
    rpc::{Key, Receipt, Rpc, Signer},
};

pub struct DemoOptions {
    pub root: PathBuf,
    pub rpc_url: Option<String>,
    pub plot: Option<PathBuf>,
    /// `vvv gas`: print only the gas table.
    pub gas_only: bool,
}

/// Accounts of the demo's airdrop CSV: `keccak256("vvv-demo user <i>")`.
pub const DEMO_USERS: usize = 200;
pub fn user_key(i: usize) -> Key {
    Key::from_label(&format!("vvv-demo user {i}"))
}

/// The checked-in `deploy/devnet-airdrop.csv`: 200 demo accounts sharing the 50M airdrop
/// (amounts 1..=4 shares by account, the rounding remainder on the last row).
pub fn demo_airdrop_csv() -> String {
    let weights: Vec<u64> = (0..DEMO_USERS).map(|i| 1 + (i as u64 * 7) % 4).collect();
    let total_w: u64 = weights.iter().sum();
    let total = wad(50_000_000);
    let mut rows = vec!["account,amount".to_string()];
    let mut given = U256::ZERO;
    for (i, w) in weights.iter().enumerate() {
        let amount = if i + 1 == DEMO_USERS {
            total - given
        } else {
            total * U256::from(*w) / U256::from(total_w)
        };
        given += amount;
        rows.push(format!(
            "{},{}",
            user_key(i).address.to_checksum(None),
            amount
        ));
    }
    rows.join("\n") + "\n"
}

/// Gas of each user action.
#[derive(Default)]
struct GasBook(BTreeMap<&'static str, Vec<u64>>);

impl GasBook {
    fn add(&mut self, action: &'static str, gas: u64) {
        self.0.entry(action).or_default().push(gas);
    }

    fn table(&self) -> String {
        let mut out = format!(
            "{:<44} {:>6} {:>10} {:>10} {:>10}\n",
            "action", "count", "min gas", "mean gas", "max gas"
        );
        for (k, v) in &self.0 {
            let min = v.iter().min().copied().unwrap_or(0);
            let max = v.iter().max().copied().unwrap_or(0);
            let mean = v.iter().sum::<u64>() / v.len().max(1) as u64;
            out += &format!("{k:<44} {:>6} {min:>10} {mean:>10} {max:>10}\n", v.len());
        }
        out
    }
}

/// One day's numbers, for the tables and the charts.
#[derive(Clone, Debug, Default)]
pub struct Snapshot {
    pub day: f64,
    pub supply: f64,
    pub minted: f64,
    pub burned: f64,
    pub circulating: f64,
    pub staked: f64,
    pub locked: f64,
    pub held: f64,
    pub annual_emission: f64,
    pub utilization_bps: u16,
    pub staker_share_bps: u16,
    pub apr_unlocked_bps: f64,
    pub apr_locked_bps: f64,
    pub mint_rate: f64,
    pub diem_supply: f64,
    pub diem_credit: f64,
}

fn f(x: U256) -> f64 {
    let v: u128 = x.try_into().unwrap_or(u128::MAX);
    v as f64 / WAD as f64
}

/// `12,345,678.90`.
pub fn tok(x: f64) -> String {
    let neg = x < 0.0;
    let cents = (x.abs() * 100.0).round() as u128;
    let (int, frac) = (cents / 100, cents % 100);
    let digits = int.to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{}{grouped}.{frac:02}", if neg { "-" } else { "" })
}

struct Demo<'a> {
    rpc: &'a Rpc,
    chain_id: u64,
    s: Suite,
    cfg: Config,
    gas: GasBook,
    quiet: bool,
    history: Vec<Snapshot>,
    launch: u64,
    util: u16,
}

impl<'a> Demo<'a> {
    fn say(&self, text: &str) {
        if !self.quiet {
            println!("{text}");
        }
    }

    fn now(&self) -> Result<u64, String> {
        Ok(self.rpc.timestamp()?)
    }

    /// The next transaction's block gets timestamp `ts`.
    fn warp(&self, ts: u64) -> Result<(), String> {
        let now = self.now()?;
        Ok(self.rpc.set_next_timestamp(ts.max(now))?)
    }

    fn signer(&self, key: Key) -> Result<Signer<'a>, String> {
        Signer::new(self.rpc, key, self.chain_id)
    }

    /// A user action that must succeed; its gas goes in the book under `action`.
    fn act<C: SolCall>(
        &mut self,
        who: &mut Signer<'_>,
        action: &'static str,
        to: Address,
        call: C,
    ) -> Result<Receipt, String> {
        let data = call.abi_encode();
        let r = who
            .send_with_gas(to, U256::ZERO, &data, 8_000_000)
            .map_err(|e| format!("{action}: {e}"))?;
        if !r.status {
            // Replay as a call to name the error (the state is as before the failed tx).
            let why = match self.rpc.call_raw(Some(who.address()), to, &data) {
                Err(e) => e.to_string(),
                Ok(_) => "reverted".into(),
            };
            return Err(format!("{action} by {} failed: {why}", who.address()));
        }
        self.gas.add(action, r.gas_used);
        Ok(r)
    }

    /// An action that must revert: returns the decoded custom error (from `eth_call`), and
    /// checks that the transaction sent anyway fails on chain too.
    fn expect_revert<C: SolCall>(
        &mut self,
        who: &mut Signer<'_>,
        action: &'static str,
        to: Address,
        call: C,
    ) -> Result<String, String> {
        let data = call.abi_encode();
        let err = match self.rpc.call_raw(Some(who.address()), to, &data) {
            Ok(_) => return Err(format!("{action} succeeded but should revert")),
            Err(e) => e,
        };
        let decoded = err
            .data
            .as_ref()
            .map(|d| describe_revert(d))
            .unwrap_or_else(|| err.message.clone());
        let r = who.send_with_gas(to, U256::ZERO, &data, 2_000_000)?;
        if r.status {
            return Err(format!(
                "{action} succeeded on chain but its eth_call reverted"
            ));
        }
        self.gas.add(action, r.gas_used);
        Ok(decoded)
    }

    fn snapshot(&mut self, day: f64) -> Result<Snapshot, String> {
        let (rpc, s) = (self.rpc, self.s);
        let supply = rpc.view(s.vvv, IVvvToken::totalSupplyCall {})?._0;
        let minted = rpc.view(s.vvv, IVvvToken::totalMintedCall {})?._0;
        let burned = rpc.view(s.vvv, IVvvToken::totalBurnedCall {})?._0;
        let bal = |a: Address| {
            rpc.view(s.vvv, IVvvToken::balanceOfCall { account: a })
                .map(|r| r._0)
        };
        let in_vault = bal(s.vault)?;
        let held = bal(s.airdrop)? + bal(s.vesting)?;
        let staked = rpc.view(s.vault, IStakingVault::totalSupplyCall {})?._0;
        let locked = rpc.view(s.vault, IStakingVault::totalLockedCall {})?._0;
        let apr_unlocked = rpc
            .view(s.controller, IEmissionController::unlockedAprBpsCall {})?
            ._0;
        let apr_locked = rpc
            .view(s.controller, IEmissionController::lockedAprBpsCall {})?
            ._0;
        let share = rpc
            .view(
                s.controller,
                IEmissionController::currentStakerShareBpsCall {},
            )?
            ._0;
        let annual = rpc
            .view(s.controller, IEmissionController::annualEmissionCall {})?
            ._0;
        let rate = rpc.view(s.minter, IDiemMinter::mintRateCall {})?._0;
        let diem = rpc.view(s.diem, IDiemToken::totalSupplyCall {})?._0;
        let credit = rpc.view(s.diem, IDiemToken::totalDailyCreditUsdCall {})?._0;
        let bps = |x: U256| u128::try_from(x).unwrap_or(u128::MAX) as f64;
        let snap = Snapshot {
            day,
            supply: f(supply),
            minted: f(minted),
            burned: f(burned),
            circulating: f(supply - in_vault - held),
            staked: f(staked),
            locked: f(locked),
            held: f(held),
            annual_emission: f(annual),
            utilization_bps: self.util,
            staker_share_bps: share,
            apr_unlocked_bps: bps(apr_unlocked),
            apr_locked_bps: bps(apr_locked),
            mint_rate: f(rate),
            diem_supply: f(diem),
            diem_credit: f(credit),
        };
        self.history.push(snap.clone());
        Ok(snap)
    }

    fn table(&mut self, title: &str, day: f64) -> Result<(), String> {
        let s = self.snapshot(day)?;
        if self.quiet {
            return Ok(());
        }
        println!("\n── {title} ──");
        println!(
            "  VVV  genesis {:>16}  minted {:>14}  burned {:>14}  supply {:>16}",
            tok(100_000_000.0),
            tok(s.minted),
            tok(s.burned),
            tok(s.supply)
        );
        println!(
            "       circulating {:>16}  staked (sVVV) {:>16}  locked {:>14}  airdrop+vesting {:>14}",
            tok(s.circulating),
            tok(s.staked),
            tok(s.locked),
            tok(s.held)
        );
        println!(
            "  emission {:>14} VVV/yr  utilization {:>5.1}%  staker share {:>5.1}%  APR unlocked {:>6.2}%  locked {:>6.2}%",
            tok(s.annual_emission),
            s.utilization_bps as f64 / 100.0,
            s.staker_share_bps as f64 / 100.0,
            s.apr_unlocked_bps / 100.0,
            s.apr_locked_bps / 100.0
        );
        println!(
            "  DIEM supply {:>12}  mint rate {:>10} sVVV/DIEM  staked credit {:>10} $/day",
            tok(s.diem_supply),
            tok(s.mint_rate),
            tok(s.diem_credit)
        );
        Ok(())
    }
}

/// `vvv demo` / `vvv gas`.
pub fn run(opts: &DemoOptions) -> Result<(), String> {
    let started = Instant::now();
    // The child devnet lives until the end of this function (dropped on error too).
    let (_devnet, url) = match &opts.rpc_url {
        Some(u) => (None, u.clone()),
        None => {
            let d = Devnet::start(&opts.root, &[])?;
            println!("devnet: started vvv-devnet (pid {}) at {}", d.pid(), d.url);
            let url = d.url.clone();
            (Some(d), url)
        }
    };
    let rpc = Rpc::new(&url);
    let result = play(&rpc, opts);
    println!("\ndemo wall time {:.1}s", started.elapsed().as_secs_f64());
    result
}

fn play(rpc: &Rpc, opts: &DemoOptions) -> Result<(), String> {
    let mut d = Demo::deploy(rpc, opts)?;
    d.table("genesis (deployed, before launch)", -1.0)?;
    let stakers = d.claim_airdrop()?;
    let mut admin = d.signer(Key::from_hex(DEV_KEY)?)?;
    let cut_at = d.launch_platform(&mut admin)?;
    d.table("after claims, stakes and the launch mint", 0.0)?;
    let mut keeper = d.signer(Key::from_label("vvv-demo keeper"))?;
    rpc.set_balance(keeper.address(), gas_eth())?;
    d.thirty_days(&mut admin, &mut keeper, &stakers)?;
    d.close_airdrop_and_release_vesting(&mut keeper)?;
    d.report(opts, cut_at)
}

/// The ETH each demo account gets for gas.
fn gas_eth() -> U256 {
    U256::from(10u64) * U256::from(WAD)
}

/// The utilization the reporter announces on `day`: 10% → 50% (days 1–10), → 90% (11–20),
/// back to 30% (21–30).
fn utilization_on(day: u64) -> u16 {
    let d = day as i64;
    let u = if d <= 10 {
        1000 + 400 * d
    } else if d <= 20 {
        5000 + 400 * (d - 10)
    } else {
        9000 - 600 * (d - 20)
    };
    u.clamp(0, 10_000) as u16
}

impl<'a> Demo<'a> {
    /// Deploys a fresh suite with `deploy/devnet.toml` through the `vvv deploy` code path.
    fn deploy(rpc: &'a Rpc, opts: &DemoOptions) -> Result<Self, String> {
        let key = Key::from_hex(DEV_KEY)?;
        let cfg = Config::load(&opts.root.join("deploy/devnet.toml"), key.address)?;
        let chain_id = rpc.chain_id()?;
        // A fresh manifest: the demo deploys a new suite every run (on a running devnet too).
        let manifest =
            std::env::temp_dir().join(format!("vvv-demo-{}-{}.json", chain_id, std::process::id()));
        let _ = std::fs::remove_file(&manifest);
        println!(
            "deploying with deploy/devnet.toml (the `vvv deploy` code path; manifest {})",
            manifest.display()
        );
        let m = deploy::deploy(
            rpc,
            key,
            &cfg,
            &deploy::Options {
                root: opts.root.clone(),
                manifest: manifest.clone(),
                quiet: opts.gas_only,
            },
        )?;
        let s = Suite::from_manifest(&m)?;
        let _ = std::fs::remove_file(&manifest);
        Ok(Demo {
            rpc,
            chain_id,
            s,
            gas: GasBook::default(),
            quiet: opts.gas_only,
            history: Vec::new(),
            launch: m.emission_start,
            util: 0,
            cfg,
        })
    }

    /// Before launch: 150 of the CSV's accounts claim (every third with `claimAndStake`, every
    /// third stakes half of a plain claim); a second claim is refused. Returns the stakers'
    /// indices.
    fn claim_airdrop(&mut self) -> Result<Vec<usize>, String> {
        let (rpc, s) = (self.rpc, self.s);
        let tree: Tree = self.cfg.airdrop.clone();
        let mut stakers: Vec<usize> = Vec::new();
        let claimers = 150;
        for i in 0..claimers {
            let k = user_key(i);
            let entry = tree.entries[i].clone();
            assert_eq!(entry.account, k.address, "CSV row {i} is demo user {i}");
            rpc.set_balance(k.address, gas_eth())?;
            let mut u = self.signer(k)?;
            let (index, account, amount) = (U256::from(entry.index), entry.account, entry.amount);
            let proof: Vec<B256> = tree.proof(i);
            if i % 3 == 2 {
                // claimAndStake: straight into the vault.
                let call = IAirdrop::claimAndStakeCall {
                    index,
                    account,
                    amount,
                    proof,
                };
                self.act(&mut u, "airdrop.claimAndStake", s.airdrop, call)?;
                stakers.push(i);
            } else {
                let call = IAirdrop::claimCall {
                    index,
                    account,
                    amount,
                    proof,
                };
                self.act(&mut u, "airdrop.claim", s.airdrop, call)?;
                if i % 3 == 0 {
                    self.stake(&mut u, amount / U256::from(2u8))?;
                    stakers.push(i);
                }
            }
        }
        // A double claim is refused.
        let mut u0 = self.signer(user_key(0))?;
        let e0 = tree.entries[0].clone();
        let err = self.expect_revert(
            &mut u0,
            "airdrop.claim (again: reverts)",
            s.airdrop,
            IAirdrop::claimCall {
                index: U256::ZERO,
                account: e0.account,
                amount: e0.amount,
                proof: tree.proof(0),
            },
        )?;
        self.say(&format!(
            "\nairdrop: {claimers} of {} accounts claimed ({} with claimAndStake), {} stakers; a second claim reverts {err}",
            tree.entries.len(),
            claimers / 3,
            stakers.len()
        ));
        Ok(stakers)
    }

    /// Approves the vault for all of `who`'s VVV and stakes `amount`.
    fn stake(&mut self, who: &mut Signer<'_>, amount: U256) -> Result<(), String> {
        let s = self.s;
        self.act(
            who,
            "VVV.approve(vault)",
            s.vvv,
            IVvvToken::approveCall {
                spender: s.vault,
                value: U256::MAX,
            },
        )?;
        self.act(
            who,
            "vault.stake",
            s.vault,
            IStakingVault::stakeCall { amount },
        )?;
        Ok(())
    }

    /// The admin schedules an emission cut for day 15; the platform stakes and makes its
    /// 10,000-DIEM launch mint at the price `vvv-common` computes offline. Returns the cut's
    /// time.
    fn launch_platform(&mut self, admin: &mut Signer<'_>) -> Result<u64, String> {
        let (rpc, s) = (self.rpc, self.s);
        let cut_at = self.launch + 15 * DAY;
        let cut_rate = self.cfg.annual_emission * U256::from(3u8) / U256::from(4u8);
        self.act(
            admin,
            "admin: controller.scheduleCut",
            s.controller,
            IEmissionController::scheduleCutCall {
                timestamp: cut_at,
                newRate: cut_rate,
            },
        )?;
        self.say(&format!(
            "admin: emission cut to {} VVV/yr scheduled for day 15",
            tok(f(cut_rate))
        ));
        let platform_stake = wad(1_200_000);
        self.stake(admin, platform_stake)?;
        let launch_diem = wad(10_000);
        let quote = rpc
            .view(
                s.minter,
                IDiemMinter::quoteMintCall {
                    amount: launch_diem,
                },
            )?
            ._0;
        let offline = vvv_common::diem::MintCurve::DEFAULT
            .mint_cost(U256::ZERO, launch_diem)
            .map_err(|e| format!("{e:?}"))?;
        if quote != offline {
            return Err(format!(
                "minter.quoteMint(10,000) = {quote}, vvv-common says {offline}"
            ));
        }
        self.act(
            admin,
            "minter.mint (DIEM)",
            s.minter,
            IDiemMinter::mintCall {
                amount: launch_diem,
                maxCost: quote,
            },
        )?;
        self.say(&format!(
            "platform: staked {} VVV, minted 10,000 DIEM for {} sVVV locked",
            tok(f(platform_stake)),
            tok(f(quote))
        ));
        Ok(cut_at)
    }

    /// Days 1–30: each day a keeper's `distribute()` and a utilization report, and on some
    /// days a user action; a table every 5 days.
    fn thirty_days(
        &mut self,
        admin: &mut Signer<'_>,
        keeper: &mut Signer<'_>,
        stakers: &[usize],
    ) -> Result<(), String> {
        let s = self.s;
        let mut alice = self.signer(user_key(stakers[0]))?;
        let mut bob = self.signer(user_key(stakers[1]))?;
        let mut unstake_id = U256::ZERO;
        for day in 1..=30u64 {
            let t = self.launch + day * DAY;
            self.warp(t)?;
            self.act(
                keeper,
                "controller.distribute",
                s.controller,
                IEmissionController::distributeCall {},
            )?;
            let u = utilization_on(day);
            self.act(
                admin,
                "reporter: controller.reportUtilization",
                s.controller,
                IEmissionController::reportUtilizationCall { bps: u },
            )?;
            self.util = u;
            match day {
                2 => self.mint_diem(&mut alice)?,
                4 => self.stake_credit_across_midnight(&mut alice, t)?,
                6 => self.burn_diem(&mut alice)?,
                8 => unstake_id = self.request_unstake(&mut bob)?,
                10 => self.withdraw_too_early(&mut bob, unstake_id)?,
                12 => self.claim_and_compound(&stakers[2..])?,
                16 => self.withdraw(&mut bob, unstake_id)?,
                30 => self.buy_and_burn(admin, t)?,
                _ => {}
            }
            if day == 1 || day % 5 == 0 {
                self.table(&format!("day {day}"), day as f64)?;
            } else {
                self.snapshot(day as f64)?;
            }
        }
        Ok(())
    }

    /// Day 2: a user mints 100 DIEM at the quoted cost.
    fn mint_diem(&mut self, user: &mut Signer<'_>) -> Result<(), String> {
        let s = self.s;
        let amount = wad(100);
        let q = self
            .rpc
            .view(s.minter, IDiemMinter::quoteMintCall { amount })?
            ._0;
        self.act(
            user,
            "minter.mint (DIEM)",
            s.minter,
            IDiemMinter::mintCall { amount, maxCost: q },
        )?;
        self.say(&format!(
            "day 2: user {} minted 100 DIEM for {} sVVV",
            user.address(),
            tok(f(q))
        ));
        Ok(())
    }

    /// Day 4: credit staking across a UTC day boundary — stake at 23:00, unstake at 23:30,
    /// an early withdraw at 23:45 reverts, the withdraw after midnight succeeds.
    fn stake_credit_across_midnight(
        &mut self,
        user: &mut Signer<'_>,
        t: u64,
    ) -> Result<(), String> {
        let (rpc, s) = (self.rpc, self.s);
        let day_start = t - t % DAY;
        self.warp(day_start + 23 * 3600)?;
        let amount = wad(50);
        self.act(
            user,
            "DIEM.stakeCredit",
            s.diem,
            IDiemToken::stakeCreditCall { amount },
        )?;
        let account = user.address();
        let credit = rpc
            .view(s.diem, IDiemToken::dailyCreditUsdCall { account })?
            ._0;
        self.warp(day_start + 23 * 3600 + 1800)?;
        self.act(
            user,
            "DIEM.requestCreditUnstake",
            s.diem,
            IDiemToken::requestCreditUnstakeCall { amount },
        )?;
        let pending = rpc.view(s.diem, IDiemToken::pendingCreditOfCall { account })?;
        self.warp(day_start + 23 * 3600 + 2700)?;
        let err = self.expect_revert(
            user,
            "DIEM.withdrawCredit (early: reverts)",
            s.diem,
            IDiemToken::withdrawCreditCall {},
        )?;
        self.warp(day_start + DAY + 10)?;
        self.act(
            user,
            "DIEM.withdrawCredit",
            s.diem,
            IDiemToken::withdrawCreditCall {},
        )?;
        self.say(&format!(
            "day 4: credit staking: 50 DIEM staked at 23:00 UTC = ${}/day; unstake requested at 23:30, released at {} (next UTC midnight); withdraw at 23:45 reverts {err}; at 00:00:10 it succeeds",
            tok(f(credit)),
            pending._1
        ));
        Ok(())
    }

    /// Day 6: the user burns 40 of its DIEM and gets the quoted sVVV unlocked.
    fn burn_diem(&mut self, user: &mut Signer<'_>) -> Result<(), String> {
        let s = self.s;
        let amount = wad(40);
        let account = user.address();
        let unlock = self
            .rpc
            .view(s.minter, IDiemMinter::quoteBurnCall { account, amount })?
            ._0;
        self.act(
            user,
            "minter.burn (DIEM)",
            s.minter,
            IDiemMinter::burnCall { amount },
        )?;
        self.say(&format!(
            "day 6: user burned 40 DIEM, {} sVVV unlocked",
            tok(f(unlock))
        ));
        Ok(())
    }

    /// Day 8: a user asks to unstake half of its unlocked sVVV. Returns the request's id (from
    /// the `UnstakeRequested` log).
    fn request_unstake(&mut self, user: &mut Signer<'_>) -> Result<U256, String> {
        let s = self.s;
        let account = user.address();
        let unlocked = self
            .rpc
            .view(s.vault, IStakingVault::unlockedOfCall { account })?
            ._0;
        let amount = unlocked / U256::from(2u8);
        let r = self.act(
            user,
            "vault.requestUnstake",
            s.vault,
            IStakingVault::requestUnstakeCall { amount },
        )?;
        let log = r
            .logs
            .iter()
            .find(|l| l.topics.first() == Some(&IStakingVault::UnstakeRequested::SIGNATURE_HASH))
            .ok_or("no UnstakeRequested log")?;
        let id = U256::from_be_bytes(log.topics[1].0);
        self.say(&format!(
            "day 8: user {account} requested to unstake {} sVVV (request {id})",
            tok(f(amount))
        ));
        Ok(id)
    }

    /// Day 10: a withdraw before the 7-day cooldown reverts.
    fn withdraw_too_early(&mut self, user: &mut Signer<'_>, id: U256) -> Result<(), String> {
        let vault = self.s.vault;
        let err = self.expect_revert(
            user,
            "vault.withdraw (early: reverts)",
            vault,
            IStakingVault::withdrawCall { id },
        )?;
        self.say(&format!(
            "day 10: withdraw before the 7-day cooldown reverts {err}"
        ));
        Ok(())
    }

    /// Day 12: of the next 20 stakers, every other one claims its rewards, the rest compound.
    fn claim_and_compound(&mut self, stakers: &[usize]) -> Result<(), String> {
        let vault = self.s.vault;
        for (n, i) in stakers.iter().take(20).enumerate() {
            let mut u = self.signer(user_key(*i))?;
            if n % 2 == 0 {
                let call = IStakingVault::claimRewardsCall {};
                self.act(&mut u, "vault.claimRewards", vault, call)?;
            } else {
                let call = IStakingVault::compoundCall {};
                self.act(&mut u, "vault.compound", vault, call)?;
            }
        }
        self.say("day 12: 10 stakers claimed their rewards, 10 compounded");
        Ok(())
    }

    /// Day 16: the cooldown is over: the request is paid.
    fn withdraw(&mut self, user: &mut Signer<'_>, id: U256) -> Result<(), String> {
        let vault = self.s.vault;
        let paid = self.rpc.view(vault, IStakingVault::requestCall { id })?;
        self.act(
            user,
            "vault.withdraw",
            vault,
            IStakingVault::withdrawCall { id },
        )?;
        self.say(&format!(
            "day 16: the cooldown is over: withdraw of request {id} paid {} VVV",
            tok(f(paid._1))
        ));
        Ok(())
    }

    /// Day 30: the monthly buy-and-burn — the platform burns VVV it bought with revenue.
    fn buy_and_burn(&mut self, admin: &mut Signer<'_>, t: u64) -> Result<(), String> {
        let s = self.s;
        let amount = wad(250_000);
        let epoch = epoch_of(t);
        self.act(
            admin,
            "VVV.approve(burnTreasury)",
            s.vvv,
            IVvvToken::approveCall {
                spender: s.burn_treasury,
                value: amount,
            },
        )?;
        self.act(
            admin,
            "burnTreasury.burnRevenue",
            s.burn_treasury,
            IBurnTreasury::burnRevenueCall {
                amount,
                epoch,
                usdValue: wad(1_500_000),
            },
        )?;
        self.say(&format!(
            "day 30: buy-and-burn of {} VVV bought with $1,500,000 of revenue (epoch {epoch})",
            tok(f(amount))
        ));
        Ok(())
    }

    /// After the claim window: the sweep burns the unclaimed airdrop; the team's vesting is
    /// released.
    fn close_airdrop_and_release_vesting(&mut self, keeper: &mut Signer<'_>) -> Result<(), String> {
        let (rpc, s) = (self.rpc, self.s);
        let deadline = rpc.view(s.airdrop, IAirdrop::deadlineCall {})?._0;
        self.warp(deadline)?;
        let left = rpc
            .view(s.vvv, IVvvToken::balanceOfCall { account: s.airdrop })?
            ._0;
        self.act(keeper, "airdrop.sweep", s.airdrop, IAirdrop::sweepCall {})?;
        self.say(&format!(
            "\nairdrop deadline passed: sweep burned the {} unclaimed VVV",
            tok(f(left))
        ));
        let releasable = rpc.view(s.vesting, IVvvVesting::releasableCall {})?._0;
        self.act(
            keeper,
            "vesting.release",
            s.vesting,
            IVvvVesting::releaseCall {},
        )?;
        self.say(&format!(
            "team vesting: released {} VVV to the team after {} days",
            tok(f(releasable)),
            (deadline - self.launch) / DAY
        ));
        self.table("end", (deadline - self.launch) as f64 / DAY as f64)
    }

    /// The invariants on chain, the gas table and the charts; an error if an invariant failed.
    fn report(&self, opts: &DemoOptions, cut_at: u64) -> Result<(), String> {
        let failures = check_invariants(self)?;
        if opts.gas_only {
            print!("{}", self.gas.table());
        } else {
            println!("\n── gas of every user action (devnet, JSON-RPC receipts) ──");
            print!("{}", self.gas.table());
        }
        if let Some(dir) = &opts.plot {
            crate::plot::write_all(dir, &self.history, self.launch, cut_at, &self.cfg)?;
            println!("charts written to {}", dir.display());
        }
        if failures.is_empty() {
            println!("all invariant checks passed (INV-1, INV-2, INV-5, INV-6)");
            Ok(())
        } else {
            Err(format!(
                "invariant checks failed:\n  {}",
                failures.join("\n  ")
            ))
        }
    }
}

/// `YYYYMM` of a unix time.
pub fn epoch_of(ts: u64) -> u64 {
    // Civil-from-days (Howard Hinnant's algorithm).
    let z = (ts / DAY) as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + if month <= 2 { 1 } else { 0 };
    (year * 100 + month) as u64
}

/// INV-1, INV-2, INV-5, INV-6 read from the chain; prints one line each, returns failures.
fn check_invariants(d: &Demo<'_>) -> Result<Vec<String>, String> {
    let (rpc, s) = (d.rpc, d.s);
    let mut failures = Vec::new();
    let mut report = |id: &str, ok: bool, text: String| {
        println!("  {id}: {} {text}", if ok { "ok  " } else { "FAIL" });
        if !ok {
            failures.push(format!("{id}: {text}"));
        }
    };
    println!("\n── invariants on chain ──");
    let supply = rpc.view(s.vvv, IVvvToken::totalSupplyCall {})?._0;
    let minted = rpc.view(s.vvv, IVvvToken::totalMintedCall {})?._0;
    let burned = rpc.view(s.vvv, IVvvToken::totalBurnedCall {})?._0;
    report(
        "INV-1",
        supply + burned == wad(100_000_000) + minted,
        format!("totalSupply {supply} == 100M + minted {minted} − burned {burned}"),
    );
    let held = rpc
        .view(s.vvv, IVvvToken::balanceOfCall { account: s.vault })?
        ._0;
    let accounted = rpc.view(s.vault, IStakingVault::accountedAssetsCall {})?._0;
    report(
        "INV-2",
        held >= accounted,
        format!("vault holds {held} ≥ accountedAssets {accounted}"),
    );
    // INV-5 over every Distributed event of the controller.
    let logs = rpc.logs(
        s.controller,
        IEmissionController::Distributed::SIGNATURE_HASH,
    )?;
    let (mut m, mut st, mut tr, mut bad) = (U256::ZERO, U256::ZERO, U256::ZERO, 0usize);
    for l in &logs {
        let e = IEmissionController::Distributed::abi_decode_data(&l.data, true)
            .map_err(|e| e.to_string())?;
        if e.1 + e.2 != e.0 {
            bad += 1;
        }
        m += e.0;
        st += e.1;
        tr += e.2;
    }
    let emitted = rpc
        .view(s.controller, IEmissionController::totalEmittedCall {})?
        ._0;
    let announced = rpc
        .view(s.vault, IStakingVault::totalRewardsAnnouncedCall {})?
        ._0;
    report(
        "INV-5",
        bad == 0 && m == emitted && emitted == minted && st == announced && st + tr == m,
        format!(
            "{} distributions: stakers {st} + treasury {tr} == minted {m} (each one exact: {}), == totalEmitted {emitted} == VVV.totalMinted {minted}; vault announced {announced}",
            logs.len(),
            bad == 0
        ),
    );
    let diem = rpc.view(s.diem, IDiemToken::totalSupplyCall {})?._0;
    let debt = rpc.view(s.minter, IDiemMinter::totalDebtCall {})?._0;
    let ml = rpc.view(s.minter, IDiemMinter::totalLockedCall {})?._0;
    let vl = rpc.view(s.vault, IStakingVault::totalLockedCall {})?._0;
    report(
        "INV-6",
        diem == debt && ml == vl,
        format!("DIEM supply {diem} == minter totalDebt {debt}; minter totalLocked {ml} == vault totalLocked {vl}"),
    );
    Ok(failures)
}

/// Regenerates `deploy/devnet-airdrop.csv` (used once; a test keeps it in sync).
#[allow(dead_code)]
pub fn write_demo_csv(root: &Path) -> std::io::Result<()> {
    std::fs::write(root.join("deploy/devnet-airdrop.csv"), demo_airdrop_csv())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checked_in_demo_csv_is_the_generated_one() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../deploy/devnet-airdrop.csv");
        let text = std::fs::read_to_string(path).unwrap();
        assert_eq!(
            text,
            demo_airdrop_csv(),
            "regenerate deploy/devnet-airdrop.csv"
        );
        let entries = crate::merkle::parse_csv(&text).unwrap();
        assert_eq!(entries.len(), DEMO_USERS);
        assert_eq!(
            entries.iter().map(|e| e.amount).sum::<U256>(),
            wad(50_000_000)
        );
    }

    #[test]
    fn epochs() {
        assert_eq!(epoch_of(1_700_006_400), 202311); // 2023-11-15
        assert_eq!(epoch_of(1_704_067_199), 202312); // 2023-12-31T23:59:59
        assert_eq!(epoch_of(1_704_067_200), 202401);
    }

    #[test]
    fn token_formatting() {
        assert_eq!(tok(100_000_000.0), "100,000,000.00");
        assert_eq!(tok(1234.5), "1,234.50");
        assert_eq!(tok(0.004), "0.00");
    }
}

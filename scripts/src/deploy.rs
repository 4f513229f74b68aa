//! `vvv deploy`: the suite on any chain through JSON-RPC, from a config, with a resumable
//! manifest (`deployments/<chain-id>.json`).
//!
//! Steps (each one transaction of the deployer's key, recorded in the manifest as soon as it is
//! mined; the manifest is written after every step):
//!
//! 1–8. deploy `vvv-token`, `staking-vault`, `emission-controller`, `burn-treasury`,
//!      `diem-token`, `diem-minter`, `airdrop`, `vesting`, each through the StylusDeployer
//!      (create + activate + constructor in one transaction) with CREATE2, so every address
//!      is known before the first transaction and a contract can never be deployed twice;
//! 9–12. wiring, in the order the contracts check each other: `VVV.setMinter(controller)`,
//!      `DIEM.setMinter(minter)`, `vault.setRewardsDistributor(controller)`,
//!      `vault.setLocker(minter)`;
//! 13–15. genesis allocation: fund the airdrop, the team's launch part, fund the vesting;
//! 16+. optional admin steps (split curve, reporter and revenue roles) when the admin is the
//!      deployer;
//! then, with `deployment.cache_programs`, one CacheManager bid per program (`cache <name>`);
//! then every link and balance is read back ([`verify`]).
//!
//! Resuming: before a transaction is broadcast its hash and nonce are written to the manifest
//! (`pending`). A rerun verifies every recorded contract on chain (code hash), resolves a
//! pending transaction from its receipt (or re-sends it with the same nonce if it never
//! reached the chain), skips done steps and continues. A manifest that disagrees with the
//! chain, or was written for another config or deployer, is an error.

use std::{
    collections::BTreeMap,
    path::{Path, PathBuf},
    time::Instant,
};

use alloy_primitives::{keccak256, Address, Bytes, B256, U256};
use alloy_sol_types::{SolCall, SolEvent, SolValue};
use serde::{Deserialize, Serialize};

use crate::{
    bindings::*,
    config::Config,
    rpc::{Key, Receipt, Rpc, Signer},
};

/// The StylusDeployer (same address on Arbitrum One, Sepolia, nitro-devnode and our devnet).
pub const STYLUS_DEPLOYER: Address =
    alloy_primitives::address!("cEcba2F1DC234f70Dd89F2041029807F8D03A990");
/// ArbWasm precompile.
pub const ARB_WASM: Address =
    alloy_primitives::address!("0000000000000000000000000000000000000071");

alloy_sol_types::sol! {
    #[derive(Debug)]
    interface IStylusDeployer {
        function deploy(bytes bytecode, bytes initData, uint256 initValue, bytes32 salt) external payable returns (address);
        event ContractDeployed(address deployedContract);
        error ContractDeploymentError(bytes bytecode);
        error ContractInitializationError(address newContract, bytes data);
        error RefundExcessValueError(uint256 excessValue);
        error EmptyBytecode();
        error InitValueButNotInitData();
    }
    interface ICacheManager {
        function getMinBid(address program) external view returns (uint192 min);
        function placeBid(address program) external payable;
    }
    interface IArbWasmCache {
        function codehashIsCached(bytes32 codehash) external view returns (bool);
        function cacheProgram(address addr) external;
    }
    interface IArbOwnerPublic {
        function isChainOwner(address addr) external view returns (bool);
    }
    interface IArbWasm {
        function codehashVersion(bytes32 codehash) external view returns (uint16 version);
        error ProgramNotActivated();
        error ProgramInsufficientValue(uint256 have, uint256 want);
    }
}

/// ArbWasmCache precompile: which code hashes are cached.
pub const ARB_WASM_CACHE: Address =
    alloy_primitives::address!("0000000000000000000000000000000000000072");
/// The CacheManager (nitro-devnode's and our devnet's address; nitro-contracts' `CacheManager`):
/// anyone may cache a program by bidding at least `getMinBid`.
pub const CACHE_MANAGER: Address =
    alloy_primitives::address!("2F8Bd4EaB69764c105aDd7dE7CB0402557a44E6f");

/// ArbOwnerPublic precompile: who the chain owners are.
const ARB_OWNER_PUBLIC: Address =
    alloy_primitives::address!("000000000000000000000000000000000000006b");

/// The contracts, in deployment order.
pub const CONTRACTS: [&str; 8] = [
    "vvv-token",
    "staking-vault",
    "emission-controller",
    "burn-treasury",
    "diem-token",
    "diem-minter",
    "airdrop",
    "vesting",
];

/// Gas budget per step for the balance check (measured on the devnet: a StylusDeployer
/// deployment of a 15–22 KiB program is 6–9M gas with activation; a wiring call < 200k).
const DEPLOY_GAS_BUDGET: u64 = 12_000_000;
const CALL_GAS_BUDGET: u64 = 300_000;

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct ContractRecord {
    pub address: Address,
    pub tx_hash: Option<B256>,
    pub block_number: u64,
    pub gas_used: u64,
    /// keccak256 of the deployed code (`eth_getCode`), i.e. of `artifacts/<name>.code`.
    pub code_hash: B256,
    /// The constructor's parameters, ABI-encoded.
    pub constructor_args: Bytes,
    /// The same, readable.
    pub constructor: BTreeMap<String, String>,
    pub salt: B256,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct StepRecord {
    pub step: String,
    /// `None` when the step was found already done on chain (no transaction sent).
    pub tx_hash: Option<B256>,
    pub block_number: u64,
    pub gas_used: u64,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Pending {
    pub step: String,
    pub tx_hash: B256,
    pub nonce: u64,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    pub chain_id: u64,
    pub config: String,
    pub config_hash: B256,
    pub deployer: Address,
    /// The deployer's nonce when the deployment began: part of every CREATE2 salt.
    pub start_nonce: u64,
    /// The emission start, resolved once (the controller's and the vesting's constructor arg).
    pub emission_start: u64,
    pub contracts: BTreeMap<String, ContractRecord>,
    pub steps: Vec<StepRecord>,
    pub pending: Option<Pending>,
    pub complete: bool,
    /// The block of the last step: balances are verified as of this block.
    pub completed_block: Option<u64>,
}

pub const MANIFEST_FORMAT: &str = "vvv-deployment/1";

impl Manifest {
    pub fn load(path: &Path) -> Result<Option<Self>, String> {
        match std::fs::read_to_string(path) {
            Ok(text) => serde_json::from_str(&text)
                .map(Some)
                .map_err(|e| format!("manifest {}: {e}", path.display())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(format!("manifest {}: {e}", path.display())),
        }
    }

    /// Writes atomically (temporary file + rename): a crash leaves the old or the new one.
    pub fn save(&self, path: &Path) -> Result<(), String> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        let tmp = path.with_extension("json.tmp");
        let text = serde_json::to_string_pretty(self).map_err(|e| e.to_string())? + "\n";
        {
            use std::io::Write;
            let mut f =
                std::fs::File::create(&tmp).map_err(|e| format!("{}: {e}", tmp.display()))?;
            f.write_all(text.as_bytes()).map_err(|e| e.to_string())?;
            f.sync_all().map_err(|e| e.to_string())?;
        }
        std::fs::rename(&tmp, path).map_err(|e| format!("{}: {e}", path.display()))
    }

    pub fn address(&self, name: &str) -> Result<Address, String> {
        self.contracts
            .get(name)
            .map(|c| c.address)
            .ok_or_else(|| format!("manifest: {name} is not deployed"))
    }

    fn step_done(&self, step: &str) -> bool {
        self.steps.iter().any(|s| s.step == step)
    }
}

/// The deployed suite's addresses.
#[derive(Clone, Copy, Debug)]
pub struct Suite {
    pub vvv: Address,
    pub vault: Address,
    pub controller: Address,
    pub burn_treasury: Address,
    pub diem: Address,
    pub minter: Address,
    pub airdrop: Address,
    pub vesting: Address,
}

impl Suite {
    pub fn from_manifest(m: &Manifest) -> Result<Self, String> {
        Ok(Self {
            vvv: m.address("vvv-token")?,
            vault: m.address("staking-vault")?,
            controller: m.address("emission-controller")?,
            burn_treasury: m.address("burn-treasury")?,
            diem: m.address("diem-token")?,
            minter: m.address("diem-minter")?,
            airdrop: m.address("airdrop")?,
            vesting: m.address("vesting")?,
        })
    }
}

/// Calldata of a Stylus `#[constructor]`: `stylus_constructor()`'s selector + parameters.
pub fn constructor_data(params: &[u8]) -> Vec<u8> {
    let mut data = keccak256("stylus_constructor()")[..4].to_vec();
    data.extend_from_slice(params);
    data
}

/// EVM init code that returns `runtime` (what `cargo stylus deploy` wraps a program in).
pub fn deployment_init_code(runtime: &[u8]) -> Vec<u8> {
    let len = runtime.len() as u32;
    let mut code = vec![0x63];
    code.extend(len.to_be_bytes());
    // DUP1 PUSH1 14 PUSH1 0 CODECOPY PUSH1 0 RETURN
    code.extend([0x80, 0x60, 14, 0x60, 0x00, 0x39, 0x60, 0x00, 0xF3]);
    code.extend_from_slice(runtime);
    code
}

/// The address the StylusDeployer gives `deploy(bytecode, initData, _, salt)` (salt ≠ 0):
/// CREATE2 with salt `keccak256(salt ‖ initData)`.
pub fn predicted_address(bytecode: &[u8], init_data: &[u8], salt: B256) -> Address {
    let mut pre = salt.to_vec();
    pre.extend_from_slice(init_data);
    let create2_salt = keccak256(pre);
    STYLUS_DEPLOYER.create2(create2_salt, keccak256(bytecode))
}

/// `artifacts/<name>.code`, building all contracts first if it is missing.
pub fn artifact(root: &Path, name: &str) -> Result<Vec<u8>, String> {
    let path = root.join("artifacts").join(format!("{name}.code"));
    if !path.exists() {
        eprintln!("artifacts/{name}.code missing: building the contracts (vvv build)...");
        crate::build::build(root, &[])?;
    }
    std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))
}

/// Options of one `deploy` run.
pub struct Options {
    pub root: PathBuf,
    pub manifest: PathBuf,
    pub quiet: bool,
}

pub struct Deployer<'a> {
    pub signer: Signer<'a>,
    pub cfg: &'a Config,
    pub m: Manifest,
    opts: &'a Options,
    sent: usize,
    /// Gas of each step run now (label, gas).
    pub report: Vec<(String, u64)>,
}

/// A contract's constructor, readable and encoded.
struct Ctor {
    named: Vec<(&'static str, String)>,
    encoded: Vec<u8>,
}

impl<'a> Deployer<'a> {
    fn rpc(&self) -> &'a Rpc {
        self.signer.rpc
    }

    fn save(&self) -> Result<(), String> {
        self.m.save(&self.opts.manifest)
    }

    fn line(&self, step: &str, what: &str, gas: Option<u64>, started: Instant) {
        if self.opts.quiet {
            return;
        }
        let gas = gas
            .map(|g| format!("{g:>10} gas"))
            .unwrap_or_else(|| format!("{:>14}", "-"));
        println!(
            "  {step:<44} {what:<34} {gas} {:>7.2}s",
            started.elapsed().as_secs_f64()
        );
    }

    /// Sends (or resolves the pending) transaction of `step`. Returns its receipt.
    fn transact(
        &mut self,
        step: &str,
        to: Address,
        value: U256,
        data: Vec<u8>,
        gas: u64,
    ) -> Result<Receipt, String> {
        // A transaction of this step may have been sent by an interrupted run.
        if let Some(p) = self.m.pending.clone() {
            if p.step != step {
                return Err(format!(
                    "manifest: pending transaction {} belongs to step {:?}, but the next step is {step:?}",
                    p.tx_hash, p.step
                ));
            }
            if let Some(r) = self.rpc().receipt(p.tx_hash)? {
                if !r.status {
                    self.m.pending = None;
                    self.save()?;
                    return Err(format!(
                        "{step}: the transaction {} sent by an earlier run reverted",
                        p.tx_hash
                    ));
                }
                return Ok(r);
            }
            let nonce = self.rpc().nonce(self.signer.address())?;
            if nonce > p.nonce {
                return Err(format!(
                    "{step}: the transaction {} recorded as pending is unknown to the node, but the \
                     deployer's nonce moved past {} (another transaction used it). Check the deployer's \
                     transactions; if the step did not happen, remove `pending` from {}",
                    p.tx_hash,
                    p.nonce,
                    self.opts.manifest.display()
                ));
            }
            // Never reached the chain: send it again (same nonce, so at most one is mined).
        }
        let nonce = self.rpc().nonce(self.signer.address())?;
        let raw = self.signer.key.sign_1559(
            self.signer.chain_id,
            nonce,
            self.signer.max_fee(),
            gas,
            to,
            value,
            &data,
        );
        let hash = keccak256(&raw);
        self.m.pending = Some(Pending {
            step: step.to_string(),
            tx_hash: hash,
            nonce,
        });
        self.save()?;
        self.rpc()
            .send_raw(&raw)
            .map_err(|e| format!("{step}: {e}"))?;
        self.sent += 1;
        let r = self.rpc().wait(hash)?;
        if !r.status {
            self.m.pending = None;
            self.save()?;
            return Err(format!("{step}: transaction {hash} reverted"));
        }
        Ok(r)
    }

    fn finish_step(&mut self, step: &str, r: Option<&Receipt>) -> Result<(), String> {
        self.m.steps.push(StepRecord {
            step: step.to_string(),
            tx_hash: r.map(|r| r.tx_hash),
            block_number: r.map(|r| r.block_number).unwrap_or(0),
            gas_used: r.map(|r| r.gas_used).unwrap_or(0),
        });
        self.m.pending = None;
        self.save()
    }

    fn salt(&self, name: &str) -> B256 {
        keccak256(
            (
                self.m.config_hash,
                self.m.deployer,
                U256::from(self.m.start_nonce),
                name.to_string(),
            )
                .abi_encode(),
        )
    }

    /// The constructor of `name`; every address it names is predicted (CREATE2), so this is
    /// known before anything is deployed.
    fn ctor(&self, name: &str, p: &Suite, airdrop_deadline_base: u64) -> Ctor {
        let c = self.cfg;
        let deployer = self.m.deployer;
        let a = |x: Address| x.to_checksum(None);
        match name {
            "vvv-token" => {
                let (r, amts) = genesis_recipients(c, deployer);
                Ctor {
                    named: vec![
                        ("deployer", a(deployer)),
                        ("recipients", format!("{:?}", r)),
                        (
                            "amounts",
                            format!(
                                "{:?}",
                                amts.iter().map(|x| x.to_string()).collect::<Vec<_>>()
                            ),
                        ),
                    ],
                    encoded: (deployer, r, amts).abi_encode_params(),
                }
            }
            "staking-vault" => Ctor {
                named: vec![
                    ("vvv", a(p.vvv)),
                    ("admin", a(c.admin)),
                    ("deployer", a(deployer)),
                ],
                encoded: (p.vvv, c.admin, deployer).abi_encode_params(),
            },
            "emission-controller" => Ctor {
                named: vec![
                    ("vvv", a(p.vvv)),
                    ("vault", a(p.vault)),
                    ("treasury", a(c.treasury)),
                    ("admin", a(c.admin)),
                    ("annualEmission", c.annual_emission.to_string()),
                    ("startTime", self.m.emission_start.to_string()),
                ],
                encoded: (
                    p.vvv,
                    p.vault,
                    c.treasury,
                    c.admin,
                    c.annual_emission,
                    self.m.emission_start,
                )
                    .abi_encode_params(),
            },
            "burn-treasury" => Ctor {
                named: vec![("vvv", a(p.vvv)), ("admin", a(c.admin))],
                encoded: (p.vvv, c.admin).abi_encode_params(),
            },
            "diem-token" => Ctor {
                named: vec![("deployer", a(deployer))],
                encoded: (deployer,).abi_encode_params(),
            },
            "diem-minter" => minter_ctor(p, c),
            "airdrop" => Ctor {
                named: vec![
                    ("vvv", a(p.vvv)),
                    ("treasury", a(p.burn_treasury)),
                    ("vault", a(p.vault)),
                    ("merkleRoot", c.airdrop.root().to_string()),
                    ("claimWindowSeconds", c.claim_window.to_string()),
                ],
                encoded: (
                    p.vvv,
                    p.burn_treasury,
                    p.vault,
                    c.airdrop.root(),
                    c.claim_window,
                )
                    .abi_encode_params(),
            },
            "vesting" => Ctor {
                named: vec![
                    ("token", a(p.vvv)),
                    ("beneficiary", a(c.team_beneficiary)),
                    ("start", self.m.emission_start.to_string()),
                    ("duration", c.team_vesting_duration.to_string()),
                ],
                encoded: (
                    p.vvv,
                    c.team_beneficiary,
                    self.m.emission_start,
                    c.team_vesting_duration,
                )
                    .abi_encode_params(),
            },
            _ => unreachable!("{name} {airdrop_deadline_base}"),
        }
    }

    /// Every address, predicted from the artifacts and the config.
    fn predict(&self, codes: &BTreeMap<&str, Vec<u8>>) -> Suite {
        let mut p = Suite {
            vvv: Address::ZERO,
            vault: Address::ZERO,
            controller: Address::ZERO,
            burn_treasury: Address::ZERO,
            diem: Address::ZERO,
            minter: Address::ZERO,
            airdrop: Address::ZERO,
            vesting: Address::ZERO,
        };
        for name in CONTRACTS {
            let ctor = self.ctor(name, &p, 0);
            let addr = predicted_address(
                &deployment_init_code(&codes[name]),
                &constructor_data(&ctor.encoded),
                self.salt(name),
            );
            // A contract recorded in the manifest keeps its recorded address.
            let addr = self
                .m
                .contracts
                .get(name)
                .map(|c| c.address)
                .unwrap_or(addr);
            match name {
                "vvv-token" => p.vvv = addr,
                "staking-vault" => p.vault = addr,
                "emission-controller" => p.controller = addr,
                "burn-treasury" => p.burn_treasury = addr,
                "diem-token" => p.diem = addr,
                "diem-minter" => p.minter = addr,
                "airdrop" => p.airdrop = addr,
                _ => p.vesting = addr,
            }
        }
        p
    }

    fn deploy_contract(&mut self, name: &str, code: &[u8], p: &Suite) -> Result<(), String> {
        let step = format!("deploy {name}");
        let started = Instant::now();
        let ctor = self.ctor(name, p, 0);
        let init_data = constructor_data(&ctor.encoded);
        let bytecode = deployment_init_code(code);
        let salt = self.salt(name);
        let expected = predicted_address(&bytecode, &init_data, salt);
        let code_hash = keccak256(code);
        let rpc = self.rpc();
        let receipt = if self.m.pending.is_none() && !rpc.code(expected)?.is_empty() {
            // Deployed by an interrupted run whose manifest write was lost: adopt it.
            None
        } else {
            // Activation is paid once per code hash; the StylusDeployer refuses value otherwise.
            let active = rpc
                .call_raw(
                    None,
                    ARB_WASM,
                    &IArbWasm::codehashVersionCall {
                        codehash: code_hash,
                    }
                    .abi_encode(),
                )
                .is_ok();
            let value = if active {
                U256::ZERO
            } else {
                self.cfg.activation_value
            };
            let data = IStylusDeployer::deployCall {
                bytecode: bytecode.clone().into(),
                initData: init_data.into(),
                initValue: U256::ZERO,
                salt,
            }
            .abi_encode();
            let gas = match rpc.estimate_gas(self.signer.address(), STYLUS_DEPLOYER, value, &data) {
                Ok(g) => g + g / 5,
                Err(e) if self.m.pending.is_some() => {
                    // Already sent: the estimate fails because the address is taken.
                    let _ = e;
                    DEPLOY_GAS_BUDGET
                }
                Err(e) => return Err(format!("{step}: {e}")),
            };
            Some(self.transact(&step, STYLUS_DEPLOYER, value, data, gas)?)
        };
        if let Some(r) = &receipt {
            let log = r
                .logs
                .iter()
                .find(|l| {
                    l.address == STYLUS_DEPLOYER
                        && l.topics.first()
                            == Some(&IStylusDeployer::ContractDeployed::SIGNATURE_HASH)
                })
                .ok_or_else(|| format!("{step}: no ContractDeployed log in {}", r.tx_hash))?;
            let got = IStylusDeployer::ContractDeployed::abi_decode_data(&log.data, true)
                .map_err(|e| format!("{step}: ContractDeployed: {e}"))?
                .0;
            if got != expected {
                return Err(format!("{step}: deployed at {got}, expected {expected}"));
            }
        }
        let on_chain = keccak256(rpc.code(expected)?);
        if on_chain != code_hash {
            return Err(format!("{step}: code at {expected} has hash {on_chain}, artifacts/{name}.code has {code_hash}"));
        }
        self.m.contracts.insert(
            name.to_string(),
            ContractRecord {
                address: expected,
                tx_hash: receipt.as_ref().map(|r| r.tx_hash),
                block_number: receipt.as_ref().map(|r| r.block_number).unwrap_or(0),
                gas_used: receipt.as_ref().map(|r| r.gas_used).unwrap_or(0),
                code_hash,
                constructor_args: ctor.encoded.into(),
                constructor: ctor
                    .named
                    .into_iter()
                    .map(|(k, v)| (k.to_string(), v))
                    .collect(),
                salt,
            },
        );
        self.finish_step(&step, receipt.as_ref())?;
        let gas = receipt.as_ref().map(|r| r.gas_used);
        self.report.push((name.to_string(), gas.unwrap_or(0)));
        self.line(&step, &format!("{expected}"), gas, started);
        if receipt.is_none() && !self.opts.quiet {
            println!("    (found on chain at its predicted address: adopted, not redeployed)");
        }
        Ok(())
    }

    /// `deployment.cache_programs`: caches `name`'s program so its calls pay the cached init
    /// cost instead of the full one. A chain owner (the dev key on our devnet and nitro-devnode)
    /// calls `ArbWasmCache.cacheProgram` directly, as Nitro allows; anyone else bids
    /// `getMinBid` at the CacheManager (real chains; the devnet's CacheManager never evicts and
    /// holds only ~4 programs of this suite's estimated asm size). Skipped when the code hash is
    /// already cached.
    fn cache_step(&mut self, name: &str) -> Result<(), String> {
        let step = format!("cache {name}");
        if self.m.step_done(&step) {
            return Ok(());
        }
        let started = Instant::now();
        let program = self.m.address(name)?;
        let codehash = self.m.contracts[name].code_hash;
        let rpc = self.rpc();
        let cached = rpc
            .view(
                ARB_WASM_CACHE,
                IArbWasmCache::codehashIsCachedCall { codehash },
            )?
            ._0;
        let owner = rpc
            .view(
                ARB_OWNER_PUBLIC,
                IArbOwnerPublic::isChainOwnerCall {
                    addr: self.signer.address(),
                },
            )?
            ._0;
        let mut bid = U256::ZERO;
        let receipt = if cached && self.m.pending.is_none() {
            None
        } else {
            let (to, data) = if owner {
                (
                    ARB_WASM_CACHE,
                    IArbWasmCache::cacheProgramCall { addr: program }.abi_encode(),
                )
            } else {
                if !cached {
                    bid = U256::from(
                        rpc.view(CACHE_MANAGER, ICacheManager::getMinBidCall { program })
                            .map_err(|e| format!("{step}: {e}"))?
                            .min,
                    );
                }
                (
                    CACHE_MANAGER,
                    ICacheManager::placeBidCall { program }.abi_encode(),
                )
            };
            let gas = match rpc.estimate_gas(self.signer.address(), to, bid, &data) {
                Ok(g) => g + g / 4 + 10_000,
                Err(_) if self.m.pending.is_some() => CALL_GAS_BUDGET,
                Err(e) => return Err(format!("{step}: caching would revert: {e}")),
            };
            Some(self.transact(&step, to, bid, data, gas)?)
        };
        self.finish_step(&step, receipt.as_ref())?;
        let gas = receipt.as_ref().map(|r| r.gas_used);
        self.report.push((step.clone(), gas.unwrap_or(0)));
        let what = match &receipt {
            Some(_) if owner => "ArbWasmCache.cacheProgram (owner)".to_string(),
            Some(_) => format!("CacheManager bid {} ETH", fmt_eth(bid)),
            None => "already cached".into(),
        };
        self.line(&step, &what, gas, started);
        Ok(())
    }

    /// A call step; `done` says whether the chain already has its effect (then nothing is sent).
    fn call_step<C: SolCall>(
        &mut self,
        step: &str,
        to: Address,
        call: C,
        done: bool,
    ) -> Result<(), String> {
        if self.m.step_done(step) {
            return Ok(());
        }
        let started = Instant::now();
        let receipt = if done && self.m.pending.is_none() {
            None
        } else {
            let data = call.abi_encode();
            let gas = match self
                .rpc()
                .estimate_gas(self.signer.address(), to, U256::ZERO, &data)
            {
                Ok(g) => g + g / 4 + 10_000,
                Err(_) if self.m.pending.is_some() => CALL_GAS_BUDGET,
                Err(e) => return Err(format!("{step}: {} would revert: {e}", C::SIGNATURE)),
            };
            Some(self.transact(step, to, U256::ZERO, data, gas)?)
        };
        self.finish_step(step, receipt.as_ref())?;
        let gas = receipt.as_ref().map(|r| r.gas_used);
        self.report.push((step.to_string(), gas.unwrap_or(0)));
        self.line(
            step,
            if receipt.is_some() {
                "ok"
            } else {
                "already on chain"
            },
            gas,
            started,
        );
        Ok(())
    }
}

/// The DIEM minter's constructor: `(vault, diem, admin, minBase)`, or `(vault, diem, admin)` for
/// artifacts built before `minBase` existed — whichever `abi/diem-minter.json` declares.
fn minter_ctor(p: &Suite, c: &Config) -> Ctor {
    let a = |x: Address| x.to_checksum(None);
    let abi: alloy_json_abi::JsonAbi =
        serde_json::from_str(include_str!("../../abi/diem-minter.json"))
            .expect("abi/diem-minter.json");
    if abi.constructor().is_some_and(|k| k.inputs.len() == 3) {
        return Ctor {
            named: vec![
                ("vault", a(p.vault)),
                ("diem", a(p.diem)),
                ("admin", a(c.admin)),
            ],
            encoded: (p.vault, p.diem, c.admin).abi_encode_params(),
        };
    }
    Ctor {
        named: vec![
            ("vault", a(p.vault)),
            ("diem", a(p.diem)),
            ("admin", a(c.admin)),
            ("minBase", c.min_base.to_string()),
        ],
        encoded: (p.vault, p.diem, c.admin, c.min_base).abi_encode_params(),
    }
}

/// VVV's genesis: the deployer holds the airdrop and team parts until the airdrop and vesting
/// contracts exist (their addresses depend on VVV's); the rest goes straight to its owners.
pub fn genesis_recipients(c: &Config, deployer: Address) -> (Vec<Address>, Vec<U256>) {
    let g = &c.raw.genesis;
    let parts = [
        (deployer, c.airdrop_total + c.team_total),
        (c.treasury, crate::config::wad(g.treasury_vvv)),
        (c.incentive_fund, crate::config::wad(g.incentive_fund_vvv)),
        (c.liquidity, crate::config::wad(g.liquidity_vvv)),
    ];
    parts.into_iter().filter(|(_, v)| !v.is_zero()).unzip()
}

/// What each account holds right after the deployment (accounts may coincide).
pub fn expected_balances(c: &Config, deployer: Address, s: &Suite) -> BTreeMap<Address, U256> {
    let g = &c.raw.genesis;
    let mut m: BTreeMap<Address, U256> = BTreeMap::new();
    for (who, amt) in [
        (s.airdrop, c.airdrop_total),
        (s.vesting, c.team_total - c.team_launch),
        (c.team_beneficiary, c.team_launch),
        (c.treasury, crate::config::wad(g.treasury_vvv)),
        (c.incentive_fund, crate::config::wad(g.incentive_fund_vvv)),
        (c.liquidity, crate::config::wad(g.liquidity_vvv)),
        (deployer, U256::ZERO),
    ] {
        *m.entry(who).or_default() += amt;
    }
    m
}

/// Runs (or resumes) the deployment. Returns the manifest of the complete, verified suite.
pub fn deploy(rpc: &Rpc, key: Key, cfg: &Config, opts: &Options) -> Result<Manifest, String> {
    let total = Instant::now();
    let chain_id = rpc.chain_id()?;
    if chain_id != cfg.chain_id {
        return Err(format!(
            "chain.chain_id: the config is for chain {}, but {} is chain {chain_id}",
            cfg.chain_id,
            rpc.url()
        ));
    }
    let deployer = key.address;
    let m = open_manifest(rpc, cfg, opts, chain_id, deployer)?;
    check_recorded_contracts(rpc, &m, opts, chain_id)?;
    let codes = load_artifacts(&m, opts)?;
    announce_resume(&m, opts);

    let signer = Signer::new(rpc, key, chain_id)?;
    m.save(&opts.manifest)?;
    let mut d = Deployer {
        signer,
        cfg,
        m,
        opts,
        sent: 0,
        report: Vec::new(),
    };
    let p = d.predict(&codes);
    d.check_funds()?;

    for name in CONTRACTS {
        if !d.m.contracts.contains_key(name) {
            d.deploy_contract(name, &codes[name], &p)?;
        }
    }
    let s = Suite::from_manifest(&d.m)?;
    d.wire(&s)?;
    d.allocate_genesis(&s)?;
    d.admin_steps(&s)?;
    if cfg.cache_programs {
        for name in CONTRACTS {
            d.cache_step(name)?;
        }
    }
    d.complete_and_verify(&s, total)
}

/// The manifest to continue: the one on disk, checked to belong to this chain, config and
/// deployer (resuming someone else's deployment would be wrong), or a fresh one starting now.
fn open_manifest(
    rpc: &Rpc,
    cfg: &Config,
    opts: &Options,
    chain_id: u64,
    deployer: Address,
) -> Result<Manifest, String> {
    let config_name = cfg.path.display().to_string();
    let m = match Manifest::load(&opts.manifest)? {
        Some(m) => {
            if m.format != MANIFEST_FORMAT {
                return Err(format!(
                    "manifest {}: format {:?}, expected {MANIFEST_FORMAT}",
                    opts.manifest.display(),
                    m.format
                ));
            }
            if m.chain_id != chain_id {
                return Err(format!(
                    "manifest {}: chain {} but the node is chain {chain_id}",
                    opts.manifest.display(),
                    m.chain_id
                ));
            }
            if m.config_hash != cfg.hash {
                return Err(format!(
                    "manifest {}: written for a config with hash {} but {} now hashes to {}: the config \
                     changed since this deployment began. Restore it, or deploy anew with another --manifest",
                    opts.manifest.display(),
                    m.config_hash,
                    config_name,
                    cfg.hash
                ));
            }
            if m.deployer != deployer {
                return Err(format!(
                    "manifest {}: deployed by {} but the key given is {deployer}",
                    opts.manifest.display(),
                    m.deployer
                ));
            }
            m
        }
        None => {
            let now = rpc.timestamp()?;
            Manifest {
                format: MANIFEST_FORMAT.into(),
                chain_id,
                config: config_name,
                config_hash: cfg.hash,
                deployer,
                start_nonce: rpc.nonce(deployer)?,
                emission_start: cfg.start_time(now),
                contracts: BTreeMap::new(),
                steps: Vec::new(),
                pending: None,
                complete: false,
                completed_block: None,
            }
        }
    };
    Ok(m)
}

/// Fails unless every contract the manifest records is on chain with the recorded code hash,
/// so a reset chain or a stale manifest is caught before anything is sent.
fn check_recorded_contracts(
    rpc: &Rpc,
    m: &Manifest,
    opts: &Options,
    chain_id: u64,
) -> Result<(), String> {
    for (name, rec) in &m.contracts {
        let code = rpc.code(rec.address)?;
        if code.is_empty() {
            return Err(format!(
                "manifest {}: {name} at {} has no code on chain {chain_id} (a reset devnet? then delete the manifest)",
                opts.manifest.display(),
                rec.address
            ));
        }
        let h = keccak256(&code);
        if h != rec.code_hash {
            return Err(format!(
                "manifest {}: {name} at {} has code hash {h} on chain, the manifest records {}",
                opts.manifest.display(),
                rec.address,
                rec.code_hash
            ));
        }
    }
    Ok(())
}

/// Every contract's `artifacts/<name>.code`, refusing one that changed since the manifest
/// recorded its deployment (a resumed deployment must finish with the code it began with).
fn load_artifacts(m: &Manifest, opts: &Options) -> Result<BTreeMap<&'static str, Vec<u8>>, String> {
    let mut codes = BTreeMap::new();
    for name in CONTRACTS {
        let code = artifact(&opts.root, name)?;
        if let Some(rec) = m.contracts.get(name) {
            if keccak256(&code) != rec.code_hash {
                return Err(format!(
                    "artifacts/{name}.code changed since {name} was deployed (the manifest records code hash {}): \
                     finish this deployment with the artifacts it began with, or deploy anew with another --manifest",
                    rec.code_hash
                ));
            }
        }
        codes.insert(name, code);
    }
    Ok(codes)
}

/// Says what an earlier run already recorded, when this run resumes one.
fn announce_resume(m: &Manifest, opts: &Options) {
    if !m.contracts.is_empty() || m.pending.is_some() {
        println!(
            "resuming {}: {} of {} contracts and {} steps recorded{}",
            opts.manifest.display(),
            m.contracts.len(),
            CONTRACTS.len(),
            m.steps.len(),
            m.pending
                .as_ref()
                .map(|p| format!(", pending {} ({})", p.step, p.tx_hash))
                .unwrap_or_default()
        );
    }
}

impl Deployer<'_> {
    /// Checks the deployer's balance against an estimate of what is left to do, so an
    /// underfunded deployment fails before its first transaction rather than halfway.
    fn check_funds(&self) -> Result<(), String> {
        let cfg = self.cfg;
        let deployer = self.signer.address();
        let chain_id = self.signer.chain_id;
        let todo_deploys = CONTRACTS
            .iter()
            .filter(|n| !self.m.contracts.contains_key(**n))
            .count() as u64;
        let cache_steps = if cfg.cache_programs {
            CONTRACTS.len()
        } else {
            0
        };
        let todo_calls = (12 + cache_steps as u64)
            .saturating_sub(self.m.steps.len().saturating_sub(CONTRACTS.len()) as u64);
        if todo_deploys + todo_calls > 0 || !self.m.complete {
            let gas = todo_deploys * DEPLOY_GAS_BUDGET + todo_calls * CALL_GAS_BUDGET;
            let need = U256::from(gas) * self.signer.max_fee()
                + if todo_deploys > 0 {
                    cfg.activation_value
                } else {
                    U256::ZERO
                };
            let have = self.rpc().balance(deployer)?;
            if !self.m.complete && !self.opts.quiet {
                println!(
                    "deployer {deployer} on chain {chain_id}: balance {} ETH, estimated need {} ETH ({todo_deploys} deployments, ≤ {todo_calls} calls, {gas} gas at {} gwei max)",
                    fmt_eth(have),
                    fmt_eth(need),
                    fmt_gwei(self.signer.max_fee())
                );
            }
            if have < need && !self.m.complete {
                return Err(format!(
                    "the deployer {deployer} holds {} ETH, the deployment needs about {} ETH: fund it first (nothing was sent)",
                    fmt_eth(have),
                    fmt_eth(need)
                ));
            }
        }
        Ok(())
    }

    /// Steps 9–12: links the contracts to each other, in the order the contracts check each
    /// other's links (a step whose link is already on chain sends nothing).
    fn wire(&mut self, s: &Suite) -> Result<(), String> {
        let rpc = self.rpc();
        let vvv_minter = rpc.view(s.vvv, IVvvToken::minterCall {})?._0;
        self.call_step(
            "wire VVV.setMinter(controller)",
            s.vvv,
            IVvvToken::setMinterCall {
                minter: s.controller,
            },
            vvv_minter == s.controller,
        )?;
        let diem_minter = rpc.view(s.diem, IDiemToken::minterCall {})?._0;
        self.call_step(
            "wire DIEM.setMinter(minter)",
            s.diem,
            IDiemToken::setMinterCall { minter: s.minter },
            diem_minter == s.minter,
        )?;
        let dist = rpc
            .view(s.vault, IStakingVault::rewardsDistributorCall {})?
            ._0;
        self.call_step(
            "wire vault.setRewardsDistributor(controller)",
            s.vault,
            IStakingVault::setRewardsDistributorCall {
                distributor: s.controller,
            },
            dist == s.controller,
        )?;
        let locker = rpc.view(s.vault, IStakingVault::lockerCall {})?._0;
        self.call_step(
            "wire vault.setLocker(minter)",
            s.vault,
            IStakingVault::setLockerCall { locker: s.minter },
            locker == s.minter,
        )
    }

    /// Steps 13–15: hands the genesis parts the deployer held (VVV was deployed before the
    /// airdrop and vesting addresses existed) to the airdrop, the team and the vesting.
    fn allocate_genesis(&mut self, s: &Suite) -> Result<(), String> {
        let cfg = self.cfg;
        let deployer = self.signer.address();
        let vesting_part = cfg.team_total - cfg.team_launch;
        for (step, to, amount) in [
            ("genesis: fund airdrop", s.airdrop, cfg.airdrop_total),
            (
                "genesis: team launch part",
                cfg.team_beneficiary,
                cfg.team_launch,
            ),
            ("genesis: fund team vesting", s.vesting, vesting_part),
        ] {
            if amount.is_zero() {
                continue;
            }
            if to == deployer {
                // Already where it belongs (the deployer is the beneficiary): nothing to send.
                self.call_step(
                    step,
                    s.vvv,
                    IVvvToken::transferCall { to, value: amount },
                    true,
                )?;
            } else {
                self.call_step(
                    step,
                    s.vvv,
                    IVvvToken::transferCall { to, value: amount },
                    false,
                )?;
            }
        }
        Ok(())
    }

    /// Steps 16+: the config's optional admin steps (split curve, reporter and revenue roles),
    /// which the deployer can send only as the admin (checked by the config).
    fn admin_steps(&mut self, s: &Suite) -> Result<(), String> {
        let cfg = self.cfg;
        let rpc = self.rpc();
        if let Some(points) = &cfg.curve {
            let (us, ss): (Vec<u16>, Vec<u16>) = points
                .iter()
                .map(|p| (p.utilization_bps, p.staker_share_bps))
                .unzip();
            let cu = rpc
                .view(s.controller, IEmissionController::curveUtilizationsCall {})?
                ._0;
            let cs = rpc
                .view(s.controller, IEmissionController::curveSharesCall {})?
                ._0;
            let done = cu == us && cs == ss;
            self.call_step(
                "admin: controller.setCurve",
                s.controller,
                IEmissionController::setCurveCall {
                    utilizations: us,
                    shares: ss,
                },
                done,
            )?;
        }
        if let Some(reporter) = cfg.reporter {
            let role = rpc
                .view(s.controller, IEmissionController::REPORTER_ROLECall {})?
                ._0;
            let done = rpc
                .view(
                    s.controller,
                    IEmissionController::hasRoleCall {
                        role,
                        account: reporter,
                    },
                )?
                ._0;
            self.call_step(
                "admin: grant REPORTER_ROLE",
                s.controller,
                IEmissionController::grantRoleCall {
                    role,
                    account: reporter,
                },
                done,
            )?;
        }
        if let Some(revenue) = cfg.revenue {
            let role = rpc
                .view(s.burn_treasury, IBurnTreasury::REVENUE_ROLECall {})?
                ._0;
            let done = rpc
                .view(
                    s.burn_treasury,
                    IBurnTreasury::hasRoleCall {
                        role,
                        account: revenue,
                    },
                )?
                ._0;
            self.call_step(
                "admin: grant REVENUE_ROLE",
                s.burn_treasury,
                IBurnTreasury::grantRoleCall {
                    role,
                    account: revenue,
                },
                done,
            )?;
        }
        Ok(())
    }

    /// Marks the manifest complete (on the run that completes it, recording the block that
    /// later runs verify balances at), reads every link and balance back and prints the
    /// summary. Returns the manifest.
    fn complete_and_verify(mut self, s: &Suite, total: Instant) -> Result<Manifest, String> {
        let rpc = self.rpc();
        let cfg = self.cfg;
        let opts = self.opts;
        let chain_id = self.signer.chain_id;
        let just_completed = !self.m.complete;
        if just_completed {
            self.m.complete = true;
            self.m.completed_block = Some(rpc.block_number()?);
            self.save()?;
        }
        let started = Instant::now();
        let block = if just_completed {
            None
        } else {
            self.m.completed_block
        };
        let checks = verify(rpc, cfg, &self.m, s, block)?;
        if !opts.quiet {
            println!(
                "  {:<44} {:<34} {:>14} {:>7.2}s",
                "verify links and balances",
                format!("{checks} checks passed"),
                "-",
                started.elapsed().as_secs_f64()
            );
            let sent = self.report.iter().filter(|(_, g)| *g > 0).count();
            let gas: u64 = self.report.iter().map(|(_, g)| g).sum();
            println!(
                "deployment {} on chain {chain_id}: {sent} transactions now, {gas} gas, {:.1}s; manifest {}",
                if sent == 0 { "already complete, nothing sent" } else { "complete" },
                total.elapsed().as_secs_f64(),
                opts.manifest.display()
            );
        }
        Ok(self.m)
    }
}

/// Reads every link and balance back; fails naming the first that differs. Balances are
/// read at `block` (the deployment's last block on later runs; latest right after it).
pub fn verify(
    rpc: &Rpc,
    cfg: &Config,
    m: &Manifest,
    s: &Suite,
    block: Option<u64>,
) -> Result<usize, String> {
    let mut checks = Checks { count: 0 };
    check_token_and_vault_links(rpc, s, &mut checks)?;
    check_controller_settings(rpc, cfg, s, block, &mut checks)?;
    check_minter_and_burn_treasury_links(rpc, s, &mut checks)?;
    check_airdrop_settings(rpc, cfg, s, &mut checks)?;
    check_vesting_settings(rpc, cfg, m, s, &mut checks)?;
    check_admin_roles(rpc, cfg, s, &mut checks)?;
    check_supply_and_balances(rpc, cfg, m, s, block, &mut checks)?;
    Ok(checks.count)
}

/// The checks [`verify`] has run: it reports their number when all pass.
struct Checks {
    count: usize,
}

impl Checks {
    /// Counts one check; fails naming `what` when the value read back differs from `want`.
    fn check(&mut self, what: &str, got: String, want: String) -> Result<(), String> {
        self.count += 1;
        if got != want {
            Err(format!(
                "verification failed: {what} is {got}, expected {want}"
            ))
        } else {
            Ok(())
        }
    }
}

/// The tokens' minters and the vault's links (the wiring steps' effects and the vault's token).
fn check_token_and_vault_links(rpc: &Rpc, s: &Suite, checks: &mut Checks) -> Result<(), String> {
    let a = |x: Address| x.to_checksum(None);
    checks.check(
        "VVV.minter()",
        a(rpc.view(s.vvv, IVvvToken::minterCall {})?._0),
        a(s.controller),
    )?;
    checks.check(
        "DIEM.minter()",
        a(rpc.view(s.diem, IDiemToken::minterCall {})?._0),
        a(s.minter),
    )?;
    checks.check(
        "vault.vvv()",
        a(rpc.view(s.vault, IStakingVault::vvvCall {})?._0),
        a(s.vvv),
    )?;
    checks.check(
        "vault.rewardsDistributor()",
        a(rpc
            .view(s.vault, IStakingVault::rewardsDistributorCall {})?
            ._0),
        a(s.controller),
    )?;
    checks.check(
        "vault.locker()",
        a(rpc.view(s.vault, IStakingVault::lockerCall {})?._0),
        a(s.minter),
    )
}

/// The emission controller's constructor arguments; the annual emission only right after the
/// deployment (`block` is `None`), since the admin may cut it later.
fn check_controller_settings(
    rpc: &Rpc,
    cfg: &Config,
    s: &Suite,
    block: Option<u64>,
    checks: &mut Checks,
) -> Result<(), String> {
    let a = |x: Address| x.to_checksum(None);
    checks.check(
        "controller.token()",
        a(rpc
            .view(s.controller, IEmissionController::tokenCall {})?
            ._0),
        a(s.vvv),
    )?;
    checks.check(
        "controller.vault()",
        a(rpc
            .view(s.controller, IEmissionController::vaultCall {})?
            ._0),
        a(s.vault),
    )?;
    checks.check(
        "controller.treasury()",
        a(rpc
            .view(s.controller, IEmissionController::treasuryCall {})?
            ._0),
        a(cfg.treasury),
    )?;
    if block.is_none() {
        // Right after the deployment (later the admin may have cut it).
        checks.check(
            "controller.annualEmission()",
            rpc.view(s.controller, IEmissionController::annualEmissionCall {})?
                ._0
                .to_string(),
            cfg.annual_emission.to_string(),
        )?;
    }
    Ok(())
}

/// The DIEM minter's vault and token, and the burn treasury's token.
fn check_minter_and_burn_treasury_links(
    rpc: &Rpc,
    s: &Suite,
    checks: &mut Checks,
) -> Result<(), String> {
    let a = |x: Address| x.to_checksum(None);
    checks.check(
        "minter.vault()",
        a(rpc.view(s.minter, IDiemMinter::vaultCall {})?._0),
        a(s.vault),
    )?;
    checks.check(
        "minter.diem()",
        a(rpc.view(s.minter, IDiemMinter::diemCall {})?._0),
        a(s.diem),
    )?;
    checks.check(
        "burnTreasury.vvv()",
        a(rpc.view(s.burn_treasury, IBurnTreasury::vvvCall {})?._0),
        a(s.vvv),
    )
}

/// The airdrop's links and its Merkle root (the config's claim list).
fn check_airdrop_settings(
    rpc: &Rpc,
    cfg: &Config,
    s: &Suite,
    checks: &mut Checks,
) -> Result<(), String> {
    let a = |x: Address| x.to_checksum(None);
    checks.check(
        "airdrop.vvv()",
        a(rpc.view(s.airdrop, IAirdrop::vvvCall {})?._0),
        a(s.vvv),
    )?;
    checks.check(
        "airdrop.treasury()",
        a(rpc.view(s.airdrop, IAirdrop::treasuryCall {})?._0),
        a(s.burn_treasury),
    )?;
    checks.check(
        "airdrop.vault()",
        a(rpc.view(s.airdrop, IAirdrop::vaultCall {})?._0),
        a(s.vault),
    )?;
    checks.check(
        "airdrop.merkleRoot()",
        rpc.view(s.airdrop, IAirdrop::merkleRootCall {})?
            ._0
            .to_string(),
        cfg.airdrop.root().to_string(),
    )
}

/// The team vesting's token, beneficiary and schedule (it starts with the emission).
fn check_vesting_settings(
    rpc: &Rpc,
    cfg: &Config,
    m: &Manifest,
    s: &Suite,
    checks: &mut Checks,
) -> Result<(), String> {
    let a = |x: Address| x.to_checksum(None);
    checks.check(
        "vesting.token()",
        a(rpc.view(s.vesting, IVvvVesting::tokenCall {})?._0),
        a(s.vvv),
    )?;
    checks.check(
        "vesting.beneficiary()",
        a(rpc.view(s.vesting, IVvvVesting::beneficiaryCall {})?._0),
        a(cfg.team_beneficiary),
    )?;
    checks.check(
        "vesting.start()",
        rpc.view(s.vesting, IVvvVesting::startCall {})?
            ._0
            .to_string(),
        m.emission_start.to_string(),
    )?;
    checks.check(
        "vesting.duration()",
        rpc.view(s.vesting, IVvvVesting::durationCall {})?
            ._0
            .to_string(),
        cfg.team_vesting_duration.to_string(),
    )
}

/// The config's admin holds DEFAULT_ADMIN_ROLE on every contract with roles.
fn check_admin_roles(
    rpc: &Rpc,
    cfg: &Config,
    s: &Suite,
    checks: &mut Checks,
) -> Result<(), String> {
    let a = |x: Address| x.to_checksum(None);
    let admin_role = B256::ZERO;
    for (name, addr) in [
        ("vault", s.vault),
        ("controller", s.controller),
        ("burnTreasury", s.burn_treasury),
        ("minter", s.minter),
    ] {
        let has = rpc
            .view(
                addr,
                IStakingVault::hasRoleCall {
                    role: admin_role,
                    account: cfg.admin,
                },
            )?
            ._0;
        checks.check(
            &format!("{name}.hasRole(DEFAULT_ADMIN_ROLE, admin {})", a(cfg.admin)),
            has.to_string(),
            "true".into(),
        )?;
    }
    Ok(())
}

/// VVV's total supply and every genesis holder's balance, read at `block` (the deployment's
/// end) so transfers made after the deployment do not fail a later run.
fn check_supply_and_balances(
    rpc: &Rpc,
    cfg: &Config,
    m: &Manifest,
    s: &Suite,
    block: Option<u64>,
    checks: &mut Checks,
) -> Result<(), String> {
    let a = |x: Address| x.to_checksum(None);
    let at = |call: Vec<u8>, to: Address| -> Result<Bytes, String> {
        let tag = block
            .map(|b| format!("0x{b:x}"))
            .unwrap_or_else(|| "latest".into());
        let v = rpc
            .request(
                "eth_call",
                serde_json::json!([{"to": to, "data": Bytes::from(call)}, tag]),
            )
            .map_err(|e| format!("reading balances at block {tag}: {e}"))?;
        serde_json::from_value(v).map_err(|e| e.to_string())
    };
    let u = |b: Bytes| U256::from_be_slice(&b);
    let supply = u(at(IVvvToken::totalSupplyCall {}.abi_encode(), s.vvv)?);
    checks.check(
        "VVV.totalSupply()",
        supply.to_string(),
        crate::config::wad(crate::config::GENESIS_SUPPLY_VVV).to_string(),
    )?;
    for (who, want) in expected_balances(cfg, m.deployer, s) {
        let got = u(at(
            IVvvToken::balanceOfCall { account: who }.abi_encode(),
            s.vvv,
        )?);
        let label = label_of(cfg, m.deployer, s, who);
        checks.check(
            &format!("VVV.balanceOf({label} {})", a(who)),
            got.to_string(),
            want.to_string(),
        )?;
    }
    Ok(())
}

fn label_of(c: &Config, deployer: Address, s: &Suite, who: Address) -> String {
    let mut names = Vec::new();
    for (n, a) in [
        ("airdrop", s.airdrop),
        ("vesting", s.vesting),
        ("team", c.team_beneficiary),
        ("treasury", c.treasury),
        ("incentive fund", c.incentive_fund),
        ("liquidity", c.liquidity),
        ("deployer", deployer),
    ] {
        if a == who {
            names.push(n);
        }
    }
    names.join("+")
}

pub fn fmt_eth(wei: U256) -> String {
    let w: u128 = wei.try_into().unwrap_or(u128::MAX);
    format!("{:.4}", w as f64 / 1e18)
}

fn fmt_gwei(wei: U256) -> String {
    let w: u128 = wei.try_into().unwrap_or(u128::MAX);
    format!("{:.2}", w as f64 / 1e9)
}

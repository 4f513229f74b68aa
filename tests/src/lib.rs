//! End-to-end harness: the real Wasm of the VVV contracts (`artifacts/<name>.code`, what
//! `vvv build` writes and a deployer ships) on the in-process devnet engine
//! (`vvv-devnet-engine`: revm + wasmi, Nitro's ink pricing, blocks with settable timestamps).
//!
//! [`Suite::new`] gives a chain on which the whole suite is deployed and wired the way a
//! deployer does it (see [`deploy_suite`]); the deployment runs once per test process and every
//! suite starts from a copy of it. Calls are typed with the `sol!` interfaces of [`abi`]:
//! [`Suite::send`] is a transaction (a block of its own), [`Suite::view`] an `eth_call` against
//! the next block.
//!
//! Time: every transaction is mined in its own block, one second after the previous one unless
//! [`Suite::warp`] / [`Suite::skip`] set the next block's timestamp. Views run in the next
//! block's environment (its timestamp included), like `eth_call` on `latest` in anvil.

pub mod abi;

use std::path::PathBuf;
use std::sync::OnceLock;

use alloy_consensus::{SignableTransaction, TxEip1559, TxEnvelope};
use alloy_eips::eip2718::Encodable2718;
use alloy_primitives::{keccak256, Address, Signature, TxKind, B256, U256};
use alloy_sol_types::{SolCall, SolError, SolEvent, SolValue};
use k256::ecdsa::SigningKey;
use vvv_devnet_engine::{arbos, deployment_init_code, CallRequest, ChainSnapshot, Devnet, Receipt};

pub use abi::*;
pub use vvv_devnet_engine as engine;

/// One day, seconds.
pub const DAY: u64 = 86_400;
/// The staking vault's default unstake cooldown.
pub const WEEK: u64 = 7 * DAY;
/// `1e18`.
pub const WAD: u128 = 1_000_000_000_000_000_000;
/// The engine's genesis timestamp (2023-11-14T22:13:20Z).
pub const GENESIS_TIME: u64 = 1_700_000_000;
/// The emission controller's `startTime`: the first UTC midnight after genesis
/// (2023-11-15T00:00:00Z), ≈ 1.8 h after the deployment transactions.
pub const LAUNCH: u64 = 1_700_006_400;
/// `annualEmission` the suite is deployed with: 6,000,000 VVV a year (a deploy config below the
/// 14M launch default, as SPEC §3.3 allows).
pub const ANNUAL_EMISSION_VVV: u64 = 6_000_000;
/// The DIEM minter's `minBase` (sVVV per DIEM, whole tokens): the launch base, as
/// `deploy/devnet.toml` sets it.
pub const DIEM_MIN_BASE_VVV: u64 = 90;
/// VVV's genesis supply, whole tokens.
pub const GENESIS_SUPPLY_VVV: u64 = 100_000_000;

/// `n` whole tokens (18 decimals).
pub fn wad(n: u64) -> U256 {
    U256::from(n) * U256::from(WAD)
}

/// The 100M genesis supply in wei.
pub fn genesis_supply() -> U256 {
    wad(GENESIS_SUPPLY_VVV)
}

/// A deterministic address for `label` (no key: the engine impersonates it).
pub fn addr(label: &str) -> Address {
    Address::from_word(keccak256(format!("vvv-e2e {label}")))
}

// ---------------------------------------------------------------------------------------------
// Artifacts
// ---------------------------------------------------------------------------------------------

/// The repository root (tests/..).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// `artifacts/<name>.code`: the deployable code (Stylus prefix + brotli Wasm) that
/// `cargo run -p vvv-scripts -- build` writes. Built with that command first when missing;
/// panics if it cannot be built (these tests exist to run the real artifacts).
///
/// `VVV_ARTIFACTS_DIR` reads them from another folder instead (never built there): e.g. a
/// deliberately broken contract, to see the model test catch it, while another run of this
/// checkout still reads the real ones.
pub fn contract_code(name: &str) -> Vec<u8> {
    let path = match std::env::var_os("VVV_ARTIFACTS_DIR") {
        Some(dir) => PathBuf::from(dir).join(format!("{name}.code")),
        None => {
            let path = repo_root().join(format!("artifacts/{name}.code"));
            if !path.exists() {
                build_artifacts(name);
            }
            path
        }
    };
    std::fs::read(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

/// Runs the project's build step for one contract (`cargo run -p vvv-scripts -- build <name>`
/// in the root workspace, as `devnet/engine/tests/common` does).
fn build_artifacts(name: &str) {
    eprintln!("building artifacts/{name}.code with `cargo run -p vvv-scripts -- build {name}`...");
    let status = std::process::Command::new(std::env::var("CARGO").unwrap_or("cargo".into()))
        .current_dir(repo_root())
        // The root workspace builds into its own target folder: a CARGO_TARGET_DIR shared with
        // this (devnet) workspace's running `cargo test` would wait on its lock.
        .env_remove("CARGO_TARGET_DIR")
        .args(["run", "-q", "-p", "vvv-scripts", "--", "build", name])
        .status();
    assert!(
        matches!(status, Ok(s) if s.success()),
        "could not build artifacts/{name}.code ({status:?}); run `cargo run -p vvv-scripts -- build` \
         in the repository root (needs the wasm32 target, rust-src and wasm-opt)"
    );
}

// ---------------------------------------------------------------------------------------------
// Keys and transactions
// ---------------------------------------------------------------------------------------------

/// A secp256k1 key: the deployer signs its transactions like a real deployer would.
pub struct Key {
    sk: SigningKey,
    pub address: Address,
}

impl Key {
    /// The key whose secret is `keccak256(label)`.
    pub fn from_label(label: &str) -> Self {
        let sk = SigningKey::from_bytes(&keccak256(label).0.into()).expect("valid key");
        let address = Address::from_public_key(sk.verifying_key());
        Self { sk, address }
    }

    /// A signed EIP-1559 transaction (EIP-2718 bytes).
    pub fn sign_1559(
        &self,
        chain_id: u64,
        nonce: u64,
        to: Option<Address>,
        value: U256,
        input: Vec<u8>,
    ) -> Vec<u8> {
        let tx = TxEip1559 {
            chain_id,
            nonce,
            gas_limit: 30_000_000,
            max_fee_per_gas: 1_000_000_000,
            max_priority_fee_per_gas: 0,
            to: to.map(TxKind::Call).unwrap_or(TxKind::Create),
            value,
            access_list: Default::default(),
            input: input.into(),
        };
        let (sig, rec) = self
            .sk
            .sign_prehash_recoverable(tx.signature_hash().as_slice())
            .expect("signing");
        let sig = Signature::from_signature_and_parity(sig, rec.is_y_odd());
        TxEnvelope::from(tx.into_signed(sig)).encoded_2718()
    }
}

/// A mined transaction of call `C`.
pub struct Tx<C: SolCall> {
    pub receipt: Receipt,
    _call: std::marker::PhantomData<C>,
}

impl<C: SolCall> Tx<C> {
    /// Gas used by the whole transaction (intrinsic + calldata + execution − refunds), what
    /// the user pays for.
    pub fn gas(&self) -> u64 {
        self.receipt.gas_used
    }

    pub fn succeeded(&self) -> bool {
        self.receipt.status
    }

    /// The decoded return value; panics, naming the revert, if it failed.
    #[track_caller]
    pub fn ok(self) -> C::Return {
        assert!(
            self.receipt.status,
            "{} reverted: {} (halt: {:?})",
            C::SIGNATURE,
            describe_revert(&self.receipt.output),
            self.receipt.halt
        );
        C::abi_decode_returns(&self.receipt.output)
            .unwrap_or_else(|e| panic!("{}: undecodable return: {e}", C::SIGNATURE))
    }

    /// The custom error `E` it reverted with; panics if it succeeded or reverted otherwise.
    #[track_caller]
    pub fn err<E: SolError>(self) -> E {
        assert!(
            !self.receipt.status,
            "{} succeeded, expected {}",
            C::SIGNATURE,
            E::SIGNATURE
        );
        E::abi_decode(&self.receipt.output).unwrap_or_else(|_| {
            panic!(
                "{} reverted with {}, expected {}",
                C::SIGNATURE,
                describe_revert(&self.receipt.output),
                E::SIGNATURE
            )
        })
    }

    /// The revert data, if it reverted.
    pub fn revert_data(&self) -> Option<&[u8]> {
        (!self.receipt.status).then_some(self.receipt.output.as_ref())
    }
}

// ---------------------------------------------------------------------------------------------
// The deployed suite
// ---------------------------------------------------------------------------------------------

/// Addresses of the deployed contracts and of the deployment's actors.
#[derive(Clone, Copy, Debug)]
pub struct Contracts {
    pub vvv: Address,
    pub vault: Address,
    pub controller: Address,
    pub burn_treasury: Address,
    pub diem: Address,
    pub minter: Address,
    /// Signs every deployment and wiring transaction.
    pub deployer: Address,
    /// `DEFAULT_ADMIN_ROLE` of the vault, controller, burn treasury and minter (a multisig).
    pub admin: Address,
    /// The platform treasury that receives the non-staker part of emissions.
    pub treasury: Address,
    /// Genesis holder of 40M VVV (treasury 25M + incentive fund 10M + liquidity 5M, SPEC §3.7):
    /// the tests' faucet.
    pub funder: Address,
    /// Calls the permissionless `distribute()` (a keeper bot).
    pub keeper: Address,
    /// The airdrop (both airdrops in one tree, [`airdrop_leaves`]), funded with 50M.
    pub airdrop: Address,
    /// The team's vesting contract: 7.5M linear over 730 days from [`LAUNCH`].
    pub vesting: Address,
    /// The team's multisig: 2.5M at launch, the beneficiary of the vesting.
    pub team: Address,
}

/// Gas of each deployment step, for the record.
#[derive(Clone, Debug, Default)]
pub struct DeployReport {
    pub steps: Vec<(String, u64)>,
}

struct Deployed {
    snapshot: ChainSnapshot,
    contracts: Contracts,
    report: DeployReport,
}

static DEPLOYED: OnceLock<Deployed> = OnceLock::new();

fn deployed() -> &'static Deployed {
    DEPLOYED.get_or_init(|| {
        let mut chain = Devnet::default();
        let (contracts, report) = deploy_suite(&mut chain);
        Deployed {
            snapshot: chain.snapshot(),
            contracts,
            report,
        }
    })
}

/// VVV's constructor recipients (SPEC §3.7 default split, sums to exactly 100M): the funder
/// takes treasury + incentive fund + liquidity (40M); the deployer holds the airdrops (50M) and
/// the team's 10M until the airdrop and vesting contracts exist (their addresses depend on
/// VVV's), then sends them on ([`deploy_suite`]).
pub fn genesis_allocation(funder: Address, deployer: Address) -> Vec<(Address, U256)> {
    vec![(funder, wad(40_000_000)), (deployer, wad(60_000_000))]
}

/// Who holds the genesis supply once the suite is deployed.
pub fn genesis_holdings(c: &Contracts) -> Vec<(Address, U256)> {
    vec![
        (c.funder, wad(40_000_000)),
        (c.airdrop, wad(50_000_000)),
        (c.team, wad(2_500_000)),
        (c.vesting, wad(7_500_000)),
    ]
}

/// Every address of the deployed suite that can hold VVV: the programs, the actors and the
/// genesis holders (tests add their own users to complete Σ balances == totalSupply).
pub fn suite_vvv_holders(c: &Contracts) -> Vec<Address> {
    let mut holders = vec![
        c.vault,
        c.controller,
        c.burn_treasury,
        c.minter,
        c.treasury,
        c.deployer,
        c.keeper,
        c.admin,
    ];
    holders.extend(genesis_holdings(c).iter().map(|(h, _)| *h));
    holders
}

/// The airdrop's claim window: 45 days from deployment.
pub const AIRDROP_WINDOW: u64 = 45 * DAY;
/// The team vesting's duration: 24 months = 730 days.
pub const VESTING_DURATION: u64 = 730 * DAY;

/// One airdrop allocation: leaf `(index, account, amount)`.
#[derive(Clone, Copy, Debug)]
pub struct AirdropLeaf {
    pub index: U256,
    pub account: Address,
    pub amount: U256,
}

/// The airdrop tree: four claimers of 12.5M each (50M).
pub fn airdrop_leaves() -> Vec<AirdropLeaf> {
    (0..4u64)
        .map(|i| AirdropLeaf {
            index: U256::from(i),
            account: addr(&format!("airdrop claimer {i}")),
            amount: wad(12_500_000),
        })
        .collect()
}

/// OpenZeppelin's `StandardMerkleTree` leaf: `keccak256(keccak256(abi.encode(index, account,
/// amount)))`.
pub fn airdrop_leaf(l: &AirdropLeaf) -> B256 {
    keccak256(keccak256((l.index, l.account, l.amount).abi_encode()))
}

fn hash_pair(a: B256, b: B256) -> B256 {
    let (lo, hi) = if a < b { (a, b) } else { (b, a) };
    keccak256([lo.as_slice(), hi.as_slice()].concat())
}

/// The root of the 4-leaf tree `((l0, l1), (l2, l3))` (sorted-pair hashing, as `MerkleProof`).
pub fn airdrop_root() -> B256 {
    let h: Vec<B256> = airdrop_leaves().iter().map(airdrop_leaf).collect();
    hash_pair(hash_pair(h[0], h[1]), hash_pair(h[2], h[3]))
}

/// The proof of leaf `i`: its sibling, then the other pair's node.
pub fn airdrop_proof(i: usize) -> Vec<B256> {
    let h: Vec<B256> = airdrop_leaves().iter().map(airdrop_leaf).collect();
    let other_pair = if i < 2 {
        hash_pair(h[2], h[3])
    } else {
        hash_pair(h[0], h[1])
    };
    vec![h[i ^ 1], other_pair]
}

/// Calldata of a Stylus `#[constructor]` (what `cargo stylus deploy` sends): the selector of
/// `stylus_constructor()` followed by the ABI-encoded parameters.
pub fn constructor_data(params: &[u8]) -> Vec<u8> {
    let mut data = keccak256("stylus_constructor()")[..4].to_vec();
    data.extend_from_slice(params);
    data
}

/// A deployer's session against `chain`: signed transactions from one key.
struct DeployerSession<'a> {
    chain: &'a mut Devnet,
    key: Key,
    report: DeployReport,
}

impl DeployerSession<'_> {
    fn send(&mut self, step: &str, to: Option<Address>, value: U256, input: Vec<u8>) -> Receipt {
        let nonce = self.chain.nonce(self.key.address);
        let raw = self
            .key
            .sign_1559(self.chain.chain_id(), nonce, to, value, input);
        let r = self
            .chain
            .send_raw_transaction(&raw)
            .unwrap_or_else(|e| panic!("{step}: not included: {e}"));
        assert!(
            r.status,
            "{step} failed: {} {:?}",
            describe_revert(&r.output),
            r.halt
        );
        self.report.steps.push((step.to_string(), r.gas_used));
        r
    }

    /// One transaction to the StylusDeployer (`deploy(bytecode, initData, 0, 0)`): create,
    /// activate and construct atomically, the path `cargo stylus deploy` takes for
    /// `#[constructor]` contracts. 1 ETH covers the data fee; the rest is refunded.
    fn deploy_via_stylus_deployer(&mut self, name: &str, ctor_params: &[u8]) -> Address {
        let code = contract_code(name);
        let input = arbos::IStylusDeployer::deployCall {
            bytecode: deployment_init_code(&code).into(),
            initData: constructor_data(ctor_params).into(),
            initValue: U256::ZERO,
            salt: B256::ZERO,
        }
        .abi_encode();
        let r = self.send(
            &format!("{name}: StylusDeployer.deploy"),
            Some(arbos::STYLUS_DEPLOYER),
            U256::from(WAD),
            input,
        );
        deployed_address(&r)
    }

    /// Steps 1–8 of [`deploy_suite`]: the eight programs, returned with the actors' addresses.
    fn deploy_contracts(
        &mut self,
        admin: Address,
        treasury: Address,
        funder: Address,
        keeper: Address,
    ) -> Contracts {
        let deployer = self.key.address;
        let (recipients, amounts): (Vec<Address>, Vec<U256>) =
            genesis_allocation(funder, deployer).into_iter().unzip();
        assert_eq!(amounts.iter().copied().sum::<U256>(), genesis_supply());
        let vvv = self.deploy_via_stylus_deployer(
            "vvv-token",
            &(deployer, recipients, amounts).abi_encode_params(),
        );
        let vault = self.deploy_via_stylus_deployer(
            "staking-vault",
            &(vvv, admin, deployer).abi_encode_params(),
        );
        let controller = self.deploy_via_stylus_deployer(
            "emission-controller",
            &(
                vvv,
                vault,
                treasury,
                admin,
                wad(ANNUAL_EMISSION_VVV),
                LAUNCH,
            )
                .abi_encode_params(),
        );
        let burn_treasury =
            self.deploy_via_stylus_deployer("burn-treasury", &(vvv, admin).abi_encode_params());
        let diem = self.deploy_via_stylus_deployer("diem-token", &(deployer,).abi_encode_params());
        let minter = self.deploy_via_stylus_deployer(
            "diem-minter",
            &(vault, diem, admin, wad(DIEM_MIN_BASE_VVV)).abi_encode_params(),
        );
        let airdrop = self.deploy_via_stylus_deployer(
            "airdrop",
            &(vvv, burn_treasury, vault, airdrop_root(), AIRDROP_WINDOW).abi_encode_params(),
        );
        let team = addr("team multisig");
        let vesting = self.deploy_via_stylus_deployer(
            "vesting",
            &(vvv, team, LAUNCH, VESTING_DURATION).abi_encode_params(),
        );
        Contracts {
            vvv,
            vault,
            controller,
            burn_treasury,
            diem,
            minter,
            deployer,
            admin,
            treasury,
            funder,
            keeper,
            airdrop,
            vesting,
            team,
        }
    }

    /// Step 9 of [`deploy_suite`]: VVV's and DIEM's minters, the vault's distributor and locker.
    fn wire(&mut self, c: &Contracts) {
        self.send(
            "wire VVV.setMinter(controller)",
            Some(c.vvv),
            U256::ZERO,
            IVvvToken::setMinterCall {
                minter: c.controller,
            }
            .abi_encode(),
        );
        self.send(
            "wire vault.setRewardsDistributor(controller)",
            Some(c.vault),
            U256::ZERO,
            IStakingVault::setRewardsDistributorCall {
                distributor: c.controller,
            }
            .abi_encode(),
        );
        self.send(
            "wire vault.setLocker(minter)",
            Some(c.vault),
            U256::ZERO,
            IStakingVault::setLockerCall { locker: c.minter }.abi_encode(),
        );
        self.send(
            "wire DIEM.setMinter(minter)",
            Some(c.diem),
            U256::ZERO,
            IDiemToken::setMinterCall { minter: c.minter }.abi_encode(),
        );
    }

    /// Step 10 of [`deploy_suite`]: sends on the genesis VVV the deployer holds for others.
    fn distribute_genesis(&mut self, c: &Contracts) {
        // Genesis allocation held by the deployer: the airdrop, the team's launch part (25%) and
        // its vesting (75%).
        for (step, to, amount) in [
            ("genesis: fund airdrop", c.airdrop, wad(50_000_000)),
            ("genesis: team launch part", c.team, wad(2_500_000)),
            ("genesis: fund team vesting", c.vesting, wad(7_500_000)),
        ] {
            self.send(
                step,
                Some(c.vvv),
                U256::ZERO,
                IVvvToken::transferCall { to, value: amount }.abi_encode(),
            );
        }
    }
}

/// The contract a StylusDeployer transaction deployed (its `ContractDeployed` log).
pub fn deployed_address(r: &Receipt) -> Address {
    let log = r
        .logs
        .iter()
        .find(|l| l.address == arbos::STYLUS_DEPLOYER)
        .expect("ContractDeployed log");
    arbos::IStylusDeployer::ContractDeployed::decode_log_data(&log.data)
        .expect("ContractDeployed")
        .deployedContract
}

/// Deploys and wires the suite on `chain` as a deployer does, every step a signed transaction
/// of the deployer's key:
///
/// 1. VVV token `constructor(deployer, recipients, amounts)`, the [`genesis_allocation`]
///    (100M exactly);
/// 2. staking vault `constructor(vvv, admin, deployer)`;
/// 3. emission controller `constructor(vvv, vault, treasury, admin, 6M VVV/yr, LAUNCH)`;
/// 4. burn treasury `constructor(vvv, admin)`;
/// 5. DIEM token `constructor(deployer)`;
/// 6. DIEM minter `constructor(vault, diem, admin, minBase)`, `minBase` = the launch base
///    (90 sVVV per DIEM: no curve change can take the base below it);
/// 7. airdrop `constructor(vvv, burnTreasury, vault, airdrop_root(), 45 days)`;
/// 8. team vesting `constructor(vvv, team, LAUNCH, 730 days)`;
/// 9. wiring: `VVV.setMinter(controller)`, `vault.setRewardsDistributor(controller)`,
///    `vault.setLocker(minter)`, `DIEM.setMinter(minter)`;
/// 10. genesis: the deployer sends 50M to the airdrop, 2.5M to the team, 7.5M to the vesting.
///
/// Every contract goes through the StylusDeployer (create, activate and construct in one
/// transaction, as `cargo stylus deploy` does), so no one can call a constructor before the
/// deployer. There the constructor's caller is the StylusDeployer contract: VVV, the vault and
/// DIEM therefore take the one account that may wire them (`deployer`, the deployer's key) as
/// a constructor argument.
pub fn deploy_suite(chain: &mut Devnet) -> (Contracts, DeployReport) {
    assert_eq!(
        chain.latest_block().timestamp,
        GENESIS_TIME,
        "deploy on a fresh chain (LAUNCH is the first midnight after the engine's genesis)"
    );
    let key = Key::from_label("vvv-e2e deployer");
    let deployer = key.address;
    chain.set_balance(deployer, U256::from(1_000u64) * U256::from(WAD));
    let admin = addr("admin multisig");
    let treasury = addr("platform treasury");
    let funder = addr("funder");
    chain.set_balance(funder, U256::from(1_000u64) * U256::from(WAD));
    let keeper = addr("keeper");
    chain.set_balance(keeper, U256::from(1_000u64) * U256::from(WAD));
    let mut s = DeployerSession {
        chain,
        key,
        report: DeployReport::default(),
    };

    let contracts = s.deploy_contracts(admin, treasury, funder, keeper);
    s.wire(&contracts);
    s.distribute_genesis(&contracts);
    assert!(
        s.chain.latest_block().timestamp < LAUNCH,
        "deployment must end before the emission start"
    );
    (contracts, s.report)
}

/// A chain with the deployed, wired suite.
pub struct Suite {
    pub chain: Devnet,
    pub c: Contracts,
    users: u64,
}

impl Default for Suite {
    fn default() -> Self {
        Self::new()
    }
}

impl Suite {
    /// A fresh chain holding a copy of the suite deployed by [`deploy_suite`] (deployed once per
    /// process).
    pub fn new() -> Self {
        let d = deployed();
        let mut chain = Devnet::default();
        chain.restore(d.snapshot.clone());
        Self {
            chain,
            c: d.contracts,
            users: 0,
        }
    }

    /// Puts the chain back to the freshly deployed suite (keeps compiled programs).
    pub fn reset(&mut self) {
        self.chain.restore(deployed().snapshot.clone());
        self.users = 0;
    }

    /// Gas of each deployment transaction.
    pub fn deploy_report() -> &'static DeployReport {
        &deployed().report
    }

    /// A new account with 10 ETH for gas (deterministic: the n-th user of this suite).
    pub fn user(&mut self) -> Address {
        self.users += 1;
        let a = addr(&format!("user {}", self.users));
        self.chain
            .set_balance(a, U256::from(10u64) * U256::from(WAD));
        a
    }

    // ---- transactions and views ---------------------------------------------------------

    /// Sends `call` from `from` to `to` as a transaction (the engine impersonates `from`, like
    /// anvil: same gas as a signed EIP-1559 transaction without access list).
    pub fn send<C: SolCall>(&mut self, from: Address, to: Address, call: C) -> Tx<C> {
        let receipt = self
            .chain
            .send_unsigned(&CallRequest {
                from,
                to: Some(to),
                data: call.abi_encode().into(),
                ..Default::default()
            })
            .unwrap_or_else(|e| panic!("{} not included: {e}", C::SIGNATURE));
        Tx {
            receipt,
            _call: Default::default(),
        }
    }

    /// `eth_call` of a view against the next block; panics, naming the revert, if it fails.
    #[track_caller]
    pub fn view<C: SolCall>(&mut self, to: Address, call: C) -> C::Return {
        let r = self
            .chain
            .call(&CallRequest {
                from: Address::ZERO,
                to: Some(to),
                data: call.abi_encode().into(),
                ..Default::default()
            })
            .expect("call");
        assert!(
            r.success,
            "view {} failed: {}",
            C::SIGNATURE,
            describe_revert(&r.output)
        );
        C::abi_decode_returns(&r.output)
            .unwrap_or_else(|e| panic!("{}: undecodable return: {e}", C::SIGNATURE))
    }

    // ---- time ---------------------------------------------------------------------------

    /// Timestamp of the latest block.
    pub fn now(&self) -> u64 {
        self.chain.latest_block().timestamp
    }

    /// The next block (transaction or view) gets timestamp `ts` (≥ the latest block's).
    pub fn warp(&mut self, ts: u64) {
        assert!(ts >= self.now(), "time goes forward: {ts} < {}", self.now());
        self.chain.set_next_timestamp(ts);
    }

    /// The next block comes `seconds` after the latest one.
    pub fn skip(&mut self, seconds: u64) {
        let ts = self.now() + seconds;
        self.chain.set_next_timestamp(ts);
    }

    // ---- common actions -----------------------------------------------------------------

    /// Sends `amount` VVV from the genesis funder to `to`.
    pub fn fund(&mut self, to: Address, amount: U256) {
        let (funder, vvv) = (self.c.funder, self.c.vvv);
        self.send(funder, vvv, IVvvToken::transferCall { to, value: amount })
            .ok();
    }

    /// Approves `spender` for all of `owner`'s VVV.
    pub fn approve_vvv(&mut self, owner: Address, spender: Address) {
        let vvv = self.c.vvv;
        self.send(
            owner,
            vvv,
            IVvvToken::approveCall {
                spender,
                value: U256::MAX,
            },
        )
        .ok();
    }

    /// A new user holding `amount` VVV, with the vault approved for all of it.
    pub fn funded_user(&mut self, amount: U256) -> Address {
        let user = self.user();
        self.fund(user, amount);
        let vault = self.c.vault;
        self.approve_vvv(user, vault);
        user
    }

    /// `user` stakes `amount` (already approved); returns the gas.
    pub fn stake(&mut self, user: Address, amount: U256) -> u64 {
        let vault = self.c.vault;
        let tx = self.send(user, vault, IStakingVault::stakeCall { amount });
        let gas = tx.gas();
        tx.ok();
        gas
    }

    /// `emissionController.distribute()` (by anyone); returns the VVV minted.
    pub fn distribute(&mut self) -> U256 {
        let (c, who) = (self.c.controller, self.c.keeper);
        self.send(who, c, IEmissionController::distributeCall {})
            .ok()
    }

    pub fn vvv_balance(&mut self, who: Address) -> U256 {
        let vvv = self.c.vvv;
        self.view(vvv, IVvvToken::balanceOfCall { account: who })
    }

    pub fn pending_rewards(&mut self, who: Address) -> U256 {
        let vault = self.c.vault;
        self.view(vault, IStakingVault::pendingRewardsCall { account: who })
    }

    // ---- invariants ---------------------------------------------------------------------

    /// The system invariants read through the contracts' views on the real chain:
    ///
    /// - INV-1: `VVV.totalSupply == 100M + totalMinted − totalBurned`;
    /// - INV-2: the vault's VVV balance ≥ `vault.accountedAssets()`;
    /// - INV-4 (its supply half): `controller.totalEmitted == VVV.totalMinted` (the controller is
    ///   the only minter);
    /// - INV-6: `DIEM.totalSupply == minter.totalDebt` and
    ///   `minter.totalLocked == vault.totalLocked`.
    pub fn check_invariants(&mut self) -> Result<(), String> {
        let c = self.c;
        let supply = self.view(c.vvv, IVvvToken::totalSupplyCall {});
        let minted = self.view(c.vvv, IVvvToken::totalMintedCall {});
        let burned = self.view(c.vvv, IVvvToken::totalBurnedCall {});
        if supply + burned != genesis_supply() + minted {
            return Err(format!(
                "INV-1: totalSupply {supply} != 100M + minted {minted} − burned {burned}"
            ));
        }
        let emitted = self.view(c.controller, IEmissionController::totalEmittedCall {});
        if emitted != minted {
            return Err(format!(
                "INV-4: controller totalEmitted {emitted} != VVV totalMinted {minted}"
            ));
        }
        let held = self.vvv_balance(c.vault);
        let accounted = self.view(c.vault, IStakingVault::accountedAssetsCall {});
        if held < accounted {
            return Err(format!(
                "INV-2: vault holds {held} VVV < accountedAssets {accounted}"
            ));
        }
        let diem_supply = self.view(c.diem, IDiemToken::totalSupplyCall {});
        let debt = self.view(c.minter, IDiemMinter::totalDebtCall {});
        if diem_supply != debt {
            return Err(format!(
                "INV-6: DIEM totalSupply {diem_supply} != minter totalDebt {debt}"
            ));
        }
        let minter_locked = self.view(c.minter, IDiemMinter::totalLockedCall {});
        let vault_locked = self.view(c.vault, IStakingVault::totalLockedCall {});
        if minter_locked != vault_locked {
            return Err(format!(
                "INV-6: minter totalLocked {minter_locked} != vault totalLocked {vault_locked}"
            ));
        }
        Ok(())
    }
}

/// `(id, unlockTime)` of the `UnstakeRequested` event in `r`.
pub fn unstake_request(r: &Receipt) -> (U256, u64) {
    let log = r
        .logs
        .iter()
        .find(|l| l.topics().first() == Some(&IStakingVault::UnstakeRequested::SIGNATURE_HASH))
        .expect("UnstakeRequested log");
    let e = IStakingVault::UnstakeRequested::decode_log_data(&log.data).expect("decodes");
    (e.id, e.unlockTime)
}

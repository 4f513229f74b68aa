//! The deploy config (`deploy/*.toml`): what `vvv deploy` puts on chain. Every field is
//! documented in `deploy/devnet.toml`. [`Config::load`] refuses a bad config — unknown keys,
//! an allocation that does not sum to 100,000,000 VVV, a split curve that does not validate,
//! placeholder addresses — naming the field, before any transaction.

use std::path::{Path, PathBuf};

use alloy_primitives::{keccak256, Address, B256, U256};
use serde::Deserialize;
use vvv_common::split::{validate_curve, CurvePoint, DEFAULT_CURVE};

/// 100,000,000 VVV, whole tokens.
pub const GENESIS_SUPPLY_VVV: u64 = 100_000_000;
/// The launch default and ceiling of `annualEmission` (SPEC §3.3), whole VVV.
pub const MAX_ANNUAL_EMISSION_VVV: u64 = 14_000_000;
/// 10^18.
pub const WAD: u128 = 1_000_000_000_000_000_000;
pub const DAY: u64 = 86_400;

/// `n` whole tokens in wei.
pub fn wad(n: u64) -> U256 {
    U256::from(n) * U256::from(WAD)
}

/// An account in the config: an address, or `"deployer"` (the deploying key's address).
pub type Account = String;

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConfig {
    pub chain: ChainSection,
    pub accounts: AccountsSection,
    pub emission: EmissionSection,
    pub diem: DiemSection,
    pub genesis: GenesisSection,
    pub airdrop: AirdropSection,
    pub team: TeamSection,
    #[serde(default)]
    pub deployment: DeploymentSection,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChainSection {
    /// A label for people (printed, not checked).
    #[allow(dead_code)]
    pub name: String,
    pub chain_id: u64,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountsSection {
    pub admin: Account,
    pub treasury: Account,
    pub incentive_fund: Account,
    pub liquidity: Account,
    #[serde(default)]
    pub reporter: Option<Account>,
    #[serde(default)]
    pub revenue: Option<Account>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmissionSection {
    pub annual_emission_vvv: u64,
    pub start: StartTime,
    #[serde(default)]
    pub curve: Option<Vec<[u16; 2]>>,
}

#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(untagged)]
pub enum StartTime {
    Timestamp(u64),
    Keyword(String),
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DiemSection {
    /// sVVV per DIEM, whole tokens with up to 18 decimals as a string, e.g. "90".
    pub min_base: String,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GenesisSection {
    pub user_airdrop_vvv: u64,
    pub community_airdrop_vvv: u64,
    pub treasury_vvv: u64,
    pub incentive_fund_vvv: u64,
    pub team_vvv: u64,
    pub liquidity_vvv: u64,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AirdropSection {
    pub csv: String,
    pub claim_window_days: u64,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TeamSection {
    pub beneficiary: Account,
    pub launch_bps: u16,
    pub vesting_months: u64,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeploymentSection {
    /// Wei sent with each StylusDeployer transaction for the activation data fee (the unused
    /// part is refunded). Default 0.1 ETH.
    #[serde(default)]
    pub activation_value_wei: Option<String>,
    /// Cache every program after deploying it (a CacheManager bid of `getMinBid`), so calls pay
    /// the cached init cost. Default false.
    #[serde(default)]
    pub cache_programs: bool,
}

/// A validated config with every account resolved.
#[derive(Clone, Debug)]
pub struct Config {
    pub path: PathBuf,
    /// keccak256 of the file's bytes, recorded in the manifest.
    pub hash: B256,
    pub raw: RawConfig,
    pub chain_id: u64,
    pub admin: Address,
    pub treasury: Address,
    pub incentive_fund: Address,
    pub liquidity: Address,
    pub reporter: Option<Address>,
    pub revenue: Option<Address>,
    pub team_beneficiary: Address,
    pub annual_emission: U256,
    pub curve: Option<Vec<CurvePoint>>,
    pub min_base: U256,
    pub airdrop_total: U256,
    pub airdrop: crate::merkle::Tree,
    pub claim_window: u64,
    pub team_total: U256,
    pub team_launch: U256,
    pub team_vesting_duration: u64,
    pub activation_value: U256,
    /// `deployment.cache_programs`.
    pub cache_programs: bool,
}

fn account(field: &str, a: &Account, deployer: Address) -> Result<Address, String> {
    let s = a.as_str();
    if s == "deployer" {
        return Ok(deployer);
    }
    if s.is_empty() || s.contains("FILL") || s.contains("<") {
        return Err(format!(
            "{field}: placeholder {s:?}: fill in the address before deploying"
        ));
    }
    let addr: Address = s
        .parse()
        .map_err(|_| format!("{field}: {s:?} is not an address (0x + 40 hex) or \"deployer\""))?;
    if addr.is_zero() {
        return Err(format!("{field}: the zero address"));
    }
    Ok(addr)
}

/// `"90"` / `"90.5"` → wei.
pub fn parse_decimal_wad(field: &str, s: &str) -> Result<U256, String> {
    let bad = || format!("{field}: {s:?} is not a decimal amount");
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    if int.is_empty()
        || !int.chars().all(|c| c.is_ascii_digit())
        || !frac.chars().all(|c| c.is_ascii_digit())
        || frac.len() > 18
    {
        return Err(bad());
    }
    let int = U256::from_str_radix(int, 10).map_err(|_| bad())?;
    let frac_padded = format!("{frac:0<18}");
    let frac = U256::from_str_radix(&frac_padded, 10).map_err(|_| bad())?;
    int.checked_mul(U256::from(WAD))
        .and_then(|v| v.checked_add(frac))
        .ok_or_else(bad)
}

/// `[genesis]`: refuses an allocation that does not sum to exactly 100M VVV, listing its parts.
fn check_genesis(g: &GenesisSection) -> Result<(), String> {
    let parts = [
        ("genesis.user_airdrop_vvv", g.user_airdrop_vvv),
        ("genesis.community_airdrop_vvv", g.community_airdrop_vvv),
        ("genesis.treasury_vvv", g.treasury_vvv),
        ("genesis.incentive_fund_vvv", g.incentive_fund_vvv),
        ("genesis.team_vvv", g.team_vvv),
        ("genesis.liquidity_vvv", g.liquidity_vvv),
    ];
    let total: u128 = parts.iter().map(|(_, v)| *v as u128).sum();
    if total != GENESIS_SUPPLY_VVV as u128 {
        return Err(format!(
            "genesis: the allocation sums to {total} VVV, not {GENESIS_SUPPLY_VVV} ({})",
            parts
                .iter()
                .map(|(k, v)| format!("{k} = {v}"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    Ok(())
}

/// `[emission]`: checks the rate, the start and the curve; the curve to set, `None` if default.
fn validate_emission(
    e: &EmissionSection,
    admin: Address,
    deployer: Address,
) -> Result<Option<Vec<CurvePoint>>, String> {
    if e.annual_emission_vvv == 0 || e.annual_emission_vvv > MAX_ANNUAL_EMISSION_VVV {
        return Err(format!(
            "emission.annual_emission_vvv: {} is not in 1..={MAX_ANNUAL_EMISSION_VVV}",
            e.annual_emission_vvv
        ));
    }
    if let StartTime::Keyword(k) = &e.start {
        if k != "next-utc-midnight" && k != "now+1h" {
            return Err(format!(
                "emission.start: {k:?}: use a unix timestamp, \"next-utc-midnight\" or \"now+1h\""
            ));
        }
    }
    let Some(points) = &e.curve else {
        return Ok(None);
    };
    let points: Vec<CurvePoint> = points
        .iter()
        .map(|[u, s]| CurvePoint {
            utilization_bps: *u,
            staker_share_bps: *s,
        })
        .collect();
    validate_curve(&points).map_err(|err| format!("emission.curve: does not validate: {err:?}"))?;
    if points.as_slice() == DEFAULT_CURVE.as_slice() {
        return Ok(None);
    }
    if admin != deployer {
        return Err(
            "emission.curve: a non-default curve is set by the deployer, \
                    so accounts.admin must be \"deployer\" (or leave the curve out \
                    and let the admin set it)"
                .into(),
        );
    }
    Ok(Some(points))
}

/// `accounts.reporter`/`accounts.revenue` need the deployer as admin (it grants those roles).
fn check_role_grants(
    reporter: Option<Address>,
    revenue: Option<Address>,
    admin: Address,
    deployer: Address,
) -> Result<(), String> {
    if (reporter.is_some() || revenue.is_some()) && admin != deployer {
        return Err(
            "accounts.reporter/accounts.revenue: roles are granted by the admin, so \
                    accounts.admin must be \"deployer\" to grant them at deployment"
                .into(),
        );
    }
    Ok(())
}

/// `[diem]`: `min_base` in wei, which must be in (0, 90] sVVV per DIEM.
fn validate_min_base(diem: &DiemSection) -> Result<U256, String> {
    let min_base = parse_decimal_wad("diem.min_base", &diem.min_base)?;
    if min_base.is_zero() || min_base > wad(90) {
        return Err(format!(
            "diem.min_base: {} must be in (0, 90]",
            diem.min_base
        ));
    }
    Ok(min_base)
}

/// `[airdrop]`: the csv's tree (next to the config), checked against genesis; (total, tree).
fn load_airdrop(
    path: &Path,
    airdrop: &AirdropSection,
    g: &GenesisSection,
) -> Result<(U256, crate::merkle::Tree), String> {
    let airdrop_total = wad(g.user_airdrop_vvv) + wad(g.community_airdrop_vvv);
    let csv = path.parent().unwrap_or(Path::new(".")).join(&airdrop.csv);
    let tree = crate::merkle::Tree::from_csv_file(&csv).map_err(|e| format!("airdrop.csv: {e}"))?;
    if tree.total() != airdrop_total {
        return Err(format!(
            "airdrop.csv: {} allocates {} wei, but genesis.user_airdrop_vvv + \
             genesis.community_airdrop_vvv = {} wei",
            csv.display(),
            tree.total(),
            airdrop_total
        ));
    }
    if airdrop.claim_window_days == 0 || airdrop.claim_window_days > 3650 {
        return Err(format!(
            "airdrop.claim_window_days: {} is not in 1..=3650",
            airdrop.claim_window_days
        ));
    }
    Ok((airdrop_total, tree))
}

/// `[team]`: (total, launch part) in wei and the vesting duration in seconds, checked.
fn validate_team(t: &TeamSection, g: &GenesisSection) -> Result<(U256, U256, u64), String> {
    if t.launch_bps > 10_000 {
        return Err(format!("team.launch_bps: {} > 10000", t.launch_bps));
    }
    if t.vesting_months == 0 || t.vesting_months > 120 {
        return Err(format!(
            "team.vesting_months: {} is not in 1..=120",
            t.vesting_months
        ));
    }
    let team_total = wad(g.team_vvv);
    let team_launch = team_total * U256::from(t.launch_bps) / U256::from(10_000u16);
    // A month is 1/12 of the 365-day year (24 months = 730 days).
    let team_vesting_duration = t.vesting_months * 365 * DAY / 12;
    Ok((team_total, team_launch, team_vesting_duration))
}

/// `[deployment]`: `activation_value_wei` in wei, 0.1 ETH when left out.
fn activation_value(d: &DeploymentSection) -> Result<U256, String> {
    match &d.activation_value_wei {
        Some(s) => U256::from_str_radix(s, 10)
            .map_err(|_| format!("deployment.activation_value_wei: {s:?} is not an integer")),
        None => Ok(U256::from(WAD / 10)),
    }
}

impl Config {
    /// Parses and validates `path`; `deployer` resolves `"deployer"`. No network access.
    pub fn load(path: &Path, deployer: Address) -> Result<Self, String> {
        let bytes = std::fs::read(path).map_err(|e| format!("config {}: {e}", path.display()))?;
        let text = String::from_utf8(bytes.clone())
            .map_err(|_| format!("config {}: not UTF-8", path.display()))?;
        let raw: RawConfig =
            toml::from_str(&text).map_err(|e| format!("config {}: {e}", path.display()))?;
        Self::validate(path, keccak256(&bytes), raw, deployer)
    }

    fn validate(
        path: &Path,
        hash: B256,
        raw: RawConfig,
        deployer: Address,
    ) -> Result<Self, String> {
        let a = &raw.accounts;
        let admin = account("accounts.admin", &a.admin, deployer)?;
        let treasury = account("accounts.treasury", &a.treasury, deployer)?;
        let incentive_fund = account("accounts.incentive_fund", &a.incentive_fund, deployer)?;
        let liquidity = account("accounts.liquidity", &a.liquidity, deployer)?;
        let reporter = a
            .reporter
            .as_ref()
            .map(|r| account("accounts.reporter", r, deployer))
            .transpose()?;
        let revenue = a
            .revenue
            .as_ref()
            .map(|r| account("accounts.revenue", r, deployer))
            .transpose()?;
        let team_beneficiary = account("team.beneficiary", &raw.team.beneficiary, deployer)?;

        let g = &raw.genesis;
        check_genesis(g)?;
        let e = &raw.emission;
        let curve = validate_emission(e, admin, deployer)?;
        check_role_grants(reporter, revenue, admin, deployer)?;
        let min_base = validate_min_base(&raw.diem)?;
        let (airdrop_total, tree) = load_airdrop(path, &raw.airdrop, g)?;
        let (team_total, team_launch, team_vesting_duration) = validate_team(&raw.team, g)?;
        let activation_value = activation_value(&raw.deployment)?;

        Ok(Self {
            path: path.to_path_buf(),
            hash,
            chain_id: raw.chain.chain_id,
            admin,
            treasury,
            incentive_fund,
            liquidity,
            reporter,
            revenue,
            team_beneficiary,
            annual_emission: wad(e.annual_emission_vvv),
            curve,
            min_base,
            airdrop_total,
            airdrop: tree,
            claim_window: raw.airdrop.claim_window_days * DAY,
            team_total,
            team_launch,
            team_vesting_duration,
            activation_value,
            cache_programs: raw.deployment.cache_programs,
            raw,
        })
    }

    /// The emission start for a deployment beginning at `now` (chain time).
    pub fn start_time(&self, now: u64) -> u64 {
        match &self.raw.emission.start {
            StartTime::Timestamp(t) => *t,
            StartTime::Keyword(k) if k == "now+1h" => now + 3600,
            StartTime::Keyword(_) => (now / DAY + 1) * DAY,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    fn repo_config() -> String {
        std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../deploy/devnet.toml"
        ))
        .unwrap()
    }

    fn load_variant(edit: impl Fn(String) -> String) -> Result<Config, String> {
        let dir = tempfile::tempdir().unwrap();
        let csv = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../deploy/devnet-airdrop.csv"
        ))
        .unwrap();
        write(dir.path(), "devnet-airdrop.csv", &csv);
        let p = write(dir.path(), "c.toml", &edit(repo_config()));
        Config::load(&p, Address::repeat_byte(0x11))
    }

    #[test]
    fn the_checked_in_configs_parse() {
        let c = load_variant(|s| s).expect("deploy/devnet.toml is valid");
        assert_eq!(c.chain_id, 412346);
        assert_eq!(c.admin, Address::repeat_byte(0x11));
        assert_eq!(c.team_launch * U256::from(4u8), c.team_total);
        assert_eq!(c.team_vesting_duration, 730 * DAY);
        // The Sepolia config is complete except for its placeholder addresses.
        let sepolia = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../deploy/arbitrum-sepolia.toml"
        ))
        .unwrap();
        let parsed: RawConfig = toml::from_str(&sepolia).expect("arbitrum-sepolia.toml parses");
        assert_eq!(parsed.chain.chain_id, 421614);
    }

    #[test]
    fn allocation_not_summing_to_100m_is_refused_naming_the_fields() {
        let e = load_variant(|s| s.replace("liquidity_vvv = 5000000", "liquidity_vvv = 5000001"))
            .unwrap_err();
        assert!(
            e.contains("genesis")
                && e.contains("100000001")
                && e.contains("genesis.liquidity_vvv = 5000001"),
            "{e}"
        );
    }

    #[test]
    fn unknown_keys_are_refused() {
        let e = load_variant(|s| s.replace("[emission]", "[emission]\nanual_emission = 1"))
            .unwrap_err();
        assert!(e.contains("unknown field `anual_emission`"), "{e}");
    }

    #[test]
    fn a_curve_that_does_not_validate_is_refused() {
        let e = load_variant(|s| {
            s.replace(
                "curve = [[0, 8000], [5000, 2000], [10000, 8000]]",
                "curve = [[0, 8000], [5000, 2000], [4000, 8000]]",
            )
        })
        .unwrap_err();
        assert!(e.starts_with("emission.curve: does not validate"), "{e}");
    }

    #[test]
    fn bad_fields_are_named() {
        let e = load_variant(|s| {
            s.replace(
                "annual_emission_vvv = 6000000",
                "annual_emission_vvv = 20000000",
            )
        })
        .unwrap_err();
        assert!(e.starts_with("emission.annual_emission_vvv"), "{e}");
        let e = load_variant(|s| s.replace("min_base = \"90\"", "min_base = \"91\"")).unwrap_err();
        assert!(e.starts_with("diem.min_base"), "{e}");
        let e = load_variant(|s| s.replace("incentive_fund = \"0x", "incentive_fund = \"0xZZ"))
            .unwrap_err();
        assert!(e.starts_with("accounts.incentive_fund"), "{e}");
        let e = load_variant(|s| {
            s.replace(
                "treasury = \"deployer\"",
                "treasury = \"0xFILL_IN_TREASURY\"",
            )
        })
        .unwrap_err();
        assert!(e.starts_with("accounts.treasury: placeholder"), "{e}");
        let e = load_variant(|s| s.replace("claim_window_days = 45", "claim_window_days = 0"))
            .unwrap_err();
        assert!(e.starts_with("airdrop.claim_window_days"), "{e}");
        let e = load_variant(|s| {
            s.replace("user_airdrop_vvv = 25000000", "user_airdrop_vvv = 24000000")
                .replace("treasury_vvv = 25000000", "treasury_vvv = 26000000")
        })
        .unwrap_err();
        assert!(e.starts_with("airdrop.csv"), "{e}");
    }

    #[test]
    fn decimal_amounts() {
        assert_eq!(parse_decimal_wad("f", "90").unwrap(), wad(90));
        assert_eq!(parse_decimal_wad("f", "0.5").unwrap(), U256::from(WAD / 2));
        assert!(parse_decimal_wad("f", "1e18").is_err());
        assert!(parse_decimal_wad("f", "").is_err());
    }
}

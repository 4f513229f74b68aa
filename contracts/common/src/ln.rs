//! Fixed-point natural logarithm at scale 1e36 (used by the DIEM mint cost, SPEC §3.4).
//!
//! `ln(x)` of an integer `x ≥ 1`, returned as `ln(x) × LN_SCALE`. The log of a WAD ratio
//! `a / b` is `ln(a) − ln(b)`: the DIEM cost is written that way so that it telescopes (INV-7).
//!
//! Method: `x = m × 2^k` with `m ∈ [1/√2, √2)`, then `ln x = k·ln 2 + 2·atanh((m−1)/(m+1))`,
//! the series converging by a factor `≤ 0.0295` a term (about 24 terms for 1e-36).
//! Accuracy: every step rounds down by less than one unit of 1e-36, so the absolute error is
//! below 1e-34 (≤ 1e-15 relative for any `ln x ≥ 1e-19`). The error can have either sign:
//! the series is always rounded down, which lowers `k·ln 2 + series` but raises the folded
//! `k·ln 2 − series`, and `LN_2` itself is rounded to nearest (measured: −44 … +28 units of
//! 1e-36, see the tests). Over `1 ≤ x ≤ 2^100` the gap between neighbours,
//! `1/x ≥ 7.8e-31`, dwarfs the error, so `ln` is strictly increasing there.
use alloy_primitives::{uint, U256};

use crate::mul_div::full_mul_div_down;

/// 1.0 in the fixed point of [`ln`]: 1e36.
pub const LN_SCALE: U256 = uint!(1_000_000_000_000_000_000_000_000_000_000_000_000_U256);
/// `ln 2 × 1e36`, rounded to nearest.
const LN_2: U256 = uint!(693_147_180_559_945_309_417_232_121_458_176_568_U256);
/// `√2 × 1e36`, rounded down: the upper end of the mantissa range.
const SQRT_2: U256 = uint!(1_414_213_562_373_095_048_801_688_724_209_698_078_U256);

/// `ln(x) × 1e36` for `1 ≤ x < 2^255`, within 1e-34 (100 units) of the exact value in either
/// direction (not a directed rounding; exact for `x = 1` and `x = 2`, and `ln(2^k) = k·LN_2`);
/// `None` for `x == 0` or larger `x`.
pub fn ln(x: U256) -> Option<U256> {
    if x.is_zero() || x.bit(255) {
        return None;
    }
    // k = ⌊log2 x⌋, mantissa m = x / 2^k ∈ [1, 2) at scale 1e36.
    let mut exponent = (x.bit_len() - 1) as u64;
    let mut mantissa = full_mul_div_down(x, LN_SCALE, U256::from(1) << exponent as usize)?;
    // Fold [√2, 2) onto [1/√2, 1) so the series argument stays below 0.172.
    let fold = mantissa > SQRT_2;
    if fold {
        mantissa >>= 1;
        exponent += 1;
    }
    let series = atanh_series(mantissa)?;
    let whole = LN_2.checked_mul(U256::from(exponent))?;
    // For x ≥ 2 the fold only lowers the value by at most ln √2 < ln 2 ≤ whole; for x == 1
    // there is no fold. So the subtraction cannot underflow; checked all the same.
    if fold {
        whole.checked_sub(series)
    } else {
        whole.checked_add(series)
    }
}

/// `|2·atanh((m−1)/(m+1))| × 1e36` for a mantissa `m ∈ [1/√2, √2]` at scale 1e36:
/// that is `|ln m|`. Each term rounds down.
fn atanh_series(mantissa: U256) -> Option<U256> {
    let (numerator, denominator) = if mantissa >= LN_SCALE {
        (mantissa - LN_SCALE, mantissa.checked_add(LN_SCALE)?)
    } else {
        (LN_SCALE - mantissa, mantissa.checked_add(LN_SCALE)?)
    };
    let z = full_mul_div_down(numerator, LN_SCALE, denominator)?;
    let z_squared = full_mul_div_down(z, z, LN_SCALE)?;
    let mut power = z;
    let mut sum = z;
    let mut odd = 1u64;
    // |z| ≤ 0.1716: the powers fall below one unit within 48 steps; the bound keeps the
    // loop finite whatever happens.
    for _ in 0..48 {
        power = full_mul_div_down(power, z_squared, LN_SCALE)?;
        if power.is_zero() {
            break;
        }
        odd += 2;
        sum += power / U256::from(odd);
    }
    sum.checked_mul(U256::from(2))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{any_u256, scaled_to_f64, to_f64, u};
    use alloy_primitives::U512;
    use proptest::prelude::*;

    /// Largest absolute error allowed against a high-precision reference, in units of 1e-36:
    /// 100 units = 1e-34 (the documented bound). The worst seen over ~2000 sampled inputs,
    /// including every fold boundary √2·2^k, is 44 units.
    const MAX_ERROR_UNITS: u64 = 100;

    /// `ln 10 × 1e60` and `ln 2 × 1e60`, rounded down (Python `decimal`, 100 digits):
    /// `(Decimal(10).ln() * Decimal(10)**60).to_integral_value(rounding=ROUND_FLOOR)`.
    const LN10_E60: &str = "2302585092994045684017991454684364207601101488628772976033327";
    const LN2_E60: &str = "693147180559945309417232121458176568075500134360255254120680";

    /// `(x, ⌊ln(x) × 1e36⌋)` computed with Python's `decimal` at 100 significant digits:
    /// ```python
    /// from decimal import Decimal as D, getcontext, ROUND_FLOOR
    /// getcontext().prec = 100
    /// (D(x).ln() * D(10)**36).to_integral_value(rounding=ROUND_FLOOR)
    /// ```
    /// The inputs cover small integers, WAD-scaled values, the DIEM target range, values on
    /// both sides of the fold boundary ⌊√2·2^k⌋ (k = 1, 2, 3, 10, 50, 61, 100, 127, 200, 254),
    /// 2^100 ± 1 (the end of the monotone range), 10^76 and 2^255 − 1, and the inputs with
    /// the largest error found in a wider sweep (5793, 11586, 92683, 4.09e76).
    const REFERENCE: &[(&str, &str)] = &[
        ("2", "693147180559945309417232121458176568"),
        ("3", "1098612288668109691395245236922525704"),
        ("5", "1609437912434100374600759333226187639"),
        ("6", "1791759469228055000812477358380702272"),
        ("7", "1945910149055313305105352743443179729"),
        ("11", "2397895272798370544061943577965129299"),
        ("12", "2484906649788000310229709479838878840"),
        ("1448", "7277938572945661675090783403007538631"),
        ("1449", "7278628942320682378702596049098427257"),
        ("5793", "8664405571096624133149567815598244311"),
        ("11586", "9357552751656569442566799937056420879"),
        ("92683", "11436940347465678961990756753611184137"),
        ("1000003", "13815513557959774113107928478154785124"),
        ("1592262918131443", "35003932618277238036919062841879636499"),
        ("1592262918131444", "35003932618277238664956046315389518718"),
        (
            "1000000000000000000",
            "41446531673892822312323846184318555736",
        ),
        (
            "1500000000000000000",
            "41851996782000986694301859299782904873",
        ),
        (
            "3260954456333195553",
            "42628551604436636529132975662218604585",
        ),
        (
            "3260954456333195554",
            "42628551604436636529439634345555279401",
        ),
        (
            "28000000000000000000000",
            "51686491463050163288317637534731181225",
        ),
        (
            "37990000000000000000000",
            "51991609920074493567674533682534357443",
        ),
        (
            "38000000000000000000000",
            "51991873112601345133804080101717678464",
        ),
        (
            "999999999999999999999999999999",
            "69077552789821370520539743640529926228",
        ),
        (
            "1000000000000000000000000000000",
            "69077552789821370520539743640530926228",
        ),
        (
            "1267650600228229401496703205375",
            "69314718055994530941723212145816867946",
        ),
        (
            "1267650600228229401496703205377",
            "69314718055994530941723212145818445668",
        ),
        (
            "1792728671193156477399422023278",
            "69661291646274503596431828206546376103",
        ),
        (
            "1792728671193156477399422023279",
            "69661291646274503596431828206546933911",
        ),
        (
            "240615969168004511545033772477625056927",
            "88376265521393026950697095485917512429",
        ),
        (
            "240615969168004511545033772477625056928",
            "88376265521393026950697095485917512429",
        ),
        (
            "340282366920938463463374607431768211455",
            "88722839111672999605405711546646600713",
        ),
        (
            "1606938044258990275541962092341162602522202993782792835313721",
            "138629436111989061883446424291635313615",
        ),
        (
            "2272553576084360916141657902949647315979581976043234410928602",
            "138976009702269034538155040352364401899",
        ),
        (
            "2272553576084360916141657902949647315979581976043234410928603",
            "138976009702269034538155040352364401899",
        ),
        (
            "10000000000000000000000000000000000000000000000000000000000000000000000000000",
            "174996467067547471985367350556011679777",
        ),
        (
            "28948022309329048855892746252171976963317496166410141009864396001978282409985",
            "176059383862226108591976958850376848291",
        ),
        (
            "40938685753732063808775600771489814153753716235621618530910926800378377391242",
            "176405957452506081246685574911105936575",
        ),
        (
            "40938685753732063808775600771489814153753716235621618530910926800378377391243",
            "176405957452506081246685574911105936575",
        ),
        (
            "40938685753732063808775600771489814153753716235621618530910926800378377391244",
            "176405957452506081246685574911105936575",
        ),
        (
            "57896044618658097711785492504343953926634992332820282019728792003956564819967",
            "176752531042786053901394190971835024859",
        ),
    ];

    /// |a − b| for U256.
    fn abs_diff(a: U256, b: U256) -> U256 {
        if a > b {
            a - b
        } else {
            b - a
        }
    }

    #[test]
    fn ln_known_values() {
        assert_eq!(ln(U256::from(1)), Some(U256::ZERO));
        assert_eq!(
            ln(U256::from(2)),
            Some(u("693147180559945309417232121458176568"))
        );
        // Powers of two are exactly k · LN_2 (the mantissa is exactly 1, the series is 0).
        for k in 0..255usize {
            assert_eq!(ln(U256::from(1) << k), Some(LN_2 * U256::from(k)), "2^{k}");
        }
    }

    /// ln(2^k) against a 1e60-scale reference computed in the test: error < 1e-34 for every
    /// k (the rounding of the LN_2 constant, 0.0755 units, times k ≤ 254 is ≤ 19 units).
    #[test]
    fn ln_powers_of_two_high_precision() {
        let ln2_e60 = u(LN2_E60);
        let scale_down = U256::from(10).pow(U256::from(24));
        for k in 1..255u64 {
            let reference = ln2_e60 * U256::from(k) / scale_down;
            let got = ln(U256::from(1) << k as usize).unwrap();
            assert!(
                abs_diff(got, reference) < U256::from(MAX_ERROR_UNITS),
                "2^{k}: {got} vs {reference}"
            );
        }
    }

    /// ln(10^k), k = 0..=76, against k · ln 10 taken at 1e60 scale in the test: |error| < 1e-34.
    #[test]
    fn ln_powers_of_ten_high_precision() {
        let ln10_e60 = u(LN10_E60);
        let scale_down = U256::from(10).pow(U256::from(24));
        let mut x = U256::from(1);
        for k in 0..=76u64 {
            let reference = ln10_e60 * U256::from(k) / scale_down;
            let got = ln(x).unwrap();
            assert!(
                abs_diff(got, reference) < U256::from(MAX_ERROR_UNITS),
                "10^{k}: {got} vs {reference}"
            );
            // And the familiar decimal values at f64 precision.
            let f = scaled_to_f64(got, 36);
            let expected = (k as f64) * core::f64::consts::LN_10;
            assert!(
                (f - expected).abs() <= 1e-15 * expected.max(1.0),
                "10^{k}: {f} vs {expected}"
            );
            if k < 76 {
                x *= U256::from(10);
            }
        }
    }

    /// Against 100-digit Python `decimal` values: absolute error < 1e-34.
    #[test]
    fn ln_high_precision_reference_error_below_1e_34() {
        let mut worst = U256::ZERO;
        for &(x, expected) in REFERENCE {
            let got = ln(u(x)).unwrap();
            let error = abs_diff(got, u(expected));
            worst = worst.max(error);
            assert!(
                error < U256::from(MAX_ERROR_UNITS),
                "ln({x}) = {got}, expected {expected}"
            );
        }
        // Keep the bound honest: the table contains inputs with a real (non-zero) error.
        assert!(worst > U256::ZERO);
    }

    #[test]
    fn ln_none_outside_domain() {
        assert_eq!(ln(U256::ZERO), None);
        assert_eq!(ln(U256::from(1) << 255), None);
        assert_eq!(ln((U256::from(1) << 255) + U256::from(1)), None);
        assert_eq!(ln(U256::MAX), None);
        assert!(ln((U256::from(1) << 255) - U256::from(1)).is_some());
    }

    /// ⌊√n⌋ by Newton's method from above.
    fn isqrt(n: U512) -> U512 {
        let mut x = U512::from(1) << n.bit_len().div_ceil(2);
        loop {
            let y = (x + n / x) >> 1;
            if y >= x {
                return x;
            }
            x = y;
        }
    }

    /// Strictly increasing across every fold boundary ⌊√2·2^k⌋ up to 2^100, where the method
    /// switches from adding to subtracting the series.
    #[test]
    fn ln_strictly_increasing_across_fold_boundaries() {
        // ⌊√2 · 2^k⌋ = ⌊√(2^(2k+1))⌋, by integer square root.
        for k in 1..=100usize {
            let square = U512::from(1) << (2 * k + 1);
            let root = U256::checked_from_limbs_slice(isqrt(square).as_limbs()).unwrap();
            // root − 2 ..= root + 2 (from 1 when k = 1, where root = 2).
            let first = root.saturating_sub(U256::from(2)).max(U256::from(1));
            let mut previous = ln(first).unwrap();
            let mut x = first + U256::from(1);
            while x <= root + U256::from(2) {
                let value = ln(x).unwrap();
                assert!(value > previous, "k = {k}, x = {x}");
                previous = value;
                x += U256::from(1);
            }
        }
    }

    /// 1 ..= 2^100, log-uniform (so small, WAD-sized and DIEM-target-sized values all occur).
    fn up_to_2_100() -> impl Strategy<Value = u128> {
        (any::<u128>(), 1u32..=100).prop_map(|(x, bits)| (x >> (128 - bits)).max(1))
    }

    proptest! {
        #![proptest_config(ProptestConfig::default())]

        /// Relative error ≤ 1e-15 against f64 for every x ≥ 2 (where ln x ≥ 0.69).
        #[test]
        fn ln_matches_f64_relative_1e_15(x in any_u256()) {
            prop_assume!(x >= U256::from(2) && !x.bit(255));
            let got = scaled_to_f64(ln(x).unwrap(), 36);
            let expected = to_f64(x).ln();
            prop_assert!(
                (got - expected).abs() <= 1e-15 * expected,
                "ln({}) = {} vs f64 {}", x, got, expected
            );
        }

        /// Logs of WAD ratios: ln(a) − ln(b) against f64 ln_1p((a − b)/b). Tolerance: 1e-15
        /// relative plus 1e-34 absolute (the two logs' own error).
        #[test]
        fn ln_difference_of_wad_ratios_matches_f64(a in up_to_2_100(), b in up_to_2_100()) {
            let (la, lb) = (ln(U256::from(a)).unwrap(), ln(U256::from(b)).unwrap());
            let (magnitude, negative) = if la >= lb { (la - lb, false) } else { (lb - la, true) };
            let got = scaled_to_f64(magnitude, 36) * if negative { -1.0 } else { 1.0 };
            let expected = if a >= b {
                ((a - b) as f64 / b as f64).ln_1p()
            } else {
                -((b - a) as f64 / a as f64).ln_1p()
            };
            prop_assert!(
                (got - expected).abs() <= 1e-15 * expected.abs() + 1e-34,
                "ln({a}) − ln({b}) = {got} vs {expected}"
            );
        }

        /// Strictly increasing on neighbours: ln(x) < ln(x + 1) for 1 ≤ x < 2^100.
        #[test]
        fn ln_strictly_increasing_on_neighbours(x in up_to_2_100()) {
            let x = U256::from(x);
            prop_assert!(ln(x).unwrap() < ln(x + U256::from(1)).unwrap(), "x = {}", x);
        }

        /// Monotone on random pairs over the whole domain.
        #[test]
        fn ln_monotone_on_random_pairs(x in any_u256(), y in any_u256()) {
            prop_assume!(!x.is_zero() && !y.is_zero() && !x.bit(255) && !y.bit(255));
            let (lo, hi) = (x.min(y), x.max(y));
            prop_assert!(ln(lo).unwrap() <= ln(hi).unwrap());
        }

        /// ln(x · 2^k) − ln(x) == k · LN_2 to within the error bound (consistency of the
        /// exponent and mantissa split).
        #[test]
        fn ln_shift_by_powers_of_two(x in 1u128.., k in 0usize..120) {
            let x = U256::from(x);
            let shifted = x << k;
            let diff = ln(shifted).unwrap() - ln(x).unwrap();
            prop_assert!(abs_diff(diff, LN_2 * U256::from(k)) < U256::from(2 * MAX_ERROR_UNITS));
        }
    }
}

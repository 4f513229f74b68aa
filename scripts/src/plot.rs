//! `vvv demo --plot DIR`: three SVG line charts, written directly (no plotting dependency):
//! the VVV supply split over the 30 days, the emission rate with its cut, and the stakers'
//! share against utilization (the configured curve and the days' observed points).

use std::{fmt::Write as _, path::Path};

use vvv_common::split::{staker_share_bps, DEFAULT_CURVE};

use crate::{config::Config, demo::Snapshot};

const W: f64 = 760.0;
const H: f64 = 420.0;
const L: f64 = 90.0; // left margin (axis labels)
const R: f64 = 170.0; // right margin (legend)
const T: f64 = 40.0;
const B: f64 = 50.0;

struct Series<'a> {
    name: &'a str,
    color: &'a str,
    points: Vec<(f64, f64)>,
    dots: bool,
}

fn nice_max(v: f64) -> f64 {
    if v <= 0.0 {
        return 1.0;
    }
    let mag = 10f64.powf(v.log10().floor());
    for m in [1.0, 2.0, 2.5, 5.0, 10.0] {
        if v <= m * mag {
            return m * mag;
        }
    }
    10.0 * mag
}

fn label(v: f64) -> String {
    if v.abs() >= 1e6 {
        format!("{:.1}M", v / 1e6)
    } else if v.abs() >= 1e3 {
        format!("{:.0}k", v / 1e3)
    } else {
        format!("{v:.0}")
    }
}

fn chart(
    title: &str,
    x_label: &str,
    y_label: &str,
    x_range: (f64, f64),
    series: &[Series<'_>],
) -> String {
    let y_max = nice_max(
        series
            .iter()
            .flat_map(|s| s.points.iter().map(|p| p.1))
            .fold(0.0, f64::max),
    );
    let (x0, x1) = x_range;
    let px = |x: f64| L + (x - x0) / (x1 - x0) * (W - L - R);
    let py = |y: f64| H - B - y / y_max * (H - T - B);
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" font-family="sans-serif" font-size="12">
<rect width="{W}" height="{H}" fill="white"/>
<text x="{}" y="22" font-size="15" text-anchor="middle">{title}</text>
"#,
        (W - R + L) / 2.0
    );
    for i in 0..=5 {
        let y = y_max * i as f64 / 5.0;
        let _ = writeln!(
            s,
            r##"<line x1="{L}" x2="{0}" y1="{1}" y2="{1}" stroke="#ddd"/><text x="{2}" y="{3}" text-anchor="end">{4}</text>"##,
            W - R,
            py(y),
            L - 6.0,
            py(y) + 4.0,
            label(y)
        );
    }
    for i in 0..=6 {
        let x = x0 + (x1 - x0) * i as f64 / 6.0;
        let _ = writeln!(
            s,
            r##"<line x1="{0}" x2="{0}" y1="{1}" y2="{2}" stroke="#eee"/><text x="{0}" y="{3}" text-anchor="middle">{4}</text>"##,
            px(x),
            T,
            H - B,
            H - B + 16.0,
            label(x)
        );
    }
    let _ = writeln!(
        s,
        r##"<text x="{}" y="{}" text-anchor="middle">{x_label}</text><text x="16" y="{}" transform="rotate(-90 16 {})" text-anchor="middle">{y_label}</text>"##,
        (W - R + L) / 2.0,
        H - 12.0,
        (H - B + T) / 2.0,
        (H - B + T) / 2.0
    );
    let _ = writeln!(
        s,
        r##"<rect x="{L}" y="{T}" width="{}" height="{}" fill="none" stroke="#333"/>"##,
        W - L - R,
        H - T - B
    );
    for (i, ser) in series.iter().enumerate() {
        let pts: Vec<String> = ser
            .points
            .iter()
            .map(|(x, y)| format!("{:.1},{:.1}", px(*x), py(*y)))
            .collect();
        if ser.dots {
            for p in &ser.points {
                let _ = writeln!(
                    s,
                    r#"<circle cx="{:.1}" cy="{:.1}" r="3.5" fill="{}"/>"#,
                    px(p.0),
                    py(p.1),
                    ser.color
                );
            }
        } else {
            let _ = writeln!(
                s,
                r#"<polyline fill="none" stroke="{}" stroke-width="2.2" points="{}"/>"#,
                ser.color,
                pts.join(" ")
            );
        }
        let ly = T + 14.0 + 20.0 * i as f64;
        let _ = writeln!(
            s,
            r#"<rect x="{}" y="{}" width="14" height="4" fill="{}"/><text x="{}" y="{}">{}</text>"#,
            W - R + 12.0,
            ly - 4.0,
            ser.color,
            W - R + 32.0,
            ly,
            ser.name
        );
    }
    s.push_str("</svg>\n");
    s
}

/// `(day, f(snapshot))` for each of `days`: one series' points.
fn day_points(days: &[&Snapshot], f: impl Fn(&Snapshot) -> f64) -> Vec<(f64, f64)> {
    days.iter().map(|s| (s.day, f(s))).collect()
}

/// `supply.svg`: circulating, staked, locked, airdrop + vesting and burned VVV by day.
fn supply_chart(days: &[&Snapshot]) -> String {
    chart(
        "VVV supply split over 30 days",
        "day since launch",
        "VVV",
        (0.0, 30.0),
        &[
            Series {
                name: "circulating",
                color: "#1f77b4",
                points: day_points(days, |s| s.circulating),
                dots: false,
            },
            Series {
                name: "staked (unlocked)",
                color: "#2ca02c",
                points: day_points(days, |s| s.staked - s.locked),
                dots: false,
            },
            Series {
                name: "locked (DIEM)",
                color: "#9467bd",
                points: day_points(days, |s| s.locked),
                dots: false,
            },
            Series {
                name: "airdrop + vesting",
                color: "#8c564b",
                points: day_points(days, |s| s.held),
                dots: false,
            },
            Series {
                name: "burned",
                color: "#d62728",
                points: day_points(days, |s| s.burned),
                dots: false,
            },
        ],
    )
}

/// `emission.svg`: the annual emission rate and the VVV minted so far, by day.
fn emission_chart(days: &[&Snapshot]) -> String {
    chart(
        "Emission rate (scheduled cut on day 15)",
        "day since launch",
        "VVV per year",
        (0.0, 30.0),
        &[
            Series {
                name: "annual emission",
                color: "#ff7f0e",
                points: day_points(days, |s| s.annual_emission),
                dots: false,
            },
            Series {
                name: "minted so far",
                color: "#1f77b4",
                points: day_points(days, |s| s.minted),
                dots: false,
            },
        ],
    )
}

/// `staker-share.svg`: the configured split curve (or the default) and the days' observed points.
fn staker_share_chart(days: &[&Snapshot], cfg: &Config) -> String {
    let points = cfg.curve.as_deref().unwrap_or(&DEFAULT_CURVE);
    let curve: Vec<_> = (0..=100)
        .map(|i| {
            (
                i as f64 * 100.0,
                staker_share_bps(points, i * 100) as f64 / 100.0,
            )
        })
        .collect();
    let observed: Vec<_> = days
        .iter()
        .filter(|s| s.day >= 1.0)
        .map(|s| (s.utilization_bps as f64, s.staker_share_bps as f64 / 100.0))
        .collect();
    chart(
        "Stakers' share of emissions vs utilization",
        "reported utilization (bps)",
        "stakers' share (%)",
        (0.0, 10_000.0),
        &[
            Series {
                name: "split curve",
                color: "#7f7f7f",
                points: curve,
                dots: false,
            },
            Series {
                name: "days 1–30",
                color: "#d62728",
                points: observed,
                dots: true,
            },
        ],
    )
}

/// Writes `supply.svg`, `emission.svg` and `staker-share.svg` into `dir`.
pub fn write_all(
    dir: &Path,
    history: &[Snapshot],
    _launch: u64,
    _cut_at: u64,
    cfg: &Config,
) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let days: Vec<&Snapshot> = history
        .iter()
        .filter(|s| s.day >= 0.0 && s.day <= 30.0)
        .collect();
    for (name, text) in [
        ("supply.svg", supply_chart(&days)),
        ("emission.svg", emission_chart(&days)),
        ("staker-share.svg", staker_share_chart(&days, cfg)),
    ] {
        let p = dir.join(name);
        std::fs::write(&p, text).map_err(|e| format!("{}: {e}", p.display()))?;
    }
    Ok(())
}

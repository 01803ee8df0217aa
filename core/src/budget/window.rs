//! UTC calendar windows of budget caps: the key a counter is filed under and when it resets.
//!
//! The window is part of a counter's key (`2026-11-24`, `2026-W48`, `2026-11`, `total`), so a new
//! window starts from zero without any reset job. Time is passed in as Unix milliseconds.

use crate::policy::Window;

const DAY_MS: i64 = 86_400_000;

/// The period of `window` that contains `now_ms`: its key and its bounds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Period {
    /// `2026-11-24` (daily), `2026-W48` (ISO week), `2026-11` (monthly), `total`.
    pub key: String,
    /// First millisecond of the period (`i64::MIN` for `total`).
    pub start_ms: i64,
    /// First millisecond of the next period (`None` for `total`: it never resets).
    pub end_ms: Option<i64>,
}

/// The period of `window` at `now_ms` (Unix milliseconds, UTC).
pub fn period(window: Window, now_ms: i64) -> Period {
    let day = now_ms.div_euclid(DAY_MS);
    match window {
        Window::Daily => {
            let (y, m, d) = civil_from_days(day);
            Period {
                key: format!("{y:04}-{m:02}-{d:02}"),
                start_ms: day * DAY_MS,
                end_ms: Some((day + 1) * DAY_MS),
            }
        }
        Window::Weekly => {
            // Day 0 (1970-01-01) was a Thursday; ISO weeks start on Monday.
            let monday = day - (day + 3).rem_euclid(7);
            let thursday = monday + 3;
            let (iso_year, _, _) = civil_from_days(thursday);
            let week = (thursday - days_from_civil(iso_year, 1, 1)) / 7 + 1;
            Period {
                key: format!("{iso_year:04}-W{week:02}"),
                start_ms: monday * DAY_MS,
                end_ms: Some((monday + 7) * DAY_MS),
            }
        }
        Window::Monthly => {
            let (y, m, _) = civil_from_days(day);
            let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
            Period {
                key: format!("{y:04}-{m:02}"),
                start_ms: days_from_civil(y, m, 1) * DAY_MS,
                end_ms: Some(days_from_civil(ny, nm, 1) * DAY_MS),
            }
        }
        Window::Total => Period {
            key: "total".to_string(),
            start_ms: i64::MIN,
            end_ms: None,
        },
    }
}

/// The window's name as the policy writes it.
pub fn window_name(window: Window) -> &'static str {
    match window {
        Window::Daily => "daily",
        Window::Weekly => "weekly",
        Window::Monthly => "monthly",
        Window::Total => "total",
    }
}

/// Reads a window name: the policy's (`daily`...) or the report's short form (`day`, `week`,
/// `month`, `all`).
pub fn parse_window(name: &str) -> Option<Window> {
    Some(match name {
        "daily" | "day" => Window::Daily,
        "weekly" | "week" => Window::Weekly,
        "monthly" | "month" => Window::Monthly,
        "total" | "all" => Window::Total,
        _ => return None,
    })
}

/// RFC 3339 UTC time of `ms` with millisecond precision, e.g. `2026-11-24T00:00:00.000Z`.
pub fn rfc3339(ms: i64) -> String {
    let day = ms.div_euclid(DAY_MS);
    let rem = ms.rem_euclid(DAY_MS);
    let (y, m, d) = civil_from_days(day);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3_600_000,
        rem / 60_000 % 60,
        rem / 1000 % 60,
        rem % 1000
    )
}

/// Parses `YYYY-MM-DDTHH:MM:SS[.fff]Z` (what records hold) or a bare date, to Unix ms.
pub fn parse_rfc3339(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let s = text.get(r)?;
        s.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| s.parse().ok())?
    };
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    if b.get(4) != Some(&b'-')
        || b.get(7) != Some(&b'-')
        || !(1..=12).contains(&m)
        || !(1..=31).contains(&d)
    {
        return None;
    }
    let days = days_from_civil(y, m, d);
    if text.len() == 10 {
        return Some(days * 86_400_000);
    }
    if !matches!(b.get(10), Some(b'T' | b't' | b' ')) {
        return None;
    }
    let (hh, mm, ss) = (num(11..13)?, num(14..16)?, num(17..19)?);
    let mut ms = 0;
    let mut rest = &text[19..];
    if let Some(frac) = rest.strip_prefix('.') {
        let digits: String = frac.chars().take_while(char::is_ascii_digit).collect();
        let padded = format!("{digits:0<3}");
        ms = padded[..3].parse().ok()?;
        rest = &frac[digits.len()..];
    }
    if rest != "Z" && rest != "z" && rest != "+00:00" {
        return None;
    }
    Some(days * 86_400_000 + hh * 3_600_000 + mm * 60_000 + ss * 1000 + ms)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day number (inverse of [`days_from_civil`]).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (
        if m <= 2 {
            yoe + era * 400 + 1
        } else {
            yoe + era * 400
        },
        m,
        d,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_text_parses_back_to_the_same_instant() {
        for ms in [0, 951_782_400_123, 1_795_608_900_125, -86_400_000] {
            assert_eq!(parse_rfc3339(&rfc3339(ms)), Some(ms));
        }
        assert_eq!(
            parse_rfc3339("2026-11-24"),
            parse_rfc3339("2026-11-24T00:00:00Z")
        );
        assert_eq!(
            parse_rfc3339("2026-11-24T10:00:00.5+00:00"),
            Some(1_795_514_400_500)
        );
        for bad in [
            "2026-13-01",
            "24/11/2026",
            "2026-11-24T10:00:00+02:00",
            "2026-11-24T10",
        ] {
            assert_eq!(parse_rfc3339(bad), None, "{bad}");
        }
    }

    fn ms(y: i64, m: i64, d: i64, h: i64) -> i64 {
        days_from_civil(y, m, d) * DAY_MS + h * 3_600_000
    }

    #[test]
    fn daily_and_monthly_keys_and_resets() {
        let now = ms(2026, 11, 24, 13);
        let p = period(Window::Daily, now);
        assert_eq!(p.key, "2026-11-24");
        assert_eq!(rfc3339(p.end_ms.unwrap()), "2026-11-25T00:00:00.000Z");
        let p = period(Window::Monthly, now);
        assert_eq!(p.key, "2026-11");
        assert_eq!(rfc3339(p.start_ms), "2026-11-01T00:00:00.000Z");
        assert_eq!(rfc3339(p.end_ms.unwrap()), "2026-12-01T00:00:00.000Z");
        let p = period(Window::Monthly, ms(2026, 12, 31, 23));
        assert_eq!(rfc3339(p.end_ms.unwrap()), "2027-01-01T00:00:00.000Z");
        let leap = period(Window::Monthly, ms(2028, 2, 29, 0));
        assert_eq!(leap.end_ms.unwrap() - leap.start_ms, 29 * DAY_MS);
        assert_eq!(period(Window::Total, now).end_ms, None);
    }

    #[test]
    fn iso_weeks_cross_years_as_iso_8601_says() {
        // 2026-11-24 is a Tuesday of ISO week 48.
        let p = period(Window::Weekly, ms(2026, 11, 24, 5));
        assert_eq!(p.key, "2026-W48");
        assert_eq!(rfc3339(p.start_ms), "2026-11-23T00:00:00.000Z");
        // 2021-01-03 (Sunday) belongs to 2020-W53; 2024-12-30 (Monday) to 2025-W01.
        assert_eq!(period(Window::Weekly, ms(2021, 1, 3, 12)).key, "2020-W53");
        assert_eq!(period(Window::Weekly, ms(2024, 12, 30, 0)).key, "2025-W01");
        assert_eq!(period(Window::Weekly, ms(2026, 1, 1, 0)).key, "2026-W01");
    }

    #[test]
    fn dates_round_trip_across_eras() {
        for day in (-800_000..800_000).step_by(997) {
            let (y, m, d) = civil_from_days(day);
            assert_eq!(days_from_civil(y, m, d), day);
        }
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(rfc3339(-1), "1969-12-31T23:59:59.999Z");
    }
}

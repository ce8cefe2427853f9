//! Timestamps arrive as RFC 3339 text; the app shows them relative to now.

/// Milliseconds since the Unix epoch for `YYYY-MM-DDTHH:MM:SS[.fff](Z|±HH:MM)`.
pub fn parse_rfc3339(text: &str) -> Option<i64> {
    let bytes = text.as_bytes();
    if bytes.len() < 20
        || bytes[4] != b'-'
        || bytes[7] != b'-'
        || !matches!(bytes[10], b'T' | b't' | b' ')
    {
        return None;
    }
    let num = |range: std::ops::Range<usize>| text.get(range)?.parse::<i64>().ok();
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);
    let mut rest = &text[19..];
    let mut millis = 0;
    if let Some(fraction) = rest.strip_prefix('.') {
        let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
        let padded = format!("{:0<3}", &fraction[..digits.min(3)]);
        millis = padded.parse::<i64>().ok()?;
        rest = &fraction[digits..];
    }
    let offset_minutes = match rest {
        "Z" | "z" => 0,
        _ if rest.len() == 6 => {
            let sign = match &rest[..1] {
                "+" => 1,
                "-" => -1,
                _ => return None,
            };
            sign * (rest[1..3].parse::<i64>().ok()? * 60 + rest[4..6].parse::<i64>().ok()?)
        }
        _ => return None,
    };
    let days = days_from_civil(year, month, day);
    Some(
        ((days * 86_400 + hour * 3_600 + minute * 60 + second - offset_minutes * 60) * 1_000)
            + millis,
    )
}

/// Howard Hinnant's days-from-civil: days since 1970-01-01 for a proleptic Gregorian date.
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_index = (month + 9) % 12;
    let day_of_year = (153 * month_index + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// (year, month, day) for days since the epoch.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (year_of_era + era * 400 + i64::from(month <= 2), month, day)
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Compact age for list rows: `now`, `5m`, `3h`, `2d`, then a date.
pub fn relative(then_ms: i64, now_ms: i64) -> String {
    let seconds = (now_ms - then_ms).max(0) / 1_000;
    match seconds {
        0..60 => "now".into(),
        60..3_600 => format!("{}m", seconds / 60),
        3_600..86_400 => format!("{}h", seconds / 3_600),
        86_400..604_800 => format!("{}d", seconds / 86_400),
        _ => short_date(then_ms, now_ms),
    }
}

/// `Nov 3`, or `Nov 3, 2024` when not this year (UTC).
pub fn short_date(then_ms: i64, now_ms: i64) -> String {
    let (year, month, day) = civil_from_days(then_ms.div_euclid(86_400_000));
    let (this_year, _, _) = civil_from_days(now_ms.div_euclid(86_400_000));
    let name = MONTHS[(month - 1) as usize];
    if year == this_year {
        format!("{name} {day}")
    } else {
        format!("{name} {day}, {year}")
    }
}

/// `2026-11-03` (UTC), as a date input holds it.
pub fn iso_date(ms: i64) -> String {
    let (year, month, day) = civil_from_days(ms.div_euclid(86_400_000));
    format!("{year:04}-{month:02}-{day:02}")
}

/// `Nov 3, 2026 14:05` (UTC): a full point in time, for tables.
pub fn date_time(ms: i64) -> String {
    let (year, month, day) = civil_from_days(ms.div_euclid(86_400_000));
    let name = MONTHS[(month - 1) as usize];
    format!("{name} {day}, {year} {}", clock(ms))
}

/// `14:05` (UTC) for message bubbles.
pub fn clock(ms: i64) -> String {
    let minutes = ms.div_euclid(60_000);
    format!(
        "{:02}:{:02}",
        minutes.div_euclid(60).rem_euclid(24),
        minutes.rem_euclid(60)
    )
}

/// The calendar day of a timestamp, for day separators.
pub fn day_key(ms: i64) -> i64 {
    ms.div_euclid(86_400_000)
}

/// `Today`, `Yesterday`, or a date, for day separators.
pub fn day_label(ms: i64, now_ms: i64) -> String {
    match day_key(now_ms) - day_key(ms) {
        0 => "Today".into(),
        1 => "Yesterday".into(),
        _ => short_date(ms, now_ms),
    }
}

pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_utc_and_offsets() {
        assert_eq!(parse_rfc3339("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse_rfc3339("1970-01-01T00:00:01.5Z"), Some(1_500));
        assert_eq!(parse_rfc3339("1970-01-01T01:00:00+01:00"), Some(0));
        assert_eq!(
            parse_rfc3339("2026-11-22T02:07:36.123Z"),
            Some(1_795_313_256_123)
        );
        assert_eq!(parse_rfc3339("not a date"), None);
        assert_eq!(parse_rfc3339("2026-11-22T02:07:36"), None);
    }

    #[test]
    fn relative_times_read_naturally() {
        let now = parse_rfc3339("2026-11-22T12:00:00Z").unwrap();
        assert_eq!(relative(now - 10_000, now), "now");
        assert_eq!(relative(now - 5 * 60_000, now), "5m");
        assert_eq!(relative(now - 3 * 3_600_000, now), "3h");
        assert_eq!(relative(now - 2 * 86_400_000, now), "2d");
        assert_eq!(
            relative(parse_rfc3339("2026-11-03T08:00:00Z").unwrap(), now),
            "Nov 3"
        );
        assert_eq!(
            relative(parse_rfc3339("2024-02-29T08:00:00Z").unwrap(), now),
            "Feb 29, 2024"
        );
        assert_eq!(day_label(now - 86_400_000, now), "Yesterday");
        assert_eq!(
            clock(parse_rfc3339("2026-11-22T14:05:59Z").unwrap()),
            "14:05"
        );
    }
}

//! Publication dates as inputs write them, normalised to ISO 8601.

use jiff::civil::Date;

/// The month a word names ("November", "Nov", "nov.", "Sept"), 1-based.
pub fn month_number(word: &str) -> Option<i8> {
    let w = word.trim_end_matches('.').to_ascii_lowercase();
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let position = MONTHS.iter().position(|m| {
        *m == w
            || (w.len() >= 3
                && m.starts_with(&w)
                && (w.len() == 3 || (w == "sept" && *m == "september")))
    })?;
    i8::try_from(position + 1).ok()
}

/// A day of the month as written: "15", "15th", "1st".
fn day_number(word: &str) -> Option<i8> {
    let digits = word.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &word[digits.len()..].to_ascii_lowercase();
    if !(suffix.is_empty() || ["st", "nd", "rd", "th"].contains(&suffix.as_str())) {
        return None;
    }
    let day: i8 = digits.parse().ok()?;
    (1..=31).contains(&day).then_some(day)
}

fn year_number(word: &str) -> Option<i16> {
    if word.len() != 4 {
        return None;
    }
    let year: i16 = word.parse().ok()?;
    (1000..=2999).contains(&year).then_some(year)
}

/// Normalises a publication date to `YYYY-MM-DD`, or to `YYYY-MM-DDTHH:MM:SS` plus offset when
/// the input gives a time with a zone. Accepts ISO 8601 / RFC 3339, RFC 2822 ("Mon, 16 Nov 2015
/// 08:00:00 GMT"), "November 16, 2015", "16 November 2015", "2015/11/16" and Unix timestamps.
/// `None` when nothing sensible can be read.
pub fn normalise_published(raw: &str) -> Option<String> {
    let s = raw.trim();
    if s.is_empty() {
        return None;
    }
    if let Some(iso) = parse_iso(s) {
        return Some(iso);
    }
    if let Ok(zoned) = jiff::fmt::rfc2822::parse(s) {
        return Some(zoned.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string());
    }
    if let Some(ts) = parse_unix_seconds(s) {
        return Some(ts);
    }
    find_written_date(s).map(|d| d.to_string())
}

/// `YYYY-MM-DD`, `YYYY/MM/DD`, `YYYY.MM.DD`, optionally followed by `T` or a space and a time,
/// optionally with `Z` or an offset.
fn parse_iso(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    if bytes.len() < 8 || !bytes[..4].iter().all(u8::is_ascii_digit) {
        return None;
    }
    let sep = *bytes.get(4)? as char;
    if !matches!(sep, '-' | '/' | '.') {
        return None;
    }
    let mut parts = s.splitn(3, sep);
    let year: i16 = parts.next()?.parse().ok()?;
    let month: i8 = parts.next()?.parse().ok()?;
    let rest = parts.next()?;
    let day_len = rest.bytes().take_while(u8::is_ascii_digit).count();
    if day_len == 0 || day_len > 2 {
        return None;
    }
    let day: i8 = rest[..day_len].parse().ok()?;
    let date = Date::new(year, month, day).ok()?;
    let after = &rest[day_len..];
    if after.is_empty() {
        return Some(date.to_string());
    }
    let time_part = after.strip_prefix(['T', 't', ' '])?;
    if sep != '-' {
        return None;
    }
    // Jiff reads RFC 3339 / ISO 8601 date-times with an offset exactly; keep the offset as given.
    let full = format!("{date}T{time_part}");
    if let Ok(zoned) = full.parse::<jiff::Timestamp>() {
        let offset = offset_of(time_part)?;
        let dt = zoned.to_zoned(jiff::tz::TimeZone::fixed(offset));
        return Some(dt.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string());
    }
    let local: jiff::civil::DateTime = full.parse().ok()?;
    Some(local.strftime("%Y-%m-%dT%H:%M:%S").to_string())
}

/// The UTC offset at the end of an ISO time ("08:00:00+11:00", "08:00Z", "0800-0500").
fn offset_of(time: &str) -> Option<jiff::tz::Offset> {
    if time.ends_with(['Z', 'z']) {
        return Some(jiff::tz::Offset::UTC);
    }
    let sign_at = time.rfind(['+', '-'])?;
    let sign: i32 = if time[sign_at..].starts_with('-') {
        -1
    } else {
        1
    };
    let digits: String = time[sign_at + 1..]
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    if digits.len() != 4 && digits.len() != 2 {
        return None;
    }
    let hours: i32 = digits[..2].parse().ok()?;
    let minutes: i32 = digits.get(2..).map_or(Some(0), |m| m.parse().ok())?;
    jiff::tz::Offset::from_seconds(sign * (hours * 3600 + minutes * 60)).ok()
}

/// Seconds (10 digits) or milliseconds (13 digits) since the Unix epoch.
fn parse_unix_seconds(s: &str) -> Option<String> {
    if !s.bytes().all(|b| b.is_ascii_digit()) || !(s.len() == 10 || s.len() == 13) {
        return None;
    }
    let n: i64 = s.parse().ok()?;
    let seconds = if s.len() == 13 { n / 1000 } else { n };
    let ts = jiff::Timestamp::from_second(seconds).ok()?;
    Some(ts.strftime("%Y-%m-%dT%H:%M:%SZ").to_string())
}

/// A written date with month name, day and year in either order: "November 16, 2015",
/// "16 November 2015", "Monday 16th Nov. 2015", "Nov 16 2015 08:00 AM".
pub fn find_written_date(s: &str) -> Option<Date> {
    written_dates(s).into_iter().next()
}

/// Every written date (month name, day and year) in a text, in order.
pub fn written_dates(s: &str) -> Vec<Date> {
    let words: Vec<&str> = s
        .split(|c: char| c.is_whitespace() || c == ',')
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
        .collect();
    let mut dates = Vec::new();
    for (i, w) in words.iter().enumerate() {
        let Some(month) = month_number(w) else {
            continue;
        };
        let before = i
            .checked_sub(1)
            .and_then(|j| words.get(j))
            .and_then(|w| day_number(w));
        let after = words.get(i + 1).and_then(|w| day_number(w));
        let (day, year_at) = match (after, before) {
            (Some(d), _) => (d, i + 2),
            (None, Some(d)) => (d, i + 1),
            _ => continue,
        };
        let Some(year) = words.get(year_at).and_then(|w| year_number(w)) else {
            continue;
        };
        if let Ok(date) = Date::new(year, month, day) {
            dates.push(date);
        }
    }
    dates
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_forms_normalise() {
        let cases = [
            ("2015-11-16", "2015-11-16"),
            ("2015-11-16T08:00:00+11:00", "2015-11-16T08:00:00+11:00"),
            ("2015-11-16T08:00:00.123Z", "2015-11-16T08:00:00+00:00"),
            ("2015-11-16 08:00", "2015-11-16T08:00:00"),
            ("Mon, 16 Nov 2015 08:00:00 GMT", "2015-11-16T08:00:00+00:00"),
            (
                "Mon, 16 Nov 2015 08:00:00 +0100",
                "2015-11-16T08:00:00+01:00",
            ),
            ("November 16, 2015", "2015-11-16"),
            ("16 November 2015", "2015-11-16"),
            ("Monday 16th Nov. 2015", "2015-11-16"),
            ("2015/11/16", "2015-11-16"),
            ("2015.11.16", "2015-11-16"),
            ("1447628400", "2015-11-15T23:00:00Z"),
            ("  Sept 3, 2004 ", "2004-09-03"),
        ];
        for (raw, want) in cases {
            assert_eq!(normalise_published(raw).as_deref(), Some(want), "{raw}");
        }
    }

    #[test]
    fn nonsense_gives_none() {
        for raw in [
            "",
            "yesterday",
            "2015-13-45",
            "32 November 2015",
            "February 30, 2015",
            "2015-11-16Tnoon",
            "🙂",
        ] {
            assert_eq!(normalise_published(raw), None, "{raw}");
        }
    }

    #[test]
    fn month_names_and_abbreviations() {
        assert_eq!(month_number("NOVEMBER"), Some(11));
        assert_eq!(month_number("Nov."), Some(11));
        assert_eq!(month_number("Sept"), Some(9));
        assert_eq!(month_number("Ma"), None);
        assert_eq!(month_number("Mayor"), None);
        assert_eq!(month_number("Marc"), None);
    }
}

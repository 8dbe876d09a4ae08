//! Time normalisation: absolute and relative date expressions in news text, resolved against an
//! anchor date (the article's publication date, else its dateline date) to `xsd:date`,
//! `xsd:gYearMonth` or `xsd:gYear`, as precise as the text allows.
//!
//! Relative expressions are tense-aware: "met on Sunday" is the most recent Sunday on or before the
//! anchor, "will meet on Sunday" the next one on or after it. "The previous day" counts from the
//! last full date the text mentioned before it, else from the anchor. Expressions that cannot be
//! resolved (no anchor, or nothing calendar-like such as "at the weekend") keep their text and get
//! no value.

use crate::doc::Span;
use jiff::civil::{Date, Weekday};
use jiff::ToSpan;
use regex::Regex;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

/// A calendar value at the precision the text gave.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TimeValue {
    Date(#[serde(with = "iso_date")] Date),
    YearMonth { year: i16, month: i8 },
    Year(i16),
}

impl TimeValue {
    /// The XSD lexical form: `2015-11-15`, `2015-11`, `2015`.
    pub fn lexical(&self) -> String {
        match self {
            TimeValue::Date(d) => format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day()),
            TimeValue::YearMonth { year, month } => format!("{year:04}-{month:02}"),
            TimeValue::Year(y) => format!("{y:04}"),
        }
    }

    /// The local name of the XSD datatype: `date`, `gYearMonth` or `gYear`.
    pub fn xsd_type(&self) -> &'static str {
        match self {
            TimeValue::Date(_) => "date",
            TimeValue::YearMonth { .. } => "gYearMonth",
            TimeValue::Year(_) => "gYear",
        }
    }

}

/// Dates as ISO 8601 strings in serialised documents.
mod iso_date {
    use jiff::civil::Date;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(date: &Date, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(date)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        String::deserialize(d)?.parse().map_err(serde::de::Error::custom)
    }
}

/// A time expression found in the text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimeExpr {
    /// Byte span in `Doc::text`.
    pub span: Span,
    pub text: String,
    pub value: Option<TimeValue>,
}

/// Whether a clause speaks of the past or of the future; decides which "Sunday" is meant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tense {
    Past,
    Future,
}

const MONTHS: &str = "January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec";
const WEEKDAYS: &str = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday";

struct Patterns {
    all: Regex,
    future: Regex,
}

fn patterns() -> &'static Patterns {
    static P: OnceLock<Patterns> = OnceLock::new();
    P.get_or_init(|| {
        // One alternation with named groups, tried left to right at each position, so the longest
        // specific form wins ("November 15, 2015" before "November 15" before "November").
        let m = format!("(?:{MONTHS})");
        let day = r"(?:[12][0-9]|3[01]|0?[1-9])(?:st|nd|rd|th)?";
        let year = r"(?:1[89][0-9]{2}|20[0-9]{2})";
        let wd = format!("(?:{WEEKDAYS})");
        let num = r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a few|several)";
        let all = format!(
            r"(?x)
            (?P<iso>\b{year}-[01][0-9]-[0-3][0-9]\b)
          | (?P<mdy>\b(?P<mdy_m>{m})\.?\s+(?P<mdy_d>{day}),?\s+(?P<mdy_y>{year})\b)
          | (?P<dmy>\b(?P<dmy_d>{day})\s+(?:of\s+)?(?P<dmy_m>{m})\.?,?\s+(?P<dmy_y>{year})\b)
          | (?P<md>\b(?P<md_m>{m})\.?\s+(?P<md_d>{day})\b)
          | (?P<dm>\b(?P<dm_d>{day})\s+(?:of\s+)?(?P<dm_m>{m})\b\.?)
          | (?P<my>\b(?P<my_m>{m})\.?,?\s+(?P<my_y>{year})\b)
          | (?P<rel_month>\b(?i:last|this|next|earlier\s+this|later\s+this|early\s+this|late\s+last|earlier\s+last)\s+(?-i:month)\b)
          | (?P<rel_year>\b(?i:last|this|next|earlier\s+this|later\s+this|early\s+this|late\s+last|earlier\s+last)\s+(?-i:year)\b)
          | (?P<rel_week>\b(?i:last|this|next|earlier\s+this|later\s+this)\s+(?-i:week)\b)
          | (?P<ago>\b(?P<ago_n>{num})\s+(?P<ago_u>days?|weeks?|months?|years?)\s+ago\b)
          | (?P<pm>\b(?P<pm_m>January|February|March|April|May|June|July|August|September|October|November|December)\b)
          | (?P<wday>\b(?P<wd_p>(?i:last|next|this|on|since|until|by|from)\s+)?(?P<wd_w>{wd})(?:\s+(?P<wd_part>morning|afternoon|evening|night))?\b)
          | (?P<day_word>\b(?i:today|yesterday|tomorrow|tonight|last\s+night|this\s+morning|this\s+afternoon|this\s+evening|(?:the\s+)?day\s+before\s+yesterday)\b)
          | (?P<prev_day>\bthe\s+(?:previous|preceding)\s+day\b|\bthe\s+day\s+before\b)
          | (?P<next_day>\bthe\s+(?:next|following)\s+day\b|\bthe\s+day\s+after\b)
          | (?P<same_day>\bthe\s+same\s+day\b)
          | (?P<year>\b(?P<year_y>{year})s?\b)
        "
        );
        Patterns {
            all: Regex::new(&all).expect("time pattern compiles"),
            future: Regex::new(
                r"(?i)\b(?:will|shall|won't|'ll|is\s+due|are\s+due|is\s+set\s+to|are\s+set\s+to|is\s+to|are\s+to|is\s+expected\s+to|are\s+expected\s+to|plans?\s+to|planned|scheduled|going\s+to|upcoming|would)\b",
            )
            .expect("future pattern compiles"),
        }
    })
}

/// The tense of the clause before `at` within `sentence` (both as text, `at` a byte offset into
/// it). News narrates in the past, so past is the default.
pub fn tense_before(sentence: &str, at: usize) -> Tense {
    let head = sentence.get(..at).unwrap_or(sentence);
    if patterns().future.is_match(head) {
        Tense::Future
    } else {
        Tense::Past
    }
}

/// Finds and resolves the time expressions of one sentence. `offset` is where the sentence starts
/// in the document; `last_date` carries the discourse reference date from sentence to sentence.
pub fn find_times(sentence: &str, offset: usize, anchor: Option<Date>, last_date: &mut Option<Date>) -> Vec<TimeExpr> {
    let mut found = Vec::new();
    for caps in patterns().all.captures_iter(sentence) {
        let Some(whole) = caps.get(0) else { continue };
        let (start, end) = (whole.start(), whole.end());
        // A year is no year inside an amount, a code or a range of numbers ("$2015m", "2,015", "1-2015").
        if caps.name("year_y").is_some() {
            let before = sentence[..start].chars().next_back();
            let after = sentence[end..].chars().next();
            if before.is_some_and(|c| "$£€.,-/".contains(c)) || after.is_some_and(|c| c == '-' || c == '%' || c.is_alphanumeric()) {
                continue;
            }
        }
        let text = sentence[start..end].trim_end_matches('.').to_string();
        let tense = tense_before(sentence, start);
        if !is_time_expression(&caps) {
            continue;
        }
        // A bare month needs a preposition or determiner before it ("in September", "last May").
        let prep = caps.name("pm").map(|_| month_preposition(&sentence[..start]));
        if prep == Some(None) {
            continue;
        }
        let value = resolve_captures(&caps, anchor, *last_date, tense, prep.flatten());
        if let Some(TimeValue::Date(d)) = value {
            *last_date = Some(d);
        }
        found.push(TimeExpr { span: offset + start..offset + start + text.len(), text, value });
    }
    found
}

/// Drops matches that are not time expressions at all: a lowercase "may" or "march" is a verb.
fn is_time_expression(caps: &regex::Captures) -> bool {
    let month_word = ["md_m", "dm_m", "my_m", "mdy_m", "dmy_m", "pm_m"].iter().find_map(|g| caps.name(g));
    month_word.is_none_or(|m| m.as_str().starts_with(|c: char| c.is_uppercase()))
}

/// The preposition or determiner right before a bare month name, lowercase, if it is one that
/// makes the month a time expression.
fn month_preposition(before: &str) -> Option<String> {
    let word = before.trim_end().rsplit(|c: char| c.is_whitespace()).next()?.to_ascii_lowercase();
    let known = ["in", "since", "until", "till", "by", "during", "from", "last", "this", "next", "early", "late", "mid", "mid-", "of", "before", "after"];
    known.contains(&word.as_str()).then_some(word)
}

fn resolve_captures(caps: &regex::Captures, anchor: Option<Date>, last_date: Option<Date>, tense: Tense, month_prep: Option<String>) -> Option<TimeValue> {
    let g = |name: &str| caps.name(name).map(|m| m.as_str());
    if let Some(iso) = g("iso") {
        return iso.parse::<Date>().ok().map(TimeValue::Date);
    }
    if g("mdy").is_some() {
        return full_date(g("mdy_y")?, g("mdy_m")?, g("mdy_d")?);
    }
    if g("dmy").is_some() {
        return full_date(g("dmy_y")?, g("dmy_m")?, g("dmy_d")?);
    }
    if g("md").is_some() {
        return month_day(g("md_m")?, g("md_d")?, anchor, tense);
    }
    if g("dm").is_some() {
        return month_day(g("dm_m")?, g("dm_d")?, anchor, tense);
    }
    if g("my").is_some() {
        let year = g("my_y")?.parse().ok()?;
        return Some(TimeValue::YearMonth { year, month: month_number(g("my_m")?)? });
    }
    if let Some(rel) = g("rel_month") {
        let a = anchor?;
        let shift = relative_shift(rel);
        let d = a.first_of_month().checked_add(shift.months()).ok()?;
        return Some(TimeValue::YearMonth { year: d.year(), month: d.month() });
    }
    if let Some(rel) = g("rel_year") {
        let a = anchor?;
        return Some(TimeValue::Year(a.year().checked_add(relative_shift(rel) as i16)?));
    }
    if let Some(rel) = g("rel_week") {
        return week_value(anchor?, relative_shift(rel));
    }
    if g("ago").is_some() {
        let a = anchor?;
        let n = small_number(g("ago_n")?)?;
        let unit = g("ago_u")?;
        return if unit.starts_with("day") {
            a.checked_sub(n.days()).ok().map(TimeValue::Date)
        } else if unit.starts_with("week") {
            let d = a.checked_sub((7 * n).days()).ok()?;
            Some(TimeValue::YearMonth { year: d.year(), month: d.month() })
        } else if unit.starts_with("month") {
            let d = a.checked_sub(n.months()).ok()?;
            Some(TimeValue::YearMonth { year: d.year(), month: d.month() })
        } else {
            Some(TimeValue::Year(a.year().checked_sub(n as i16)?))
        };
    }
    if g("pm").is_some() {
        let month = month_number(g("pm_m")?)?;
        let a = anchor?;
        let tense = match month_prep.as_deref().unwrap_or("") {
            "last" => Tense::Past,
            "next" => Tense::Future,
            _ => tense,
        };
        let year = match tense {
            Tense::Past if month > a.month() => a.year() - 1,
            Tense::Future if month < a.month() => a.year() + 1,
            _ => a.year(),
        };
        return Some(TimeValue::YearMonth { year, month });
    }
    if let Some(w) = g("wd_w") {
        let a = anchor?;
        let weekday = weekday_from_name(w)?;
        let prep = g("wd_p").map(|p| p.trim().to_ascii_lowercase());
        let day = match prep.as_deref() {
            Some("last") => a.nth_weekday(-1, weekday).ok()?,
            Some("next") => a.nth_weekday(1, weekday).ok()?,
            _ => match tense {
                _ if a.weekday() == weekday => a,
                Tense::Past => a.nth_weekday(-1, weekday).ok()?,
                Tense::Future => a.nth_weekday(1, weekday).ok()?,
            },
        };
        return Some(TimeValue::Date(day));
    }
    if let Some(w) = g("day_word") {
        let a = anchor?;
        let w = w.to_ascii_lowercase();
        let d = if w.contains("before yesterday") {
            a.checked_sub(2.days()).ok()?
        } else if w == "yesterday" || w.starts_with("last") {
            a.yesterday().ok()?
        } else if w == "tomorrow" {
            a.tomorrow().ok()?
        } else {
            a
        };
        return Some(TimeValue::Date(d));
    }
    if g("prev_day").is_some() {
        return last_date.or(anchor)?.yesterday().ok().map(TimeValue::Date);
    }
    if g("next_day").is_some() {
        return last_date.or(anchor)?.tomorrow().ok().map(TimeValue::Date);
    }
    if g("same_day").is_some() {
        return last_date.or(anchor).map(TimeValue::Date);
    }
    if let Some(y) = g("year_y") {
        // "the 1990s" is a decade, not a year.
        if caps.get(0)?.as_str().ends_with('s') {
            return None;
        }
        return y.parse().ok().map(TimeValue::Year);
    }
    None
}

/// -1 for "last", +1 for "next", 0 for "this" and "earlier/later this".
fn relative_shift(text: &str) -> i64 {
    let t = text.to_ascii_lowercase();
    if t.starts_with("next") {
        1
    } else if t.contains("last") {
        -1
    } else {
        0
    }
}

/// The month or year holding the whole week `shift` weeks from the anchor's (weeks start on
/// Monday); a week across a month boundary is only as precise as its year, across a year nothing.
fn week_value(anchor: Date, shift: i64) -> Option<TimeValue> {
    let monday = match anchor.weekday() {
        Weekday::Monday => anchor,
        _ => anchor.nth_weekday(-1, Weekday::Monday).ok()?,
    };
    let start = monday.checked_add((7 * shift).days()).ok()?;
    let end = start.checked_add(6.days()).ok()?;
    if start.year() != end.year() {
        None
    } else if start.month() != end.month() {
        Some(TimeValue::Year(start.year()))
    } else {
        Some(TimeValue::YearMonth { year: start.year(), month: start.month() })
    }
}

fn full_date(year: &str, month: &str, day: &str) -> Option<TimeValue> {
    let d = Date::new(year.parse().ok()?, month_number(month)?, day_number(day)?).ok()?;
    Some(TimeValue::Date(d))
}

/// A month and day without a year take the anchor's year, moved by one when the tense says the
/// date must lie on the other side of the anchor (a past "December 30" read on January 2).
fn month_day(month: &str, day: &str, anchor: Option<Date>, tense: Tense) -> Option<TimeValue> {
    let a = anchor?;
    let (m, d) = (month_number(month)?, day_number(day)?);
    let same_year = Date::new(a.year(), m, d).ok()?;
    let months_apart = (i32::from(same_year.year()) * 12 + i32::from(m)) - (i32::from(a.year()) * 12 + i32::from(a.month()));
    let year = match tense {
        Tense::Past if months_apart > 2 => a.year() - 1,
        Tense::Future if months_apart < -2 => a.year() + 1,
        _ => a.year(),
    };
    Date::new(year, m, d).ok().map(TimeValue::Date)
}

fn day_number(day: &str) -> Option<i8> {
    day.trim_end_matches(|c: char| c.is_ascii_alphabetic()).parse().ok()
}

/// 1–12 for an English month name or abbreviation, any case.
pub fn month_number(name: &str) -> Option<i8> {
    let n = name.trim_end_matches('.').to_ascii_lowercase();
    let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    let prefix = n.get(..3)?;
    months.iter().position(|m| *m == prefix).map(|i| i as i8 + 1)
}

fn weekday_from_name(name: &str) -> Option<Weekday> {
    Some(match name.to_ascii_lowercase().get(..3)? {
        "mon" => Weekday::Monday,
        "tue" => Weekday::Tuesday,
        "wed" => Weekday::Wednesday,
        "thu" => Weekday::Thursday,
        "fri" => Weekday::Friday,
        "sat" => Weekday::Saturday,
        "sun" => Weekday::Sunday,
        _ => return None,
    })
}

fn small_number(word: &str) -> Option<i64> {
    crate::relate::quantity::number_word(word).map(|n| n as i64).or_else(|| word.parse().ok())
}

/// The anchor for relative expressions: the publication date, else the dateline's date.
pub fn anchor_date(article: &crate::doc::Article) -> Option<Date> {
    article
        .published_date()
        .or_else(|| article.dateline.as_ref()?.date.as_deref()?.get(..10)?.parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve_one(text: &str, anchor: &str) -> Option<String> {
        let anchor: Option<Date> = if anchor.is_empty() { None } else { Some(anchor.parse().unwrap()) };
        let mut last = None;
        let found = find_times(text, 0, anchor, &mut last);
        found.into_iter().last().and_then(|t| t.value).map(|v| format!("{}^{}", v.lexical(), v.xsd_type()))
    }

    #[test]
    fn expressions_against_anchors() {
        let table: &[(&str, &str, Option<&str>)] = &[
            ("They met on November 15, 2015 in the city.", "", Some("2015-11-15^date")),
            ("They met on 15 November 2015.", "", Some("2015-11-15^date")),
            ("It happened on the 13th of November 2015.", "", Some("2015-11-13^date")),
            ("Talks ended on 2015-11-15.", "", Some("2015-11-15^date")),
            ("They met on Nov. 15 in the city.", "2015-11-20", Some("2015-11-15^date")),
            ("Attacks in two cities on 13th of November shocked many.", "2015-11-16", Some("2015-11-13^date")),
            // A past "December 30" read in January is last year's.
            ("The vote was held on December 30.", "2016-01-02", Some("2015-12-30^date")),
            // A future "January 3" read in December is next year's.
            ("The vote will be held on January 3.", "2015-12-28", Some("2016-01-03^date")),
            ("Russia launched a campaign in September.", "2015-11-15", Some("2015-09^gYearMonth")),
            ("Russia launched a campaign in December.", "2015-11-15", Some("2014-12^gYearMonth")),
            ("The talks will resume in February.", "2015-11-15", Some("2016-02^gYearMonth")),
            ("Sales rose in September 2015.", "", Some("2015-09^gYearMonth")),
            ("Profits fell in 2004.", "", Some("2004^gYear")),
            // 2015-11-15 is a Sunday.
            ("The leaders met on Sunday.", "2015-11-15", Some("2015-11-15^date")),
            ("The leaders met on Friday.", "2015-11-15", Some("2015-11-13^date")),
            ("The leaders will meet on Friday.", "2015-11-15", Some("2015-11-20^date")),
            ("The leaders met last Sunday.", "2015-11-15", Some("2015-11-08^date")),
            ("The leaders meet next Tuesday.", "2015-11-15", Some("2015-11-17^date")),
            // Weekday arithmetic across a month boundary and a year boundary.
            ("The plane crashed on Saturday.", "2015-12-01", Some("2015-11-28^date")),
            ("The plane crashed on Thursday.", "2016-01-02", Some("2015-12-31^date")),
            ("A bomb killed 102 people last month.", "2015-11-15", Some("2015-10^gYearMonth")),
            ("A bomb killed 102 people last month.", "2016-01-10", Some("2015-12^gYearMonth")),
            ("It happened yesterday.", "2016-01-01", Some("2015-12-31^date")),
            ("It happened today.", "2016-01-01", Some("2016-01-01^date")),
            ("It happened earlier this year.", "2016-03-01", Some("2016^gYear")),
            ("It happened last year.", "2016-03-01", Some("2015^gYear")),
            // Monday 2015-11-09 .. Sunday 2015-11-15 is the week before 2015-11-18.
            ("They spoke last week.", "2015-11-18", Some("2015-11^gYearMonth")),
            // The week before Wednesday 2015-12-09 runs Nov 30 .. Dec 6: only its year is certain.
            ("They spoke last week.", "2015-12-09", Some("2015^gYear")),
            ("They met three days ago.", "2015-03-02", Some("2015-02-27^date")),
            ("On Sunday they met; talks in Vienna were held the previous day.", "2015-11-15", Some("2015-11-14^date")),
            // Without an anchor a relative expression keeps its text and gets no value.
            ("The leaders met on Sunday.", "", None),
            ("They met on Nov. 15.", "", None),
        ];
        for (text, anchor, want) in table {
            assert_eq!(resolve_one(text, anchor).as_deref(), *want, "{text:?} at {anchor:?}");
        }
    }

    #[test]
    fn unresolved_expressions_keep_their_text() {
        let mut last = None;
        let found = find_times("The leaders met on Sunday.", 10, None, &mut last);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].text, "on Sunday");
        assert_eq!(found[0].span, 26..35);
        assert_eq!(found[0].value, None);
    }

    #[test]
    fn not_time_expressions() {
        let mut last = None;
        for text in [
            "The leaders may meet again.",
            "Profits rose to $2015m.",
            "It sold 1,999 units and 2,010 cars.",
            "May I ask a question?",
            "Marchers will march on the capital.",
        ] {
            let found = find_times(text, 0, "2015-11-15".parse().ok(), &mut last);
            assert!(found.is_empty(), "{text:?}: {found:?}");
        }
    }
}

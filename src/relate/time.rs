//! The time layer: every date, time, duration and set expression of an article, with its TIMEX3
//! type and normalised TIMEX3 value (TimeML, as TempEval-3 scores it), resolved against an anchor
//! date (the article's publication date, else its dateline date).
//!
//! A value is as precise as the text: `2015-11-15`, `2015-11`, `2015-W46`, `2015-Q3`, `2015-SU`,
//! `199` (a decade), `2015-11-15TNI` (a part of a day), `PT35M`, `P4Y`, `PXY` (some years),
//! `PRESENT_REF`; an expression that needs an anchor and has none keeps `X` digits
//! (`XXXX-11-15`, `XXXX-WXX-7`). Where the value names a calendar day, month or year the
//! expression also carries a [`TimeValue`], which becomes a typed `xsd:` literal and dates events.
//!
//! Relative expressions are tense-aware: "met on Sunday" is the most recent Sunday on or before the
//! anchor, "will meet on Sunday" the next one on or after it. "The previous day" counts from the
//! last full date the text mentioned before it, else from the anchor. Extents follow TimeML: the
//! preposition is left out ("on Sunday" → "Sunday"), determiners and modifiers are kept ("last
//! Sunday", "the past two months", "early next year").

use crate::doc::Span;
use jiff::civil::{Date, Weekday};
use jiff::ToSpan;
use regex::{Captures, Regex};
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

    /// The calendar part of a TIMEX3 value: its day, month or year (`2015-11-15TNI` →
    /// 2015-11-15); weeks, quarters, seasons and unknown digits give nothing.
    pub fn from_timex(timex: &str) -> Option<TimeValue> {
        let b = timex.as_bytes();
        let digits = |r: std::ops::Range<usize>| b.get(r).is_some_and(|s| s.iter().all(u8::is_ascii_digit));
        if !digits(0..4) {
            return None;
        }
        let year: i16 = timex[..4].parse().ok()?;
        if b.get(4) == Some(&b'-') && digits(5..7) {
            let month: i8 = timex[5..7].parse().ok()?;
            if b.get(7) == Some(&b'-') && digits(8..10) {
                return timex[..10].parse::<Date>().ok().map(TimeValue::Date);
            }
            return (1..=12).contains(&month).then_some(TimeValue::YearMonth { year, month });
        }
        // quarters, halves and seasons are periods of their own, no calendar value (an event
        // "since the summer" is not dated by it)
        b.get(4).is_none().then_some(TimeValue::Year(year))
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

/// The TIMEX3 types of TimeML.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum TimexType {
    /// A calendar date or period at any granularity, or a vague reference (`PRESENT_REF`).
    #[default]
    Date,
    /// A time of day, or a part of a day.
    Time,
    /// A length of time (`PT35M`, `P4Y`).
    Duration,
    /// A recurrence ("every week", "daily").
    Set,
}

impl TimexType {
    /// The TimeML name: `DATE`, `TIME`, `DURATION`, `SET`.
    pub fn as_str(&self) -> &'static str {
        match self {
            TimexType::Date => "DATE",
            TimexType::Time => "TIME",
            TimexType::Duration => "DURATION",
            TimexType::Set => "SET",
        }
    }
}

/// A time expression found in the text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimeExpr {
    /// Byte span in `Doc::text`.
    pub span: Span,
    pub text: String,
    /// The calendar day, month or year it names, when it names one.
    pub value: Option<TimeValue>,
    /// Its TIMEX3 type.
    #[serde(default)]
    pub kind: TimexType,
    /// Its normalised TIMEX3 value.
    #[serde(default)]
    pub timex: String,
}

/// Whether a clause speaks of the past or of the future; decides which "Sunday" is meant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tense {
    Past,
    Future,
}

const MONTHS: &str = "January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec";
const FULL_MONTHS: &str = "January|February|March|April|May|June|July|August|September|October|November|December";
const WEEKDAYS: &str = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday";
const UNIT: &str = r"(?:seconds?|minutes?|hours?|days?|nights?|weekends?|weeks?|months?|quarters?|years?|decades?|centur(?:y|ies))";

struct Patterns {
    all: Regex,
    future: Regex,
    past: Regex,
}

fn patterns() -> &'static Patterns {
    static P: OnceLock<Patterns> = OnceLock::new();
    P.get_or_init(|| {
        // One case-insensitive alternation with named groups, tried left to right at each position,
        // so the longest specific form wins ("November 15, 2015" before "November 15" before
        // "November"; "a year earlier" before "a year"). Month and weekday names must still be
        // capitalised (checked after the match: "may" is a verb).
        let m = format!("(?:{MONTHS})");
        let fm = format!("(?:{FULL_MONTHS})");
        let day = r"(?:[12][0-9]|3[01]|0?[1-9])(?:st|nd|rd|th)?";
        let year = r"(?:1[89][0-9]{2}|20[0-9]{2})";
        let wd = format!("(?:{WEEKDAYS})");
        let num = r"(?:\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s-](?:one|two|three|four|five|six|seven|eight|nine)\b)?|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|one|two|three|four|five|six|seven|eight|nine|ten|a\s+few|a\s+couple(?:\s+of)?|several|a|an|few|many|some)";
        let unit = UNIT;
        let day_ref = format!(r"(?:{wd}|today|yesterday|tomorrow)");
        let all = format!(
            r"(?xi-u)
            (?P<iso>\b{year}-[01][0-9]-[0-3][0-9]\b)
          | (?P<clock>\b(?P<c_h>[01]?[0-9]|2[0-3])(?:[:.](?P<c_m>[0-5][0-9]))?\s*(?P<c_ap>[ap]\.m\.|[ap]m\b)(?:\s+(?:GMT|UTC|[ECMP][SD]T)\b)?(?:,?\s+(?:(?P<c_day>{day_ref})|(?P<c_mm>{m})\.?\s+(?P<c_md>{day}))\b)?)
          | (?P<clock24>\b(?P<c_h24>[01][0-9]|2[0-3]):(?P<c_m24>[0-5][0-9])\b(?:\s+(?:GMT|UTC|local\s+time)\b)?)
          | (?P<noon>\b(?P<noon_w>noon|midnight|midday)(?:\s+(?P<n_day>{day_ref}))?\b)
          | (?P<wdmd>\b{wd},?\s+(?P<wdmd_m>{m})\.?\s+(?P<wdmd_d>{day})(?:,?\s+(?P<wdmd_y>{year}))?\b)
          | (?P<spelled_year>\bnineteen[\s-](?P<sp_rest>(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s-](?:one|two|three|four|five|six|seven|eight|nine))?|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)\b)
          | (?P<spelled_decade>\bthe\s+(?:(?:early|late|mid)[\s-]+)?(?P<spd>twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties)\b)
          | (?P<period_end>\bthe\s+(?:end|beginning|start|middle|rest|remainder)\s+of\s+the\s+(?P<pe_u>year|month)\b)
          | (?P<m_rel>\b(?P<mr_m>{fm})\s+(?:of\s+)?(?P<mr_w>last|this|next)\s+year\b)
          | (?P<mdy>\b(?P<mdy_m>{m})\.?\s+(?P<mdy_d>{day}),?\s+(?P<mdy_y>{year})\b)
          | (?P<dmy>\b(?P<dmy_d>{day})\s+(?:of\s+)?(?P<dmy_m>{m})\.?,?\s+(?P<dmy_y>{year})\b)
          | (?P<md>\b(?P<md_m>{m})\.?\s+(?P<md_d>{day})\b)
          | (?P<dm>\b(?P<dm_d>{day})\s+(?:of\s+)?(?P<dm_m>{m})\b\.?)
          | (?P<my>\b(?P<my_m>{m})\.?,?\s+(?P<my_y>{year})\b)
          | (?P<set>\b(?:every|each|per)\s+(?:(?P<set_n>other|{num})\s+)?(?P<set_u>{unit}|{wd}|{fm}|summer|winter|spring|autumn)\b)
          | (?P<set_freq>\b(?:once|twice|thrice|{num}\s+times)\s+(?:a|an|per)\s+(?P<set_fu>{unit})\b)
          | (?P<quarter>\b(?:the\s+)?(?:(?P<q_pre>year-ago|year-earlier|comparable|(?:this|last|next)\s+year's|{year})\s+)?(?:(?:fiscal|calendar)\s+)?(?P<q_n>first|second|third|fourth|1st|2nd|3rd|4th)[\s-]+(?:fiscal[\s-]+)?quarter\b(?:\s+of\s+(?:(?P<q_y>{year})|(?P<q_ry>this|last|next)\s+year))?)
          | (?P<qrel>\b(?:the\s+)?(?P<qrel_m>latest|last|current|previous|past|most\s+recent|year-ago|year-earlier|same|comparable|recent)\s+(?:fiscal\s+)?quarter\b|\bthe\s+quarter\b)
          | (?P<prel>\bthe\s+(?:year-ago|year-earlier|comparable|same)\s+period\b)
          | (?P<qyear>\bthe\s+(?P<qy_y>{year})\s+(?:quarter|period)\b)
          | (?P<half>\b(?:the\s+)?(?P<h_n>first|second|last|latter)\s+half(?:\s+of\s+(?:(?P<h_y>{year})|(?P<h_ry>this|last|next)\s+year|the\s+year))?\b)
          | (?P<vago>\b(?:(?:several|many|a\s+few|some)\s+)?(?:days|weeks|months|years|decades)\s+ago\b)
          | (?P<dur>\b(?:the\s+)?(?:(?P<dur_mod>past|last|next|first|coming|previous|following|latest|final|remaining|initial|further|additional|another)\s+)?(?:(?:about|nearly|almost|roughly|some|more\s+than|less\s+than|at\s+least|up\s+to|over)\s+)?(?P<dur_n>{num})[\s-]+(?P<dur_u>{unit})(?P<dur_old>[\s-]+old)?(?:\s+(?P<dur_ago>ago|earlier|later|before|after|from\s+now|hence))?\b)
          | (?P<vague>\b(?:the\s+)?(?:past|last|next|coming|recent|previous|following)\s+(?:(?:few|several|many)\s+)?(?P<vague_u>minutes|hours|days|weeks|months|years|decades|centuries)\b)
          | (?P<decade>\b(?:the\s+)?(?:(?:early|late|mid)[\s-]+)?(?:(?P<dec_y>1[89][0-9]|20[0-9])0(?:'s|s)|'(?P<dec_s>[0-9])0s)\b)
          | (?P<season>\b(?:(?P<s_mod>this\s+past|the\s+coming|the\s+past|this|last|next|early|late|mid|the)[\s-]+)?(?P<s_n>summer|winter|spring|autumn|fall)(?:\s+(?:of\s+)?(?P<s_y>{year}))?\b)
          | (?P<rel>\b(?:(?P<rel_pre>early|late|earlier|later|mid)[\s-]+)?(?:the\s+)?(?P<rel_w>last|this|next|past|coming|previous|current|following|same|full|latest)\s+(?:fiscal\s+)?(?P<rel_u>year|month|week|weekend|decade|century)\b)
          | (?P<the_wkend>\bthe\s+weekend\b)
          | (?P<pm>\b(?:(?P<pm_mod>earlier\s+this|later\s+this|early|late|mid|last|next|this)[\s-]+)?(?P<pm_m>{fm})\b)
          | (?P<wday>\b(?:(?P<wd_p>last|next|this|early|late)\s+)?(?P<wd_w>{wd})(?:\s+(?P<wd_part>morning|afternoon|evening|night))?\b)
          | (?P<day_word>\b(?:(?P<dw_pre>early|late|later|earlier)\s+)?(?P<dw>today|yesterday|tomorrow|tonight|last\s+night|this\s+(?:morning|afternoon|evening)|(?:the\s+)?day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow)(?:\s+(?P<dw_part>morning|afternoon|evening|night))?\b)
          | (?P<prev_day>\bthe\s+(?:previous|preceding)\s+day\b|\bthe\s+day\s+before\b)
          | (?P<next_day>\bthe\s+(?:next|following)\s+day\b|\bthe\s+day\s+after\b)
          | (?P<same_day>\bthe\s+same\s+day\b)
          | (?P<present>\b(?:right\s+now|now|currently|presently|at\s+present|nowadays|these\s+days|current)\b)
          | (?P<past_ref>\b(?:recently|lately|the\s+past)\b)
          | (?P<future_ref>\b(?:the\s+(?:near\s+|distant\s+)?future|soon)\b)
          | (?P<year>\b(?:(?:fiscal\s+year|fiscal|calendar|the\s+year)\s+)?(?P<year_y>{year})s?\b)
        "
        );
        Patterns {
            all: Regex::new(&all).expect("time pattern compiles"),
            future: Regex::new(
                r"(?i-u)\b(?:will|shall|won't|'ll|is\s+due|are\s+due|is\s+set\s+to|are\s+set\s+to|is\s+to|are\s+to|(?:is|are|was|were)\s+expected\s+to|expects?\s+to|intends?\s+to|aims?\s+to|hopes?\s+to|plans?\s+to|planned|scheduled|going\s+to|upcoming|would|could|should|next|later\s+this|likely\s+to)\b",
            )
            .expect("future pattern compiles"),
            past: Regex::new(r"(?i-u)\b(?:said|says|was|were|had|did|has|have|been|ago|last|rose|fell|met|won|lost|took|came|went|told|began|left|saw|held|gave|made|got|sold|bought|paid|struck|fled|led|[a-z]{3,}ed)\b").expect("past pattern compiles"),
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

/// The tense of the clause around an expression: a future marker before it decides, else a past
/// one; with neither before it, a future marker after it ("In January the plant will close").
fn tense_around(sentence: &str, start: usize, end: usize) -> Tense {
    let p = patterns();
    let head = sentence.get(..start).unwrap_or("");
    if p.future.is_match(head) {
        return Tense::Future;
    }
    if p.past.is_match(head) {
        return Tense::Past;
    }
    let tail = sentence.get(end..).unwrap_or("");
    let clause_end = tail.find([';', ':']).unwrap_or(tail.len());
    let tail = &tail[..clause_end];
    if p.future.is_match(tail) && !p.past.is_match(tail.split_whitespace().take(2).collect::<Vec<_>>().join(" ").as_str()) {
        Tense::Future
    } else {
        Tense::Past
    }
}

/// What the text said before the sentence at hand, that later expressions resolve against.
#[derive(Debug, Default, Clone)]
pub struct Discourse {
    /// The last full date the text mentioned.
    pub last_date: Option<Date>,
    /// Whether the text spoke of quarters (results reporting): then "a year ago" is the same
    /// quarter a year before.
    pub quarters: bool,
}

/// What a match resolved to.
struct Resolved {
    kind: TimexType,
    timex: String,
    /// Set where [`TimeValue::from_timex`] would not give the calendar value (weeks).
    value: Option<TimeValue>,
    /// The length in bytes of the expression when shorter than the match.
    len: Option<usize>,
}

fn resolved(kind: TimexType, timex: impl Into<String>) -> Option<Resolved> {
    Some(Resolved { kind, timex: timex.into(), value: None, len: None })
}

/// Finds and resolves the time expressions of one sentence. `offset` is where the sentence starts
/// in the document; `last_date` carries the discourse reference date from sentence to sentence.
pub fn find_times(sentence: &str, offset: usize, anchor: Option<Date>, last_date: &mut Option<Date>) -> Vec<TimeExpr> {
    let mut discourse = Discourse { last_date: *last_date, quarters: false };
    let found = find_times_in(sentence, offset, anchor, &mut discourse);
    *last_date = discourse.last_date;
    found
}

/// [`find_times`] carrying the whole [`Discourse`] from sentence to sentence.
pub fn find_times_in(sentence: &str, offset: usize, anchor: Option<Date>, discourse: &mut Discourse) -> Vec<TimeExpr> {
    let mut found = Vec::new();
    if !discourse.quarters && sentence.to_ascii_lowercase().contains("quarter") {
        discourse.quarters = true;
    }
    for caps in patterns().all.captures_iter(sentence) {
        let Some(whole) = caps.get(0) else { continue };
        let (mut start, end) = (whole.start(), whole.end());
        // "three-quarters" is a fraction; "52 years old" an age
        if caps.name("dur_u").is_some_and(|u| u.as_str().to_ascii_lowercase().starts_with("quarter") && sentence[..u.start()].ends_with('-'))
            || caps.name("dur_old").is_some_and(|o| o.as_str().starts_with(char::is_whitespace))
        {
            continue;
        }
        // A year is no year inside an amount, a code or a range of numbers ("$2015m", "2,015", "1-2015").
        if caps.name("year_y").is_some() || caps.name("dur_n").is_some_and(|n| n.as_str().starts_with(|c: char| c.is_ascii_digit())) {
            let before = sentence[..start].chars().next_back();
            let after = sentence[end..].chars().next();
            let mid = sentence[..start].to_ascii_lowercase().ends_with("mid-");
            let bad_before = before.is_some_and(|c| "$£€.,/".contains(c) || (c == '-' && caps.name("year_y").is_some() && !mid));
            let bad_after = after.is_some_and(|c| (c == '-' && caps.name("dur_old").is_none() && caps.name("year_y").is_some()) || c == '%' || c.is_alphanumeric());
            if bad_before || bad_after {
                continue;
            }
        }
        if !is_time_expression(&caps, &sentence[..start]) {
            continue;
        }
        let tense = tense_around(sentence, start, end);
        let Some(r) = resolve_captures(&caps, discourse.quarters, &sentence[..start], anchor, discourse.last_date, tense) else { continue };
        // "three days later": the length is the expression, "later" its signal
        let end = start + r.len.unwrap_or(end - start);
        // "the end of 1990", "early 1990", "mid-1990": the modifier belongs to the expression.
        if r.kind == TimexType::Date && !r.timex.ends_with("_REF") {
            let before = sentence[..start].to_ascii_lowercase();
            for m in ["the end of ", "the beginning of ", "the start of ", "the middle of ", "the turn of ", "early ", "late ", "mid-", "mid "] {
                if before.ends_with(m) {
                    start -= m.len();
                    break;
                }
            }
        }
        // a sentence's full stop is no part of "Nov.", but "p.m." keeps its own
        let raw = &sentence[start..end];
        let text = if raw.ends_with("m.") && caps.name("c_ap").is_some() { raw.to_string() } else { raw.trim_end_matches('.').to_string() };
        let value = r.value.or_else(|| TimeValue::from_timex(&r.timex));
        if r.kind == TimexType::Date {
            if let Some(TimeValue::Date(d)) = value {
                discourse.last_date = Some(d);
            }
        }
        found.push(TimeExpr { span: offset + start..offset + start + text.len(), text, value, kind: r.kind, timex: r.timex });
    }
    found
}

/// Drops matches that are not time expressions at all: a lowercase "may" or "march" is a verb, a
/// lowercase "sunday" no day; "the fall" needs a season's modifier.
fn is_time_expression(caps: &Captures, before: &str) -> bool {
    let names = ["md_m", "dm_m", "my_m", "mdy_m", "dmy_m", "pm_m", "wd_w", "c_day", "n_day"];
    let capitalised = names.iter().filter_map(|g| caps.name(g)).all(|m| {
        let s = m.as_str();
        let is_name = month_number(s).is_some() || weekday_from_name(s).is_some();
        !is_name || s.starts_with(|c: char| c.is_uppercase()) || s.eq_ignore_ascii_case("today") || s.eq_ignore_ascii_case("yesterday") || s.eq_ignore_ascii_case("tomorrow")
    });
    if !capitalised {
        return false;
    }
    // A bare month needs a preposition or determiner before it ("in September", "last May").
    if caps.name("pm").is_some() && caps.name("pm_mod").is_none() && month_preposition(before).is_none() {
        return false;
    }
    if let Some(s) = caps.name("s_n") {
        let modifier = caps.name("s_mod").map(|m| m.as_str().to_ascii_lowercase());
        let year = caps.name("s_y").is_some();
        let prep = month_preposition(before);
        let ok = match modifier.as_deref() {
            // "the fall of the government": only a season after a preposition
            Some("the") => prep.is_some(),
            Some(_) => true,
            None => year || (prep.is_some() && !s.as_str().eq_ignore_ascii_case("fall")),
        };
        if !ok {
            return false;
        }
    }
    // "a second" is an ordinal far more often than a length of time
    if caps.name("dur_u").is_some_and(|u| u.as_str().eq_ignore_ascii_case("second")) && caps.name("dur_n").is_some_and(|n| matches!(n.as_str().to_ascii_lowercase().as_str(), "a" | "an")) {
        return false;
    }
    true
}

/// The preposition or determiner right before a bare month name, lowercase, if it is one that
/// makes the month a time expression.
fn month_preposition(before: &str) -> Option<String> {
    let word = before.trim_end().rsplit(|c: char| c.is_whitespace()).next()?.to_ascii_lowercase();
    let known = ["in", "since", "until", "till", "by", "during", "from", "last", "this", "next", "early", "late", "mid", "mid-", "of", "before", "after", "through", "throughout", "between"];
    known.contains(&word.as_str()).then_some(word)
}

/// A number of units as TIMEX3 writes it: digits, or `X` for "several", "a few", "many".
fn amount(text: &str) -> String {
    let t = text.to_ascii_lowercase();
    match t.as_str() {
        "a" | "an" | "one" => "1".into(),
        "a couple" | "a couple of" => "2".into(),
        "a few" | "several" | "few" | "many" | "some" => "X".into(),
        _ if t.contains('.') => t,
        _ => crate::relate::quantity::parse_number(&t).map(|n| n.to_string()).unwrap_or_else(|| "X".into()),
    }
}

/// The TIMEX3 unit letter of a unit word and whether it is a time (`PT…`) unit.
fn unit_code(unit: &str) -> (&'static str, bool) {
    let u = unit.to_ascii_lowercase();
    match u.get(..3).unwrap_or("") {
        "sec" => ("S", true),
        "min" => ("M", true),
        "hou" => ("H", true),
        "day" | "nig" => ("D", false),
        "wee" if u.starts_with("weekend") => ("WE", false),
        "wee" => ("W", false),
        "mon" => ("M", false),
        "qua" => ("Q", false),
        "yea" => ("Y", false),
        "dec" => ("E", false),
        _ => ("C", false),
    }
}

fn duration_value(n: &str, unit: &str) -> String {
    let (code, time) = unit_code(unit);
    let times = |k: f64| n.parse::<f64>().map(|v| format!("{}", v * k)).ok();
    match code {
        "Q" => return times(3.0).map_or_else(|| format!("P{n}Q"), |m| format!("P{m}M")),
        "E" => return times(10.0).map_or_else(|| format!("P{n}E"), |y| format!("P{y}Y")),
        "C" => return times(100.0).map_or_else(|| format!("P{n}C"), |y| format!("P{y}Y")),
        _ => {}
    }
    if time && n != "X" {
        format!("PT{n}{code}")
    } else {
        format!("P{n}{code}")
    }
}

fn ymd(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

fn iso_week(d: Date) -> String {
    let w = d.iso_week_date();
    format!("{:04}-W{:02}", w.year(), w.week())
}

fn quarter_of(d: Date) -> (i16, i8) {
    (d.year(), (d.month() - 1) / 3 + 1)
}

/// The last quarter that ended before the anchor (the one quarterly results report).
fn last_quarter(a: Date) -> (i16, i8) {
    match quarter_of(a) {
        (y, 1) => (y - 1, 4),
        (y, q) => (y, q - 1),
    }
}

fn ordinal(word: &str) -> Option<i8> {
    Some(match word.to_ascii_lowercase().as_str() {
        "first" | "1st" => 1,
        "second" | "2nd" | "latter" => 2,
        "third" | "3rd" => 3,
        "fourth" | "4th" | "last" => 4,
        _ => return None,
    })
}

fn season_code(name: &str) -> (&'static str, i8) {
    match name.to_ascii_lowercase().as_str() {
        "spring" => ("SP", 3),
        "summer" => ("SU", 6),
        "autumn" | "fall" => ("FA", 9),
        _ => ("WI", 12),
    }
}

fn part_of_day(word: &str) -> &'static str {
    match word.to_ascii_lowercase().as_str() {
        "morning" => "TMO",
        "afternoon" => "TAF",
        "evening" => "TEV",
        _ => "TNI",
    }
}

/// A day named as a weekday, resolved by tense and an optional "last"/"next".
fn weekday_date(a: Date, weekday: Weekday, prep: Option<&str>, tense: Tense) -> Option<Date> {
    Some(match prep {
        Some("last") => a.nth_weekday(-1, weekday).ok()?,
        Some("next") => a.nth_weekday(1, weekday).ok()?,
        _ => match tense {
            _ if a.weekday() == weekday => a,
            Tense::Past => a.nth_weekday(-1, weekday).ok()?,
            Tense::Future => a.nth_weekday(1, weekday).ok()?,
        },
    })
}

/// The day a "today", "yesterday", "Friday" after a clock time names.
fn day_ref(word: Option<&str>, a: Date, tense: Tense) -> Option<Date> {
    let Some(w) = word.map(str::to_ascii_lowercase) else { return Some(a) };
    match w.as_str() {
        "today" => Some(a),
        "yesterday" => a.yesterday().ok(),
        "tomorrow" => a.tomorrow().ok(),
        _ => weekday_date(a, weekday_from_name(&w)?, None, tense),
    }
}

fn resolve_captures(caps: &Captures, quarters: bool, before: &str, anchor: Option<Date>, last_date: Option<Date>, tense: Tense) -> Option<Resolved> {
    use TimexType as T;
    let g = |name: &str| caps.name(name).map(|m| m.as_str());
    let lower = |name: &str| g(name).map(str::to_ascii_lowercase);
    if let Some(iso) = g("iso") {
        return iso.parse::<Date>().ok().and_then(|d| resolved(T::Date, ymd(d)));
    }
    if g("clock").is_some() || g("clock24").is_some() {
        let (h, m) = match g("c_h") {
            Some(h) => {
                let mut h: i8 = h.parse().ok()?;
                let pm = g("c_ap")?.to_ascii_lowercase().starts_with('p');
                if pm && h < 12 {
                    h += 12;
                } else if !pm && h == 12 {
                    h = 0;
                }
                (h, g("c_m").unwrap_or("00"))
            }
            None => (g("c_h24")?.parse().ok()?, g("c_m24")?),
        };
        let date = match (g("c_mm"), g("c_md"), anchor) {
            (Some(mm), Some(md), Some(a)) => month_day(mm, md, a, tense),
            (_, _, Some(a)) => day_ref(g("c_day"), a, tense),
            _ => None,
        };
        let day = date.map(ymd).unwrap_or_else(|| "XXXX-XX-XX".into());
        return resolved(T::Time, format!("{day}T{h:02}:{m}"));
    }
    if g("noon").is_some() {
        let day = anchor.and_then(|a| day_ref(g("n_day"), a, tense)).map(ymd).unwrap_or_else(|| "XXXX-XX-XX".into());
        let hour = if lower("noon_w")?.starts_with("midn") { "24" } else { "12:00" };
        return resolved(T::Time, format!("{day}T{hour}"));
    }
    if g("wdmd").is_some() {
        let (month, day) = (g("wdmd_m")?, g("wdmd_d")?);
        let date = match (g("wdmd_y"), anchor) {
            (Some(y), _) => full_date(y, month, day),
            (None, Some(a)) => month_day(month, day, a, tense),
            (None, None) => return resolved(T::Date, format!("XXXX-{:02}-{:02}", month_number(month)?, day_number(day)?)),
        };
        return date.and_then(|d| resolved(T::Date, ymd(d)));
    }
    if let Some(rest) = g("sp_rest") {
        let n = crate::relate::quantity::parse_number(rest)?;
        return resolved(T::Date, format!("{}", 1900 + n));
    }
    if let Some(d) = lower("spd") {
        let tens = ["twenties", "thirties", "forties", "fifties", "sixties", "seventies", "eighties", "nineties"].iter().position(|t| *t == d)? + 2;
        return resolved(T::Date, format!("19{tens}"));
    }
    if let Some(u) = lower("pe_u") {
        let Some(a) = anchor else { return resolved(T::Date, if u == "year" { "XXXX" } else { "XXXX-XX" }) };
        return resolved(T::Date, if u == "year" { format!("{:04}", a.year()) } else { format!("{:04}-{:02}", a.year(), a.month()) });
    }
    if let Some(m) = g("mr_m") {
        let month = month_number(m)?;
        let Some(a) = anchor else { return resolved(T::Date, format!("XXXX-{month:02}")) };
        let shift = match lower("mr_w")?.as_str() {
            "last" => -1,
            "next" => 1,
            _ => 0,
        };
        return resolved(T::Date, format!("{:04}-{month:02}", a.year() + shift));
    }
    if g("mdy").is_some() {
        return full_date(g("mdy_y")?, g("mdy_m")?, g("mdy_d")?).and_then(|d| resolved(T::Date, ymd(d)));
    }
    if g("dmy").is_some() {
        return full_date(g("dmy_y")?, g("dmy_m")?, g("dmy_d")?).and_then(|d| resolved(T::Date, ymd(d)));
    }
    if g("md").is_some() || g("dm").is_some() {
        let (month, day) = if g("md").is_some() { (g("md_m")?, g("md_d")?) } else { (g("dm_m")?, g("dm_d")?) };
        return match anchor {
            Some(a) => month_day(month, day, a, tense).and_then(|d| resolved(T::Date, ymd(d))),
            None => resolved(T::Date, format!("XXXX-{:02}-{:02}", month_number(month)?, day_number(day)?)),
        };
    }
    if g("my").is_some() {
        let year: i16 = g("my_y")?.parse().ok()?;
        return resolved(T::Date, format!("{year:04}-{:02}", month_number(g("my_m")?)?));
    }
    if let Some(u) = g("set_u") {
        let n = match lower("set_n").as_deref() {
            None => "1".to_string(),
            Some("other") => "2".to_string(),
            Some(n) => amount(n),
        };
        if let Some(w) = weekday_from_name(u).filter(|_| u.len() > 3) {
            return resolved(T::Set, format!("XXXX-WXX-{}", w.to_monday_one_offset()));
        }
        if let Some(m) = month_number(u).filter(|_| FULL_MONTHS.split('|').any(|f| f.eq_ignore_ascii_case(u))) {
            return resolved(T::Set, format!("XXXX-{m:02}"));
        }
        if ["summer", "winter", "spring", "autumn"].contains(&u.to_ascii_lowercase().as_str()) {
            return resolved(T::Set, format!("XXXX-{}", season_code(u).0));
        }
        return resolved(T::Set, duration_value(&n, u));
    }
    if let Some(adv) = lower("set_adv") {
        let v = match adv.as_str() {
            "daily" | "nightly" => "P1D",
            "weekly" => "P1W",
            "monthly" => "P1M",
            "quarterly" => "P1Q",
            "hourly" => "PT1H",
            _ => "P1Y",
        };
        return resolved(T::Set, v);
    }
    if let Some(u) = g("set_fu") {
        return resolved(T::Set, duration_value("1", u));
    }
    if g("quarter").is_some() {
        let q = ordinal(g("q_n")?)?;
        let pre = lower("q_pre");
        let year = if let Some(y) = g("q_y").or(pre.as_deref().filter(|p| p.starts_with(|c: char| c.is_ascii_digit()))) {
            y.parse().ok()?
        } else if let (Some(a), Some(p)) = (anchor, pre.as_deref()) {
            match p {
                "last year's" => a.year() - 1,
                "next year's" => a.year() + 1,
                "this year's" => a.year(),
                // "the year-ago third quarter": that quarter of last year's
                _ => {
                    let (_, current) = quarter_of(a);
                    if q > current { a.year() - 2 } else { a.year() - 1 }
                }
            }
        } else if let Some(a) = anchor {
            let whole = g("quarter")?.to_ascii_lowercase();
            let base = a.year();
            match lower("q_ry").as_deref() {
                Some("last") => base - 1,
                Some("next") => base + 1,
                Some(_) => base,
                None if whole.starts_with("last year's") => base - 1,
                None if whole.starts_with("this year's") => base,
                // a quarter still to come this year is last year's in a past-tense clause
                None => {
                    let (_, current) = quarter_of(a);
                    if q > current && tense == Tense::Past { base - 1 } else { base }
                }
            }
        } else {
            return resolved(T::Date, format!("XXXX-Q{q}"));
        };
        return resolved(T::Date, format!("{year:04}-Q{q}"));
    }
    if g("qrel").is_some() {
        let Some(a) = anchor else { return resolved(T::Date, "XXXX-QX") };
        let m = lower("qrel_m");
        let (y, q) = match m.as_deref() {
            Some("current") => quarter_of(a),
            Some("year-ago" | "year-earlier" | "same" | "comparable") => {
                let (y, q) = last_quarter(a);
                (y - 1, q)
            }
            None if tense == Tense::Future => quarter_of(a),
            _ => last_quarter(a),
        };
        return resolved(T::Date, format!("{y:04}-Q{q}"));
    }
    if g("prel").is_some() {
        let Some(a) = anchor else { return resolved(T::Date, "XXXX-QX") };
        let (y, q) = last_quarter(a);
        return resolved(T::Date, format!("{:04}-Q{q}", y - 1));
    }
    if let Some(y) = g("qy_y") {
        let q = anchor.map(|a| last_quarter(a).1.to_string()).unwrap_or_else(|| "X".into());
        return resolved(T::Date, format!("{y}-Q{q}"));
    }
    if g("half").is_some() {
        let h = if lower("h_n").as_deref() == Some("first") { 1 } else { 2 };
        let year = match (g("h_y"), lower("h_ry").as_deref(), anchor) {
            (Some(y), _, _) => y.parse().ok()?,
            (None, Some("last"), Some(a)) => a.year() - 1,
            (None, Some("next"), Some(a)) => a.year() + 1,
            (None, _, Some(a)) => a.year(),
            (None, _, None) => return resolved(T::Date, format!("XXXX-H{h}")),
        };
        return resolved(T::Date, format!("{year:04}-H{h}"));
    }
    if g("vago").is_some() {
        return resolved(T::Date, "PAST_REF");
    }
    if let Some(u) = g("dur_u") {
        let n = amount(g("dur_n")?);
        if let Some(dir) = lower("dur_ago") {
            let back = matches!(dir.as_str(), "ago" | "earlier" | "before");
            if n == "X" {
                return resolved(T::Date, if back { "PAST_REF" } else { "FUTURE_REF" });
            }
            let (code, time) = unit_code(u);
            // "three days later", "a month after": a length and its signal, except the one
            // year that results reporting dates by ("a year earlier")
            if dir != "ago" && dir != "from now" && !(code == "Y" && n == "1") {
                let len = caps.get(0)?.as_str().len() - caps.name("dur_ago")?.as_str().len() - 1;
                return Some(Resolved { kind: T::Duration, timex: duration_value(&n, u), value: None, len: Some(len) });
            }
            let Some(a) = anchor else { return resolved(T::Date, "XXXX-XX-XX") };
            let count: i64 = n.parse::<f64>().ok()? as i64;
            let signed = if back { -count } else { count };
            // "earlier"/"later" count from the date the text speaks of, "ago" from the anchor
            let base = if dir == "ago" || dir == "from now" { a } else { last_date.unwrap_or(a) };
            if time {
                return resolved(T::Date, ymd(base));
            }
            return match code {
                "D" => resolved(T::Date, ymd(base.checked_add(signed.days()).ok()?)),
                "W" | "WE" => {
                    let d = base.checked_add((7 * signed).days()).ok()?;
                    Some(Resolved { kind: T::Date, timex: iso_week(d), value: week_value(d, 0), len: None })
                }
                "M" => {
                    let d = base.checked_add(signed.months()).ok()?;
                    resolved(T::Date, format!("{:04}-{:02}", d.year(), d.month()))
                }
                "Q" => {
                    let d = base.checked_add((3 * signed).months()).ok()?;
                    let (y, q) = quarter_of(d);
                    resolved(T::Date, format!("{y:04}-Q{q}"))
                }
                "E" => resolved(T::Date, format!("{:03}", (a.year() as i64 + 10 * signed) / 10)),
                "C" => resolved(T::Date, format!("{:02}", (a.year() as i64 + 100 * signed) / 100)),
                _ => {
                    // a year before a quarter the sentence reports is that quarter a year before
                    let y = a.year() as i64 + signed;
                    if quarters && count == 1 {
                        let (qy, q) = last_quarter(a);
                        resolved(T::Date, format!("{:04}-Q{q}", qy as i64 + signed))
                    } else {
                        resolved(T::Date, format!("{y:04}"))
                    }
                }
            };
        }
        // "$5 million a year": a rate, not a length
        if matches!(g("dur_n")?.to_ascii_lowercase().as_str(), "a" | "an") && g("dur_mod").is_none() {
            let prev = before.trim_end().rsplit(char::is_whitespace).next().unwrap_or("").to_ascii_lowercase();
            if prev.chars().any(|c| c.is_ascii_digit()) || ["million", "billion", "percent", "times", "cents", "dollars", "pounds", "euros", "trillion", "yen"].contains(&prev.as_str()) {
                return resolved(T::Set, duration_value("1", u));
            }
        }
        return resolved(T::Duration, duration_value(&n, u));
    }
    if let Some(u) = g("vague_u") {
        return resolved(T::Duration, duration_value("X", u));
    }
    if g("decade").is_some() {
        return match (g("dec_y"), g("dec_s")) {
            (Some(y), _) => resolved(T::Date, y),
            (None, Some(d)) => resolved(T::Date, format!("19{d}")),
            _ => None,
        };
    }
    if let Some(s) = g("s_n") {
        let (code, start) = season_code(s);
        let year = match (g("s_y"), anchor) {
            (Some(y), _) => y.parse().ok()?,
            (None, None) => return resolved(T::Date, format!("XXXX-{code}")),
            (None, Some(a)) => {
                let modifier = lower("s_mod").unwrap_or_default();
                let (y, month) = (a.year(), a.month());
                if modifier.contains("last") || modifier.contains("past") {
                    if start + 3 <= month { y } else { y - 1 }
                } else if modifier.contains("next") || modifier.contains("coming") {
                    if start > month { y } else { y + 1 }
                } else if modifier == "this" {
                    y
                } else {
                    match tense {
                        Tense::Past if start > month => y - 1,
                        Tense::Future if start + 3 <= month => y + 1,
                        _ => y,
                    }
                }
            }
        };
        return resolved(T::Date, format!("{year:04}-{code}"));
    }
    if let Some(u) = lower("rel_u") {
        let w = lower("rel_w")?;
        let shift: i64 = match w.as_str() {
            "last" | "past" | "previous" => -1,
            "next" | "coming" | "following" => 1,
            _ => 0,
        };
        // "the previous year", "the following month" count from the date the text speaks of
        let base = if matches!(w.as_str(), "previous" | "following" | "same") { last_date.or(anchor) } else { anchor };
        let Some(a) = base else {
            let unknown = match u.as_str() {
                "year" => "XXXX",
                "month" => "XXXX-XX",
                "decade" => "XXX",
                "century" => "XX",
                "weekend" => "XXXX-WXX-WE",
                _ => "XXXX-WXX",
            };
            return resolved(T::Date, unknown);
        };
        return match u.as_str() {
            "year" => resolved(T::Date, format!("{:04}", a.year() as i64 + shift)),
            "month" => {
                let d = a.first_of_month().checked_add(shift.months()).ok()?;
                resolved(T::Date, format!("{:04}-{:02}", d.year(), d.month()))
            }
            "decade" => resolved(T::Date, format!("{:03}", a.year() as i64 / 10 + shift)),
            "century" => resolved(T::Date, format!("{:02}", a.year() as i64 / 100 + shift)),
            "weekend" => {
                let d = a.checked_add((7 * shift).days()).ok()?;
                resolved(T::Date, format!("{}-WE", iso_week(d)))
            }
            _ => {
                let d = a.checked_add((7 * shift).days()).ok()?;
                Some(Resolved { kind: T::Date, timex: iso_week(d), value: week_value(a, shift), len: None })
            }
        };
    }
    if g("the_wkend").is_some() {
        let Some(a) = anchor else { return resolved(T::Date, "XXXX-WXX-WE") };
        // on a weekday, the past weekend is last week's and a coming one this week's
        let weekend_now = matches!(a.weekday(), Weekday::Saturday | Weekday::Sunday);
        let d = if tense == Tense::Past && !weekend_now { a.checked_sub(7.days()).ok()? } else { a };
        return resolved(T::Date, format!("{}-WE", iso_week(d)));
    }
    if g("pm").is_some() {
        let month = month_number(g("pm_m")?)?;
        let Some(a) = anchor else { return resolved(T::Date, format!("XXXX-{month:02}")) };
        let modifier = lower("pm_mod").unwrap_or_default();
        let tense = match modifier.as_str() {
            "last" => Tense::Past,
            "next" => Tense::Future,
            _ => tense,
        };
        let year = if modifier.contains("this") {
            a.year()
        } else {
            match tense {
                Tense::Past if month > a.month() => a.year() - 1,
                Tense::Past if month == a.month() && modifier == "last" => a.year() - 1,
                Tense::Future if month < a.month() => a.year() + 1,
                Tense::Future if month == a.month() && modifier == "next" => a.year() + 1,
                _ => a.year(),
            }
        };
        return resolved(T::Date, format!("{year:04}-{month:02}"));
    }
    if let Some(w) = g("wd_w") {
        let weekday = weekday_from_name(w)?;
        let part = g("wd_part").map(part_of_day);
        let Some(a) = anchor else {
            return resolved(if part.is_some() { T::Time } else { T::Date }, format!("XXXX-WXX-{}{}", weekday.to_monday_one_offset(), part.unwrap_or("")));
        };
        let prep = lower("wd_p");
        let day = weekday_date(a, weekday, prep.as_deref(), tense)?;
        return match part {
            Some(p) => resolved(T::Time, format!("{}{p}", ymd(day))),
            None => resolved(T::Date, ymd(day)),
        };
    }
    if let Some(w) = lower("dw") {
        let Some(a) = anchor else { return resolved(T::Date, "XXXX-XX-XX") };
        let w = w.split_whitespace().collect::<Vec<_>>().join(" ");
        let (d, part) = match w.as_str() {
            "today" => (a, None),
            "yesterday" => (a.yesterday().ok()?, None),
            "tomorrow" => (a.tomorrow().ok()?, None),
            "tonight" => (a, Some("TNI")),
            "last night" => (a.yesterday().ok()?, Some("TNI")),
            "the day after tomorrow" => (a.checked_add(2.days()).ok()?, None),
            _ if w.contains("before yesterday") => (a.checked_sub(2.days()).ok()?, None),
            _ => (a, Some(part_of_day(w.trim_start_matches("this ")))),
        };
        let part = g("dw_part").map(part_of_day).or(part);
        return match part {
            Some(p) => resolved(T::Time, format!("{}{p}", ymd(d))),
            None => resolved(T::Date, ymd(d)),
        };
    }
    if g("prev_day").is_some() {
        return last_date.or(anchor).and_then(|d| d.yesterday().ok()).map_or_else(|| resolved(T::Date, "XXXX-XX-XX"), |d| resolved(T::Date, ymd(d)));
    }
    if g("next_day").is_some() {
        return last_date.or(anchor).and_then(|d| d.tomorrow().ok()).map_or_else(|| resolved(T::Date, "XXXX-XX-XX"), |d| resolved(T::Date, ymd(d)));
    }
    if g("same_day").is_some() {
        return last_date.or(anchor).map_or_else(|| resolved(T::Date, "XXXX-XX-XX"), |d| resolved(T::Date, ymd(d)));
    }
    if g("present").is_some() {
        return resolved(T::Date, "PRESENT_REF");
    }
    if g("past_ref").is_some() {
        return resolved(T::Date, "PAST_REF");
    }
    if g("future_ref").is_some() {
        return resolved(T::Date, "FUTURE_REF");
    }
    if let Some(y) = g("year_y") {
        // "the 1990s" is a decade, not a year.
        if caps.get(0)?.as_str().ends_with('s') {
            return resolved(T::Date, &y[..3]);
        }
        return resolved(T::Date, y);
    }
    None
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

fn full_date(year: &str, month: &str, day: &str) -> Option<Date> {
    Date::new(year.parse().ok()?, month_number(month)?, day_number(day)?).ok()
}

/// A month and day without a year take the anchor's year, moved by one when the tense says the
/// date must lie on the other side of the anchor (a past "December 30" read on January 2).
fn month_day(month: &str, day: &str, a: Date, tense: Tense) -> Option<Date> {
    let (m, d) = (month_number(month)?, day_number(day)?);
    let same_year = Date::new(a.year(), m, d).ok()?;
    let months_apart = (i32::from(same_year.year()) * 12 + i32::from(m)) - (i32::from(a.year()) * 12 + i32::from(a.month()));
    let year = match tense {
        Tense::Past if months_apart > 2 => a.year() - 1,
        Tense::Future if months_apart < -2 => a.year() + 1,
        _ => a.year(),
    };
    Date::new(year, m, d).ok()
}

fn day_number(day: &str) -> Option<i8> {
    day.trim_end_matches(|c: char| c.is_ascii_alphabetic()).parse().ok()
}

/// 1–12 for an English month name or abbreviation, any case.
pub fn month_number(name: &str) -> Option<i8> {
    let n = name.trim_end_matches('.').to_ascii_lowercase();
    let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    let prefix = n.get(..3)?;
    let i = months.iter().position(|m| *m == prefix)?;
    // the whole word must be a month's name or its abbreviation ("Mayor" is none)
    let full = FULL_MONTHS.split('|').nth(i)?.to_ascii_lowercase();
    full.starts_with(&n).then_some(i as i8 + 1)
}

fn weekday_from_name(name: &str) -> Option<Weekday> {
    let n = name.to_ascii_lowercase();
    let w = match n.get(..3)? {
        "mon" => Weekday::Monday,
        "tue" => Weekday::Tuesday,
        "wed" => Weekday::Wednesday,
        "thu" => Weekday::Thursday,
        "fri" => Weekday::Friday,
        "sat" => Weekday::Saturday,
        "sun" => Weekday::Sunday,
        _ => return None,
    };
    // the whole word must be the weekday's name ("Sunni" is none)
    WEEKDAYS.split('|').any(|d| d.to_ascii_lowercase() == n).then_some(w)
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

    fn timex_one(text: &str, anchor: &str) -> Vec<(String, &'static str, String)> {
        let mut last = None;
        find_times(text, 0, anchor.parse().ok(), &mut last).into_iter().map(|t| (t.text, t.kind.as_str(), t.timex)).collect()
    }

    #[test]
    fn timex3_types_and_values() {
        // 2015-11-15 is a Sunday.
        let table: &[(&str, &str, &str, &str, &str)] = &[
            ("The leaders met on Friday.", "2015-11-15", "Friday", "DATE", "2015-11-13"),
            ("The leaders will meet on Friday.", "2015-11-15", "Friday", "DATE", "2015-11-20"),
            ("In January the plant will close.", "2015-11-15", "January", "DATE", "2016-01"),
            ("Prices rose last month.", "2015-11-15", "last month", "DATE", "2015-10"),
            ("The talks lasted 35 minutes.", "2015-11-15", "35 minutes", "DURATION", "PT35M"),
            ("He served four years in prison.", "2015-11-15", "four years", "DURATION", "P4Y"),
            ("Sales fell in the past two months.", "2015-11-15", "the past two months", "DURATION", "P2M"),
            ("They meet every week.", "2015-11-15", "every week", "SET", "P1W"),
            ("Prices are now falling.", "2015-11-15", "now", "DATE", "PRESENT_REF"),
            ("It happened last week.", "2015-11-18", "last week", "DATE", "2015-W46"),
            ("Profit rose in the third quarter.", "2015-11-15", "the third quarter", "DATE", "2015-Q3"),
            ("The dam was built this summer.", "2015-11-15", "this summer", "DATE", "2015-SU"),
            ("Shares boomed in the 1990s.", "2015-11-15", "the 1990s", "DATE", "199"),
            ("The blast came at 10:30 p.m. Saturday.", "2015-11-15", "10:30 p.m. Saturday", "TIME", "2015-11-14T22:30"),
            ("Fighting raged on Saturday night.", "2015-11-15", "Saturday night", "TIME", "2015-11-14TNI"),
            ("Three days later they left.", "2015-11-15", "Three days", "DURATION", "P3D"),
            ("He left two weeks ago.", "2015-11-15", "two weeks ago", "DATE", "2015-W44"),
            ("Rents will rise early next year.", "2015-11-15", "early next year", "DATE", "2016"),
            ("The vote is at the end of 2016.", "2015-11-15", "the end of 2016", "DATE", "2016"),
            ("They met on Sunday.", "", "Sunday", "DATE", "XXXX-WXX-7"),
            ("They met on Nov. 15.", "", "Nov. 15", "DATE", "XXXX-11-15"),
        ];
        for (text, anchor, want_text, want_type, want_value) in table {
            let found = timex_one(text, anchor);
            assert_eq!(found, vec![(want_text.to_string(), *want_type, want_value.to_string())], "{text:?} at {anchor:?}");
        }
    }

    #[test]
    fn calendar_values_from_timex() {
        assert_eq!(TimeValue::from_timex("2015-11-15TNI").map(|v| v.lexical()).as_deref(), Some("2015-11-15"));
        assert_eq!(TimeValue::from_timex("2015-11").map(|v| v.xsd_type()), Some("gYearMonth"));
        assert_eq!(TimeValue::from_timex("2015-Q3"), None);
        assert_eq!(TimeValue::from_timex("2015-W46"), None);
        assert_eq!(TimeValue::from_timex("PT35M"), None);
        assert_eq!(TimeValue::from_timex("XXXX-11-15"), None);
        assert_eq!(TimeValue::from_timex("199"), None);
    }

    #[test]
    fn unresolved_expressions_keep_their_text() {
        let mut last = None;
        let found = find_times("The leaders met on Sunday.", 10, None, &mut last);
        assert_eq!(found.len(), 1);
        // TimeML extents leave the preposition out
        assert_eq!(found[0].text, "Sunday");
        assert_eq!(found[0].span, 29..35);
        assert_eq!(found[0].timex, "XXXX-WXX-7");
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

//! Quantities: number words, durations ("lasted approximately 35 minutes" → `PT35M`) and tolls:
//! the killed ("killed at least 129 people" → 129, a minimum), the injured ("wounding 300") and
//! the missing ("12 people are missing"), each with the approximation the text gives.

use crate::doc::Span;
use regex::Regex;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

/// How long something lasted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Duration {
    pub span: Span,
    pub text: String,
    /// `xsd:duration` lexical form: `PT35M`, `PT2H`, `P3D`, `P2M`, `P1Y`.
    pub iso: String,
    /// Whole minutes, for units of fixed length (seconds up to weeks).
    pub minutes: Option<u64>,
    /// "approximately", "about", "nearly": the number is not exact.
    pub approximate: bool,
}

/// How many people died.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Casualties {
    pub span: Span,
    pub text: String,
    pub killed: u64,
    /// "at least", "more than", "over": the true number may be higher.
    pub minimum: bool,
    /// The approximation as written, normalised ("at least", "more than", "about", "nearly").
    pub qualifier: Option<String>,
}

/// Which toll a count is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TollKind {
    Injured,
    Missing,
}

/// How many people were injured or are missing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Toll {
    pub kind: TollKind,
    pub span: Span,
    pub text: String,
    pub count: u64,
    /// "at least", "more than", "over": the true number may be higher.
    pub minimum: bool,
    pub qualifier: Option<String>,
}

/// The qualifier's normalised form, and whether it makes the count a lower bound.
fn qualifier(q: Option<&str>, number: &str) -> (Option<String>, bool) {
    let q = q.map(|q| q.split_whitespace().collect::<Vec<_>>().join(" ").to_ascii_lowercase());
    let minimum = matches!(q.as_deref(), Some(q) if q.starts_with("at least") || q.starts_with("more than") || q == "over")
        || number.eq_ignore_ascii_case("dozens")
        || number.eq_ignore_ascii_case("hundreds");
    let q = q.or_else(|| minimum.then(|| "at least".to_string()));
    (q, minimum)
}

/// The value of an English number word ("seven", "twenty", "dozen").
pub fn number_word(word: &str) -> Option<u64> {
    const UNITS: [&str; 20] = [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
        "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
    ];
    const TENS: [&str; 8] = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];
    let w = word.to_ascii_lowercase();
    if let Some(i) = UNITS.iter().position(|u| *u == w) {
        return Some(i as u64);
    }
    if let Some(i) = TENS.iter().position(|t| *t == w) {
        return Some(20 + 10 * i as u64);
    }
    match w.as_str() {
        "a" | "an" => Some(1),
        "dozen" => Some(12),
        _ => None,
    }
}

/// The value of a number phrase: digits with thousands separators ("1,200", "3.5"), number words
/// with tens-units ("twenty-four", "twenty four"), multipliers ("two dozen", "three hundred",
/// "1.5 million", "a dozen"). Fractions are rounded down.
pub fn parse_number(phrase: &str) -> Option<u64> {
    let mut total: f64 = 0.0;
    let mut current: f64 = 0.0;
    let mut seen = false;
    for word in phrase.split(|c: char| c.is_whitespace() || c == '-').filter(|w| !w.is_empty()) {
        let lower = word.to_ascii_lowercase();
        let digits = lower.replace(',', "");
        if let Ok(n) = digits.parse::<f64>() {
            current += n;
        } else if let Some(n) = number_word(&lower).filter(|_| lower != "dozen") {
            current += n as f64;
        } else {
            let scale = match lower.as_str() {
                "dozen" => 12.0,
                "hundred" => 100.0,
                "thousand" => 1_000.0,
                "million" => 1_000_000.0,
                "and" if seen => continue,
                _ => return None,
            };
            let base = if current == 0.0 { 1.0 } else { current };
            if scale >= 1_000.0 {
                total += base * scale;
                current = 0.0;
            } else {
                current = base * scale;
            }
        }
        seen = true;
    }
    seen.then_some((total + current) as u64)
}

const NUMBER: &str = r"(?:\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?|(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s-](?:one|two|three|four|five|six|seven|eight|nine))?|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)(?:\s+(?:dozen|hundred|thousand|million))?|dozens)";

struct Patterns {
    duration: Regex,
    killed_after: Regex,
    killed_before: Regex,
    /// (kind, pattern) for the injured and the missing.
    tolls: Vec<(TollKind, Regex)>,
}

fn patterns() -> &'static Patterns {
    static P: OnceLock<Patterns> = OnceLock::new();
    P.get_or_init(|| {
        let approx = r"(?P<approx>approximately|about|around|nearly|almost|some|roughly|more\s+than|over|at\s+least|just\s+over|just\s+under|less\s+than|under)";
        let min = r"(?P<q>at\s+least|more\s+than|over|nearly|almost|about|around|some|up\s+to|all|an\s+estimated)";
        Patterns {
            duration: Regex::new(&format!(
                r"(?i)\b(?:{approx}\s+)?(?P<n>{NUMBER}|half\s+an)[\s-]+(?P<u>seconds?|minutes?|mins?|hours?|days?|weeks?|months?|years?)\b(?P<adj>-long)?"
            ))
            .expect("duration pattern compiles"),
            // "killed at least 129 people", "left 12 dead", "killing all 224 people aboard"
            killed_after: Regex::new(&format!(
                r"(?i)\b(?:killed|killing|kills|kill|left|leaving|claimed\s+the\s+lives\s+of|death\s+toll\s+(?:rose\s+to|of|stands\s+at|reached|climbed\s+to))\s+(?:{min}\s+)?(?P<n>{NUMBER})\b(?P<rest>\s+(?:people|persons|civilians|soldiers|passengers|others|men|women|children|police(?:men)?|officers|workers|pilgrims|troops|crew|tourists|dead|lives)\b)?"
            ))
            .expect("casualty pattern compiles"),
            // "two dozen dead", "129 people were killed", "at least 30 people died"
            killed_before: Regex::new(&format!(
                r"(?i)\b(?:{min}\s+)?(?P<n>{NUMBER})\s+(?:(?:people|persons|civilians|soldiers|passengers|others|men|women|children|policemen|officers|workers|pilgrims|troops|tourists)\s+)?(?:(?:were|have\s+been|had\s+been|are|was)\s+)?(?:(?:reported|confirmed|feared)\s+)?(?P<v>dead|killed|died|lost\s+their\s+lives)\b"
            ))
            .expect("casualty pattern compiles"),
            tolls: {
                let people = r"(?:people|persons|civilians|soldiers|passengers|others|men|women|children|police(?:men)?|officers|workers|pilgrims|troops|crew|tourists|residents|villagers|miners|fishermen|climbers|skiers)";
                let mut tolls = Vec::new();
                for (kind, verbs_before, states) in [
                    (TollKind::Injured, r"injuring|wounding|injured|wounded|hurt|hurting", r"injured|wounded|hurt"),
                    (TollKind::Missing, r"left|leaving", r"missing|unaccounted\s+for"),
                ] {
                    // "wounding 300", "injuring at least 50 people", "left 20 missing"
                    let after = format!(r"(?i)\b(?:{verbs_before})\s+(?:{min}\s+)?(?P<n>{NUMBER})\b(?:\s+{people}\b)?(?P<state>\s+(?:{states})\b)?");
                    // "300 people were injured", "more than 100 injured", "12 are missing", "and 40 injured"
                    let before = format!(r"(?i)\b(?:{min}\s+)?(?P<n>{NUMBER})\s+(?:{people}\s+)?(?:(?:were|have\s+been|had\s+been|are|was|is|remain|remained|were\s+reported|are\s+still|were\s+still|still)\s+)?(?:(?:reported|seriously|badly|critically|slightly)\s+)?(?P<state>{states})\b");
                    tolls.push((kind, Regex::new(&after).expect("toll pattern compiles")));
                    tolls.push((kind, Regex::new(&before).expect("toll pattern compiles")));
                }
                tolls
            },
        }
    })
}

/// A count of people that one of the toll patterns found, before it becomes a [`Toll`] or
/// [`Casualties`].
struct Count<K> {
    kind: K,
    span: Span,
    text: String,
    count: u64,
    minimum: bool,
    qualifier: Option<String>,
}

/// The counts `patterns` find in one sentence, in text order, none overlapping an earlier one.
/// After "left" or "leaving" a count needs what `left_counts` asks for ("left 12 dead", not
/// "left 500 workers"), given the captures and the match in lower case.
fn find_counts<'a, K: Copy + 'a>(
    sentence: &str,
    offset: usize,
    patterns: impl IntoIterator<Item = (K, &'a Regex)>,
    left_counts: impl Fn(&regex::Captures, &str) -> bool,
) -> Vec<Count<K>> {
    let mut found: Vec<Count<K>> = Vec::new();
    for (kind, re) in patterns {
        for caps in re.captures_iter(sentence) {
            let (Some(whole), Some(n)) = (caps.get(0), caps.name("n")) else { continue };
            let lower = whole.as_str().to_ascii_lowercase();
            if (lower.starts_with("left") || lower.starts_with("leaving")) && !left_counts(&caps, &lower) {
                continue;
            }
            // A number followed by a unit word ("killed 3% of", "killed two hours") is no count.
            let after = sentence[n.end()..].trim_start();
            if after.starts_with('%') || after.starts_with("per") || after.starts_with("year") {
                continue;
            }
            let Some(count) = parse_number(n.as_str()).filter(|k| *k > 0) else { continue };
            let (qualifier, minimum) = qualifier(caps.name("q").map(|q| q.as_str()), n.as_str());
            let span = offset + whole.start()..offset + whole.end();
            if found.iter().any(|c| c.span.start < span.end && span.start < c.span.end) {
                continue;
            }
            found.push(Count { kind, span, text: whole.as_str().to_string(), count, minimum, qualifier });
        }
    }
    found.sort_by_key(|c| c.span.start);
    found
}

/// Injured and missing counts in one sentence.
pub fn find_tolls(sentence: &str, offset: usize) -> Vec<Toll> {
    let patterns = patterns().tolls.iter().map(|(kind, re)| (*kind, re));
    // after "left" the state word must follow ("left 30 missing")
    find_counts(sentence, offset, patterns, |caps, _| caps.name("state").is_some())
        .into_iter()
        .map(|c| Toll { kind: c.kind, span: c.span, text: c.text, count: c.count, minimum: c.minimum, qualifier: c.qualifier })
        .collect()
}

/// Durations in one sentence. Ages ("a 35-year-old") and rates ("per hour") are not durations.
pub fn find_durations(sentence: &str, offset: usize) -> Vec<Duration> {
    let mut found = Vec::new();
    for caps in patterns().duration.captures_iter(sentence) {
        let (Some(whole), Some(n), Some(unit)) = (caps.get(0), caps.name("n"), caps.name("u")) else { continue };
        let after = &sentence[whole.end()..];
        if after.starts_with("-old") || after.starts_with(" old") || after.trim_start().starts_with("ago") {
            continue;
        }
        let (number, unit) = if n.as_str().to_ascii_lowercase().starts_with("half") {
            (Some(30), "minute".to_string())
        } else {
            (parse_number(n.as_str()), unit.as_str().to_ascii_lowercase())
        };
        let Some(number) = number else { continue };
        if number == 0 {
            continue;
        }
        let (iso, minutes) = match unit.trim_end_matches('s') {
            "second" => (format!("PT{number}S"), Some(number / 60)),
            "minute" | "min" => (format!("PT{number}M"), Some(number)),
            "hour" => (format!("PT{number}H"), Some(number * 60)),
            "day" => (format!("P{number}D"), Some(number * 1440)),
            // xsd:duration has no weeks.
            "week" => (format!("P{}D", number * 7), Some(number * 7 * 1440)),
            "month" => (format!("P{number}M"), None),
            "year" => (format!("P{number}Y"), None),
            _ => continue,
        };
        let approximate = caps.name("approx").is_some();
        let text = whole.as_str().to_string();
        found.push(Duration { span: offset + whole.start()..offset + whole.end(), text, iso, minutes, approximate });
    }
    found
}

/// Casualty counts in one sentence.
pub fn find_casualties(sentence: &str, offset: usize) -> Vec<Casualties> {
    let p = patterns();
    find_counts(sentence, offset, [((), &p.killed_after), ((), &p.killed_before)], |_, lower| lower.ends_with("dead"))
        .into_iter()
        .map(|c| Casualties { span: c.span, text: c.text, killed: c.count, minimum: c.minimum, qualifier: c.qualifier })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        for (phrase, want) in [
            ("35", Some(35)),
            ("1,200", Some(1200)),
            ("two", Some(2)),
            ("twenty-four", Some(24)),
            ("two dozen", Some(24)),
            ("a dozen", Some(12)),
            ("three hundred", Some(300)),
            ("1.5 million", Some(1_500_000)),
            ("banana", None),
        ] {
            assert_eq!(parse_number(phrase), want, "{phrase}");
        }
    }

    #[test]
    fn durations() {
        let d = find_durations("The conversation lasted approximately 35 minutes and ended.", 0);
        assert_eq!(d.len(), 1);
        assert_eq!((d[0].iso.as_str(), d[0].minutes, d[0].approximate), ("PT35M", Some(35), true));
        assert_eq!(d[0].text, "approximately 35 minutes");
        let d = find_durations("The talks went on for two hours.", 0);
        assert_eq!((d[0].iso.as_str(), d[0].minutes), ("PT2H", Some(120)));
        let d = find_durations("a three-day summit", 0);
        assert_eq!((d[0].iso.as_str(), d[0].minutes), ("P3D", Some(4320)));
        let d = find_durations("The strike lasted two weeks.", 0);
        assert_eq!(d[0].iso, "P14D");
        assert!(find_durations("a 35-year-old man", 0).is_empty());
        assert!(find_durations("It happened three days ago.", 0).is_empty());
    }

    #[test]
    fn casualties() {
        let c = find_casualties("assaults which killed at least 129 people and sparked outrage", 0);
        assert_eq!((c[0].killed, c[0].minimum), (129, true));
        let c = find_casualties("a crash that killed all 224 people aboard", 0);
        assert_eq!((c[0].killed, c[0].minimum), (224, false));
        let c = find_casualties("The blast left two dozen dead.", 0);
        assert_eq!((c[0].killed, c[0].minimum), (24, false));
        let c = find_casualties("The raid left 12 dead.", 0);
        assert_eq!(c[0].killed, 12);
        let c = find_casualties("At least 30 people were killed in the blast.", 0);
        assert_eq!((c[0].killed, c[0].minimum), (30, true));
        assert_eq!(c.len(), 1);
        assert!(find_casualties("The firm left 500 workers without pay.", 0).is_empty());
        assert!(find_casualties("The plan killed 3% of profits.", 0).is_empty());
        let c = find_casualties("The quake killed more than 8,000 people.", 0);
        assert_eq!((c[0].killed, c[0].minimum, c[0].qualifier.as_deref()), (8000, true, Some("more than")));
        let c = find_casualties("The storm killed about 40 people.", 0);
        assert_eq!((c[0].killed, c[0].minimum, c[0].qualifier.as_deref()), (40, false, Some("about")));
    }

    #[test]
    fn injured_and_missing() {
        let t = find_tolls("The blast killed 12 people, wounding 300.", 0);
        assert_eq!(t.iter().map(|t| (t.kind, t.count, t.minimum)).collect::<Vec<_>>(), vec![(TollKind::Injured, 300, false)]);
        let t = find_tolls("At least 50 people were injured and 20 are still missing.", 0);
        assert_eq!(t.iter().map(|t| (t.kind, t.count, t.minimum)).collect::<Vec<_>>(), vec![(TollKind::Injured, 50, true), (TollKind::Missing, 20, false)]);
        let t = find_tolls("The avalanche left more than 30 missing.", 0);
        assert_eq!(t.iter().map(|t| (t.kind, t.count, t.qualifier.as_deref())).collect::<Vec<_>>(), vec![(TollKind::Missing, 30, Some("more than"))]);
        assert!(find_tolls("The firm left 500 workers without pay.", 0).is_empty());
        assert!(find_tolls("Profits were hurt by 5% falls.", 0).is_empty());
    }
}

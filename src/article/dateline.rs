//! Datelines: the place (and often date and agency) that opens a news story —
//! "LONDON (Reuters) -", "WASHINGTON, March 3 (AP) —", "PARIS —", "LISBON, PORTUGAL - MARCH 4:".

use super::dates::{month_number, written_dates};
use crate::doc::Dateline;
use jiff::civil::Date;
use regex::Regex;
use std::sync::LazyLock;

/// How many opening paragraphs may hold the dateline: photo captions often come first.
const PARAGRAPHS_SEARCHED: usize = 3;

/// Newsroom labels that look like an all-caps place but are not one.
const LABELS: &[&str] = &[
    "BREAKING",
    "BREAKING NEWS",
    "UPDATE",
    "UPDATED",
    "EXCLUSIVE",
    "WATCH",
    "LIVE",
    "OPINION",
    "ANALYSIS",
    "EDITORIAL",
    "NEWS",
    "VIDEO",
    "PHOTOS",
    "CORRECTION",
    "NOTE",
    "EDITOR'S NOTE",
    "WARNING",
    "FACT CHECK",
];

struct Patterns {
    /// "LISBON, PORTUGAL - MARCH 4:" (place, dash, date, colon: the picture-agency form).
    caps_dash_date: Regex,
    /// "LONDON (Reuters) -", "WASHINGTON, March 3 (AP) —", "PARIS —".
    caps: Regex,
    /// "Beijing (CNN) --", "Kabul, Afghanistan, May 2 (AP) —": a mixed-case place needs an agency…
    titled_agency: Regex,
    /// …or a date: "Washington, March 3 —".
    titled_date: Regex,
}

static PATTERNS: LazyLock<Patterns> = LazyLock::new(|| {
    let caps_word = r"\p{Lu}[\p{Lu}.'’\-]+";
    let place_caps = format!(r"{caps_word}(?: {caps_word}){{0,2}}");
    let title_word = r"\p{Lu}[\p{Ll}'’\-]+\.?";
    let place_title = format!(r"{title_word}(?: {title_word}){{0,2}}");
    let region = format!(r"(?:, (?:{place_caps}|{place_title}))?");
    let month = r"(?i:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?";
    let date = format!(
        r"(?:{month} \d{{1,2}}(?:st|nd|rd|th)?(?:,? \d{{4}})?|\d{{1,2}}(?:st|nd|rd|th)? {month}(?: \d{{4}})?)"
    );
    let agency = r"\([^()\n]{1,40}\)";
    let dash = r"(?:--|[-–—])";
    let build = |p: String| Regex::new(&p).expect("dateline pattern is valid");
    Patterns {
        caps_dash_date: build(format!(
            r"^(?P<place>{place_caps}{region})\s*{dash}\s*(?P<date>{date})\s*(?P<sep>:)\s"
        )),
        caps: build(format!(
            r"^(?P<place>{place_caps}{region})(?:,? (?P<date>{date}))?(?: (?P<agency>{agency}))?\s*(?P<sep>{dash}|:)\s"
        )),
        titled_agency: build(format!(
            r"^(?P<place>{place_title}{region})(?:,? (?P<date>{date}))? (?P<agency>{agency})\s*(?P<sep>{dash}|:)\s"
        )),
        titled_date: build(format!(
            r"^(?P<place>{place_title}{region}), (?P<date>{date})\s*(?P<sep>{dash}|:)\s"
        )),
    }
});

/// Finds the dateline at the start of one of the first paragraphs of `body`. Its date is
/// resolved to `YYYY-MM-DD` when the year is written, else from the publication date, else from
/// a full date with the same month in the title or opening paragraphs (a caption's
/// "November 15, 2015").
pub fn find(body: &str, title: Option<&str>, published: Option<Date>) -> Option<Dateline> {
    let mut offset = 0;
    for paragraph in body.split("\n\n").take(PARAGRAPHS_SEARCHED) {
        if let Some((end, place, date_text)) = match_start(paragraph) {
            let context = opening_text(body, title);
            let date = date_text
                .as_deref()
                .and_then(|d| resolve_date(d, published, &context));
            return Some(Dateline {
                span: offset..offset + end,
                place: Some(place),
                date_text,
                date: date.map(|d| d.to_string()),
            });
        }
        offset += paragraph.len() + 2;
    }
    None
}

/// The end of the dateline in the paragraph, its place and its date as written.
fn match_start(paragraph: &str) -> Option<(usize, String, Option<String>)> {
    let p = &*PATTERNS;
    let found = p.caps_dash_date.captures(paragraph).or_else(|| {
        p.caps.captures(paragraph).filter(|c| {
            c.name("sep").is_some_and(|s| s.as_str() != ":")
                || c.name("date").is_some()
                || c.name("agency").is_some()
        })
    });
    let found = found
        .or_else(|| p.titled_agency.captures(paragraph))
        .or_else(|| p.titled_date.captures(paragraph))?;
    let place = found.name("place")?.as_str().trim().to_string();
    if LABELS.contains(&place.as_str()) || !place.chars().any(char::is_alphabetic) {
        return None;
    }
    // The pattern takes the space after the separator ("UK-based" is no dateline); the span
    // ends at the separator.
    let end = found.name("sep")?.end();
    // The dateline must be followed by the story, not end the paragraph.
    if paragraph[end..].trim().is_empty() {
        return None;
    }
    Some((
        end,
        place,
        found.name("date").map(|d| d.as_str().to_string()),
    ))
}

fn opening_text(body: &str, title: Option<&str>) -> String {
    let mut text = title.unwrap_or_default().to_string();
    for paragraph in body.split("\n\n").take(PARAGRAPHS_SEARCHED) {
        text.push('\n');
        text.push_str(paragraph);
    }
    text
}

/// Month, day and (if written) year of a dateline's date ("NOVEMBER 15", "3 March 2015").
fn parts(date_text: &str) -> Option<(i8, i8, Option<i16>)> {
    let words: Vec<&str> = date_text
        .split([' ', ','])
        .filter(|w| !w.is_empty())
        .collect();
    let month = words.iter().find_map(|w| month_number(w))?;
    let numbers: Vec<&str> = words
        .iter()
        .map(|w| w.trim_end_matches(char::is_alphabetic))
        .filter(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_digit()))
        .collect();
    let day: i8 = numbers.iter().find(|n| n.len() <= 2)?.parse().ok()?;
    let year = numbers
        .iter()
        .find(|n| n.len() == 4)
        .and_then(|y| y.parse().ok());
    Some((month, day, year))
}

fn resolve_date(date_text: &str, published: Option<Date>, context: &str) -> Option<Date> {
    let (month, day, year) = parts(date_text)?;
    if let Some(year) = year {
        return Date::new(year, month, day).ok();
    }
    if let Some(published) = published {
        // A story published on 2 January may carry a dateline of 31 December.
        let same_year = Date::new(published.year(), month, day).ok()?;
        let a_week_later = published.checked_add(jiff::Span::new().days(7)).ok()?;
        return if same_year > a_week_later {
            Date::new(published.year() - 1, month, day).ok()
        } else {
            Some(same_year)
        };
    }
    let written = written_dates(context);
    let same_day = written
        .iter()
        .find(|d| d.month() == month && d.day() == day);
    let same_month = written.iter().find(|d| d.month() == month);
    let year = same_day.or(same_month)?.year();
    Date::new(year, month, day).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn agency_and_dash_forms() {
        let cases = [
            (
                "LONDON (Reuters) - Shares rose.",
                "LONDON (Reuters) -",
                "LONDON",
                None,
            ),
            (
                "WASHINGTON, March 3 (AP) — The Senate voted.",
                "WASHINGTON, March 3 (AP) —",
                "WASHINGTON",
                Some("March 3"),
            ),
            ("PARIS — The city woke up.", "PARIS —", "PARIS", None),
            (
                "NEW YORK, Nov. 16 (Reuters) -- Stocks fell.",
                "NEW YORK, Nov. 16 (Reuters) --",
                "NEW YORK",
                Some("Nov. 16"),
            ),
            (
                "Beijing (Xinhua) -- Officials said.",
                "Beijing (Xinhua) --",
                "Beijing",
                None,
            ),
            (
                "Kabul, Afghanistan (AP) — A bomb exploded.",
                "Kabul, Afghanistan (AP) —",
                "Kabul, Afghanistan",
                None,
            ),
            (
                "Washington, March 3 — Lawmakers met.",
                "Washington, March 3 —",
                "Washington",
                Some("March 3"),
            ),
            (
                "LAGOS, NIGERIA - JUNE 2: Traders wait.",
                "LAGOS, NIGERIA - JUNE 2:",
                "LAGOS, NIGERIA",
                Some("JUNE 2"),
            ),
            (
                "SÃO PAULO, 4 May 2016 (AFP) - Fans gathered.",
                "SÃO PAULO, 4 May 2016 (AFP) -",
                "SÃO PAULO",
                Some("4 May 2016"),
            ),
        ];
        for (body, span_text, place, date_text) in cases {
            let d = find(body, None, None).unwrap_or_else(|| panic!("no dateline in {body}"));
            assert_eq!(&body[d.span.clone()], span_text);
            assert_eq!(d.place.as_deref(), Some(place));
            assert_eq!(d.date_text.as_deref(), date_text);
        }
    }

    #[test]
    fn ordinary_openings_are_not_datelines() {
        for body in [
            "The president said on Monday - in a short speech - that talks would resume.",
            "BREAKING - Markets fall.",
            "Mr Smith - a former minister - resigned.",
            "UPDATE: this story was corrected.",
            "London is expensive - ask anyone.",
            "LONDON (Reuters) -",
            "UK-based firms - and their staff - gained.",
            "US-led talks ended.",
        ] {
            assert_eq!(find(body, None, None), None, "{body}");
        }
    }

    #[test]
    fn date_year_comes_from_publication_date_or_caption() {
        let body = "LAGOS, NIGERIA - JUNE 2: Traders wait at the market on June 2, 2016 in Lagos, Nigeria.";
        assert_eq!(
            find(body, None, None).unwrap().date.as_deref(),
            Some("2016-06-02")
        );
        assert_eq!(
            find(body, None, Some(date("2017-06-03")))
                .unwrap()
                .date
                .as_deref(),
            Some("2017-06-02")
        );
        let new_year = "OSLO, Dec. 31 (AP) — Fireworks.";
        assert_eq!(
            find(new_year, None, Some(date("2016-01-01")))
                .unwrap()
                .date
                .as_deref(),
            Some("2015-12-31")
        );
        let unknown = "OSLO, Dec. 31 (AP) — Fireworks.";
        let d = find(unknown, None, None).unwrap();
        assert_eq!((d.date_text.as_deref(), d.date), (Some("Dec. 31"), None));
        let written = "OSLO, 31 December 2015 (AP) — Fireworks.";
        assert_eq!(
            find(written, None, None).unwrap().date.as_deref(),
            Some("2015-12-31")
        );
    }

    #[test]
    fn dateline_after_a_caption_paragraph_has_a_body_offset() {
        let body = "A ferry leaves the port. (Photo: Ana Ruiz/Port Press)\n\nLISBON (Lusa) - The strike ended.";
        let d = find(body, None, None).unwrap();
        assert_eq!(&body[d.span.clone()], "LISBON (Lusa) -");
    }
}

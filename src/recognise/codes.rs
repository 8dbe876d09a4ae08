//! Currency and time-zone codes are not names: "US" in "US$ 100 billion", "HK$5", "10:00 GMT",
//! "EUR 5m". The tagger reads them as places or organizations because they are written in
//! capitals like acronyms.

use crate::doc::{Doc, Mention, MentionKind};

/// ISO 4217 codes of the currencies news quotes most.
const CURRENCY_CODES: &[&str] = &[
    "USD", "EUR", "GBP", "JPY", "CHF", "CNY", "RMB", "HKD", "AUD", "CAD", "NZD", "SEK", "NOK", "DKK", "INR", "RUB",
    "BRL", "ZAR", "KRW", "SGD", "MXN", "TRY",
];
/// Time-zone abbreviations.
const TIME_ZONES: &[&str] =
    &["UTC", "GMT", "BST", "CET", "CEST", "EET", "EEST", "EST", "EDT", "CST", "CDT", "MST", "MDT", "PST", "PDT", "JST", "AEST", "AEDT"];
/// Currency signs that a country code may prefix ("US$", "A$", "HK$", "NZ$").
const SIGNS: &[char] = &['$', '£', '€', '¥'];

/// Drops the name mentions that are currency or time-zone codes.
pub fn drop_codes(doc: &Doc, mentions: &mut Vec<Mention>) {
    mentions.retain(|m| !matches!(m.kind, MentionKind::Person | MentionKind::Organization | MentionKind::Place | MentionKind::Misc) || !is_code(doc, m));
}

fn is_code(doc: &Doc, m: &Mention) -> bool {
    let text = doc.mention_text(m);
    // a sign right after the name, with no space: "US$", "HK$5"
    let after = doc.text[m.span.end..].chars().next();
    if after.is_some_and(|c| SIGNS.contains(&c)) && text.len() <= 3 && text.chars().all(|c| c.is_ascii_uppercase()) {
        return true;
    }
    if text.ends_with(SIGNS) {
        return true;
    }
    let number_beside = |i: Option<usize>| {
        i.and_then(|i| doc.tokens.get(i)).is_some_and(|t| doc.slice(&t.span).starts_with(|c: char| c.is_ascii_digit()))
    };
    let (before, next) = (m.tokens.start.checked_sub(1), Some(m.tokens.end));
    if CURRENCY_CODES.contains(&text) && (number_beside(before) || number_beside(next)) {
        return true;
    }
    TIME_ZONES.contains(&text)
}

#[cfg(test)]
mod tests {
    use crate::doc::{Article, Doc, MentionKind};

    fn names(text: &str) -> Vec<String> {
        let mut doc = Doc::new(Article { body: text.into(), ..Article::default() });
        crate::segment::segment(&mut doc);
        let mentions = super::super::recognise(&doc, crate::kb::Kb::bundled());
        mentions
            .iter()
            .filter(|m| matches!(m.kind, MentionKind::Person | MentionKind::Organization | MentionKind::Place))
            .map(|m| doc.mention_text(m).to_string())
            .collect()
    }

    #[test]
    fn currency_and_time_zone_codes_are_not_names() {
        let got = names("The US$ 100 billion plan was signed at 10:00 UTC in Berlin, and HK$5 bought a ticket.");
        assert!(!got.iter().any(|n| n == "US" || n == "UTC" || n == "HK" || n.contains('$')), "{got:?}");
        assert!(got.iter().any(|n| n == "Berlin"), "{got:?}");
        let got = names("The bill came to USD 40 million, the US Treasury said at 09:00 GMT.");
        assert!(!got.iter().any(|n| n == "USD" || n == "GMT"), "{got:?}");
        assert!(got.iter().any(|n| n.starts_with("US Treasury") || n == "US"), "{got:?}");
    }
}

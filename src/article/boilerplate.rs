//! Dropping scraped web furniture (newsletter and social prompts, comment forms, captchas, share
//! buttons, cookie notices, "related" link lists) from article text.
//!
//! The rules look at how a line reads, never at which article it came from:
//! - **vocabulary**: a small lexicon of generic web-interface words ("newsletter", "subscribe",
//!   "cookies", "reply", "twitter") and reader-address words ("your", "us"); a short line made
//!   mostly of them is furniture, a long sentence that happens to contain one is not;
//! - **shape**: arithmetic captchas ("four + 10 ="), navigation rows ("Home | News | Sport"),
//!   labels ("Tags: …"), required-field markers (`*`);
//! - **position**: after the last real paragraph only short lines follow in a scraped page, so
//!   there one interface word is enough; a list header ("Related", "Most read") takes the
//!   headline-like lines under it along;
//! - **repetition**: a short line found in three or more different articles of one folder or
//!   file is a site template line (see [`repeated_lines`]).
//!
//! Photo captions and credits have no interface vocabulary and stay.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

/// One line of an article as read, before paragraphs are assembled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    pub text: String,
    /// Whether a blank line (or a block element in HTML) precedes this line.
    pub new_block: bool,
}

/// Lines longer than this many words are never taken for template lines by repetition alone.
const MAX_REPEATED_WORDS: usize = 15;
/// How many different articles of one group must share a line before it counts as template.
const MIN_REPEATS: usize = 3;
/// A repeated line in this share of a group's articles is template whatever it says; in fewer
/// (a team line-up quoted by three match reports) it must also read like furniture.
const MIN_TEMPLATE_PERCENT: usize = 10;

/// Interface words that on their own say "web page, not article" (weight 1).
const STRONG_WORDS: &[&str] = &[
    "newsletter",
    "newsletters",
    "subscribe",
    "unsubscribe",
    "signup",
    "login",
    "logout",
    "captcha",
    "cookie",
    "cookies",
    "advertisement",
    "advertisements",
    "comments",
    "reply",
    "replies",
    "permalink",
    "retweet",
    "rss",
    "password",
    "username",
    "javascript",
    "©",
];

/// Interface words that also occur in news prose (weight ½).
const WEAK_WORDS: &[&str] = &[
    "share",
    "email",
    "e-mail",
    "twitter",
    "facebook",
    "instagram",
    "whatsapp",
    "linkedin",
    "pinterest",
    "youtube",
    "reddit",
    "telegram",
    "tiktok",
    "snapchat",
    "follow",
    "join",
    "related",
    "print",
    "privacy",
    "copyright",
    "required",
    "fields",
    "app",
    "apps",
    "download",
    "latest",
    "updates",
    "alerts",
    "inbox",
    "notifications",
    "weekly",
    "daily",
    "items",
    "links",
    "menu",
    "skip",
    "comment",
    "posted",
    "website",
    "browser",
    "browse",
    "browsing",
    "consent",
    "accept",
    "agree",
    "settings",
    "preferences",
    "ads",
    "advert",
    "adverts",
    "advertising",
    "advertise",
    "sponsored",
    "promoted",
    "tweet",
    "tweets",
    "bookmark",
    "loading",
    "trending",
    "recommended",
    "popular",
    "tags",
    "tagged",
    "categories",
    "subscription",
];

/// Words addressing the reader (weight ½), counted only in lower case or capitalised at the start
/// so that "US" (the country) is not "us".
const ADDRESS_WORDS: &[&str] = &["you", "your", "yours", "us", "our"];

/// Two-word interface idioms (weight 1).
const STRONG_PHRASES: &[&str] = &[
    "sign up",
    "sign in",
    "log in",
    "log out",
    "read more",
    "click here",
    "back to top",
    "skip to",
    "rights reserved",
    "most read",
    "most popular",
    "see also",
    "also like",
    "more stories",
    "share this",
    "continue reading",
    "share on",
    "follow us",
    "a comment",
];

/// Words that head a list of links to other articles when they open a short line.
const LIST_HEADER_WORDS: &[&str] = &[
    "related",
    "popular",
    "trending",
    "recommended",
    "latest",
    "more",
    "also",
    "read",
    "top",
    "stories",
    "headlines",
    "links",
    "items",
];

/// How much web-interface vocabulary a line holds.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Vocabulary {
    pub words: usize,
    pub score: f32,
    /// Distinct strong words and phrases.
    pub strong: usize,
}

impl Vocabulary {
    fn density(&self) -> f32 {
        if self.words == 0 {
            0.0
        } else {
            self.score / self.words as f32
        }
    }
}

fn words_of(line: &str) -> impl Iterator<Item = &str> {
    line.split(|c: char| c.is_whitespace() || matches!(c, '/' | '|' | '(' | ')' | '[' | ']'))
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric() && c != '©'))
        .filter(|w| !w.is_empty())
}

#[derive(Clone, Copy)]
enum Kind {
    Strong,
    Weak,
    Address,
}

static LEXICON: LazyLock<HashMap<&'static str, Kind>> = LazyLock::new(|| {
    let strong = STRONG_WORDS.iter().map(|w| (*w, Kind::Strong));
    let weak = WEAK_WORDS.iter().map(|w| (*w, Kind::Weak));
    let address = ADDRESS_WORDS.iter().map(|w| (*w, Kind::Address));
    strong.chain(weak).chain(address).collect()
});

/// Lines longer than this are prose whatever their words; their idioms are not looked for.
const MAX_PHRASE_LINE_WORDS: usize = 40;

pub fn vocabulary(line: &str) -> Vocabulary {
    let mut v = Vocabulary::default();
    let mut strong_seen: HashSet<&str> = HashSet::new();
    let mut lower_words: Vec<String> = Vec::new();
    for (i, word) in words_of(line).enumerate() {
        v.words += 1;
        let lower = word.to_lowercase();
        match LEXICON.get_key_value(lower.as_str()) {
            Some((w, Kind::Strong)) => {
                v.score += 1.0;
                strong_seen.insert(w);
            }
            Some((_, Kind::Weak)) => v.score += 0.5,
            Some((_, Kind::Address)) if word == lower || (i == 0 && is_capitalised(word)) => {
                v.score += 0.5
            }
            _ => {}
        }
        if v.words <= MAX_PHRASE_LINE_WORDS {
            lower_words.push(lower);
        }
    }
    if v.words <= MAX_PHRASE_LINE_WORDS {
        let lower_line = lower_words.join(" ");
        for phrase in STRONG_PHRASES {
            if contains_words(&lower_line, phrase) {
                v.score += 1.0;
                strong_seen.insert(phrase);
            }
        }
    }
    // A trailing asterisk marks required form fields.
    if line.trim_end().ends_with('*') {
        v.score += 1.0;
        strong_seen.insert("*");
    }
    v.strong = strong_seen.len();
    v
}

fn is_capitalised(word: &str) -> bool {
    let mut chars = word.chars();
    chars.next().is_some_and(char::is_uppercase) && chars.all(char::is_lowercase)
}

fn contains_words(haystack: &str, phrase: &str) -> bool {
    haystack.match_indices(phrase).any(|(at, _)| {
        let before_ok = at == 0 || haystack.as_bytes()[at - 1] == b' ';
        let end = at + phrase.len();
        before_ok && (end == haystack.len() || haystack.as_bytes()[end] == b' ')
    })
}

/// Whether a line ends like a sentence (full stop, question or exclamation mark, possibly inside
/// closing quotes or brackets).
pub fn ends_sentence(line: &str) -> bool {
    let trimmed = line
        .trim_end()
        .trim_end_matches(['"', '\'', '”', '’', '»', ')', ']']);
    trimmed.ends_with(['.', '!', '?', '…', ':', ';'])
}

const NUMBER_WORDS: &[&str] = &[
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "sixty",
    "seventy",
    "eighty",
    "ninety",
];

/// The longest number a captcha writes out ("seventy-seven").
const MAX_NUMBER_TOKEN_CHARS: usize = 16;

fn is_number_token(token: &str) -> bool {
    let t = token.trim();
    if t.len() > MAX_NUMBER_TOKEN_CHARS {
        return false;
    }
    (!t.is_empty() && t.len() <= 4 && t.bytes().all(|b| b.is_ascii_digit()))
        || t.split('-')
            .all(|part| NUMBER_WORDS.contains(&part.to_lowercase().as_str()))
}

/// Length in bytes of an arithmetic captcha opening the line ("four + 10 =", "7 × two = ?",
/// "What is 3 + 4?"), if there is one.
pub fn captcha_prefix_len(line: &str) -> Option<usize> {
    let body = line.trim_start();
    let lead = line.len() - body.len();
    let after_question = ["what is ", "solve ", "solve: "]
        .iter()
        .find_map(|p| {
            body.get(..p.len())
                .filter(|h| h.eq_ignore_ascii_case(p))
                .map(|_| &body[p.len()..])
        })
        .unwrap_or(body);
    let offset = lead + (body.len() - after_question.len());
    // A captcha is short: only its first few characters need a look.
    let window = after_question.len().min(2 * MAX_NUMBER_TOKEN_CHARS + 8);
    let window = (0..=window)
        .rev()
        .find(|&i| after_question.is_char_boundary(i))
        .unwrap_or(0);
    let after_question = &after_question[..window];
    // The operator may also occur inside a number word ("twenty-one"): try each one.
    after_question
        .match_indices(['+', '-', '−', '×', '*', '÷', 'x'])
        .take_while(|(op_at, _)| *op_at <= MAX_NUMBER_TOKEN_CHARS + 1)
        .find_map(|(op_at, op)| {
            if !is_number_token(&after_question[..op_at]) {
                return None;
            }
            let rest = &after_question[op_at + op.len()..];
            let eq_at = rest
                .get(..rest.len().min(MAX_NUMBER_TOKEN_CHARS + 4))
                .unwrap_or(rest)
                .find(['=', '?'])?;
            if !is_number_token(&rest[..eq_at]) {
                return None;
            }
            // Whatever blank or question mark follows the "=" belongs to the captcha too.
            let tail = &rest[eq_at + 1..];
            let blank = tail.len() - tail.trim_start_matches([' ', '?', '_', '.']).len();
            Some(offset + op_at + op.len() + eq_at + 1 + blank)
        })
}

/// A navigation row: three or more short items between separators ("Home | World | Business").
fn is_navigation_row(line: &str) -> bool {
    let items: Vec<&str> = line
        .split(['|', '•', '·', '»', '›', '>', '/'])
        .map(str::trim)
        .collect();
    items.len() >= 3
        && items
            .iter()
            .all(|i| !i.is_empty() && words_of(i).count() <= 3)
}

/// A label such as "Tags:" or "Filed under:" that opens the line and carries interface words.
fn is_interface_label(line: &str) -> bool {
    let Some((label, _)) = line.split_once(':') else {
        return false;
    };
    let label_words = words_of(label).count();
    (1..=3).contains(&label_words) && vocabulary(label).score >= 0.5
}

/// A short line heading a list of links ("Related Items", "More on this story"). Inside the
/// article it needs interface vocabulary too, since "More trouble ahead" can be a subheading.
fn is_list_header(line: &str, v: &Vocabulary, trailing: bool) -> bool {
    if v.words > 5 {
        return false;
    }
    let words: Vec<String> = words_of(line).map(str::to_lowercase).collect();
    let list_words = words
        .iter()
        .filter(|w| LIST_HEADER_WORDS.contains(&w.as_str()))
        .count();
    let needed = if trailing { 0.5 } else { 1.0 };
    (1..=5).contains(&words.len())
        && !line.trim_end().ends_with(['.', '!', '?'])
        && list_words > 0
        && v.score + 0.5 * list_words as f32 >= needed
}

/// A line that reads like a link title: short and not a finished sentence.
fn is_link_like(line: &str) -> bool {
    words_of(line).count() <= 15 && !line.trim_end().ends_with(['.', '!', '?'])
}

/// Weak evidence of furniture, enough for a line the site repeats: an interface word, or a
/// few words that are no sentence ("Photo gallery", "2000 GMT").
fn reads_like_furniture(line: &str) -> bool {
    let v = vocabulary(line);
    v.score >= 0.5 || (v.words <= 8 && !ends_sentence(line))
}

/// A line that is certainly article text: long enough and a sentence.
fn is_real_paragraph(line: &str, v: &Vocabulary) -> bool {
    (v.words >= 12 && ends_sentence(line) || v.words >= 25) && v.density() < 0.2
}

/// Whether a line, seen on its own, is web-page furniture.
pub fn is_furniture(line: &str) -> bool {
    furniture_given(line, &vocabulary(line))
}

fn furniture_given(line: &str, v: &Vocabulary) -> bool {
    if v.words == 0 {
        return !line.trim().is_empty() && line.chars().all(|c| !c.is_alphanumeric());
    }
    captcha_prefix_len(line).is_some_and(|n| n >= line.trim_end().len())
        || (v.words <= 30 && is_navigation_row(line))
        || (v.words <= 15 && is_interface_label(line))
        || (v.words <= 12 && v.score >= 1.0 && v.density() >= 0.3)
        || (v.words <= 40 && v.strong >= 2 && v.density() >= 0.2)
}

/// A normalised form of a line for counting repetitions: lower case letters and digits.
pub fn line_key(line: &str) -> String {
    words_of(line)
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The short lines that occur in at least three different articles of one group (folder or
/// file): site templates. `articles` holds, per article, a content hash (so exact duplicates of
/// one article count once) and its lines.
pub fn repeated_lines<'a>(articles: impl Iterator<Item = (u64, &'a [Unit])>) -> HashSet<String> {
    let mut seen_in: HashMap<String, (&'a str, HashSet<u64>)> = HashMap::new();
    let mut distinct_articles = HashSet::new();
    for (hash, units) in articles {
        distinct_articles.insert(hash);
        for unit in units {
            if words_of(&unit.text).take(MAX_REPEATED_WORDS + 1).count() <= MAX_REPEATED_WORDS {
                seen_in
                    .entry(line_key(&unit.text))
                    .or_insert_with(|| (unit.text.as_str(), HashSet::new()))
                    .1
                    .insert(hash);
            }
        }
    }
    let total = distinct_articles.len();
    seen_in
        .into_iter()
        .filter(|(key, (line, hashes))| {
            let n = hashes.len();
            !key.is_empty()
                && n >= MIN_REPEATS
                && (n * 100 >= total * MIN_TEMPLATE_PERCENT || reads_like_furniture(line))
        })
        .map(|(key, _)| key)
        .collect()
}

/// Drops furniture from an article's lines and cuts captchas glued to the start of a line. The
/// first line (a headline candidate) is judged by the line rules only; `repeated` holds the
/// group's template lines. Returns the kept lines and the number dropped.
pub fn remove(units: Vec<Unit>, repeated: &HashSet<String>) -> (Vec<Unit>, usize) {
    let mut dropped = 0;
    let mut lines: Vec<(Unit, Vocabulary, bool)> = Vec::with_capacity(units.len());
    for mut unit in units {
        if let Some(cut) = captcha_prefix_len(&unit.text) {
            let rest = unit.text[cut..].trim().to_string();
            dropped += 1;
            if rest.is_empty() {
                continue;
            }
            unit.text = rest;
        }
        let v = vocabulary(&unit.text);
        let templated = !repeated.is_empty()
            && v.words <= MAX_REPEATED_WORDS
            && repeated.contains(&line_key(&unit.text));
        let furniture = templated || furniture_given(&unit.text, &v);
        lines.push((unit, v, furniture));
    }
    let last_real = lines
        .iter()
        .rposition(|(u, v, furniture)| !furniture && is_real_paragraph(&u.text, v));
    let mut kept = Vec::with_capacity(lines.len());
    let mut in_link_list = false;
    for (i, (unit, v, furniture)) in lines.into_iter().enumerate() {
        let trailing = last_real.is_some_and(|last| i > last);
        if in_link_list && is_link_like(&unit.text) {
            dropped += 1;
            continue;
        }
        in_link_list = false;
        if i > 0 && is_list_header(&unit.text, &v, trailing) {
            in_link_list = true;
            dropped += 1;
        } else if furniture || (trailing && v.words <= 15 && v.score >= 0.5) {
            dropped += 1;
        } else {
            kept.push(unit);
        }
    }
    (kept, dropped)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn units(text: &str) -> Vec<Unit> {
        text.split('\n')
            .filter(|l| !l.trim().is_empty())
            .map(|l| Unit {
                text: l.into(),
                new_block: true,
            })
            .collect()
    }

    fn kept(text: &str) -> Vec<String> {
        remove(units(text), &HashSet::new())
            .0
            .into_iter()
            .map(|u| u.text)
            .collect()
    }

    const PROSE: &str = "The harbour authority said on Tuesday that the new ferry terminal would open next spring after two years of delays.";

    #[test]
    fn trailing_prompts_forms_and_captcha_go() {
        let text = format!(
            "Ferry terminal delayed again\n{PROSE}\n{PROSE}\nGet breaking updates: follow us on Mastodon\n\
             Sign up to the morning briefing\nMore on this story\nCouncil votes on harbour fees\nDock workers strike\n\
             Post a comment\nYour name and email will stay private. Fields marked * are mandatory *\nseven - 2 = ?"
        );
        assert_eq!(
            kept(&text),
            vec!["Ferry terminal delayed again", PROSE, PROSE]
        );
    }

    #[test]
    fn captions_credits_and_subheadings_stay() {
        let text = format!(
            "Harbour reopens\nThe mayor cuts the ribbon at the new terminal. (Photo: Ana Ruiz/City Press)\n{PROSE}\n\
             What happens next\n{PROSE}\nPhoto: Ana Ruiz\n{PROSE}"
        );
        assert_eq!(kept(&text).len(), 7);
    }

    #[test]
    fn cookie_notice_and_navigation_go_anywhere() {
        let text = format!(
            "Harbour reopens\nHome | Local | Business | Sport\nWe use cookies to improve your experience. By continuing you accept our cookie policy.\n{PROSE}\nAdvertisement\n{PROSE}"
        );
        assert_eq!(kept(&text), vec!["Harbour reopens", PROSE, PROSE]);
    }

    #[test]
    fn captcha_glued_to_a_headline_is_cut_off() {
        let text = format!("{PROSE}\nnine + 3 =Ferry strike ends after talks\n{PROSE}");
        assert_eq!(
            kept(&text),
            vec![PROSE, "Ferry strike ends after talks", PROSE]
        );
        assert_eq!(captcha_prefix_len("four + 10 ="), Some(11));
        assert_eq!(captcha_prefix_len("What is 3 + 4?"), Some(14));
        assert_eq!(captcha_prefix_len("twenty-one × 2 = Title"), Some(18));
        assert_eq!(captcha_prefix_len("Growth of 3 + 4 = 7 percent"), None);
        assert_eq!(captcha_prefix_len("2 + 2 is four"), None);
    }

    #[test]
    fn news_prose_with_interface_words_stays() {
        for line in [
            "The company said it would share the data with regulators and follow their advice.",
            "Facebook shares fall",
            "It lost 464,000 subscribers in the fourth quarter, the firm said.",
            "US troops join allies",
            "Cookies and biscuits sales rose 4% last year, the trade body reported on Monday.",
            "Mr Smith declined to comment.",
        ] {
            assert!(!is_furniture(line), "{line}");
        }
    }

    #[test]
    fn interface_lines_are_furniture() {
        for line in [
            "Subscribe to our newsletter",
            "Share this article",
            "Tags: harbour, ferries, strikes",
            "Click here to read more.",
            "ADVERTISEMENT",
            "Follow us on Facebook and Instagram",
            "Leave a comment",
            "© 2024 Example Media. All rights reserved.",
        ] {
            assert!(is_furniture(line), "{line}");
        }
    }

    #[test]
    fn lines_repeated_across_articles_of_a_site_go() {
        let a = units(&format!("One\nBrought to you by the Harbour Desk\n{PROSE}"));
        let b = units(&format!(
            "Two\nBrought to you by the Harbour Desk\n{PROSE} Two."
        ));
        let c = units(&format!(
            "Three\nBrought to you by the Harbour Desk\n{PROSE} Three."
        ));
        let repeated =
            repeated_lines([(1, a.as_slice()), (2, b.as_slice()), (3, c.as_slice())].into_iter());
        assert!(repeated.contains("brought to you by the harbour desk"));
        assert!(
            !repeated.contains(&line_key(PROSE)),
            "long lines are never template lines"
        );
        let (kept, dropped) = remove(a, &repeated);
        assert_eq!((kept.len(), dropped), (2, 1));
        // Three copies of one article are one article: nothing repeats.
        let same = units("One\nBy the Harbour Desk");
        assert!(repeated_lines(
            [
                (7, same.as_slice()),
                (7, same.as_slice()),
                (7, same.as_slice())
            ]
            .into_iter()
        )
        .is_empty());
    }
}

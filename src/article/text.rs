//! Plain text: lines and blank-line blocks in, paragraphs out.

use super::boilerplate::{ends_sentence, Unit};

/// The non-empty lines of a cleaned text, each marked with whether a blank line precedes it.
pub fn units_of_text(text: &str) -> Vec<Unit> {
    let mut units = Vec::new();
    let mut new_block = true;
    for line in text.split('\n') {
        let line = line.trim();
        if line.is_empty() {
            new_block = true;
            continue;
        }
        units.push(Unit {
            text: line.to_string(),
            new_block,
        });
        new_block = false;
    }
    units
}

/// Joins lines into paragraphs separated by blank lines. Inside a block, a line break is a
/// hard-wrapped sentence going on (joined with a space) when the line before does not end a
/// sentence and either is long or the next line starts in lower case; otherwise each line is a
/// paragraph of its own (files that put one paragraph per line without blank lines).
pub fn assemble(units: &[Unit]) -> String {
    let mut body = String::new();
    let mut previous: Option<&str> = None;
    for unit in units {
        match previous {
            None => {}
            Some(prev) if !unit.new_block && continues(prev, &unit.text) => body.push(' '),
            Some(_) => body.push_str("\n\n"),
        }
        body.push_str(&unit.text);
        previous = Some(&unit.text);
    }
    body
}

fn continues(previous: &str, next: &str) -> bool {
    let next_lower = next.chars().next().is_some_and(char::is_lowercase);
    !ends_sentence(previous) && (previous.chars().count() >= 50 || next_lower)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(text: &str) -> String {
        assemble(&units_of_text(text))
    }

    #[test]
    fn blank_lines_separate_paragraphs() {
        assert_eq!(
            body("\n\nFirst one.\n\n\nSecond one.\n"),
            "First one.\n\nSecond one."
        );
    }

    #[test]
    fn hard_wrapped_lines_are_joined() {
        let text = "The harbour reopened on Thursday after a storm that wrecked\nits breakwater and sank two boats.\n\nNext.";
        assert_eq!(body(text), "The harbour reopened on Thursday after a storm that wrecked its breakwater and sank two boats.\n\nNext.");
    }

    #[test]
    fn one_paragraph_per_line_stays_apart() {
        assert_eq!(
            body("First sentence here.\nSecond paragraph.\nShort caption\nThird."),
            "First sentence here.\n\nSecond paragraph.\n\nShort caption\n\nThird."
        );
    }
}

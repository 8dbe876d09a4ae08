//! JSON records: one article per JSON line, or a `.json` file with one object or an array.

use serde_json::{Map, Value};
use std::io::BufRead;

/// The fields of one JSON article, under their usual names or aliases.
#[derive(Debug, Default, PartialEq)]
pub struct Record {
    pub id: Option<String>,
    pub url: Option<String>,
    pub title: Option<String>,
    pub published: Option<String>,
    pub author: Option<String>,
    pub body: String,
}

const ID: &[&str] = &["id", "_id", "guid", "uuid"];
const URL: &[&str] = &["url", "link", "uri", "canonical_url"];
const TITLE: &[&str] = &["title", "headline", "name"];
const PUBLISHED: &[&str] = &[
    "published",
    "date",
    "datePublished",
    "published_at",
    "publishedAt",
    "pubDate",
    "pub_date",
    "publication_date",
];
const AUTHOR: &[&str] = &["author", "authors", "byline", "creator"];
const BODY: &[&str] = &[
    "body",
    "text",
    "content",
    "articleBody",
    "article",
    "maintext",
];

/// Reads the article fields of a JSON value; unknown fields are ignored.
pub fn record(value: &Value) -> Result<Record, String> {
    let Value::Object(map) = value else {
        return Err(format!("expected a JSON object, found {}", kind(value)));
    };
    Ok(Record {
        id: first(map, ID, scalar_string),
        url: first(map, URL, scalar_string),
        title: first(map, TITLE, scalar_string),
        published: first(map, PUBLISHED, scalar_string),
        author: first(map, AUTHOR, names),
        body: first(map, BODY, paragraphs).unwrap_or_default(),
    })
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn first(
    map: &Map<String, Value>,
    keys: &[&str],
    read: fn(&Value) -> Option<String>,
) -> Option<String> {
    keys.iter()
        .find_map(|k| map.get(*k).and_then(read))
        .filter(|s| !s.trim().is_empty())
}

fn scalar_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn names(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.trim().to_string()),
        Value::Object(o) => o.get("name").and_then(scalar_string),
        Value::Array(items) => {
            let all: Vec<String> = items
                .iter()
                .filter_map(names)
                .filter(|s| !s.is_empty())
                .collect();
            (!all.is_empty()).then(|| all.join(", "))
        }
        _ => None,
    }
}

/// A body given as a string, or as an array of paragraph strings.
fn paragraphs(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Array(items) => {
            let parts: Vec<&str> = items.iter().filter_map(Value::as_str).collect();
            (!parts.is_empty()).then(|| parts.join("\n\n"))
        }
        _ => None,
    }
}

/// Reads one line into `buf` (without the newline), keeping at most `limit` bytes. Returns the
/// bytes consumed (0 at the end of input) and whether the line was longer than the limit; a
/// longer line is skipped whole without holding it in memory.
pub fn read_line_limited(
    reader: &mut impl BufRead,
    buf: &mut Vec<u8>,
    limit: usize,
) -> std::io::Result<(usize, bool)> {
    buf.clear();
    let mut consumed = 0;
    let mut too_long = false;
    loop {
        let available = reader.fill_buf()?;
        if available.is_empty() {
            return Ok((consumed, too_long));
        }
        let newline = available.iter().position(|&b| b == b'\n');
        let take = newline.map_or(available.len(), |p| p + 1);
        let content = &available[..newline.unwrap_or(available.len())];
        if !too_long {
            if buf.len() + content.len() > limit {
                too_long = true;
                buf.clear();
            } else {
                buf.extend_from_slice(content);
            }
        }
        consumed += take;
        reader.consume(take);
        if newline.is_some() {
            if buf.last() == Some(&b'\r') {
                buf.pop();
            }
            return Ok((consumed, too_long));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn aliases_are_read() {
        let r = record(&json!({"headline": "T", "datePublished": "2015-11-16", "text": "B", "extra": 1, "id": 42})).unwrap();
        assert_eq!(
            r,
            Record {
                id: Some("42".into()),
                title: Some("T".into()),
                published: Some("2015-11-16".into()),
                body: "B".into(),
                ..Record::default()
            }
        );
        let r = record(&json!({"title": "T", "content": ["P1", "P2"], "author": [{"name": "A"}, "B"], "published_at": "x"})).unwrap();
        assert_eq!(r.body, "P1\n\nP2");
        assert_eq!(r.author.as_deref(), Some("A, B"));
        assert_eq!(r.published.as_deref(), Some("x"));
    }

    #[test]
    fn body_wins_over_aliases_and_non_objects_fail() {
        let r = record(&json!({"body": "first", "text": "second"})).unwrap();
        assert_eq!(r.body, "first");
        assert!(record(&json!([1, 2])).unwrap_err().contains("array"));
    }

    #[test]
    fn long_lines_are_skipped_without_losing_the_next() {
        let data = b"short\r\naaaaaaaaaaaaaaaaaaaa\nnext\nlast";
        let mut reader = std::io::BufReader::with_capacity(4, &data[..]);
        let mut buf = Vec::new();
        let mut lines = Vec::new();
        loop {
            let (n, too_long) = read_line_limited(&mut reader, &mut buf, 8).unwrap();
            if n == 0 {
                break;
            }
            lines.push((String::from_utf8(buf.clone()).unwrap(), too_long));
        }
        let want = [
            ("short", false),
            ("", true),
            ("next", false),
            ("last", false),
        ];
        assert_eq!(lines, want.map(|(s, t)| (s.to_string(), t)));
    }
}

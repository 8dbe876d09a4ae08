//! Turning input bytes into text: binary detection, UTF-8 with fallbacks, whitespace clean-up.

use encoding_rs::{Encoding, WINDOWS_1252};

/// Bytes decoded to text, with a note when they were not clean UTF-8.
#[derive(Debug, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    /// Set when the bytes were not valid UTF-8 and a fallback decoding was used.
    pub warning: Option<String>,
}

/// Whether the bytes look like a binary file rather than text. NUL bytes (outside UTF-16 text)
/// or a large share of control characters in the first few kilobytes give it away.
pub fn looks_binary(bytes: &[u8]) -> bool {
    if Encoding::for_bom(bytes).is_some_and(|(enc, _)| enc != encoding_rs::UTF_8) {
        return false;
    }
    let sample = &bytes[..bytes.len().min(8192)];
    if sample.contains(&0) {
        return true;
    }
    let control = sample
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c))
        .count();
    // Text files hold next to no control characters; a tenth is far beyond any real article.
    !sample.is_empty() && control * 10 > sample.len()
}

/// Decodes bytes as UTF-8 (a BOM picks UTF-16 or UTF-8). Invalid UTF-8 is never dropped:
/// when the text is otherwise UTF-8, each stray byte is read as Windows-1252 (the usual culprit
/// is one Latin-1 `£` or `é` in a UTF-8 file); when nothing in it is UTF-8, the legacy encoding
/// is guessed with `chardetng`, or taken from `declared` (an HTML `<meta charset>`).
pub fn decode(bytes: &[u8], declared: Option<&'static Encoding>) -> Decoded {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
        let warning = had_errors.then(|| format!("invalid {} bytes replaced", encoding.name()));
        return Decoded {
            text: text.into_owned(),
            warning,
        };
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        // A page that says Latin-1 but is written in UTF-8 is read as what it is, and told.
        let warning = declared
            .filter(|e| *e != encoding_rs::UTF_8 && !text.is_ascii())
            .map(|e| format!("declares {} but is UTF-8; read as UTF-8", e.name()));
        return Decoded {
            text: text.to_string(),
            warning,
        };
    }
    let has_utf8_multibyte = bytes
        .utf8_chunks()
        .any(|chunk| chunk.valid().bytes().any(|b| b >= 0x80));
    if has_utf8_multibyte {
        let mut text = String::with_capacity(bytes.len());
        let mut stray = 0usize;
        for chunk in bytes.utf8_chunks() {
            text.push_str(chunk.valid());
            let (decoded, _) = WINDOWS_1252.decode_without_bom_handling(chunk.invalid());
            stray += chunk.invalid().len();
            text.push_str(&decoded);
        }
        let warning = format!("{stray} byte(s) of invalid UTF-8 decoded as windows-1252");
        return Decoded {
            text,
            warning: Some(warning),
        };
    }
    let encoding = declared
        .filter(|e| *e != encoding_rs::UTF_8)
        .unwrap_or_else(|| guess_legacy(bytes));
    let (text, _) = encoding.decode_without_bom_handling(bytes);
    let warning = if declared == Some(encoding_rs::UTF_8) {
        format!("declares UTF-8 but is not; decoded as {} (guessed)", encoding.name())
    } else {
        format!("not UTF-8; decoded as {}", encoding.name())
    };
    Decoded {
        text: text.into_owned(),
        warning: Some(warning),
    }
}

fn guess_legacy(bytes: &[u8]) -> &'static Encoding {
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    detector.guess(None, chardetng::Utf8Detection::Deny)
}

/// Normalises the text of an article: line breaks to `\n`, no-break and other spaces to a plain
/// space, zero-width and control characters removed, runs of spaces collapsed, line ends trimmed.
/// Later stages then never meet invisible characters inside words.
pub fn clean_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    push_newline(&mut out);
                }
            }
            '\n' | '\u{2028}' | '\u{2029}' | '\u{0b}' | '\u{0c}' | '\u{85}' => {
                push_newline(&mut out)
            }
            '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}' | '\u{ad}' => {}
            c if c.is_whitespace() => {
                if !out.is_empty() && !out.ends_with([' ', '\n']) {
                    out.push(' ');
                }
            }
            c if c.is_control() || is_noncharacter(c) => {}
            c => out.push(c),
        }
    }
    trim_trailing_spaces(&mut out);
    out
}

/// The 66 code points Unicode reserves as never being text (U+FDD0..U+FDEF and the last two of
/// every plane); XML forbids U+FFFE and U+FFFF, and RDF parsers refuse them.
fn is_noncharacter(c: char) -> bool {
    let c = c as u32;
    (0xfdd0..=0xfdef).contains(&c) || c & 0xfffe == 0xfffe
}

fn push_newline(out: &mut String) {
    trim_trailing_spaces(out);
    out.push('\n');
}

fn trim_trailing_spaces(out: &mut String) {
    while out.ends_with(' ') {
        out.pop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_passes_through() {
        let d = decode("Zürich — “quoted”".as_bytes(), None);
        assert_eq!(
            d,
            Decoded {
                text: "Zürich — “quoted”".into(),
                warning: None
            }
        );
    }

    #[test]
    fn stray_latin1_byte_in_utf8_text_is_windows_1252() {
        let mut bytes = "café costs ".as_bytes().to_vec();
        bytes.push(0xa3); // Latin-1 pound sign
        bytes.extend_from_slice(b"5");
        let d = decode(&bytes, None);
        assert_eq!(d.text, "café costs £5");
        assert!(d.warning.unwrap().contains("windows-1252"));
    }

    #[test]
    fn pure_windows_1252_text_is_decoded_with_a_warning() {
        let bytes = b"The \x93quoted\x94 price was \xa3600m for the caf\xe9 chain.";
        let d = decode(bytes, None);
        assert_eq!(
            d.text,
            "The \u{201c}quoted\u{201d} price was £600m for the café chain."
        );
        assert!(d.warning.is_some());
    }

    #[test]
    fn declared_charset_is_used_for_legacy_bytes() {
        let d = decode(b"caf\xe9", Some(encoding_rs::ISO_8859_2));
        assert_eq!(d.text, "caf\u{e9}");
        let d = decode(b"\xb1", Some(encoding_rs::ISO_8859_2));
        assert_eq!(d.text, "\u{105}");
    }

    #[test]
    fn a_declaration_that_contradicts_the_bytes_is_named() {
        let d = decode("Zürich".as_bytes(), Some(encoding_rs::WINDOWS_1252));
        assert_eq!(d.text, "Zürich");
        assert_eq!(d.warning.as_deref(), Some("declares windows-1252 but is UTF-8; read as UTF-8"));
        assert_eq!(decode(b"plain", Some(encoding_rs::WINDOWS_1252)).warning, None);
        let d = decode(b"Z\xfcrich caf\xe9", Some(encoding_rs::UTF_8));
        assert_eq!(d.text, "Zürich café");
        assert!(d.warning.unwrap().starts_with("declares UTF-8 but is not; decoded as windows-1252"));
    }

    #[test]
    fn utf16_with_bom_is_text_not_binary() {
        let mut bytes = vec![0xff, 0xfe];
        for unit in "Hello world".encode_utf16() {
            bytes.extend_from_slice(&unit.to_le_bytes());
        }
        assert!(!looks_binary(&bytes));
        assert_eq!(decode(&bytes, None).text, "Hello world");
    }

    #[test]
    fn nul_bytes_and_control_soup_are_binary() {
        assert!(looks_binary(b"PK\x03\x04\x00\x00abc"));
        assert!(looks_binary(&[1u8, 2, 3, 4, 5, 6, 7, 8, b'a']));
        assert!(!looks_binary(b"Plain text\twith a tab\r\n"));
        assert!(!looks_binary(b""));
    }

    #[test]
    fn clean_text_normalises_spaces_and_breaks() {
        let raw = "the\u{a0} Paris\r\nnext\u{200b} line  \rthird\u{7}\n";
        assert_eq!(clean_text(raw), "the Paris\nnext line\nthird\n");
        assert_eq!(clean_text("no\u{fffe}n\u{ffff}\u{fdd0}\u{10ffff}char"), "nonchar");
    }
}

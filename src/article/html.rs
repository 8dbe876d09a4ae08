//! HTML pages: metadata from `<meta>`, `<link>`, `<time>` and JSON-LD; the main text through
//! `dom_smoothie` (a Readability port), rendered paragraph by paragraph.

use super::boilerplate::Unit;
use scraper::{ElementRef, Html, Node, Selector};
use serde_json::Value;

/// What a page says about itself, before the main text.
#[derive(Debug, Default, PartialEq)]
pub struct PageMeta {
    pub title: Option<String>,
    pub published: Option<String>,
    pub author: Option<String>,
    pub url: Option<String>,
}

/// The page's metadata and its main text as lines.
pub fn read_page(html: &str) -> (PageMeta, Vec<Unit>) {
    let doc = Html::parse_document(html);
    let mut meta = metadata(&doc);
    // Readability recurses through the tree and compares nodes pairwise: on pages nested deeper
    // than any real layout it would take minutes, or the stack.
    let main = if depth(&doc) <= MAX_READABILITY_DEPTH { main_text(html, meta.url.as_deref()) } else { None };
    let readable = match main {
        Some(readable) if !readable.units.is_empty() => readable,
        // Readability found nothing it trusts: fall back to the page's text outside
        // navigation, footers, asides and banners.
        _ => Readable {
            title: None,
            byline: None,
            units: fallback_paragraphs(&doc),
        },
    };
    let mut units = readable.units;
    if meta.title.is_none() {
        meta.title = readable.title.or_else(|| first_text(&doc, "title"));
    }
    if meta.author.is_none() {
        meta.author = readable.byline.map(|b| {
            b.trim_start_matches("By ")
                .trim_start_matches("by ")
                .to_string()
        });
    }
    // Readability keeps the page's own headline at the top of the text; the title holds it.
    if let Some(title) = &meta.title {
        let key = super::boilerplate::line_key(title);
        while units
            .first()
            .is_some_and(|u| super::boilerplate::line_key(&u.text) == key)
        {
            units.remove(0);
        }
    }
    (meta, units)
}

/// Real pages nest a few dozen elements deep; far deeper markup is machine-made.
pub const MAX_READABILITY_DEPTH: usize = 256;

/// The charset a page declares in `<meta charset>` or `http-equiv`, looked for in its first
/// kilobytes as browsers do.
pub fn declared_charset(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]).to_ascii_lowercase();
    let at = head.find("charset=")? + "charset=".len();
    let label: String = head[at..]
        .trim_start_matches(['"', '\''])
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'))
        .collect();
    encoding_rs::Encoding::for_label(label.as_bytes())
}

fn selector(css: &str) -> Option<Selector> {
    Selector::parse(css).ok()
}

fn non_empty(s: &str) -> Option<String> {
    let collapsed = s.split_whitespace().collect::<Vec<_>>().join(" ");
    (!collapsed.is_empty()).then_some(collapsed)
}

fn first_text(doc: &Html, css: &str) -> Option<String> {
    let sel = selector(css)?;
    doc.select(&sel)
        .find_map(|e| non_empty(&e.text().collect::<String>()))
}

fn first_attr(doc: &Html, css: &str, attr: &str) -> Option<String> {
    let sel = selector(css)?;
    doc.select(&sel)
        .find_map(|e| e.value().attr(attr).and_then(non_empty))
}

/// The first `<meta>` content among the given `property`/`name`/`itemprop` values.
fn meta_content(doc: &Html, keys: &[&str]) -> Option<String> {
    let sel = selector("meta")?;
    keys.iter().find_map(|key| {
        doc.select(&sel).find_map(|e| {
            let el = e.value();
            let named = ["property", "name", "itemprop"]
                .iter()
                .any(|a| el.attr(a).is_some_and(|v| v.eq_ignore_ascii_case(key)));
            if named {
                el.attr("content").and_then(non_empty)
            } else {
                None
            }
        })
    })
}

fn metadata(doc: &Html) -> PageMeta {
    let ld = json_ld_article(doc).unwrap_or_default();
    let title = ld
        .title
        .or_else(|| meta_content(doc, &["og:title", "twitter:title"]));
    let published = ld
        .published
        .or_else(|| {
            meta_content(
                doc,
                &[
                    "article:published_time",
                    "datePublished",
                    "og:published_time",
                    "pubdate",
                    "publishdate",
                    "publish-date",
                    "date",
                    "dc.date",
                    "dc.date.issued",
                    "dcterms.created",
                    "sailthru.date",
                    "parsely-pub-date",
                ],
            )
        })
        .or_else(|| first_attr(doc, "[itemprop=datePublished]", "datetime"))
        .or_else(|| first_attr(doc, "article time[datetime]", "datetime"))
        .or_else(|| first_attr(doc, "time[pubdate]", "datetime"))
        .or_else(|| first_attr(doc, "time[datetime]", "datetime"));
    let author = ld.author.or_else(|| {
        meta_content(doc, &["author", "article:author", "dc.creator"])
            .filter(|a| !a.contains("://"))
    });
    let url = ld
        .url
        .or_else(|| first_attr(doc, "link[rel=canonical]", "href"))
        .or_else(|| meta_content(doc, &["og:url"]))
        .filter(|u| u.starts_with("http://") || u.starts_with("https://"));
    PageMeta {
        title,
        published,
        author,
        url,
    }
}

const ARTICLE_TYPES: &[&str] = &[
    "NewsArticle",
    "Article",
    "ReportageNewsArticle",
    "AnalysisNewsArticle",
    "OpinionNewsArticle",
    "BackgroundNewsArticle",
    "ReviewNewsArticle",
    "BlogPosting",
    "LiveBlogPosting",
    "Report",
];

/// The first JSON-LD object typed as a news article (also inside arrays and `@graph`).
fn json_ld_article(doc: &Html) -> Option<PageMeta> {
    let sel = selector(r#"script[type="application/ld+json"]"#)?;
    doc.select(&sel).find_map(|script| {
        let text: String = script.text().collect();
        let value: Value = serde_json::from_str(text.trim()).ok()?;
        let mut objects = Vec::new();
        flatten_ld(&value, &mut objects, 0);
        let article = objects
            .into_iter()
            .find(|o| is_article_type(o.get("@type")))?;
        let string = |v: Option<&Value>| v.and_then(Value::as_str).and_then(non_empty);
        Some(PageMeta {
            title: string(article.get("headline")).or_else(|| string(article.get("name"))),
            published: string(article.get("datePublished"))
                .or_else(|| string(article.get("dateCreated"))),
            author: article.get("author").and_then(author_names),
            url: string(article.get("url"))
                .or_else(|| string(article.get("mainEntityOfPage")))
                .or_else(|| string(article.get("mainEntityOfPage").and_then(|m| m.get("@id"))))
                .filter(|u| u.starts_with("http://") || u.starts_with("https://")),
        })
    })
}

fn flatten_ld<'a>(
    value: &'a Value,
    out: &mut Vec<&'a serde_json::Map<String, Value>>,
    depth: usize,
) {
    // JSON-LD nests a few levels at most; the bound keeps hostile input from recursing deeply.
    if depth > 8 {
        return;
    }
    match value {
        Value::Array(items) => items.iter().for_each(|v| flatten_ld(v, out, depth + 1)),
        Value::Object(map) => {
            out.push(map);
            if let Some(graph) = map.get("@graph") {
                flatten_ld(graph, out, depth + 1);
            }
        }
        _ => {}
    }
}

fn is_article_type(t: Option<&Value>) -> bool {
    match t {
        Some(Value::String(s)) => ARTICLE_TYPES.contains(&s.trim_start_matches("schema:")),
        Some(Value::Array(items)) => items.iter().any(|i| is_article_type(Some(i))),
        _ => false,
    }
}

fn author_names(v: &Value) -> Option<String> {
    let names: Vec<String> = match v {
        Value::String(s) => non_empty(s).into_iter().collect(),
        Value::Object(o) => o
            .get("name")
            .and_then(Value::as_str)
            .and_then(non_empty)
            .into_iter()
            .collect(),
        Value::Array(items) => items.iter().filter_map(author_names).collect(),
        _ => Vec::new(),
    };
    (!names.is_empty()).then(|| names.join(", "))
}

/// Readability's title and main text. `dom_smoothie` is third-party code run on untrusted pages:
/// a panic inside it must not take the whole run down, so it becomes "no main text found".
fn main_text(html: &str, url: Option<&str>) -> Option<Readable> {
    let result = std::panic::catch_unwind(|| {
        let page = dom_query::Document::from(html);
        // Readability strips class names from its output, so page furniture recognisable by its
        // markup has to go before it runs.
        page.select(FURNITURE_SELECTOR).remove();
        let mut readability = dom_smoothie::Readability::with_document(page, url, None).ok()?;
        let article = readability.parse().ok()?;
        let byline = article.byline.as_deref().and_then(non_empty);
        Some((
            non_empty(&article.title),
            byline,
            article.content.to_string(),
        ))
    });
    let (title, byline, content) = result.ok().flatten()?;
    let fragment = Html::parse_fragment(&content);
    Some(Readable {
        title,
        byline,
        units: render_units(fragment.root_element()),
    })
}

/// What Readability made of a page.
struct Readable {
    title: Option<String>,
    byline: Option<String>,
    units: Vec<Unit>,
}

/// Markup of navigation, cookie and consent banners, share bars and "most read" boxes.
// Not `form`: some sites wrap the whole page in one.
const FURNITURE_SELECTOR: &str = "nav, footer, aside, dialog, [hidden], [aria-hidden=true], \
    [role=navigation], [role=banner], [role=contentinfo], [role=dialog], [role=alertdialog], [role=complementary], \
    [class*=cookie], [id*=cookie], [class*=consent], [id*=consent], [class*=gdpr], [id*=gdpr], \
    [class*=newsletter], [id*=newsletter], [class*=most-read], [id*=most-read], [class*=mostread], \
    [class*=most-popular], [class*=share-buttons], [class*=social-share]";

/// Elements whose text is never article text.
const SKIPPED: &[&str] = &[
    "script", "style", "noscript", "template", "nav", "footer", "aside", "button", "select", "svg",
    "iframe", "object", "head", "menu", "dialog",
];

/// Elements that start a new paragraph.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "header",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "blockquote",
    "pre",
    "figure",
    "figcaption",
    "table",
    "tr",
    "td",
    "th",
    "caption",
    "address",
    "details",
    "summary",
    "hr",
    "body",
];

/// The text of an element as lines: one per block element, a line break at `<br>`.
fn render_units(root: ElementRef) -> Vec<Unit> {
    let mut renderer = Renderer {
        units: Vec::new(),
        current: String::new(),
        new_block: true,
    };
    renderer.walk(root);
    renderer.flush(true);
    renderer.units
}

struct Renderer {
    units: Vec<Unit>,
    current: String,
    new_block: bool,
}

impl Renderer {
    fn flush(&mut self, next_is_block: bool) {
        if let Some(text) = non_empty(&self.current) {
            self.units.push(Unit {
                text,
                new_block: self.new_block,
            });
            self.new_block = next_is_block;
        } else {
            self.new_block |= next_is_block;
        }
        self.current.clear();
    }

    /// Renders the text under `root` in document order. The walk goes by sibling and parent links
    /// rather than by recursion, so a page nested a hundred thousand elements deep is read to its
    /// bottom without risk to the stack.
    fn walk(&mut self, root: ElementRef) {
        let mut current = root.first_child();
        while let Some(node) = current {
            let descend = match node.value() {
                Node::Text(text) => {
                    self.current.push_str(text);
                    false
                }
                Node::Element(el) if rendered(el) => {
                    if el.name() == "br" {
                        self.flush(false);
                        false
                    } else {
                        if BLOCKS.contains(&el.name()) {
                            self.flush(true);
                        }
                        true
                    }
                }
                _ => false,
            };
            if descend && node.has_children() {
                current = node.first_child();
                continue;
            }
            // leave this node, and every ancestor it was the last child of
            let mut leaving = node;
            current = loop {
                if let Node::Element(el) = leaving.value() {
                    if (descend || leaving.id() != node.id()) && el.name() != "br" && BLOCKS.contains(&el.name()) {
                        self.flush(true);
                    }
                }
                if let Some(next) = leaving.next_sibling() {
                    break Some(next);
                }
                match leaving.parent() {
                    Some(parent) if parent.id() != root.id() => leaving = parent,
                    _ => break None,
                }
            };
        }
    }
}

/// Whether an element's text is part of the page's text.
fn rendered(el: &scraper::node::Element) -> bool {
    !SKIPPED.contains(&el.name()) && !is_hidden(el)
}

/// How deeply the page's elements nest (found without recursion).
fn depth(doc: &Html) -> usize {
    let root = doc.tree.root();
    let (mut depth, mut deepest) = (0usize, 0usize);
    let mut current = root.first_child();
    while let Some(node) = current {
        if let Some(child) = node.first_child() {
            depth += 1;
            deepest = deepest.max(depth);
            current = Some(child);
            continue;
        }
        let mut leaving = node;
        current = loop {
            if let Some(next) = leaving.next_sibling() {
                break Some(next);
            }
            match leaving.parent() {
                Some(parent) if parent.id() != root.id() => {
                    depth -= 1;
                    leaving = parent;
                }
                _ => break None,
            }
        };
    }
    deepest
}

/// Cookie banners, consent dialogs and visually hidden elements, by their markup.
fn is_hidden(el: &scraper::node::Element) -> bool {
    if el.attr("hidden").is_some() || el.attr("aria-hidden") == Some("true") {
        return true;
    }
    let role = el.attr("role").unwrap_or_default();
    if matches!(
        role,
        "navigation" | "banner" | "contentinfo" | "dialog" | "alertdialog" | "complementary"
    ) {
        return true;
    }
    let marks = format!(
        "{} {}",
        el.attr("id").unwrap_or_default(),
        el.attr("class").unwrap_or_default()
    )
    .to_ascii_lowercase();
    [
        "cookie",
        "consent",
        "gdpr",
        "newsletter",
        "most-read",
        "mostread",
        "most-popular",
        "share-buttons",
        "social-share",
    ]
    .iter()
    .any(|m| marks.contains(m))
}

fn fallback_paragraphs(doc: &Html) -> Vec<Unit> {
    let Some(body) = selector("body").and_then(|s| doc.select(&s).next()) else {
        return Vec::new();
    };
    render_units(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<!doctype html><html><head>
<title>Harbour reopens after storm | The Coast Courier</title>
<meta property="og:title" content="Harbour reopens after storm">
<meta property="og:url" content="https://courier.example/news/harbour-reopens">
<meta property="article:published_time" content="2021-03-04T09:30:00+01:00">
<meta name="author" content="Ana Ruiz">
</head><body>
<nav><a href="/">Home</a> | <a href="/news">News</a> | <a href="/sport">Sport</a></nav>
<div class="cookie-banner">We use cookies. <button>Accept</button></div>
<article>
<h1>Harbour reopens after storm</h1>
<p>The harbour of the small coastal town reopened on Thursday, three weeks after a winter storm wrecked its breakwater and sank two fishing boats at their moorings.</p>
<figure><img src="x.jpg"><figcaption>Boats return to the harbour. (Photo: Ana Ruiz)</figcaption></figure>
<p>Engineers worked <em>around the clock</em> to rebuild the sea wall, the harbour master said, adding that the repairs had cost more than two million euros so far.</p>
<p>Fishermen said they were relieved.<br>"We lost a month of work," one of them said, "but we are back at sea now and the catch is good."</p>
</article>
<aside class="most-read"><h2>Most read</h2><ul><li><a href="/a">Ferry fares rise</a></li><li><a href="/b">Storm warning</a></li></ul></aside>
<footer>© 2021 The Coast Courier. All rights reserved.</footer>
</body></html>"#;

    #[test]
    fn page_metadata_and_paragraphs() {
        let (meta, units) = read_page(PAGE);
        assert_eq!(
            meta,
            PageMeta {
                title: Some("Harbour reopens after storm".into()),
                published: Some("2021-03-04T09:30:00+01:00".into()),
                author: Some("Ana Ruiz".into()),
                url: Some("https://courier.example/news/harbour-reopens".into()),
            }
        );
        let texts: Vec<&str> = units.iter().map(|u| u.text.as_str()).collect();
        assert!(
            texts[0].starts_with("The harbour of the small coastal town"),
            "{texts:?}"
        );
        assert!(
            texts.contains(&"Boats return to the harbour. (Photo: Ana Ruiz)"),
            "{texts:?}"
        );
        assert!(
            texts
                .iter()
                .any(|t| t.contains("worked around the clock to rebuild")),
            "{texts:?}"
        );
        for furniture in [
            "Home",
            "cookies",
            "Most read",
            "Ferry fares",
            "rights reserved",
        ] {
            assert!(
                !texts.iter().any(|t| t.contains(furniture)),
                "{furniture} in {texts:?}"
            );
        }
        let br = units
            .iter()
            .position(|u| u.text.starts_with("\"We lost"))
            .expect("line after <br>");
        assert!(!units[br].new_block);
    }

    #[test]
    fn json_ld_news_article_wins() {
        let page = r#"<html><head><title>Site</title>
<script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"WebSite","name":"Courier"},
{"@type":["NewsArticle"],"headline":"Storm closes the harbour","datePublished":"2021-02-10","author":[{"@type":"Person","name":"Ana Ruiz"},{"name":"Li Wei"}],
"mainEntityOfPage":{"@id":"https://courier.example/storm"}}]}</script>
<meta property="og:title" content="Other title"></head><body><p>Short.</p></body></html>"#;
        let (meta, _) = read_page(page);
        assert_eq!(meta.title.as_deref(), Some("Storm closes the harbour"));
        assert_eq!(meta.published.as_deref(), Some("2021-02-10"));
        assert_eq!(meta.author.as_deref(), Some("Ana Ruiz, Li Wei"));
        assert_eq!(meta.url.as_deref(), Some("https://courier.example/storm"));
    }

    #[test]
    fn time_element_and_canonical_link() {
        let page = r#"<html><head><link rel="canonical" href="https://courier.example/a"></head>
<body><article><time datetime="2020-05-01">1 May</time><p>Text of the story goes here and is long enough.</p></article></body></html>"#;
        let (meta, units) = read_page(page);
        assert_eq!(meta.published.as_deref(), Some("2020-05-01"));
        assert_eq!(meta.url.as_deref(), Some("https://courier.example/a"));
        assert!(units.iter().any(|u| u.text.contains("Text of the story")));
    }

    #[test]
    fn a_page_wrapped_in_a_form_keeps_its_text() {
        let page = r#"<html><head><title>Quay works start</title></head><body><form id="page" action="/">
<div class="story"><p>Work on the new quay began on Monday and will last until the end of next year, the port said.</p>
<p>About forty workers will be on the site every day, with night shifts during the summer months.</p></div>
</form></body></html>"#;
        let (meta, units) = read_page(page);
        assert_eq!(meta.title.as_deref(), Some("Quay works start"));
        assert!(
            units
                .iter()
                .any(|u| u.text.starts_with("Work on the new quay")),
            "{units:?}"
        );
    }

    #[test]
    fn charset_declaration() {
        assert_eq!(
            declared_charset(b"<meta charset=\"ISO-8859-2\">"),
            Some(encoding_rs::ISO_8859_2)
        );
        assert_eq!(
            declared_charset(
                b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1251\">"
            ),
            Some(encoding_rs::WINDOWS_1251)
        );
        assert_eq!(declared_charset(b"<p>no charset</p>"), None);
    }

    #[test]
    fn a_page_nested_deeper_than_any_layout_is_read_to_its_bottom() {
        let page = format!(
            "<html><head><title>Deep</title></head><body><p>Top paragraph of the page.</p>{}<p>Text at the bottom of the well.</p>{}</body></html>",
            "<div>".repeat(20_000),
            "</div>".repeat(20_000)
        );
        let doc = Html::parse_document(&page);
        assert!(depth(&doc) > 20_000);
        let (meta, units) = read_page(&page);
        assert_eq!(meta.title.as_deref(), Some("Deep"));
        let texts: Vec<&str> = units.iter().map(|u| u.text.as_str()).collect();
        assert_eq!(texts, ["Top paragraph of the page.", "Text at the bottom of the well."]);
    }

    #[test]
    fn rendering_keeps_blocks_and_line_breaks() {
        let doc = Html::parse_fragment("<div><p>One <b>two</b></p><p></p>three<br>four<ul><li>five</li><li>six</li></ul><script>no</script></div>");
        let texts: Vec<String> = render_units(doc.root_element()).into_iter().map(|u| format!("{}{}", if u.new_block { "|" } else { "" }, u.text)).collect();
        assert_eq!(texts, ["|One two", "|three", "four", "|five", "|six"]);
    }
}

//! IRI minting. Every IRI is a function of what the thing is (design §Identity), never of when or
//! where it was processed, so runs, shards and machines merge without coordination.

use crate::doc::{Article, Entity, KbLink};
use anyhow::{bail, Context};
use iri_string::percent_encode::PercentEncodedForUri;
use iri_string::types::{IriAbsoluteStr, IriStr};
use oxigraph::model::NamedNode;

/// Mints IRIs under a base IRI.
#[derive(Debug, Clone)]
pub struct Minter {
    base: String,
}

pub const DEFAULT_BASE: &str = "https://newsgraph.example/";

impl Default for Minter {
    fn default() -> Self {
        Minter { base: DEFAULT_BASE.to_string() }
    }
}

impl Minter {
    /// A minter under `base`, which must be an absolute IRI without a query or fragment; a
    /// missing final `/` is added.
    pub fn new(base: &str) -> anyhow::Result<Minter> {
        let parsed = IriAbsoluteStr::new(base).with_context(|| format!("base IRI {base:?} is not an absolute IRI"))?;
        if parsed.query().is_some() {
            bail!("base IRI {base:?} must not have a query part");
        }
        let mut base = base.to_string();
        if !base.ends_with('/') {
            base.push('/');
        }
        Ok(Minter { base })
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    /// `{base}{seg1}/{seg2}/…`, each segment percent-encoded.
    pub fn node(&self, segments: &[&str]) -> NamedNode {
        let mut iri = self.base.clone();
        for (i, segment) in segments.iter().enumerate() {
            if i > 0 {
                iri.push('/');
            }
            iri.push_str(&PercentEncodedForUri::from_path_segment(*segment).to_string());
        }
        checked(iri)
    }

    /// The article: from its id (which the reader derives from the URL when the input has none).
    /// Slashes in ids ("business/001") stay path separators.
    pub fn article(&self, article: &Article) -> NamedNode {
        let mut segments = vec!["article"];
        segments.extend(article.id.split('/').filter(|s| !s.is_empty()));
        self.node(&segments)
    }

    /// A NIF string inside an article: `{article}#char=begin,end` (RFC 5147 offsets in characters).
    pub fn offsets(&self, article: &NamedNode, begin: usize, end: usize) -> NamedNode {
        checked(format!("{}#char={begin},{end}", article.as_str()))
    }

    /// An entity: from its knowledge-base id when linked, else from its kind and canonical name.
    pub fn entity(&self, entity: &Entity) -> NamedNode {
        match &entity.link {
            Some(link) => self.linked(link),
            None => self.node(&["entity", entity.kind.as_str(), &slug(&crate::resolve::names::identity_name(entity.kind, &entity.name, crate::kb::Kb::bundled()))]),
        }
    }

    fn linked(&self, link: &KbLink) -> NamedNode {
        if let Some(n) = link.id.strip_prefix("geonames:") {
            return self.node(&["entity", "geonames", n]);
        }
        if link.id.contains(':') {
            if let Ok(iri) = IriAbsoluteStr::new(&link.id) {
                return checked(iri.to_string());
            }
        }
        self.node(&["entity", &link.id])
    }
}

/// Builds a `NamedNode` from a string that was checked as an IRI.
fn checked(iri: String) -> NamedNode {
    debug_assert!(IriStr::new(&iri).is_ok(), "minted an invalid IRI: {iri}");
    NamedNode::new(iri).unwrap_or_else(|e| NamedNode::new_unchecked(format!("urn:newsgraph:invalid:{}", e)))
}

/// A readable ASCII key for a name: transliterated, lowercased, words joined by `-`.
/// Names with nothing transliterable get a hash, so the key is never empty.
pub fn slug(name: &str) -> String {
    let ascii = deunicode::deunicode(name).to_lowercase();
    let mut slug = String::with_capacity(ascii.len());
    for word in ascii.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()) {
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.push_str(word);
    }
    if slug.is_empty() {
        slug = format!("x{:016x}", xxhash_rust::xxh3::xxh3_64(name.as_bytes()));
    }
    slug
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::EntityKind;

    fn entity(kind: EntityKind, name: &str, link: Option<KbLink>) -> Entity {
        Entity { kind, name: name.into(), aliases: vec![], mentions: vec![], link }
    }

    #[test]
    fn slugs_are_readable_and_never_empty() {
        assert_eq!(slug("Jane Roe"), "jane-roe");
        assert_eq!(slug("  Recep Tayyip Erdoğan "), "recep-tayyip-erdogan");
        assert_eq!(slug("\"Acme\" <Holdings> \\ Ltd"), "acme-holdings-ltd");
        assert_eq!(slug("Москва"), "moskva");
        assert!(slug("!!!").starts_with('x'));
        assert_ne!(slug("!!!"), slug("???"));
    }

    #[test]
    fn entity_iris_depend_only_on_identity() {
        let m = Minter::default();
        let a = m.entity(&entity(EntityKind::Person, "Jane Roe", None));
        let b = m.entity(&entity(EntityKind::Person, "Jane Roe", None));
        assert_eq!(a, b);
        assert_eq!(a.as_str(), "https://newsgraph.example/entity/person/jane-roe");
        let place = m.entity(&entity(EntityKind::Place, "Jane Roe", None));
        assert_ne!(a, place);
        let linked = KbLink { id: "Q159".into(), ..KbLink::default() };
        assert_eq!(m.entity(&entity(EntityKind::Place, "Russia", Some(linked))).as_str(), "https://newsgraph.example/entity/Q159");
        let geo = KbLink { id: "geonames:323786".into(), ..KbLink::default() };
        assert_eq!(m.entity(&entity(EntityKind::Place, "x", Some(geo))).as_str(), "https://newsgraph.example/entity/geonames/323786");
        let user = KbLink { id: "https://example.org/people/42".into(), ..KbLink::default() };
        assert_eq!(m.entity(&entity(EntityKind::Person, "x", Some(user))).as_str(), "https://example.org/people/42");
    }

    #[test]
    fn article_ids_are_encoded_and_base_is_configurable() {
        let m = Minter::new("http://example.org/kg").unwrap();
        let a = Article { id: "business/001".into(), ..Article::default() };
        assert_eq!(m.article(&a).as_str(), "http://example.org/kg/article/business/001");
        let odd = Article { id: "a b<c>\"d\"é?#".into(), ..Article::default() };
        let iri = m.article(&odd);
        assert!(IriStr::new(iri.as_str()).is_ok(), "{iri}");
        assert_eq!(m.offsets(&iri, 3, 9).as_str(), format!("{}#char=3,9", iri.as_str()));
        assert!(Minter::new("not an iri").is_err());
        assert!(Minter::new("http://x.org/?q").is_err());
    }
}

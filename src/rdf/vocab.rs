//! Every IRI of the vocabulary newsgraph writes, in one place. `ontology/newsgraph.ttl` declares
//! the `ng:` terms; the others come from the standard vocabularies named in the design.

use oxigraph::model::NamedNodeRef;

const fn iri(s: &'static str) -> NamedNodeRef<'static> {
    NamedNodeRef::new_unchecked(s)
}

/// Prefixes declared in every serialisation and available in every query.
pub const PREFIXES: &[(&str, &str)] = &[
    ("ng", NG),
    ("schema", SCHEMA),
    ("nif", NIF),
    ("itsrdf", ITSRDF),
    ("org", ORG),
    ("sem", SEM),
    ("prov", PROV),
    ("owl", OWL),
    ("rdf", RDF),
    ("rdfs", RDFS),
    ("skos", SKOS),
    ("xsd", XSD),
    ("geo", GEO),
    ("wd", WD),
];

pub const NG: &str = "https://newsgraph.example/ns#";
pub const SCHEMA: &str = "http://schema.org/";
pub const NIF: &str = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#";
pub const ITSRDF: &str = "http://www.w3.org/2005/11/its/rdf#";
pub const ORG: &str = "http://www.w3.org/ns/org#";
pub const SEM: &str = "http://semanticweb.cs.vu.nl/2009/11/sem/";
pub const PROV: &str = "http://www.w3.org/ns/prov#";
pub const OWL: &str = "http://www.w3.org/2002/07/owl#";
pub const RDF: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
pub const RDFS: &str = "http://www.w3.org/2000/01/rdf-schema#";
pub const SKOS: &str = "http://www.w3.org/2004/02/skos/core#";
pub const XSD: &str = "http://www.w3.org/2001/XMLSchema#";
pub const GEO: &str = "http://www.w3.org/2003/01/geo/wgs84_pos#";
pub const WD: &str = "http://www.wikidata.org/entity/";
pub const GEONAMES: &str = "https://sws.geonames.org/";

pub mod rdf {
    use super::*;
    pub const TYPE: NamedNodeRef<'_> = iri("http://www.w3.org/1999/02/22-rdf-syntax-ns#type");
}

pub mod rdfs {
    use super::*;
    pub const LABEL: NamedNodeRef<'_> = iri("http://www.w3.org/2000/01/rdf-schema#label");
}

pub mod owl {
    use super::*;
    pub const SAME_AS: NamedNodeRef<'_> = iri("http://www.w3.org/2002/07/owl#sameAs");
}

pub mod schema {
    use super::*;
    pub const NEWS_ARTICLE: NamedNodeRef<'_> = iri("http://schema.org/NewsArticle");
    pub const PERSON: NamedNodeRef<'_> = iri("http://schema.org/Person");
    pub const ORGANIZATION: NamedNodeRef<'_> = iri("http://schema.org/Organization");
    pub const PLACE: NamedNodeRef<'_> = iri("http://schema.org/Place");
    pub const COUNTRY: NamedNodeRef<'_> = iri("http://schema.org/Country");
    pub const CITY: NamedNodeRef<'_> = iri("http://schema.org/City");
    pub const CONTINENT: NamedNodeRef<'_> = iri("http://schema.org/Continent");
    pub const STATE: NamedNodeRef<'_> = iri("http://schema.org/State");
    pub const EVENT: NamedNodeRef<'_> = iri("http://schema.org/Event");
    pub const NAME: NamedNodeRef<'_> = iri("http://schema.org/name");
    pub const ALTERNATE_NAME: NamedNodeRef<'_> = iri("http://schema.org/alternateName");
    pub const HEADLINE: NamedNodeRef<'_> = iri("http://schema.org/headline");
    pub const DATE_PUBLISHED: NamedNodeRef<'_> = iri("http://schema.org/datePublished");
    pub const AUTHOR: NamedNodeRef<'_> = iri("http://schema.org/author");
    pub const URL: NamedNodeRef<'_> = iri("http://schema.org/url");
    pub const IDENTIFIER: NamedNodeRef<'_> = iri("http://schema.org/identifier");
    pub const MENTIONS: NamedNodeRef<'_> = iri("http://schema.org/mentions");
    pub const LOCATION: NamedNodeRef<'_> = iri("http://schema.org/location");
    pub const START_DATE: NamedNodeRef<'_> = iri("http://schema.org/startDate");
    pub const END_DATE: NamedNodeRef<'_> = iri("http://schema.org/endDate");
    pub const DURATION: NamedNodeRef<'_> = iri("http://schema.org/duration");
    pub const SUPER_EVENT: NamedNodeRef<'_> = iri("http://schema.org/superEvent");
    pub const ATTENDEE: NamedNodeRef<'_> = iri("http://schema.org/attendee");
}

pub mod nif {
    use super::*;
    pub const CONTEXT: NamedNodeRef<'_> = iri("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#Context");
    pub const PHRASE: NamedNodeRef<'_> = iri("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#Phrase");
    pub const SENTENCE: NamedNodeRef<'_> = iri("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#Sentence");
    pub const OFFSET_BASED_STRING: NamedNodeRef<'_> =
        iri("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#OffsetBasedString");
    pub const BEGIN_INDEX: NamedNodeRef<'_> = iri("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#beginIndex");
    pub const END_INDEX: NamedNodeRef<'_> = iri("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#endIndex");
    pub const ANCHOR_OF: NamedNodeRef<'_> = iri("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#anchorOf");
    pub const IS_STRING: NamedNodeRef<'_> = iri("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#isString");
    pub const REFERENCE_CONTEXT: NamedNodeRef<'_> =
        iri("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#referenceContext");
    pub const SENTENCE_PROPERTY: NamedNodeRef<'_> = iri("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#sentence");
    pub const SOURCE_URL: NamedNodeRef<'_> = iri("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#sourceUrl");
}

pub mod itsrdf {
    use super::*;
    pub const TA_IDENT_REF: NamedNodeRef<'_> = iri("http://www.w3.org/2005/11/its/rdf#taIdentRef");
    pub const TA_CLASS_REF: NamedNodeRef<'_> = iri("http://www.w3.org/2005/11/its/rdf#taClassRef");
}

pub mod prov {
    use super::*;
    pub const WAS_DERIVED_FROM: NamedNodeRef<'_> = iri("http://www.w3.org/ns/prov#wasDerivedFrom");
    pub const WAS_ATTRIBUTED_TO: NamedNodeRef<'_> = iri("http://www.w3.org/ns/prov#wasAttributedTo");
    pub const SOFTWARE_AGENT: NamedNodeRef<'_> = iri("http://www.w3.org/ns/prov#SoftwareAgent");
}

pub mod geo {
    use super::*;
    pub const LAT: NamedNodeRef<'_> = iri("http://www.w3.org/2003/01/geo/wgs84_pos#lat");
    pub const LONG: NamedNodeRef<'_> = iri("http://www.w3.org/2003/01/geo/wgs84_pos#long");
}

pub mod xsd {
    use super::*;
    pub const DATE: NamedNodeRef<'_> = iri("http://www.w3.org/2001/XMLSchema#date");
    pub const DATE_TIME: NamedNodeRef<'_> = iri("http://www.w3.org/2001/XMLSchema#dateTime");
    pub const G_YEAR_MONTH: NamedNodeRef<'_> = iri("http://www.w3.org/2001/XMLSchema#gYearMonth");
    pub const G_YEAR: NamedNodeRef<'_> = iri("http://www.w3.org/2001/XMLSchema#gYear");
    pub const DURATION: NamedNodeRef<'_> = iri("http://www.w3.org/2001/XMLSchema#duration");
    pub const INTEGER: NamedNodeRef<'_> = iri("http://www.w3.org/2001/XMLSchema#integer");
    pub const DECIMAL: NamedNodeRef<'_> = iri("http://www.w3.org/2001/XMLSchema#decimal");
    pub const BOOLEAN: NamedNodeRef<'_> = iri("http://www.w3.org/2001/XMLSchema#boolean");
}

/// Terms of our own, declared in `ontology/newsgraph.ttl`.
pub mod ng {
    use super::*;
    pub const POLITICAL_PARTY: NamedNodeRef<'_> = iri("https://newsgraph.example/ns#PoliticalParty");
    pub const INTERNATIONAL_ORGANIZATION: NamedNodeRef<'_> = iri("https://newsgraph.example/ns#InternationalOrganization");
    pub const LINK_CONFIDENCE: NamedNodeRef<'_> = iri("https://newsgraph.example/ns#linkConfidence");
    /// The class of a nationality word's phrase ("Japanese"): it refers to the country through
    /// `itsrdf:taIdentRef` but is no Place mention of it.
    pub const NATIONALITY: NamedNodeRef<'_> = iri("https://newsgraph.example/ns#Nationality");
}

// --- Events and positions (src/rdf/facts.rs) ---

/// Event classes and event and post properties of our own.
pub mod ng_events {
    use super::*;
    pub const MEETING: NamedNodeRef<'_> = iri("https://newsgraph.example/ns#Meeting");
    pub const SUMMIT: NamedNodeRef<'_> = iri("https://newsgraph.example/ns#Summit");
    pub const VISIT: NamedNodeRef<'_> = iri("https://newsgraph.example/ns#Visit");
    pub const ATTACK: NamedNodeRef<'_> = iri("https://newsgraph.example/ns#Attack");
    pub const DISASTER: NamedNodeRef<'_> = iri("https://newsgraph.example/ns#Disaster");
    pub const ACCIDENT: NamedNodeRef<'_> = iri("https://newsgraph.example/ns#Accident");
    pub const ELECTION: NamedNodeRef<'_> = iri("https://newsgraph.example/ns#Election");
    pub const AGREEMENT: NamedNodeRef<'_> = iri("https://newsgraph.example/ns#Agreement");
    pub const CONFLICT: NamedNodeRef<'_> = iri("https://newsgraph.example/ns#Conflict");
    pub const LEGAL_CASE: NamedNodeRef<'_> = iri("https://newsgraph.example/ns#LegalCase");
    pub const BUSINESS_DEAL: NamedNodeRef<'_> = iri("https://newsgraph.example/ns#BusinessDeal");
    pub const PROTEST: NamedNodeRef<'_> = iri("https://newsgraph.example/ns#Protest");
    pub const STRIKE: NamedNodeRef<'_> = iri("https://newsgraph.example/ns#Strike");
    pub const SPORTS_MATCH: NamedNodeRef<'_> = iri("https://newsgraph.example/ns#SportsMatch");
    pub const CEREMONY: NamedNodeRef<'_> = iri("https://newsgraph.example/ns#Ceremony");
    pub const POLICY_DECISION: NamedNodeRef<'_> = iri("https://newsgraph.example/ns#PolicyDecision");
    pub const RESIGNATION: NamedNodeRef<'_> = iri("https://newsgraph.example/ns#Resignation");
    pub const APPOINTMENT: NamedNodeRef<'_> = iri("https://newsgraph.example/ns#Appointment");
    pub const INJURED: NamedNodeRef<'_> = iri("https://newsgraph.example/ns#injured");
    pub const INJURED_IS_MINIMUM: NamedNodeRef<'_> = iri("https://newsgraph.example/ns#injuredIsMinimum");
    pub const MISSING: NamedNodeRef<'_> = iri("https://newsgraph.example/ns#missing");
    pub const MISSING_IS_MINIMUM: NamedNodeRef<'_> = iri("https://newsgraph.example/ns#missingIsMinimum");
    pub const KILLED_QUALIFIER: NamedNodeRef<'_> = iri("https://newsgraph.example/ns#killedQualifier");
    pub const INJURED_QUALIFIER: NamedNodeRef<'_> = iri("https://newsgraph.example/ns#injuredQualifier");
    pub const MISSING_QUALIFIER: NamedNodeRef<'_> = iri("https://newsgraph.example/ns#missingQualifier");
    pub const UNDATED_REASON: NamedNodeRef<'_> = iri("https://newsgraph.example/ns#undatedReason");
    pub const DURATION_MINUTES: NamedNodeRef<'_> = iri("https://newsgraph.example/ns#durationMinutes");
    pub const KILLED: NamedNodeRef<'_> = iri("https://newsgraph.example/ns#killed");
    pub const KILLED_IS_MINIMUM: NamedNodeRef<'_> = iri("https://newsgraph.example/ns#killedIsMinimum");
    pub const TIME_TEXT: NamedNodeRef<'_> = iri("https://newsgraph.example/ns#timeText");
    pub const EVIDENCE: NamedNodeRef<'_> = iri("https://newsgraph.example/ns#evidence");
    pub const POST_IS_FORMER: NamedNodeRef<'_> = iri("https://newsgraph.example/ns#postIsFormer");
    pub const POST_IS_ACTING: NamedNodeRef<'_> = iri("https://newsgraph.example/ns#postIsActing");
}

// --- The time layer (src/rdf/mod.rs) ---

/// Time expressions: `nif:Phrase`s typed by their TIMEX3 type, with their TimeML value.
pub mod ng_time {
    use super::*;
    pub const TIME_EXPRESSION: NamedNodeRef<'_> = iri("https://newsgraph.example/ns#TimeExpression");
    pub const DATE_EXPRESSION: NamedNodeRef<'_> = iri("https://newsgraph.example/ns#DateExpression");
    pub const TIME_OF_DAY_EXPRESSION: NamedNodeRef<'_> = iri("https://newsgraph.example/ns#TimeOfDayExpression");
    pub const DURATION_EXPRESSION: NamedNodeRef<'_> = iri("https://newsgraph.example/ns#DurationExpression");
    pub const SET_EXPRESSION: NamedNodeRef<'_> = iri("https://newsgraph.example/ns#SetExpression");
    pub const TIMEX_TYPE: NamedNodeRef<'_> = iri("https://newsgraph.example/ns#timexType");
    pub const TIMEX_VALUE: NamedNodeRef<'_> = iri("https://newsgraph.example/ns#timexValue");
    pub const TIME_VALUE: NamedNodeRef<'_> = iri("https://newsgraph.example/ns#timeValue");
}

pub mod sem {
    use super::*;
    pub const HAS_ACTOR: NamedNodeRef<'_> = iri("http://semanticweb.cs.vu.nl/2009/11/sem/hasActor");
    pub const HAS_PLACE: NamedNodeRef<'_> = iri("http://semanticweb.cs.vu.nl/2009/11/sem/hasPlace");
}

pub mod org {
    use super::*;
    pub const POST: NamedNodeRef<'_> = iri("http://www.w3.org/ns/org#Post");
    pub const ROLE: NamedNodeRef<'_> = iri("http://www.w3.org/ns/org#Role");
    pub const HOLDS: NamedNodeRef<'_> = iri("http://www.w3.org/ns/org#holds");
    pub const HELD_BY: NamedNodeRef<'_> = iri("http://www.w3.org/ns/org#heldBy");
    pub const POST_IN: NamedNodeRef<'_> = iri("http://www.w3.org/ns/org#postIn");
    pub const ROLE_PROPERTY: NamedNodeRef<'_> = iri("http://www.w3.org/ns/org#role");
}

pub mod skos {
    use super::*;
    pub const PREF_LABEL: NamedNodeRef<'_> = iri("http://www.w3.org/2004/02/skos/core#prefLabel");
}

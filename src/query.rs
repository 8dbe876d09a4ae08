//! SPARQL evaluation over the store and result formats.

//! The Oxigraph store: open (in memory or RocksDB on disk), ingest, export.

pub use oxigraph::store::Store;

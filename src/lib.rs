//! logis: full-text search over French housing news.
//!
//! Articles are read by [`corpus`] and cut into passages, analysed by
//! [`analysis`] (French elisions, folding, digit groups, acronyms, stems),
//! their facets extracted by [`extract`] as typed values ([`facets`]), and
//! written by [`index`]; [`search`] queries them and counts facet values;
//! [`output`] renders results as text or JSON. The data files all of this
//! reads are registered in [`data`].
//!
//! The API a program needs is re-exported here: open or build an index,
//! search it, count facets.
//!
//! ```no_run
//! use logis::{index_paths, Engine, IndexOptions, LogisIndex, SearchRequest};
//! # fn main() -> logis::Result<()> {
//! let path = std::path::Path::new("index");
//! index_paths(path, &["seeds".into()], &IndexOptions::default(), &mut |_| {})?;
//! let index = LogisIndex::open(path)?;
//! let results = Engine::new(&index)?.search(&SearchRequest::new("PSLA Compiègne"))?;
//! for hit in &results.hits {
//!     println!("{} §{}: {}", hit.doc, hit.passage, hit.snippet.text);
//! }
//! # Ok(())
//! # }
//! ```

#![warn(missing_docs)]

pub mod analysis;
pub mod corpus;
pub mod data;
pub mod error;
pub mod extract;
pub mod facets;
pub mod index;
pub mod output;
pub mod search;
pub mod serve;
#[cfg(test)]
mod testing;

pub use data::{DataFile, DataSet};
pub use error::{Error, Result};
pub use facets::{Area, Commune, FacetField, FacetRef, FacetValue, Facets, Scope, Term};
pub use index::check::{check, CheckReport};
pub use index::{index_paths, Event, IndexOptions, IndexReport, LogisIndex, Progress};
pub use search::{
    ArticleView, CountUnit, Engine, FacetCount, FacetCounts, Filters, Hit, SearchRequest,
    SearchResults, Sort, YearRange,
};

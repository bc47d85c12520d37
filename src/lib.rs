//! logis: full-text search over French housing news.
//!
//! Articles are read by [`corpus`], cut into passages, analysed by
//! [`analysis`], written by [`index`] and queried by [`search`]; [`output`]
//! renders results as text or JSON.

pub mod analysis;
pub mod corpus;
pub mod error;
pub mod extract;
pub mod facets;
pub mod index;
pub mod output;
pub mod search;

pub use error::{Error, Result};

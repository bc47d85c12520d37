//! The end-to-end tests of logis, in one test binary: the real `logis`
//! binary on real files (`cli`, `formats`, `organisations`, `places`,
//! `robustness`, `relevance`, `rules`), the
//! README's JSON reference against real output (`readme`), the extraction
//! quality on labelled articles (`extraction`), and property tests of the
//! public API (`properties`). `cargo test --release --test logis extraction
//! -- --nocapture` runs one module.

mod cli;
mod extraction;
mod formats;
mod operations;
mod organisations;
mod places;
mod properties;
mod readme;
mod relevance;
mod robustness;
mod rules;
mod serve;
mod trust;
mod support {
    pub mod binary;
    pub mod judged;
    pub mod server;
}

//! The benchmark report's queries run warm in one process, many times: a
//! target for `perf record` or `valgrind --tool=callgrind` when a search is
//! slower than it should be. Prints each query's median time.
//!
//! `cargo run --release -p logis-bench --example search_profile -- INDEX_DIR
//! [--runs N] [--only CLASS] [--distributions]` (`--distributions`: each
//! search is followed by the counts of every facet field, as the page asks)

use std::time::Instant;

use logis::facets::FacetField;
use logis::index::LogisIndex;
use logis::search::{CountUnit, Engine, Filters, SearchRequest};
use logis_bench::{report_main, PAGE_VALUES, REPORT_QUERIES};

fn main() -> std::process::ExitCode {
    report_main(|| {
        let mut args = std::env::args().skip(1);
        let dir = args
            .next()
            .ok_or("usage: search_profile INDEX_DIR [--runs N]")?;
        let (mut runs, mut only, mut distributions) = (50usize, None, false);
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--runs" => runs = args.next().ok_or("--runs needs a number")?.parse()?,
                "--only" => only = Some(args.next().ok_or("--only needs a class")?),
                "--distributions" => distributions = true,
                other => return Err(format!("unknown argument {other}").into()),
            }
        }
        let index = LogisIndex::open(std::path::Path::new(&dir))?;
        let engine = Engine::new(&index)?;
        for &(class, query, commune) in REPORT_QUERIES {
            if only.as_deref().is_some_and(|o| o != class) {
                continue;
            }
            let mut request = SearchRequest::new(query);
            let mut filters = Filters::default();
            if let Some(commune) = commune {
                filters.add(FacetField::Commune, commune)?;
            }
            request.filters = filters.clone();
            let mut times = Vec::with_capacity(runs);
            let mut total = 0;
            for _ in 0..=runs {
                let started = Instant::now();
                total = engine.search(&request)?.total;
                if distributions {
                    engine.facet_distributions(
                        query,
                        &filters,
                        CountUnit::default(),
                        PAGE_VALUES,
                    )?;
                }
                times.push(started.elapsed().as_secs_f64() * 1000.0);
            }
            times.remove(0);
            times.sort_by(f64::total_cmp);
            println!(
                "{class:<28} {query:<28} {total:>8} hits  median {:.2} ms",
                times[times.len() / 2]
            );
        }
        Ok(())
    })
}

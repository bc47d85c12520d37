//! Where an index's bytes go: tantivy's `Searcher::space_usage()`, per field
//! and per part (terms, postings, positions, fast columns, norms), and the
//! doc store, summed over the segments.
//!
//! `cargo run --release -p logis-bench --example space_usage -- INDEX_DIR`

use std::collections::BTreeMap;
use std::error::Error;
use std::process::ExitCode;

use tantivy::space_usage::PerFieldSpaceUsage;
use tantivy::Index;

fn main() -> ExitCode {
    logis_bench::report_main(run)
}

fn run() -> Result<(), Box<dyn Error>> {
    let dir = std::env::args()
        .nth(1)
        .ok_or("usage: space_usage INDEX_DIR")?;
    let index = Index::open_in_dir(&dir)?;
    let searcher = index.reader()?.searcher();
    let usage = searcher.space_usage()?;
    // field → [terms, postings, positions, fast, norms]
    let mut fields: BTreeMap<String, [u64; 5]> = BTreeMap::new();
    let mut add = |part: usize, per_field: &PerFieldSpaceUsage| {
        for field in per_field.fields() {
            fields.entry(field.field_name().to_string()).or_default()[part] +=
                field.total().get_bytes();
        }
    };
    let (mut store, mut deletes, mut docs) = (0u64, 0u64, 0u64);
    for segment in usage.segments() {
        add(0, segment.termdict());
        add(1, segment.postings());
        add(2, segment.positions());
        add(3, segment.fast_fields());
        add(4, segment.fieldnorms());
        store += segment.store().total().get_bytes();
        deletes += segment.deletes().get_bytes();
        docs += u64::from(segment.num_docs());
    }
    let total = usage.total().get_bytes();
    let mb = |b: u64| b as f64 / 1e6;
    println!(
        "{} segments, {docs} documents, {:.1} MB",
        usage.segments().len(),
        mb(total)
    );
    println!("\n| field | terms | postings | positions | fast | norms | total MB | share |");
    println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    let mut rows: Vec<(String, [u64; 5])> = fields.into_iter().collect();
    rows.sort_by_key(|(_, parts)| std::cmp::Reverse(parts.iter().sum::<u64>()));
    for (name, parts) in rows {
        let sum: u64 = parts.iter().sum();
        if sum == 0 {
            continue;
        }
        println!(
            "| {name} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} | {:.1}% |",
            mb(parts[0]),
            mb(parts[1]),
            mb(parts[2]),
            mb(parts[3]),
            mb(parts[4]),
            mb(sum),
            100.0 * sum as f64 / total as f64
        );
    }
    println!(
        "| (doc store) | | | | | | {:.2} | {:.1}% |",
        mb(store),
        100.0 * store as f64 / total as f64
    );
    if deletes > 0 {
        println!("| (deletes) | | | | | | {:.2} | |", mb(deletes));
    }
    Ok(())
}

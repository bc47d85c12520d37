//! Prints how articles are cut into passages: `cargo run -p logis-bench
//! --example passages -- FILE...`

use logis::corpus::{self, passages, Item};

fn main() -> logis::Result<()> {
    let paths: Vec<std::path::PathBuf> = std::env::args_os().skip(1).map(Into::into).collect();
    corpus::read(&paths, &mut |item| {
        match item {
            Item::Article(article) => {
                println!(
                    "=== {} | title: {:?} | date: {:?}",
                    article.id, article.title, article.date
                );
                for p in passages::split(&article.text) {
                    let text = p.text(&article.text).replace('\n', " ⏎ ");
                    println!(
                        "--- §{} [{:?}] {} bytes\n{}",
                        p.ordinal,
                        p.heading,
                        p.end - p.start,
                        text
                    );
                }
            }
            Item::Skipped { source, reason } => eprintln!("skipped {source}: {reason}"),
            Item::Warning { source, warning } => eprintln!("{source}: {warning}"),
            Item::Converted { source, conversion } => {
                eprintln!("{source}: {conversion}")
            }
        }
        Ok(())
    })
}

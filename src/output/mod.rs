//! Rendering for people and for scripts: [`text`] writes what the terminal
//! shows (styled; the caller's stream decides whether the styles are kept),
//! [`wire`] defines every JSON document, written by [`write_json`].

pub mod operations;
pub mod table;
pub mod text;
pub mod wire;

use std::io::{self, Write};

use serde::Serialize;

/// Writes a JSON document on one line (JSON Lines).
pub fn write_json_line<T: Serialize>(value: &T, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer(&mut *out, value)?;
    writeln!(out)
}

/// Writes a JSON document, pretty-printed, and a line end.
pub fn write_json<T: Serialize>(value: &T, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    writeln!(out)
}

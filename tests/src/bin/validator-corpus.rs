//! Writes the differential corpus (`indicative_tests::corpus`) as NDJSON, one
//! `{"id", "kind", "text"}` per payload, for validators in other languages
//! (`scripts/check-validators.sh`). Usage: `validator-corpus > corpus.ndjson`.

use std::io::{BufWriter, Write};

fn main() -> std::io::Result<()> {
    let mut out = BufWriter::new(std::io::stdout().lock());
    for (id, case) in indicative_tests::corpus::corpus().into_iter().enumerate() {
        let line = serde_json::json!({"id": id, "kind": case.kind.name(), "text": case.text});
        writeln!(out, "{line}")?;
    }
    out.flush()
}

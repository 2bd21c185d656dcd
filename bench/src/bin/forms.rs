//! The input-forms benchmark's files:
//!
//! - `forms write DIR COUNT`: the same COUNT events as NDJSON, a JSON array
//!   (pretty-printed and minified), GET URLs and a HAR, in DIR, each once
//!   clean (`clean.*`) and once with a finding on every event
//!   (`findings.*`);
//! - `forms array NDJSON OUT`: the NDJSON file's lines as one JSON array,
//!   written as it streams (for the 1 GB array);
//! - `forms compress IN OUT`: IN compressed into OUT, gzip or zstd (with
//!   its checksum, as the `zstd` tool writes) by OUT's extension, at the
//!   tools' default levels.

use std::io::{BufRead, Write};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["write", dir, count] => {
            let count: usize = count.parse().expect("COUNT is a number");
            let dir = std::path::Path::new(dir);
            std::fs::create_dir_all(dir).expect("create DIR");
            for (prefix, findings) in [("clean", false), ("findings", true)] {
                let forms = indicative_bench::Forms::new(count, findings);
                let write = |name: &str, bytes: Vec<u8>| {
                    std::fs::write(dir.join(format!("{prefix}.{name}")), bytes).expect("write");
                };
                write("ndjson", forms.ndjson());
                write("pretty.json", forms.array(true));
                write("min.json", forms.array(false));
                write("urls", forms.urls());
                write("har", forms.har());
            }
        }
        ["array", ndjson, out] => {
            let input = std::io::BufReader::new(std::fs::File::open(ndjson).expect("open NDJSON"));
            let mut output = std::io::BufWriter::new(std::fs::File::create(out).expect("create OUT"));
            output.write_all(b"[\n").expect("write");
            for (i, line) in input.split(b'\n').enumerate() {
                let line = line.expect("read");
                if line.is_empty() {
                    continue;
                }
                if i > 0 {
                    output.write_all(b",\n").expect("write");
                }
                output.write_all(&line).expect("write");
            }
            output.write_all(b"\n]\n").expect("write");
        }
        ["compress", input, out] => {
            let mut input = std::io::BufReader::new(std::fs::File::open(input).expect("open IN"));
            let output = std::io::BufWriter::new(std::fs::File::create(out).expect("create OUT"));
            if out.ends_with(".zst") {
                let mut encoder = zstd::stream::write::Encoder::new(output, 3).expect("zstd");
                encoder.include_checksum(true).expect("zstd");
                std::io::copy(&mut input, &mut encoder).expect("compress");
                encoder.finish().expect("compress").flush().expect("write");
            } else {
                let mut encoder = flate2::write::GzEncoder::new(output, flate2::Compression::new(6));
                std::io::copy(&mut input, &mut encoder).expect("compress");
                encoder.finish().expect("compress").flush().expect("write");
            }
        }
        _ => {
            eprintln!("usage: forms write DIR COUNT | forms array NDJSON OUT | forms compress IN OUT");
            std::process::exit(2);
        }
    }
}

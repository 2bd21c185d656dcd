//! Writes the NDJSON corpus of the CLI-at-scale benchmark: `ndjson PATH BYTES`.

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(path), Some(bytes)) = (args.first(), args.get(1).and_then(|b| b.parse::<usize>().ok())) else {
        eprintln!("usage: ndjson PATH BYTES");
        std::process::exit(2);
    };
    // Written in 64 MiB pieces of distinct seeds, so memory stays small.
    let mut file = std::io::BufWriter::new(std::fs::File::create(path).expect("create"));
    let mut written = 0;
    let mut seed = 0;
    while written < bytes {
        let piece = indicative_bench::ndjson((64 << 20).min(bytes - written), 100 + seed);
        std::io::Write::write_all(&mut file, &piece).expect("write");
        written += piece.len();
        seed += 1;
    }
}

//! `indicative`: lint the payloads a service sends to the mParticle Analytics
//! (formerly Indicative) REST API. See `indicative --help`.

// See the reason for jemalloc in Cargo.toml.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> std::process::ExitCode {
    indicative_cli::main()
}

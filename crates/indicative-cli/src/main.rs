//! `indicative`: lint the payloads a service sends to the mParticle Analytics
//! (formerly Indicative) REST API. See `indicative --help`.

// jemalloc: see the reason in Cargo.toml (the platforms are those whose
// target gets the dependency).
#[cfg(all(
    feature = "jemalloc",
    not(target_os = "windows"),
    not(target_os = "openbsd"),
    not(target_os = "aix"),
    not(target_os = "android"),
    any(target_arch = "x86_64", target_arch = "aarch64", target_arch = "powerpc64", target_arch = "riscv64")
))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> std::process::ExitCode {
    indicative_cli::main()
}

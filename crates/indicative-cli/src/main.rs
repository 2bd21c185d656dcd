//! `indicative`: lint the payloads a service sends to the mParticle Analytics
//! (formerly Indicative) REST API. See `indicative --help`.

fn main() -> std::process::ExitCode {
    indicative_cli::main()
}

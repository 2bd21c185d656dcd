//! The command line, defined once: `--help`, parsing and the docs come from here.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use indicative_contract::RequestKind;

/// Lint the payloads you send to the mParticle Analytics (formerly Indicative)
/// REST API: every problem, with its place, a stable rule code and the HTTP
/// status the API would answer.
#[derive(Debug, Parser)]
#[command(name = "indicative", version, propagate_version = true, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lint request files: JSON, NDJSON, HAR captures and lists of GET URLs.
    Lint(LintArgs),
    /// Explain a rule: when it fires, its severity and predicted status.
    Explain {
        /// The rule's code, such as `too-long`.
        code: String,
    },
    /// List every rule.
    Rules,
    /// Print a generated JSON Schema or OpenAPI document.
    Schema(SchemaArgs),
    /// Answer like the API on a local port: lint and capture every request
    /// before answering it, and serve the capture under /_contract/.
    Serve(ServeArgs),
    /// Read what a running `indicative serve` captured.
    #[command(subcommand)]
    Capture(CaptureCommand),
    /// Work with a tracking plan: check, import, export, diff, coverage.
    #[command(subcommand)]
    Plan(PlanCommand),
}

/// `indicative plan ...`.
#[derive(Debug, Subcommand)]
pub enum PlanCommand {
    /// Check a plan file: every mistake with its line and column.
    Check {
        /// The plan file (YAML or JSON).
        file: PathBuf,
        /// The output format.
        #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
        format: OutputFormat,
    },
    /// Compare two versions of a plan: each change classed MODEL, REVISION or
    /// ADDITION; exit 1 when the new version's bump is smaller than the
    /// changes need.
    Diff {
        /// OLD NEW, or only NEW with --base.
        #[arg(num_args = 1..=2, required = true)]
        files: Vec<PathBuf>,
        /// Read OLD from git at this revision (the same file, `git show REV:FILE`).
        #[arg(long, value_name = "REV")]
        base: Option<String>,
        /// The output format.
        #[arg(long, value_enum, default_value_t = ReportFormat::Human)]
        format: ReportFormat,
    },
    /// How much of a plan captures show: per planned event, how often it was
    /// seen and each property's fill rate; planned events never seen; events
    /// seen but not planned.
    Coverage {
        /// The plan file.
        #[arg(long, value_name = "FILE")]
        plan: PathBuf,
        /// Captures, read as `lint` reads them (NDJSON, JSON, HAR, URL lists, folders).
        #[arg(required = true)]
        captures: Vec<PathBuf>,
        /// The output format.
        #[arg(long, value_enum, default_value_t = ReportFormat::Human)]
        format: ReportFormat,
        /// Exit 1 when an active planned event was never seen.
        #[arg(long)]
        fail_on_missing: bool,
    },
    /// Read another tool's plan into ours (printed as YAML); what cannot be
    /// mapped is listed on standard error.
    Import {
        /// The source's format.
        #[arg(long, value_enum)]
        from: ImportFormat,
        /// The file (mParticle, Segment) or the folder of JSON Schemas.
        source: PathBuf,
        /// Write the plan here instead of standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Which planned events Rust code instruments, read with syn: a type
    /// deriving TrackEvent, or a struct literal or constructor of the type
    /// generated for the event (through any module, alias or helper);
    /// planned events never instrumented; derived events not in the plan.
    Status {
        /// The plan file.
        #[arg(long, value_name = "FILE")]
        plan: PathBuf,
        /// The folder of Rust sources (walked as git would: .gitignore and
        /// hidden files are left out).
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// The output format.
        #[arg(long, value_enum, default_value_t = ReportFormat::Human)]
        format: ReportFormat,
        /// Exit 1 when an active planned event is never instrumented.
        #[arg(long)]
        fail_on_missing: bool,
    },
    /// Print code generated from a plan: `rust` prints the types that
    /// `indicative_contract::tracking_plan!` expands to (formatted, sorted,
    /// the same for the same plan), for teams that commit generated code.
    Codegen {
        /// The language.
        #[arg(value_enum)]
        language: CodegenLanguage,
        /// The plan file.
        plan: PathBuf,
        /// Write the code here instead of standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Write our plan in another format.
    Export {
        /// The target format.
        #[arg(long, value_enum)]
        to: ExportFormat,
        /// The plan file.
        plan: PathBuf,
        /// Where to write: a folder for `jsonschema` (one file per event), a
        /// file otherwise [default: standard output, except for jsonschema].
        #[arg(long, value_name = "PATH")]
        out: Option<PathBuf>,
    },
}

/// What `plan codegen` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CodegenLanguage {
    /// Rust: structs deriving TrackEvent and UserProperties, enums deriving ToPropertyValue.
    Rust,
}

/// The formats of `plan diff` and `plan coverage`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// For people.
    Human,
    /// One JSON object.
    Json,
}

/// What `plan import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ImportFormat {
    /// An mParticle data plan document.
    Mparticle,
    /// A Segment Protocols tracking plan (plan.json).
    Segment,
    /// A folder of JSON Schemas, one per event (Iglu self-describing or plain).
    Jsonschema,
}

/// What `plan export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// One JSON Schema per event: the API's event body narrowed by the plan.
    Jsonschema,
    /// An OpenAPI 3.1 document whose event bodies are a oneOf of the planned events.
    Openapi,
    /// An mParticle data plan document.
    Mparticle,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("document").args(["kind", "openapi", "openapi_3_0", "report"])))]
pub struct SchemaArgs {
    /// The request kind whose JSON Schema (2020-12) to print.
    #[arg(value_parser = kind_parser())]
    pub kind: Option<RequestKind>,
    /// Print the OpenAPI 3.1 document of every endpoint.
    #[arg(long)]
    pub openapi: bool,
    /// Print the OpenAPI 3.0 document, for generators that do not read 3.1.
    #[arg(long = "openapi-3.0")]
    pub openapi_3_0: bool,
    /// Print the JSON Schema of `lint --format json`'s output.
    #[arg(long)]
    pub report: bool,
}

/// How to show the findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// rustc-style diagnostics with the source line and a caret.
    Human,
    /// One JSON object: a summary and every document with its diagnostics.
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other viewers.
    Sarif,
    /// GitHub Actions workflow commands (annotations).
    Github,
}

/// Which documents the JSON report lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Documents {
    /// Every document, clean ones included: the report is then the record
    /// of every request, with its place and predicted status.
    All,
    /// Only documents with a finding (of any severity).
    Findings,
}

/// Which reading of the contract to apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ProfileArg {
    /// What the API is predicted to do: coercions are warnings.
    Default,
    /// The documented contract to the letter: coercions, nulls and unknown
    /// fields are errors (what the JSON Schema accepts).
    Strict,
}

/// What else counts as a failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Deny {
    /// Exit 1 on warnings too.
    Warnings,
}

/// Parses a request kind by its name; the names come from `RequestKind::ALL`.
fn kind_parser() -> impl clap::builder::TypedValueParser<Value = RequestKind> {
    use clap::builder::TypedValueParser as _;
    clap::builder::PossibleValuesParser::new(RequestKind::ALL.map(RequestKind::name))
        .map(|name| RequestKind::from_name(&name).unwrap_or(RequestKind::Event))
}

#[derive(Debug, Args)]
pub struct LintArgs {
    /// Files or directories to lint (directories recursively, honouring
    /// .gitignore); `-` or nothing reads standard input.
    ///
    /// By extension: .json (one payload, or an array of payloads),
    /// .ndjson/.jsonl (one per line), .har (requests to /service/... paths),
    /// .urls (one GET URL per line), and .txt when named explicitly.
    pub paths: Vec<PathBuf>,

    /// The output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    pub format: OutputFormat,

    /// A tracking plan (YAML or JSON) to check every event and identify
    /// against too [default: the config's `plan`].
    #[arg(long, value_name = "FILE")]
    pub plan: Option<PathBuf>,

    /// The rule profile [default: default, or the config's].
    #[arg(long, value_enum)]
    pub profile: Option<ProfileArg>,

    /// Lint every body as this kind (otherwise the URL path, then the shape, decide).
    #[arg(long, value_parser = kind_parser())]
    pub kind: Option<RequestKind>,

    /// The "now" that eventTime is judged against: RFC 3339 or Unix
    /// milliseconds [default: the clock, or the config's].
    #[arg(long, value_name = "TIME")]
    pub now: Option<String>,

    /// Fail (exit 1) on warnings too.
    #[arg(long, value_enum)]
    pub deny: Option<Deny>,

    /// A TOML file of settings and rule severities [default: indicative.toml
    /// in the working directory or above].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Set a rule's severity: CODE=off|info|warning|error (repeatable).
    #[arg(long = "rule", value_name = "CODE=SEVERITY")]
    pub rules: Vec<String>,

    /// The largest request read, in bytes; a longer NDJSON or URL line, or
    /// JSON array item, is reported and skipped without being held in
    /// memory; a HAR entry (its response included) is read up to 1 GiB, or
    /// this if larger [default: 67108864].
    #[arg(long, value_name = "BYTES")]
    pub max_body_bytes: Option<usize>,

    /// Also show what the API is predicted to store for each accepted request.
    #[arg(long)]
    pub normalized: bool,

    /// Which documents `--format json` lists: `all` (the default, so that
    /// the report accounts for every request) or `findings` (for large
    /// inputs: the summary still counts every document). The other formats
    /// show only documents with findings.
    #[arg(long, value_enum, default_value_t = Documents::All)]
    pub documents: Documents,

    /// Show at most N findings of each rule (0: every one); the rest are
    /// counted and listed per rule at the end, and the summary and exit
    /// code count every finding. Each rule keeps its first findings, so
    /// that one noisy rule hides no other [default: 250 for sarif, which
    /// also stops at GitHub code scanning's 25,000 results per run; for
    /// github, none per rule but ten of each kind (error, warning, notice),
    /// as a step shows, chosen a rule at a time; none for human; json lists
    /// every finding of the documents it lists].
    #[arg(long, value_name = "N")]
    pub max_per_rule: Option<usize>,

    /// Never show a progress bar.
    #[arg(long)]
    pub no_progress: bool,

    /// How many threads lint at once (reading and writing have a thread
    /// each besides) [default: RAYON_NUM_THREADS, or one per core].
    #[arg(long, short = 'j', value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,
}

/// `indicative serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The address to listen on (port 0 picks a free port; the address
    /// bound is printed). Beyond loopback, --admin-token is required.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:9595")]
    pub listen: std::net::SocketAddr,

    /// A tracking plan: its findings join each capture record (and its
    /// verdict), never the status answered [default: the config's `plan`].
    #[arg(long, value_name = "FILE")]
    pub plan: Option<PathBuf>,

    /// The rule profile [default: default, or the config's].
    #[arg(long, value_enum)]
    pub profile: Option<ProfileArg>,

    /// A fixed "now" for eventTime: RFC 3339 or Unix milliseconds
    /// [default: the clock at each request, or the config's].
    #[arg(long, value_name = "TIME")]
    pub now: Option<String>,

    /// A TOML file of settings and rule severities [default: indicative.toml
    /// in the working directory or above].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Set a rule's severity: CODE=off|info|warning|error (repeatable).
    #[arg(long = "rule", value_name = "CODE=SEVERITY")]
    pub rules: Vec<String>,

    /// Bodies over this many bytes are answered 413.
    #[arg(long, value_name = "BYTES", default_value_t = indicative_server::DEFAULT_MAX_BODY_BYTES)]
    pub max_body_bytes: usize,

    /// Keep the capture in this SQLite database too (created if absent):
    /// each request is committed before it is answered, and a restart on
    /// the same file reads the newest requests back.
    #[arg(long, value_name = "PATH")]
    pub db: Option<PathBuf>,

    /// The most events held in memory (for the admin API); past it the
    /// oldest requests are dropped from memory (and counted; a database
    /// keeps them).
    #[arg(long, value_name = "N", default_value_t = indicative_server::DEFAULT_MAX_EVENTS as u64,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub max_events: u64,

    /// The most bytes (bodies, targets, headers) held in memory; past it
    /// the oldest requests are dropped from memory (and counted).
    #[arg(long, value_name = "BYTES", default_value_t = indicative_server::DEFAULT_MAX_CAPTURE_BYTES)]
    pub max_capture_bytes: usize,

    /// Emulate the rate limit: answer 429 past N events per second (a batch
    /// counts its events). Off by default; the reference states the limit
    /// (250) but not the status answered past it.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub rate_limit: Option<u64>,

    /// Accept only these API keys (repeatable); any other is
    /// `invalid-api-key` (400).
    #[arg(long = "api-key", value_name = "KEY")]
    pub api_keys: Vec<String>,

    /// Keep API keys in full in the capture (masked by default).
    #[arg(long)]
    pub keep_keys: bool,

    /// Relay accepted requests to this API (such as https://api.indicative.com),
    /// from a durable outbox: needs --db, and --api-key (keys are masked at
    /// rest; the relay restores the listed ones) unless --keep-keys.
    #[arg(long, value_name = "URL")]
    pub upstream: Option<String>,

    /// Relay at most N events per second (retries included).
    #[arg(long, value_name = "N", default_value_t = 250.0)]
    pub upstream_rate: f64,

    /// How long one relay attempt may take, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 10.0)]
    pub upstream_timeout: f64,

    /// Require `Authorization: Bearer TOKEN` on the admin API (/_contract/;
    /// the capture page's own files and the rules' pages load without it,
    /// and the page asks for it).
    #[arg(long, value_name = "TOKEN", env = "INDICATIVE_ADMIN_TOKEN", hide_env_values = true)]
    pub admin_token: Option<String>,
}

/// `indicative capture ...`.
#[derive(Debug, Subcommand)]
pub enum CaptureCommand {
    /// Print a running server's bad and warned requests as `lint` prints
    /// findings, with lint's exit codes: 0 clean, 1 errors (or warnings
    /// with --deny warnings), 2 when the capture cannot be read or a
    /// request could not be checked (a body over the server's limit).
    Report {
        /// The server's address, such as http://127.0.0.1:9595.
        url: String,

        /// The output format.
        #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
        format: OutputFormat,

        /// Fail (exit 1) on warnings too.
        #[arg(long, value_enum)]
        deny: Option<Deny>,

        /// At most N findings of each rule in the output (0: no limit)
        /// [default: 0 for human and json, the platform's limit for sarif and github].
        #[arg(long, value_name = "N")]
        max_per_rule: Option<usize>,

        /// The server's --admin-token.
        #[arg(long, value_name = "TOKEN", env = "INDICATIVE_ADMIN_TOKEN", hide_env_values = true)]
        admin_token: Option<String>,
    },
}

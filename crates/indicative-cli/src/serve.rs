//! `indicative serve`: the contract server, started from the command line.

use std::io::{self, Write};
use std::process::ExitCode;

use crate::args::{Documents, LintArgs, OutputFormat, ServeArgs};

/// Resolves the settings as `lint` does, then serves until interrupted.
pub fn run(args: ServeArgs) -> io::Result<ExitCode> {
    let lint = LintArgs {
        paths: Vec::new(),
        format: OutputFormat::Human,
        plan: args.plan.clone(),
        profile: args.profile,
        kind: None,
        now: args.now.clone(),
        deny: None,
        config: args.config.clone(),
        rules: args.rules.clone(),
        max_body_bytes: Some(args.max_body_bytes),
        normalized: false,
        documents: Documents::All,
        max_per_rule: None,
        no_progress: true,
        jobs: None,
    };
    let fail = |message: String| -> io::Result<ExitCode> {
        writeln!(io::stderr(), "indicative serve: {message}")?;
        Ok(ExitCode::from(2))
    };
    let mut settings = match crate::config::resolve(&lint) {
        Ok(settings) => settings,
        Err(message) => return fail(message),
    };
    let mut planned = None;
    if let Some(path) = &settings.plan {
        match indicative_plan::Plan::load(path) {
            Ok(plan) => {
                let checker = indicative_plan::PlanChecker::new(&plan).shared();
                settings.options = settings.options.clone().with_checker(checker);
                planned = Some(plan.events.keys().cloned().collect());
            }
            Err(errors) => return fail(format!("the tracking plan has errors:\n{errors}")),
        }
    }
    if !args.listen.ip().is_loopback() && args.admin_token.is_none() {
        return fail(format!(
            "{} is reachable beyond this machine: give --admin-token (or INDICATIVE_ADMIN_TOKEN) so that only you read the capture",
            args.listen
        ));
    }
    let mut config = indicative_server::Config::new(settings.options);
    config.live_now = !settings.now_fixed;
    config.max_body_bytes = args.max_body_bytes;
    config.max_events = usize::try_from(args.max_events).unwrap_or(usize::MAX);
    config.max_capture_bytes = args.max_capture_bytes;
    config.keep_keys = args.keep_keys;
    config.rate_limit = args.rate_limit;
    config.api_keys = (!args.api_keys.is_empty()).then(|| args.api_keys.iter().cloned().collect());
    config.admin_token = args.admin_token;
    config.planned_events = planned;
    if let Some(url) = &args.upstream {
        if args.db.is_none() {
            return fail("--upstream needs --db: the relay's outbox must survive a restart".into());
        }
        if args.api_keys.is_empty() && !args.keep_keys {
            return fail(
                "--upstream needs --api-key KEY for each key to relay (keys are masked at rest, and the relay restores the listed ones), or --keep-keys".into(),
            );
        }
        if !(args.upstream_rate.is_finite() && args.upstream_rate > 0.0) {
            return fail(format!(
                "--upstream-rate must be a positive number of events per second, not {}",
                args.upstream_rate
            ));
        }
        if !(args.upstream_timeout.is_finite() && args.upstream_timeout > 0.0) {
            return fail(format!(
                "--upstream-timeout must be a positive number of seconds, not {}",
                args.upstream_timeout
            ));
        }
        if !(url.starts_with("https://") || url.starts_with("http://")) {
            return fail(format!("--upstream must be an http:// or https:// URL, not {url:?}"));
        }
        let mut upstream = indicative_server::relay::Upstream::new(url);
        upstream.rate = args.upstream_rate;
        upstream.timeout = std::time::Duration::from_secs_f64(args.upstream_timeout);
        config.upstream = Some(upstream);
    }

    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async move {
        let app = match &args.db {
            Some(path) => match indicative_server::App::with_database(config, path) {
                Ok(app) => app,
                Err(message) => return fail(message),
            },
            None => indicative_server::App::new(config),
        };
        if let Err(message) = app.start_relay() {
            return fail(message);
        }
        let listener = match tokio::net::TcpListener::bind(args.listen).await {
            Ok(listener) => listener,
            Err(e) => return fail(format!("cannot listen on {}: {e}", args.listen)),
        };
        let address = listener.local_addr()?;
        // Announced in one write, and a reader that went away (a test that
        // read the address) is no reason to stop serving.
        let _ = write!(
            io::stdout().lock(),
            "indicative serve: listening on http://{address}\nindicative serve: the capture is at http://{address}/_contract/ (events, summary, verify, wait, export)\n"
        );
        let _ = io::stdout().flush();
        // Stops on Ctrl-C; where no handler can be set, runs until killed.
        let shutdown = async {
            if tokio::signal::ctrl_c().await.is_err() {
                std::future::pending::<()>().await;
            }
        };
        indicative_server::serve(listener, app, shutdown).await?;
        Ok(ExitCode::SUCCESS)
    })
}

//! `Linter::verdict` stops reading once the status is decided; it must
//! always equal the status of the full report.

use indicative_contract::{LintOptions, Linter, Profile, RequestInfo, RequestKind, lint_body};
use indicative_tests::*;
use proptest::prelude::*;

fn agree(body: &[u8]) -> Result<(), TestCaseError> {
    for profile in [Profile::Default, Profile::Strict] {
        let options = LintOptions::new(1_700_006_400_000).with_profile(profile);
        let mut linter = Linter::new(options.clone());
        let mut infos: Vec<RequestInfo> = RequestKind::ALL.into_iter().map(RequestInfo::of_kind).collect();
        infos.push(RequestInfo::default());
        infos.push(RequestInfo::http("POST", "/service/alias/KEY", Some("application/json")));
        infos.push(RequestInfo::http("POST", "/service/event", Some("text/plain")));
        infos.push(RequestInfo::http("PUT", "/service/nope", None));
        for info in &infos {
            let full = lint_body(body, info, &options).status;
            prop_assert_eq!(
                linter.verdict(body, info),
                full,
                "{:?} {:?}\n{}",
                profile,
                info,
                String::from_utf8_lossy(body)
            );
        }
    }
    Ok(())
}

proptest! {
    #[test]
    fn events(b in object(EVENT.0, EVENT.1)) { agree(b.as_bytes())?; }

    #[test]
    fn batches(b in object(BATCH.0, BATCH.1)) { agree(b.as_bytes())?; }

    #[test]
    fn identifies(b in object(IDENTIFY.0, IDENTIFY.1)) { agree(b.as_bytes())?; }

    #[test]
    fn aliases(b in object(ALIAS.0, ALIAS.1)) { agree(b.as_bytes())?; }

    #[test]
    fn truncated_bodies(b in object(EVENT.0, EVENT.1), cut in any::<prop::sample::Index>()) {
        let bytes = b.as_bytes();
        agree(&bytes[..cut.index(bytes.len() + 1)])?;
    }
}

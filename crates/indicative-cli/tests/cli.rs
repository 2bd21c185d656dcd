//! End-to-end tests of the `indicative` binary.

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;

/// 2023-11-15T00:00:00Z: a fixed "now" keeps the output reproducible.
const NOW: &str = "2023-11-15T00:00:00Z";
/// The key the samples use; it must never be printed whole.
const SAMPLE_KEY: &str = "3f2a9c7e-5b1d-4e8a-9f6c-2d7b8e1a4c90";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("repository root")
}

fn indicative() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_indicative"));
    cmd.current_dir(root()).env("NO_COLOR", "1").env_remove("CLICOLOR_FORCE");
    cmd
}

fn run(args: &[&str]) -> Output {
    indicative().args(args).output().expect("the binary runs")
}

fn lint(args: &[&str]) -> Output {
    let mut all = vec!["lint", "--now", NOW];
    all.extend_from_slice(args);
    run(&all)
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("UTF-8 output")
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("UTF-8 output")
}

fn code(output: &Output) -> i32 {
    output.status.code().expect("an exit code")
}

/// The JSON report of a lint of one file.
fn lint_json(file: &Path) -> serde_json::Value {
    let output = indicative().args(["lint", "--now", NOW, "--format", "json"]).arg(file).output().expect("runs");
    serde_json::from_slice(&output.stdout).expect("JSON")
}

fn temp_dir() -> tempfile::TempDir {
    tempfile::tempdir().expect("a temporary directory")
}

mod formats {
    use super::*;

    #[test]
    fn human_over_the_samples() {
        let output = lint(&["examples/payloads"]);
        assert_eq!(code(&output), 1, "{}", stderr(&output));
        insta::assert_snapshot!(stdout(&output));
    }

    #[test]
    fn json_over_the_samples() {
        let output = lint(&["examples/payloads", "--format", "json", "--normalized"]);
        let value: serde_json::Value = serde_json::from_slice(&output.stdout).expect("the output is one JSON document");
        assert_eq!(value["summary"]["documents"], value["documents"].as_array().map_or(0, Vec::len));
        insta::assert_json_snapshot!(value);
    }

    #[test]
    fn github_over_the_samples() {
        let output = lint(&["examples/payloads", "--format", "github"]);
        insta::assert_snapshot!(stdout(&output));
    }

    /// Past the ten errors a step shows, files that could not be read are
    /// still each in the log, and the notice and the log count them.
    #[test]
    fn github_counts_unreadable_files_past_ten() {
        let dir = temp_dir();
        let missing: Vec<String> = (0..13).map(|i| format!("{}/gone-{i}.ndjson", dir.path().display())).collect();
        let mut args: Vec<&str> = vec!["--format", "github"];
        args.extend(missing.iter().map(String::as_str));
        let output = lint(&args);
        assert_eq!(code(&output), 2);
        let out = stdout(&output);
        assert_eq!(
            out.lines().filter(|l| l.starts_with("::error") && l.contains("title=unreadable")).count(),
            13,
            "{out}"
        );
        assert!(
            out.contains("::notice title=indicative::10 of the 13 files that could not be read were annotated"),
            "{out}"
        );
        assert!(out.contains("\nindicative: unreadable files: 13, 10 annotated\n"), "{out}");
    }

    /// Offline: the output reads into serde-sarif's model, which is generated
    /// from the official SARIF 2.1.0 schema, and writes back unchanged (so no
    /// field is unknown to the schema and none has a wrong type).
    /// `scripts/check-sarif.sh` (run by CI) also validates it against the
    /// official schema itself, which needs npm.
    #[test]
    fn sarif_over_the_samples_is_valid_sarif_2_1_0() {
        let output = lint(&["examples/payloads", "--format", "sarif"]);
        let log: serde_json::Value = serde_json::from_slice(&output.stdout).expect("SARIF is JSON");
        let typed: serde_sarif::sarif::Sarif =
            serde_json::from_value(log.clone()).unwrap_or_else(|e| panic!("not SARIF 2.1.0: {e}"));
        let back = serde_json::to_value(&typed).expect("serde-sarif writes JSON");
        assert_eq!(back, log, "SARIF 2.1.0 has no place for some of the output");
        let results = log["runs"][0]["results"].as_array().expect("results");
        assert!(results.iter().any(|r| r["ruleId"] == "too-long" && r["level"] == "error"));
        let rules = log["runs"][0]["tool"]["driver"]["rules"].as_array().expect("rules");
        assert_eq!(rules.len(), indicative_rule_count());
        insta::assert_json_snapshot!(log);
    }

    /// What serde-sarif's round trip must catch: a field SARIF does not have,
    /// and a value of the wrong type.
    #[test]
    fn the_sarif_check_catches_stray_fields_and_types() {
        let output = lint(&["examples/payloads/bad/too-long.json", "--format", "sarif"]);
        let log: serde_json::Value = serde_json::from_slice(&output.stdout).expect("SARIF is JSON");
        let round_trips = |log: &serde_json::Value| {
            serde_json::from_value::<serde_sarif::sarif::Sarif>(log.clone())
                .is_ok_and(|typed| serde_json::to_value(&typed).ok().as_ref() == Some(log))
        };
        assert!(round_trips(&log));
        let mut stray = log.clone();
        stray["runs"][0]["results"][0]["severity"] = "high".into();
        assert!(!round_trips(&stray), "an unknown field must fail");
        let mut wrong = log.clone();
        wrong["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = "one".into();
        assert!(!round_trips(&wrong), "a string line must fail");
    }

    fn indicative_rule_count() -> usize {
        stdout(&run(&["rules"])).lines().count() - 1
    }

    #[test]
    fn keys_never_appear_whole_in_any_format() {
        for format in ["human", "json", "sarif", "github"] {
            // Every finding shown (github's default shows ten of each kind), and the default.
            let every = lint(&["examples/payloads", "--format", format, "--normalized", "--max-per-rule", "0"]);
            let default = lint(&["examples/payloads", "--format", format, "--normalized"]);
            for output in [&every, &default] {
                let text = format!("{}{}", stdout(output), stderr(output));
                for key in [SAMPLE_KEY, "0000-staging-project", "0000-other-project"] {
                    assert!(!text.contains(key), "{format} shows {key}");
                }
            }
            let text = stdout(&every);
            assert!(text.contains("3f2a"), "{format} shows no masked key at all");
        }
    }

    /// Keys written as a reader decodes them: an escaped member name, a
    /// percent-encoded parameter name, a key after a path that is not the
    /// API's (each source line shown by the human format).
    #[test]
    fn keys_written_any_way_never_appear_whole() {
        let dir = temp_dir();
        let key = "SECRETKEY123456789";
        let ndjson = dir.path().join("k.ndjson");
        std::fs::write(
            &ndjson,
            format!(
                "{{\"api\\u004bey\":\"{key}\",\"eventName\":\"\",\"eventUniqueId\":\"u\"}}\n\
                 {{\"apikey\":\"{key}\",\"eventName\":\"\",\"eventUniqueId\":\"u\"}}\n\
                 {{\"apiKy\":\"{key}\",\"eventName\":\"\",\"eventUniqueId\":\"u\"}}\n\
                 {{\"apiKey\":{{\"k\":\"{key}\"}},\"eventName\":\"\",\"eventUniqueId\":\"u\"}}\n\
                 {{\"eventName\":\"Say \"hi\",\"apiKey\":\"{key}\"}}\n\
                 {{\"apiKey\":\"{key}\",\"eventName\":\"\",\"eventUniqueId\":\"u\",\"properties\":{{\"k\":\"copy {key}\"}}}}\n\
                 {{\"apiKey\":\"{key}\",\"eventName\":\"E\",\"eventUniqueId\":\"u\",\"properties\":{{\"copy {key}\":\"{key}\"}}}}\n"
            ),
        )
        .expect("write");
        let urls = dir.path().join("k.urls");
        std::fs::write(
            &urls,
            format!(
                "/service/event?api%4Bey={key}&eventName=&eventUniqueId=u\n/service/event/batch/{key}?eventName=E\napiKey={key}&eventName=&eventUniqueId=u\n\
                 /service/{key}/event?eventName=E\n/service/event?api_key={key}&eventName=&eventUniqueId=u\n/service/event?apiKye={key}&eventName=&eventUniqueId=u\n\
                 /service/event?apiKey%3D{key}&eventName=E&eventUniqueId=u\n"
            ),
        )
        .expect("write");
        // A key on a line below its name.
        let json = dir.path().join("k.json");
        std::fs::write(&json, "{\n \"apiKey\":\n   1234567890123,\n \"eventName\":\"\",\"eventUniqueId\":\"u\"}")
            .expect("write");
        let human = stdout(&lint(&[json.to_str().unwrap_or_default()]));
        assert!(human.contains("1234*********") && !human.contains("1234567890123"), "{human}");
        for format in ["human", "json", "sarif", "github"] {
            let files = [ndjson.to_str().unwrap_or_default(), urls.to_str().unwrap_or_default()];
            let output = lint(&[files[0], files[1], "--format", format, "--normalized", "--max-per-rule", "0"]);
            let text = format!("{}{}", stdout(&output), stderr(&output));
            assert!(!text.contains(key), "{format}: {text}");
            // A copy of the key (in a value, a name) is hidden as the key
            // is, in the source lines and the stored form these two show.
            if matches!(format, "human" | "json") {
                assert!(text.contains("copy SECR"), "{format}: {text}");
            }
            assert_eq!(code(&output), 1, "{format}: {text}");
        }
        let human = stdout(&lint(&[ndjson.to_str().unwrap_or_default(), urls.to_str().unwrap_or_default()]));
        for shown in ["\"SECR**************\"", "api%4Bey=SECR**************&", " apiKey=SECR**************&"] {
            assert!(human.contains(shown), "{shown} in {human}");
        }
        // A literal given as a key is no secret: its copies stay as written.
        std::fs::write(&json, r#"{"apiKey":false,"eventName":"","eventUniqueId":"u","properties":{"gift":"false"}}"#)
            .expect("write");
        let human = stdout(&lint(&[json.to_str().unwrap_or_default()]));
        assert!(human.contains(r#""gift":"false""#), "{human}");
        // A key copied into another field shows in the finding's message
        // (a value quoted): hidden there too, in every format. So is a key
        // of a HAR entry's URL copied into its body, and a key of a GET
        // written with an escape whose copy is written plain.
        let copies = dir.path().join("copies.ndjson");
        std::fs::write(
            &copies,
            "{\"apiKey\":\"SWAPSECRET-1234\",\"eventName\":\"x\",\"eventUniqueId\":\"u\",\"eventTime\":\"SWAPSECRET-1234\"}\n\
             {\"apiKey\":\"SWAPSECRET-1234\",\"previousId\":\"SWAPSECRET-1234\",\"newId\":\"SWAPSECRET-1234\"}\n",
        )
        .expect("write");
        let get = dir.path().join("copies.urls");
        std::fs::write(&get, "/service/event?apiKey=SWAP%53ECRET-1234&eventName=E&eventUniqueId=+SWAPSECRET-1234\n")
            .expect("write");
        let har = dir.path().join("copies.har");
        let body = r#"{\"eventName\":\"\",\"eventUniqueId\":\"SWAPSECRET-1234\"}"#;
        let entry = format!(
            r#"{{"request":{{"method":"POST","url":"https://api.indicative.com/service/event/SWAPSECRET-1234","headers":[{{"name":"Content-Type","value":"application/json"}}],"postData":{{"mimeType":"application/json","text":"{body}"}}}},"response":{{"status":200}}}}"#
        );
        std::fs::write(&har, format!(r#"{{"log":{{"version":"1.2","entries":[{entry}]}}}}"#)).expect("write");
        for format in ["human", "json", "sarif", "github"] {
            let files = [copies.to_str(), get.to_str(), har.to_str()].map(Option::unwrap_or_default);
            let output = lint(&[files[0], files[1], files[2], "--format", format]);
            let text = format!("{}{}", stdout(&output), stderr(&output));
            assert!(!text.contains("SECRET-1234"), "{format}: {text}");
            assert!(text.contains("SWAP…"), "{format}: the messages still say where: {text}");
        }
        // A key given as an array is hidden, and what follows it on its
        // line is shown (its hidden closing quote was read again as an open
        // string, which hid the rest of the line); a key after a colon
        // left out is hidden too.
        let lines = dir.path().join("structured.ndjson");
        std::fs::write(
            &lines,
            "{\"apiKey\": [\"ARRSECRET-1234\"], \"eventName\": \"\", \"eventUniqueId\":\"u\"}\n{\"apiKey\" \"NOCOLON-1234\", \"eventName\":\"x\"}\n",
        )
        .expect("write");
        let human = stdout(&lint(&[lines.to_str().unwrap_or_default()]));
        assert!(human.contains(r#"***, "eventName": "", "eventUniqueId":"u"}"#), "{human}");
        assert!(!human.contains("SECRET-1234") && !human.contains("NOCOLON-1234"), "{human}");
        // From an outside review: a line that is not all UTF-8; the tenth
        // key of a batch copied elsewhere; a copy written with an escape;
        // a key longer than a message quotes.
        let long_key = format!("LONGSECRET-{}", "x".repeat(70));
        let batch: Vec<String> = (0..12)
            .map(|i| format!(r#"{{"apiKey":"ITEMSECRET-{i:02}","eventName":"e","eventUniqueId":"u"}}"#))
            .collect();
        std::fs::write(
            &lines,
            [
                b"{\"apiKey\":\"UTF8SECRET-1234\",\"eventName\":\"E\xff\",\"eventUniqueId\":\"\"}\n".to_vec(),
                format!(
                    "{{\"apiKey\":\"K\",\"events\":[{}],\"note\":\"ITEMSECRET-11\",\"eventTime\":\"ITEMSECRET-11\"}}\n",
                    batch.join(",")
                )
                .into_bytes(),
                br#"{"apiKey":"ESCSECRET-1234","eventName":"x","eventUniqueId":"u","eventTime":"\u0045SCSECRET-1234"}"#
                    .to_vec(),
                b"\n".to_vec(),
                format!(r#"{{"apiKey":"{long_key}","eventName":"x","eventUniqueId":"u","eventTime":"{long_key}"}}"#)
                    .into_bytes(),
                b"\n".to_vec(),
            ]
            .concat(),
        )
        .expect("write");
        // From a second review: a key sent as a member's name (in the
        // pointer), a numeric key copied unquoted into a message, a copy
        // past the start of a quoted value, two keys that overlap.
        let more = dir.path().join("more.ndjson");
        std::fs::write(
            &more,
            "{\"apiKey\":\"NAMESECRET-1234\",\"eventName\":\"e\",\"eventUniqueId\":\"u\",\"NAMESECRET-1234\":1}\n\
             {\"apiKey\":\"1700000000123\",\"eventName\":\"e\",\"eventUniqueId\":\"u\",\"eventTime\":1700000000123.5}\n\
             {\"apiKey\":\"MIDSECRET-1234-5678-90ab\",\"eventName\":\"copied from the settings page, the key MIDSECRET-1234-5678-90ab \",\"eventUniqueId\":\"u\"}\n\
             {\"apiKey\":\"K\",\"events\":[{\"apiKey\":\"ABCDEFGH-1234\"},{\"apiKey\":\"1234-OVERSECRET\"}],\"eventUniqueId\":\"ABCDEFGH-1234-OVERSECRET \"}\n",
        )
        .expect("write");
        for format in ["json", "github", "sarif", "human"] {
            let output = lint(&[more.to_str().unwrap_or_default(), "--format", format]);
            let text = String::from_utf8_lossy(&output.stdout);
            for secret in ["NAMESECRET", "1700000000123", "MIDSECRET-1234-5678", "OVERSECRET"] {
                assert!(!text.contains(secret), "{format}: {secret} in {text}");
            }
        }
        for format in ["human", "json"] {
            let output = lint(&[lines.to_str().unwrap_or_default(), "--format", format]);
            let text = String::from_utf8_lossy(&output.stdout);
            for secret in ["SECRET-1234", "SECRET-11", "ESCSECRET", "LONGSECRET-xxx", "xxxxxxxx"] {
                assert!(!text.contains(secret), "{format}: {secret} in {text}");
            }
        }
        // A key written with an escape, or starting with a bracket, is a
        // string: its copies, written alike, are hidden too.
        for key in [r"SECR\/ET-9f8e7d", "[SECRET-9f8e7d"] {
            let body =
                format!(r#"{{"apiKey":"{key}","eventName":"","eventUniqueId":"u","properties":{{"c":"{key}"}}}}"#);
            std::fs::write(&json, body).expect("write");
            let human = stdout(&lint(&[json.to_str().unwrap_or_default()]));
            assert!(!human.contains(key) && human.contains(&key[..4]), "{key}: {human}");
        }
    }

    #[test]
    fn colour_only_when_asked() {
        let output =
            indicative().args(["lint", "--now", NOW, "examples/payloads/bad/too-long.json"]).output().expect("runs");
        assert!(!stdout(&output).contains('\u{1b}'), "no colour when stdout is not a terminal");
        let forced = indicative()
            .env_remove("NO_COLOR")
            .env("CLICOLOR_FORCE", "1")
            .args(["lint", "--now", NOW, "examples/payloads/bad/too-long.json"])
            .output()
            .expect("runs");
        assert!(stdout(&forced).contains("\u{1b}["), "colour when forced");
        // With colour on, escapes pass: a member named with one must not
        // reach the terminal through the pointer shown.
        let dir = temp_dir();
        let file = dir.path().join("esc.json");
        std::fs::write(&file, r#"{"apiKey":"K","eventName":"a","eventUniqueId":"u","\u001b[2Jx":1}"#).expect("write");
        for format in ["human", "github"] {
            let forced = indicative()
                .env_remove("NO_COLOR")
                .env("CLICOLOR_FORCE", "1")
                .args(["lint", "--now", NOW, "--format", format])
                .arg(&file)
                .output()
                .expect("runs");
            let text = stdout(&forced);
            assert!(!text.contains("\u{1b}[2J") && text.contains(r"at /\u{1b}[2Jx)"), "{format}: {text:?}");
        }
    }
}

mod behaviour {
    use super::*;

    #[test]
    fn exit_codes() {
        assert_eq!(code(&lint(&["examples/payloads/good"])), 0);
        assert_eq!(code(&lint(&["examples/payloads/bad/too-long.json"])), 1);
        // Warnings pass unless denied.
        assert_eq!(code(&lint(&["examples/payloads/bad/whitespace-name.json"])), 0);
        assert_eq!(code(&lint(&["examples/payloads/bad/whitespace-name.json", "--deny", "warnings"])), 1);
        // Usage errors.
        assert_eq!(code(&run(&["lint", "--format", "xml"])), 2);
        assert_eq!(code(&run(&["lint", "--now", "yesterday", "examples/payloads/good"])), 2);
        assert_eq!(code(&run(&["lint", "--rule", "too-lon=off", "examples/payloads/good"])), 2);
    }

    #[test]
    fn an_unreadable_file_is_reported_and_the_rest_still_linted() {
        let output = lint(&["no/such/file.json", "examples/payloads/bad/too-long.json"]);
        assert_eq!(code(&output), 2);
        assert!(stderr(&output).contains("no/such/file.json"), "{}", stderr(&output));
        assert!(stdout(&output).contains("error[too-long]"));
    }

    #[test]
    fn profiles_kinds_and_rule_overrides() {
        let file = "examples/payloads/bad/coerced-to-string.json";
        assert_eq!(code(&lint(&[file])), 0);
        let strict = lint(&[file, "--profile", "strict"]);
        assert_eq!(code(&strict), 1);
        assert!(stdout(&strict).contains("error[coerced-to-string]"));
        let quiet = lint(&[file, "--rule", "coerced-to-string=off"]);
        assert!(!stdout(&quiet).contains("coerced-to-string"));
        let as_alias = lint(&[file, "--kind", "alias", "--format", "json"]);
        let value: serde_json::Value = serde_json::from_slice(&as_alias.stdout).expect("JSON");
        assert_eq!(value["documents"][0]["kind"], "alias");
        assert_eq!(value["documents"][0]["status"], 422);
    }

    #[test]
    fn config_file_found_upwards_and_flags_win() {
        let dir = temp_dir();
        std::fs::write(
            dir.path().join("indicative.toml"),
            "profile = \"strict\"\nnow = 1700006400000\n[rules]\nunknown-field = \"off\"\n",
        )
        .expect("write");
        let nested = dir.path().join("a/b");
        std::fs::create_dir_all(&nested).expect("mkdir");
        std::fs::write(nested.join("e.json"), r#"{"apiKey":"K","eventName":1,"eventUniqueId":"u","extra":true}"#)
            .expect("write");
        let output =
            indicative().current_dir(&nested).args(["lint", "e.json", "--format", "json"]).output().expect("runs");
        let value: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
        let codes: Vec<&str> = value["documents"][0]["diagnostics"]
            .as_array()
            .expect("list")
            .iter()
            .filter_map(|d| d["code"].as_str())
            .collect();
        assert_eq!(codes, ["coerced-to-string"], "strict from the config, unknown-field off");
        assert_eq!(value["documents"][0]["diagnostics"][0]["severity"], "error");
        let flag =
            indicative().current_dir(&nested).args(["lint", "e.json", "--profile", "default"]).output().expect("runs");
        assert_eq!(code(&flag), 0, "the flag wins over the config");
        std::fs::write(dir.path().join("indicative.toml"), "profil = \"strict\"\n").expect("write");
        let bad = indicative().current_dir(&nested).args(["lint", "e.json"]).output().expect("runs");
        assert_eq!(code(&bad), 2);
        assert!(stderr(&bad).contains("indicative.toml") && stderr(&bad).contains("profil"), "{}", stderr(&bad));
    }

    #[test]
    fn directories_honour_gitignore() {
        let dir = temp_dir();
        std::fs::write(dir.path().join(".gitignore"), "ignored/\n").expect("write");
        std::fs::create_dir_all(dir.path().join("ignored")).expect("mkdir");
        std::fs::write(dir.path().join("ignored/bad.json"), "{").expect("write");
        std::fs::write(dir.path().join("ok.json"), r#"{"apiKey":"K","uniqueId":"u","properties":{"a":"b"}}"#)
            .expect("write");
        std::fs::write(dir.path().join("notes.txt"), "not a URL list").expect("write");
        let output = indicative().args(["lint", "--now", NOW]).arg(dir.path()).output().expect("runs");
        assert_eq!(code(&output), 0, "{}", stdout(&output));
        assert!(stdout(&output).starts_with("1 file, 1 request"), "{}", stdout(&output));
        // A linked file is followed (once: a link to a file the walk finds
        // anyway is not linted again); a folder with nothing to lint (its
        // files hidden or ignored) is an error, not a green run.
        #[cfg(unix)]
        {
            let elsewhere = temp_dir();
            std::fs::write(
                elsewhere.path().join("other.json"),
                r#"{"apiKey":"K","uniqueId":"v","properties":{"a":"b"}}"#,
            )
            .expect("write");
            std::fs::create_dir_all(dir.path().join("linked")).expect("mkdir");
            std::os::unix::fs::symlink(elsewhere.path().join("other.json"), dir.path().join("linked/other.json"))
                .expect("link");
            std::os::unix::fs::symlink(dir.path().join("ok.json"), dir.path().join("linked/again.json")).expect("link");
            let output = indicative().args(["lint", "--now", NOW]).arg(dir.path()).output().expect("runs");
            assert!(stdout(&output).starts_with("2 files, 2 requests"), "{}", stdout(&output));
            // A broken link is a file that cannot be read, under its own
            // name and counted as when it is named (a link named `.txt`
            // would not be linted anyway).
            let broken = temp_dir();
            std::fs::write(broken.path().join("a.ndjson"), r#"{"apiKey":"K","uniqueId":"v"}"#).expect("write");
            std::os::unix::fs::symlink("nowhere", broken.path().join("gone.ndjson")).expect("link");
            std::os::unix::fs::symlink("nowhere", broken.path().join("gone.txt")).expect("link");
            let walked = lint_json(broken.path());
            let named = lint_json(&broken.path().join("gone.ndjson"));
            assert_eq!(walked["summary"]["files"], 2, "{walked}");
            assert_eq!(walked["summary"]["unreadable_files"], 1, "{walked}");
            assert_eq!(named["summary"]["unreadable_files"], 1, "{named}");
            assert_eq!(walked["errors"][0]["file"], named["errors"][0]["file"], "{walked} {named}");
        }
        let quiet = dir.path().join("quiet");
        std::fs::create_dir_all(quiet.join(".recorded")).expect("mkdir");
        std::fs::write(quiet.join(".recorded/e.json"), "{").expect("write");
        let output = indicative().args(["lint", "--now", NOW]).arg(&quiet).output().expect("runs");
        assert_eq!(code(&output), 2, "{}", stdout(&output));
        assert!(stderr(&output).contains("no file to lint in this folder"), "{}", stderr(&output));
    }

    /// A byte order mark at a file's start is read past in every form,
    /// plain, compressed or on standard input, and line 1's columns count
    /// from after it, as editors show them.
    #[test]
    fn a_byte_order_mark_is_read_past() {
        let dir = temp_dir();
        let bom = "\u{feff}";
        let event = r#"{"apiKey":"K","eventName":"","eventUniqueId":"u"}"#;
        let files = [
            ("e.ndjson", format!("{bom}{event}\n{event}\n")),
            ("e.json", format!("{bom}{event}")),
            ("a.json", format!("{bom}[{event}]")),
            ("e.har", format!("{bom}{{\"log\":{{\"entries\":[]}}}}")),
            ("e.urls", format!("{bom}/service/event?apiKey=K&eventName=&eventUniqueId=u\n")),
        ];
        for (name, text) in &files {
            std::fs::write(dir.path().join(name), text).expect("write");
            let output = indicative()
                .args(["lint", "--now", NOW, "--format", "json"])
                .arg(dir.path().join(name))
                .output()
                .expect("runs");
            let value: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
            assert_eq!(value["summary"]["unreadable_files"], 0, "{name}: {value}");
            assert!(
                value["summary"]["documents"].as_u64()
                    == Some(if *name == "e.har" {
                        0
                    } else if *name == "e.ndjson" {
                        2
                    } else {
                        1
                    }),
                "{name}: {value}"
            );
            let codes: Vec<&str> = value["documents"]
                .as_array()
                .expect("documents")
                .iter()
                .flat_map(|d| d["diagnostics"].as_array().into_iter().flatten())
                .filter_map(|d| d["code"].as_str())
                .collect();
            assert!(codes.iter().all(|c| *c == "empty-field"), "{name}: {codes:?}");
        }
        let output =
            indicative().args(["lint", "--now", NOW, "-"]).write_stdin(files[0].1.clone()).output().expect("runs");
        assert!(stdout(&output).contains("<stdin>:1:27"), "{}", stdout(&output));
        assert!(stdout(&output).contains("<stdin>:2:27"), "{}", stdout(&output));
    }

    /// A finding far into a long line shows the part of the line around
    /// it, its caret in place and its text as written (a path-like value
    /// is not read as a URL and masked).
    #[test]
    fn a_long_line_shows_the_part_around_a_finding() {
        let dir = temp_dir();
        let file = dir.path().join("long.ndjson");
        let filler: Vec<String> = (0..100).map(|i| format!(r#""p{i}":"{}""#, "é".repeat(20))).collect();
        let line = format!(
            r#"{{"apiKey":"abcdefghijkl","eventName":"E","eventUniqueId":"u","properties":{{{},"page":"/pricing/plans","n":5}}}}"#,
            filler.join(",")
        );
        std::fs::write(&file, &line).expect("write");
        let text = stdout(&lint(&[file.to_str().expect("UTF-8")]));
        let column = line[..line.find(r#""n":5"#).expect("n") + 4].chars().count() + 1;
        assert!(text.contains(&format!("long.ndjson:1:{column}")), "{text}");
        let lines: Vec<&str> = text.lines().collect();
        let shown = lines.iter().position(|l| l.contains(r#""page":"/pricing/plans""#)).expect("the part shown");
        assert!(lines[shown].starts_with("1 | …"), "{text}");
        let caret = lines[shown + 1].chars().position(|c| c == '^').expect("a caret");
        assert_eq!(lines[shown].chars().nth(caret), Some('5'), "{text}");
    }

    /// A file named twice, or in a folder also given, is linted once; so
    /// is standard input.
    #[test]
    fn each_file_is_linted_once() {
        let dir = temp_dir();
        let file = dir.path().join("a.ndjson");
        std::fs::write(&file, r#"{"apiKey":"K","eventName":"","eventUniqueId":"u"}"#).expect("write");
        let (folder, named) = (dir.path().to_str().expect("UTF-8"), file.to_str().expect("UTF-8"));
        let again =
            format!("{folder}/../{}/a.ndjson", dir.path().file_name().and_then(|n| n.to_str()).expect("a name"));
        let output = lint(&[named, folder, &again, "--format", "json"]);
        let value: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
        assert_eq!(
            (&value["summary"]["files"], &value["summary"]["errors"]),
            (&serde_json::json!(1), &serde_json::json!(1))
        );
        let output = indicative()
            .args(["lint", "--now", NOW, "--format", "json", "-", "-"])
            .write_stdin(r#"{"apiKey":"K","eventName":"a","eventUniqueId":"u"}"#)
            .output()
            .expect("runs");
        let value: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
        assert_eq!((code(&output), &value["summary"]["documents"]), (0, &serde_json::json!(1)), "{value}");
    }

    /// Where a JSON array's structure breaks, the rest is an error at its
    /// place, even when it would read as JSON on its own.
    #[test]
    fn a_broken_array_is_an_error_where_it_breaks() {
        let dir = temp_dir();
        let good = r#"{"apiKey":"K","eventName":"a","eventUniqueId":"u"}"#;
        for (text, place, says) in [
            (format!("[{good}]\n{good}\n"), (2, 1), "is not an item of it"),
            (format!("[{good}]]"), (1, good.len() as u64 + 3), "is not an item of it"),
            (format!("[{good}, {good}"), (1, 2 * good.len() as u64 + 4), "no closing `]`"),
            // A doubled comma is one missing item: the items after it are read.
            (format!("[{good},\n ,{good}, {good}]"), (2, 2), "expected value"),
        ] {
            let file = dir.path().join("a.json");
            std::fs::write(&file, &text).expect("write");
            let value = lint_json(&file);
            let errors: Vec<&serde_json::Value> = value["documents"]
                .as_array()
                .expect("documents")
                .iter()
                .flat_map(|d| d["diagnostics"].as_array().into_iter().flatten())
                .filter(|d| d["code"] == "invalid-json")
                .collect();
            assert_eq!(errors.len(), 1, "{text}: {value}");
            assert_eq!(
                (errors[0]["line"].as_u64(), errors[0]["column"].as_u64()),
                (Some(place.0), Some(place.1)),
                "{text}"
            );
            assert!(errors[0]["message"].as_str().is_some_and(|m| m.contains(says)), "{text}: {value}");
            if text.contains(",\n ,") {
                // Three items and the missing one.
                assert_eq!(value["summary"]["documents"].as_u64(), Some(4), "{text}");
            }
        }
    }

    /// A reader that stops early (`| head`): no message, and not a
    /// success, since the lint did not finish.
    #[test]
    fn a_closed_output_is_not_a_success() {
        let dir = temp_dir();
        let file = dir.path().join("bad.ndjson");
        let line = r#"{"apiKey":"K","eventName":"","eventUniqueId":"u"}"#;
        std::fs::write(&file, format!("{line}\n").repeat(20_000)).expect("write");
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_indicative"))
            .args(["lint", "--now", NOW])
            .arg(&file)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("runs");
        let mut first = String::new();
        std::io::BufRead::read_line(&mut std::io::BufReader::new(child.stdout.take().expect("stdout")), &mut first)
            .expect("reads");
        assert!(first.starts_with("error[empty-field]"), "{first}");
        // The reader is dropped: the rest of the output has nowhere to go.
        let output = child.wait_with_output().expect("ends");
        assert_eq!(output.status.code(), Some(141));
        assert!(output.stderr.is_empty(), "{}", String::from_utf8_lossy(&output.stderr));
    }

    #[test]
    fn stdin_in_every_format() {
        let one = r#"{"apiKey":"K","eventName":"","eventUniqueId":"u"}"#;
        let output = indicative().args(["lint", "--now", NOW, "-"]).write_stdin(one).output().expect("runs");
        assert_eq!(code(&output), 1);
        assert!(stdout(&output).contains("<stdin>:1:"), "{}", stdout(&output));
        let ndjson = format!("{one}\n{one}\n");
        let output =
            indicative().args(["lint", "--now", NOW, "--format", "json"]).write_stdin(ndjson).output().expect("runs");
        let value: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
        assert_eq!(value["summary"]["documents"], 2);
        assert_eq!(value["documents"][1]["line"], 2);
        // A broken line is one document of three, as in a file; and the
        // first line is read whole, past the first 4 KiB, to tell NDJSON.
        let long = format!(r#"{{"apiKey":"K","eventName":"{}","eventUniqueId":"u"}}"#, "x".repeat(8000));
        for ndjson in [format!("{one}\n{one}\nnot json\n"), format!("{long}\nnot json\n{one}\n")] {
            let output = indicative()
                .args(["lint", "--now", NOW, "--format", "json"])
                .write_stdin(ndjson)
                .output()
                .expect("runs");
            let value: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
            assert_eq!(value["summary"]["documents"], 3, "{value}");
            let lines: Vec<_> = value["documents"].as_array().expect("documents").iter().map(|d| &d["line"]).collect();
            assert_eq!(lines, [1, 2, 3], "{value}");
        }
        let har = std::fs::read(root().join("examples/payloads/bad/http-requests.har")).expect("sample");
        let output =
            indicative().args(["lint", "--now", NOW, "--format", "json"]).write_stdin(har).output().expect("runs");
        let value: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
        assert_eq!(value["summary"]["documents"], 4, "{value}");
        // A browser's HAR: pages first, its entries far past the first 4 KiB.
        let pages = format!(r#"[{{"id": "page_1", "title": "{}"}}]"#, "x".repeat(8000));
        let har = format!(
            r#"{{"log": {{"version": "1.2", "pages": {pages}, "entries": [{{"request": {{"method": "GET", "url": "/service/event?apiKey=K&eventName=E&eventUniqueId=u"}}}}]}}}}"#
        );
        let output =
            indicative().args(["lint", "--now", NOW, "--format", "json"]).write_stdin(har).output().expect("runs");
        let value: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
        assert_eq!((code(&output), &value["summary"]["documents"]), (0, &serde_json::json!(1)), "{value}");
        let urls = "/service/event?apiKey=K&eventName=E&eventUniqueId=u\n";
        let output = indicative().args(["lint", "--now", NOW]).write_stdin(urls).output().expect("runs");
        assert_eq!(code(&output), 0, "{}", stdout(&output));
    }

    /// `bytes` gzip-compressed, or zstd-compressed with the checksum the
    /// `zstd` tool writes.
    fn compress(bytes: &[u8], zstd: bool) -> Vec<u8> {
        use std::io::Write as _;
        if zstd {
            let mut encoder = zstd::stream::write::Encoder::new(Vec::new(), 3).expect("zstd");
            encoder.include_checksum(true).expect("zstd");
            encoder.write_all(bytes).expect("zstd");
            encoder.finish().expect("zstd")
        } else {
            let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
            encoder.write_all(bytes).expect("gzip");
            encoder.finish().expect("gzip")
        }
    }

    /// A document's line, status, and its codes with their lines and columns.
    type Verdict = (u64, u64, Vec<(String, u64, u64)>);

    /// The documents of a JSON report, without their file names: (line,
    /// status, codes with their lines and columns).
    fn verdicts(report: &serde_json::Value) -> Vec<Verdict> {
        report["documents"]
            .as_array()
            .expect("documents")
            .iter()
            .map(|d| {
                let codes = d["diagnostics"].as_array().map_or_else(Vec::new, |l| {
                    l.iter()
                        .map(|x| {
                            let n = |k: &str| x[k].as_u64().unwrap_or(0);
                            (x["code"].as_str().unwrap_or_default().to_owned(), n("line"), n("column"))
                        })
                        .collect()
                });
                (d["line"].as_u64().unwrap_or(0), d["status"].as_u64().unwrap_or(0), codes)
            })
            .collect()
    }

    #[test]
    fn compressed_inputs_read_as_the_plain_ones() {
        let dir = temp_dir();
        let samples = root().join("examples/payloads");
        let plain_files = [
            samples.join("good/events.ndjson"),
            samples.join("bad/http-requests.har"),
            samples.join("good/reference-get.urls"),
            samples.join("bad/invalid-query-encoding.urls"),
        ];
        // An array, across read blocks, with findings near its end.
        let array = dir.path().join("array.json");
        let events: Vec<String> = (0..60_000)
            .map(|i| {
                format!(
                    r#"{{"apiKey":"K","eventName":"{}","eventUniqueId":"u{i}"}}"#,
                    if i % 997 == 0 { "" } else { "E" }
                )
            })
            .collect();
        std::fs::write(&array, format!("[\n{}\n]", events.join(",\n"))).expect("write");
        for plain in plain_files.iter().chain([&array]) {
            let expected = lint_json(plain);
            let name = plain.file_name().and_then(|n| n.to_str()).expect("a name");
            let bytes = std::fs::read(plain).expect("read");
            for (zstd, extension) in [(false, "gz"), (true, "zst")] {
                let packed = compress(&bytes, zstd);
                // By its name, and by its content (a name that says nothing).
                for file in [
                    dir.path().join(format!("{name}.{extension}")),
                    dir.path().join(format!("blob-{name}-{extension}")),
                ] {
                    std::fs::write(&file, &packed).expect("write");
                    let report = lint_json(&file);
                    assert_eq!(verdicts(&report), verdicts(&expected), "{}", file.display());
                    assert_eq!(report["summary"], expected["summary"], "{}", file.display());
                }
                // And on standard input.
                let output = indicative()
                    .args(["lint", "--now", NOW, "--format", "json", "-"])
                    .write_stdin(packed)
                    .output()
                    .expect("runs");
                let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
                assert_eq!(verdicts(&report), verdicts(&expected), "{name}.{extension} on standard input");
            }
        }
    }

    #[test]
    fn a_truncated_archive_is_unreadable_after_what_it_held() {
        let dir = temp_dir();
        let text: String = (0..200_000)
            .map(|i| format!(r#"{{"apiKey":"K","eventName":"E","eventUniqueId":"u{i}"}}"#) + "\n")
            .collect();
        for (zstd, extension) in [(false, "gz"), (true, "zst")] {
            let packed = compress(text.as_bytes(), zstd);
            let file = dir.path().join(format!("cut.ndjson.{extension}"));
            std::fs::write(&file, &packed[..packed.len() * 3 / 4]).expect("write");
            let output =
                indicative().args(["lint", "--now", NOW, "--format", "json"]).arg(&file).output().expect("runs");
            assert_eq!(code(&output), 2, "{extension}: {}", stderr(&output));
            let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
            let linted = report["summary"]["documents"].as_u64().unwrap_or(0);
            assert!(linted > 50_000 && linted < 200_000, "{extension}: {linted} documents before the fault");
            let message = report["errors"][0]["message"].as_str().unwrap_or_default();
            assert!(message.contains(&format!("after {linted} documents")), "{extension}: {message}");
            // Plain garbage under a compressed name.
            let garbage = dir.path().join(format!("garbage.ndjson.{extension}"));
            std::fs::write(&garbage, b"not compressed at all").expect("write");
            let output = indicative().args(["lint", "--now", NOW]).arg(&garbage).output().expect("runs");
            assert_eq!(code(&output), 2);
            assert!(stderr(&output).contains("garbage.ndjson"), "{}", stderr(&output));
        }
    }

    /// A HAR entry: a POST of an event named `name` to the API, or a GET of
    /// a script elsewhere.
    fn har_entry(i: usize, name: &str) -> String {
        if i % 3 == 2 {
            return format!(
                r#"{{"request": {{"method": "GET", "url": "https://cdn.example.com/{i}.js", "headers": []}}}}"#
            );
        }
        let body = format!(r#"{{"apiKey":"K","eventName":"{name}","eventUniqueId":"u{i}"}}"#).replace('"', "\\\"");
        format!(
            r#"{{"request": {{"method": "POST", "url": "https://api.indicative.com/service/event", "headers": [{{"name": "Content-Type", "value": "application/json"}}], "postData": {{"mimeType": "application/json", "text": "{body}"}}}}}}"#
        )
    }

    #[test]
    fn a_har_is_streamed_entry_by_entry() {
        // 60,000 entries (9 MB, three read blocks): a third to another host;
        // an event with no name near the end, and an entry that is not one.
        let dir = temp_dir();
        let n = 60_000;
        // Entry 30,002, to another host, holds a 9 MiB response: it is
        // carried across read blocks and skipped like any other.
        let download = format!(
            r#"{{"request": {{"method": "GET", "url": "https://cdn.example.com/video"}}, "response": {{"content": {{"text": "{}"}}}}}}"#,
            "A".repeat(9 << 20)
        );
        let entries: Vec<String> = (0..n)
            .map(|i| match i {
                1000 => "{\"request\":\n  \"nothing\"}".to_owned(),
                30_002 => download.clone(),
                59_998 => har_entry(i, ""),
                _ => har_entry(i, "E"),
            })
            .collect();
        let head =
            "{\"log\": {\"version\": \"1.2\", \"creator\": {\"name\": \"test\", \"version\": \"1\"},\n\"entries\": [\n";
        let text = format!("{head}{}\n], \"pages\": []}}}}\n", entries.join(",\n"));
        let file = dir.path().join("big.har");
        std::fs::write(&file, &text).expect("write");
        let output = indicative()
            .args(["lint", "--now", NOW, "--format", "json", "--documents", "findings"])
            .arg(&file)
            .output()
            .expect("runs");
        assert_eq!(code(&output), 1, "{}", stderr(&output));
        let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
        // Entries to another host are not documents; the others are
        // numbered as they are kept.
        assert_eq!(report["summary"]["documents"], 40_000, "{}", report["summary"]);
        let found: Vec<(u64, u64, u64, Vec<&str>)> = report["documents"]
            .as_array()
            .expect("documents")
            .iter()
            .map(|d| {
                let n = |k: &str| d[k].as_u64().unwrap_or(u64::MAX);
                (n("index"), n("entry"), n("line"), codes(d))
            })
            .collect();
        // Entry 1000 is on line 1003 of the file, 667 entries kept before
        // it; entry 59,998 is the last kept (59,999 goes elsewhere), on
        // line 60,002 (entry 1000 takes two lines).
        assert_eq!(found, [(667, 1000, 1003, vec!["invalid-json"]), (39_999, 59_998, 60_002, vec!["empty-field"])]);
        // The entry that is not one is shown where it breaks, in the file.
        let broken = &report["documents"][0]["diagnostics"][0];
        assert_eq!((&broken["line"], &broken["column"]), (&serde_json::json!(1004), &serde_json::json!(3)), "{broken}");
        let message = broken["message"].as_str().unwrap_or_default();
        assert_eq!(message, "HAR entry 1000 is not a HAR entry: `request` is a string, not an object");
        assert!(report["errors"].as_array().is_some_and(Vec::is_empty), "{}", report["errors"]);

        // Cut short, it is unreadable after the documents it held, which
        // were linted.
        let cut = dir.path().join("cut.har");
        // (Half way is inside the download.)
        std::fs::write(&cut, &text[..text.len() / 2]).expect("write");
        let output = indicative().args(["lint", "--now", NOW, "--format", "json"]).arg(&cut).output().expect("runs");
        assert_eq!(code(&output), 2, "{}", stderr(&output));
        let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
        let linted = report["summary"]["documents"].as_u64().unwrap_or(0);
        assert_eq!(linted, 20_002, "documents before the end");
        let message = report["errors"][0]["message"].as_str().unwrap_or_default();
        assert!(
            message.starts_with(
                "not a HAR file: the file ends inside entry 30002 of `log.entries`, which starts at line 30006 column 1"
            ),
            "{message}"
        );
        assert!(message.ends_with(&format!("(after {linted} documents, which were linted)")), "{message}");
    }

    #[test]
    fn the_json_report_can_list_only_documents_with_findings() {
        let ndjson = format!("{GOOD}\n{}\n{GOOD}\n", GOOD.replace("\"E\"", "\"\""));
        let report = |extra: &[&str]| {
            let output = indicative()
                .args(["lint", "--now", NOW, "--format", "json"])
                .args(extra)
                .write_stdin(ndjson.clone())
                .output()
                .expect("runs");
            assert_eq!(code(&output), 1);
            serde_json::from_slice::<serde_json::Value>(&output.stdout).expect("JSON")
        };
        let lines = |report: &serde_json::Value| -> Vec<u64> {
            report["documents"].as_array().expect("documents").iter().filter_map(|d| d["line"].as_u64()).collect()
        };
        let all = report(&[]);
        assert_eq!(lines(&all), [1, 2, 3]);
        let findings = report(&["--documents", "findings"]);
        assert_eq!(lines(&findings), [2]);
        // The summary counts every document either way.
        assert_eq!(findings["summary"], all["summary"]);
        assert_eq!(findings["summary"]["documents"], 3);
    }

    #[test]
    fn ndjson_bad_lines_do_not_stop_the_rest() {
        let dir = temp_dir();
        let good = r#"{"apiKey":"K","eventName":"E","eventUniqueId":"u"}"#;
        let long = format!(
            r#"{{"apiKey":"K","eventName":"E","eventUniqueId":"u","properties":{{"p":"{}"}}}}"#,
            "x".repeat(500)
        );
        let file = dir.path().join("mix.ndjson");
        // A line of a form feed is not blank to JSON: linted, and refused.
        std::fs::write(&file, format!("{good}\n{{broken\n\n{long}\n{good}\r\n \t\n\x0c\n")).expect("write");
        let output = indicative()
            .args(["lint", "--now", NOW, "--format", "json", "--max-body-bytes", "200"])
            .arg(&file)
            .output()
            .expect("runs");
        let value: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
        let docs = value["documents"].as_array().expect("documents");
        let summary: Vec<(u64, u64)> =
            docs.iter().map(|d| (d["line"].as_u64().unwrap_or(0), d["status"].as_u64().unwrap_or(0))).collect();
        assert_eq!(summary, [(1, 200), (2, 400), (4, 400), (5, 200), (7, 400)]);
        assert!(docs[2]["diagnostics"][0]["message"].as_str().is_some_and(|m| m.contains("longer than 200 bytes")));
        assert_eq!(docs[3]["index"], 3);
        assert_eq!(docs[4]["diagnostics"][0]["code"], "invalid-json");
    }

    const GOOD: &str = r#"{"apiKey":"K","eventName":"E","eventUniqueId":"u"}"#;

    /// An event with a property of `n` bytes.
    fn event_of(n: usize) -> String {
        format!(r#"{{"apiKey":"K","eventName":"E","eventUniqueId":"u","properties":{{"p":"{}"}}}}"#, "x".repeat(n))
    }

    /// The JSON report of a lint of `file` with a body limit of 8 MiB.
    fn lint_8_mib(file: &Path) -> serde_json::Value {
        let output = indicative()
            .args(["lint", "--now", NOW, "--format", "json", "--max-body-bytes", &(8 << 20).to_string()])
            .arg(file)
            .output()
            .expect("runs");
        serde_json::from_slice(&output.stdout).expect("JSON")
    }

    /// The codes of a reported document's diagnostics.
    fn codes(doc: &serde_json::Value) -> Vec<&str> {
        doc["diagnostics"].as_array().map_or_else(Vec::new, |l| l.iter().filter_map(|x| x["code"].as_str()).collect())
    }

    #[test]
    fn lines_across_read_blocks() {
        // The reader takes 4 MiB blocks: a 9 MiB line over the limit spans
        // three of them and is skipped; a 6 MiB line under it is carried over.
        let dir = temp_dir();
        let file = dir.path().join("blocks.ndjson");
        std::fs::write(&file, format!("{GOOD}\n{}\n{GOOD}\n{}\n{GOOD}", event_of(9 << 20), event_of(6 << 20)))
            .expect("write");
        let value = lint_8_mib(&file);
        let docs = value["documents"].as_array().expect("documents");
        let seen: Vec<(u64, u64, Vec<&str>)> = docs
            .iter()
            .map(|d| (d["line"].as_u64().unwrap_or(0), d["status"].as_u64().unwrap_or(0), codes(d)))
            .collect();
        assert_eq!(
            seen,
            [
                (1, 200, vec![]),
                (2, 400, vec!["invalid-json"]),
                (3, 200, vec![]),
                (4, 200, vec!["payload-over-1mb", "property-value-truncated"]),
                (5, 200, vec![]),
            ]
        );
        // A line past the limit by more than a read block is dropped as it
        // streams past, and the reading goes on after it.
        std::fs::write(&file, format!("{GOOD}\n{}\n{GOOD}", event_of(20 << 20))).expect("write");
        let value = lint_8_mib(&file);
        let seen: Vec<(u64, Vec<&str>)> = value["documents"]
            .as_array()
            .expect("documents")
            .iter()
            .map(|d| (d["line"].as_u64().unwrap_or(0), codes(d)))
            .collect();
        assert_eq!(seen, [(1, vec![]), (2, vec!["invalid-json"]), (3, vec![])]);

        // Such a line that turns out blank is skipped, as a short one is;
        // one blank for more than a read block, then not, is a document.
        let spaces = " ".repeat(20 << 20);
        std::fs::write(&file, format!("{GOOD}\n{spaces}\r\n{spaces}x\n{GOOD}")).expect("write");
        let value = lint_8_mib(&file);
        let seen: Vec<(u64, u64, Vec<&str>)> = value["documents"]
            .as_array()
            .expect("documents")
            .iter()
            .map(|d| (d["line"].as_u64().unwrap_or(0), d["index"].as_u64().unwrap_or(9), codes(d)))
            .collect();
        assert_eq!(seen, [(1, 0, vec![]), (3, 1, vec!["invalid-json"]), (4, 2, vec![])]);
        // In a URL list, a comment of any length is skipped.
        let urls = file.with_extension("urls");
        let url = "/service/event?apiKey=K&eventName=E&eventUniqueId=u";
        std::fs::write(&urls, format!("#{spaces}x\n{url}\n{url}&{}\n", "a".repeat(20 << 20))).expect("write");
        let value = lint_8_mib(&urls);
        let seen: Vec<u64> =
            value["documents"].as_array().expect("documents").iter().map(|d| d["line"].as_u64().unwrap_or(0)).collect();
        assert_eq!(seen, [2, 3]);
        // After white space too; and the spaces and tabs around a URL are
        // not part of it (its column is its first character's).
        std::fs::write(&urls, format!("{spaces}#{spaces}x\n\t{url}&x=1 \r\n  # short\n")).expect("write");
        let value = lint_8_mib(&urls);
        let documents = value["documents"].as_array().expect("documents");
        let seen: Vec<(u64, Vec<&str>)> =
            documents.iter().map(|d| (d["line"].as_u64().unwrap_or(0), codes(d))).collect();
        assert_eq!(seen, [(2, vec!["unknown-field"])]);
        let finding = &documents[0]["diagnostics"][0];
        assert_eq!((finding["line"].as_u64(), finding["column"].as_u64()), (Some(2), Some(2 + url.len() as u64 + 1)));
    }

    /// Every `::error` annotation's line and column, in order.
    fn annotated_places(output: &Output) -> Vec<(usize, usize)> {
        stdout(output)
            .lines()
            .filter(|l| l.starts_with("::error"))
            .map(|l| {
                let field = |key: &str| {
                    l.split([' ', ',']).find_map(|f| f.strip_prefix(key)).and_then(|v| v.parse().ok()).unwrap_or(0)
                };
                (field("line="), field("col="))
            })
            .collect()
    }

    #[test]
    fn large_json_arrays_are_streamed_with_their_places() {
        // A quarter of a million small events, as one minified line and
        // pretty-printed: every 5,000th has an empty name (the last one
        // among them), and all hold non-ASCII text, so columns count
        // characters, far into the line.
        let dir = temp_dir();
        let events = 250_000;
        let event = |i: usize| {
            let name = if i % 5000 == 4999 { String::new() } else { format!("Café {i}") };
            format!("{{\"apiKey\":\"K\",\"eventUniqueId\":\"ü{i}\",\"eventName\":\"{name}\"}}")
        };
        // Where each empty name's value starts: (line, column) in characters.
        let mut minified = String::from("[");
        let mut pretty = String::from("[\n");
        let (mut in_minified, mut in_pretty) = (Vec::new(), Vec::new());
        let mut column = 2;
        for i in 0..events {
            let text = event(i);
            let value = text.find(r#""eventName":"#).expect("a name") + r#""eventName":"#.len();
            if text[value..].starts_with(r#""""#) {
                in_minified.push((1, column + text[..value].chars().count()));
                in_pretty.push((i + 2, 3 + text[..value].chars().count()));
            }
            column += text.chars().count() + 1;
            minified.push_str(&text);
            pretty.push_str("  ");
            pretty.push_str(&text);
            if i + 1 < events {
                minified.push(',');
                pretty.push(',');
            }
            pretty.push('\n');
        }
        minified.push(']');
        pretty.push(']');
        assert_eq!(in_minified.len(), events / 5000);
        assert!(minified.len() > 3 * (4 << 20), "spans read blocks");
        for (name, text, expected) in [("min.json", minified, in_minified), ("pretty.json", pretty, in_pretty)] {
            let file = dir.path().join(name);
            std::fs::write(&file, &text).expect("write");
            let output = indicative()
                .args(["lint", "--now", NOW, "--format", "github", "--max-per-rule", "0"])
                .arg(&file)
                .output()
                .expect("runs");
            assert_eq!(code(&output), 1, "{}", stderr(&output));
            assert_eq!(annotated_places(&output), expected, "{name}");
            assert!(stdout(&output).contains(&format!("indicative: {events} requests in 1 files")), "{name}");
            // Standard input is read the same way.
            let piped = indicative()
                .args(["lint", "--now", NOW, "--format", "github", "--max-per-rule", "0", "-"])
                .write_stdin(text)
                .output()
                .expect("runs");
            assert_eq!(annotated_places(&piped), expected, "{name} on standard input");
        }
    }

    #[test]
    fn arrays_across_read_blocks_and_broken_ones() {
        // As for lines: an item over the limit spans read blocks and is
        // skipped unread; one under it is carried over; where the array's
        // structure breaks, what follows is reported at its place.
        let dir = temp_dir();
        let file = dir.path().join("blocks.json");
        std::fs::write(
            &file,
            format!("[{GOOD},\n{},\n{GOOD}, {}\n,{GOOD} {GOOD},\n1,]", event_of(9 << 20), event_of(6 << 20)),
        )
        .expect("write");
        let value = lint_8_mib(&file);
        let docs = value["documents"].as_array().expect("documents");
        let seen: Vec<(u64, u64, u64, Vec<&str>)> = docs
            .iter()
            .map(|d| {
                let place = &d["diagnostics"][0];
                let at = |key: &str| place[key].as_u64().unwrap_or(0);
                (d["line"].as_u64().unwrap_or(0), at("line"), at("column"), codes(d))
            })
            .collect();
        assert_eq!(
            seen,
            [
                (1, 0, 0, vec![]),
                (2, 2, 1, vec!["invalid-json"]),
                (3, 0, 0, vec![]),
                (3, 3, GOOD.len() as u64 + 3, vec!["payload-over-1mb", "property-value-truncated"]),
                // A missing comma: the two events are read as one, which
                // is not JSON where the second starts.
                (4, 4, GOOD.len() as u64 + 3, vec!["invalid-json"]),
                (5, 5, 1, vec!["not-an-object"]),
                // The trailing comma: no item before the bracket.
                (5, 5, 3, vec!["invalid-json"]),
            ]
        );
    }

    #[test]
    fn large_ndjson_is_linted_in_order() {
        // Three 4 MiB chunks' worth of lines, so that the streaming path runs
        // over chunk boundaries.
        let dir = temp_dir();
        let file = dir.path().join("big.ndjson");
        let mut text = String::new();
        let lines = 160_000;
        for i in 0..lines {
            let name = if i % 1000 == 999 { String::new() } else { format!("Event {i}") };
            text.push_str(&format!("{{\"apiKey\":\"K\",\"eventName\":\"{name}\",\"eventUniqueId\":\"u{i}\"}}\n"));
        }
        assert!(text.len() > 2 * (4 << 20));
        std::fs::write(&file, text).expect("write");
        let output = indicative()
            .args(["lint", "--now", NOW, "--format", "github", "--max-per-rule", "0"])
            .arg(&file)
            .output()
            .expect("runs");
        let errors: Vec<String> =
            stdout(&output).lines().filter(|l| l.starts_with("::error")).map(str::to_owned).collect();
        assert_eq!(errors.len(), lines / 1000);
        for (k, line) in errors.iter().enumerate() {
            assert!(line.contains(&format!("line={},", 1000 * k + 1000)), "{line}");
        }
        // Outputs that do not show clean documents count them instead of
        // collecting them: the counts agree with the JSON output, which lists
        // every document.
        let human = indicative().args(["lint", "--now", NOW]).arg(&file).output().expect("runs");
        assert!(
            stdout(&human).contains(&format!("1 file, {lines} requests: 160 predicted to be rejected (422: 160)")),
            "{}",
            stdout(&human)
        );
        let json = indicative().args(["lint", "--now", NOW, "--format", "json"]).arg(&file).output().expect("runs");
        let report: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON");
        assert_eq!(report["documents"].as_array().map(Vec::len), Some(lines));
        assert_eq!(report["summary"]["documents"], lines);
        assert_eq!(report["summary"]["statuses"]["200"], lines - 160);
        // Any number of lint threads gives the same output, in order.
        for jobs in ["1", "3"] {
            let output = indicative()
                .args(["lint", "--now", NOW, "--format", "github", "--max-per-rule", "0", "--jobs", jobs])
                .arg(&file)
                .output()
                .expect("runs");
            assert_eq!(code(&output), 1);
            let same: Vec<String> =
                stdout(&output).lines().filter(|l| l.starts_with("::error")).map(str::to_owned).collect();
            assert_eq!(same, errors, "--jobs {jobs}");
        }
        let none = indicative().args(["lint", "--jobs", "0"]).arg(&file).output().expect("runs");
        assert_eq!(code(&none), 2);
        assert!(stderr(&none).contains("--jobs"), "{}", stderr(&none));
    }
}

mod commands {
    use super::*;

    #[test]
    fn help() {
        insta::assert_snapshot!("help", stdout(&run(&["--help"])));
        insta::assert_snapshot!("lint_help", stdout(&run(&["lint", "--help"])));
        insta::assert_snapshot!("serve_help", stdout(&run(&["serve", "--help"])));
    }

    #[test]
    fn schema_prints_the_committed_documents() {
        let committed = |name: &str| std::fs::read_to_string(root().join("schemas").join(name)).expect("committed");
        assert_eq!(stdout(&run(&["schema", "batch"])), committed("batch.schema.json"));
        assert_eq!(stdout(&run(&["schema", "event-query"])), committed("event-query.schema.json"));
        assert_eq!(stdout(&run(&["schema", "--openapi"])), committed("openapi.json"));
        assert_eq!(stdout(&run(&["schema"])), committed("openapi.json"));
        assert_eq!(stdout(&run(&["schema", "--openapi-3.0"])), committed("openapi-3.0.json"));
        assert_eq!(stdout(&run(&["schema", "--report"])), committed("report.schema.json"));
        assert_eq!(code(&run(&["schema", "batch", "--openapi"])), 2);
    }

    #[test]
    fn json_output_matches_the_report_schema() {
        let schema: serde_json::Value = serde_json::from_str(&stdout(&run(&["schema", "--report"]))).expect("JSON");
        let validator = jsonschema::validator_for(&schema).expect("compiles");
        for args in [
            &["examples/payloads", "--format", "json"][..],
            &["examples/payloads", "--format", "json", "--normalized"],
            &["no/such.json", "--format", "json"],
        ] {
            let report: serde_json::Value = serde_json::from_slice(&lint(args).stdout).expect("JSON");
            let errors: Vec<String> =
                validator.iter_errors(&report).map(|e| format!("{e} at {}", e.instance_path())).collect();
            assert!(errors.is_empty(), "{args:?}: {errors:?}");
        }
    }

    #[test]
    fn rules_and_explain() {
        insta::assert_snapshot!("rules", stdout(&run(&["rules"])));
        let explained = run(&["explain", "too-long"]);
        assert_eq!(code(&explained), 0);
        insta::assert_snapshot!("explain_too_long", stdout(&explained));
        let unknown = run(&["explain", "too-lng"]);
        assert_eq!(code(&unknown), 2);
        assert!(stderr(&unknown).contains("did you mean \"too-long\""), "{}", stderr(&unknown));
        // Case aside; and no guess when nothing is close.
        let shouted = run(&["lint", "--rule", "WHITESPACE-NAME=off", "examples/payloads/good"]);
        assert!(stderr(&shouted).contains("did you mean \"whitespace-name\""), "{}", stderr(&shouted));
        let bogus = run(&["explain", "bogus-rule"]);
        assert_eq!(code(&bogus), 2);
        assert!(!stderr(&bogus).contains("did you mean"), "{}", stderr(&bogus));
        // A `now` outside the times the API takes.
        for now in ["-5", "253402300800000", "1969-12-31T23:59:59Z"] {
            let output = run(&["lint", &format!("--now={now}"), "examples/payloads/good"]);
            assert_eq!(code(&output), 2, "{now}");
            assert!(stderr(&output).contains("outside the times the API takes"), "{now}: {}", stderr(&output));
        }
    }
}

mod plans {
    use super::*;

    const PLAN: &str = "examples/plans/tracking-plan.yaml";

    /// Every sample under examples/payloads/plan/ named after a plan rule
    /// shows that rule, and only plan rules: the API would accept them all.
    #[test]
    fn lint_with_a_plan_in_every_format() {
        let output = lint(&["--plan", PLAN, "examples/payloads/plan", "--format", "json"]);
        assert_eq!(code(&output), 1, "plan errors fail the run: {}", stderr(&output));
        let value: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
        assert_eq!(value["summary"]["errors"], 0, "no finding of the API's");
        assert_eq!(value["summary"]["rejected"], 0);
        assert!(value["summary"]["plan"]["errors"].as_u64() > Some(0));
        for doc in value["documents"].as_array().expect("documents") {
            let file = doc["file"].as_str().expect("file");
            let codes: Vec<&str> =
                doc["diagnostics"].as_array().expect("list").iter().filter_map(|d| d["code"].as_str()).collect();
            let stem = Path::new(file).file_stem().and_then(|s| s.to_str()).unwrap_or_default();
            if stem == "planned" {
                assert!(codes.is_empty(), "{file}: {codes:?}");
            } else if indicative_contract::Rule::from_code(stem).is_some() {
                assert_eq!(codes, [stem], "{file}");
                assert_eq!(doc["diagnostics"][0]["source"], "plan");
                assert_eq!(doc["diagnostics"][0]["status"], 200);
            }
        }
        insta::assert_json_snapshot!("plan_json", value);
        let human = lint(&["--plan", PLAN, "examples/payloads/plan"]);
        insta::assert_snapshot!("plan_human", stdout(&human));
        let github = lint(&["--plan", PLAN, "examples/payloads/plan", "--format", "github"]);
        assert!(stdout(&github).contains("title=unplanned-event::\"Signup\" is not an event of the plan"));
        let sarif: serde_json::Value =
            serde_json::from_slice(&lint(&["--plan", PLAN, "examples/payloads/plan", "--format", "sarif"]).stdout)
                .expect("SARIF");
        let results = sarif["runs"][0]["results"].as_array().expect("results");
        assert!(results.iter().all(|r| r["properties"]["source"] == "plan"), "{results:?}");
        serde_json::from_value::<serde_sarif::sarif::Sarif>(sarif).expect("SARIF 2.1.0");
    }

    /// The JSON Schema export writes one schema per event and says what of
    /// the plan the schemas do not carry.
    #[test]
    fn the_json_schema_export_says_what_it_leaves_out() {
        let dir = temp_dir();
        let out = dir.path().join("schemas");
        let output = run(&["plan", "export", "--to", "jsonschema", PLAN, "--out", out.to_str().unwrap_or_default()]);
        assert_eq!(code(&output), 0, "{}", stderr(&output));
        assert_eq!(std::fs::read_dir(&out).expect("written").count(), 14);
        let said = stderr(&output);
        for words in [
            "5 user properties",
            "the status `planned` of Newsletter Subscribed",
            "version (2-1-0)",
            "the sunset dates of Order Placed",
            "the groups cart",
        ] {
            assert!(said.contains(words), "{words} in {said}");
        }
        assert!(!said.contains("did not write"), "{said}");
        // A folder that cannot be made is named.
        let blocked = run(&["plan", "export", "--to", "jsonschema", PLAN, "--out", "README.md"]);
        assert_eq!(code(&blocked), 2);
        assert!(stderr(&blocked).contains("README.md: "), "{}", stderr(&blocked));
        // The id its mistakes carry in SARIF is explained.
        assert_eq!(code(&run(&["explain", "plan-file"])), 0);
        // A schema left by an earlier export is not deleted, but said.
        std::fs::write(out.join("old-event.schema.json"), "{}").expect("write");
        let again = run(&["plan", "export", "--to", "jsonschema", PLAN, "--out", out.to_str().unwrap_or_default()]);
        assert_eq!(code(&again), 0, "{}", stderr(&again));
        assert!(
            stderr(&again).contains("did not write, which an import of the folder would read: old-event.schema.json"),
            "{}",
            stderr(&again)
        );
    }

    /// Coverage over a HAR capture and an NDJSON file: every planned event
    /// seen is counted with its properties' fill rates.
    #[test]
    fn coverage_over_a_har_and_ndjson() {
        let args = [
            "plan",
            "coverage",
            "--plan",
            PLAN,
            "examples/payloads/plan/capture.har",
            "examples/payloads/plan/planned.ndjson",
        ];
        let output = run(&[&args[..], &["--format", "json"]].concat());
        assert_eq!(code(&output), 0, "{}", stderr(&output));
        let value: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
        assert_eq!(value["eventsSeen"], 10);
        assert_eq!(value["identifiesSeen"], 2);
        let event = |name: &str| {
            value["events"].as_array().expect("events").iter().find(|e| e["name"] == name).cloned().expect(name)
        };
        assert_eq!(event("Page Viewed")["seen"], 2);
        let referrer = event("Page Viewed")["properties"]
            .as_array()
            .expect("properties")
            .iter()
            .find(|p| p["name"] == "referrer")
            .cloned()
            .expect("referrer");
        assert_eq!(referrer["fillRate"], 0.5);
        assert_eq!(event("Log Out")["seen"], 1, "GET events count");
        assert_eq!(event("Newsletter Subscribed")["seen"], 0);
        assert_eq!(value["unplanned"], serde_json::json!([{"name": "Wishlist Added", "count": 1}]));
        let never: Vec<&str> = value["neverSeen"].as_array().expect("list").iter().filter_map(|v| v.as_str()).collect();
        assert!(
            never.contains(&"Order Refunded") && !never.contains(&"Newsletter Subscribed"),
            "planned events are not expected: {never:?}"
        );
        assert_eq!(code(&run(&[&args[..], &["--fail-on-missing"]].concat())), 1);
        insta::assert_snapshot!("coverage_human", stdout(&run(&args)));
        // A name that could be taken for another (empty, white space at an
        // end) is quoted.
        let odd = temp_dir();
        let file = odd.path().join("odd.ndjson");
        std::fs::write(&file, "{\"apiKey\":\"K\",\"eventName\":\" Spaced\",\"eventUniqueId\":\"u\"}\n").expect("write");
        let shown = stdout(&run(&["plan", "coverage", "--plan", PLAN, file.to_str().unwrap_or_default()]));
        assert!(shown.contains("      1  \" Spaced\"\n"), "{shown}");
        assert!(shown.contains("1 request read, none predicted to be rejected by the API"), "{shown}");
        // Requests the API would reject, and broken ones, are said, not
        // passed over; so are files that could not be read.
        let dir = temp_dir();
        let broken = dir.path().join("r.ndjson");
        std::fs::write(
            &broken,
            "{\"apiKey\":\"abcdefgh\",\"eventName\":\"Log Out\",\"eventUniqueId\":\"\"}\n{\"apiKey\":\"abcdefgh\",\n",
        )
        .expect("write");
        let missing = dir.path().join("missing.ndjson");
        let output = run(&[
            "plan",
            "coverage",
            "--plan",
            PLAN,
            broken.to_str().expect("path"),
            missing.to_str().expect("path"),
            "--format",
            "json",
        ]);
        assert_eq!(code(&output), 2, "a file could not be read");
        let value: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
        assert_eq!((value["requestsRead"].as_u64(), value["requestsRejected"].as_u64()), (Some(2), Some(2)));
        assert_eq!(value["errors"].as_array().map(Vec::len), Some(1), "{value}");
        let human = run(&["plan", "coverage", "--plan", PLAN, broken.to_str().expect("path")]);
        assert!(stdout(&human).contains("2 of the 2 requests read are predicted to be rejected"), "{}", stdout(&human));
    }

    #[test]
    fn rule_overrides_apply_to_plan_rules() {
        let output =
            lint(&["--plan", PLAN, "examples/payloads/plan/unplanned-event.json", "--rule", "unplanned-event=warning"]);
        assert_eq!(code(&output), 0, "a warning does not fail the run");
        assert!(stdout(&output).contains("warning[unplanned-event]"), "{}", stdout(&output));
        let off =
            lint(&["--plan", PLAN, "examples/payloads/plan/unplanned-event.json", "--rule", "unplanned-event=off"]);
        assert!(stdout(&off).contains("tracking plan: 0 errors"), "{}", stdout(&off));
    }

    #[test]
    fn the_config_names_the_plan_relative_to_itself() {
        let dir = temp_dir();
        std::fs::create_dir_all(dir.path().join("plans")).expect("mkdir");
        std::fs::copy(root().join(PLAN), dir.path().join("plans/p.yaml")).expect("copy");
        std::fs::write(dir.path().join("indicative.toml"), "plan = \"plans/p.yaml\"\n").expect("write");
        std::fs::copy(root().join("examples/payloads/plan/property-enum.json"), dir.path().join("e.json"))
            .expect("copy");
        let nested = dir.path().join("sub");
        std::fs::create_dir_all(&nested).expect("mkdir");
        let output =
            indicative().current_dir(&nested).args(["lint", "../e.json", "--now", NOW]).output().expect("runs");
        assert!(stdout(&output).contains("error[property-enum]"), "{}{}", stdout(&output), stderr(&output));
    }

    #[test]
    fn a_broken_plan_stops_the_lint_and_plan_check_shows_where() {
        let dir = temp_dir();
        let plan = dir.path().join("p.yaml");
        std::fs::write(
            &plan,
            "name: P\nversion: 1-0-0\nevents:\n  Sign Up:\n    properties:\n      plan: { type: enum, vales: [a] }\n  sign up: {}\n",
        )
        .expect("write");
        let plan = plan.to_str().expect("UTF-8 path");
        let linted = lint(&["--plan", plan, "examples/payloads/good"]);
        assert_eq!(code(&linted), 2);
        assert!(stderr(&linted).contains("p.yaml:6:27: unknown key `vales`"), "{}", stderr(&linted));
        let checked = run(&["plan", "check", plan]);
        assert_eq!(code(&checked), 1);
        let text = stdout(&checked).replace(plan, "p.yaml");
        insta::assert_snapshot!("plan_check_human", text);
        for format in ["json", "sarif", "github"] {
            let output = run(&["plan", "check", plan, "--format", format]);
            assert_eq!(code(&output), 1, "{format}");
            assert!(stdout(&output).contains("vales"), "{format}: {}", stdout(&output));
        }
        assert_eq!(code(&run(&["plan", "check", PLAN])), 0);
        assert_eq!(code(&run(&["plan", "check", "no/such/plan.yaml"])), 2);
    }

    /// `plan diff --base REV` reads the old plan from git; a revision that
    /// reads as one of git's options is refused, not handed to git.
    #[test]
    fn plan_diff_reads_the_base_from_git_and_refuses_options() {
        let dir = temp_dir();
        let git = |args: &[&str]| {
            let status = std::process::Command::new("git")
                .current_dir(dir.path())
                .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
                .args(args)
                .status()
                .expect("git runs");
            assert!(status.success(), "git {args:?}");
        };
        git(&["init", "-q"]);
        let plan = dir.path().join("tracking-plan.yaml");
        let events = "events:\n  A:\n    properties:\n      p: { type: string }\n";
        std::fs::write(&plan, format!("name: P\nversion: 1-0-0\n{events}")).expect("write");
        git(&["add", "."]);
        git(&["commit", "-q", "-m", "plan"]);
        // A property removed with only an ADDITION bump: a MODEL change.
        std::fs::write(&plan, "name: P\nversion: 1-0-1\nevents:\n  A: {}\n").expect("write");
        let path = plan.to_str().expect("UTF-8 path");
        let diff = run(&["plan", "diff", path, "--base", "HEAD"]);
        assert_eq!(code(&diff), 1, "{}{}", stdout(&diff), stderr(&diff));
        assert!(
            stdout(&diff).contains("1 change; it needs a MODEL bump, the version shows an ADDITION bump: NOT enough"),
            "{}",
            stdout(&diff)
        );
        let written = dir.path().join("x");
        let refused = run(&["plan", "diff", path, &format!("--base=--output={}", written.display())]);
        assert_eq!(code(&refused), 2);
        assert!(stderr(&refused).contains("is not a revision"), "{}", stderr(&refused));
        assert!(
            std::fs::read_dir(dir.path()).expect("dir").all(|e| !e
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .starts_with('x'))
        );
    }
}

mod serve {
    use std::io::{BufRead, BufReader, Read, Write};
    use std::net::TcpStream;
    use std::process::Stdio;

    use super::*;

    /// Sends one HTTP/1.1 request and reads the answer to its end.
    fn send(address: &str, request: &str) -> String {
        let mut stream = TcpStream::connect(address).expect("connects");
        stream.write_all(request.as_bytes()).expect("sends");
        let mut answer = String::new();
        stream.read_to_string(&mut answer).expect("reads");
        answer
    }

    #[test]
    fn serve_answers_captures_and_takes_lint_settings() {
        let (mut child, address) = start(&["--now", NOW, "--rule", "alias-same-id=error"]);
        let body = r#"{"apiKey":"3f2a9c7e-5b1d","previousId":"a","newId":"a"}"#;
        let answer = send(
            &address,
            &format!(
                "POST /service/alias HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            ),
        );
        // The --rule made the warning an error: still accepted (the status is
        // the rule's), but the verdict is bad.
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
        assert!(answer.contains(r#""verdict":"bad""#), "{answer}");
        assert!(answer.contains(r#""code":"alias-same-id""#) && answer.contains(r#""severity":"error""#), "{answer}");
        let summary = send(&address, "GET /_contract/summary HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assert!(summary.contains(r#""requests":1"#), "{summary}");
        assert!(!summary.contains("3f2a9c7e-5b1d"));
        child.kill().expect("stops");
        child.wait().expect("ends");
    }

    #[test]
    fn serve_refuses_to_open_the_capture_beyond_loopback_without_a_token() {
        let output = run(&["serve", "--listen", "0.0.0.0:0"]);
        assert_eq!(code(&output), 2);
        assert!(stderr(&output).contains("--admin-token"), "{}", stderr(&output));
        let output = run(&["serve", "--listen", "127.0.0.1:0", "--rule", "no-such-rule=error"]);
        assert_eq!(code(&output), 2);
        assert!(stderr(&output).contains("no-such-rule"), "{}", stderr(&output));
    }

    fn start(args: &[&str]) -> (std::process::Child, String) {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_indicative"))
            .current_dir(root())
            .args(["serve", "--listen", "127.0.0.1:0"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut line).expect("prints its address");
        let address = line.trim().rsplit("http://").next().expect("an address").to_owned();
        (child, address)
    }

    /// `kill -9` under load: every request answered before the kill is in
    /// the database when the server restarts on it.
    #[test]
    fn a_killed_server_keeps_every_answered_request() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let db = dir.path().join("capture.db");
        let db_arg = db.to_str().expect("a UTF-8 path");
        let (upstream, received) = fake_upstream();
        let relay = ["--db", db_arg, "--upstream", upstream.as_str(), "--api-key", "k", "--upstream-rate", "100000"];
        let (mut child, address) = start(&relay);
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let count = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let senders: Vec<_> = (0..4)
            .map(|client| {
                let (address, stop, count) =
                    (address.clone(), std::sync::Arc::clone(&stop), std::sync::Arc::clone(&count));
                std::thread::spawn(move || {
                    let mut answered = Vec::new();
                    // Bounded: at most 2,000 requests per client.
                    for i in 0..2000 {
                        if stop.load(std::sync::atomic::Ordering::Relaxed) {
                            break;
                        }
                        let body = format!(r#"{{"apiKey":"k","eventName":"C{client}-{i}","eventUniqueId":"u"}}"#);
                        let request = format!(
                            "POST /service/event HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                            body.len()
                        );
                        let Ok(mut stream) = TcpStream::connect(&address) else { break };
                        let mut answer = String::new();
                        if stream.write_all(request.as_bytes()).is_err() || stream.read_to_string(&mut answer).is_err() {
                            break;
                        }
                        let Some(seq) = answer.split(r#""seq":"#).nth(1).and_then(|rest| {
                            rest.split(|c: char| !c.is_ascii_digit()).next().and_then(|n| n.parse::<u64>().ok())
                        }) else {
                            break;
                        };
                        answered.push((seq, format!("C{client}-{i}")));
                        count.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    }
                    answered
                })
            })
            .collect();
        // Let the load run until 300 requests are answered (however slow the
        // machine), then kill the server in the middle of it.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        while count.load(std::sync::atomic::Ordering::Relaxed) < 300 && std::time::Instant::now() < deadline {
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
        child.kill().expect("kill -9");
        child.wait().expect("ends");
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        let answered: Vec<(u64, String)> = senders.into_iter().flat_map(|s| s.join().expect("a sender")).collect();
        assert!(answered.len() >= 300, "only {} requests were answered before the kill", answered.len());
        eprintln!("{} requests were answered before the kill", answered.len());

        let (mut child, address) = start(&relay);
        for (seq, name) in &answered {
            let record = send(
                &address,
                &format!("GET /_contract/events/{seq} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
            );
            assert!(record.starts_with("HTTP/1.1 200"), "request {seq} was answered but is lost: {record}");
            assert!(record.contains(&format!(r#""eventName":"{name}""#)), "{record}");
        }
        // The relay resumed: the upstream gets every answered request at
        // least once; the relay sends one request at a time, so the kill can
        // have doubled at most the one in flight.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        loop {
            let got = received.lock().expect("the fake's record").clone();
            let missing = answered.iter().filter(|(_, name)| !got.contains(name)).count();
            if missing == 0 {
                let mut unique = got.clone();
                unique.sort();
                unique.dedup();
                assert!(got.len() - unique.len() <= 1, "{} duplicates", got.len() - unique.len());
                break;
            }
            assert!(std::time::Instant::now() < deadline, "{missing} answered requests never reached the upstream");
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        child.kill().expect("stops");
        child.wait().expect("ends");
    }

    /// An upstream on loopback that answers 200 to everything and keeps the
    /// event names it received.
    fn fake_upstream() -> (String, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("binds");
        let url = format!("http://{}", listener.local_addr().expect("an address"));
        let received = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let keep = std::sync::Arc::clone(&received);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let keep = std::sync::Arc::clone(&keep);
                std::thread::spawn(move || {
                    let mut reader = BufReader::new(stream);
                    loop {
                        let mut length = 0;
                        let mut line = String::new();
                        if reader.read_line(&mut line).unwrap_or(0) == 0 {
                            return;
                        }
                        loop {
                            let mut header = String::new();
                            if reader.read_line(&mut header).unwrap_or(0) == 0 {
                                return;
                            }
                            if header == "\r\n" {
                                break;
                            }
                            if let Some(value) = header.to_ascii_lowercase().strip_prefix("content-length:") {
                                length = value.trim().parse().unwrap_or(0);
                            }
                        }
                        let mut body = vec![0; length];
                        if reader.read_exact(&mut body).is_err() {
                            return;
                        }
                        let body: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
                        if let Some(name) = body["eventName"].as_str() {
                            keep.lock().expect("the fake's record").push(name.to_owned());
                        }
                        if reader.get_mut().write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n").is_err() {
                            return;
                        }
                    }
                });
            }
        });
        (url, received)
    }

    fn post(address: &str, path: &str, body: &str) -> String {
        send(
            address,
            &format!(
                "POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            ),
        )
    }

    #[test]
    fn capture_report_prints_what_was_sent_with_lint_exit_codes() {
        let (mut child, address) =
            start(&["--now", NOW, "--plan", "examples/plans/tracking-plan.yaml", "--max-body-bytes", "400"]);
        let url = format!("http://{address}");
        let report = |args: &[&str]| {
            let mut all = vec!["capture", "report", url.as_str()];
            all.extend_from_slice(args);
            run(&all)
        };
        // Nothing captured: clean.
        assert_eq!(code(&report(&[])), 0);
        post(&address, "/service/alias", r#"{"apiKey":"3f2a9c7e-5b1d","previousId":"a","newId":"b"}"#);
        assert_eq!(code(&report(&[])), 0);
        // A plan warning: accepted by the API; exit 1 only with --deny warnings.
        post(
            &address,
            "/service/event",
            r#"{"apiKey":"3f2a9c7e-5b1d","eventName":"Log In","eventUniqueId":"u","properties":{"method":"email","colour":"red"}}"#,
        );
        let output = report(&[]);
        assert_eq!(code(&output), 0, "{}", stdout(&output));
        assert!(stdout(&output).contains("unplanned-property"), "{}", stdout(&output));
        assert_eq!(code(&report(&["--deny", "warnings"])), 1);
        // A rejected request: exit 1, in every format, placed in its body.
        post(
            &address,
            "/service/event/batch",
            "{\"apiKey\":\"3f2a9c7e-5b1d\",\"events\":[\n{\"eventName\":\"\",\"eventUniqueId\":\"u\"}]}",
        );
        let output = report(&[]);
        assert_eq!(code(&output), 1);
        assert!(stdout(&output).contains("/_contract/events/3:2:14"), "{}", stdout(&output));
        assert!(!stdout(&output).contains("3f2a9c7e-5b1d"));
        let json: serde_json::Value = serde_json::from_slice(&report(&["--format", "json"]).stdout).expect("JSON");
        assert_eq!(json["documents"].as_array().map(Vec::len), Some(2), "{json}");
        let sarif: serde_json::Value = serde_json::from_slice(&report(&["--format", "sarif"]).stdout).expect("SARIF");
        assert_eq!(sarif["version"], "2.1.0");
        // Annotations too are placed in the body the record's address serves.
        let github = stdout(&report(&["--format", "github"]));
        assert!(github.contains("/_contract/events/3,line=2,col=14,"), "{github}");
        let error = sarif["runs"][0]["results"].as_array().and_then(|r| r.iter().find(|r| r["level"] == "error"));
        let region = &error.expect("an error")["locations"][0]["physicalLocation"]["region"];
        assert_eq!((&region["startLine"], &region["startColumn"]), (&serde_json::json!(2), &serde_json::json!(14)));
        // A body the server did not read: it could not be checked, exit 2.
        post(&address, "/service/event", &format!(r#"{{"apiKey":"k","eventName":"{}"}}"#, "x".repeat(500)));
        let output = report(&[]);
        assert_eq!(code(&output), 2);
        assert!(stderr(&output).contains("answered 413"), "{}", stderr(&output));
        child.kill().expect("stops");
        child.wait().expect("ends");

        // Requests dropped from memory (--max-events): their verdicts are
        // not known, so the report cannot pass (a bad one among them).
        let (mut child, address) = start(&["--now", NOW, "--max-events", "2"]);
        let url = format!("http://{address}");
        post(&address, "/service/event", r#"{"apiKey":"3f2a9c7e-5b1d","eventName":"","eventUniqueId":"u"}"#);
        for _ in 0..2 {
            post(&address, "/service/alias", r#"{"apiKey":"3f2a9c7e-5b1d","previousId":"a","newId":"b"}"#);
        }
        let output = run(&["capture", "report", url.as_str()]);
        assert_eq!(code(&output), 2, "{}", stdout(&output));
        assert!(stderr(&output).contains("1 earlier request was dropped"), "{}", stderr(&output));
        child.kill().expect("stops");
        child.wait().expect("ends");
        // No server: a clear error, exit 2.
        let output = report(&[]);
        assert_eq!(code(&output), 2);
        assert!(
            stderr(&output).contains("Connection refused") || stderr(&output).contains("connect"),
            "{}",
            stderr(&output)
        );
    }
}

mod plan_codegen {
    use super::*;

    /// The code the example crate commits is what `plan codegen rust` prints
    /// today (the example checks that it agrees with `tracking_plan!`).
    #[test]
    fn the_committed_example_code_is_fresh() {
        let output = run(&["plan", "codegen", "rust", "examples/plans/tracking-plan.yaml"]);
        assert_eq!(code(&output), 0, "{}", stderr(&output));
        let committed = std::fs::read_to_string(root().join("examples/plan-rust/src/generated.rs")).expect("committed");
        // The same items, formatted alike: `cargo fmt` formats the committed
        // file in the repository's own style.
        let tokens = |text: &str| prettyplease::unparse(&syn::parse_file(text).expect("Rust"));
        assert!(
            tokens(&stdout(&output)) == tokens(&committed),
            "examples/plan-rust/src/generated.rs is stale: run `indicative plan codegen rust examples/plans/tracking-plan.yaml --out examples/plan-rust/src/generated.rs`"
        );
        // The same plan gives the same text.
        assert_eq!(stdout(&run(&["plan", "codegen", "rust", "examples/plans/tracking-plan.yaml"])), stdout(&output));
    }

    /// Names that make the same identifier: exit 2, naming both.
    #[test]
    fn clashing_names_are_refused_naming_both() {
        let dir = temp_dir();
        let plan = dir.path().join("plan.yaml");
        std::fs::write(&plan, "name: P\nversion: 1-0-0\nevents:\n  Sign Up!: {}\n  Sign Up?: {}\n").expect("written");
        let output = indicative().args(["plan", "codegen", "rust"]).arg(&plan).output().expect("runs");
        assert_eq!(code(&output), 2);
        assert!(stdout(&output).is_empty());
        assert!(
            stderr(&output)
                .contains("event \"Sign Up!\" and event \"Sign Up?\" both become the Rust identifier `SignUp`"),
            "{}",
            stderr(&output)
        );
    }

    /// A plan with mistakes: exit 2 with their places.
    #[test]
    fn an_invalid_plan_is_refused_with_its_places() {
        let dir = temp_dir();
        let plan = dir.path().join("plan.yaml");
        std::fs::write(&plan, "name: P\nversion: 1-0-0\nevents:\n  E:\n    properties:\n      a: { type: integr }\n")
            .expect("written");
        let output = indicative().args(["plan", "codegen", "rust"]).arg(&plan).output().expect("runs");
        assert_eq!(code(&output), 2);
        assert!(stderr(&output).contains("plan.yaml:6:"), "{}", stderr(&output));
    }
}

mod plan_status {
    use super::*;

    const FIXTURE: &str = "crates/indicative-cli/tests/fixtures/status-crate";

    /// The fixture crate instruments three planned events in three ways a
    /// pattern over the text would miss: a derive under another type name,
    /// an aliased re-export built inside `vec![]`, and a struct literal in a
    /// helper of another module; it derives one event the plan does not have.
    #[test]
    fn finds_derives_and_builds_through_aliases_helpers_and_modules() {
        let plan = format!("{FIXTURE}/tracking-plan.yaml");
        let output = run(&["plan", "status", "--plan", &plan, FIXTURE, "--format", "json"]);
        assert_eq!(code(&output), 0, "{}", stderr(&output));
        let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
        let event = |name: &str| {
            report["events"].as_array().expect("events").iter().find(|e| e["name"] == name).expect("planned").clone()
        };
        assert_eq!(event("Log In")["derived"][0]["type"], "Authenticated");
        assert_eq!(event("Log In")["derived"][0]["file"], format!("{FIXTURE}/src/events/mod.rs"));
        assert_eq!(event("Log In")["derived"][0]["line"], 6);
        assert_eq!(event("Sign Up")["built"][0]["line"], 14);
        assert_eq!(event("Order Completed")["built"][0]["file"], format!("{FIXTURE}/src/checkout/mod.rs"));
        assert_eq!(report["missing"], serde_json::json!(["Cart Viewed", "Log Out"]));
        assert_eq!(report["unplanned"][0]["name"], "Log out");
        assert_eq!(report["unplanned"][0]["didYouMean"], "Log Out");
        assert_eq!(report["filesRead"], 3);

        let human = run(&["plan", "status", "--plan", &plan, FIXTURE]);
        let text = stdout(&human);
        assert!(text.contains("--  Cart Viewed (active; type CartViewed)"), "{text}");
        assert!(text.contains("Log out by LoggedOut at"), "{text}");
        assert!(
            text.contains("3 of 7 planned events instrumented; never instrumented (active): Cart Viewed, Log Out"),
            "{text}"
        );
    }

    /// `--fail-on-missing` exits 1 while an active event is never instrumented.
    #[test]
    fn fail_on_missing_exits_1() {
        let plan = format!("{FIXTURE}/tracking-plan.yaml");
        let output = run(&["plan", "status", "--plan", &plan, FIXTURE, "--fail-on-missing"]);
        assert_eq!(code(&output), 1);
        // Every active event instrumented (planned and deprecated ones need not be): exit 0.
        let instrumented = format!("{FIXTURE}/instrumented.yaml");
        let none_missing = run(&["plan", "status", "--plan", &instrumented, FIXTURE, "--fail-on-missing"]);
        assert_eq!(code(&none_missing), 0, "{}", stdout(&none_missing));
    }

    /// A source file that is not Rust is named with its place, and the rest
    /// is still read; a folder that is not there is exit 2.
    #[test]
    fn unreadable_sources_are_named() {
        let dir = temp_dir();
        std::fs::write(dir.path().join("broken.rs"), "fn f( {\n").expect("written");
        std::fs::write(
            dir.path().join("ok.rs"),
            "#[derive(TrackEvent)] #[event(name = \"Log In\")] struct L { #[event(unique_id)] u: String }\n",
        )
        .expect("written");
        let plan = format!("{FIXTURE}/tracking-plan.yaml");
        let output = indicative().args(["plan", "status", "--plan", &plan]).arg(dir.path()).output().expect("runs");
        assert_eq!(code(&output), 0);
        assert!(stderr(&output).contains("broken.rs:1:"), "{}", stderr(&output));
        assert!(stdout(&output).contains("derived by L at"), "{}", stdout(&output));
        let missing = run(&["plan", "status", "--plan", &plan, "no/such/folder"]);
        assert_eq!(code(&missing), 2);
        assert!(stderr(&missing).contains("no/such/folder: not a folder of Rust sources"));
    }
}

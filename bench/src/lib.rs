//! The benchmark corpora, generated from a fixed seed so that every run and
//! every machine measures the same bytes.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// One corpus: its name, its request kind, and its documents.
pub struct Corpus {
    pub name: &'static str,
    pub kind: indicative_contract::RequestKind,
    /// Whether every document is valid under the strict profile.
    pub valid: bool,
    pub documents: Vec<Vec<u8>>,
}

impl Corpus {
    pub fn bytes(&self) -> usize {
        self.documents.iter().map(Vec::len).sum()
    }

    /// How many events the corpus holds (a batch counts its items).
    pub fn events(&self) -> usize {
        match self.kind {
            indicative_contract::RequestKind::Batch => self.documents.len() * 100,
            _ => self.documents.len(),
        }
    }
}

const KEY: &str = "3f2a9c7e-5b1d-4e8a-9f6c-2d7b8e1a4c90";

#[derive(Clone, Copy)]
enum Text {
    Ascii,
    Escaped,
    NonAscii,
}

fn word(rng: &mut ChaCha8Rng, text: Text) -> String {
    const WORDS: [&str; 8] = ["checkout", "premium", "mobile", "search", "banner", "android", "promo", "cart"];
    let w = WORDS[rng.random_range(0..WORDS.len())];
    match text {
        Text::Ascii => format!("{w} {}", rng.random_range(0..100_000)),
        // What serializers that escape everything send.
        Text::Escaped => format!("{w}\\/\\u00e9\\\"{}\\n", rng.random_range(0..100_000)),
        Text::NonAscii => format!("{w} Café 東京 😀 {}", rng.random_range(0..100_000)),
    }
}

fn event(rng: &mut ChaCha8Rng, properties: usize, text: Text, with_key: bool) -> String {
    let props: Vec<String> = (0..properties).map(|i| format!("\"property_{i}\":\"{}\"", word(rng, text))).collect();
    let key = if with_key { format!("\"apiKey\":\"{KEY}\",") } else { String::new() };
    format!(
        "{{{key}\"eventName\":\"{}\",\"eventUniqueId\":\"user-{}\",\"eventTime\":{},\"properties\":{{{}}}}}",
        word(rng, Text::Ascii),
        rng.random_range(0..1_000_000),
        1_700_000_000_000_i64 + rng.random_range(0..86_400_000_i64),
        props.join(",")
    )
}

/// Every corpus of the benchmark, from seed 2026.
pub fn corpora() -> Vec<Corpus> {
    use indicative_contract::RequestKind::{Batch, Event};
    let mut rng = ChaCha8Rng::seed_from_u64(2026);
    let n = 64;
    let mut singles = |name, properties, text| Corpus {
        name,
        kind: Event,
        valid: true,
        documents: (0..n).map(|_| event(&mut rng, properties, text, true).into_bytes()).collect(),
    };
    let mut list = vec![
        singles("event-300B-5-props", 5, Text::Ascii),
        singles("event-1KB-25-props", 25, Text::Ascii),
        singles("event-2KB-60-props", 60, Text::Ascii),
        singles("event-escape-heavy", 25, Text::Escaped),
        singles("event-non-ascii", 25, Text::NonAscii),
    ];
    let mut rng = ChaCha8Rng::seed_from_u64(2027);
    list.push(Corpus {
        name: "batch-of-100",
        kind: Batch,
        valid: true,
        documents: (0..8)
            .map(|_| {
                let events: Vec<String> = (0..100).map(|_| event(&mut rng, 5, Text::Ascii, false)).collect();
                format!("{{\"apiKey\":\"{KEY}\",\"events\":[{}]}}", events.join(",")).into_bytes()
            })
            .collect(),
    });
    let base: Vec<String> = (0..n).map(|_| event(&mut rng, 25, Text::Ascii, true)).collect();
    list.push(Corpus {
        name: "invalid-early-error",
        kind: Event,
        valid: false,
        // The first member breaks a rule: an empty key.
        documents: base
            .iter()
            .map(|e| e.replacen(&format!("\"apiKey\":\"{KEY}\""), "\"apiKey\":\"\"", 1).into_bytes())
            .collect(),
    });
    list.push(Corpus {
        name: "invalid-late-error",
        kind: Event,
        valid: false,
        // The last member breaks a rule: a time before 1970.
        documents: base.iter().map(|e| format!("{},\"eventTime\":-1}}", &e[..e.len() - 1]).into_bytes()).collect(),
    });
    list.push(Corpus {
        name: "invalid-many-errors",
        kind: Event,
        valid: false,
        // Well-formed, with a fault in most members: nested values, a null,
        // numbers, an empty name, a time before 1970, an unknown field.
        documents: (0..n)
            .map(|_| {
                let props: Vec<String> = (0..25)
                    .map(|i| {
                        let value = match i % 5 {
                            0 => format!("{{\"nested\":\"{}\"}}", word(&mut rng, Text::Ascii)),
                            1 => format!("[\"{}\",1]", word(&mut rng, Text::Ascii)),
                            2 => "null".to_owned(),
                            3 => rng.random_range(0..1000).to_string(),
                            _ => format!("\"{}\"", word(&mut rng, Text::Ascii)),
                        };
                        format!("\"property_{i}\":{value}")
                    })
                    .collect();
                format!(
                    "{{\"apiKey\":\"{KEY}\",\"eventName\":\"\",\"eventUniqueId\":42,\"eventTime\":-5,\"automatic\":true,\"properties\":{{{}}}}}",
                    props.join(",")
                )
                .into_bytes()
            })
            .collect(),
    });
    list
}

/// An NDJSON file of events with 1% invalid lines, of about `bytes` bytes.
pub fn ndjson(bytes: usize, seed: u64) -> Vec<u8> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut out = Vec::with_capacity(bytes + 4096);
    let mut line = 0_u64;
    while out.len() < bytes {
        let mut e = event(&mut rng, 8, Text::Ascii, true);
        if line % 100 == 99 {
            e = e.replacen("\"eventName\":\"", "\"eventName\":\"\",\"x\":\"", 1);
        }
        out.extend_from_slice(e.as_bytes());
        out.push(b'\n');
        line += 1;
    }
    out
}

/// The tracking plan of the plan benchmark: `events` events of
/// `properties` properties each, of every type and constraint, as YAML.
pub fn plan(events: usize, properties: usize) -> String {
    let mut out = String::from("name: Benchmark\nversion: 1-0-0\npolicy: deny\nevents:\n");
    for e in 0..events {
        out.push_str(&format!("  event_{e}:\n    properties:\n"));
        for p in 0..properties {
            let spec = match p % 6 {
                // The corpus sends the first eight: those are the required ones.
                0 if p < 8 => "{ type: string, required: true, maxLength: 64 }".to_owned(),
                0 => "{ type: string, maxLength: 64 }".to_owned(),
                1 => "{ type: string, pattern: \"^[a-z]+ [0-9]+$\" }".to_owned(),
                2 => "{ type: enum, values: [free, pro, enterprise, trial] }".to_owned(),
                3 => "{ type: integer, min: 0, max: 1000000 }".to_owned(),
                4 => "{ type: number, min: 0 }".to_owned(),
                _ => "{ type: boolean }".to_owned(),
            };
            out.push_str(&format!("      property_{p}: {spec}\n"));
        }
    }
    out
}

/// An NDJSON file of about `bytes` bytes of events that the plan of
/// [`plan`] (with as many `events`) accepts: each names a planned event and
/// sends its required property and seven more, with planned values.
pub fn planned_ndjson(bytes: usize, events: usize, seed: u64) -> Vec<u8> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut out = Vec::with_capacity(bytes + 4096);
    while out.len() < bytes {
        let props: Vec<String> = (0..8)
            .map(|i| {
                let value = match i % 6 {
                    0 => word(&mut rng, Text::Ascii),
                    1 => format!("{} {}", ["checkout", "premium", "mobile"][rng.random_range(0..3)], rng.random_range(0..100_000)),
                    2 => ["free", "pro", "enterprise", "trial"][rng.random_range(0..4)].to_owned(),
                    3 => rng.random_range(0..1_000_000).to_string(),
                    4 => format!("{}.{:02}", rng.random_range(0..10_000), rng.random_range(0..100)),
                    _ => ["true", "false"][rng.random_range(0..2)].to_owned(),
                };
                format!("\"property_{i}\":\"{value}\"")
            })
            .collect();
        let line = format!(
            "{{\"apiKey\":\"{KEY}\",\"eventName\":\"event_{}\",\"eventUniqueId\":\"user-{}\",\"eventTime\":{},\"properties\":{{{}}}}}\n",
            rng.random_range(0..events),
            rng.random_range(0..1_000_000),
            1_700_000_000_000_i64 + rng.random_range(0..86_400_000_i64),
            props.join(",")
        );
        out.extend_from_slice(line.as_bytes());
    }
    out
}

/// The input-forms benchmark: the same `count` events in every form the
/// CLI reads. With `findings`, every event has one (`eventTime` before 1970,
/// which reads the same in a body and in a GET).
pub struct Forms {
    /// The events as JSON values, in order.
    pub events: Vec<serde_json::Value>,
}

impl Forms {
    /// `count` events of eight ASCII properties, from a fixed seed.
    pub fn new(count: usize, findings: bool) -> Self {
        let mut rng = ChaCha8Rng::seed_from_u64(2028);
        let events = (0..count)
            .map(|_| {
                let mut event: serde_json::Value =
                    serde_json::from_str(&event(&mut rng, 8, Text::Ascii, true)).expect("the generator writes JSON");
                if findings {
                    event["eventTime"] = serde_json::json!(-5);
                }
                event
            })
            .collect();
        Self { events }
    }

    /// One event per line.
    pub fn ndjson(&self) -> Vec<u8> {
        let mut out = Vec::new();
        for event in &self.events {
            serde_json::to_writer(&mut out, event).expect("to memory");
            out.push(b'\n');
        }
        out
    }

    /// A JSON array, pretty-printed (`pretty`, two-space indent) or minified.
    pub fn array(&self, pretty: bool) -> Vec<u8> {
        if pretty {
            serde_json::to_vec_pretty(&self.events).expect("to memory")
        } else {
            serde_json::to_vec(&self.events).expect("to memory")
        }
    }

    /// A GET URL per line: the reference's form, with `propertyNames` and
    /// `propertyValues` pairs.
    pub fn urls(&self) -> Vec<u8> {
        let mut out = Vec::new();
        for event in &self.events {
            let mut query = form_urlencoded::Serializer::new(String::new());
            for field in ["apiKey", "eventName", "eventUniqueId", "eventTime"] {
                match &event[field] {
                    serde_json::Value::String(text) => query.append_pair(field, text),
                    other => query.append_pair(field, &other.to_string()),
                };
            }
            for (name, value) in event["properties"].as_object().into_iter().flatten() {
                query.append_pair("propertyNames", name);
                query.append_pair("propertyValues", value.as_str().unwrap_or_default());
            }
            out.extend_from_slice(b"https://api.indicative.com/service/event?");
            out.extend_from_slice(query.finish().as_bytes());
            out.push(b'\n');
        }
        out
    }

    /// An HTTP Archive of one POST per event, as a browser exports it
    /// (pretty-printed, the body as text).
    pub fn har(&self) -> Vec<u8> {
        let entries: Vec<serde_json::Value> = self
            .events
            .iter()
            .map(|event| {
                serde_json::json!({
                    "startedDateTime": "2026-12-01T00:00:00.000Z",
                    "request": {
                        "method": "POST",
                        "url": "https://api.indicative.com/service/event",
                        "httpVersion": "HTTP/1.1",
                        "headers": [{"name": "Content-Type", "value": "application/json"}],
                        "postData": {"mimeType": "application/json", "text": event.to_string()},
                    },
                    "response": {"status": 200, "statusText": "OK"},
                })
            })
            .collect();
        let har = serde_json::json!({"log": {"version": "1.2", "creator": {"name": "bench", "version": "1"}, "entries": entries}});
        serde_json::to_vec_pretty(&har).expect("to memory")
    }
}

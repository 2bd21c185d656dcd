//! The top-level fields as bits, the fields each request kind has and
//! requires, and the kind a body's fields point to.

use crate::kind::RequestKind;
use crate::lint::reader::KnownKeys;

// The top-level fields, as bits.
pub(super) const API_KEY: u16 = 1 << 0;
pub(super) const EVENT_NAME: u16 = 1 << 1;
pub(super) const EVENT_UNIQUE_ID: u16 = 1 << 2;
pub(super) const PROPERTIES: u16 = 1 << 3;
pub(super) const EVENT_TIME: u16 = 1 << 4;
pub(super) const EVENTS: u16 = 1 << 5;
pub(super) const UNIQUE_ID: u16 = 1 << 6;
pub(super) const PREVIOUS_ID: u16 = 1 << 7;
pub(super) const NEW_ID: u16 = 1 << 8;

pub(super) const FIELDS: [(&str, u16); 9] = [
    ("apiKey", API_KEY),
    ("eventName", EVENT_NAME),
    ("eventUniqueId", EVENT_UNIQUE_ID),
    ("properties", PROPERTIES),
    ("eventTime", EVENT_TIME),
    ("events", EVENTS),
    ("uniqueId", UNIQUE_ID),
    ("previousId", PREVIOUS_ID),
    ("newId", NEW_ID),
];

pub(super) const EVENT_FIELDS: u16 = API_KEY | EVENT_NAME | EVENT_UNIQUE_ID | PROPERTIES | EVENT_TIME;

pub(super) fn field_of(key: &str) -> u16 {
    match key {
        "apiKey" => API_KEY,
        "eventName" => EVENT_NAME,
        "eventUniqueId" => EVENT_UNIQUE_ID,
        "properties" => PROPERTIES,
        "eventTime" => EVENT_TIME,
        "events" => EVENTS,
        "uniqueId" => UNIQUE_ID,
        "previousId" => PREVIOUS_ID,
        "newId" => NEW_ID,
        _ => 0,
    }
}

/// The top-level fields, recognised from their raw bytes.
pub(super) static FIELD_KEYS: KnownKeys = KnownKeys::new(&FIELDS, field_of);

#[inline]
pub(super) fn name_of(bit: u16) -> &'static str {
    FIELDS.iter().find(|&&(_, b)| b == bit).map_or("", |&(name, _)| name)
}

pub(super) fn names_in(bits: u16) -> impl Iterator<Item = &'static str> + Clone {
    FIELDS.iter().filter(move |&&(_, b)| bits & b != 0).map(|&(name, _)| name)
}

#[inline]
pub(super) const fn fields_of(kind: RequestKind) -> u16 {
    match kind {
        RequestKind::Event | RequestKind::EventQuery => EVENT_FIELDS,
        RequestKind::Batch => API_KEY | EVENTS,
        RequestKind::Identify => API_KEY | UNIQUE_ID | PROPERTIES,
        RequestKind::Alias => API_KEY | PREVIOUS_ID | NEW_ID,
        RequestKind::Suppress | RequestKind::Delete => API_KEY | UNIQUE_ID,
    }
}

#[inline]
pub(super) const fn required_of(kind: RequestKind) -> u16 {
    match kind {
        RequestKind::Event | RequestKind::EventQuery => EVENT_NAME | EVENT_UNIQUE_ID,
        RequestKind::Batch => EVENTS,
        RequestKind::Identify | RequestKind::Suppress | RequestKind::Delete => UNIQUE_ID,
        RequestKind::Alias => PREVIOUS_ID | NEW_ID,
    }
}

pub(super) const POST_KINDS: [RequestKind; 6] = [
    RequestKind::Event,
    RequestKind::Batch,
    RequestKind::Identify,
    RequestKind::Alias,
    RequestKind::Suppress,
    RequestKind::Delete,
];

/// The kinds whose fields best explain `present`: each kind scores the
/// fields it has minus the ones it does not; the API key tells nothing.
/// Filled into a stack array (the count is returned): this runs per body,
/// so the answers for every set of fields are worked out at compile time.
#[inline]
pub(super) fn detect(present: u16) -> ([RequestKind; 6], usize) {
    let best = DETECTED[usize::from(present) % DETECTED.len()];
    let mut found = [RequestKind::Event; 6];
    let mut count = 0;
    for (i, kind) in POST_KINDS.into_iter().enumerate() {
        if best & (1 << i) != 0 {
            found[count] = kind;
            count += 1;
        }
    }
    (found, count)
}

/// For every set of the nine top-level fields, which of [`POST_KINDS`]
/// score best (bit i for kind i).
pub(super) static DETECTED: [u8; 1 << FIELDS.len()] = {
    let mut table = [0; 1 << FIELDS.len()];
    let mut present = 0;
    while present < table.len() {
        table[present] = best_kinds(present as u16);
        present += 1;
    }
    table
};

pub(super) const fn best_kinds(present: u16) -> u8 {
    let present = present & !API_KEY;
    let mut best = i32::MIN;
    let mut kinds = 0;
    let mut i = 0;
    while i < POST_KINDS.len() {
        let fields = fields_of(POST_KINDS[i]);
        if present & fields != 0 {
            let score = (present & fields).count_ones() as i32 - (present & !fields).count_ones() as i32;
            if score > best {
                best = score;
                kinds = 1 << i;
            } else if score == best {
                kinds |= 1 << i;
            }
        }
        i += 1;
    }
    kinds
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::reader::{ReadError, Reader};

    #[test]
    fn known_keys_are_read_as_field_of_reads_them() {
        // Each field name, and near misses: a letter's case flipped, cut
        // short, grown at either end, escaped, followed by white space; each
        // after `{` and after `,`, followed by inputs of several lengths
        // (the raw comparison needs 16 bytes) and by a missing colon.
        let mut keys: Vec<String> = vec!["\"\"".into(), "\"a\"".into(), "\"😀😀😀😀😀😀😀\"".into(), "\"\\\"\"".into()];
        for (name, _) in FIELDS {
            keys.push(format!("\"{name}\""));
            keys.push(format!("\"{name}\" "));
            keys.push(format!("\"{name}x\""));
            keys.push(format!("\"x{name}\""));
            keys.push(format!("\"{}\"", &name[..name.len() - 1]));
            keys.push(format!("\"\\u{:04x}{}\"", name.as_bytes()[0], &name[1..]));
            keys.push(format!("\"{}\\n\"", name));
            for i in 0..name.len() {
                let mut bytes = name.as_bytes().to_vec();
                bytes[i] ^= 0x20;
                keys.push(format!("\"{}\"", String::from_utf8(bytes).unwrap()));
            }
        }
        let tails = ["", "}", ":", ":1}", ": 1 }", "1}", ":\"a value long enough to fill the window\"}"];
        for key in &keys {
            for tail in tails {
                for before in ["{", "{\"a\":1,", "{ \"a\" : 1 , "] {
                    let body = format!("{before}{key}{tail}");
                    let read = |known: bool| {
                        let mut r = Reader::new(body.as_bytes())?;
                        let mut first =
                            if known { r.object_first_known(&FIELD_KEYS)? } else { r.object_first()?.map(field_of) };
                        if before != "{" {
                            assert_eq!(first, Some(0), "{body}");
                            r.number()?;
                            first =
                                if known { r.object_next_known(&FIELD_KEYS)? } else { r.object_next()?.map(field_of) };
                        }
                        Ok::<_, ReadError>((first, r.index()))
                    };
                    assert_eq!(read(true), read(false), "{body}");
                }
            }
        }
        // Every name is found, and at the same place.
        for (name, bit) in FIELDS {
            let body = format!("{{\"{name}\":\"a value long enough to fill the window\"}}");
            let mut r = Reader::new(body.as_bytes()).unwrap();
            assert_eq!(r.object_first_known(&FIELD_KEYS).unwrap(), Some(bit));
            assert_eq!(r.index(), name.len() + 4);
        }
    }

    /// The compile-time table gives, for every set of fields, the kinds a
    /// direct scoring finds, in the same order.
    #[test]
    fn detection_table_agrees_with_scoring() {
        for present in 0..1u16 << FIELDS.len() {
            let without_key = present & !API_KEY;
            let score = |kind| {
                let fields = fields_of(kind);
                (without_key & fields).count_ones() as i32 - (without_key & !fields).count_ones() as i32
            };
            let candidates: Vec<RequestKind> =
                POST_KINDS.into_iter().filter(|&k| without_key & fields_of(k) != 0).collect();
            let best = candidates.iter().map(|&k| score(k)).max();
            let expected: Vec<RequestKind> = candidates.into_iter().filter(|&k| Some(score(k)) == best).collect();
            let (found, count) = detect(present);
            assert_eq!(found[..count], expected[..], "{present:#b}");
        }
        // One field of each kind's own, for the record.
        assert_eq!(detect(EVENTS).0[..detect(EVENTS).1], [RequestKind::Batch]);
        assert_eq!(detect(UNIQUE_ID).1, 3);
    }
}

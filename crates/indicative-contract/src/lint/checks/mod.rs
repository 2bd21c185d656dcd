//! Rule families shared by the body engine and the GET query, each a file
//! of functions over a [`Sink`](super::sink::Sink).

pub(crate) mod http;
pub(crate) mod text;
pub(crate) mod time;

/// An excerpt of user text for a message: at most 60 characters of it, quoted.
pub(crate) fn excerpt(text: &str) -> String {
    match text.char_indices().nth(60) {
        Some((at, _)) => format!("{:?}…", &text[..at]),
        None => format!("{text:?}"),
    }
}

//! A plan's `pattern`, held to what means the same in the three engines it
//! meets: Rust's `regex` (the lint), ECMA-262 with the `u` flag (JSON
//! Schema's dialect, as JavaScript validators such as ajv run it) and
//! Python's `re` (Python's `jsonschema`).
//!
//! A pattern is refused where the three disagree on its syntax or its
//! meaning: inline flags, `\A`, `\z`, `\b`, `\B`, POSIX and Unicode classes,
//! `\d`, `\w`, `\s` and their negations (Unicode in Rust and Python, ASCII in
//! ECMA-262: write `[0-9]`), named groups (`(?P<n>` in Python, `(?<n>` in
//! ECMA-262), classes inside classes and class operations, a repetition of
//! a repetition (`a++` is possessive in Python, an error in ECMA-262),
//! a lone `]` or `}`, escapes that are not ECMA-262's (`\#`, `\a`,
//! `\x{41}`); `{,n}` and octal escapes the regex crate refuses itself. Two
//! constructs are kept and rendered for each engine:
//!
//! - `.` is any character but a line terminator in ECMA-262 (`\n`, `\r`,
//!   U+2028, U+2029), but only `\n` in Rust and Python: it is rendered
//!   [`DOT`] for Rust and in exported schemas;
//! - `$` is the end of the text in Rust and ECMA-262, but in Python also
//!   the place before a final `\n`: exported schemas render it [`END`]
//!   (no character follows), which means the end in both.
//!
//! ```
//! use indicative_plan_model::pattern::portable;
//! let p = portable("^c-.{3}$").unwrap();
//! assert_eq!(p.rust, r"^c-[^\n\r\u2028\u2029]{3}$");
//! assert_eq!(p.schema, r"^c-[^\n\r\u2028\u2029]{3}(?![\s\S])");
//! assert!(portable(r"^\d+$").unwrap_err().contains("[0-9]"));
//! ```

use regex_syntax::ast::{
    self, Assertion, AssertionKind, Ast, ClassPerl, ClassPerlKind, ClassSet, ClassSetItem, GroupKind, HexLiteralKind,
    Literal, LiteralKind, SpecialLiteralKind,
};

/// `.` as ECMA-262 means it, written the same way for every engine.
pub const DOT: &str = r"[^\n\r\u2028\u2029]";

/// `$` as Rust and ECMA-262 mean it (the end of the text), written for
/// ECMA-262 and Python alike: no character follows.
pub const END: &str = r"(?![\s\S])";

/// A pattern's renderings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Portable {
    /// For Rust's `regex`: what the lint compiles.
    pub rust: String,
    /// For JSON Schema `pattern`: what the exports write.
    pub schema: String,
}

/// Checks that `pattern` means the same in the three engines and renders it
/// for Rust and for JSON Schema; why not, otherwise (a sentence naming the
/// construct and what to write instead).
///
/// # Errors
///
/// The pattern does not parse as a regular expression, or uses a construct
/// the engines read differently (see the [module](self)).
///
/// ```
/// let refused = indicative_plan_model::pattern::portable("(?i)^abc$").unwrap_err();
/// assert!(refused.contains("(?i)"), "{refused}");
/// ```
pub fn portable(pattern: &str) -> Result<Portable, String> {
    let ast =
        ast::parse::Parser::new().parse(pattern).map_err(|error| format!("does not compile: {}", error.kind()))?;
    let mut walk = Walk { pattern, dots: Vec::new(), ends: Vec::new() };
    walk.ast(&ast)?;
    let render = |end: &str| {
        let mut spots: Vec<(usize, usize, &str)> = walk.dots.iter().map(|&(s, e)| (s, e, DOT)).collect();
        spots.extend(walk.ends.iter().map(|&(s, e)| (s, e, end)));
        spots.sort_unstable();
        let mut out = String::with_capacity(pattern.len() + 16 * spots.len());
        let mut at = 0;
        for (start, end, text) in spots {
            out.push_str(&pattern[at..start]);
            out.push_str(text);
            at = end;
        }
        out.push_str(&pattern[at..]);
        out
    };
    Ok(Portable { rust: render("$"), schema: render(END) })
}

/// A pattern read back from an exported schema: [`DOT`] and [`END`] as the
/// plan wrote them (`.` and `$`).
///
/// ```
/// use indicative_plan_model::pattern::{from_schema, portable};
/// assert_eq!(from_schema(&portable("^a.b$").unwrap().schema), "^a.b$");
/// ```
#[must_use]
pub fn from_schema(pattern: &str) -> String {
    pattern.replace(END, "$").replace(DOT, ".")
}

struct Walk<'p> {
    pattern: &'p str,
    dots: Vec<(usize, usize)>,
    ends: Vec<(usize, usize)>,
}

fn perl_advice(class: &ClassPerl) -> &'static str {
    match (&class.kind, class.negated) {
        (ClassPerlKind::Digit, false) => "[0-9]",
        (ClassPerlKind::Digit, true) => "[^0-9]",
        (ClassPerlKind::Word, false) => "[A-Za-z0-9_]",
        (ClassPerlKind::Word, true) => "[^A-Za-z0-9_]",
        (ClassPerlKind::Space, false) => r"[ \t\n\r\f\v]",
        (ClassPerlKind::Space, true) => r"[^ \t\n\r\f\v]",
    }
}

impl Walk<'_> {
    fn text(&self, span: &ast::Span) -> &str {
        self.pattern.get(span.start.offset..span.end.offset).unwrap_or_default()
    }

    fn refuse<T>(&self, span: &ast::Span, why: &str) -> Result<T, String> {
        Err(format!("`{}` (at character {}) {why}", self.text(span), span.start.column))
    }

    fn perl(&self, class: &ClassPerl) -> Result<(), String> {
        let advice = perl_advice(class);
        self.refuse(
            &class.span,
            &format!("means other characters in Rust and Python (Unicode) than in ECMA-262 (ASCII): write {advice}"),
        )
    }

    fn ast(&mut self, ast: &Ast) -> Result<(), String> {
        match ast {
            Ast::Empty(_) => Ok(()),
            Ast::Flags(flags) => self.refuse(&flags.span, "sets flags, which ECMA-262 does not take in a pattern"),
            Ast::Literal(literal) => self.literal(literal, false),
            Ast::Dot(span) => {
                self.dots.push((span.start.offset, span.end.offset));
                Ok(())
            }
            Ast::Assertion(assertion) => self.assertion(assertion),
            Ast::ClassUnicode(class) => {
                self.refuse(&class.span, "is not in Python's `re`: list the characters in a class")
            }
            Ast::ClassPerl(class) => self.perl(class),
            Ast::ClassBracketed(class) => self.class_set(&class.kind),
            Ast::Repetition(repetition) => {
                match &*repetition.ast {
                    Ast::Repetition(_) => self.refuse(
                        &repetition.span,
                        "repeats a repetition (possessive in Python, an error in ECMA-262): put the inner one in a group `(?:...)`",
                    ),
                    Ast::Assertion(_) | Ast::Empty(_) | Ast::Flags(_) => {
                        self.refuse(&repetition.span, "repeats what has no width, which ECMA-262 refuses")
                    }
                    inner => self.ast(inner),
                }
            }
            Ast::Group(group) => {
                match &group.kind {
                    GroupKind::CaptureIndex(_) => {}
                    GroupKind::CaptureName { .. } => {
                        return self.refuse(
                            &group.span,
                            "is a named group, written `(?P<n>` in Python and `(?<n>` in ECMA-262: use `(...)` or `(?:...)`",
                        );
                    }
                    GroupKind::NonCapturing(flags) => {
                        if !flags.items.is_empty() {
                            return self.refuse(&group.span, "sets flags, which ECMA-262 does not take in a pattern");
                        }
                    }
                }
                self.ast(&group.ast)
            }
            Ast::Alternation(alternation) => alternation.asts.iter().try_for_each(|ast| self.ast(ast)),
            Ast::Concat(concat) => concat.asts.iter().try_for_each(|ast| self.ast(ast)),
        }
    }

    fn assertion(&mut self, assertion: &Assertion) -> Result<(), String> {
        match assertion.kind {
            AssertionKind::StartLine => Ok(()),
            AssertionKind::EndLine => {
                self.ends.push((assertion.span.start.offset, assertion.span.end.offset));
                Ok(())
            }
            AssertionKind::StartText | AssertionKind::EndText => {
                self.refuse(&assertion.span, "is not ECMA-262's: write `^` or `$`")
            }
            _ => self.refuse(
                &assertion.span,
                "is a word boundary, of Unicode words in Rust and Python and ASCII ones in ECMA-262: write the characters around it",
            ),
        }
    }

    fn literal(&self, literal: &Literal, in_class: bool) -> Result<(), String> {
        let c = literal.c;
        match &literal.kind {
            LiteralKind::Verbatim if c == ']' || (!in_class && matches!(c, '}' | '{')) => {
                self.refuse(&literal.span, &format!("is an error in ECMA-262 where it stands: write `\\{c}`"))
            }
            LiteralKind::Verbatim => Ok(()),
            LiteralKind::Meta if "^$\\.*+?()[]{}|/".contains(c) || (in_class && c == '-') => Ok(()),
            LiteralKind::Superfluous if c == '/' => Ok(()),
            LiteralKind::Meta | LiteralKind::Superfluous => {
                self.refuse(&literal.span, &format!("is not an escape in ECMA-262: write `{c}`"))
            }
            LiteralKind::Octal => self.refuse(&literal.span, "is an octal escape, not ECMA-262's: write `\\xHH`"),
            LiteralKind::HexFixed(HexLiteralKind::X | HexLiteralKind::UnicodeShort) => Ok(()),
            LiteralKind::HexFixed(HexLiteralKind::UnicodeLong) | LiteralKind::HexBrace(_) => self
                .refuse(&literal.span, "is not written alike in ECMA-262 and Python: write `\\uHHHH` or the character"),
            LiteralKind::Special(SpecialLiteralKind::Bell | SpecialLiteralKind::Space) => {
                self.refuse(&literal.span, "is not an escape in ECMA-262: write `\\x07` or the character")
            }
            LiteralKind::Special(_) => Ok(()),
        }
    }

    fn class_set(&self, set: &ClassSet) -> Result<(), String> {
        match set {
            ClassSet::BinaryOp(op) => self
                .refuse(&op.span, "is a class operation (`&&`, `--`, `~~`), which only Rust has: list the characters"),
            ClassSet::Item(item) => self.class_item(item),
        }
    }

    fn class_item(&self, item: &ClassSetItem) -> Result<(), String> {
        match item {
            ClassSetItem::Empty(_) => Ok(()),
            ClassSetItem::Literal(literal) => self.literal(literal, true),
            ClassSetItem::Range(range) => {
                self.literal(&range.start, true)?;
                self.literal(&range.end, true)
            }
            ClassSetItem::Ascii(class) => {
                self.refuse(&class.span, "is a POSIX class, not ECMA-262's: list the characters (`A-Za-z`)")
            }
            ClassSetItem::Unicode(class) => {
                self.refuse(&class.span, "is not in Python's `re`: list the characters in a class")
            }
            ClassSetItem::Perl(class) => self.perl(class),
            ClassSetItem::Bracketed(class) => self
                .refuse(&class.span, "is a class inside a class, which only Rust has: write `\\[` for the character"),
            ClassSetItem::Union(union) => union.items.iter().try_for_each(|item| self.class_item(item)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_the_engines_read_alike_is_kept() {
        for pattern in [
            "^[a-z]+ [0-9]+$",
            "^c-[0-9a-f]{8}$",
            r"^\+?[0-9]{1,3}(\.[0-9]+)?$",
            r"^(?:ab|cd)*?x{2,}y{0,3}$",
            r"[\]\[\-a-]",
            "^[{}]+$",
            r"^\x41\u00e9\t\n\r\f\v\/$",
            "^é+😀?$",
            "a|",
            "",
        ] {
            let p = portable(pattern).unwrap_or_else(|e| panic!("{pattern}: {e}"));
            assert_eq!(p.rust, pattern);
            assert_eq!(from_schema(&p.schema), pattern);
            assert!(regex::Regex::new(&p.rust).is_ok(), "{pattern}");
        }
    }

    #[test]
    fn what_they_read_apart_is_refused_with_advice() {
        for (pattern, says) in [
            ("(?i)^abc$", "flags"),
            ("(?i:a)", "flags"),
            (r"\Aab\z", "`^` or `$`"),
            ("[[:alpha:]]+", "POSIX"),
            ("[a-z&&[^x]]", "class operation"),
            ("[a[b]]", "class inside a class"),
            ("(?P<n>a)", "named group"),
            ("(?<n>a)", "named group"),
            (r"\pL", "Python"),
            (r"\p{Greek}", "Python"),
            (r"\x{41}", "\\uHHHH"),
            (r"\U00000041", "\\uHHHH"),
            ("a++", "repeats a repetition"),
            ("x{2}{3}", "repeats a repetition"),
            ("a{,3}", "does not compile"),
            (r"\_", "not an escape"),
            (r"\#", "not an escape"),
            (r"a\-b", "not an escape"),
            ("[]a]", r"`\]`"),
            ("a}", r"`\}`"),
            (r"\d", "[0-9]"),
            (r"[\w.]", "[A-Za-z0-9_]"),
            (r"\S", r"[^ \t\n\r\f\v]"),
            (r"\bword\b", "word boundary"),
            (r"\a", "not an escape"),
            (r"\141", "does not compile"),
            ("^*", "no width"),
        ] {
            match portable(pattern) {
                Ok(p) => panic!("{pattern} was kept as {p:?}"),
                Err(why) => assert!(why.contains(says), "{pattern}: {why}"),
            }
        }
        assert!(portable("(").unwrap_err().starts_with("does not compile"));
    }
}

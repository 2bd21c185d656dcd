//! Rust types from a tracking plan: one struct per planned event, a struct for
//! the user properties, and an enum per `enum` property, each deriving what
//! `indicative-contract` derives. What `tracking_plan!` expands to and what
//! `indicative plan codegen rust` prints are these same items.
//!
//! The items are sorted as the plan's names are (byte order), so the same
//! plan gives the same code, byte for byte.

use std::collections::BTreeMap;
use std::fmt;

use indicative_plan_model::{EventSpec, EventStatus, Plan, PropertySpec, PropertyType};
use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

use crate::idents::{field_ident, type_ident};

/// Two plan names that the [identifier rule](crate::idents) maps to one
/// identifier of the same scope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameClash {
    /// The identifier both map to.
    pub ident: String,
    /// The first name, described (`event "Sign Up"`).
    pub first: String,
    /// The second name, described.
    pub second: String,
}

impl fmt::Display for NameClash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} and {} both become the Rust identifier `{}`; rename one of them in the plan",
            self.first, self.second, self.ident
        )
    }
}

/// Every clash found, in the order of the plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameClashes(pub Vec<NameClash>);

impl fmt::Display for NameClashes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, clash) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{clash}")?;
        }
        Ok(())
    }
}

impl std::error::Error for NameClashes {}

/// Identifiers given in one scope, to find clashes.
#[derive(Default)]
struct Scope {
    given: BTreeMap<String, String>,
}

impl Scope {
    fn claim(&mut self, ident: &str, what: String, clashes: &mut Vec<NameClash>) {
        match self.given.get(ident) {
            Some(first) => {
                clashes.push(NameClash { ident: ident.to_owned(), first: first.clone(), second: what });
            }
            None => {
                self.given.insert(ident.to_owned(), what);
            }
        }
    }
}

/// `///` lines for `text`: one `#[doc]` per line with a leading space, as
/// rustc reads `/// line`, so that formatted code shows `/// line` comments.
fn doc(text: &str) -> TokenStream {
    text.lines()
        .map(|line| {
            let line = if line.is_empty() { String::new() } else { format!(" {line}") };
            quote!(#[doc = #line])
        })
        .collect()
}

fn ident(text: &str) -> Ident {
    // The rule gives identifiers only (its tests parse every one).
    Ident::new(text, Span::call_site())
}

/// The identifiers of the fields every event struct has, before its
/// properties.
const UNIQUE_ID_FIELD: &str = "unique_id";
const TIME_FIELD: &str = "event_time";
/// The struct of the user properties.
const USER_STRUCT: &str = "User";

/// One property, as generated.
struct Field {
    ident: Ident,
    name: String,
    ty: TokenStream,
    required: bool,
    doc: String,
}

/// The items generated from `plan`: event structs, the user properties'
/// struct and the enums, sorted by name.
///
/// # Errors
///
/// Names that map to the same identifier in one scope, each clash naming both.
///
/// ```
/// let plan = indicative_plan_model::Plan::from_text("p.yaml", "name: Shop\nversion: 1-0-0\nevents:\n  Sign Up:\n    properties:\n      plan: { type: enum, values: [free, pro], required: true }\n")?;
/// let code = indicative_plan_rust::codegen::items(&plan)?.to_string();
/// assert!(code.contains("pub struct SignUp"));
/// assert!(code.contains("pub enum SignUpPlan"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn items(plan: &Plan) -> Result<TokenStream, NameClashes> {
    generate(plan, false)
}

/// [`items`], whose derives are marked `generated` (`#[event(name = "...",
/// generated)]`): the types come from the plan in this very compilation, so
/// the derives do not check them against a plan again (neither that one,
/// which they match by construction, nor another that the crate's
/// `Cargo.toml` names). What `tracking_plan!` expands to.
///
/// # Errors
///
/// As [`items`].
///
/// ```
/// let plan = indicative_plan_model::Plan::from_text("p.yaml", "name: Shop\nversion: 1-0-0\nevents:\n  Log Out: {}\n")?;
/// let code = indicative_plan_rust::codegen::macro_items(&plan)?.to_string();
/// assert!(code.contains(r#"# [event (name = "Log Out" , generated)]"#));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn macro_items(plan: &Plan) -> Result<TokenStream, NameClashes> {
    generate(plan, true)
}

fn generate(plan: &Plan, generated: bool) -> Result<TokenStream, NameClashes> {
    let mut clashes = Vec::new();
    let mut types = Scope::default();
    if !plan.user_properties.is_empty() {
        types.claim(USER_STRUCT, "the user properties' struct".to_owned(), &mut clashes);
    }
    let mut out = TokenStream::new();
    for (name, event) in &plan.events {
        let struct_name = type_ident(name);
        types.claim(&struct_name, format!("event {name:?}"), &mut clashes);
        let mut enums = TokenStream::new();
        let fields = fields(
            plan.properties_of(event),
            &struct_name,
            &format!("event {name:?}"),
            &mut types,
            &mut enums,
            &mut clashes,
        );
        out.extend(enums);
        out.extend(event_struct(plan, name, event, &struct_name, &fields, generated));
    }
    if !plan.user_properties.is_empty() {
        let mut enums = TokenStream::new();
        let fields = fields(
            plan.user_properties.iter().map(|(n, s)| (n.as_str(), s)),
            USER_STRUCT,
            "the user properties",
            &mut types,
            &mut enums,
            &mut clashes,
        );
        out.extend(enums);
        out.extend(user_struct(plan, &fields, generated));
    }
    if clashes.is_empty() { Ok(out) } else { Err(NameClashes(clashes)) }
}

/// The fields of one struct, and the enums its `enum` properties need.
fn fields<'p>(
    properties: impl Iterator<Item = (&'p str, &'p PropertySpec)>,
    owner: &str,
    whose: &str,
    types: &mut Scope,
    enums: &mut TokenStream,
    clashes: &mut Vec<NameClash>,
) -> Vec<Field> {
    let mut scope = Scope::default();
    scope.claim(UNIQUE_ID_FIELD, "the unique id's field".to_owned(), clashes);
    if owner != USER_STRUCT {
        scope.claim(TIME_FIELD, "the event time's field".to_owned(), clashes);
    }
    let mut out = Vec::new();
    for (name, spec) in properties {
        let field = field_ident(name);
        scope.claim(&field, format!("property {name:?} of {whose}"), clashes);
        let ty = match spec.kind {
            PropertyType::String => quote!(::std::string::String),
            PropertyType::Integer => quote!(i64),
            PropertyType::Number => quote!(f64),
            PropertyType::Boolean => quote!(bool),
            PropertyType::Datetime => quote!(::indicative_contract::jiff::Timestamp),
            PropertyType::Enum if spec.values.is_empty() => quote!(::std::string::String),
            PropertyType::Enum => {
                let enum_name = format!("{owner}{}", type_ident(name));
                types.claim(&enum_name, format!("the values of property {name:?} of {whose}"), clashes);
                enums.extend(value_enum(&enum_name, name, whose, &spec.values, clashes));
                let enum_ident = ident(&enum_name);
                quote!(#enum_ident)
            }
        };
        out.push(Field {
            ident: ident(&field),
            name: name.to_owned(),
            ty,
            required: spec.required,
            doc: property_doc(name, spec),
        });
    }
    out
}

/// A plan's description as rustdoc text: each line trimmed (no indented
/// code block, so no doctest), and Markdown that would make code or links
/// (backticks, brackets, angle brackets) escaped.
fn described(description: Option<&String>) -> String {
    let Some(description) = description else { return String::new() };
    let mut out = String::new();
    // Every line break Markdown or rustc sees (a lone `\r` included, which
    // `str::lines` keeps inside a line).
    for line in description.trim().split(is_line_break) {
        escape_into(&mut out, line.trim());
        out.push('\n');
    }
    out.push('\n');
    out
}

/// Pushes `text` with the Markdown that would make code, links or HTML
/// escaped.
fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '`' | '[' | ']' | '*' | '_' | '\\' | '#' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            _ => out.push(c),
        }
    }
}

/// Whether `c` ends a line for Markdown or Rust (a `//!` line of the
/// printed source).
fn is_line_break(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// A name of the plan (its own, an event's, a value's, an owner) inside one
/// line of documentation: escaped as descriptions are, its line breaks made
/// spaces, so that it never opens a code block (a doctest).
///
/// ```
/// use indicative_plan_rust::codegen::doc_inline;
/// assert_eq!(doc_inline("Sign\n```\nUp_<b>"), "Sign \\`\\`\\` Up\\_&lt;b&gt;");
/// ```
#[must_use]
pub fn doc_inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_into(&mut out, &text.replace(is_line_break, " "));
    out
}

/// A name as code (`` `Sign Up` ``) when a code span can hold it as it is,
/// else as [`doc_inline`] text.
///
/// ```
/// use indicative_plan_rust::codegen::doc_code;
/// assert_eq!(doc_code("Sign Up"), "`Sign Up`");
/// assert_eq!(doc_code("a`b"), "a\\`b");
/// ```
#[must_use]
pub fn doc_code(text: &str) -> String {
    if text.contains(|c| c == '`' || is_line_break(c)) { doc_inline(text) } else { format!("`{text}`") }
}

fn property_doc(name: &str, spec: &PropertySpec) -> String {
    let mut doc = described(spec.description.as_ref());
    doc.push_str(&format!(
        "Property {}: {}{}.",
        doc_code(name),
        spec.kind.as_str(),
        if spec.required { ", required" } else { "" }
    ));
    doc
}

fn value_enum(
    enum_name: &str,
    property: &str,
    whose: &str,
    values: &[String],
    clashes: &mut Vec<NameClash>,
) -> TokenStream {
    let mut scope = Scope::default();
    let variants = values.iter().map(|value| {
        let variant = type_ident(value);
        scope.claim(&variant, format!("value {value:?} of property {property:?} of {whose}"), clashes);
        let variant = ident(&variant);
        let doc = doc(&doc_code(value));
        quote! {
            #doc
            #[property(rename = #value)]
            #variant,
        }
    });
    let variants: Vec<TokenStream> = variants.collect();
    // `whose` names its event as Rust's `Debug` does: on one line.
    let doc = doc(&format!("The values of property {} of {}.", doc_code(property), whose.replace('"', "`")));
    let enum_ident = ident(enum_name);
    quote! {
        #doc
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, ::indicative_contract::ToPropertyValue)]
        pub enum #enum_ident {
            #(#variants)*
        }
    }
}

fn field_tokens(fields: &[Field], namespace: &Ident) -> Vec<TokenStream> {
    fields
        .iter()
        .map(|Field { ident, name, ty, required, doc }| {
            let rename = (*ident != name.as_str()).then(|| quote!(#[#namespace(rename = #name)]));
            let ty = if *required { quote!(#ty) } else { quote!(::core::option::Option<#ty>) };
            let doc = self::doc(doc);
            quote! {
                #doc
                #rename
                pub #ident: #ty,
            }
        })
        .collect()
}

/// `new`, with the unique id and the required properties; the others `None`.
fn constructor(struct_ident: &Ident, fields: &[Field], time: bool) -> TokenStream {
    let params = fields.iter().filter(|f| f.required).map(|Field { ident, ty, .. }| quote!(#ident: #ty));
    let inits =
        fields.iter().map(
            |Field { ident, required, .. }| {
                if *required { quote!(#ident) } else { quote!(#ident: ::core::option::Option::None) }
            },
        );
    let time = time.then(|| quote!(event_time: ::core::option::Option::None,));
    let doc = doc(&format!("A `{struct_ident}` with its required properties; the others are `None`."));
    quote! {
        #[allow(deprecated)]
        impl #struct_ident {
            #doc
            #[must_use]
            #[allow(clippy::too_many_arguments)]
            pub fn new(unique_id: impl ::core::convert::Into<::std::string::String>, #(#params),*) -> Self {
                Self {
                    unique_id: unique_id.into(),
                    #time
                    #(#inits,)*
                }
            }
        }
    }
}

fn event_struct(
    plan: &Plan,
    name: &str,
    event: &EventSpec,
    struct_name: &str,
    fields: &[Field],
    generated: bool,
) -> TokenStream {
    let struct_ident = ident(struct_name);
    let mut doc = described(event.description.as_ref());
    doc.push_str(&format!(
        "Event {} of the tracking plan {} ({}).",
        doc_code(name),
        doc_inline(&plan.name),
        plan.version
    ));
    if let Some(owner) = &event.owner {
        doc.push_str(&format!(" Owner: {}.", doc_inline(owner)));
    }
    let deprecated = (event.status == EventStatus::Deprecated).then(|| {
        let note = match event.sunset {
            Some(date) => format!("the tracking plan deprecates event `{name}`; it is refused from {date}"),
            None => format!("the tracking plan deprecates event `{name}`"),
        };
        quote!(#[deprecated(note = #note)])
    });
    let namespace = format_ident!("event");
    let props = field_tokens(fields, &namespace);
    let new = constructor(&struct_ident, fields, true);
    let plan_attr = generated.then(|| quote!(, generated));
    let doc = self::doc(&doc);
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, ::indicative_contract::TrackEvent)]
        #[event(name = #name #plan_attr)]
        #deprecated
        pub struct #struct_ident {
            /// The unique id of the user who triggered the event (`eventUniqueId`).
            #[event(unique_id)]
            pub unique_id: ::std::string::String,
            /// When it happened (`eventTime`); `None` is when the API receives it.
            #[event(time)]
            pub event_time: ::core::option::Option<::indicative_contract::EventTime>,
            #(#props)*
        }
        #new
    }
}

fn user_struct(plan: &Plan, fields: &[Field], generated: bool) -> TokenStream {
    let struct_ident = ident(USER_STRUCT);
    let doc = format!(
        "The user properties of the tracking plan {} ({}), for identify requests.",
        doc_inline(&plan.name),
        plan.version
    );
    let namespace = format_ident!("user");
    let props = field_tokens(fields, &namespace);
    let new = constructor(&struct_ident, fields, false);
    let plan_attr = generated.then(|| quote!(#[user(generated)]));
    let doc = self::doc(&doc);
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, ::indicative_contract::UserProperties)]
        #plan_attr
        pub struct #struct_ident {
            /// The user's unique id (`uniqueId`).
            #[user(unique_id)]
            pub unique_id: ::std::string::String,
            #(#props)*
        }
        #new
    }
}

/// The plan's types as Rust source, formatted (prettyplease, rustfmt's
/// style), with a header naming the plan and its file (`shown`): what
/// `indicative plan codegen rust` prints. The same plan gives the same text.
///
/// # Errors
///
/// Names that map to the same identifier in one scope.
///
/// ```
/// let plan = indicative_plan_model::Plan::from_text("p.yaml", "name: Shop\nversion: 1-0-0\nevents:\n  Log Out: {}\n")?;
/// let code = indicative_plan_rust::codegen::source(&plan, "p.yaml")?;
/// assert!(code.starts_with("//! The types of the tracking plan Shop (1-0-0)"));
/// assert!(code.contains("pub struct LogOut {"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[cfg(feature = "source")]
pub fn source(plan: &Plan, shown: &str) -> Result<String, NameClashes> {
    let items = items(plan)?;
    let mut out = format!(
        "//! The types of the tracking plan {} ({}),\n//! generated from {} by `indicative plan codegen rust`.\n//! Do not edit: generate again when the plan changes.\n//! `tracking_plan!` expands to the same items.\n\n",
        doc_inline(&plan.name),
        plan.version,
        doc_code(shown)
    );
    // The generator's output always parses (a test checks it on random
    // plans); were it not to, the tokens are printed as they are.
    match syn::parse2::<syn::File>(items.clone()) {
        Ok(file) => out.push_str(&prettyplease::unparse(&file)),
        Err(_) => out.push_str(&items.to_string()),
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan() -> Plan {
        let text =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/plans/tracking-plan.yaml"))
                .expect("the example plan");
        Plan::from_text("tracking-plan.yaml", &text).expect("a valid plan")
    }

    /// Names and values of the plan are one line of plain text in the
    /// documentation, as descriptions are: no fence or line break of theirs
    /// opens a code block (a doctest of the user's crate), nor ends a `//!`
    /// line of the printed source.
    #[test]
    fn names_in_the_documentation_never_open_a_code_block() {
        let text = concat!(
            "name: \"Fence\\n```\\nassert!(false);\\n```\"\n",
            "version: 1-0-0\n",
            "events:\n",
            "  \"Sign\\n~~~\\nassert!(false);\\n~~~\":\n",
            "    owner: \"a\\n    indented\"\n",
            "    description: \"Example:\\r\\r    assert!(false);\"\n",
            "    properties:\n",
            "      \"m\\n```\\nx\\n```\": { type: enum, values: [\"a\\n```\\nassert!(false);\\n```\", \"b`c\", plain] }\n",
            "userProperties:\n",
            "  tier: { type: string }\n",
        );
        let plan = Plan::from_text("p.yaml", text).expect("a valid plan");
        let items = items(&plan).expect("items");
        let _: syn::File = syn::parse2(items.clone()).expect("Rust");
        let mut docs = Vec::new();
        collect_docs(&items, &mut docs);
        assert!(docs.iter().any(|d| d == " `plain`"), "a plain value is code: {docs:?}");
        assert!(docs.iter().any(|d| d.contains("b\\`c")), "{docs:?}");
        for doc in &docs {
            let line = doc.trim_start();
            assert!(!doc.contains(is_line_break), "{doc:?}");
            assert!(!line.starts_with("```") && !line.starts_with("~~~"), "{doc:?}");
            assert!(!doc.starts_with("     "), "{doc:?}");
        }
        #[cfg(feature = "source")]
        {
            let source = source(&plan, "plans/\n```").expect("source");
            let header: Vec<&str> = source.lines().take_while(|l| !l.is_empty()).collect();
            assert_eq!(header.len(), 4, "{header:?}");
            assert!(header.iter().all(|l| l.starts_with("//! ")), "{header:?}");
        }
    }

    /// The text of every `#[doc = "..."]` in `tokens`.
    fn collect_docs(tokens: &TokenStream, out: &mut Vec<String>) {
        for token in tokens.clone() {
            if let proc_macro2::TokenTree::Group(group) = token {
                let mut inner = group.stream().into_iter();
                if let (Some(proc_macro2::TokenTree::Ident(id)), Some(_), Some(proc_macro2::TokenTree::Literal(lit))) =
                    (inner.next(), inner.next(), inner.next())
                    && id == "doc"
                {
                    let lit: syn::LitStr = syn::parse_str(&lit.to_string()).expect("a string");
                    out.push(lit.value());
                }
                collect_docs(&group.stream(), out);
            }
        }
    }

    /// What `tracking_plan!` expands to (`macro_items`) is what `plan
    /// codegen rust` prints (`items`), but for the `generated` mark on each
    /// derive.
    #[test]
    fn the_macro_and_the_printed_code_have_the_same_items() {
        let plan = plan();
        let printed = items(&plan).expect("items").to_string();
        let expanded = macro_items(&plan).expect("items").to_string();
        assert_ne!(printed, expanded);
        let unmarked = expanded.replace(" , generated", "").replace("# [user (generated)] ", "");
        assert_eq!(unmarked, printed);
    }

    /// The printed source is the items, only formatted: parsed back, it is
    /// the same syntax tree as the generator's tokens.
    #[cfg(feature = "source")]
    #[test]
    fn the_printed_source_is_the_items_formatted() {
        let plan = plan();
        let source = source(&plan, "tracking-plan.yaml").expect("source");
        let mut printed: syn::File = syn::parse_str(&source).expect("Rust");
        // The header's `//!` lines are the only addition.
        assert!(!printed.attrs.is_empty());
        printed.attrs.clear();
        let generated: syn::File = syn::parse2(items(&plan).expect("items")).expect("Rust");
        assert_eq!(prettyplease::unparse(&printed), prettyplease::unparse(&generated));
        assert_eq!(source, crate::codegen::source(&plan, "tracking-plan.yaml").expect("source"), "deterministic");
    }
}

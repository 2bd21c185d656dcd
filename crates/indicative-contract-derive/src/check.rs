//! Checking: one function per rule, each reporting at the offending token.
//! Lengths are counted by `indicative-contract-limits`, exactly as at run time.

use indicative_contract_limits::{LengthProblem, MAX_TEXT_CHARS, char_count, name_length_problem};
use proc_macro2::Span;
use quote::ToTokens;
use syn::ext::IdentExt;

use crate::ast::{Container, Data, Derive, Field, Variant};
use crate::ctxt::Ctxt;
use crate::symbol::{GENERATED, NAME, PLAN, RENAME, SKIP, TIME, UNIQUE_ID};

/// A field sent as a property, under its checked name.
pub struct Property {
    pub field: syn::Ident,
    pub ty: syn::Type,
    pub name: String,
    /// Where the name is written: the `rename` literal, or the field.
    #[cfg_attr(not(feature = "plan"), allow(dead_code))]
    pub span: Span,
}

// Built once per derive: the size of the variants does not matter.
#[allow(clippy::large_enum_variant)]
pub enum Body {
    Event {
        name: String,
        /// Where the name is written: the `name` literal, or the struct.
        #[cfg_attr(not(feature = "plan"), allow(dead_code))]
        name_span: Span,
        unique_id: (syn::Ident, syn::Type),
        time: Option<(syn::Ident, syn::Type)>,
        properties: Vec<Property>,
    },
    User {
        unique_id: (syn::Ident, syn::Type),
        properties: Vec<Property>,
    },
    Enum {
        variants: Vec<(syn::Ident, String)>,
    },
}

/// The input, checked: what `expand` works from.
pub struct Checked {
    pub ident: syn::Ident,
    pub generics: syn::Generics,
    pub body: Body,
    /// `plan = "..."` on the type.
    pub plan: Option<syn::LitStr>,
    /// `generated` on the type: `tracking_plan!` wrote it from a plan.
    pub generated: bool,
    /// Whether the type is `#[deprecated]` itself.
    #[cfg_attr(not(feature = "plan"), allow(dead_code))]
    pub deprecated: bool,
}

/// Runs every rule; returns the checked input only if none failed.
pub fn check(cx: &Ctxt, input: Container) -> Option<Checked> {
    let Container { derive, ident, generics, attrs, data, deprecated } = input;
    let plan = attrs.get(PLAN).and_then(|k| k.value.clone());
    let generated = attrs.has(GENERATED);
    let body = match (derive, data) {
        (Derive::TrackEvent | Derive::UserProperties, Data::Struct(fields)) => {
            check_key_combinations(cx, derive, &fields);
            let unique_id = unique_id_field(cx, derive, &ident, &fields);
            let properties = properties(cx, derive, &fields);
            if derive == Derive::TrackEvent {
                let given = attrs.get(NAME).and_then(|k| k.value.clone());
                let name_span = given.as_ref().map_or_else(|| ident.span(), syn::LitStr::span);
                let name = event_name(cx, &ident, given);
                let time = time_field(cx, &fields);
                unique_id.map(|unique_id| Body::Event { name, name_span, unique_id, time, properties })
            } else {
                unique_id.map(|unique_id| Body::User { unique_id, properties })
            }
        }
        (Derive::ToPropertyValue, Data::Enum(variants)) if variants.is_empty() => {
            cx.error_spanned_by(
                &ident,
                "`#[derive(ToPropertyValue)]` takes an enum with variants: an enum with no variants has no value to send",
            );
            None
        }
        (Derive::ToPropertyValue, Data::Enum(variants)) => Some(Body::Enum { variants: enum_values(cx, &variants) }),
        (Derive::ToPropertyValue, _) => {
            cx.error_spanned_by(
                &ident,
                "`#[derive(ToPropertyValue)]` takes an enum of unit variants (each stands for a text)",
            );
            None
        }
        (_, Data::Enum(_)) => {
            cx.error_spanned_by(
                &ident,
                format!("`#[derive({})]` takes a struct with named fields, not an enum", derive.name()),
            );
            None
        }
        (_, Data::Other(shape)) => {
            cx.error_spanned_by(&ident, format!("`#[derive({})]` takes {shape}", derive.name()));
            None
        }
    };
    body.map(|body| Checked { ident, generics, body, plan, generated, deprecated })
}

/// How a length problem reads, for `what` ("an event name").
fn length_message(what: &str, text: &str, problem: LengthProblem) -> String {
    match problem {
        LengthProblem::Empty => format!("{what} needs 1 to {MAX_TEXT_CHARS} characters, and this one is empty"),
        LengthProblem::TooLong { chars } => {
            let start: String = text.chars().take(20).collect();
            format!("{what} needs 1 to {MAX_TEXT_CHARS} characters, and \"{start}…\" has {chars}")
        }
    }
}

/// The event name: `#[event(name = "...")]`, or the struct's name (without
/// the `r#` of a raw identifier); 1 to 255 characters, counted as the
/// runtime counts them.
fn event_name(cx: &Ctxt, ident: &syn::Ident, given: Option<syn::LitStr>) -> String {
    let (name, at): (String, &dyn ToTokens) = match &given {
        Some(lit) => (lit.value(), lit),
        None => (ident.unraw().to_string(), ident),
    };
    if let Some(problem) = name_length_problem(&name) {
        cx.error_spanned_by(at, length_message("an event name", &name, problem));
    }
    name
}

/// Exactly one field holds the unique id of the user.
fn unique_id_field(cx: &Ctxt, derive: Derive, ident: &syn::Ident, fields: &[Field]) -> Option<(syn::Ident, syn::Type)> {
    let marked: Vec<&Field> = fields.iter().filter(|f| f.attrs.has(UNIQUE_ID)).collect();
    let namespace = derive.namespace();
    match marked.as_slice() {
        [] => {
            let who = if derive == Derive::TrackEvent { "the user who triggered the event" } else { "the user" };
            cx.error_spanned_by(
                ident,
                format!(
                    "`#[derive({})]` needs one field marked `#[{namespace}(unique_id)]`: the unique id of {who}",
                    derive.name()
                ),
            );
            None
        }
        [one] => Some((one.ident.clone(), one.ty.clone())),
        [_, rest @ ..] => {
            for field in rest {
                if let Some(key) = field.attrs.get(UNIQUE_ID) {
                    cx.syn_error(syn::Error::new(
                        key.span,
                        format!("a second `{namespace}(unique_id)` field: there is one unique id"),
                    ));
                }
            }
            None
        }
    }
}

/// At most one field holds the event's time.
fn time_field(cx: &Ctxt, fields: &[Field]) -> Option<(syn::Ident, syn::Type)> {
    let mut marked = fields.iter().filter(|f| f.attrs.has(TIME));
    let first = marked.next().map(|f| (f.ident.clone(), f.ty.clone()));
    for field in marked {
        if let Some(key) = field.attrs.get(TIME) {
            cx.syn_error(syn::Error::new(key.span, "a second `event(time)` field: an event has one time"));
        }
    }
    first
}

/// A field is one thing: the unique id, the time, a skipped field, or a
/// (possibly renamed) property.
fn check_key_combinations(cx: &Ctxt, derive: Derive, fields: &[Field]) {
    let namespace = derive.namespace();
    for field in fields {
        let given: Vec<(&str, Span)> = field.attrs.given().map(|(k, key)| (k, key.span)).collect();
        let role = given.iter().find(|(k, _)| [UNIQUE_ID, TIME, SKIP].contains(k));
        if let Some((role, _)) = role {
            for (key, span) in given.iter().filter(|(k, _)| k != role) {
                cx.syn_error(syn::Error::new(
                    *span,
                    format!("`{namespace}({key})` does not go with `{namespace}({role})`: a field is the unique id, the time, skipped, or a property"),
                ));
            }
        }
    }
}

/// The properties: every other field, under its name or `rename`, checked for
/// length and for repeats, and of a flat type.
fn properties(cx: &Ctxt, derive: Derive, fields: &[Field]) -> Vec<Property> {
    let mut seen: Vec<(String, Span)> = Vec::new();
    let mut properties = Vec::new();
    for field in fields.iter().filter(|f| ![UNIQUE_ID, TIME, SKIP].iter().any(|k| f.attrs.has(k))) {
        let rename = field.attrs.get(RENAME).and_then(|k| k.value.clone());
        let (name, span) = match &rename {
            Some(lit) => (lit.value(), lit.span()),
            None => (field.ident.unraw().to_string(), field.ident.span()),
        };
        if let Some(problem) = name_length_problem(&name) {
            cx.syn_error(syn::Error::new(span, length_message("a property name", &name, problem)));
        }
        if let Some((_, _first)) = seen.iter().find(|(n, _)| *n == name) {
            let hint = if rename.is_some() {
                ""
            } else {
                &format!("; rename one with `#[{}(rename = \"...\")]`", derive.namespace()) as &str
            };
            cx.syn_error(syn::Error::new(span, format!("two properties are named \"{name}\"{hint}")));
        } else {
            seen.push((name.clone(), span));
        }
        flat_type(cx, &field.ty);
        properties.push(Property { field: field.ident.clone(), ty: field.ty.clone(), name, span });
    }
    properties
}

/// The API stores flat values: lists, maps, tuples and arrays are refused
/// here, by their syntax; any other type must implement `ToPropertyValue`,
/// which the compiler checks with a message of its own.
fn flat_type(cx: &Ctxt, ty: &syn::Type) {
    match ty {
        syn::Type::Array(_) | syn::Type::Slice(_) => list_error(cx, ty),
        syn::Type::Tuple(tuple) if !tuple.elems.is_empty() => cx.error_spanned_by(
            ty,
            "a tuple cannot be a property: the API stores flat values; give each part a field of its own",
        ),
        syn::Type::Reference(reference) => flat_type(cx, &reference.elem),
        syn::Type::Paren(inner) => flat_type(cx, &inner.elem),
        syn::Type::Path(path) => {
            let Some(last) = path.path.segments.last() else { return };
            let name = last.ident.to_string();
            // A collection has its item type spelled (`Vec<String>`); a type
            // of the same name without one is the user's own (or one
            // `tracking_plan!` generated for event `Index`'s property `set`).
            let generic = matches!(last.arguments, syn::PathArguments::AngleBracketed(_));
            match name.as_str() {
                "Vec" | "VecDeque" | "LinkedList" | "HashSet" | "BTreeSet" | "IndexSet" if generic => {
                    list_error(cx, ty);
                }
                "HashMap" | "BTreeMap" | "IndexMap" if generic => cx.error_spanned_by(
                    ty,
                    format!("a `{name}` cannot be a property: the API stores flat values; flatten it into fields of its own (address_city)"),
                ),
                "Option" | "Box" => {
                    if let syn::PathArguments::AngleBracketed(args) = &last.arguments
                        && let Some(syn::GenericArgument::Type(inner)) = args.args.first()
                    {
                        flat_type(cx, inner);
                    }
                }
                _ => {}
            }
        }
        _ => {}
    }
}

fn list_error(cx: &Ctxt, ty: &syn::Type) {
    cx.error_spanned_by(
        ty,
        "a list cannot be a property: the API stores flat values; join the items into one string, or send one property per item",
    );
}

/// Each variant stands for a text (its `rename`, or its name without the
/// `r#` of a raw identifier): unit variants only, at most 255 characters
/// (the API keeps no more), no two the same.
fn enum_values(cx: &Ctxt, variants: &[Variant]) -> Vec<(syn::Ident, String)> {
    let mut values: Vec<(syn::Ident, String)> = Vec::new();
    for variant in variants {
        if let Some(span) = variant.fields_span {
            cx.syn_error(syn::Error::new(span, "a property value is flat: this variant cannot hold fields"));
        }
        let rename = variant.attrs.get(RENAME).and_then(|k| k.value.clone());
        let (text, span) = match &rename {
            Some(lit) => (lit.value(), lit.span()),
            None => (variant.ident.unraw().to_string(), variant.ident.span()),
        };
        if char_count(&text) > MAX_TEXT_CHARS {
            cx.syn_error(syn::Error::new(
                span,
                format!(
                    "a property value over {MAX_TEXT_CHARS} characters: the API keeps only the first {MAX_TEXT_CHARS}"
                ),
            ));
        }
        if values.iter().any(|(_, v)| *v == text) {
            cx.syn_error(syn::Error::new(span, format!("two variants stand for \"{text}\"")));
        }
        values.push((variant.ident.clone(), text));
    }
    values
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The body the derive makes of `input`, and its errors' messages.
    fn body(input: syn::DeriveInput, derive: Derive) -> (Option<Body>, Vec<String>) {
        let cx = Ctxt::new();
        let checked = check(&cx, Container::parse(&cx, input, derive));
        let errors = cx.check().err().map(|e| e.into_iter().map(|e| e.to_string()).collect()).unwrap_or_default();
        (checked.map(|c| c.body), errors)
    }

    #[test]
    fn raw_identifiers_are_sent_without_their_r_hash() {
        let input = syn::parse_quote! {
            struct r#loop { #[event(unique_id)] id: String, r#type: String }
        };
        let Some(Body::Event { name, properties, .. }) = body(input, Derive::TrackEvent).0 else { panic!("an event") };
        assert_eq!(name, "loop");
        assert_eq!(properties[0].name, "type");

        let input = syn::parse_quote! { enum Kind { Alpha, r#Gamma, #[property(rename = "r#kept")] Kept } };
        let Some(Body::Enum { variants }) = body(input, Derive::ToPropertyValue).0 else { panic!("an enum") };
        let texts: Vec<&str> = variants.iter().map(|(_, text)| text.as_str()).collect();
        assert_eq!(texts, ["Alpha", "Gamma", "r#kept"]);
    }

    #[test]
    fn collections_are_refused_by_their_spelled_item_type_only() {
        let input = syn::parse_quote! {
            struct E { #[event(unique_id)] id: String, tags: Vec<String>, seen: std::collections::HashSet<u8>, by: HashMap<String, String> }
        };
        let (_, errors) = body(input, Derive::TrackEvent);
        assert_eq!(errors.len(), 3, "{errors:?}");
        // The user's own types of those names (a generated enum `IndexSet`).
        let input =
            syn::parse_quote! { struct E { #[event(unique_id)] id: String, set: IndexSet, map: Option<HashMap> } };
        let (body, errors) = body(input, Derive::TrackEvent);
        assert!(body.is_some() && errors.is_empty(), "{errors:?}");
    }

    #[test]
    fn an_enum_without_variants_is_refused() {
        let (body, errors) = body(syn::parse_quote! { enum Empty {} }, Derive::ToPropertyValue);
        assert!(body.is_none());
        assert_eq!(
            errors,
            ["`#[derive(ToPropertyValue)]` takes an enum with variants: an enum with no variants has no value to send"]
        );
    }
}

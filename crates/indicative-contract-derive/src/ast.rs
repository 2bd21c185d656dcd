//! Parsing: the derive input and its attributes, into a raw model that
//! `check` judges. Attribute mistakes (unknown or repeated keys) are reported
//! here, at the key.

use proc_macro2::Span;
use syn::spanned::Spanned;
use syn::{DeriveInput, LitStr};

use crate::ctxt::Ctxt;
use crate::symbol::{EVENT, GENERATED, NAME, PLAN, PROPERTY, RENAME, SKIP, TIME, UNIQUE_ID, USER};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Derive {
    TrackEvent,
    UserProperties,
    ToPropertyValue,
}

impl Derive {
    /// The attribute this derive reads.
    pub const fn namespace(self) -> &'static str {
        match self {
            Self::TrackEvent => EVENT,
            Self::UserProperties => USER,
            Self::ToPropertyValue => PROPERTY,
        }
    }

    pub const fn name(self) -> &'static str {
        match self {
            Self::TrackEvent => "TrackEvent",
            Self::UserProperties => "UserProperties",
            Self::ToPropertyValue => "ToPropertyValue",
        }
    }

    /// The keys allowed on the container, and on each field or variant.
    const fn keys(self) -> (&'static [&'static str], &'static [&'static str]) {
        match self {
            Self::TrackEvent => (&[NAME, PLAN, GENERATED], &[UNIQUE_ID, TIME, RENAME, SKIP]),
            Self::UserProperties => (&[PLAN, GENERATED], &[UNIQUE_ID, RENAME, SKIP]),
            Self::ToPropertyValue => (&[], &[RENAME]),
        }
    }
}

/// One attribute key as written: where it is, and its string value if any.
#[derive(Clone)]
pub struct Key {
    pub span: Span,
    pub value: Option<LitStr>,
}

/// The keys given to one container, field or variant.
#[derive(Default, Clone)]
pub struct Attrs {
    keys: Vec<(&'static str, Key)>,
}

impl Attrs {
    pub fn get(&self, key: &str) -> Option<&Key> {
        self.keys.iter().find(|(k, _)| *k == key).map(|(_, v)| v)
    }

    pub fn has(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// The given keys, in order, for checks that forbid some combinations.
    pub fn given(&self) -> impl Iterator<Item = (&'static str, &Key)> {
        self.keys.iter().map(|(k, v)| (*k, v))
    }
}

pub struct Field {
    pub ident: syn::Ident,
    pub ty: syn::Type,
    pub attrs: Attrs,
}

pub struct Variant {
    pub ident: syn::Ident,
    pub attrs: Attrs,
    /// Set when the variant has fields (which a property value cannot).
    pub fields_span: Option<Span>,
}

pub enum Data {
    Struct(Vec<Field>),
    Enum(Vec<Variant>),
    /// A shape the derive does not take, with why.
    Other(&'static str),
}

pub struct Container {
    pub derive: Derive,
    pub ident: syn::Ident,
    pub generics: syn::Generics,
    pub attrs: Attrs,
    pub data: Data,
    /// Whether the type is `#[deprecated]` itself (as the types generated
    /// for a plan's deprecated events are): then using it warns, and
    /// deriving it does not.
    pub deprecated: bool,
}

impl Container {
    pub fn parse(cx: &Ctxt, input: DeriveInput, derive: Derive) -> Self {
        let (container_keys, member_keys) = derive.keys();
        let attrs = parse_attrs(cx, &input.attrs, derive, container_keys, "on the type");
        let deprecated = input.attrs.iter().any(|a| a.path().is_ident("deprecated"));
        let data = match input.data {
            syn::Data::Struct(syn::DataStruct { fields: syn::Fields::Named(fields), .. }) => Data::Struct(
                fields
                    .named
                    .into_iter()
                    .filter_map(|f| {
                        let attrs = parse_attrs(cx, &f.attrs, derive, member_keys, "on a field");
                        Some(Field { ident: f.ident?, ty: f.ty, attrs })
                    })
                    .collect(),
            ),
            syn::Data::Struct(_) => Data::Other("a struct with named fields"),
            syn::Data::Enum(data) => Data::Enum(
                data.variants
                    .into_iter()
                    .map(|v| Variant {
                        attrs: parse_attrs(cx, &v.attrs, derive, member_keys, "on a variant"),
                        fields_span: (!v.fields.is_empty()).then(|| v.fields.span()),
                        ident: v.ident,
                    })
                    .collect(),
            ),
            syn::Data::Union(_) => Data::Other("a union"),
        };
        Self { derive, ident: input.ident, generics: input.generics, attrs, data, deprecated }
    }
}

/// The keys that take a string value.
fn takes_value(key: &str) -> bool {
    key == NAME || key == RENAME || key == PLAN
}

fn parse_attrs(cx: &Ctxt, attrs: &[syn::Attribute], derive: Derive, allowed: &[&'static str], place: &str) -> Attrs {
    let namespace = derive.namespace();
    let mut parsed = Attrs::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident(namespace)) {
        let result = attr.parse_nested_meta(|meta| {
            let written = meta.path.get_ident().map(ToString::to_string).unwrap_or_default();
            let Some(&key) = allowed.iter().find(|k| **k == written) else {
                // Read past a value, so that the keys after it are checked too.
                if meta.input.peek(syn::Token![=]) {
                    let _: syn::Expr = meta.value()?.parse()?;
                }
                let all = [NAME, PLAN, UNIQUE_ID, TIME, RENAME, SKIP];
                let near = allowed.iter().chain(all.iter()).find(|k| strsim::damerau_levenshtein(k, &written) <= 2);
                let help = match near {
                    Some(k) if allowed.contains(k) => format!("; did you mean `{k}`?"),
                    Some(k) => format!("; `{k}` is not taken {place}"),
                    None if allowed.is_empty() => format!("; `{namespace}` takes no key {place}"),
                    None => format!(
                        "; expected one of {}",
                        allowed.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
                    ),
                };
                cx.error_spanned_by(&meta.path, format!("unknown `{namespace}` attribute `{written}`{help}"));
                return Ok(());
            };
            let value = if takes_value(key) {
                let lit: LitStr = meta.value()?.parse()?;
                Some(lit)
            } else {
                None
            };
            if parsed.has(key) {
                cx.error_spanned_by(&meta.path, format!("duplicate `{namespace}` attribute `{key}`"));
            } else {
                parsed.keys.push((key, Key { span: meta.path.span(), value }));
            }
            Ok(())
        });
        if let Err(error) = result {
            cx.syn_error(error);
        }
    }
    parsed
}

//! Checking derived types against the crate's tracking plan.
//!
//! The plan is the one named by `plan = "..."` on the type, or else by
//! `[package.metadata.indicative] plan` in the crate's `Cargo.toml`; both
//! paths are relative to the crate's manifest directory. Each file is read
//! and checked once per compilation (a cache keyed by path, size and
//! modification time, shared by every derive of the crate), or read from
//! the copy an earlier compilation kept of the same bytes (`plan_cache`);
//! the first expansion that reads it includes its bytes (`include_bytes!`),
//! so that Cargo rebuilds the crate when the plan changes.
//!
//! What the derive checks itself (event planned, required properties present
//! and not `Option`, unplanned properties by policy) it reports at the
//! offending name; what depends on types (a field's type fits its
//! property's, an enum's values are planned) it leaves to the compiler,
//! through the traits of `indicative_contract::plan_types`, spanned at the
//! field's type.

use proc_macro2::TokenStream;
#[cfg(feature = "plan")]
use quote::quote_spanned;

/// What a plan adds to a derive's output.
#[derive(Default)]
pub struct PlanTokens {
    /// Statements inside the derived method (type checks that need the
    /// type's generics in scope).
    pub in_body: TokenStream,
    /// Items beside the impl: the checks of fields whose types stand alone,
    /// warnings, `include_bytes!`.
    pub items: TokenStream,
    /// Checks of fields whose types stand alone (gathered into one constant
    /// of `items`).
    #[cfg(feature = "plan")]
    alone: TokenStream,
    /// Checks of fields whose types name the impl's generics: type checks,
    /// and checks that must run in a constant (gathered into `in_body`).
    #[cfg(feature = "plan")]
    generic: TokenStream,
    #[cfg(feature = "plan")]
    generic_consts: TokenStream,
}

/// A warning at `span`, as `#[deprecated]` gives one (a proc-macro cannot
/// warn on stable Rust otherwise).
#[cfg(feature = "plan")]
fn warning(span: proc_macro2::Span, message: &str) -> TokenStream {
    quote_spanned! {span=>
        const _: () = {
            #[deprecated(note = #message)]
            #[allow(non_upper_case_globals)]
            const tracking_plan: () = ();
            tracking_plan
        };
    }
}

#[cfg(not(feature = "plan"))]
pub use disabled::check;

#[cfg(not(feature = "plan"))]
mod disabled {
    use std::sync::OnceLock;

    use proc_macro2::Span;

    use super::PlanTokens;
    use crate::check::Checked;
    use crate::ctxt::Ctxt;

    /// Without the `plan` feature: a plan named anyway is an error.
    pub fn check(cx: &Ctxt, checked: &Checked) -> PlanTokens {
        const HELP: &str = "checking derives against a tracking plan needs the `plan` feature of indicative-contract: `indicative-contract = { version = \"...\", features = [\"plan\"] }`";
        if let Some(given) = &checked.plan {
            cx.error_spanned_by(given, HELP);
            return PlanTokens::default();
        }
        if matches!(checked.body, crate::check::Body::Enum { .. }) || checked.generated {
            return PlanTokens::default();
        }
        // A crate that names its plan is never left unchecked in silence.
        static NAMED: OnceLock<bool> = OnceLock::new();
        let named = *NAMED.get_or_init(|| {
            std::env::var_os("CARGO_MANIFEST_DIR")
                .and_then(|dir| std::fs::read_to_string(std::path::Path::new(&dir).join("Cargo.toml")).ok())
                .is_some_and(|manifest| names_a_plan(&manifest))
        });
        if named {
            cx.syn_error(syn::Error::new(
                Span::call_site(),
                format!("this crate names a tracking plan in Cargo.toml ([package.metadata.indicative]); {HELP}"),
            ));
        }
        PlanTokens::default()
    }

    /// Whether a manifest has `[package.metadata.indicative]` (as a table, a
    /// dotted key, or a key of `[package.metadata]`), read line by line
    /// without a TOML parser (which the derive builds only with the `plan`
    /// feature); comments are not read.
    pub(super) fn names_a_plan(manifest: &str) -> bool {
        let mut table = String::new();
        for line in manifest.lines() {
            let line: String =
                line.split('#').next().unwrap_or_default().chars().filter(|c| !c.is_whitespace()).collect();
            if let Some(header) = line.strip_prefix('[') {
                table = header.trim_matches(|c| c == '[' || c == ']').to_owned();
                if table == "package.metadata.indicative" || table.starts_with("package.metadata.indicative.") {
                    return true;
                }
                continue;
            }
            let key = if table.is_empty() { line } else { format!("{table}.{line}") };
            if key.starts_with("package.metadata.indicative.") || key.starts_with("package.metadata.indicative=") {
                return true;
            }
        }
        false
    }
}

#[cfg(feature = "plan")]
pub use enabled::{check, load};

#[cfg(feature = "plan")]
mod enabled {
    use std::collections::{BTreeMap, BTreeSet};
    use std::path::{Path, PathBuf};
    use std::sync::{Arc, Mutex, PoisonError};
    use std::time::SystemTime;

    use indicative_plan_model::suggest::did_you_mean;
    use indicative_plan_model::{EventStatus, Plan, Policy, PropertySpec, PropertyType};
    use proc_macro2::{Span, TokenStream};
    use quote::{quote, quote_spanned};
    use syn::spanned::Spanned;

    use super::{PlanTokens, warning};
    use crate::check::{Body, Checked, Property};
    use crate::ctxt::Ctxt;
    use crate::plan_cache::{self, View};

    /// A file's identity for the cache: its size and modification time.
    type Stamp = (u64, Option<SystemTime>);

    fn stamp(path: &Path) -> Option<Stamp> {
        let meta = std::fs::metadata(path).ok()?;
        Some((meta.len(), meta.modified().ok()))
    }

    /// Plans read in this compilation, by absolute path.
    /// A file read once, by path: its stamp when read, and what it gave.
    type Cache<T> = Mutex<BTreeMap<PathBuf, (Option<Stamp>, Result<T, String>)>>;

    static PLANS: Cache<Arc<Plan>> = Mutex::new(BTreeMap::new());
    /// Manifests read in this compilation: the plan each names.
    static MANIFESTS: Cache<Option<String>> = Mutex::new(BTreeMap::new());
    /// Files whose bytes an expansion of this compilation has included.
    static TRACKED: Mutex<BTreeSet<PathBuf>> = Mutex::new(BTreeSet::new());

    fn manifest_dir() -> Result<PathBuf, String> {
        std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from).ok_or_else(|| {
            "CARGO_MANIFEST_DIR is not set: tracking plans are found from the crate's manifest, so build with Cargo"
                .to_owned()
        })
    }

    /// `include_bytes!` of `path`, the first time in this compilation, so
    /// that Cargo rebuilds the crate when the file changes.
    fn track(path: &Path) -> TokenStream {
        let first = TRACKED.lock().unwrap_or_else(PoisonError::into_inner).insert(path.to_path_buf());
        match path.to_str() {
            Some(text) if first => quote! { const _: usize = ::core::include_bytes!(#text).len(); },
            _ => TokenStream::new(),
        }
    }

    /// What `read` makes of the file at `path` (its text, or why it cannot
    /// be read), once per compilation: kept in `cache` with the file's
    /// stamp; with the tokens that track the file, when it exists (a build
    /// that failed on a broken plan runs again anyway).
    fn once<T: Clone>(
        cache: &Cache<T>,
        path: &Path,
        written: &str,
        read: impl FnOnce(&str) -> Result<T, String>,
    ) -> Result<(T, TokenStream), String> {
        let now = stamp(path);
        let mut entries = cache.lock().unwrap_or_else(PoisonError::into_inner);
        let fresh = matches!(entries.get(path), Some((seen, _)) if *seen == now && now.is_some());
        if !fresh {
            let result = match std::fs::read_to_string(path) {
                Ok(text) => read(&text),
                Err(error) => Err(format!(
                    "cannot read the tracking plan `{written}` (relative to the crate's manifest directory): {error}"
                )),
            };
            entries.insert(path.to_path_buf(), (now, result));
        }
        let result = entries.get(path).map(|(_, result)| result.clone()).unwrap_or_else(|| Err("unreachable".into()));
        drop(entries);
        let tracking = if path.exists() { track(path) } else { TokenStream::new() };
        result.map(|value| (value, tracking))
    }

    fn mistakes(written: &str, errors: &indicative_plan_model::PlanErrors) -> String {
        format!("the tracking plan `{written}` has mistakes:\n{errors}")
    }

    /// The plan at `written` (relative to the crate's manifest directory),
    /// read and checked once per compilation; with the tokens that track it.
    pub fn load(written: &str) -> Result<(Arc<Plan>, TokenStream), String> {
        let path = manifest_dir()?.join(written);
        once(&PLANS, &path, written, |text| {
            Plan::from_text(written, text).map(Arc::new).map_err(|errors| mistakes(written, &errors))
        })
    }

    /// Plans as the derives read them, by absolute path, for this
    /// compilation.
    static VIEWS: Cache<Arc<View>> = Mutex::new(BTreeMap::new());

    /// The plan at `written` as the derives read it: from the copy an earlier
    /// compilation kept when the plan's bytes are the same (see
    /// `plan_cache`), or else loaded and checked (and a copy kept); once per
    /// compilation, with the tokens that track the file.
    pub fn load_view(written: &str) -> Result<(Arc<View>, TokenStream), String> {
        let manifest = manifest_dir()?;
        let path = manifest.join(written);
        once(&VIEWS, &path, written, |text| {
            let copy_path = plan_cache::copy_path(&manifest, &path);
            let copied = copy_path
                .as_ref()
                .and_then(|at| std::fs::read_to_string(at).ok())
                .and_then(|copy| plan_cache::read_copy(&copy, text));
            if let Some(copy) = copied {
                return Ok(Arc::new(View::Copied(copy)));
            }
            let plan = Plan::from_text(written, text).map_err(|errors| mistakes(written, &errors))?;
            if let Some(at) = &copy_path
                && let Some(copy) = plan_cache::write_copy(&plan, text)
            {
                plan_cache::keep(at, &copy);
            }
            Ok(Arc::new(View::Loaded(Arc::new(plan))))
        })
    }

    /// `[package.metadata.indicative] plan` of the crate's Cargo.toml.
    fn manifest_plan() -> Result<Option<(String, TokenStream)>, String> {
        let path = manifest_dir()?.join("Cargo.toml");
        let now = stamp(&path);
        let mut manifests = MANIFESTS.lock().unwrap_or_else(PoisonError::into_inner);
        let fresh = matches!(manifests.get(&path), Some((seen, _)) if *seen == now && now.is_some());
        if !fresh {
            let read = std::fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()));
            let named = read.and_then(|text| {
                let table: toml::Table = text.parse().map_err(|e| format!("Cargo.toml cannot be read: {e}"))?;
                let metadata = table.get("package").and_then(|p| p.get("metadata")).and_then(|m| m.get("indicative"));
                match metadata.and_then(|m| m.get("plan")) {
                    None => Ok(None),
                    Some(toml::Value::String(plan)) => Ok(Some(plan.clone())),
                    Some(_) => {
                        Err("`[package.metadata.indicative] plan` in Cargo.toml must be a path, as a string".to_owned())
                    }
                }
            });
            manifests.insert(path.clone(), (now, named));
        }
        let named = manifests.get(&path).map(|(_, named)| named.clone()).unwrap_or(Ok(None));
        drop(manifests);
        Ok(named?.map(|plan| (plan, track(&path))))
    }

    /// Whether a field's type is written as `Option<...>`.
    fn is_option(ty: &syn::Type) -> bool {
        match ty {
            syn::Type::Path(path) => path.path.segments.last().is_some_and(|s| s.ident == "Option"),
            syn::Type::Paren(inner) => is_option(&inner.elem),
            syn::Type::Group(inner) => is_option(&inner.elem),
            _ => false,
        }
    }

    /// Whether the type is one of the standard types (primitives, `String`,
    /// `str`: `indicative_contract_limits::standard_types_of`), or a
    /// reference to one: never absent, so no need to ask the compiler
    /// whether it is an `Option` in disguise.
    fn is_known_present(ty: &syn::Type) -> bool {
        let present = |ident: &syn::Ident| {
            PropertyType::ALL.iter().any(|kind| {
                indicative_contract_limits::standard_types_of(kind.as_str()).iter().any(|name| ident == name)
            })
        };
        match ty {
            syn::Type::Reference(r) => is_known_present(&r.elem),
            syn::Type::Paren(inner) => is_known_present(&inner.elem),
            syn::Type::Path(path) => {
                path.qself.is_none() && path.path.segments.last().is_some_and(|s| present(&s.ident))
            }
            _ => false,
        }
    }

    /// The type inside `&`, `Option` and `Box`, as written.
    fn peeled(ty: &syn::Type) -> &syn::Type {
        match ty {
            syn::Type::Reference(r) => peeled(&r.elem),
            syn::Type::Paren(inner) => peeled(&inner.elem),
            syn::Type::Group(inner) => peeled(&inner.elem),
            syn::Type::Path(path) => {
                let Some(last) = path.path.segments.last() else { return ty };
                if (last.ident == "Option" || last.ident == "Box")
                    && let syn::PathArguments::AngleBracketed(args) = &last.arguments
                    && let Some(syn::GenericArgument::Type(inner)) = args.args.first()
                {
                    return peeled(inner);
                }
                ty
            }
            _ => ty,
        }
    }

    /// Whether a type can be named in a constant outside the impl: it names
    /// none of the impl's generic parameters, no `Self`, no lifetime and no
    /// associated type; read from its syntax, and `false` for any form not
    /// listed (such a field is checked in the method, which is always right).
    pub(super) fn stands_alone(ty: &syn::Type, generics: &syn::Generics) -> bool {
        let alone = |ty: &syn::Type| stands_alone(ty, generics);
        match ty {
            syn::Type::Path(path) if path.qself.is_none() => {
                path.path.segments.iter().enumerate().all(|(i, segment)| {
                    let named = i == 0
                        && (segment.ident == "Self"
                            || generics.params.iter().any(|p| match p {
                                syn::GenericParam::Type(t) => t.ident == segment.ident,
                                syn::GenericParam::Const(c) => c.ident == segment.ident,
                                syn::GenericParam::Lifetime(_) => false,
                            }));
                    !named
                        && match &segment.arguments {
                            syn::PathArguments::None => true,
                            syn::PathArguments::AngleBracketed(args) => args.args.iter().all(|arg| match arg {
                                syn::GenericArgument::Type(ty) => alone(ty),
                                _ => false,
                            }),
                            syn::PathArguments::Parenthesized(_) => false,
                        }
                })
            }
            syn::Type::Reference(r) => r.lifetime.is_none() && alone(&r.elem),
            syn::Type::Paren(inner) => alone(&inner.elem),
            syn::Type::Group(inner) => alone(&inner.elem),
            syn::Type::Slice(slice) => alone(&slice.elem),
            syn::Type::Tuple(tuple) => tuple.elems.iter().all(alone),
            _ => false,
        }
    }

    /// Whether the type is one of the standard types that fit `kind`
    /// (`indicative_contract_limits::standard_types_of`), read from its
    /// spelling: alone, or in `Option`, `Box` or a reference.
    pub(super) fn is_standard_fit(ty: &syn::Type, kind: PropertyType) -> bool {
        match peeled(ty) {
            syn::Type::Path(path) if path.qself.is_none() => path.path.segments.last().is_some_and(|last| {
                last.arguments.is_none()
                    && indicative_contract_limits::standard_types_of(kind.as_str())
                        .iter()
                        .any(|name| last.ident == name)
            }),
            _ => false,
        }
    }

    fn marker(kind: PropertyType) -> TokenStream {
        match kind {
            PropertyType::String => quote!(StringType),
            PropertyType::Integer => quote!(IntegerType),
            PropertyType::Number => quote!(NumberType),
            PropertyType::Boolean => quote!(BooleanType),
            PropertyType::Datetime => quote!(DatetimeType),
            PropertyType::Enum => quote!(EnumType),
        }
    }

    /// The checks of one planned property's field: calls of
    /// `indicative_contract::__private` (named `__ic` where they land), so
    /// that no macro is expanded in the user's crate and few tokens are
    /// written. A field whose type stands alone is checked in a constant
    /// beside the impl; one that names the impl's generics, in the method.
    fn check_property(
        cx: &Ctxt,
        checked: &Checked,
        property: &Property,
        spec: &PropertySpec,
        whose: &str,
        out: &mut PlanTokens,
    ) {
        let Property { ty, name, .. } = property;
        // Required user properties are not required of identify requests
        // (the lint does not require them either).
        let required = spec.required && matches!(checked.body, Body::Event { .. });
        if required && is_option(ty) {
            cx.error_spanned_by(
                ty,
                format!("the tracking plan requires property \"{name}\" of {whose}: its field cannot be an `Option`"),
            );
        }
        let alone = stands_alone(ty, &checked.generics);
        let marker = marker(spec.kind);
        let span = ty.span();
        let mut consts = TokenStream::new();
        let mut fits = TokenStream::new();
        if required && !is_option(ty) && !is_known_present(ty) {
            // An `Option` behind an alias, a reference or a box: by type.
            // (Its bound is the type check, too.)
            let message = format!(
                "the tracking plan requires property \"{name}\" of {whose}: its field's type may be absent (an `Option`)"
            );
            consts.extend(quote_spanned! {span=> __ic::require_present::<#ty, __ic::#marker>(#message); });
        } else if !(alone && is_standard_fit(ty, spec.kind)) {
            // A standard type, by its spelling, needs no check (and no tokens).
            fits = quote_spanned! {span=> __ic::fits_plan_type::<#ty, __ic::#marker>(); };
        }
        // The values of an `enum` property: a derived enum lists them (and
        // they are checked against the plan's); text lists none (its values
        // are checked when linted). Both are judged by type, through
        // `PlanValues`, so that an alias of `String` is text; only a standard
        // text type spelled as such (`String`, `&str`) needs no check.
        let inner = peeled(ty);
        if spec.kind == PropertyType::Enum && !spec.values.is_empty() && !is_standard_fit(ty, spec.kind) {
            let planned = &spec.values;
            consts.extend(quote_spanned! {span=> __ic::require_planned_values::<#inner>(&[#(#planned),*]); });
        }
        if alone {
            out.alone.extend(fits);
            out.alone.extend(consts);
        } else {
            out.generic.extend(fits);
            out.generic_consts.extend(consts);
        }
    }

    /// A property the plan does not have, under `policy`.
    fn unplanned(cx: &Ctxt, property: &Property, planned: &[&str], policy: Policy, whose: &str, out: &mut PlanTokens) {
        let name = &property.name;
        let hint = did_you_mean(name, planned.iter().copied())
            .map(|near| format!(" (did you mean \"{near}\"?)"))
            .unwrap_or_default();
        match policy {
            Policy::Deny => cx.syn_error(syn::Error::new(
                property.span,
                format!("property \"{name}\" is not in the tracking plan for {whose}{hint}, and the plan's policy for unplanned properties is `deny`"),
            )),
            Policy::Warn => out.items.extend(warning(
                property.span,
                &format!("property \"{name}\" is not in the tracking plan for {whose}{hint}; linting warns about it (the plan's policy is `warn`)"),
            )),
            Policy::Allow => {}
        }
    }

    pub fn check(cx: &Ctxt, checked: &Checked) -> PlanTokens {
        let mut out = PlanTokens::default();
        // A property value's enum is checked where an event uses it; a type
        // tracking_plan! generated matches its plan by construction.
        if matches!(checked.body, Body::Enum { .. }) || checked.generated {
            return out;
        }
        let source = match &checked.plan {
            Some(given) => load_view(&given.value()).map(|loaded| Some((loaded, given.span()))),
            None => manifest_plan().and_then(|named| match named {
                None => Ok(None),
                Some((written, manifest)) => {
                    out.items.extend(manifest);
                    load_view(&written).map(|loaded| Some((loaded, Span::call_site())))
                }
            }),
        };
        let ((plan, tracking), _) = match source {
            Ok(Some(found)) => found,
            Ok(None) => return out,
            Err(message) => {
                let span = checked.plan.as_ref().map_or_else(Span::call_site, syn::LitStr::span);
                cx.syn_error(syn::Error::new(span, message));
                return out;
            }
        };
        out.items.extend(tracking);
        match &checked.body {
            Body::Event { name, name_span, properties, .. } => {
                // A copy's line that cannot be read: the plan itself.
                let event = plan.event(name).unwrap_or_else(|()| {
                    let written = checked
                        .plan
                        .as_ref()
                        .map(syn::LitStr::value)
                        .or_else(|| manifest_plan().ok().flatten().map(|(w, _)| w));
                    written
                        .and_then(|w| load(&w).ok())
                        .and_then(|(plan, _)| View::Loaded(plan).event(name).ok().flatten())
                });
                let Some(event) = event else {
                    let hint = did_you_mean(name, plan.names())
                        .map(|near| format!(" (did you mean \"{near}\"?)"))
                        .unwrap_or_default();
                    cx.syn_error(syn::Error::new(
                        *name_span,
                        format!("event \"{name}\" is not in the tracking plan {}{hint}", plan.name()),
                    ));
                    return out;
                };
                if event.status == EventStatus::Deprecated && !checked.deprecated {
                    let until = event.sunset.map(|d| format!("; it is refused from {d}")).unwrap_or_default();
                    out.items
                        .extend(warning(*name_span, &format!("the tracking plan deprecates event \"{name}\"{until}")));
                }
                let whose = format!("event \"{name}\"");
                // The event's groups are folded into its own properties.
                let planned: Vec<(&str, &PropertySpec)> =
                    event.properties.iter().map(|(name, spec)| (name.as_str(), spec)).collect();
                let names: Vec<&str> = planned.iter().map(|(n, _)| *n).collect();
                for (planned_name, spec) in &planned {
                    if spec.required && !properties.iter().any(|p| p.name == *planned_name) {
                        cx.error_spanned_by(
                            &checked.ident,
                            format!(
                                "the tracking plan requires property \"{planned_name}\" ({}) of {whose}, and no field holds it",
                                spec.kind.as_str()
                            ),
                        );
                    }
                }
                let policy = event.policy.unwrap_or_else(|| plan.policy());
                for property in properties {
                    match planned.iter().find(|(n, _)| *n == property.name) {
                        Some((_, spec)) => check_property(cx, checked, property, spec, &whose, &mut out),
                        None => unplanned(cx, property, &names, policy, &whose, &mut out),
                    }
                }
            }
            Body::User { properties, .. } => {
                let names: Vec<&str> = plan.user_properties().keys().map(String::as_str).collect();
                for property in properties {
                    match plan.user_properties().get(&property.name) {
                        Some(spec) => check_property(cx, checked, property, spec, "the user properties", &mut out),
                        None => unplanned(cx, property, &names, plan.policy(), "the user properties", &mut out),
                    }
                }
            }
            Body::Enum { .. } => {}
        }
        let (alone, generic, generic_consts) =
            (std::mem::take(&mut out.alone), std::mem::take(&mut out.generic), std::mem::take(&mut out.generic_consts));
        if !alone.is_empty() {
            // The field types are the user's, with their spans: a
            // deprecated one is reported at the field, not again here.
            let alone = quote! {
                #[allow(unused_qualifications, deprecated, clippy::all)]
                const _: () = {
                    use ::indicative_contract::__private as __ic;
                    #alone
                };
            };
            out.items.extend(alone);
        }
        if !generic.is_empty() || !generic_consts.is_empty() {
            let consts = (!generic_consts.is_empty()).then(|| quote!(const { #generic_consts };));
            let in_body = quote! {
                {
                    use ::indicative_contract::__private as __ic;
                    #generic
                    #consts
                }
            };
            out.in_body.extend(in_body);
        }
        out
    }
}

#[cfg(all(test, feature = "plan"))]
mod enabled_tests {
    #[test]
    fn a_standard_type_fits_by_its_spelling_and_only_the_plan_types_it_fits() {
        use indicative_plan_model::PropertyType::{Boolean, Datetime, Enum, Integer, Number, String};
        let fits = |ty: syn::Type, kind| super::enabled::is_standard_fit(&ty, kind);
        assert!(fits(syn::parse_quote!(String), String));
        assert!(fits(syn::parse_quote!(Option<&'static str>), Enum));
        assert!(fits(syn::parse_quote!(Box<u32>), Integer));
        assert!(fits(syn::parse_quote!(u8), Number));
        assert!(fits(syn::parse_quote!(bool), Boolean));
        // Left to the compiler: other plan types, other names, generic arguments.
        // Names an alias may take (`type Timestamp = i64;`) are the trait's to judge.
        assert!(!fits(syn::parse_quote!(Option<indicative_contract::jiff::Timestamp>), Datetime));
        assert!(!fits(syn::parse_quote!(Timestamp), Datetime));
        assert!(!fits(syn::parse_quote!(EventTime), Datetime));
        assert!(!fits(syn::parse_quote!(PropertyValue), String));
        assert!(!fits(syn::parse_quote!(std::num::NonZeroU32), Integer));
        assert!(!fits(syn::parse_quote!(f64), Integer));
        assert!(!fits(syn::parse_quote!(String), Integer));
        assert!(!fits(syn::parse_quote!(char), Enum));
        assert!(!fits(syn::parse_quote!(Tier), Enum));
        assert!(!fits(syn::parse_quote!(Cow<'static, str>), String));
        assert!(!fits(syn::parse_quote!(Vec<String>), String));
        assert!(!fits(syn::parse_quote!((u8, u8)), Integer));
    }

    #[test]
    fn a_field_type_stands_alone_unless_it_names_the_impls_generics_self_or_a_lifetime() {
        let generics: syn::Generics = syn::parse_quote!(<'a, T, const N: usize>);
        let alone = |ty: syn::Type| super::enabled::stands_alone(&ty, &generics);
        assert!(alone(syn::parse_quote!(String)));
        assert!(alone(syn::parse_quote!(Option<indicative_contract::jiff::Timestamp>)));
        assert!(alone(syn::parse_quote!(Box<(u8, [Tier])>)));
        assert!(alone(syn::parse_quote!(my::T)), "`T` after a path is not the parameter");
        assert!(!alone(syn::parse_quote!(T)));
        assert!(!alone(syn::parse_quote!(Option<Vec<T>>)));
        assert!(!alone(syn::parse_quote!(&'a str)));
        assert!(!alone(syn::parse_quote!(Cow<'static, str>)));
        assert!(!alone(syn::parse_quote!(Self)));
        assert!(!alone(syn::parse_quote!(<T as Tr>::Out)));
        assert!(!alone(syn::parse_quote!([u8; N])));
        assert!(!alone(syn::parse_quote!(Wrapper<N>)), "a const parameter");
    }
}

#[cfg(all(test, not(feature = "plan")))]
mod tests {
    use super::disabled::names_a_plan;

    #[test]
    fn a_manifest_names_a_plan_in_any_toml_spelling_but_not_in_a_comment() {
        assert!(names_a_plan("[package]\nname = \"x\"\n\n[package.metadata.indicative]\nplan = \"p.yaml\"\n"));
        assert!(names_a_plan("[package.metadata]\nindicative.plan = \"p.yaml\"\n"));
        assert!(names_a_plan("[package.metadata]\nindicative = { plan = \"p.yaml\" }\n"));
        assert!(names_a_plan("[package]\nmetadata.indicative.plan = \"p.yaml\"\n"));
        assert!(!names_a_plan(
            "# [package.metadata.indicative] plan, in a comment\n[features]\nplan = [] # metadata.indicative\n"
        ));
        assert!(!names_a_plan("[package.metadata.docs]\nall-features = true\n"));
    }
}

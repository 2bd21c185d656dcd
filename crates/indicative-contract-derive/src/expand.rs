//! Expanding checked input. On errors, the errors and a stub impl, so that
//! the user sees the mistakes, not a cascade of missing-trait errors.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use crate::ast::{Container, Derive};
use crate::check::{Body, Checked, Property, check};
use crate::ctxt::Ctxt;

pub fn derive(input: TokenStream, derive: Derive) -> TokenStream {
    let input: syn::DeriveInput = match syn::parse2(input) {
        Ok(input) => input,
        Err(error) => return error.to_compile_error(),
    };
    let (ident, generics) = (input.ident.clone(), input.generics.clone());
    let cx = Ctxt::new();
    let checked = check(&cx, Container::parse(&cx, input, derive));
    let plan = checked.as_ref().map(|checked| crate::plan::check(&cx, checked)).unwrap_or_default();
    match (cx.check(), checked) {
        (Ok(()), Some(checked)) => {
            let mut out = wrap(expand(&checked, &plan.in_body));
            out.extend(plan.items);
            out
        }
        (Err(errors), _) => {
            let mut out = errors.to_compile_error();
            out.extend(wrap(fallback(derive, &ident, &generics)));
            // The plan's tracking too, so that fixing the plan rebuilds.
            out.extend(plan.items);
            out
        }
        (Ok(()), None) => wrap(fallback(derive, &ident, &generics)),
    }
}

fn wrap(item: TokenStream) -> TokenStream {
    quote! {
        #[doc(hidden)]
        #[allow(non_upper_case_globals, unused_qualifications, deprecated, clippy::all)]
        const _: () = {
            #item
        };
    }
}

/// The impl the compiler sees when the input had mistakes.
fn fallback(derive: Derive, ident: &syn::Ident, generics: &syn::Generics) -> TokenStream {
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();
    let body = match derive {
        Derive::TrackEvent => quote! {
            impl #impl_generics ::indicative_contract::TrackEvent for #ident #ty_generics #where_clause {
                fn to_batch_event(&self) -> ::core::result::Result<::indicative_contract::BatchEvent, ::indicative_contract::ContractError> {
                    ::core::unimplemented!()
                }
            }
        },
        Derive::UserProperties => quote! {
            impl #impl_generics ::indicative_contract::UserProperties for #ident #ty_generics #where_clause {
                fn to_parts(&self) -> ::core::result::Result<(::indicative_contract::UniqueId, ::indicative_contract::Properties), ::indicative_contract::ContractError> {
                    ::core::unimplemented!()
                }
            }
        },
        Derive::ToPropertyValue => quote! {
            impl #impl_generics ::indicative_contract::ToPropertyValue for #ident #ty_generics #where_clause {
                fn to_property_value(&self) -> ::core::option::Option<::indicative_contract::PropertyValue> {
                    ::core::unimplemented!()
                }
            }
        },
    };
    quote! { #[automatically_derived] #body }
}

/// Inserts each property that has a value. The call is spanned at the field's
/// type, so that a type that is not a property value is reported there.
fn insert_properties(properties: &[Property]) -> TokenStream {
    let inserts = properties.iter().map(|Property { field, ty, name, .. }| {
        let value = quote_spanned! {ty.span()=>
            ::indicative_contract::ToPropertyValue::to_property_value(&self.#field)
        };
        quote! {
            if let ::core::option::Option::Some(value) = #value {
                properties.insert(::indicative_contract::PropertyName::from_static(#name), value);
            }
        }
    });
    quote! {
        let mut properties = ::indicative_contract::Properties::new();
        #(#inserts)*
    }
}

fn unique_id_text(field: &syn::Ident, ty: &syn::Type, wire_name: &str) -> TokenStream {
    quote_spanned! {ty.span()=>
        ::indicative_contract::__private::unique_id_text(&self.#field, #wire_name)?
    }
}

/// The derived impl; `plan_checks` are statements (type checks against the
/// plan) that go inside its method, where the type's generics are in scope.
fn expand(checked: &Checked, plan_checks: &TokenStream) -> TokenStream {
    let Checked { ident, generics, body, .. } = checked;
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();
    let item = match body {
        Body::Event { name, unique_id: (uid, uid_ty), time, properties, .. } => {
            let properties = insert_properties(properties);
            let uid = unique_id_text(uid, uid_ty, "eventUniqueId");
            let time = match time {
                Some((field, ty)) => quote_spanned! {ty.span()=>
                    ::indicative_contract::ToEventTime::to_event_time(&self.#field)?
                },
                None => quote! { ::core::option::Option::None },
            };
            quote! {
                impl #impl_generics ::indicative_contract::TrackEvent for #ident #ty_generics #where_clause {
                    fn to_batch_event(&self) -> ::core::result::Result<::indicative_contract::BatchEvent, ::indicative_contract::ContractError> {
                        #plan_checks
                        // Checked when the derive ran; a const, so checked again by the compiler.
                        const EVENT_NAME: ::indicative_contract::EventName = ::indicative_contract::EventName::from_static(#name);
                        #properties
                        ::core::result::Result::Ok(::indicative_contract::BatchEvent {
                            event_name: EVENT_NAME,
                            event_unique_id: ::indicative_contract::EventUniqueId::new(#uid)?,
                            properties: if properties.is_empty() { ::core::option::Option::None } else { ::core::option::Option::Some(properties) },
                            event_time: #time,
                        })
                    }
                }
            }
        }
        Body::User { unique_id: (uid, uid_ty), properties } => {
            let properties = insert_properties(properties);
            let uid = unique_id_text(uid, uid_ty, "uniqueId");
            quote! {
                impl #impl_generics ::indicative_contract::UserProperties for #ident #ty_generics #where_clause {
                    fn to_parts(&self) -> ::core::result::Result<(::indicative_contract::UniqueId, ::indicative_contract::Properties), ::indicative_contract::ContractError> {
                        #plan_checks
                        #properties
                        ::core::result::Result::Ok((::indicative_contract::UniqueId::new(#uid)?, properties))
                    }
                }
            }
        }
        Body::Enum { variants } => {
            let arms = variants.iter().map(|(variant, text)| quote! { Self::#variant => #text, });
            let values = variants.iter().map(|(variant, text)| {
                let message = format!(
                    "variant `{variant}` of `{ident}` stands for \"{text}\", which the tracking plan does not list among this property's values"
                );
                let variant = variant.to_string();
                quote! { (#variant, #text, #message), }
            });
            quote! {
                impl #impl_generics ::indicative_contract::plan_types::PlanValues for #ident #ty_generics #where_clause {
                    const VALUES: &'static [(&'static str, &'static str, &'static str)] = &[#(#values)*];
                }
                impl #impl_generics ::indicative_contract::plan_types::FitsPlanType<::indicative_contract::plan_types::EnumType> for #ident #ty_generics #where_clause {}
                impl #impl_generics ::indicative_contract::plan_types::FitsPlanType<::indicative_contract::plan_types::StringType> for #ident #ty_generics #where_clause {}
                impl #impl_generics ::indicative_contract::ToPropertyValue for #ident #ty_generics #where_clause {
                    fn to_property_value(&self) -> ::core::option::Option<::indicative_contract::PropertyValue> {
                        ::core::option::Option::Some(::indicative_contract::PropertyValue::from_static(match self { #(#arms)* }))
                    }
                }
            }
        }
    };
    quote! { #[automatically_derived] #item }
}

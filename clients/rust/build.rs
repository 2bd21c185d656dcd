//! Generates the client from the committed OpenAPI 3.0 document, as a
//! progenitor user does ("builder" use), into `$OUT_DIR/client.rs`.

fn main() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../schemas/openapi-3.0.json");
    println!("cargo:rerun-if-changed={path}");
    let text = std::fs::read_to_string(path).expect("schemas/openapi-3.0.json");
    let spec: openapiv3::OpenAPI = serde_json::from_str(&text).expect("an OpenAPI 3.0 document");
    let mut generator = progenitor::Generator::default();
    let tokens = generator.generate_tokens(&spec).expect("progenitor generates a client");
    let file: syn::File = syn::parse2(tokens).expect("Rust");
    let out = std::path::Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("client.rs");
    std::fs::write(out, prettyplease::unparse(&file)).expect("written");
}

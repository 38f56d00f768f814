//! The generator's fixtures: one small spec per construct in `codegen/fixtures/`,
//! generated into `codegen/fixtures/generated/` (workspace members, so the
//! workspace's clippy `-D warnings` and tests build every one of them). Each
//! fixture's public API is a snapshot, and the committed crates must equal a
//! fresh generation.

// A failed expectation is how a test reports; panicking is its job.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

fn fixtures() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"))
}

fn generated() -> codegen::Generated {
    codegen::generate(&fixtures()).unwrap_or_else(|e| panic!("the fixtures do not generate: {e}"))
}

#[test]
fn every_fixture_generates_and_its_api_is_reviewed() {
    let generated = generated();
    assert!(
        generated.services.len() >= 8,
        "fixtures: {}",
        generated.services.len()
    );
    for service in &generated.services {
        let surface = generated
            .api_surface(&service.module)
            .unwrap_or_else(|e| panic!("{}: {e}", service.module));
        insta::assert_snapshot!(format!("api_{}", service.module), surface);
    }
}

#[test]
fn the_committed_fixture_crates_are_fresh() {
    let changes = codegen::plan(&fixtures().join("generated"), &generated())
        .unwrap_or_else(|e| panic!("{e}"));
    let listed: Vec<String> = changes
        .iter()
        .map(|c| format!("{} {}", c.verb(), c.path))
        .collect();
    assert!(
        changes.is_empty(),
        "codegen/fixtures/generated is stale ({}); run `{}`",
        listed.join(", "),
        codegen::REGENERATE
    );
}

/// Constructs the fixtures exist for come out as the types they should.
#[test]
fn constructs_become_the_expected_types() {
    let generated = generated();
    let file = |path: &str| {
        generated
            .files
            .get(path)
            .unwrap_or_else(|| panic!("no {path}"))
            .as_str()
    };
    let cases: &[(&str, &[&str])] = &[
        (
            "fixture_maps/src/models.rs",
            &[
                "pub databases: Option<std::collections::BTreeMap<String, Database>>",
                "pub labels: Option<std::collections::BTreeMap<String, String>>",
                "pub settings: Option<std::collections::BTreeMap<String, serde_json::Value>>",
                "#[serde(flatten)]",
                "pub additional_properties: std::collections::BTreeMap<String, serde_json::Value>",
                "`additionalProperties: false`",
            ],
        ),
        (
            "fixture_recursion/src/models.rs",
            &[
                "pub backup: Option<Box<Endpoint>>",
                "pub shards: Option<Vec<Endpoint>>",
                "pub peers: Option<std::collections::BTreeMap<String, Endpoint>>",
                "pub readme: Option<Box<Document>>",
                "pub folder: Option<Box<Folder>>",
            ],
        ),
        (
            "fixture_composition/src/models.rs",
            &[
                "pub enum Pet {",
                "Dog(Dog),",
                "Some(\"dog\") => Self::Dog(rt::variant(value)?)",
                "Unknown(serde_json::Value),",
                "pub struct Dog {",
                "pub owner: Option<Option<Owner>>",
                "pub enum Color {",
                "pub enum Size {",
                "Other(serde_json::Value),",
                "pub enum JobUpdate {",
                // The one much larger alternative is boxed, the small one is not.
                "Polygon(Box<Polygon>),",
                "Label(Label),",
                // Checked (a list with a size rule holds them), nothing to check.
                "impl rt::Check for CreateShapesBodyPairsItemItem {\n    fn check(&self, _: &mut rt::Validator, _: &rt::Rules) {}",
                "impl rt::Check for Point {\n    fn check(&self, _: &mut rt::Validator, _: &rt::Rules) {}",
            ],
        ),
        (
            "fixture_scalars/src/models.rs",
            &[
                "pub i8: i8,",
                "pub u64: u64,",
                "pub i16: Option<i16>",
                "pub u8: Option<u8>",
                "pub f32: Option<f32>",
                "pub plain: Option<i64>",
                "pub secret: Option<crate::Secret>",
                "pub note: Option<Option<String>>",
                "pub note_required: Option<String>",
                "Format: `date-time` (not checked).",
                "`maxLength` does not apply to a value of type `integer`",
                "not checked by the client: it uses look-around",
                "`required` names `missing`",
            ],
        ),
        (
            "fixture_bodies/src/operations.rs",
            &[
                "request.form_body(\"application/x-www-form-urlencoded\"",
                "form.file(\"file\", body.file)",
                "request.multipart_body(form)",
                "request.payload_body(\"application/octet-stream\"",
                "self.client.inner.send_download(request)",
                "request.text_body(\"text/plain\"",
                "self.client.inner.send_text(request)",
                "pub fn raw_body(",
                "pub enum PatchSettingsReply {",
                "202 => PatchSettingsReply::Accepted(reply.json()?)",
                "204 => PatchSettingsReply::NoContent,",
                // A download beside small replies is boxed.
                "Ok(Box<crate::Download>),",
                "200 => GetExportReply::Ok(Box::new(reply.into_download())),",
            ],
        ),
        (
            "fixture_arguments/src/client.rs",
            &[
                "required: operations::CreatePetsRequired,",
                "operations::CreatePetsBuilder::new(self.clone(), required)",
            ],
        ),
        (
            "fixture_arguments/src/operations.rs",
            &[
                "pub struct CreatePetsRequired {",
                "pub(crate) fn new(client: crate::Client, required: CreatePetsRequired) -> Self {",
            ],
        ),
        (
            "fixture_arguments/examples/fixture_arguments_delete_pet.rs",
            &[
                ".parse::<i64>()",
                ".parse::<f32>()",
                ".parse::<bool>()",
                ".map(str::parse::<i32>)",
                ".map(|item| models::Kind::from(item.to_owned()))",
                ".map(str::to_owned)",
            ],
        ),
        (
            "fixture_arguments/examples/fixture_arguments_create_pets.rs",
            &[
                "huaweicloud_sdk_fixture_arguments::operations::CreatePetsRequired {",
                // An object argument is JSON text.
                "serde_json::from_str::<models::CreatePetsFilter>(&next(\"filter\")?)",
                "kind: kind.into(),\n            count,",
            ],
        ),
        (
            "fixture_arguments/examples/fixture_arguments_list_legacy_pets.rs",
            &["#[allow(\n    deprecated,"],
        ),
        (
            "fixture_docs/src/lib.rs",
            &[
                "\\<code\\><https://api.example.com/v1>\\</code\\>",
                "href=\"<https://example.com/docs>\"",
                "\\[the guide\\](<https://example.com/guide>)",
                "see <https://example.com/faq>.);",
                "tabs; and",
            ],
        ),
        (
            "fixture_docs/src/models.rs",
            &[
                "/// - ASYNC: returns at once\n    ///\n    /// Default: SYNC",
                "/// - OBS: a file in OBS (<https://example.com/obs>)",
                "/// Job\n",
                "/// `owner`\n",
            ],
        ),
        (
            // Deeper than the compiler's default recursion limit allows for.
            "fixture_nesting/src/lib.rs",
            &["#![recursion_limit = \"512\"]"],
        ),
        (
            "fixture_docs/src/client.rs",
            &[
                "///   - brief: the name only\n    ///\n    ///   Sent as the `view` query parameter",
            ],
        ),
        (
            "fixture_params/src/operations.rs",
            &[
                "request.param(rt::In::Query, \"names\", &value, rt::Style::Form)?",
                "rt::Style::SpaceDelimited",
                "rt::Style::PipeDelimited",
                "rt::Style::DeepObject",
                "rt::Style::Json",
                "request.cookie(\"session\", value)",
                "request.query(\"include_deleted\", \"false\")",
                "request.header(\"X-Trace\", value.to_string())",
            ],
        ),
        (
            "fixture_names/src/client.rs",
            &[
                "pub fn new_op(&self)",
                "pub fn raw_op(&self)",
                "pub fn endpoint_op(",
            ],
        ),
        (
            "fixture_names/src/models.rs",
            &[
                "pub struct OptionModel",
                "pub struct ResultModel",
                "pub struct StringModel",
                "pub enum BoxModel",
                "pub r#type:",
                "pub crate_:",
                "pub n2fa:",
                "pub grosse:",
                "pub ming_cheng:",
                "Value1st2,",
            ],
        ),
    ];
    for (path, needles) in cases {
        let text = file(path);
        for needle in *needles {
            assert!(text.contains(needle), "{path} lacks `{needle}`");
        }
    }
}

/// `x-paths` (`fixture_actions`): each operation that shares a path and method
/// with another is a method of its own, with its own builder, body type, docs,
/// mock method and example, and the path it sends has no `#label`.
#[test]
fn operations_of_x_paths_are_operations_of_their_own() {
    let generated = generated();
    let service = generated
        .services
        .iter()
        .find(|s| s.module == "fixture_actions")
        .expect("the fixture_actions service");
    let routes: Vec<(&str, &str, &str)> = service
        .operations
        .iter()
        .map(|o| (o.id.as_str(), o.http_method.as_str(), o.path.as_str()))
        .collect();
    assert_eq!(
        routes,
        [
            ("create_instance", "POST", "/v1/{project_id}/instances"),
            (
                "start_instance",
                "POST",
                "/v1/{project_id}/instances/{instance_id}/action"
            ),
            ("list_jobs", "GET", "/v1/{project_id}/jobs"),
            (
                "create_restore_instance",
                "POST",
                "/v1/{project_id}/instances"
            ),
            (
                "stop_instance",
                "POST",
                "/v1/{project_id}/instances/{instance_id}/action"
            ),
            (
                "restart_instance",
                "POST",
                "/v1/{project_id}/instances/{instance_id}/action"
            ),
            ("show_job", "GET", "/v1/{project_id}/jobs"),
        ]
    );
    let file = |path: &str| {
        generated
            .files
            .get(path)
            .unwrap_or_else(|| panic!("no {path}"))
            .as_str()
    };
    let client = file("fixture_actions/src/client.rs");
    let operations = file("fixture_actions/src/operations.rs");
    let mock = file("fixture_actions/src/mock.rs");
    for (id, _, _) in &routes {
        assert!(client.contains(&format!("pub fn {id}(")), "no method {id}");
        assert!(
            mock.contains(&format!("pub fn on_{id}(")),
            "no mock method {id}"
        );
        assert!(
            operations.contains(&format!("id: \"{id}\",")),
            "no operation info {id}"
        );
        file(&format!("fixture_actions/examples/fixture_actions_{id}.rs"));
    }
    for needle in [
        "pub struct CreateRestoreInstanceBuilder",
        "body: models::RestoreInstanceRequest,",
        "body: models::StopInstanceBody,",
        "request.query(\"id\", ",
    ] {
        assert!(
            operations.contains(needle),
            "operations.rs lacks `{needle}`"
        );
    }
    for line in operations
        .lines()
        .filter(|l| l.trim_start().starts_with("path: \""))
    {
        assert!(!line.contains('#'), "a label is sent: {line}");
    }
    for needle in [
        "/// The same method and path as [`create_instance`](Self::create_instance): the operations differ by their inputs.",
        "/// The same method and path as [`start_instance`](Self::start_instance) and [`stop_instance`](Self::stop_instance): the operations differ by their inputs.",
        "/// The same path as create_instance; the body names the backup to restore.",
    ] {
        assert!(client.contains(needle), "client.rs lacks `{needle}`");
    }
}

//! `codegen import`: Swagger 2.0 (API Explorer's envelope) → OpenAPI 3.0.3.
//! One test per conversion rule and per repair, a snapshot of a converted
//! document, determinism, and located errors for broken inputs.
//!
//! Fixtures: `tests/fixtures/import/` (synthetic files in API Explorer's
//! envelope; nothing is read from outside the repository).

// A failed expectation is how a test reports; panicking is its job.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use codegen::ErrorKind;
use codegen::import::{Imported, Options, import};
use serde_json::{Value, json};

fn fixture_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import")
}

/// Fixture texts, labelled `import/<dir>/<file>` so messages do not depend on
/// where the repository is.
fn fixtures(dir: &str) -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    let mut entries: Vec<PathBuf> = std::fs::read_dir(fixture_root().join(dir))
        .expect("fixture directory")
        .map(|e| e.expect("entry").path())
        .collect();
    entries.sort();
    for path in entries {
        let name = path
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        let text = std::fs::read_to_string(&path).expect("fixture text");
        out.push((PathBuf::from(format!("import/{dir}/{name}")), text));
    }
    out
}

fn fixture(dir: &str, file: &str) -> (PathBuf, String) {
    let text = std::fs::read_to_string(fixture_root().join(dir).join(file)).expect("fixture");
    (PathBuf::from(format!("import/{dir}/{file}")), text)
}

fn gaussdb() -> Imported {
    import(&fixtures("gaussdb"), &Options::default())
}

fn op<'a>(doc: &'a Value, path: &str, method: &str) -> &'a Value {
    let op = &doc["paths"][path][method];
    assert!(op.is_object(), "no {method} {path} in {doc:#}");
    op
}

fn has_repair(imported: &Imported, file: &str, pointer: &str, needle: &str) -> bool {
    imported.repairs.iter().any(|r| {
        r.file.to_string_lossy().ends_with(file)
            && r.pointer == pointer
            && r.message.contains(needle)
    })
}

fn assert_repair(imported: &Imported, file: &str, pointer: &str, needle: &str) {
    assert!(
        has_repair(imported, file, pointer, needle),
        "no repair `{needle}` at {file} {pointer}; repairs:\n{}",
        imported
            .repairs
            .iter()
            .map(|r| r.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    );
}

const CREATE: &str = "/v3/{project_id}/instances/{instance_id}/starrocks/databases/replication";
const LIST: &str = "/v3/{project_id}/instances/{instance_id}/htap";

#[test]
fn output_is_openapi_3_0_3_that_openapiv3_reads() {
    let imported = gaussdb();
    // Only the two empty files are left out.
    assert_eq!(imported.errors.len(), 2, "{:?}", imported.errors);
    let yaml = imported.yaml().expect("yaml");
    let spec = codegen::load::parse(Path::new("gaussdb.yaml"), yaml).expect("openapiv3 reads it");
    assert_eq!(spec.doc.openapi, "3.0.3");
    assert_eq!(spec.doc.paths.paths.len(), 5);
    assert_eq!(imported.operations, 5);
}

#[test]
fn body_parameter_becomes_request_body_with_consumes_types() {
    let doc = gaussdb().document;
    let rb = &op(&doc, CREATE, "post")["requestBody"];
    assert_eq!(rb["required"], json!(true));
    assert_eq!(rb["description"], json!("Request body."));
    let content = rb["content"].as_object().expect("content");
    // `consumes` is a JSON-encoded string in API Explorer's envelope.
    assert_eq!(
        content.keys().collect::<Vec<_>>(),
        ["application/json;charset=UTF-8"]
    );
    assert_eq!(
        content["application/json;charset=UTF-8"]["schema"],
        json!({"$ref": "#/components/schemas/CreateReplicationRequestBody"})
    );
    assert_eq!(
        rb["x-codegen-request-body-name"],
        json!("CreateReplicationRequestBody")
    );
}

#[test]
fn form_data_with_a_file_becomes_multipart_with_binary() {
    let doc = gaussdb().document;
    let rb = &op(&doc, "/v3/{project_id}/htap/files", "post")["requestBody"];
    let schema = &rb["content"]["multipart/form-data"]["schema"];
    assert_eq!(schema["type"], json!("object"));
    assert_eq!(
        schema["properties"]["file"],
        json!({"type": "string", "format": "binary", "description": "The file."})
    );
    assert_eq!(schema["properties"]["type"]["type"], json!("string"));
    assert_eq!(schema["required"], json!(["file"]));
    assert_eq!(rb["required"], json!(true));
}

#[test]
fn form_data_without_a_file_becomes_urlencoded() {
    let doc = gaussdb().document;
    let rb = &op(&doc, "/v3/{project_id}/htap/backups/{backup_id}", "delete")["requestBody"];
    let schema = &rb["content"]["application/x-www-form-urlencoded"]["schema"];
    assert_eq!(schema["properties"]["reason"]["type"], json!("string"));
    assert_eq!(schema["required"], json!(["reason"]));
}

#[test]
fn produces_gives_response_content_types_and_file_responses_are_binary() {
    let doc = gaussdb().document;
    let ok = &op(&doc, LIST, "get")["responses"]["200"]["content"];
    assert_eq!(
        ok.as_object().expect("content").keys().collect::<Vec<_>>(),
        ["application/json"]
    );
    // Without `produces`, a schema is JSON.
    let created = &op(&doc, CREATE, "post")["responses"]["200"]["content"];
    assert!(created["application/json"]["schema"].is_object());
    // `type: file`: the type the example names, as a binary string.
    let file =
        &op(&doc, "/v3/{project_id}/htap/logs/{log_id}", "get")["responses"]["200"]["content"];
    assert_eq!(
        file["application/x-download;charset=UTF-8"],
        json!({"schema": {"type": "string", "format": "binary"}, "example": "log text"})
    );
}

#[test]
fn definitions_become_components_and_refs_are_rewritten() {
    let doc = gaussdb().document;
    let schemas = doc["components"]["schemas"].as_object().expect("schemas");
    assert!(schemas.contains_key("CreateReplicationRequestBody"));
    let text = serde_json::to_string(&doc).expect("json");
    assert!(!text.contains("#/definitions/"), "a Swagger 2 ref is left");
    assert_eq!(
        op(&doc, CREATE, "post")["responses"]["400"]["content"]["application/json"]["schema"],
        json!({"$ref": "#/components/schemas/ErrorResponse"})
    );
}

#[test]
fn host_base_path_and_schemes_become_servers() {
    let doc = gaussdb().document;
    assert_eq!(
        doc["servers"],
        json!([{"url": "https://gaussdb.cn-north-4.myhuaweicloud.com"}])
    );
    let plain = import(&fixtures("plain"), &Options::default()).document;
    assert_eq!(
        plain["servers"],
        json!([{"url": "https://pets.example.com/v1"}, {"url": "http://pets.example.com/v1"}])
    );
}

#[test]
fn security_definitions_become_security_schemes() {
    let imported = import(&fixtures("plain"), &Options::default());
    let schemes = &imported.document["components"]["securitySchemes"];
    assert_eq!(schemes["basic"], json!({"type": "http", "scheme": "basic"}));
    assert_eq!(
        schemes["key"],
        json!({"type": "apiKey", "name": "X-Key", "in": "header"})
    );
    assert_eq!(
        schemes["oauth"]["flows"]["authorizationCode"],
        json!({"authorizationUrl": "https://auth.example.com/a", "tokenUrl": "https://auth.example.com/t", "scopes": {"read": "Read"}})
    );
    assert_eq!(
        op(&imported.document, "/pets", "get")["security"],
        json!([{"oauth": ["read"]}])
    );
}

#[test]
fn parameter_types_become_schemas_and_collection_formats_styles() {
    let doc = gaussdb().document;
    let params = op(&doc, LIST, "get")["parameters"]
        .as_array()
        .expect("parameters");
    let by_name = |n: &str| {
        params
            .iter()
            .find(|p| p["name"] == json!(n))
            .expect(n)
            .clone()
    };
    // `$ref: #/parameters/limit` is inlined.
    assert_eq!(
        by_name("limit"),
        json!({"name": "limit", "in": "query", "schema": {"type": "integer", "format": "int32", "default": 100, "maximum": 1000, "minimum": 1}})
    );
    // Swagger 2's default collectionFormat is csv: OpenAPI 3's form without explode.
    let engines = by_name("engines");
    assert_eq!(
        (engines["style"].clone(), engines["explode"].clone()),
        (json!("form"), json!(false))
    );
    assert_eq!(
        engines["schema"],
        json!({"type": "array", "items": {"type": "string"}})
    );
    let tags = by_name("tags");
    assert_eq!(
        (tags["style"].clone(), tags["explode"].clone()),
        (json!("form"), json!(true))
    );
    let plain = import(&fixtures("plain"), &Options::default()).document;
    assert_eq!(
        op(&plain, "/pets", "get")["parameters"][0]["style"],
        json!("pipeDelimited")
    );
    // Header enums and x-example.
    let create = op(&doc, CREATE, "post")["parameters"]
        .as_array()
        .expect("parameters")
        .clone();
    assert_eq!(create[0]["example"], json!("******"));
    assert_eq!(
        create[1]["schema"],
        json!({"type": "string", "default": "en-us", "enum": ["en-us", "zh-cn"]})
    );
}

#[test]
fn x_nullable_becomes_nullable() {
    let doc = gaussdb().document;
    let comment =
        &doc["components"]["schemas"]["CreateReplicationRequestBody"]["properties"]["comment"];
    assert_eq!(comment["nullable"], json!(true));
    assert!(comment.get("x-nullable").is_none());
}

#[test]
fn discriminator_string_becomes_an_object() {
    let doc = gaussdb().document;
    assert_eq!(
        doc["components"]["schemas"]["TableConfig"]["discriminator"],
        json!({"propertyName": "kind"})
    );
}

#[test]
fn response_examples_become_content_examples() {
    let doc = gaussdb().document;
    assert_eq!(
        op(&doc, CREATE, "post")["responses"]["200"]["content"]["application/json"]["example"],
        json!({"workflow_id": "w-1"})
    );
    // `application/json-2` is API Explorer's second example for application/json.
    let examples =
        &op(&doc, LIST, "get")["responses"]["200"]["content"]["application/json"]["examples"];
    assert_eq!(
        examples["example_1"]["value"],
        json!({"instances": [], "total": 0})
    );
    assert_eq!(
        examples["example_2"]["value"],
        json!({"instances": [{"id": "i-1"}], "total": 1})
    );
}

#[test]
fn request_examples_become_request_body_examples() {
    let imported = gaussdb();
    let rb = &op(&imported.document, CREATE, "post")["requestBody"];
    let examples = &rb["content"]["application/json;charset=UTF-8"]["examples"];
    assert_eq!(
        examples["example_1"],
        json!({
            "summary": "创建同步任务",
            "x-request-url": "POST https://{endpoint}/v3/{project_id}/instances/{instance_id}/starrocks/databases/replication",
            "value": {"task_name": "sync", "source_database": "sales"}
        })
    );
    // A string holding JSON, for a JSON body, is that JSON.
    assert_eq!(
        examples["example_2"]["value"],
        json!({"task_name": "second"})
    );
    assert_repair(
        &imported,
        "CreateStarRocksDataReplication.json",
        &format!(
            "#/paths/{}/post/x-request-examples-2",
            CREATE.replace('/', "~1")
        ),
        "string of JSON",
    );
}

#[test]
fn operation_ids_are_the_snake_case_of_the_operation_name() {
    let doc = gaussdb().document;
    assert_eq!(
        op(&doc, CREATE, "post")["operationId"],
        json!("create_star_rocks_data_replication")
    );
    assert_eq!(
        op(&doc, LIST, "get")["operationId"],
        json!("list_htap_instance_info")
    );
}

#[test]
fn chinese_descriptions_are_kept_as_they_are() {
    let imported = gaussdb();
    let yaml = imported.yaml().expect("yaml");
    assert!(
        yaml.contains("创建StarRocks数据同步 (synthetic)."),
        "{yaml}"
    );
    assert!(yaml.contains("同步任务请求体"));
}

#[test]
fn repairs_are_listed_in_the_output_with_file_and_pointer() {
    let imported = gaussdb();
    let yaml = imported.yaml().expect("yaml");
    let doc: Value = serde_yaml::from_str(&yaml).expect("yaml reads");
    let listed = doc["x-import-repairs"]
        .as_array()
        .expect("x-import-repairs");
    assert_eq!(listed.len(), imported.repairs.len());
    assert!(listed.iter().all(|l| {
        l.as_str()
            .is_some_and(|s| s.starts_with("import/gaussdb/") && s.contains(": #/"))
    }));
}

// ---- repairs ----

#[test]
fn repair_required_true_on_a_property_joins_the_parents_list() {
    let imported = gaussdb();
    let body = &imported.document["components"]["schemas"]["CreateReplicationRequestBody"];
    assert_eq!(body["required"], json!(["source_database", "task_name"]));
    assert!(body["properties"]["task_name"].get("required").is_none());
    assert!(
        body["properties"]["optional_flag"]
            .get("required")
            .is_none()
    );
    assert_repair(
        &imported,
        "CreateStarRocksDataReplication.json",
        "#/definitions/CreateReplicationRequestBody/properties/task_name/required",
        "`required: true` on a property",
    );
    assert_repair(
        &imported,
        "CreateStarRocksDataReplication.json",
        "#/definitions/CreateReplicationRequestBody/properties/optional_flag/required",
        "`required: false`",
    );
}

#[test]
fn repair_java_type_names() {
    let imported = gaussdb();
    let props =
        &imported.document["components"]["schemas"]["CreateReplicationRequestBody"]["properties"];
    assert_eq!(props["database_count"]["type"], json!("integer"));
    assert_eq!(props["database_count"]["format"], json!("int64"));
    assert_eq!(props["ratio"]["type"], json!("number"));
    assert_eq!(props["ratio"]["format"], json!("double"));
    let total = &imported.document["components"]["schemas"]["ListResponse"]["properties"]["total"];
    assert_eq!(total, &json!({"type": "integer", "format": "int32"}));
    assert_repair(
        &imported,
        "CreateStarRocksDataReplication.json",
        "#/definitions/CreateReplicationRequestBody/properties/database_count/type",
        "`type: long` → `type: integer`, `format: int64`",
    );
    assert_repair(
        &imported,
        "ListHtapInstanceInfo.json",
        "#/definitions/ListResponse/properties/total/type",
        "`type: Integer`",
    );
}

#[test]
fn repair_enum_values_and_examples_of_another_json_type() {
    let imported = gaussdb();
    let props =
        &imported.document["components"]["schemas"]["CreateReplicationRequestBody"]["properties"];
    assert_eq!(props["pay_mode"]["enum"], json!(["0", "1"]));
    let page = op(&imported.document, LIST, "get")["parameters"]
        .as_array()
        .expect("parameters")
        .iter()
        .find(|p| p["name"] == json!("page"))
        .expect("page")
        .clone();
    assert_eq!(page["example"], json!(10));
}

#[test]
fn repair_required_names_that_spell_a_property() {
    let text = json!({
        "name": "ShowQuota", "method": "get", "product_short": "Svc", "host": "svc.example.com", "base_path": "/",
        "definitions": {"Quota": {
            "properties": {"vcpus_quota": {"type": "integer"}, "eps_quotas": {"type": "integer"}, "parameter_values": {"type": "string"}, "id": {"type": "string"}},
            "required": ["vcpus_quota ", "eps-quotas", "parameter_vaules", "download_files"]
        }},
        "paths": {"/quota": {"get": {"responses": {"200": {"description": "OK", "schema": {"$ref": "#/definitions/Quota"}}}}}}
    });
    let imported = import(
        &[(PathBuf::from("ShowQuota.json"), text.to_string())],
        &Options::default(),
    );
    // `download_files` spells no property: left for a person to decide.
    assert_eq!(
        imported.document["components"]["schemas"]["Quota"]["required"],
        json!([
            "vcpus_quota",
            "eps_quotas",
            "parameter_values",
            "download_files"
        ])
    );
    assert_repair(
        &imported,
        "ShowQuota.json",
        "#/definitions/Quota/required/2",
        "spells the property `parameter_values`",
    );
}

#[test]
fn repair_date_time_format() {
    let imported = gaussdb();
    let props =
        &imported.document["components"]["schemas"]["CreateReplicationRequestBody"]["properties"];
    assert_eq!(props["started_at"]["format"], json!("date-time"));
}

#[test]
fn repair_ref_siblings_other_than_description_are_dropped() {
    let imported = gaussdb();
    let tables = &imported.document["components"]["schemas"]["CreateReplicationRequestBody"]["properties"]
        ["tables"];
    // The description beside the $ref is kept for readers.
    assert_eq!(tables["items"]["description"], json!("One table."));
}

#[test]
fn repair_clashing_definitions_are_renamed_and_identical_ones_merged() {
    let imported = gaussdb();
    let schemas = imported.document["components"]["schemas"]
        .as_object()
        .expect("schemas");
    // Both files define TableConfig with different content: the first file
    // keeps the name, the other's gets its operation name in front.
    assert!(schemas["TableConfig"]["discriminator"].is_object());
    assert_eq!(
        schemas["ListHtapInstanceInfoTableConfig"]["properties"]["id"]["type"],
        json!("string")
    );
    assert_eq!(
        schemas["ListResponse"]["properties"]["instances"]["items"],
        json!({"$ref": "#/components/schemas/ListHtapInstanceInfoTableConfig"})
    );
    assert_repair(
        &imported,
        "ListHtapInstanceInfo.json",
        "#/definitions/TableConfig",
        "renamed `ListHtapInstanceInfoTableConfig`",
    );
    // ErrorResponse is the same in both: one component, no repair.
    assert!(schemas.contains_key("ErrorResponse"));
    assert!(
        !schemas
            .keys()
            .any(|k| k.ends_with("ErrorResponse") && k != "ErrorResponse")
    );
    assert!(
        !imported
            .repairs
            .iter()
            .any(|r| r.pointer.contains("ErrorResponse"))
    );
}

#[test]
fn repair_renames_follow_references_until_they_agree() {
    // A and B clash; C is textually the same in both files but refers to the
    // B of its own file, so C must be split too.
    let file = |name: &str, b_type: &str| {
        let text = json!({
            "name": name, "method": "get", "product_short": "Svc", "host": "svc.example.com", "base_path": "/",
            "definitions": {
                "B": {"properties": {"x": {"type": b_type}}},
                "C": {"properties": {"b": {"$ref": "#/definitions/B"}}}
            },
            "paths": {format!("/{name}"): {"get": {"operationId": name, "responses": {"200": {"description": "OK", "schema": {"$ref": "#/definitions/C"}}}}}}
        });
        (PathBuf::from(format!("{name}.json")), text.to_string())
    };
    let imported = import(
        &[file("First", "string"), file("Second", "integer")],
        &Options::default(),
    );
    let schemas = &imported.document["components"]["schemas"];
    assert_eq!(
        schemas["C"]["properties"]["b"],
        json!({"$ref": "#/components/schemas/B"})
    );
    assert_eq!(
        schemas["SecondC"]["properties"]["b"],
        json!({"$ref": "#/components/schemas/SecondB"})
    );
    assert_eq!(
        schemas["SecondB"]["properties"]["x"]["type"],
        json!("integer")
    );
    assert_eq!(
        op(&imported.document, "/Second", "get")["responses"]["200"]["content"]["application/json"]
            ["schema"],
        json!({"$ref": "#/components/schemas/SecondC"})
    );
}

#[test]
fn repair_path_parameters_are_required_declared_and_in_the_template() {
    let imported = gaussdb();
    let create = op(&imported.document, CREATE, "post");
    let instance = create["parameters"]
        .as_array()
        .expect("parameters")
        .iter()
        .find(|p| p["name"] == json!("instance_id"))
        .expect("instance_id")
        .clone();
    assert_eq!(instance["required"], json!(true));
    // DeleteHtapBackup: instance_id is not in the path; backup_id is not declared.
    let delete = op(
        &imported.document,
        "/v3/{project_id}/htap/backups/{backup_id}",
        "delete",
    );
    let names: Vec<&Value> = delete["parameters"]
        .as_array()
        .expect("parameters")
        .iter()
        .map(|p| &p["name"])
        .collect();
    assert_eq!(names, [&json!("project_id"), &json!("backup_id")]);
    assert_repair(
        &imported,
        "DeleteHtapBackup.json",
        "#/paths/~1v3~1{project_id}~1htap~1backups~1{backup_id}/delete/parameters/0",
        "does not occur in the path",
    );
    assert_repair(
        &imported,
        "DeleteHtapBackup.json",
        "#/paths/~1v3~1{project_id}~1htap~1backups~1{backup_id}/delete/parameters",
        "`backup_id`",
    );
}

#[test]
fn repair_security_requirements_without_a_scheme_are_dropped() {
    let imported = gaussdb();
    let delete = op(
        &imported.document,
        "/v3/{project_id}/htap/backups/{backup_id}",
        "delete",
    );
    assert!(delete.get("security").is_none());
    assert_repair(
        &imported,
        "DeleteHtapBackup.json",
        "#/paths/~1v3~1{project_id}~1htap~1backups~1{backup_id}/delete/security",
        "apig-auth-iam",
    );
}

#[test]
fn repair_request_examples_misplaced_among_responses() {
    let imported = gaussdb();
    let list = op(&imported.document, LIST, "get");
    assert!(list["responses"].get("x-request-examples-url-1").is_none());
    assert_eq!(
        list["x-request-examples"],
        json!([{"url": "GET https://{endpoint}/v3/{project_id}/instances/{instance_id}/htap"}])
    );
    assert_repair(
        &imported,
        "ListHtapInstanceInfo.json",
        &format!("#/paths/{}/get/responses", LIST.replace('/', "~1")),
        "misplaced",
    );
}

#[test]
fn repair_empty_definition_files_are_reported_and_skipped() {
    let imported = gaussdb();
    assert_eq!(imported.files, 7);
    assert_eq!(imported.skipped, 2);
    let empty: Vec<String> = imported
        .errors
        .iter()
        .map(|e| e.location.file.display().to_string())
        .collect();
    assert_eq!(
        empty,
        [
            "import/gaussdb/EmptyDefinition.json",
            "import/gaussdb/EmptyString.json"
        ]
    );
}

#[test]
fn repair_duplicate_path_and_method() {
    let imported = import(&fixtures("dups"), &Options::default());
    // ListThings keeps GET /v1/things; the identical copy is dropped with a
    // repair, the different one goes to `x-paths`, also with a repair.
    assert_eq!(
        op(&imported.document, "/v1/things", "get")["operationId"],
        json!("list_things")
    );
    assert_repair(
        &imported,
        "ListThingsCopy.json",
        "#/paths/~1v1~1things/get",
        "same operation as `list_things`",
    );
    assert!(imported.errors.is_empty(), "{:?}", imported.errors);
    assert_eq!(
        imported.document["x-paths"]["/v1/things#list_things_other"]["get"]["operationId"],
        json!("list_things_other")
    );
    assert_repair(
        &imported,
        "ListThingsOther.json",
        "#/paths/~1v1~1things/get",
        "is also the path and method of `list_things`",
    );
}

fn actions() -> Imported {
    import(&fixtures("actions"), &Options::default())
}

const ACTION: &str = "/v1/clusters/{cluster_id}/servers/action";

/// Two files, one path and method, different bodies (an action endpoint): the
/// first file's operation is in `paths`, the other in `x-paths` under a label
/// from its operationId, with a repair; both become methods of the client.
#[test]
fn action_endpoints_on_one_path_and_method_go_to_x_paths() {
    let imported = actions();
    assert!(imported.errors.is_empty(), "{:?}", imported.errors);
    assert_eq!((imported.operations, imported.skipped), (2, 0));
    let doc = &imported.document;
    let start = op(doc, ACTION, "post");
    assert_eq!(start["operationId"], json!("batch_start_servers"));
    let key = format!("{ACTION}#batch_stop_servers");
    let stop = &doc["x-paths"][&key]["post"];
    assert_eq!(stop["operationId"], json!("batch_stop_servers"), "{doc:#}");
    assert_eq!(
        stop["requestBody"]["content"]["application/json"]["schema"],
        json!({"$ref": "#/components/schemas/BatchStopServersRequestBody"})
    );
    assert_eq!(
        doc["x-paths"].as_object().map(|m| m.len()),
        Some(1),
        "{doc:#}"
    );
    assert_repair(
        &imported,
        "BatchStopServers.json",
        "#/paths/~1v1~1clusters~1{cluster_id}~1servers~1action/post",
        &format!("under `x-paths` as `{key}`"),
    );
    // The same definitions of both files are one component.
    assert!(doc["components"]["schemas"]["ServerActionResponse"].is_object());
    assert_eq!(
        doc["components"]["schemas"].as_object().map(|m| m.len()),
        Some(6)
    );

    // The generator reads it: two methods, one path, each with its body.
    let yaml = imported.yaml().expect("yaml");
    let generated = codegen::generate_from(&[(PathBuf::from("spec/servers.yaml"), yaml)])
        .unwrap_or_else(|e| panic!("the imported document does not generate: {e}"));
    let ops: Vec<(&str, &str, &str)> = generated.services[0]
        .operations
        .iter()
        .map(|o| (o.id.as_str(), o.http_method.as_str(), o.path.as_str()))
        .collect();
    assert_eq!(
        ops,
        [
            ("batch_start_servers", "POST", ACTION),
            ("batch_stop_servers", "POST", ACTION)
        ]
    );
}

#[test]
fn snapshot_of_an_imported_action_endpoint_pair() {
    let yaml = actions().yaml().expect("yaml");
    insta::assert_snapshot!("actions_import", yaml);
}

#[test]
fn repair_duplicate_operation_ids_and_undeclared_path_parameters() {
    let imported = import(&fixtures("dups"), &Options::default());
    let show = op(&imported.document, "/v1/things/{thing_id}", "get");
    assert_eq!(show["operationId"], json!("list_things_2"));
    assert_eq!(
        show["parameters"],
        json!([{"name": "thing_id", "in": "path", "required": true, "schema": {"type": "string"}}])
    );
    assert_repair(
        &imported,
        "ShowThing.json",
        "#/paths/~1v1~1things~1{thing_id}/get/operationId",
        "renamed `list_things_2`",
    );
}

#[test]
fn repair_missing_operation_id_is_derived() {
    let imported = import(&fixtures("plain"), &Options::default());
    assert_eq!(
        op(&imported.document, "/pets", "get")["operationId"],
        json!("get_pets")
    );
    assert_eq!(
        op(&imported.document, "/pets", "post")["operationId"],
        json!("add_pet")
    );
    assert_repair(
        &imported,
        "petstore.json",
        "#/paths/~1pets/get/operationId",
        "derived",
    );
}

#[test]
fn repair_refs_into_the_wrong_section() {
    let imported = import(
        &[fixture("broken", "ResponsesRef.json")],
        &Options::default(),
    );
    assert!(imported.errors.is_empty(), "{:?}", imported.errors);
    assert_eq!(
        op(&imported.document, "/v3/responses-ref", "get")["responses"]["200"]["content"]["application/json"]
            ["schema"],
        json!({"$ref": "#/components/schemas/Thing"})
    );
    assert_repair(
        &imported,
        "ResponsesRef.json",
        "#/paths/~1v3~1responses-ref/get/responses/200/schema/$ref",
        "`Thing` is defined there",
    );
}

#[test]
fn openapi3_sources_are_merged_with_the_same_rules() {
    let mut inputs = fixtures("oas3");
    inputs.push(fixture("gaussdb", "ListHtapInstanceInfo.json"));
    let imported = import(&inputs, &Options::default());
    assert!(imported.errors.is_empty(), "{:?}", imported.errors);
    let schemas = &imported.document["components"]["schemas"];
    // TableConfig differs only in its description → renamed, not merged.
    assert!(
        schemas.get("ShowHtapWidgetTableConfig").is_some()
            || schemas.get("ListHtapInstanceInfoTableConfig").is_some()
    );
    assert_eq!(
        schemas["ShowWidgetResponse"]["properties"]["size"],
        json!({"type": "integer", "format": "int64"})
    );
    let show = op(
        &imported.document,
        "/v3/{project_id}/htap/widgets/{widget_id}",
        "get",
    );
    assert_eq!(show["operationId"], json!("show_htap_widget"));
    assert!(
        show.get("requestBody").is_none(),
        "null requestBody dropped"
    );
    assert_eq!(show["parameters"][1]["required"], json!(true));
    codegen::load::parse(Path::new("merged.yaml"), imported.yaml().expect("yaml"))
        .expect("openapiv3 reads it");
}

#[test]
fn service_option_filters_and_names_the_document() {
    let mut inputs = fixtures("gaussdb");
    inputs.push(fixture("broken", "OtherService.json"));
    let imported = import(
        &inputs,
        &Options {
            service: Some("GaussDB".into()),
            title: Some("GaussDB (imported)".into()),
        },
    );
    assert_eq!(
        imported.document["info"]["title"],
        json!("GaussDB (imported)")
    );
    assert_eq!(imported.document["info"]["version"], json!("v3"));
    assert!(
        imported
            .errors
            .iter()
            .any(|e| e.location.file.ends_with("OtherService.json")
                && e.location.pointer == "#/product_short")
    );
}

// ---- errors ----

#[test]
fn broken_files_give_located_errors_and_the_others_are_imported() {
    let imported = import(
        &fixtures("broken"),
        &Options {
            service: Some("Broken".into()),
            title: None,
        },
    );
    let by_file = |f: &str| {
        imported
            .errors
            .iter()
            .find(|e| e.location.file.ends_with(f))
            .unwrap_or_else(|| panic!("no error for {f}: {:?}", imported.errors))
            .clone()
    };
    let syntax = by_file("Syntax.json");
    assert_eq!(syntax.kind, ErrorKind::Syntax);
    assert_eq!(
        (syntax.location.line, syntax.location.column),
        (Some(1), Some(36))
    );
    let dangling = by_file("DanglingRef.json");
    assert_eq!(dangling.kind, ErrorKind::DanglingRef);
    assert_eq!(
        dangling.location.pointer,
        "#/paths/~1v3~1dangling/get/responses/200/schema/$ref"
    );
    let unknown = by_file("UnknownType.json");
    assert_eq!(unknown.kind, ErrorKind::Invalid);
    assert_eq!(
        unknown.location.pointer,
        "#/definitions/Thing/properties/size/type"
    );
    assert!(unknown.to_string().contains("UnknownType.json: invalid OpenAPI document at #/definitions/Thing/properties/size/type: unknown `type: bigfloat`"));
    assert_eq!(by_file("NotAnObject.json").location.pointer, "#");
    // Fine.json and ResponsesRef.json (repaired) are in the document.
    assert_eq!(imported.operations, 2);
    assert!(imported.document["paths"]["/v3/fine"]["get"].is_object());
    assert!(imported.document["paths"].get("/v3/dangling").is_none());
    // Nothing of a skipped file leaks into the components.
    assert!(
        imported.document["components"]["schemas"]
            .get("Nowhere")
            .is_none()
    );
}

#[test]
fn no_input_mutation_panics() {
    // Replace every node of a fixture, one at a time, by values of every JSON
    // type: the importer reports or repairs, and never panics.
    let (path, text) = fixture("gaussdb", "CreateStarRocksDataReplication.json");
    let original: Value = serde_json::from_str(&text).expect("json");
    let mut pointers = Vec::new();
    collect_pointers(&original, String::new(), &mut pointers);
    let junk = [
        json!(null),
        json!(7),
        json!("x"),
        json!([]),
        json!({}),
        json!(true),
    ];
    let mut runs = 0;
    for pointer in &pointers {
        for j in &junk {
            let mut mutated = original.clone();
            if let Some(node) = mutated.pointer_mut(pointer) {
                *node = j.clone();
            }
            let imported = import(&[(path.clone(), mutated.to_string())], &Options::default());
            let _ = imported.yaml().expect("yaml is always writable");
            runs += 1;
        }
    }
    assert!(runs > 500, "only {runs} mutations");
}

fn collect_pointers(value: &Value, at: String, out: &mut Vec<String>) {
    out.push(at.clone());
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                collect_pointers(
                    v,
                    format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")),
                    out,
                );
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                collect_pointers(v, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

// ---- determinism and snapshot ----

#[test]
fn same_inputs_give_the_same_bytes_in_any_order() {
    let inputs = fixtures("gaussdb");
    let first = import(&inputs, &Options::default()).yaml().expect("yaml");
    let mut reversed = inputs.clone();
    reversed.reverse();
    let second = import(&reversed, &Options::default()).yaml().expect("yaml");
    assert_eq!(first, second);
    let again = import(&inputs, &Options::default()).yaml().expect("yaml");
    assert_eq!(first, again);
}

#[test]
fn snapshot_of_a_converted_document() {
    let yaml = gaussdb().yaml().expect("yaml");
    insta::assert_snapshot!("gaussdb_import", yaml);
}

#[test]
fn numbered_response_examples_keyed_by_media_type_are_unwrapped() {
    let imported = import(&fixtures("examples"), &Options::default());
    assert!(imported.errors.is_empty(), "{:?}", imported.errors);
    let examples = &op(
        &imported.document,
        "/v3/{project_id}/instances/batch-resize",
        "post",
    )["responses"]["200"]["content"]["application/json"]["examples"];
    // `{"application/json": body}` gives the body; a bare body stays as it is.
    assert_eq!(examples["example_1"]["value"], json!({"job_ids": ["j-1"]}));
    assert_eq!(
        examples["example_1"]["summary"],
        json!("Pay-per-use instances: job ids.")
    );
    assert_eq!(
        examples["example_2"]["value"],
        json!({"order_ids": ["o-1"]})
    );
}

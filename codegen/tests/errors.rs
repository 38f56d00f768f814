//! A malformed or unsupported spec gets a located error and exit code 1, never a
//! panic, and nothing is written.

// A failed expectation is how a test reports; panicking is its job.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::Command;

use codegen::{ErrorKind, generate_from};

/// A small valid spec to break in different ways.
const VALID: &str = r##"openapi: 3.0.3
info:
  title: Test service
  version: v1
paths:
  /v1/{project_id}/things/{thing_id}:
    get:
      operationId: show_thing
      parameters:
        - name: project_id
          in: path
          required: true
          x-client-parameter: project_id
          schema:
            type: string
        - name: thing_id
          in: path
          required: true
          schema:
            type: string
      responses:
        "200":
          description: OK
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Thing'
components:
  schemas:
    Thing:
      type: object
      properties:
        id:
          type: string
"##;

fn gen_err(text: &str) -> codegen::Error {
    match generate_from(&[(PathBuf::from("spec/test.yaml"), text.to_owned())]) {
        Ok(_) => panic!("expected an error for:\n{text}"),
        Err(e) => e,
    }
}

#[test]
fn the_valid_spec_generates() {
    let out = generate_from(&[(PathBuf::from("spec/test.yaml"), VALID.to_owned())]);
    assert!(out.is_ok(), "{:?}", out.err());
}

#[test]
fn yaml_syntax_error_names_file_line_and_column() {
    let broken = VALID.replace("  version: v1\n", "  version: [v1\n");
    let e = gen_err(&broken);
    assert_eq!(e.kind, ErrorKind::Syntax);
    assert_eq!(e.location.file, PathBuf::from("spec/test.yaml"));
    assert!(
        e.location.line.is_some() && e.location.column.is_some(),
        "{e}"
    );
    let text = e.to_string();
    assert!(text.starts_with("spec/test.yaml:"), "{text}");
    assert!(text.contains("YAML syntax error"), "{text}");
}

#[test]
fn dangling_ref_names_the_pointer_and_line() {
    let broken = VALID.replace(
        "#/components/schemas/Thing'",
        "#/components/schemas/Missing'",
    );
    let e = gen_err(&broken);
    assert_eq!(e.kind, ErrorKind::DanglingRef);
    assert_eq!(
        e.location.pointer,
        "#/paths/~1v1~1{project_id}~1things~1{thing_id}/get/responses/200/content/application~1json/schema"
    );
    // The `schema:` key of the 200 response.
    assert_eq!(
        (e.location.line, e.location.column),
        (Some(26), Some(15)),
        "{e}"
    );
    assert!(e.to_string().contains("Missing"), "{e}");
}

#[test]
fn duplicate_operation_id_is_rejected() {
    let broken = VALID.replace(
        "components:",
        "  /v1/other:\n    get:\n      operationId: show_thing\n      responses:\n        \"200\":\n          description: OK\ncomponents:",
    );
    let e = gen_err(&broken);
    assert_eq!(e.kind, ErrorKind::DuplicateOperationId);
    assert_eq!(e.location.pointer, "#/paths/~1v1~1other/get/operationId");
    assert!(e.location.line.is_some(), "{e}");
    assert!(e.message.contains("show_thing"), "{e}");
}

#[test]
fn unsupported_construct_is_named() {
    let broken = VALID.replace(
        "                $ref: '#/components/schemas/Thing'",
        "                $ref: 'things.yaml#/components/schemas/Thing'",
    );
    let e = gen_err(&broken);
    assert_eq!(e.kind, ErrorKind::Unsupported);
    assert!(
        e.message.contains("external reference") && e.message.contains("bundle"),
        "{e}"
    );
    assert!(e.location.pointer.ends_with("/schema"), "{e}");
    assert!(e.location.line.is_some(), "{e}");
}

#[test]
fn not_openapi_3_0_is_unsupported() {
    let e = gen_err(&VALID.replace("openapi: 3.0.3", "openapi: 3.1.0"));
    assert_eq!(e.kind, ErrorKind::Unsupported);
    assert_eq!(e.location.pointer, "#/openapi");
    assert_eq!(e.location.line, Some(1));
}

#[test]
fn wrong_shape_is_invalid_with_a_pointer() {
    let e = gen_err(&VALID.replace(
        "      operationId: show_thing\n",
        "      operationId: [1, 2]\n",
    ));
    assert_eq!(e.kind, ErrorKind::Invalid, "{e}");
    assert!(e.location.pointer.starts_with("#/paths"), "{e}");
}

#[test]
fn path_placeholder_without_parameter_is_invalid() {
    let e = gen_err(&VALID.replace(
        "/v1/{project_id}/things/{thing_id}:",
        "/v1/{project_id}/things/{thing_id}/{extra}:",
    ));
    assert_eq!(e.kind, ErrorKind::Invalid, "{e}");
    assert!(e.message.contains("extra"), "{e}");
}

#[test]
fn unknown_client_parameter_is_invalid() {
    let e = gen_err(&VALID.replace(
        "x-client-parameter: project_id",
        "x-client-parameter: tenant",
    ));
    assert_eq!(e.kind, ErrorKind::Invalid, "{e}");
    assert!(e.message.contains("tenant"), "{e}");
}

// ----- the binary ---------------------------------------------------------------

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("codegen-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    dir
}

fn run(spec: &Path, out: &Path, check: bool) -> std::process::Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_codegen"));
    cmd.arg("--spec").arg(spec).arg("--out").arg(out);
    if check {
        cmd.arg("--check");
    }
    cmd.output()
        .unwrap_or_else(|e| panic!("cannot run codegen: {e}"))
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p)
            } else {
                out.push(p)
            }
        }
    }
    out.sort();
    out
}

#[test]
fn cli_errors_exit_1_and_write_nothing() {
    let root = temp_dir("bad");
    let spec = root.join("spec");
    let out = root.join("generated");
    std::fs::create_dir_all(&spec).unwrap_or_default();
    std::fs::create_dir_all(&out).unwrap_or_default();
    // One good spec and one bad one: the good one must not be written either.
    std::fs::write(spec.join("a_good.yaml"), VALID).unwrap_or_default();
    std::fs::write(
        spec.join("b_bad.yaml"),
        VALID.replace("#/components/schemas/Thing'", "#/components/schemas/Nope'"),
    )
    .unwrap_or_default();
    let output = run(&spec, &out, false);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "stderr: {stderr}");
    assert!(
        stderr.contains("spec/b_bad.yaml:26:15:"),
        "stderr: {stderr}"
    );
    assert!(stderr.contains("dangling $ref"), "stderr: {stderr}");
    assert!(!stderr.contains("panicked"), "stderr: {stderr}");
    assert!(
        files_under(&out).is_empty(),
        "files were written: {:?}",
        files_under(&out)
    );
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn cli_check_reports_drift_and_writes_nothing() {
    let root = temp_dir("check");
    let spec = root.join("spec");
    let out = root.join("generated");
    std::fs::create_dir_all(&spec).unwrap_or_default();
    std::fs::write(spec.join("test.yaml"), VALID).unwrap_or_default();

    // Nothing generated yet: --check fails, names the files, writes nothing.
    let output = run(&spec, &out, true);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "stderr: {stderr}");
    assert!(
        stderr.contains("create test/src/models.rs"),
        "stderr: {stderr}"
    );
    assert!(stderr.contains("cargo run -p codegen"), "stderr: {stderr}");
    assert!(files_under(&out).is_empty());

    // Generate, then --check passes.
    let output = run(&spec, &out, false);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let first: Vec<(PathBuf, Vec<u8>)> = files_under(&out)
        .into_iter()
        .map(|p| (p.clone(), std::fs::read(&p).unwrap_or_default()))
        .collect();
    assert!(!first.is_empty());
    assert_eq!(run(&spec, &out, true).status.code(), Some(0));

    // A second run is byte-identical.
    assert_eq!(run(&spec, &out, false).status.code(), Some(0));
    let second: Vec<(PathBuf, Vec<u8>)> = files_under(&out)
        .into_iter()
        .map(|p| (p.clone(), std::fs::read(&p).unwrap_or_default()))
        .collect();
    assert_eq!(first, second);

    // A hand edit is drift, shown as a diff.
    let models = out.join("test/src/models.rs");
    let edited = std::fs::read_to_string(&models)
        .unwrap_or_default()
        .replace("pub id:", "pub ident:");
    std::fs::write(&models, &edited).unwrap_or_default();
    let output = run(&spec, &out, true);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr.contains("update test/src/models.rs"),
        "stderr: {stderr}"
    );
    assert!(
        stderr.contains("-    pub ident:") && stderr.contains("+    pub id:"),
        "stderr: {stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(&models).unwrap_or_default(),
        edited,
        "--check must not write"
    );

    // A stale generated crate (its spec removed) is reported and then removed,
    // directories included.
    std::fs::create_dir_all(out.join("gone/src")).unwrap_or_default();
    std::fs::write(out.join("gone/src/lib.rs"), "// @generated by codegen\n").unwrap_or_default();
    std::fs::write(out.join("gone/Cargo.toml"), "# @generated by codegen\n").unwrap_or_default();
    let output = run(&spec, &out, true);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("remove gone/src/lib.rs"),
        "stderr: {stderr}"
    );
    assert!(
        stderr.contains("remove gone/Cargo.toml"),
        "stderr: {stderr}"
    );
    assert_eq!(run(&spec, &out, false).status.code(), Some(0));
    assert!(!out.join("gone").exists());

    // A file the generator did not write is never overwritten or deleted: the run
    // fails, names it, and changes nothing.
    std::fs::write(out.join("test/src/notes.rs"), "// mine\n").unwrap_or_default();
    std::fs::write(&models, "// @generated by codegen, edited\n").unwrap_or_default();
    for check in [true, false] {
        let output = run(&spec, &out, check);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "stderr: {stderr}");
        assert!(stderr.contains("test/src/notes.rs"), "stderr: {stderr}");
    }
    assert_eq!(
        std::fs::read_to_string(out.join("test/src/notes.rs")).unwrap_or_default(),
        "// mine\n"
    );
    assert_eq!(
        std::fs::read_to_string(&models).unwrap_or_default(),
        "// @generated by codegen, edited\n",
        "nothing is written while a foreign file is there"
    );
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn cli_bad_argument_is_a_usage_error() {
    let output = Command::new(env!("CARGO_BIN_EXE_codegen"))
        .arg("--frobnicate")
        .output()
        .unwrap_or_else(|e| panic!("cannot run codegen: {e}"));
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("usage: codegen"));
}

#[test]
fn a_pattern_the_client_cannot_check_is_documented_not_refused() {
    let spec = VALID.replace(
        "        id:\n          type: string\n",
        "        id:\n          type: string\n          pattern: '(?<=a)b'\n",
    );
    let out = generate_from(&[(PathBuf::from("spec/test.yaml"), spec)]);
    let out = out.unwrap_or_else(|e| panic!("{e}"));
    let models = &out.files["test/src/models.rs"];
    assert!(
        models.contains("should match `(?<=a)b` (not checked by the client: it uses look-around)"),
        "{models}"
    );
    assert!(!out.files.contains_key("test/src/rules.rs"));
}

/// Damaged specs never make the generator panic: every line of a small spec and
/// a sample of the real one is deleted in turn, and some values are mangled; each
/// result must be a generated crate or a located error.
#[test]
fn damaged_specs_give_errors_not_panics() {
    let real =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/gaussdb.yaml"))
            .unwrap_or_default();
    let mut cases: Vec<String> = Vec::new();
    for (text, step) in [(VALID.to_owned(), 1), (real.clone(), 41)] {
        let lines: Vec<&str> = text.lines().collect();
        for i in (0..lines.len()).step_by(step) {
            let mut damaged = lines.clone();
            damaged.remove(i);
            cases.push(damaged.join("\n"));
        }
    }
    for (from, to) in [
        ("type: string", "type: strin"),
        ("type: object", "type: array"),
        ("$ref: '#/components/schemas/", "$ref: '#/components/"),
        ("in: path", "in: cookie"),
        ("required: true", "required: maybe"),
        ("openapi: 3.0.3", "openapi: 3"),
    ] {
        cases.push(VALID.replace(from, to));
        cases.push(real.replacen(from, to, 1));
    }
    assert!(!real.is_empty() && cases.len() > 80);
    for (i, case) in cases.iter().enumerate() {
        let result = std::panic::catch_unwind(|| {
            generate_from(&[(PathBuf::from("spec/case.yaml"), case.clone())])
        });
        match result {
            Ok(Ok(_)) => {}
            Ok(Err(e)) => assert!(e.to_string().starts_with("spec/case.yaml"), "case {i}: {e}"),
            Err(_) => panic!("case {i} made the generator panic:\n{case}"),
        }
    }
}

#[test]
fn recursive_types_are_boxed_where_they_contain_themselves_by_value() {
    let through_array = VALID.replace(
        "        id:\n          type: string\n",
        "        id:\n          type: string\n        children:\n          type: array\n          items:\n            $ref: '#/components/schemas/Thing'\n        parent:\n          $ref: '#/components/schemas/Thing'\n",
    );
    let out = generate_from(&[(PathBuf::from("spec/test.yaml"), through_array)]);
    let out = out.unwrap_or_else(|e| panic!("{e}"));
    let models = &out.files["test/src/models.rs"];
    // A Vec is on the heap already; a field of the type itself needs a box.
    assert!(
        models.contains("pub children: Option<Vec<Thing>>"),
        "{models}"
    );
    assert!(
        models.contains("pub parent: Option<Box<Thing>>"),
        "{models}"
    );
}

#[test]
fn a_json_document_in_the_spec_directory_generates_like_its_yaml_form() {
    let root = temp_dir("json");
    let (yaml_spec, json_spec) = (root.join("yaml"), root.join("json"));
    let (yaml_out, json_out) = (root.join("yaml-out"), root.join("json-out"));
    for d in [&yaml_spec, &json_spec] {
        std::fs::create_dir_all(d).unwrap();
    }
    std::fs::write(yaml_spec.join("test.yaml"), VALID).unwrap();
    let value: serde_json::Value = serde_yaml::from_str(VALID).unwrap();
    std::fs::write(
        json_spec.join("test.json"),
        serde_json::to_string_pretty(&value).unwrap(),
    )
    .unwrap();
    for (spec, out) in [(&yaml_spec, &yaml_out), (&json_spec, &json_out)] {
        let output = run(spec, out, false);
        assert!(
            output.status.success(),
            "{}: {}",
            spec.display(),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let relative = |dir: &Path| -> Vec<PathBuf> {
        files_under(dir)
            .into_iter()
            .map(|p| p.strip_prefix(dir).unwrap().to_path_buf())
            .collect()
    };
    assert_eq!(relative(&yaml_out), relative(&json_out));
    assert!(relative(&json_out).contains(&PathBuf::from("test/src/client.rs")));
    for file in relative(&yaml_out) {
        let from_yaml = std::fs::read_to_string(yaml_out.join(&file)).unwrap();
        let from_json = std::fs::read_to_string(json_out.join(&file)).unwrap();
        // Only the header's name of the source differs.
        assert_eq!(
            from_yaml.replace("json/test.json", "yaml/test.yaml"),
            from_json.replace("json/test.json", "yaml/test.yaml"),
            "{}",
            file.display()
        );
    }
    let _ = std::fs::remove_dir_all(&root);
}

// ---- `x-paths`: further operations of a path and method ----

/// [`VALID`] with `x-paths` entries (YAML lines, indented two spaces).
fn with_x_paths(entries: &str) -> String {
    VALID.replace("components:", &format!("x-paths:\n{entries}components:"))
}

/// An `x-paths` entry for the path of `show_thing`, with its parameters.
fn x_path_entry(key: &str, method: &str, operation_id: &str) -> String {
    format!(
        "  {key}:
    parameters:
      - {{name: project_id, in: path, required: true, x-client-parameter: project_id, schema: {{type: string}}}}
      - {{name: thing_id, in: path, required: true, schema: {{type: string}}}}
    {method}:
      operationId: {operation_id}
      parameters:
        - {{name: view, in: query, required: true, schema: {{type: string}}}}
      responses:
        \"200\":
          description: OK
"
    )
}

const THING: &str = "/v1/{project_id}/things/{thing_id}";

#[test]
fn x_paths_operation_generates_beside_the_one_in_paths() {
    let text = with_x_paths(&x_path_entry(
        &format!("{THING}#show_thing_view"),
        "get",
        "show_thing_view",
    ));
    let out =
        generate_from(&[(PathBuf::from("spec/test.yaml"), text)]).unwrap_or_else(|e| panic!("{e}"));
    let ops = &out.services[0].operations;
    assert_eq!(ops.len(), 2);
    assert_eq!(
        (ops[1].id.as_str(), ops[1].path.as_str()),
        ("show_thing_view", THING)
    );
    assert_eq!(ops[0].path, ops[1].path);
}

#[test]
fn x_paths_key_without_a_label_is_located() {
    let e = gen_err(&with_x_paths(&x_path_entry(
        THING,
        "get",
        "show_thing_view",
    )));
    assert_eq!(e.kind, ErrorKind::Invalid);
    assert_eq!(
        e.location.pointer,
        "#/x-paths/~1v1~1{project_id}~1things~1{thing_id}"
    );
    assert_eq!(
        (e.location.line, e.location.column),
        (Some(29), Some(3)),
        "{e}"
    );
    assert!(e.message.contains("has no `#<label>`"), "{e}");
}

#[test]
fn x_paths_key_with_an_empty_or_odd_label_is_located() {
    for label in ["", "two words", "a#b"] {
        let key = format!("\"{THING}#{label}\"");
        let e = gen_err(&with_x_paths(&x_path_entry(&key, "get", "show_thing_view")));
        assert_eq!(e.kind, ErrorKind::Invalid, "{label:?}: {e}");
        assert!(e.location.pointer.starts_with("#/x-paths/"), "{e}");
        assert!(e.location.line.is_some(), "{e}");
        assert!(e.message.contains("must be letters, digits"), "{e}");
    }
    let e = gen_err(&with_x_paths(&x_path_entry(
        "v1/things#view",
        "get",
        "show_thing_view",
    )));
    assert!(e.message.contains("must start with `/`"), "{e}");
}

#[test]
fn x_paths_label_clash_is_located() {
    // The same template (placeholder names aside) with the same label.
    let entries = format!(
        "{}{}",
        x_path_entry(&format!("{THING}#view"), "get", "show_thing_view"),
        x_path_entry(
            "/v1/{project_id}/things/{id}#view",
            "get",
            "show_thing_view_2"
        )
    );
    let e = gen_err(&with_x_paths(&entries));
    assert_eq!(e.kind, ErrorKind::Invalid);
    assert_eq!(
        e.location.pointer,
        "#/x-paths/~1v1~1{project_id}~1things~1{id}#view"
    );
    assert!(e.location.line.is_some(), "{e}");
    assert!(
        e.message.contains("same path template with the same label"),
        "{e}"
    );
    // A key written twice: YAML readers refuse it ...
    let twice = format!(
        "{}{}",
        x_path_entry(&format!("{THING}#view"), "get", "show_thing_view"),
        x_path_entry(&format!("{THING}#view"), "put", "put_thing_view")
    );
    let e = gen_err(&with_x_paths(&twice));
    assert_eq!(e.kind, ErrorKind::Syntax, "{e}");
    assert!(e.message.contains("duplicate entry"), "{e}");
    // ... a JSON reader would keep the last without a word.
    let op = r#"{"operationId": "OP", "responses": {"200": {"description": "OK"}}}"#;
    let json = format!(
        r#"{{"openapi": "3.0.3", "info": {{"title": "t", "version": "v1"}},
  "paths": {{"/v1/things": {{"get": {}}}}},
  "x-paths": {{"/v1/things#view": {{"get": {}}}, "/v1/things#view": {{"get": {}}}}}}}"#,
        op.replace("OP", "list_things"),
        op.replace("OP", "list_things_a"),
        op.replace("OP", "list_things_b"),
    );
    let e = match generate_from(&[(PathBuf::from("spec/test.json"), json)]) {
        Ok(_) => panic!("a repeated x-paths key in JSON generated"),
        Err(e) => e,
    };
    assert_eq!(e.kind, ErrorKind::Invalid);
    assert_eq!(e.location.pointer, "#/x-paths/~1v1~1things#view");
    assert!(e.message.contains("is written twice"), "{e}");
}

#[test]
fn x_paths_operation_id_clash_with_paths_is_located() {
    let e = gen_err(&with_x_paths(&x_path_entry(
        &format!("{THING}#again"),
        "get",
        "show_thing",
    )));
    assert_eq!(e.kind, ErrorKind::DuplicateOperationId);
    assert_eq!(
        e.location.pointer,
        "#/x-paths/~1v1~1{project_id}~1things~1{thing_id}#again/get/operationId"
    );
    assert_eq!(e.location.line, Some(34), "{e}");
    assert!(
        e.message.contains(
            "already the operationId of #/paths/~1v1~1{project_id}~1things~1{thing_id}/get"
        ),
        "{e}"
    );
}

#[test]
fn x_paths_operation_needs_an_operation_id_and_a_twin_in_paths() {
    let entry = x_path_entry(&format!("{THING}#view"), "get", "show_thing_view");
    let without_id = entry.replace("      operationId: show_thing_view\n", "");
    let e = gen_err(&with_x_paths(&without_id));
    assert_eq!(e.kind, ErrorKind::Invalid);
    assert!(e.location.pointer.ends_with("#view/get"), "{e}");
    assert!(e.message.contains("needs an `operationId`"), "{e}");
    // A method `paths` does not have on that path.
    let e = gen_err(&with_x_paths(&x_path_entry(
        &format!("{THING}#view"),
        "delete",
        "delete_thing_view",
    )));
    assert_eq!(e.kind, ErrorKind::Invalid);
    assert!(e.location.pointer.ends_with("#view/delete"), "{e}");
    assert!(
        e.message
            .contains("`DELETE /v1/{project_id}/things/{thing_id}` is not in `paths`"),
        "{e}"
    );
    // A path `paths` does not have.
    let e = gen_err(&with_x_paths(&x_path_entry(
        "/v1/{project_id}/others/{thing_id}#view",
        "get",
        "show_other",
    )));
    assert!(e.message.contains("is not in `paths`"), "{e}");
}

#[test]
fn x_paths_malformed_values_are_located_not_panics() {
    for (entries, pointer) in [
        ("  /v1/things#a: 3\n", "#/x-paths/~1v1~1things#a"),
        (
            "  /v1/{project_id}/things/{thing_id}#a:\n    get: [1]\n",
            "#/x-paths/~1v1~1{project_id}~1things~1{thing_id}#a/get",
        ),
        (
            "  /v1/{project_id}/things/{thing_id}#a:\n    get:\n      operationId: x\n      responses: 7\n",
            "#/x-paths/~1v1~1{project_id}~1things~1{thing_id}#a/get/responses",
        ),
    ] {
        let e = gen_err(&with_x_paths(entries));
        assert_eq!(e.kind, ErrorKind::Invalid, "{e}");
        assert_eq!(e.location.pointer, pointer, "{e}");
    }
    let e = gen_err(&VALID.replace("components:", "x-paths: [1, 2]\ncomponents:"));
    assert_eq!(e.kind, ErrorKind::Invalid);
    assert_eq!(e.location.pointer, "#/x-paths");
    assert!(e.message.contains("shaped like `paths`"), "{e}");
    // Placeholders and path parameters are checked as in `paths`.
    let entry = x_path_entry(&format!("{THING}#view"), "get", "show_thing_view").replace(
        "      - {name: thing_id, in: path, required: true, schema: {type: string}}\n",
        "",
    );
    let e = gen_err(&with_x_paths(&entry));
    assert_eq!(e.kind, ErrorKind::Invalid);
    assert!(
        e.message.contains("defines no path parameter `thing_id`"),
        "{e}"
    );
    assert!(e.location.pointer.starts_with("#/x-paths/"), "{e}");
}

// ----- x-pagination by marker ------------------------------------------------

/// A list paged by marker; `{paging}` is its `x-pagination` (YAML, indented
/// under the key).
const PAGED: &str = r##"openapi: 3.0.3
info:
  title: Test service
  version: v1
paths:
  /v1/things:
    get:
      operationId: list_things
      x-pagination:
{paging}
      parameters:
        - {name: marker, in: query, schema: {type: string}}
        - {name: start, in: query, required: true, schema: {type: string}}
        - {name: limit, in: query, schema: {type: integer}}
        - {name: offset, in: query, schema: {type: integer}}
        - {name: flag, in: query, schema: {type: boolean}}
      responses:
        "200":
          description: OK
          content:
            application/json:
              schema:
                type: object
                properties:
                  things:
                    type: array
                    items:
                      $ref: '#/components/schemas/Thing'
                  page_info:
                    type: object
                    properties:
                      next_marker: {type: string}
                      tags: {type: array, items: {type: string}}
                  count: {type: integer}
components:
  schemas:
    Thing:
      type: object
      properties:
        id: {type: string}
        size: {type: integer}
        labels: {type: array, items: {type: string}}
"##;

/// [`PAGED`] with `paging` (one `key: value` per line) as its `x-pagination`.
fn paged(paging: &[&str]) -> String {
    let lines: Vec<String> = paging.iter().map(|l| format!("        {l}")).collect();
    PAGED.replace("{paging}", &lines.join("\n"))
}

const POINTER: &str = "#/paths/~1v1~1things/get/x-pagination";

/// The located error of `paging`: invalid, in the spec's file, at
/// `x-pagination` or the key `key` under it, on a line, saying `says`.
#[track_caller]
fn paging_error(paging: &[&str], key: Option<&str>, says: &str) {
    let e = gen_err(&paged(paging));
    assert_eq!(e.kind, ErrorKind::Invalid, "{e}");
    assert_eq!(e.location.file, PathBuf::from("spec/test.yaml"), "{e}");
    let pointer = match key {
        Some(key) => format!("{POINTER}/{key}"),
        None => POINTER.to_owned(),
    };
    assert_eq!(e.location.pointer, pointer, "{e}");
    assert!(e.location.line.is_some(), "{e}");
    assert!(e.message.contains(says), "expected {says:?} in: {e}");
    assert!(e.to_string().starts_with("spec/test.yaml:"), "{e}");
}

#[test]
fn both_marker_forms_generate() {
    for paging in [
        &[
            "marker: marker",
            "limit: limit",
            "items: things",
            "next_marker: page_info.next_marker",
            "page_size: 20",
        ][..],
        &["marker: marker", "items: things", "marker_field: id"][..],
    ] {
        let out = generate_from(&[(PathBuf::from("spec/test.yaml"), paged(paging))]);
        let out = out.unwrap_or_else(|e| panic!("{paging:?}: {e}"));
        assert!(
            out.files["test/src/operations.rs"].contains("crate::Pages::by_marker("),
            "{paging:?}"
        );
    }
}

#[test]
fn marker_excludes_offset() {
    paging_error(
        &[
            "offset: offset",
            "marker: marker",
            "limit: limit",
            "items: things",
            "next_marker: page_info.next_marker",
        ],
        Some("marker"),
        "`marker` excludes `offset`",
    );
}

#[test]
fn a_marker_list_takes_exactly_one_next_marker_source() {
    paging_error(
        &[
            "marker: marker",
            "items: things",
            "next_marker: page_info.next_marker",
            "marker_field: id",
        ],
        Some("marker_field"),
        "exactly one of `next_marker`",
    );
    paging_error(
        &["marker: marker", "items: things"],
        None,
        "exactly one of `next_marker`",
    );
}

#[test]
fn neither_offset_nor_marker_is_an_error() {
    paging_error(
        &["limit: limit", "items: things"],
        None,
        "needs `offset` (with `limit`) or `marker`",
    );
}

#[test]
fn marker_names_are_checked_against_the_parameters() {
    let next = "next_marker: page_info.next_marker";
    paging_error(
        &["marker: cursor", "items: things", next],
        Some("marker"),
        "`list_things` has no query parameter `cursor`",
    );
    paging_error(
        &["marker: marker", "limit: size", "items: things", next],
        Some("limit"),
        "has no query parameter `size`",
    );
    paging_error(
        &["marker: flag", "items: things", next],
        Some("marker"),
        "paging parameter `flag` must be an integer or a string",
    );
    paging_error(
        &["marker: start", "items: things", next],
        Some("marker"),
        "must be optional",
    );
    paging_error(
        &["marker: marker", "items: things", next, "page_size: 10"],
        Some("page_size"),
        "`page_size` needs `limit`",
    );
}

#[test]
fn marker_names_are_checked_against_the_reply() {
    paging_error(
        &["marker: marker", "items: stuff", "marker_field: id"],
        Some("items"),
        "the reply of `list_things` (ListThingsResponse) has no field `stuff`",
    );
    paging_error(
        &[
            "marker: marker",
            "items: page_info.tags.x",
            "marker_field: id",
        ],
        Some("items"),
        "`tags` (in the reply of `list_things`) is not an object",
    );
    paging_error(
        &["marker: marker", "items: count", "marker_field: id"],
        Some("items"),
        "`count` is not a list",
    );
    paging_error(
        &[
            "marker: marker",
            "items: things",
            "next_marker: page_info.next",
        ],
        Some("next_marker"),
        "has no field `next`",
    );
    paging_error(
        &["marker: marker", "items: things", "next_marker: page_info"],
        Some("next_marker"),
        "marker field `page_info` must be an integer or a string",
    );
    paging_error(
        &["marker: marker", "items: things", "marker_field: uuid"],
        Some("marker_field"),
        "an item of `things` (Thing) has no field `uuid`",
    );
    paging_error(
        &["marker: marker", "items: things", "marker_field: labels"],
        Some("marker_field"),
        "marker field `labels` must be an integer or a string",
    );
    paging_error(
        &[
            "marker: marker",
            "items: page_info.tags",
            "marker_field: id",
        ],
        Some("marker_field"),
        "the items of `page_info.tags` are not objects",
    );
}

#[test]
fn offset_keys_do_not_apply_to_a_marker_list_nor_marker_keys_to_an_offset_list() {
    paging_error(
        &[
            "marker: marker",
            "items: things",
            "marker_field: id",
            "total: count",
        ],
        Some("total"),
        "`total` does not apply to a list paged by marker",
    );
    paging_error(
        &[
            "offset: offset",
            "limit: limit",
            "items: things",
            "marker_field: id",
        ],
        Some("marker_field"),
        "`marker_field` does not apply to a list paged by offset",
    );
    paging_error(
        &["offset: offset", "items: things"],
        None,
        "`x-pagination` with `offset` needs `limit`",
    );
}
